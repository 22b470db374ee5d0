/// Word-at-a-time pieces the byte hashes share (`IdCode.hash128`, `LabelInterner`).
enum ByteWords {
    /// The bytes from `offset` to the end (fewer than 8) as a little-endian word, zero-padded; reads
    /// only inside `bytes`.
    @inline(__always)
    static func tail(_ bytes: UnsafeRawBufferPointer, from offset: Int) -> UInt64 {
        var word: UInt64 = 0
        var index = bytes.count &- 1
        while index >= offset {
            word = word << 8 | UInt64(bytes[index])
            index &-= 1
        }
        return word
    }

    /// What `tail(_:from:)` gives when `bytes` holds at least 8 bytes, without its loop: the last eight
    /// read whole, shifted so that those before `offset` fall off (ten instructions less a UUID,
    /// Benchmarks/README.md).
    @inline(__always)
    static func lastBytes(_ bytes: UnsafeRawBufferPointer, from offset: Int) -> UInt64 {
        let last = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self))
        return last >> UInt64(8 * (8 - (bytes.count - offset)))  // no bytes left: a 64-bit shift gives 0
    }

    /// The 128-bit product folded to 64 bits (the "mum" step of wyhash).
    @inline(__always)
    static func fold(_ x: UInt64, _ y: UInt64) -> UInt64 {
        let product = x.multipliedFullWidth(by: y)
        return product.high ^ product.low
    }
}
