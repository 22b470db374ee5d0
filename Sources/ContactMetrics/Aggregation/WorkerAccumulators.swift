// Per-worker accumulation: one instance per worker thread, never shared, so no locks per row.
//
// Cells are found through a packed 64-bit key (period, channel) with a one-entry cache in front of a
// table of their positions, `CellPositions` (logs are mostly in time order, so consecutive rows usually
// share a cell). Cells live in chunks at stable addresses (`ChunkedStore`). Waits are counted per
// channel in a small table while the channel stays in one cell (`OpenWaits`), then kept as the cell's
// compact histograms; category counts live in a flat count table keyed by (cell index, category).
// `sortedRun(…)` puts the cells in key order in place, with text labels, when the worker finishes.

/// Packs a period key (|key| < 2^43) and a label id (< 2^20, `LabelLimit.labels`) into one table key.
@inline(__always) func packCellKey(period: Int64, label: Int32) -> UInt64 {
    (UInt64(bitPattern: period &+ (1 << 43)) << 20) | UInt64(UInt32(bitPattern: label))
}

@inline(__always) func unpackCellKey(_ packed: UInt64) -> (period: Int64, label: Int32) {
    (Int64(bitPattern: packed >> 20) &- (1 << 43), Int32(truncatingIfNeeded: packed & 0xFFFFF))
}

struct ContactAccumulator: ~Copyable {
    private var cellPositions = CellPositions()
    private var cellKeys = GrowableArray<UInt64>()
    /// The cells, in order of first sight; their addresses are stable (see `ChunkedStore`).
    private var cells = ChunkedStore<ContactCell>()
    private var openWaits = OpenWaits()
    private var categories = CountTable(initialCapacity: 256)
    private var lastPackedKey = UInt64.max
    private var lastIndex = 0
    private var lastCell: UnsafeMutablePointer<ContactCell>?

    @inline(__always)
    private mutating func cell(period: Int64, channel: Int32) -> (index: Int, cell: UnsafeMutablePointer<ContactCell>) {
        let packed = packCellKey(period: period, label: channel)
        if packed == lastPackedKey, let lastCell { return (lastIndex, lastCell) }
        let (index, isNew) = cellPositions.position(of: packed, appendingTo: &cellKeys)
        let cell = isNew ? cells.append(ContactCell()) : cells.address(index)
        lastPackedKey = packed
        lastIndex = index
        lastCell = cell
        return (index, cell)
    }

    /// Adds one row. Waits must be < 2^32 seconds (the decoder rejects longer ones).
    @inline(__always)
    mutating func add(_ row: ContactContribution) {
        let (index, cell) = cell(period: row.period, channel: row.channel)
        cell.pointee.counters.count(row)
        if row.waitSeconds >= 0 {
            switch row.outcome {
            case .answered: openWaits.add(UInt64(row.waitSeconds), cell: cell, channel: row.channel)
            case .abandoned: openWaits.add(1 << 32 | UInt64(row.waitSeconds), cell: cell, channel: row.channel)
            case .other, .submitted: break
            }
        }
        if row.category >= 0 {
            categories.add(UInt64(index) << 32 | UInt64(row.category))
        }
    }

    /// Cells held (`CellSpill` moves them out when there are too many).
    var cellCount: Int { cells.count }

    /// Waits merged into a cell's histograms so far, a merge per cell and batch (for tests: rows out of
    /// order must not cost a merge each).
    var waitMerges: Int { openWaits.merges }

    /// The accumulated cells with text labels, in key order.
    mutating func cells(channelLabels: [String], categoryLabels: [String]) -> ContactCells {
        ContactCells(merging: [sortedRun(channelLabels: channelLabels, categoryLabels: categoryLabels)])
    }

