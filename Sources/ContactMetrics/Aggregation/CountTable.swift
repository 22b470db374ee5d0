/// An open-addressing hash table from `UInt64` keys to `UInt64` counts, for the per-worker hot path.
///
/// It owns manually managed memory (a noncopyable struct, freed by `deinit`) so that a worker holding
/// it pays no exclusivity or uniqueness checks per row (DESIGN §9), and it cannot be copied into a
/// double free. Keys must not be `UInt64.max` (the empty marker). Linear probing; grows at half load,
/// and shrinks back when emptied while mostly empty (see `removeAll()`).
struct CountTable: ~Copyable {
    private static let emptyKey = UInt64.max
    private var keys: UnsafeMutablePointer<UInt64>
    private var counts: UnsafeMutablePointer<UInt64>
    private var mask: Int
    private let initialCapacity: Int
    /// Clears in a row that found the table mostly empty (`removeAll()`).
    private var sparseClears = 0
    private(set) var count = 0

    /// Slots allocated (a power of two, at least 16).
    var capacity: Int { mask + 1 }

    init(initialCapacity: Int = 1024) {
        var capacity = 16
        while capacity < initialCapacity { capacity <<= 1 }
        self.initialCapacity = capacity
        keys = .allocate(capacity: capacity)
        counts = .allocate(capacity: capacity)
        mask = capacity - 1
        clearSlots()
    }

    deinit {
        keys.deallocate()
        counts.deallocate()
    }

    @inline(__always) private static func slot(for key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// Adds `amount` to the count of `key` (wrapping, so a later subtraction of the same amount undoes it).
    @inline(__always)
    mutating func add(_ key: UInt64, _ amount: UInt64 = 1) {
        var slot = Self.slot(for: key, mask: mask)
        while true {
            let existing = keys[slot]
            if existing == key { counts[slot] &+= amount; return }
            if existing == Self.emptyKey { break }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        counts[slot] = amount
        count += 1
        if count * 2 > mask { grow() }
    }

    private mutating func grow() {
        let oldKeys = keys, oldCounts = counts, oldCapacity = mask + 1
        let capacity = oldCapacity * 2
        keys = .allocate(capacity: capacity)
        counts = .allocate(capacity: capacity)
        mask = capacity - 1
        clearSlots()
        for index in 0..<oldCapacity where oldKeys[index] != Self.emptyKey {
            var slot = Self.slot(for: oldKeys[index], mask: mask)
            while keys[slot] != Self.emptyKey { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[index]
            counts[slot] = oldCounts[index]
        }
        oldKeys.deallocate()
        oldCounts.deallocate()
    }

    /// Empties the table. It keeps its capacity unless it was mostly empty (under an eighth full) at
    /// `shrinkAfter` clears in a row: then it goes back to its initial capacity. Clearing and `forEach`
    /// cost the capacity, not the count, so a table that grew once and is then emptied after every key
    /// or two (a channel's waits when rows come out of time order after rows in order) would otherwise
    /// cost its largest size at every use. Shrinking at the first such clear made a channel alternating
    /// between a large cell and a small one regrow the table each time (18% slower in a review's test).
    mutating func removeAll() {
        guard count > 0 else { return }
        sparseClears = count * 8 < mask + 1 ? sparseClears + 1 : 0
        count = 0
        if mask + 1 > initialCapacity && sparseClears >= Self.shrinkAfter {
            sparseClears = 0
            keys.deallocate()
            counts.deallocate()
            keys = .allocate(capacity: initialCapacity)
            counts = .allocate(capacity: initialCapacity)
            mask = initialCapacity - 1
        }
        clearSlots()
    }

    /// Mostly empty clears in a row before a table shrinks.
    static let shrinkAfter = 4

    private func clearSlots() {
        keys.initialize(repeating: Self.emptyKey, count: mask + 1)
        counts.initialize(repeating: 0, count: mask + 1)
    }

    /// The count stored for `key`, or nil.
    @inline(__always)
    func value(for key: UInt64) -> UInt64? {
        var slot = Self.slot(for: key, mask: mask)
        while true {
            let existing = keys[slot]
            if existing == key { return counts[slot] }
            if existing == Self.emptyKey { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// Calls `body` for every key with a non-zero count, in no particular order.
    func forEach(_ body: (_ key: UInt64, _ count: UInt64) -> Void) {
        for index in 0...mask where keys[index] != Self.emptyKey && counts[index] != 0 {
            body(keys[index], counts[index])
        }
    }
}
