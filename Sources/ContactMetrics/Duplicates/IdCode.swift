/// A row id as 128 bits, for duplicate detection (DESIGN §5). Three forms, told apart by the top two
/// bits of `high`, so no id of one form can equal an id of another:
///
/// - numeric: up to 18 digits without a leading zero, the number itself;
/// - short: up to 15 bytes (`CL-00013414c1`, Asterisk's `1554103200.123`, `007`), the bytes themselves
///   and their count;
/// - hashed: longer ids (UUIDs, long references), 125 bits of `IdCode.hash128`.
///
/// The first two are exact: equal codes mean equal ids. Two different hashed ids share a code with a
/// probability of about n²/2¹²⁶ among n hashed ids (10⁻²⁰ at 10⁹ ids; Benchmarks/README.md).
/// Contacts and incidents are separate id spaces (`kindBit`). `high` is never zero (`IdTable` uses
/// zero for an empty slot).
struct IdCode: Equatable, BitwiseCopyable {
    var high: UInt64
    var low: UInt64

    enum Kind { case contact, incident }

    static let numericTag: UInt64 = 1 << 62
    static let shortTag: UInt64 = 2 << 62
    static let hashedTag: UInt64 = 3 << 62
    static let kindBit: UInt64 = 1 << 61

    @inline(__always)
    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The code of a non-empty id.
    @inline(__always)
    init(_ bytes: UnsafeRawBufferPointer, kind: Kind) {
        let kindBits = kind == .incident ? Self.kindBit : 0
        let count = bytes.count
        if count <= 18 && (count == 1 || bytes[0] != ASCII.zero) {
            var value: UInt64 = 0
            var allDigits = true
            for byte in bytes {
                let digit = byte &- ASCII.zero
                if digit > 9 { allDigits = false; break }
                value = value &* 10 &+ UInt64(digit)
            }
            if allDigits {
                self.init(high: Self.numericTag | kindBits, low: value)
                return
            }
        }
        if count <= 15 {
            let (first, second) = Self.words(bytes)
            // Byte 15 is free (at most 15 bytes): the count goes in its low nibble, the tags above it.
            self.init(high: Self.shortTag | kindBits | UInt64(count) << 56 | second, low: first)
            return
        }
        let (a, b) = Self.hash128(bytes)
        self.init(high: Self.hashedTag | kindBits | (a >> 3), low: b)
    }

    /// The id's value when it is a number below `SmallIdBitmap.limit`.
    @inline(__always)
    var smallNumber: UInt64? {
        high & ~Self.kindBit == Self.numericTag && low < SmallIdBitmap.limit ? low : nil
    }

    @inline(__always)
    var isIncident: Bool { high & Self.kindBit != 0 }

    /// 64 well-mixed bits of the code, for choosing a bucket and a table slot: numeric ids come in
    /// sequence and short ids share prefixes, so their raw bits would crowd a few slots.
    @inline(__always)
    var mixed: UInt64 {
        var x = high &* 0x9E37_79B9_7F4A_7C15 ^ low
        x ^= x >> 31
        x = x &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 29
        x = x &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 32)
    }

    /// Two independent 64-bit hashes of `bytes` (each word folded into two lanes by a 64×64→128-bit
    /// multiply with different keys, then finalised): for ids that are not chosen to collide, a pair
    /// of lanes behaves like 128 random bits.
    static func hash128(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var a: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var b: UInt64 = 0x1319_8A2E_0370_7344 ^ UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        @inline(__always) func mix(_ word: UInt64) {
            a = ByteWords.fold(a ^ word, 0xA076_1D64_78BD_642F)
            b = ByteWords.fold(b ^ word ^ 0x5899_65CC_7537_4CC3, 0xE703_7ED1_A0B4_28DB)
        }
        var offset = 0
        while bytes.count - offset >= 8 {
            mix(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        if offset < bytes.count {  // the ids hashed here are longer than a word
            mix(bytes.count >= 8 ? ByteWords.lastBytes(bytes, from: offset) : ByteWords.tail(bytes, from: offset))
        }
        return (finish(a), finish(b))
    }

    /// The up to 15 bytes as two little-endian words, zero-padded; reads only inside `bytes`.
    @inline(__always)
    private static func words(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        let count = bytes.count
        if count < 8 { return (ByteWords.tail(bytes, from: 0), 0) }
        let first = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        // The last eight bytes, shifted so that those also in `first` fall off.
        let last = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
        return (first, count == 8 ? 0 : last >> UInt64(8 * (16 - count)))
    }

    /// SplitMix64's finaliser: every input bit reaches every output bit.
    @inline(__always)
    private static func finish(_ value: UInt64) -> UInt64 {
        var x = value
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }
}
