// Per-worker accumulation: one instance per worker thread, never shared, so no locks per row.
//
// Cells are found through a packed 64-bit key (period, channel) with a one-entry cache in front of
// the hash table (logs are mostly in time order, so consecutive rows usually share a cell). Wait
// histograms and category counts live in flat count tables keyed by (cell index, kind, value).
// `cube(…)` turns the flat state into a `Cube` with text labels when the worker finishes.

/// Packs a period key (|key| < 2^43) and a label id (< 2^20, `LabelLimit.labels`) into one table key.
@inline(__always) func packCellKey(period: Int64, label: Int32) -> UInt64 {
    (UInt64(bitPattern: period &+ (1 << 43)) << 20) | UInt64(UInt32(bitPattern: label))
}

@inline(__always) func unpackCellKey(_ packed: UInt64) -> (period: Int64, label: Int32) {
    (Int64(bitPattern: packed >> 20) &- (1 << 43), Int32(truncatingIfNeeded: packed & 0xFFFFF))
}

struct ContactAccumulator: ~Copyable {
    private var cellIndexes = CountTable(initialCapacity: 256)
    private var cellKeys = GrowableArray<UInt64>()
    private var counters = GrowableArray<ContactCounters>()
    private var waits = CountTable(initialCapacity: 1 << 14)
    private var categories = CountTable(initialCapacity: 256)
    private var lastPackedKey = UInt64.max
    private var lastIndex = 0

    @inline(__always)
    private mutating func cellIndex(period: Int64, channel: Int32) -> Int {
        let packed = packCellKey(period: period, label: channel)
        if packed == lastPackedKey { return lastIndex }
        let nextIndex = cellKeys.count
        let stored = cellIndexes.value(for: packed) { UInt64(nextIndex + 1) }
        let index = Int(stored - 1)
        if index == nextIndex {
            cellKeys.append(packed)
            counters.append(ContactCounters())
        }
        lastPackedKey = packed
        lastIndex = index
        return index
    }

    /// Adds one row. Waits must be < 2^32 seconds (the decoder rejects longer ones).
    @inline(__always)
    mutating func add(_ row: ContactContribution) {
        let index = cellIndex(period: row.period, channel: row.channel)
        (counters.base + index).pointee.count(row)
        if row.waitSeconds >= 0 {
            switch row.outcome {
            case .answered: waits.add(UInt64(index) << 33 | UInt64(row.waitSeconds))
            case .abandoned: waits.add(UInt64(index) << 33 | 1 << 32 | UInt64(row.waitSeconds))
            case .other, .submitted: break
            }
        }
        if row.category >= 0 {
            categories.add(UInt64(index) << 32 | UInt64(row.category))
        }
    }

    /// The accumulated cells with text labels.
    func cells(channelLabels: [String], categoryLabels: [String]) -> [CellKey: ContactCell] {
        var keys = [CellKey]()
        var cells = [ContactCell]()
        keys.reserveCapacity(cellKeys.count)
        for index in 0..<cellKeys.count {
            let (period, channel) = unpackCellKey(cellKeys[index])
            keys.append(CellKey(period: period, channel: channelLabels[Int(channel)]))
            var cell = ContactCell()
            cell.counters = counters[index]
            cells.append(cell)
        }
        // In key order (cell, kind, seconds), so that each histogram is built by appending.
        var entries: [(key: UInt64, count: UInt64)] = []
        entries.reserveCapacity(waits.count)
        waits.forEach { entries.append(($0, $1)) }
        entries.sort { $0.key < $1.key }
        for (key, count) in entries {
            let index = Int(key >> 33), seconds = Int64(key & 0xFFFF_FFFF)
            if key & (1 << 32) == 0 {
                cells[index].answerWaits.add(seconds: seconds, count: Int64(count))
            } else {
                cells[index].abandonWaits.add(seconds: seconds, count: Int64(count))
            }
        }
        categories.forEach { key, count in
            cells[Int(key >> 32)].categories[categoryLabels[Int(key & 0xFFFF_FFFF)], default: 0] += Int64(count)
        }
        return Dictionary(uniqueKeysWithValues: zip(keys, cells))
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
        var cells = [IncidentCell]()
        for index in 0..<periods.count {
            var cell = IncidentCell()
            cell.counters = counters[index]
            cells.append(cell)
        }
        agencies.forEach { key, count in
            cells[Int(key >> 32)].referredByAgency[agencyLabels[Int(key & 0xFFFF_FFFF)], default: 0] += Int64(count)
        }
        var result = [Int64: IncidentCell]()
        for index in 0..<periods.count { result[periods[index]] = cells[index] }
        return result
    }
}
