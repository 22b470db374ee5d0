/// The contact cells of a cube in ascending key order: two parallel arrays and no hash table.
///
/// A report at a 15-minute grain over years holds hundreds of thousands of cells. In a `Dictionary`
/// each took 136 bytes in a table kept under 3/4 full, and adding two cubes grew the table while both
/// were alive; here a cell takes its 136 bytes once, adding cubes is one linear merge, and the report,
/// the store and the renderers read the cells in order with no sort. Lookups are binary searches.
public struct ContactCells: Sendable, Equatable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// Every key, strictly ascending.
    public private(set) var keys: [CellKey] = []
    /// The cell of each key, at the key's position.
    public private(set) var values: [ContactCell] = []

    public typealias Element = (key: CellKey, value: ContactCell)

    public init() {}

    /// Cells whose keys are in any order (each key once).
    public init(keys: [CellKey], values: [ContactCell]) {
        precondition(keys.count == values.count, "one cell per key")
        if zip(keys, keys.dropFirst()).allSatisfy({ $0 < $1 }) {
            self.keys = keys
            self.values = values
            return
        }
        var order = Array(keys.indices)
        order.sort { keys[$0] < keys[$1] }
        self.keys = order.map { keys[$0] }
        precondition(zip(self.keys, self.keys.dropFirst()).allSatisfy { $0 < $1 }, "each key once")
        self.values = order.map { values[$0] }
    }

    /// Cells whose keys are already strictly ascending (checked in debug builds).
    init(sortedKeys keys: [CellKey], values: [ContactCell]) {
        precondition(keys.count == values.count, "one cell per key")
        assert(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 }, "keys strictly ascending")
        self.keys = keys
        self.values = values
    }

    public init(dictionaryLiteral elements: (CellKey, ContactCell)...) {
        self.init(keys: elements.map(\.0), values: elements.map(\.1))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { keys.count }
    public subscript(position: Int) -> Element { (keys[position], values[position]) }

    /// Where `key` is, or where it would be inserted.
    private func position(of key: CellKey) -> (index: Int, found: Bool) {
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return (low, low < keys.count && keys[low] == key)
    }

    /// The cell of `key`; setting nil removes it. Inserting a new key moves the cells after it.
    public subscript(key: CellKey) -> ContactCell? {
        get {
            let (index, found) = position(of: key)
            return found ? values[index] : nil
        }
        set {
            let (index, found) = position(of: key)
            switch (found, newValue) {
            case (true, let cell?): values[index] = cell
            case (true, nil): keys.remove(at: index); values.remove(at: index)
            case (false, let cell?): keys.insert(key, at: index); values.insert(cell, at: index)
            case (false, nil): break
            }
        }
    }

    public subscript(key: CellKey, default defaultValue: @autoclosure () -> ContactCell) -> ContactCell {
        get { self[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    /// Adds `other` cell by cell, in one pass over both (cells of the same key are added).
    public mutating func add(_ other: ContactCells) {
        if other.isEmpty { return }
        if isEmpty { self = other; return }
        var mergedKeys: [CellKey] = [], mergedValues: [ContactCell] = []
        mergedKeys.reserveCapacity(keys.count + other.keys.count)
        mergedValues.reserveCapacity(keys.count + other.keys.count)
        let ownKeys = keys, ownValues = values
        var mine = 0, theirs = 0
        while mine < ownKeys.count || theirs < other.keys.count {
            if theirs == other.keys.count || (mine < ownKeys.count && ownKeys[mine] < other.keys[theirs]) {
                mergedKeys.append(ownKeys[mine]); mergedValues.append(ownValues[mine]); mine += 1
            } else if mine == ownKeys.count || other.keys[theirs] < ownKeys[mine] {
                mergedKeys.append(other.keys[theirs]); mergedValues.append(other.values[theirs]); theirs += 1
            } else {
                var cell = ownValues[mine]
                cell.add(other.values[theirs])
                mergedKeys.append(ownKeys[mine]); mergedValues.append(cell)
                mine += 1
                theirs += 1
            }
        }
        keys = mergedKeys
        values = mergedValues
    }

    /// Changes every cell with `body`, in place; cells it returns false for are removed.
    mutating func updateAll(_ body: (CellKey, inout ContactCell) -> Bool) {
        var kept = 0
        for index in keys.indices {
            var cell = values[index]
            guard body(keys[index], &cell) else { continue }
            keys[kept] = keys[index]
            values[kept] = cell
            kept += 1
        }
        keys.removeLast(keys.count - kept)
        values.removeLast(values.count - kept)
    }
}
