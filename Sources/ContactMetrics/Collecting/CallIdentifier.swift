/// Codes a queue_log callid as 64 bits, to join a call's events (and the store's open calls, which
/// keep this code): callids of up to 18 digits without a leading zero are their own value, anything
/// else (`007` too: it is not the callid `7`) a 63-bit hash with the top bit set. Two different
/// callids of one run share a code with a probability of about n²/2⁶⁴ (10⁻⁶ for 5M calls).
/// (Row ids for duplicate detection have a wider code: `IdCode`.)
enum CallIdentifier {
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
