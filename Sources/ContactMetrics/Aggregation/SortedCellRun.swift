/// One worker's contact cells in key order, still in the worker's chunks: what the engine merges into
/// a cube's `ContactCells`. A class so that it can be handed between threads without copying the cells.
final class SortedCellRun: @unchecked Sendable {
    /// Every key, strictly ascending; emptied from the front by the merge, with the cells.
    fileprivate var keys: ChunkedStore<CellKey>
    /// The cell of each key, at the key's position.
    fileprivate var cells: ChunkedStore<ContactCell>

    init(keys: consuming ChunkedStore<CellKey>, cells: consuming ChunkedStore<ContactCell>) {
        precondition(keys.count == cells.count, "one cell per key")
        self.keys = keys
        self.cells = cells
    }

    convenience init(keys: [CellKey], cells: consuming ChunkedStore<ContactCell>) {
        var chunkedKeys = ChunkedStore<CellKey>()
        for key in keys { chunkedKeys.append(key) }
        self.init(keys: chunkedKeys, cells: cells)
    }

    /// The smallest key not yet merged.
    fileprivate var firstKey: CellKey? { keys.first?.pointee }

    /// Cells not yet taken out.
    var count: Int { keys.remaining }

    /// Passes every cell not yet taken out to `body`, in key order, freeing each chunk as it is passed.
    func takeAll(_ body: (CellKey, ContactCell) -> Void) {
        while keys.remaining > 0 { body(keys.takeFirst(), cells.takeFirst()) }
    }
}

extension ContactCells {
    /// The cells of every run, added where keys meet. Each run's keys and cells are moved, not copied,
    /// and each run's chunks are freed as the merge passes them, so they exist about once throughout.
    /// The runs are emptied.
    init(merging runs: [SortedCellRun]) {
        let runs = runs.filter { $0.keys.remaining > 0 }
        if runs.isEmpty { self.init(); return }
        // Room for every run's cells (an upper bound): the arrays never regrow, and the room they do
        // not use is never touched, so it is never resident.
        let bound = runs.reduce(0) { $0 + $1.keys.remaining }
        var keys: [CellKey] = [], values: [ContactCell] = []
        keys.reserveCapacity(bound)
        values.reserveCapacity(bound)
        while let smallest = Self.smallestKey(runs) {
            var cell: ContactCell?
            for run in runs where run.firstKey == smallest {
                _ = run.keys.takeFirst()
                let taken = run.cells.takeFirst()
                if cell == nil { cell = taken } else { cell!.add(taken) }
            }
            keys.append(smallest)
            values.append(cell!)
        }
        self.init(sortedKeys: keys, values: values)
    }

    /// The smallest key not yet passed in any run (a scan of the runs' heads: one per worker).
    private static func smallestKey(_ runs: [SortedCellRun]) -> CellKey? {
        var smallest: CellKey?
        for run in runs {
            guard let key = run.firstKey else { continue }
            if smallest.map({ key < $0 }) ?? true { smallest = key }
        }
        return smallest
    }
}
