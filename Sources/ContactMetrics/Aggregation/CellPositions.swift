/// A worker's map from packed cell keys to the cells' positions: an open-addressing table of 32-bit
/// positions whose keys are read from the worker's key array (`ContactAccumulator.cellKeys`).
///
/// At a 15-minute grain over years a worker holds hundreds of thousands of cells, and it holds them
/// until its last row. A `CountTable` from key to position kept 16 bytes a slot at half load, up to
/// 64 bytes a cell; this keeps 4 bytes a slot, the key being stored once, in the key array.
/// Linear probing; grows at half load. Noncopyable: it owns its memory.
struct CellPositions: ~Copyable {
    private static let empty: Int32 = -1
    private var slots: UnsafeMutablePointer<Int32>
    private var mask: Int
    private(set) var count = 0

    init(initialCapacity: Int = 256) {
        var capacity = 16
        while capacity < initialCapacity { capacity <<= 1 }
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Self.empty, count: capacity)
        mask = capacity - 1
    }

    deinit {
        slots.deallocate()
    }

    @inline(__always) private static func slot(for key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The position of `key` in `keys`; a key not yet held is appended to `keys` and its new position
    /// returned, with `isNew` true.
    @inline(__always)
    mutating func position(of key: UInt64, appendingTo keys: inout GrowableArray<UInt64>) -> (position: Int, isNew: Bool) {
        var slot = Self.slot(for: key, mask: mask)
        while true {
            let held = slots[slot]
            if held == Self.empty { break }
            if keys[Int(held)] == key { return (Int(held), false) }
            slot = (slot + 1) & mask
        }
        let position = keys.count
        precondition(position < Int(Int32.max), "fewer than 2^31 cells a worker")
        keys.append(key)
        slots[slot] = Int32(position)
        count += 1
        if count * 2 > mask { grow(keys: keys) }
        return (position, true)
    }

    private mutating func grow(keys: borrowing GrowableArray<UInt64>) {
        let capacity = (mask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Self.empty, count: capacity)
        mask = capacity - 1
        // Every position is re-placed from its key: the old slots are not needed.
        for position in 0..<keys.count {
            var slot = Self.slot(for: keys[position], mask: mask)
            while slots[slot] != Self.empty { slot = (slot + 1) & mask }
            slots[slot] = Int32(position)
        }
    }
}