    /// The accumulated cells with text labels, put in key order where they are; the accumulator is
    /// empty afterwards.
    mutating func sortedRun(channelLabels: [String], categoryLabels: [String]) -> SortedCellRun {
        openWaits.flushAll()
        lastCell = nil
        lastPackedKey = .max
        cellPositions = CellPositions(initialCapacity: 1)  // no longer needed: its memory goes first
        // The (cell, category) counts leave their hash table (twice their size) before the cells' tables
        // are built, and each cell's table is built once at its size.
        var categoryCounts = [(key: UInt64, count: UInt64)]()
        categoryCounts.reserveCapacity(categories.count)
        categories.forEach { categoryCounts.append(($0, $1)) }
        categories = CountTable(initialCapacity: 1)
        categoryCounts.sort { $0.key < $1.key }
        var start = 0
        while start < categoryCounts.count {
            let cellIndex = categoryCounts[start].key >> 32
            var end = start + 1
            while end < categoryCounts.count && categoryCounts[end].key >> 32 == cellIndex { end += 1 }
            cells.address(Int(cellIndex)).pointee.categories = CategoryCounts(categoryCounts[start..<end].lazy.map {
                (categoryLabels[Int($0.key & 0xFFFF_FFFF)], Int64($0.count))
            })
            start = end
        }
        categoryCounts = []
        // Cells in (period, channel text) order: channels ranked by their text, since ids follow first sight.
        let channelRank = channelLabels.indices.sorted { channelLabels[$0] < channelLabels[$1] }
            .enumerated().reduce(into: [Int](repeating: 0, count: channelLabels.count)) { $0[$1.element] = $1.offset }
        // Each (period, channel rank) is one cell's, so sorting by it alone is a total order.
        var order = [(key: UInt64, index: Int32)]()
        order.reserveCapacity(cellKeys.count)
        for index in 0..<cellKeys.count {
            let (period, channel) = unpackCellKey(cellKeys[index])
            order.append((packCellKey(period: period, label: Int32(channelRank[Int(channel)])), Int32(index)))
        }
        order.sort { $0.key < $1.key }
        var keys = ChunkedStore<CellKey>()
        for entry in order {
            let (period, channel) = unpackCellKey(cellKeys[Int(entry.index)])
            keys.append(CellKey(period: period, channel: channelLabels[Int(channel)]))
        }
        var permutation = order.map(\.index)
        order = []
        cellKeys = GrowableArray()
        cells.permute(&permutation)
        var sorted = ChunkedStore<ContactCell>()
        swap(&sorted, &cells)
        return SortedCellRun(keys: keys, cells: sorted)
    }
}

/// The waits of the cell each channel's rows are in, counted in a small table of that channel until its
/// rows move to another cell, then appended to that cell's histograms in order of seconds (a cell met
/// again later merges). Logs are mostly in time order, so at a 15-minute grain a cell's few dozen waits
/// stay in a table that fits the cache, where one table of every (cell, wait) held an entry per row;
/// at a month grain a channel's table holds its month's distinct waits, as that table did.
///
/// A merge is linear in the cell's histogram, so rows out of time order (an export sorted by id, or
/// the rows `--dedupe` takes out, which come in hash order) would merge into a month's thousands of
/// waits at almost every row: a shuffled 1M-row file took 26 times as long as the same rows in
/// order. So a table whose cell already has more than a few waits goes to `pending`, and a batch of
/// those is sorted by cell and merged once per cell. Out of order, a channel's rows mostly stay one
/// row in a cell: its first wait waits in `firsts`, and the table (cleared whole at each flush) is
/// only used from a second distinct wait on.
struct OpenWaits: ~Copyable {
    private var tables: UnsafeMutablePointer<CountTable>
    /// Each channel's first wait (`count` 0: none) while its table is empty.
    private var firsts: UnsafeMutablePointer<(key: UInt64, count: UInt64)>
    private var openCells: UnsafeMutablePointer<UnsafeMutablePointer<ContactCell>?>
    private var capacity = 0
    /// Sorted entries of the table being flushed (kept to reuse its memory).
    private var entries: [(key: UInt64, count: UInt64)] = []
    /// Waits on their way to cells whose histograms are larger than `directMergeBytes`.
    private var pending: [(cell: UnsafeMutablePointer<ContactCell>, key: UInt64, count: UInt64)] = []
    /// A cell whose two histograms take at most this many bytes is merged into at once (the merge is
    /// as cheap as sorting the waits into a batch).
    static let directMergeBytes = 64
    /// Waits held in `pending` before they are merged (24 bytes each).
    static let pendingLimit = 1 << 15
    /// Tables merged into cells so far.
    private(set) var merges = 0

