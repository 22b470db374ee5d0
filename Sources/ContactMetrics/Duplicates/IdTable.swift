/// An open-addressing hash table of id records (`IdRecord` layout) keyed by their code: the distinct
/// ids of one bucket (or one pass over a bucket) while `DuplicateFinder` reads it. Linear probing; a
/// slot whose code's `high` is zero is empty (`IdCode.high` never is). Reused from bucket to bucket.
struct IdTable: ~Copyable {
    let recordSize: Int
    private var slots: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0
    private let mixing: IdMixing

    /// How full the table may get before it doubles: `DuplicateFinder` plans its passes for this.
    static let maximumLoadPercent = 70
    /// How full it may get before it doubles while the doubled table fits the finder's budget. The
    /// codes of a bucket are nearly all distinct, and the fuller the table the more often a probe's
    /// branch meets an occupied slot and guesses wrong: at 10M string ids doubling at half full (1 to
    /// 2 MiB a thread) takes a fifth off the search (Benchmarks/README.md).
    static let preferredLoadPercent = 50

    /// The finder's budget for the table (`removeAll(keepingAtMost:)`).
    private var budget = 0
    /// The count past which the table doubles.
    private var growthCount = 0

    init(recordSize: Int, mixing: IdMixing) {
        self.recordSize = recordSize
        self.mixing = mixing
        capacity = 1024
        slots = .allocate(byteCount: capacity * recordSize, alignment: 16)
        slots.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * recordSize)
        setGrowthCount()
    }

    deinit { slots.deallocate() }

    /// Bytes held.
    var byteCount: Int { capacity * recordSize }

    /// Empties the table, keeping its memory unless it grew past `keepingAtMost` bytes (the budget,
    /// which it then grows within at the preferred load).
    mutating func removeAll(keepingAtMost limit: Int) {
        if byteCount > max(limit, 1024 * recordSize) {
            slots.deallocate()
            capacity = 1024
            slots = .allocate(byteCount: capacity * recordSize, alignment: 16)
        }
        slots.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * recordSize)
        count = 0
        budget = limit
        setGrowthCount()
    }

    private mutating func setGrowthCount() {
        let percent = 2 * byteCount <= budget ? Self.preferredLoadPercent : Self.maximumLoadPercent
        growthCount = capacity * percent / 100
    }

    /// Inserts the record at `record` unless its code is present; returns the slot of the record
    /// already there (nil when inserted).
    @inline(__always)
    mutating func insert(_ record: UnsafeRawPointer) -> UnsafeMutableRawPointer? {
        if count + 1 > growthCount { grow() }
        let code = IdRecord.code(at: record)
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: mixing.mix(code) >> 8) & mask
        while true {
            let slot = slots + index * recordSize
            let present = IdRecord.code(at: slot)
            if present.high == 0 {
                if recordSize == IdRecord.codeOnlySize {  // without `--dedupe`: no library call
                    slot.storeBytes(of: code, as: IdCode.self)
                } else {
                    slot.copyMemory(from: record, byteCount: recordSize)
                }
                count += 1
                return nil
            }
            if present == code { return slot }
            index = (index + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots, oldCapacity = capacity
        capacity *= 2
        slots = .allocate(byteCount: capacity * recordSize, alignment: 16)
        slots.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * recordSize)
        setGrowthCount()
        count = 0
        for index in 0..<oldCapacity {
            let slot = old + index * recordSize
            if IdRecord.code(at: slot).high != 0 { _ = insert(slot) }
        }
        old.deallocate()
    }
}
