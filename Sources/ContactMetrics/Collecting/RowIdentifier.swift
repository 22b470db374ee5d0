/// Codes a row id as 64 bits for duplicate detection: ids of up to 18 digits without a leading zero
/// are their own value (so sequential ids pack into a bitmap), anything else (`007` too: it is not
/// the id `7`) a 63-bit hash with the top bit set.
/// A hash collision between two different ids has a probability of about n²/2⁶⁴ (10⁻⁵ for 10M ids).
enum RowIdentifier {
    static let hashedFlag: UInt64 = 1 << 63

    @inline(__always)
    static func code(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        if bytes.count <= 18 && (bytes.count == 1 || bytes.first != ASCII.zero) {
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
    /// A page of 65,536 bits; a class so the page in hand can be updated without a dictionary lookup.
    private final class Page {
        // A `let` pointer, not an array property: no exclusivity check per access.
        let words: UnsafeMutablePointer<UInt64> = {
            let words = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
            words.initialize(repeating: 0, count: 1024)
            return words
        }()

        deinit { words.deallocate() }
    }

    private var pages: [UInt64: Page] = [:]
    private var lastPageNumber = UInt64.max
    private var lastPage = Page()
    private var hashed: Set<UInt64> = []

    /// Inserts `code`; returns false when it was already present.
    mutating func insert(_ code: UInt64) -> Bool {
        if code & RowIdentifier.hashedFlag != 0 { return hashed.insert(code).inserted }
        let pageNumber = code >> 16, bit = Int(code & 0xFFFF)
        if pageNumber != lastPageNumber {
            if let page = pages[pageNumber] { lastPage = page } else {
                lastPage = Page()
                pages[pageNumber] = lastPage
            }
            lastPageNumber = pageNumber
        }
        let mask: UInt64 = 1 << UInt64(bit & 63)
        if lastPage.words[bit >> 6] & mask != 0 { return false }
        lastPage.words[bit >> 6] |= mask
        return true
    }
}