    init() {
        tables = .allocate(capacity: 1)
        firsts = .allocate(capacity: 1)
        openCells = .allocate(capacity: 1)
    }

    deinit {
        tables.deinitialize(count: capacity)
        tables.deallocate()
        firsts.deallocate()
        openCells.deallocate()
    }

    /// Counts a wait (`kind << 32 | seconds`, kind 1 for an abandon) of cell `cell`, channel `channel`.
    @inline(__always)
    mutating func add(_ key: UInt64, cell: UnsafeMutablePointer<ContactCell>, channel: Int32) {
        let slot = Int(channel)
        if slot >= capacity { grow(to: slot + 1) }
        if openCells[slot] != cell {
            flush(slot)
            openCells[slot] = cell
        }
        if tables[slot].count == 0 {
            if firsts[slot].count == 0 { firsts[slot] = (key, 1); return }
            if firsts[slot].key == key { firsts[slot].count += 1; return }
            tables[slot].add(firsts[slot].key, firsts[slot].count)
            firsts[slot].count = 0
        }
        tables[slot].add(key)
    }

    /// Appends every open table, and every pending wait, to its cell; the cells may move afterwards.
    mutating func flushAll() {
        for slot in 0..<capacity {
            flush(slot)
            openCells[slot] = nil
        }
        mergePending()
    }

    private mutating func flush(_ slot: Int) {
        guard let cell = openCells[slot], tables[slot].count > 0 || firsts[slot].count > 0 else { return }
        if cell.pointee.answerWaits.bytes.count + cell.pointee.abandonWaits.bytes.count > Self.directMergeBytes {
            if firsts[slot].count > 0 {
                pending.append((cell, firsts[slot].key, firsts[slot].count))
                firsts[slot].count = 0
            } else {
                tables[slot].forEach { pending.append((cell, $0, $1)) }
                tables[slot].removeAll()
            }
            if pending.count >= Self.pendingLimit { mergePending() }
            return
        }
        entries.removeAll(keepingCapacity: true)
        if firsts[slot].count > 0 {
            entries.append(firsts[slot])
            firsts[slot].count = 0
        } else {
            tables[slot].forEach { entries.append(($0, $1)) }
            tables[slot].removeAll()
        }
        entries.sort { $0.key < $1.key }
        Self.merge(entries[...], into: cell)
        merges += 1
    }

