/// A reusable byte buffer for one block, with 16 bytes of slack after its capacity so that the
/// word-at-a-time scanners may read past the last byte (ByteSearch). It may instead show bytes it does
/// not own (`show(_:)`: a mapped file's, `FileMapping`), which have slack of their own.
final class BlockBuffer: @unchecked Sendable {
    static let slack = 16
    /// The block's bytes: the buffer's own, or those it shows.
    private(set) var base: UnsafeMutablePointer<UInt8>
    /// The buffer's own bytes.
    private var storage: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity + Self.slack)
        base = storage
        // Bytes are written before they are read; only the slack is read unwritten (by word loads).
        (storage + capacity).initialize(repeating: 0, count: Self.slack)
    }

    deinit { storage.deallocate() }

    /// Shows `bytes` (read only, owned by someone else, alive while the block is decoded) until the
    /// next `grow`.
    func show(_ bytes: UnsafePointer<UInt8>) {
        base = UnsafeMutablePointer(mutating: bytes)
    }

    /// Uses the buffer's own bytes (again), grown to at least `minimum` bytes, keeping the first
    /// `keeping` of them.
    func grow(to minimum: Int, keeping: Int) {
        base = storage
        guard minimum > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + Self.slack)
        (larger + newCapacity).initialize(repeating: 0, count: Self.slack)
        larger.update(from: storage, count: keeping)
        storage.deallocate()
        storage = larger
        base = larger
        capacity = newCapacity
    }
}
