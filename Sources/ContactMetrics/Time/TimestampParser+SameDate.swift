extension TimestampParser {
    /// The instant of `bytes` when it has the same date and the same explicit offset as `reference`, an
    /// already parsed `YYYY-MM-DDTHH:MM:SS` timestamp ending in `Z` or `±HH:MM` (ISO 8601, as most exports
    /// write answer and end times next to the arrival): the reference's instant plus the difference of
    /// the two times of day, with no date arithmetic and no zone lookup. Nil in every other case (the
    /// caller then parses `bytes` in full), so the result always equals a full parse.
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
              base.loadUnaligned(fromByteOffset: 7, as: UInt32.self) == referenceBase.loadUnaligned(fromByteOffset: 7, as: UInt32.self)
        else { return nil }
        // "HH:MM:SS" at byte 11, validated like the full parser does.
        let h1 = base.load(fromByteOffset: 11, as: UInt8.self) &- UInt8(ascii: "0"), h2 = base.load(fromByteOffset: 12, as: UInt8.self) &- UInt8(ascii: "0")
        let m1 = base.load(fromByteOffset: 14, as: UInt8.self) &- UInt8(ascii: "0"), m2 = base.load(fromByteOffset: 15, as: UInt8.self) &- UInt8(ascii: "0")
        let s1 = base.load(fromByteOffset: 17, as: UInt8.self) &- UInt8(ascii: "0"), s2 = base.load(fromByteOffset: 18, as: UInt8.self) &- UInt8(ascii: "0")
        guard h1 < 3, h2 < 10, m1 < 6, m2 < 10, s1 < 6, s2 < 10, h1 < 2 || h2 < 4,
              base.load(fromByteOffset: 13, as: UInt8.self) == UInt8(ascii: ":"), base.load(fromByteOffset: 16, as: UInt8.self) == UInt8(ascii: ":")
        else { return nil }
        let seconds = Int64(h1) * 36_000 + Int64(h2) * 3_600 + Int64(m1) * 600 + Int64(m2) * 60 + Int64(s1) * 10 + Int64(s2)
        // The reference was fully parsed, so its digits are valid.
        func digit(_ offset: Int) -> Int64 { Int64(referenceBase.load(fromByteOffset: offset, as: UInt8.self) &- UInt8(ascii: "0")) }
        let referenceSeconds = digit(11) * 36_000 + digit(12) * 3_600 + digit(14) * 600 + digit(15) * 60 + digit(17) * 10 + digit(18)
        return referenceUTC + seconds - referenceSeconds
    }
}
