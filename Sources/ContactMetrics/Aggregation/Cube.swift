/// The grain at which rows are accumulated.
public enum CellGrain: Sendable, Equatable {
    /// Local calendar periods of the report time zone (report: its `--period`; compare: days).
    case local(PeriodUnit)
    /// UTC 15-minute slots (the store), keyed by `utcSeconds / 900`.
    case utcQuarterHour
}

/// A (period, channel) cell key; `period` is a key of the cube's grain.
public struct CellKey: Hashable, Sendable, Comparable {
    public var period: Int64
    public var channel: String

    public init(period: Int64, channel: String) {
        self.period = period
        self.channel = channel
    }

    public static func < (lhs: CellKey, rhs: CellKey) -> Bool {
        (lhs.period, lhs.channel) < (rhs.period, rhs.channel)
    }
}

/// Everything known about one (period, channel) of contacts.
public struct ContactCell: Sendable, Equatable {
    public var counters = ContactCounters()
    public var answerWaits = WaitHistogram()
    public var abandonWaits = WaitHistogram()
    public var categories = CategoryCounts()

    public init() {}

    public mutating func add(_ other: ContactCell) {
        counters.add(other.counters)
        answerWaits.add(other.answerWaits)
        abandonWaits.add(other.abandonWaits)
        categories.add(other.categories)
    }
}

/// Everything known about one period of incidents.
public struct IncidentCell: Sendable, Equatable {
    public var counters = IncidentCounters()
    /// Referrals by partner agency, kept as compactly as a contact cell's categories: a store or report at
    /// a 15-minute grain over years holds one table per slot.
    public var referredByAgency = CategoryCounts()

    public init() {}

    public mutating func add(_ other: IncidentCell) {
        counters.add(other.counters)
        referredByAgency.add(other.referredByAgency)
    }
}

/// Aggregated contacts and incidents at one grain: the merge of every worker's partial result, and
/// what the store saves and loads. Adding cubes is associative and commutative.
public struct Cube: Sendable, Equatable {
    public var grain: CellGrain
    public var contacts = ContactCells()
    public var incidents: [Int64: IncidentCell] = [:]

    public init(grain: CellGrain) {
        self.grain = grain
    }

    public mutating func add(_ other: Cube) {
        precondition(grain == other.grain, "cubes of different grains cannot be added")
        contacts.add(other.contacts)
        for (key, cell) in other.incidents { incidents[key, default: IncidentCell()].add(cell) }
    }

    /// Re-keys every cell with `periodFor` (cells mapped to the same key merge; nil drops the cell).
    public func rolledUp(to grain: CellGrain, periodFor: (Int64) -> Int64?) -> Cube {
        var result = Cube(grain: grain)
        // Histograms are summed per target cell in one pass (`WaitHistogram(summing:)`): adding thousands
        // of 15-minute cells into a month one by one would merge the month's histogram thousands of times.
        var sources: [CellKey: [ContactCell]] = [:]
        for (key, cell) in contacts {
            guard let period = periodFor(key.period) else { continue }
            sources[CellKey(period: period, channel: key.channel), default: []].append(cell)
        }
        var keys: [CellKey] = [], cells: [ContactCell] = []
        keys.reserveCapacity(sources.count)
        cells.reserveCapacity(sources.count)
        for (key, sourceCells) in sources {
            var cell = ContactCell()
            for source in sourceCells { cell.counters.add(source.counters) }
            cell.categories = Self.categories(summing: sourceCells)
            cell.answerWaits = WaitHistogram(summing: sourceCells.lazy.map(\.answerWaits))
            cell.abandonWaits = WaitHistogram(summing: sourceCells.lazy.map(\.abandonWaits))
            keys.append(key)
            cells.append(cell)
        }
        result.contacts = ContactCells(keys: keys, values: cells)
        for (key, cell) in incidents {
            guard let period = periodFor(key) else { continue }
            result.incidents[period, default: IncidentCell()].add(cell)
        }
        return result
    }

    /// The categories of `cells` added up: in a dictionary when there are several (a year of hourly cells
    /// may hold thousands of labels, and merging sorted tables one cell at a time would cost cells × labels).
    private static func categories(summing cells: [ContactCell]) -> CategoryCounts {
        if cells.count == 1 { return cells[0].categories }
        var counts: [String: Int64] = [:]
        for cell in cells { for (label, count) in cell.categories { counts[label, default: 0] &+= count } }
        return CategoryCounts(counts)
    }

    /// The distinct periods present, ascending.
    public var periods: [Int64] {
        // Contact keys are in period order: their distinct periods need no set.
        var result: [Int64] = []
        for key in contacts.keys where result.last != key.period { result.append(key.period) }
        if incidents.isEmpty { return result }
        return Set(result).union(incidents.keys).sorted()
    }
}
