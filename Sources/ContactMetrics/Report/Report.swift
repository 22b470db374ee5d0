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
    /// The inputs (or --from/--to) cover only some of the period's days: its figures are not a whole period's.
    public var isPartial = false
    /// A sub-day period over local times the clocks went back over (`Report.repeatedHours`): it holds the contacts
    /// of both occurrences, up to twice its length of time.
    public var takesInARepeatedHour = false

    /// The label, with `(partial)` when the period is only partly covered.
    public var displayLabel: String { label + (isPartial ? " (partial)" : "") + (takesInARepeatedHour ? " (twice)" : "") }

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
    /// The local days the inputs cover (first to last arrival, within --from/--to); day-or-longer periods
    /// reaching outside it are marked partial. nil: not known (nothing is marked).
    public var coveredDays: ClosedRange<Int64>?
    /// Each period against the `--targets`, when given (shown under the tables in every format).
    public var targetReview: TargetReview?
    /// Contacts by hour of the week over the whole report, for the page's heat maps (HTML only).
    public var weeklyProfile: WeeklyProfile?
    /// The tool's version and when it ran (`contact-metrics 0.1.0 on 2020-06-01 at 02:00 UTC`), for the page's sources line.
    public var madeBy: String?
    /// What a store holds that makes some figures too low or too high (an export missing, sources counted twice),
    /// said under the tables in every format (`report --store`).
    public var cautions: [String] = []
    private let cube: Cube
    /// The cube's contact cells in (period, channel) order, and where each period's first one is.
    private let cellKeys: [CellKey]
    let periodKeys: [Int64]
    private let firstCell: [Int]
    /// Of a sub-day report, the local times the clocks went back over that its periods take in (`[start, end)`,
    /// local seconds), with the keys of those periods.
    let repeatedHours: [RepeatedLocalTimes]

    /// Local times `[start, end)` (local seconds) that a backward clock change repeats, and the keys of the periods over them.
    struct RepeatedLocalTimes: Sendable, Equatable {
        var start: Int64
        var end: Int64
        var keys: ClosedRange<Int64>
    }

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
        repeatedHours = Self.repeatedHours(periodKeys: periodKeys, period: period, timeZone: timeZone)
    }

    /// The local times a backward clock change repeats whose sub-day periods are among `periodKeys`: such a period
    /// is keyed by local time, so an hour's 01:00 to 01:59 takes in the contacts of both occurrences (two reviews
    /// found an hour of 120 calls among hours of 60, with no word).
    static func repeatedHours(periodKeys: [Int64], period: PeriodUnit, timeZone: String) -> [RepeatedLocalTimes] {
        guard period.subDaySeconds != nil, let first = periodKeys.first, let last = periodKeys.last,
              let zone = try? TimeZoneRules(identifier: timeZone) else { return [] }
        let present = Set(periodKeys)
        var found: [RepeatedLocalTimes] = []
        for (index, transition) in zone.transitionUTCSeconds.enumerated() where zone.offsetSeconds[index + 1] < zone.offsetSeconds[index] {
            let start = transition + zone.offsetSeconds[index + 1], end = transition + zone.offsetSeconds[index]
            let keys = period.key(localSeconds: start)...period.key(localSeconds: end - 1)
            guard keys.upperBound >= first && keys.lowerBound <= last, keys.contains(where: present.contains) else { continue }
            found.append(RepeatedLocalTimes(start: start, end: end, keys: keys))
        }
        return found
    }

    /// Said under the tables when periods take in local times the clocks went back over.
    var repeatedHourNote: String? {
        guard !repeatedHours.isEmpty else { return nil }
        let spans = repeatedHours.map { PeriodUnit.localDateTime(localSeconds: $0.start) + " to " + PeriodUnit.localDateTime(localSeconds: $0.end - 1) }
        return "The clocks went back in \(timeZone), so local times from \(DisplayFormat.list(spans, shown: 3)) came twice: the periods over them "
            + "hold the contacts of both (up to twice their length of time), and are marked (twice)."
    }

    /// Whether period `key` reaches outside `coveredDays` (day-or-longer periods only: a 15-minute period's
    /// coverage cannot be told from the first and last arrival).
    func isPartial(_ key: Int64) -> Bool {
        guard let covered = coveredDays else { return false }
        switch period {
        case .fifteenMinutes, .thirtyMinutes, .hour: return false
        default: return period.firstLocalDay(key: key) < covered.lowerBound || period.lastLocalDay(key: key) > covered.upperBound
        }
    }

    /// The local days from the first to the last arrival of `ledger`'s sources in `zone`, within `from...to`.
    public static func coveredDays(ledger: Ledger, zone: TimeZoneRules, from: Int64?, to: Int64?) -> ClosedRange<Int64>? {
        guard let first = ledger.sources.compactMap(\.firstArrivalUTC).min(),
              let last = ledger.sources.compactMap(\.lastArrivalUTC).max() else { return nil }
        var low = floorDivide(first + zone.offsetSeconds(atUTC: first), 86_400)
        var high = floorDivide(last + zone.offsetSeconds(atUTC: last), 86_400)
        if let from { low = max(low, from) }
        if let to { high = min(high, to) }
        return low <= high ? low...high : nil
    }

    /// Said under the tables when a period is partial.
    var partialNote: String? {
        guard let covered = coveredDays, periodKeys.contains(where: isPartial) else { return nil }
        return "(partial): the inputs cover \(CivilDate(daysSinceEpoch: covered.lowerBound)) to \(CivilDate(daysSinceEpoch: covered.upperBound)), "
            + "so the periods marked hold only some of their days; compare them with whole periods with care."
    }

    /// Said under the tables when some contacts' exports give no outcome (`ContactCounters.outcomeUnknown`).
    var outcomeUnknownNote: String? {
        let unknown = cube.contacts.values.reduce(Int64(0)) { $0 + $1.counters.outcomeUnknown }
        guard unknown > 0 else { return nil }
        return "\(DisplayFormat.count(unknown)) \(unknown == 1 ? "contact comes" : "contacts come") from exports with no outcome or answer time "
            + "(outcome_unknown): counted as received, left out of abandonment and service levels, which are not measured where no contact has an outcome."
    }

    /// Said under the tables when some answered contacts of a channel have no answer time while others have one
    /// (`ContactCounters.answeredUntimed`): they count as answered, but the answer-time figures are of the others. A
    /// review's Cisco export lost 10% of its waits so, with nothing said. A channel with no answer time at all shows
    /// its answer times as not measured, which says it.
    var answeredUntimedNote: String? {
        var byChannel: [String: (answered: Int64, untimed: Int64)] = [:]
        for (key, cell) in zip(cube.contacts.keys, cube.contacts.values) where cell.counters.answered > 0 {  // untimed ones are of these
            byChannel[key.channel, default: (0, 0)].answered += cell.counters.answered
            byChannel[key.channel, default: (0, 0)].untimed += cell.counters.answeredUntimed
        }
        let untimed = byChannel.values.reduce(Int64(0)) { $0 + ($1.untimed < $1.answered ? $1.untimed : 0) }
        guard untimed > 0 else { return nil }
        return "\(DisplayFormat.count(untimed)) answered \(untimed == 1 ? "contact has" : "contacts have") no answer time (such as an empty answered_at, or "
            + "a date with no time of day) in channels where others have one: counted as answered, left out of answer times, their "
            + "percentiles and service levels."
    }

    /// Said under the tables when some contacts of a channel with categories come from exports with no category
    /// column (`ContactCounters.categoryNotGiven`): the top category's share is of the others.
    var categoryNotGivenNote: String? {
        // Of cells with categories, as JSON and CSV give the count beside them (elsewhere no share is worked out).
        let notGiven = cube.contacts.values.reduce(Int64(0)) { $0 + ($1.categories.isEmpty ? 0 : $1.counters.categoryNotGiven) }
        guard notGiven > 0 else { return nil }
        return "\(DisplayFormat.count(notGiven)) \(notGiven == 1 ? "contact comes" : "contacts come") from exports with no category column "
            + "(category_not_given): a category's share is of the contacts whose exports give categories."
    }

    /// The cube the figures come from.
    var sourceCube: Cube { cube }

    /// How many periods the report has.
    public var periodCount: Int { periodKeys.count }

    /// Whether any period has incidents (the incident table and members are shown).
    var hasIncidents: Bool { !cube.incidents.isEmpty }

    /// Whether the run read contacts: not when every input was an incidents file, whose report has no
    /// contact table (it showed "All contacts 0", where nothing was measured) and a `total_contacts` of null.
    var hasContacts: Bool {
        !cube.contacts.isEmpty || ledger.sources.isEmpty || ledger.sources.contains { $0.kind != .incidents }
    }

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
            var figures = PeriodFigures(label: period.label(key: key), start: period.start(key: key), end: period.end(key: key),
                                        contacts: contacts, incidents: cube.incidents[key], includeIncidents: hasIncidents, options: options)
            figures.isPartial = isPartial(key)
            figures.takesInARepeatedHour = repeatedHours.contains { $0.keys.contains(key) }
            try body(figures)
        }
    }
}
