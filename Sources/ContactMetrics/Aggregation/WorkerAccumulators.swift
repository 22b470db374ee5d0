// Per-worker accumulation: one instance per worker thread, never shared, so no locks per row.
//
// Cells are found through a packed 64-bit key (period, channel) with a one-entry cache in front of a
// table of their positions, `CellPositions` (logs are mostly in time order, so consecutive rows usually
// share a cell). Cells live in chunks at stable addresses (`ChunkedStore`). Waits are held per
// channel while the channel stays in one cell (`OpenWaits`), then kept as the cell's compact
// histograms; category counts live in a flat count table keyed by (cell index, category).
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
            case .other, .submitted, .unknown: break
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
        // are built, and each cell's table is built once at its size. Keyed by the category's rank among
        // the labels, a cell's counts come sorted as its table keeps them, with no comparison of text;
        // but ranking costs a sort of every label the worker has met, so with more labels than counts
        // (free text as categories, one or two a cell) each cell's few are sorted by their text instead.
        let ranks = categoryLabels.count <= categories.count ? CategoryRanks(categoryLabels) : nil
        var categoryCounts = [(key: UInt64, count: UInt64)]()
        categoryCounts.reserveCapacity(categories.count)
        if let ranks {
            categories.forEach { categoryCounts.append(($0 & ~0xFFFF_FFFF | UInt64(ranks.rank(of: Int($0 & 0xFFFF_FFFF))), $1)) }
        } else {
            categories.forEach { categoryCounts.append(($0, $1)) }
        }
        categories = CountTable(initialCapacity: 1)
        categoryCounts.sort { $0.key < $1.key }
        var start = 0
        while start < categoryCounts.count {
            let cellIndex = categoryCounts[start].key >> 32
            var end = start + 1
            while end < categoryCounts.count && categoryCounts[end].key >> 32 == cellIndex { end += 1 }
            let cell = cells.address(Int(cellIndex))
            guard let ranks else {
                cell.pointee.categories = CategoryCounts(categoryCounts[start..<end].lazy.map {
                    (categoryLabels[Int($0.key & 0xFFFF_FFFF)], Int64($0.count))
                })
                start = end
                continue
            }
            var entries: [CategoryCounts.Element] = []
            entries.reserveCapacity(end - start)
            for index in start..<end {
                let rank = Int(categoryCounts[index].key & 0xFFFF_FFFF), count = Int64(categoryCounts[index].count)
                // Equal labels (canonically equivalent spellings) share a rank: one entry.
                if index > start && categoryCounts[index - 1].key == categoryCounts[index].key {
                    entries[entries.count - 1].value &+= count
                } else {
                    entries.append((ranks.label(ofRank: rank), count))
                }
            }
            cell.pointee.categories = CategoryCounts(ordered: entries)
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
