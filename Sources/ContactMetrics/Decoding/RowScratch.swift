/// Scratch bytes for the row being decoded: quoted fields with `""` undone and lower-cased labels live
/// here until the row is done. Every reservation stays valid until `reset()`, however many a row makes
/// and however long its fields are: when the main buffer is full, a reservation gets a chunk of its
/// own (the row's earlier bytes do not move), and the next `reset()` grows the main buffer to what the
/// row needed, so rows of that size never spill again.
///
/// Every reservation is followed by `BlockBuffer.slack` readable bytes, as a block's bytes are, since
/// the word-at-a-time readers (`ByteSearch`, the timestamp parser) may load a little past a field.
///
/// A row reserves about its own length once per field read (a config's rules may read a field more
/// than once), so this memory is bounded by the longest record, which the readers bound
/// (`IngestOptions.maximumRecordBytes`).
struct RowScratch: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    /// Chunks handed out this row after the main buffer was full (freed by the next `reset()`).
    private var spilled: [UnsafeMutablePointer<UInt8>] = []
    private var spilledBytes = 0

    init(capacity: Int = 4096) {
        self.capacity = max(BlockBuffer.slack, capacity)
        base = .allocate(capacity: self.capacity)
        base.initialize(repeating: 0, count: self.capacity)
    }

    deinit {
        base.deallocate()
        for chunk in spilled { chunk.deallocate() }
    }

    /// Room for `count` bytes, valid until the next `reset()`.
    @inline(__always)
    mutating func reserve(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if count &+ BlockBuffer.slack <= capacity &- used {
            let start = base + used
            used &+= count
            return start
        }
        return spill(count)
    }

    @inline(never)
    private mutating func spill(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: count + BlockBuffer.slack)
        (chunk + count).initialize(repeating: 0, count: BlockBuffer.slack)
        spilled.append(chunk)
        spilledBytes += count
        return chunk
    }

    /// Releases this row's bytes (every pointer `reserve` returned since the last reset).
    @inline(__always)
    mutating func reset() {
        used = 0
        if !spilled.isEmpty { growAfterSpill() }
    }

    @inline(never)
    private mutating func growAfterSpill() {
        let needed = capacity + spilledBytes + spilled.count * BlockBuffer.slack
        for chunk in spilled { chunk.deallocate() }
        spilled.removeAll()
        spilledBytes = 0
        base.deallocate()
        capacity = needed
        base = .allocate(capacity: capacity)
        base.initialize(repeating: 0, count: capacity)
    }
}
