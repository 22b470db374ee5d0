/// One period (or window) of a report: its metrics per channel, total contacts and incidents.
public struct PeriodFigures: Sendable, Equatable {
    public var label: String
    /// Inclusive local start and end (dates, or local date-times for sub-day periods).
    public var start: String
    public var end: String
    public var channels: [ChannelMetrics]
    /// Σ received over every contact channel, from exact counts.
    public var totalContacts: Int64
    /// nil when the run read no incidents.
    public var incidents: IncidentMetrics?

    /// Figures from the cells of one period.
    public init(label: String, start: String, end: String, contacts: [String: ContactCell],
                incidents: IncidentCell?, includeIncidents: Bool, options: MetricOptions) {
        self.label = label
        self.start = start
        self.end = end
        channels = channelDisplayOrder(contacts.keys).map { ChannelMetrics(channel: $0, cell: contacts[$0]!, options: options) }
        totalContacts = channels.reduce(0) { $0 + $1.received }
        self.incidents = includeIncidents ? IncidentMetrics(cell: incidents ?? IncidentCell()) : nil
    }

    public func channel(_ name: String) -> ChannelMetrics? { channels.first { $0.channel == name } }
}

/// A per-period report (`contact-metrics report`). The figures of a period are computed when it is
/// rendered (`forEachPeriod`), not all at once: a report at a 15-minute grain over years has hundreds
/// of thousands of periods, and the renderers write each as they go.
public struct Report: Sendable, Equatable {
    public var timeZone: String
    public var period: PeriodUnit
    public var ledger: Ledger
    public var options: MetricOptions
    private let cube: Cube
    /// The cube's contact cells in (period, channel) order, and where each period's first one is.
    private let cellKeys: [CellKey]
    private let periodKeys: [Int64]
    private let firstCell: [Int]

    /// Builds the report from a cube at `.local(period)` grain.
    public init(cube: Cube, period: PeriodUnit, timeZone: String, ledger: Ledger, options: MetricOptions) {
        precondition(cube.grain == .local(period), "the cube must be at the report's period grain")
        self.timeZone = timeZone
        self.period = period
        self.ledger = ledger
        let options = options.allowed(by: ledger)
        self.options = options
        self.cube = cube
        cellKeys = cube.contacts.keys
        periodKeys = cube.periods
        var firstCell: [Int] = []
        firstCell.reserveCapacity(periodKeys.count + 1)
        var index = 0
        for key in periodKeys {
            while index < cellKeys.count && cellKeys[index].period < key { index += 1 }
            firstCell.append(index)
        }
        firstCell.append(cellKeys.count)
        self.firstCell = firstCell
    }

    /// How many periods the report has.
    public var periodCount: Int { periodKeys.count }

    /// Whether any period has incidents (the incident table and members are shown).
    var hasIncidents: Bool { !cube.incidents.isEmpty }

    /// The figures of every period, in order (computed on each call; renderers use `forEachPeriod`).
    public var periods: [PeriodFigures] {
        var result: [PeriodFigures] = []
        forEachPeriod { result.append($0) }
        return result
    }

    /// Calls `body` with each period's figures, in order, computing them one period at a time.
    public func forEachPeriod<Failure: Error>(_ body: (PeriodFigures) throws(Failure) -> Void) throws(Failure) {
        for (index, key) in periodKeys.enumerated() {
            var contacts: [String: ContactCell] = [:]
            for cellIndex in firstCell[index]..<firstCell[index + 1] where cellKeys[cellIndex].period == key {
                contacts[cellKeys[cellIndex].channel] = cube.contacts.values[cellIndex]
            }
            try body(PeriodFigures(label: period.label(key: key), start: period.start(key: key), end: period.end(key: key),
                                   contacts: contacts, incidents: cube.incidents[key], includeIncidents: hasIncidents, options: options))
        }
    }
}
