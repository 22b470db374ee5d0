/// `compare --trend`: an interrupted time series over every day from the first window's start to the
/// second's end. Each measure's daily series is fitted with a level and trend, weekday effects, a level
/// change and a trend change at the change date, and a level change at each further break
/// (`--event "Lockdown=2020-03-23"`), with Newey–West intervals (`SegmentedRegression`). Where a
/// before/after difference mixes the change with the season and the year's trend, this separates the
/// step at the change from the drift that was already under way.
public struct TrendAnalysis: Sendable {
    /// A further break: a level change from its date on.
    public struct Event: Sendable, Equatable {
        public var label: String
        public var date: CivilDate

        public init(label: String, date: CivilDate) {
            self.label = label
            self.date = date
        }

        /// `LABEL=YYYY-MM-DD`, or nil.
        public init?(parsing text: String) {
            let parts = text.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].trimmingCharacters(in: .whitespaces).isEmpty,
                  let date = CivilDate(parsing: parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
            self.init(label: parts[0].trimmingCharacters(in: .whitespaces), date: date)
        }
    }

    /// An estimate with its 95% interval.
    public struct Estimate: Sendable, Equatable {
        public var value: Double
        public var interval: ConfidenceInterval
    }

    /// One measure of one channel.
    public struct Fit: Sendable {
        public var metric: String
        public var channel: String
        /// Days with a value (a day with no contacts at all is left out, not read as zero).
        public var days: Int
        /// The fitted level on the change date had nothing changed, averaged over the weekdays.
        public var levelBefore: Double
        public var trendBeforePer30Days: Estimate
        public var levelChange: Estimate
        public var trendChangePer30Days: Estimate
        /// A level change per `TrendAnalysis.events`, in order.
        public var eventChanges: [Estimate]
        public var lag: Int
    }

    /// One day of one channel's series, as `--series` writes it.
    public struct Day: Sendable {
        public var date: CivilDate
        public var channel: String
        public var received: Int64
        public var abandonRate: Double?
        public var asaSeconds: Double?
        public var serviceLevel: Double?
    }

    /// The measures fitted, with how a day's value is read and how it is shown (rates in points).
    static let measures: [(metric: String, queueOnly: Bool, value: @Sendable (Day) -> Double?)] = [
        (MetricDefinition.received.id, false, { Double($0.received) }),
        (MetricDefinition.abandonRate.id, true, { $0.abandonRate.map { $0 * 100 } }),
        (MetricDefinition.asa.id, true, { $0.asaSeconds }),
        (MetricDefinition.serviceLevel.id, true, { $0.serviceLevel.map { $0 * 100 } }),
    ]

    public var changeDate: CivilDate
    public var from: CivilDate
    public var to: CivilDate
    public var events: [Event]
    public var fits: [Fit] = []
    public var series: [Day] = []
    /// Days of `from...to` with at least one contact.
    public var daysWithContacts = 0
    /// Why nothing, or not every measure, was fitted (in words), if so.
    public var problems: [String] = []
    /// Per queue with contacts of unknown outcome in the days fitted, what the windows' cautions say of a
    /// window (`Comparison.outcomeUnknownCaution`): the days between the windows are fitted too.
    public var cautions: [String] = []

    /// Below this share of the span's days with contacts, no trend is fitted: it would be drawn across a gap.
    public static let coveredShare = 0.9