    /// Merges the pending waits, sorted by cell and wait, once per cell.
    private mutating func mergePending() {
        guard !pending.isEmpty else { return }
        pending.sort { $0.cell != $1.cell ? $0.cell < $1.cell : $0.key < $1.key }
        var start = 0
        while start < pending.count {
            let cell = pending[start].cell
            entries.removeAll(keepingCapacity: true)
            var end = start
            while end < pending.count && pending[end].cell == cell {
                // The same wait from two visits of the cell: one entry.
                if let last = entries.last, last.key == pending[end].key {
                    entries[entries.count - 1].count += pending[end].count
                } else {
                    entries.append((pending[end].key, pending[end].count))
                }
                end += 1
            }
            Self.merge(entries[...], into: cell)
            merges += 1
            start = end
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Adds waits (`kind << 32 | seconds`, ascending, each once) to the cell's histograms.
    private static func merge(_ entries: ArraySlice<(key: UInt64, count: UInt64)>, into cell: UnsafeMutablePointer<ContactCell>) {
        var answer = WaitHistogram.Builder(), abandon = WaitHistogram.Builder()
        for (key, count) in entries {
            if key >> 32 == 0 {
                answer.append(seconds: Int64(key & 0xFFFF_FFFF), count: Int64(count))
            } else {
                abandon.append(seconds: Int64(key & 0xFFFF_FFFF), count: Int64(count))
            }
        }
        var answerWaits = answer.histogram, abandonWaits = abandon.histogram
        answerWaits.shrinkToFit()
        abandonWaits.shrinkToFit()
        cell.pointee.answerWaits.add(answerWaits)
        cell.pointee.abandonWaits.add(abandonWaits)
    }

    private mutating func grow(to count: Int) {
        let newCapacity = max(count, capacity * 2, 4)
        let newTables = UnsafeMutablePointer<CountTable>.allocate(capacity: newCapacity)
        newTables.moveInitialize(from: tables, count: capacity)
        for slot in capacity..<newCapacity { (newTables + slot).initialize(to: CountTable(initialCapacity: 64)) }
        let newFirsts = UnsafeMutablePointer<(key: UInt64, count: UInt64)>.allocate(capacity: newCapacity)
        newFirsts.moveInitialize(from: firsts, count: capacity)
        (newFirsts + capacity).initialize(repeating: (0, 0), count: newCapacity - capacity)
        firsts.deallocate()
        firsts = newFirsts
        let newCells = UnsafeMutablePointer<UnsafeMutablePointer<ContactCell>?>.allocate(capacity: newCapacity)
        newCells.moveInitialize(from: openCells, count: capacity)
        (newCells + capacity).initialize(repeating: nil, count: newCapacity - capacity)
        tables.deallocate()
        openCells.deallocate()
        tables = newTables
        openCells = newCells
        capacity = newCapacity
    }
}

struct IncidentAccumulator: ~Copyable {
    private var cellIndexes = CountTable(initialCapacity: 64)
    private var periods = GrowableArray<Int64>()
    private var counters = GrowableArray<IncidentCounters>()
    private var agencies = CountTable(initialCapacity: 64)
    private var lastPeriod = Int64.min
    private var lastIndex = 0

    @inline(__always)
    mutating func add(_ row: IncidentContribution) {
        var index = lastIndex
        if row.period != lastPeriod {
            let nextIndex = periods.count
            index = Int(cellIndexes.value(for: packCellKey(period: row.period, label: 0)) { UInt64(nextIndex + 1) } - 1)
            if index == nextIndex {
                periods.append(row.period)
                counters.append(IncidentCounters())
            }
            lastPeriod = row.period
            lastIndex = index
        }
        (counters.base + index).pointee.count(row)
        if row.referral == 1 { agencies.add(UInt64(index) << 32 | UInt64(row.agency)) }
    }

    func cells(agencyLabels: [String]) -> [Int64: IncidentCell] {
        // Referrals sorted by (cell, agency) in one flat array: each cell's become one table of their size.
        var referrals: [(key: UInt64, count: Int64)] = []
        agencies.forEach { key, count in referrals.append((key, Int64(count))) }
        referrals.sort { $0.key < $1.key }
        var result = [Int64: IncidentCell](minimumCapacity: periods.count)
        var next = 0
        for index in 0..<periods.count {
            var cell = IncidentCell()
            cell.counters = counters[index]
            let first = next
            while next < referrals.count && Int(referrals[next].key >> 32) == index { next += 1 }
            if next > first {
                cell.referredByAgency = CategoryCounts(referrals[first..<next].map {
                    (key: agencyLabels[Int($0.key & 0xFFFF_FFFF)], value: $0.count)
                })
            }
            result[periods[index]] = cell
        }
        return result
    }
}
