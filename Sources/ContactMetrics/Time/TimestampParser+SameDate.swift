extension TimestampParser {
    /// The instant of `bytes` when it has the same date and the same explicit offset as `reference`, an
    /// already parsed `YYYY-MM-DDTHH:MM:SS` timestamp ending in `Z` or `±HH:MM` (ISO 8601, as most exports
    /// write answer and end times next to the arrival): the reference's instant plus the difference of
    /// the two times of day, with no date arithmetic and no zone lookup. Nil in every other case (the
    /// caller then parses `bytes` in full), so the result always equals a full parse. `reference`
    /// must have been accepted by the full parser (or by this function).
    @inline(__always)
    public static func instantSharingDate(_ bytes: UnsafeRawBufferPointer, with reference: UnsafeRawBufferPointer,
                                          referenceUTC: Int64) -> Int64? {
        let count = bytes.count
        guard count == reference.count, count == 25 || count == 20,
              let base = bytes.baseAddress, let referenceBase = reference.baseAddress else { return nil }
        // Bytes 0–10: "YYYY-MM-DDT"; bytes 19…: the offset (or Z), which must be an explicit one.
        let tailEqual: Bool
        if count == 25 {
            let sign = referenceBase.load(fromByteOffset: 19, as: UInt8.self)
            tailEqual = (sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"))
                && base.loadUnaligned(fromByteOffset: 17, as: UInt64.self) >> 16 == referenceBase.loadUnaligned(fromByteOffset: 17, as: UInt64.self) >> 16
        } else {
            let zone = referenceBase.load(fromByteOffset: 19, as: UInt8.self)
            tailEqual = zone | 0x20 == UInt8(ascii: "z") && base.load(fromByteOffset: 19, as: UInt8.self) == zone
        }
        guard tailEqual,
              base.loadUnaligned(as: UInt64.self) == referenceBase.loadUnaligned(as: UInt64.self),
              base.loadUnaligned(fromByteOffset: 7, as: UInt32.self) == referenceBase.loadUnaligned(fromByteOffset: 7, as: UInt32.self),
              // The shared bytes 0–10 must be "YYYY-MM-DD" and a separator: only then are bytes 11–18 of
              // both a time of day (a reference with leading spaces or a day-first date is not).
              Self.isDateAndSeparator(base),
              let time = Self.timeOfDay(base.loadUnaligned(fromByteOffset: 11, as: UInt64.self)),
              let referenceTime = Self.timeOfDay(referenceBase.loadUnaligned(fromByteOffset: 11, as: UInt64.self))
        else { return nil }
        let utc = referenceUTC + time - referenceTime
        // The full parser's bounds: a time near 0001-01-01 or 9999-12-31 can leave them with the same date.
        return utc >= earliestUTC && utc <= latestUTC ? utc : nil
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
        let digits = word ^ 0x3030_3030_3030_3030
        // Every lane below 0x80, and then below 10 except the colon lanes (2 and 5), which are exactly 10.
        guard (digits | (digits &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080 == 0x0000_8000_0080_0000,
              digits & 0x0000_FF00_00FF_0000 == 0x0000_0A00_000A_0000
        else { return nil }
        let (hours, minutes, seconds) = fields(digits)
        guard hours < 24, minutes < 60, seconds < 60 else { return nil }
        return hours * 3_600 + minutes * 60 + seconds
    }

    /// Hours, minutes and seconds from the eight lanes of "HH:MM:SS" minus "0"s: lane i × 10 + lane
    /// i+1 for all lanes at once (no lane exceeds 10, so no carry crosses a lane), read at lanes 0, 3, 6.
    @inline(__always)
    private static func fields(_ digits: UInt64) -> (hours: Int64, minutes: Int64, seconds: Int64) {
        let pairs = digits &* 10 &+ (digits >> 8)
        return (Int64(pairs & 0xFF), Int64((pairs >> 24) & 0xFF), Int64((pairs >> 48) & 0xFF))
    }
}
