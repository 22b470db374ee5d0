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

/// A per-period report (`contact-metrics report`).
public struct Report: Sendable, Equatable {
    public var timeZone: String
    public var period: PeriodUnit
    public var periods: [PeriodFigures]
    public var ledger: Ledger
    public var options: MetricOptions

    /// Builds the report from a cube at `.local(period)` grain.
    public init(cube: Cube, period: PeriodUnit, timeZone: String, ledger: Ledger, options: MetricOptions) {
        precondition(cube.grain == .local(period), "the cube must be at the report's period grain")
        self.timeZone = timeZone
        self.period = period
        self.ledger = ledger
        self.options = options
        var contactsByPeriod: [Int64: [String: ContactCell]] = [:]
        for (key, cell) in cube.contacts { contactsByPeriod[key.period, default: [:]][key.channel] = cell }
        let includeIncidents = !cube.incidents.isEmpty
        periods = cube.periods.map { key in
            PeriodFigures(label: period.label(key: key), start: period.start(key: key), end: period.end(key: key),
                          contacts: contactsByPeriod[key] ?? [:], incidents: cube.incidents[key],
                          includeIncidents: includeIncidents, options: options)
        }
    }
}
