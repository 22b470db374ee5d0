/// A timestamp of the shapes the same-date shortcut serves, `YYYY-MM-DD?HH:MM:SS` with or without a fraction of
/// exactly three digits (`.mmm`, JavaScript's `toISOString` and most cloud exports), followed by `Z` or `±HH:MM`
/// (ISO 8601; `?` is `T`, `t` or a space), with its instant: the reference that later timestamps of the same
/// length, date and offset are read against.
public struct SameDateReference {
    let bytes: UnsafeRawBufferPointer
    let utc: Int64
    /// The time of day of `bytes`, in seconds.
    let secondsOfDay: Int64
    /// The fraction's milliseconds (0 without one).
    let milliseconds: Int64

    /// A reference from a timestamp the full parser accepted with instant `utc`; nil unless it has the
    /// shape above (checked once here, so that each use needs to compare bytes only).
    @inline(__always)
    public init?(bytes: UnsafeRawBufferPointer, utc: Int64) {
        let count = bytes.count
        guard count == 25 || count == 20 || count == 29 || count == 24, let base = bytes.baseAddress else { return nil }
        let zoneAt = count < 24 || count == 25 ? 19 : 23
        let zone = base.load(fromByteOffset: zoneAt, as: UInt8.self)
        guard count &- zoneAt == 6 ? zone == UInt8(ascii: "+") || zone == UInt8(ascii: "-") : zone | 0x20 == UInt8(ascii: "z"),
              Self.isDateAndSeparator(base),
              let secondsOfDay = Self.timeOfDay(base.loadUnaligned(fromByteOffset: 11, as: UInt64.self)),
              let milliseconds = zoneAt == 19 ? 0 : Self.fraction(base)
        else { return nil }
        self.bytes = bytes
        self.utc = utc
        self.secondsOfDay = secondsOfDay
        self.milliseconds = milliseconds
    }

    private init(bytes: UnsafeRawBufferPointer, utc: Int64, secondsOfDay: Int64, milliseconds: Int64) {
        self.bytes = bytes
        self.utc = utc
        self.secondsOfDay = secondsOfDay
        self.milliseconds = milliseconds
    }

    /// The milliseconds of exactly `.mmm` at bytes 19–22, or nil.
    @inline(__always)
    private static func fraction(_ base: UnsafeRawPointer) -> Int64? { TimestampParser.threeDigitFraction(at: base + 19) }

    /// The timestamp `bytes` when it has this reference's date and offset, byte for byte, and a valid
    /// time of day: the reference's instant plus the difference of the two times of day, with no date
    /// arithmetic and no zone lookup. Nil in every other case (the caller then parses `bytes` in full),
    /// so the instant always equals a full parse. The result is itself a reference.
    @inline(__always)
    public func sharingDate(_ bytes: UnsafeRawBufferPointer) -> SameDateReference? {
        let count = bytes.count
        guard count == self.bytes.count, let base = bytes.baseAddress, let referenceBase = self.bytes.baseAddress else { return nil }
        // Bytes 0–10 (the date and separator) and the offset or Z after the time as the reference's.
        let tailEqual: Bool, milliseconds: Int64
        switch count {
        case 25:
            tailEqual = base.loadUnaligned(fromByteOffset: 17, as: UInt64.self) >> 16 == referenceBase.loadUnaligned(fromByteOffset: 17, as: UInt64.self) >> 16
            milliseconds = 0
        case 20:
            tailEqual = base.load(fromByteOffset: 19, as: UInt8.self) == referenceBase.load(fromByteOffset: 19, as: UInt8.self)
            milliseconds = 0
        default:
            guard let fraction = Self.fraction(base) else { return nil }
            tailEqual = count == 29
                ? base.loadUnaligned(fromByteOffset: 21, as: UInt64.self) >> 16 == referenceBase.loadUnaligned(fromByteOffset: 21, as: UInt64.self) >> 16
                : base.load(fromByteOffset: 23, as: UInt8.self) == referenceBase.load(fromByteOffset: 23, as: UInt8.self)
            milliseconds = fraction
        }
        guard tailEqual,
              base.loadUnaligned(as: UInt64.self) == referenceBase.loadUnaligned(as: UInt64.self),
              base.loadUnaligned(fromByteOffset: 7, as: UInt32.self) == referenceBase.loadUnaligned(fromByteOffset: 7, as: UInt32.self),
              let secondsOfDay = Self.timeOfDay(base.loadUnaligned(fromByteOffset: 11, as: UInt64.self))
        else { return nil }
        let utc = self.utc + secondsOfDay - self.secondsOfDay
        // The full parser's bounds: a time near 0001-01-01 or 9999-12-31 can leave them on the same date.
        guard utc >= TimestampParser.earliestUTC && utc <= TimestampParser.latestUTC else { return nil }
        return SameDateReference(bytes: bytes, utc: utc, secondsOfDay: secondsOfDay, milliseconds: milliseconds)
    }

    /// Whether bytes 0–10 are `YYYY-MM-DD` followed by `T`, `t` or a space, the first eight at once:
    /// XOR with "0" turns digits into 0...9 and `-` into 0x1D.
    @inline(__always)
    private static func isDateAndSeparator(_ base: UnsafeRawPointer) -> Bool {
        let head = base.loadUnaligned(as: UInt64.self) ^ 0x3030_3030_3030_3030  // "YYYY-MM-"
        let day1 = base.load(fromByteOffset: 8, as: UInt8.self) ^ 0x30, day2 = base.load(fromByteOffset: 9, as: UInt8.self) ^ 0x30
        let separator = base.load(fromByteOffset: 10, as: UInt8.self)
        // Every lane below 0x80, then below 10 except the dash lanes (4 and 7), which are exactly 0x1D.
        return (head | (head &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080 == 0x8000_0080_0000_0000
            && head & 0xFF00_00FF_0000_0000 == 0x1D00_001D_0000_0000
            && day1 < 10 && day2 < 10 && (separator | 0x20 == UInt8(ascii: "t") || separator == UInt8(ascii: " "))
    }

    /// The seconds since midnight of the eight bytes "HH:MM:SS" (read as a little-endian word), validated
    /// like the full parser does, or nil. XOR with "0" turns digits into 0...9 and the colons into 10.
    @inline(__always)
    private static func timeOfDay(_ word: UInt64) -> Int64? {
        let digits = UInt64(littleEndian: word) ^ 0x3030_3030_3030_3030
        // Every lane below 0x80, and then below 10 except the colon lanes (2 and 5), which are exactly 10.
        guard (digits | (digits &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080 == 0x0000_8000_0080_0000,
              digits & 0x0000_FF00_00FF_0000 == 0x0000_0A00_000A_0000
        else { return nil }
        // Lane i × 10 + lane i+1 for all lanes at once (no lane exceeds 10, so no carry crosses a
        // lane): hours, minutes and seconds at lanes 0, 3 and 6.
        let pairs = digits &* 10 &+ (digits >> 8)
        let hours = Int64(pairs & 0xFF), minutes = Int64((pairs >> 24) & 0xFF), seconds = Int64((pairs >> 48) & 0xFF)
        guard hours < 24, minutes < 60, seconds < 60 else { return nil }
        return hours * 3_600 + minutes * 60 + seconds
    }
}