    /// Fits every measure of every channel in the cube (a `.local(.day)` cube holding every day of `from...to`).
    public init(cube: Cube, from: CivilDate, to: CivilDate, changeDate: CivilDate, events: [Event], options: MetricOptions) {
        self.changeDate = changeDate
        self.from = from
        self.to = to
        self.events = events
        let span = from.daysSinceEpoch...to.daysSinceEpoch
        var contactDays = Set<Int64>()
        var channels: [String: [Int64: ChannelMetrics]] = [:]
        var outcomeUnknown: [String: (unknown: Int64, received: Int64)] = [:]
        for (key, cell) in cube.contacts where span.contains(key.period) {
            if cell.counters.received > 0 { contactDays.insert(key.period) }
            channels[key.channel, default: [:]][key.period] = ChannelMetrics(channel: key.channel, cell: cell, options: options)
            outcomeUnknown[key.channel, default: (0, 0)].unknown += cell.counters.outcomeUnknown
            outcomeUnknown[key.channel, default: (0, 0)].received += cell.counters.received
        }
        for channel in channelDisplayOrder(Array(outcomeUnknown.keys)) where !options.submissionChannels.contains(channel) {
            guard let counts = outcomeUnknown[channel], counts.unknown > 0 else { continue }
            cautions.append(Comparison.outcomeUnknownCaution(channel: channel, unknown: counts.unknown, received: counts.received,
                                                             of: "the days the trend fits (\(from)..\(to))", rates: "their daily"))
        }
        daysWithContacts = contactDays.count
        let spanDays = Int(span.upperBound - span.lowerBound + 1)
        guard Double(daysWithContacts) >= Self.coveredShare * Double(spanDays) else {
            problems.append("No trend is fitted: only \(daysWithContacts) of the \(spanDays) days from \(from) to \(to) have contacts, "
                            + "and a trend across the missing days would be invented (--trend needs the days between the windows too).")
            return
        }
        for channel in channelDisplayOrder(Array(channels.keys)) {
            let byDay = channels[channel]!
            let isSubmission = options.submissionChannels.contains(channel)
            var days: [Day] = []
            for day in span where contactDays.contains(day) {
                let metrics = byDay[day]
                days.append(Day(date: CivilDate(daysSinceEpoch: day), channel: channel, received: metrics?.received ?? 0,
                                abandonRate: isSubmission ? nil : metrics?.abandonRate, asaSeconds: isSubmission ? nil : metrics?.asaSeconds,
                                serviceLevel: isSubmission ? nil : metrics?.serviceLevel))
            }
            series += days
            for measure in Self.measures where !(measure.queueOnly && isSubmission) {
                if let fit = fit(days, metric: measure.metric, channel: channel, value: measure.value) {
                    fits.append(fit)
                } else if days.contains(where: { measure.value($0) != nil }) {
                    problems.append("\(Self.title(measure.metric)) of \(channel) could not be fitted: too few days with a value on one "
                                    + "side of a break, or a break that no day separates from another.")
                }
            }
        }
    }

    private func fit(_ days: [Day], metric: String, channel: String, value: (Day) -> Double?) -> Fit? {
        let change = Double(changeDate.daysSinceEpoch - from.daysSinceEpoch)
        var rows: [[Double]] = [], ys: [Double] = []
        for day in days {
            guard let y = value(day) else { continue }
            let t = Double(day.date.daysSinceEpoch - from.daysSinceEpoch)
            let weekday = day.date.isoWeekday  // Monday is the base
            let after: Double = t >= change ? 1 : 0
            var row = [1, t] + (2...7).map { weekday == $0 ? 1.0 : 0.0 } + [after, (t - change) * after]
            for event in events { row.append(day.date.daysSinceEpoch >= event.date.daysSinceEpoch ? 1 : 0) }
            rows.append(row)
            ys.append(y)
        }
        guard let regression = SegmentedRegression(rows: rows, y: ys) else { return nil }
        func estimate(_ index: Int, scale: Double = 1) -> Estimate {
            let interval = regression.interval(index)
            return Estimate(value: regression.coefficients[index] * scale,
                            interval: ConfidenceInterval(lower: interval.lower * scale, upper: interval.upper * scale))
        }
        let beta = regression.coefficients
        // Level on the change date without the change: intercept, trend, the mean weekday effect (Monday 0),
        // and the breaks already in force.
        var levelBefore = beta[0] + beta[1] * change + beta[2...7].reduce(0, +) / 7
        for (offset, event) in events.enumerated() where event.date.daysSinceEpoch <= changeDate.daysSinceEpoch {
            levelBefore += beta[10 + offset]
        }
        return Fit(metric: metric, channel: channel, days: rows.count, levelBefore: levelBefore,
                   trendBeforePer30Days: estimate(1, scale: 30), levelChange: estimate(8), trendChangePer30Days: estimate(9, scale: 30),
                   eventChanges: events.indices.map { estimate(10 + $0) }, lag: regression.lag)
    }
}
