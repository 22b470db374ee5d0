/// A reusable byte buffer for one block, with 16 bytes of slack after its capacity so that the
/// word-at-a-time scanners may read past the last byte (ByteSearch).
final class BlockBuffer: @unchecked Sendable {
    static let slack = 16
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity + Self.slack)
        // Bytes are written before they are read; only the slack is read unwritten (by word loads).
        (base + capacity).initialize(repeating: 0, count: Self.slack)
    }

    deinit { base.deallocate() }

    /// Grows to at least `minimum` bytes, keeping the first `keeping` bytes.
    func grow(to minimum: Int, keeping: Int) {
        guard minimum > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + Self.slack)
        (larger + newCapacity).initialize(repeating: 0, count: Self.slack)
        larger.update(from: base, count: keeping)
        base.deallocate()
        base = larger
        capacity = newCapacity
    }
}
