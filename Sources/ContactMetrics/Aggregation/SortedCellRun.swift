/// One worker's contact cells in key order, still in the worker's chunks: what the engine merges into
/// a cube's `ContactCells`. A class so that it can be handed between threads without copying the cells.
final class SortedCellRun: @unchecked Sendable {
    /// Every key, strictly ascending.
    let keys: [CellKey]
    /// The cell of each key, at the key's position; emptied from the front by the merge.
    fileprivate var cells: ChunkedStore<ContactCell>

    init(keys: [CellKey], cells: consuming ChunkedStore<ContactCell>) {
        precondition(keys.count == cells.count, "one cell per key")
        self.keys = keys
        self.cells = cells
    }
}

extension ContactCells {
    /// The cells of every run, added where keys meet. Each run's cells are moved, not copied, and each
    /// run's chunks are freed as the merge passes them, so the cells exist about once throughout.
    /// The runs are emptied.
    init(merging runs: [SortedCellRun]) {
        let runs = runs.filter { !$0.keys.isEmpty }
        if runs.isEmpty { self.init(); return }
        // The merged keys first, so that the cells' array is allocated once at its final size.
        var keys: [CellKey] = []
        // Room for every run's keys (an upper bound): the merged keys never regrow, and the room they
        // do not use is never touched, so it is never resident.
        keys.reserveCapacity(runs.reduce(0) { $0 + $1.keys.count })
        var next = [Int](repeating: 0, count: runs.count)
        while let smallest = Self.smallestKey(runs, next) {
            keys.append(smallest)
            for (run, position) in zip(runs.indices, next) where position < runs[run].keys.count && runs[run].keys[position] == smallest {
                next[run] += 1
            }
        }
        let values = [ContactCell](unsafeUninitializedCapacity: keys.count) { buffer, initialized in
            var next = [Int](repeating: 0, count: runs.count)
            for key in keys {
                var cell: ContactCell?
                for run in runs.indices where next[run] < runs[run].keys.count && runs[run].keys[next[run]] == key {
                    let taken = runs[run].cells.takeFirst()
                    next[run] += 1
                    if cell == nil { cell = taken } else { cell!.add(taken) }
                }
                (buffer.baseAddress! + initialized).initialize(to: cell!)
                initialized += 1
            }
        }
        self.init(sortedKeys: keys, values: values)
    }

    /// The smallest key not yet passed in any run (a scan of the runs' heads: one per worker).
    private static func smallestKey(_ runs: [SortedCellRun], _ next: [Int]) -> CellKey? {
        var smallest: CellKey?
        for (run, position) in zip(runs, next) where position < run.keys.count {
            if smallest.map({ run.keys[position] < $0 }) ?? true { smallest = run.keys[position] }
        }
        return smallest
    }
}
