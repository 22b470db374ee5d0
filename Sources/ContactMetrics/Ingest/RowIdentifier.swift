/// Codes a row id as 64 bits for duplicate detection: ids of up to 18 digits are their own value
/// (so sequential ids pack into a bitmap), anything else a 63-bit hash with the top bit set.
/// A hash collision between two different ids has a probability of about n²/2⁶⁴ (10⁻⁵ for 10M ids).
enum RowIdentifier {
    static let hashedFlag: UInt64 = 1 << 63

    @inline(__always)
    static func code(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        if bytes.count <= 18 {
            var value: UInt64 = 0
            var allDigits = true
            for byte in bytes {
                let digit = byte &- ASCII.zero
                if digit > 9 { allDigits = false; break }
                value = value &* 10 &+ UInt64(digit)
            }
            if allDigits { return value }
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        hash ^= hash >> 29
        hash = hash &* 0xbf58_476d_1ce4_e5b9
        hash ^= hash >> 32
        return hash | hashedFlag
    }
}

/// The set of ids seen so far in a run: numeric ids in a paged bitmap (8 KiB per 65,536 ids), others
/// in a hash set. Used only by the collector, serially, in input order.
struct IdentifierSet {
    private var pages: [UInt64: [UInt64]] = [:]
    private var hashed: Set<UInt64> = []

    /// Inserts `code`; returns false when it was already present.
    mutating func insert(_ code: UInt64) -> Bool {
        if code & RowIdentifier.hashedFlag != 0 { return hashed.insert(code).inserted }
        let page = code >> 16, bit = Int(code & 0xFFFF)
        return pages[page, default: [UInt64](repeating: 0, count: 1024)].withUnsafeMutableBufferPointer { words in
            let mask: UInt64 = 1 << UInt64(bit & 63)
            if words[bit >> 6] & mask != 0 { return false }
            words[bit >> 6] |= mask
            return true
        }
    }
}
