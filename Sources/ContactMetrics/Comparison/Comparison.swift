/// A before/after comparison of two windows (`contact-metrics compare`, DESIGN §6).
public struct Comparison: Sendable {
    public var before: WindowFigures
    public var after: WindowFigures
    public var changes: [Change]
    /// The same windows a year earlier and the differences in differences (`--baseline previous-year`).
    public var baseline: Baseline?
    /// The interrupted time series across both windows (`--trend`), when asked for.
    public var trend: TrendAnalysis?
    /// Reasons to read the changes with care (weekday mix, missing days, large volume changes), in words.
    public var cautions: [String] = []
    public var timeZone: String
    public var ledger: Ledger
    public var options: MetricOptions
    /// What the intervals treat as independent (`--intervals`).
    public var intervals: IntervalMethod
    /// Each window against the `--targets`, when given.
    public var targetReview: TargetReview?
    /// The tool's version and when it ran (`contact-metrics 0.1.0 on 2020-06-01 at 02:00 UTC`), for the page's sources line.
    public var madeBy: String?

    /// What a confidence interval treats as the independent units.
    public enum IntervalMethod: String, Sendable, CaseIterable {
        /// Days (`DayClusteredIntervals`), never narrower than the `contacts` interval: the default.
        case days
        /// Every contact an independent draw (Newcombe's interval for rates, Welch's for mean times).
        case contacts
    }

    /// Below this many days in a window, intervals over days are said to be unreliable.
    public static let reliableDays = 14

    /// One window's figures, with its dates.
    public struct WindowFigures: Sendable {
        public var window: ComparisonWindow
        public var figures: PeriodFigures
        /// Each day's figures per channel, in date order (days without that channel's contacts left out).
        public var daily: [String: [ChannelMetrics]] = [:]
        /// The day (`daysSinceEpoch`) of each of `daily`'s figures.
        public var dailyDates: [String: [Int64]] = [:]
        /// The days (`daysSinceEpoch`) with at least one contact of any channel.
        public var daysWithContacts: Set<Int64> = []
        /// The days (`daysSinceEpoch`) with at least one incident.
        public var daysWithIncidents: Set<Int64> = []
        /// The window's days that the inputs cover (`Report.coveredDays`: from their first arrival to their
        /// last); nil when the inputs hold no arrival at all.
        public var coveredDayRange: ClosedRange<Int64>?

        public var days: Int64 { window.days }
        /// The days volumes are per day of: those the inputs cover. A window that runs past the end of the data
        /// (an export not yet there) would otherwise count its days without data as days without calls.
        /// Of those, only the days with contacts: days without any inside the inputs' span (an export missing) are
        /// not days without calls either (a review found −50% for −38% per day, with 11 of 61 days missing, where
        /// the help promised volumes per day when days with data differ).
        /// A window with no data at all covers none (it was said to cover all its days; a review).
        public var coveredDays: Int64 {
            if daysWithContacts.isEmpty { return hasIncidents ? spanDays : 0 }
            return min(spanDays, Int64(daysWithContacts.count))
        }
        /// The window's days from the inputs' first arrival to their last (`coveredDayRange`).
        public var spanDays: Int64 { coveredDayRange.map { $0.upperBound - $0.lowerBound + 1 } ?? days }
        /// The window's days that the incidents cover, where they are not the contacts' (`coveredDayRange`).
        public var incidentDayRange: ClosedRange<Int64>?
        /// The days incident counts are per day of.
        /// (Days with neither a contact nor an incident, inside the span, are not days with data either.)
        public var incidentDays: Int64 {
            guard let range = incidentDayRange else { return coveredDays }
            guard !daysWithContacts.isEmpty || !daysWithIncidents.isEmpty else { return range.upperBound - range.lowerBound + 1 }
            return max(1, Int64(range.count { daysWithContacts.contains($0) || daysWithIncidents.contains($0) }))
        }
        /// The inputs cover only some of the window's days, or none.
        public var isPartial: Bool { coveredDays < days && (spanDays < days || coveredDays == 0) }
        /// The window holds at least one incident.
        public var hasIncidents: Bool { (figures.incidents?.incidents ?? 0) > 0 }

        /// A measure's per-day sums of `channel`, each with its calendar day (a day shared with another window is one cluster).
        func days(of channel: String, _ sums: (ChannelMetrics) -> DayClusteredIntervals.Day?) -> [DayClusteredIntervals.Day] {
            zip(daily[channel] ?? [], dailyDates[channel] ?? []).compactMap { metrics, date in
                sums(metrics).map { var day = $0; day.date = date; return day }
            }
        }

        /// Each day's waits of `channel` (those its percentiles are of), for resampling days.
        func waits(of channel: String) -> DayBootstrap.Days { (daily[channel] ?? []).map(\.percentileWaits.entries) }
    }

    /// The answer-time percentiles that get intervals by resampling days, and their quantiles in that order.
    static let resampledPercentiles = [MetricDefinition.answerP50.id, MetricDefinition.answerP90.id, MetricDefinition.answerP95.id]
    static let resampledQuantiles = [0.50, 0.90, 0.95]

    /// The interval of each resampled percentile's contrast over `windows` (weights ±1), all from one set of draws.
    static func percentileIntervals(_ windows: [(side: WindowFigures, weight: Int64)], channel: String) -> [ConfidenceInterval?] {
        DayBootstrap.percentileContrasts(windows.map { ($0.side.waits(of: channel), $0.weight) }, quantiles: resampledQuantiles,
                                         dates: windows.map { $0.side.dailyDates[channel] ?? [] })
    }

    /// How a change is expressed.
    public enum ChangeKind: String, Sendable {
        /// after ÷ before − 1 (volumes; per day when the windows have data for different numbers of days)
        case relative
        /// after − before, in percentage points (rates)
        case percentagePoints = "percentage_points"
        /// after − before, in seconds (times)
        case seconds
    }

    /// The change of one metric, with a 95% confidence interval where one is defined
    /// (Newcombe's hybrid score interval for rates, Welch's for mean times).
    public struct Change: Sendable {
        public var metric: String
        public var channel: String?
        public var before: Double?
        public var after: Double?
        public var kind: ChangeKind
        /// In the kind's unit: a fraction for `relative`, points (0–100 scale) for rates, seconds.
        public var change: Double?
        public var interval: ConfidenceInterval?
        /// What `interval` treats as independent: `days` unless asked otherwise, or unless the contacts'
        /// interval is the wider (days scattering less than contacts would).
        public var intervalMethod: IntervalMethod?
        /// The variance of the change over days against that of independent contacts (`days` only).
        public var designEffect: Double?
        /// A volume's change of its daily rates (the windows have data for different numbers of days), so
        /// `after ÷ before − 1` of the totals it sits beside is not it.
        public var isPerDay = false

        public var isSignificant: Bool? { interval?.excludesZero }
    }

    /// Builds the comparison from a cube at `.local(.day)` grain.
    /// - Parameters:
    ///   - coverage: the days the inputs cover (`Report.coveredDays`; the contacts' where there are contacts); nil:
    ///     every window's days.
    ///   - incidentCoverage: the days the incidents cover, when they are not `coverage`.
    public init(cube: Cube, before: ComparisonWindow, after: ComparisonWindow, timeZone: String, ledger: Ledger, options: MetricOptions,
                intervals: IntervalMethod = .days, previousYear: Bool = false, coverage: ClosedRange<Int64>? = nil,
                incidentCoverage: ClosedRange<Int64>? = nil) {
        precondition(cube.grain == .local(.day), "compare needs a cube of local days")
        self.timeZone = timeZone
        self.ledger = ledger
        self.intervals = intervals
        let options = options.allowed(by: ledger)
        self.options = options
        let includeIncidents = !cube.incidents.isEmpty
        func figures(_ window: ComparisonWindow) -> WindowFigures {
            let days = window.dayRange
            let rolled = cube.rolledUp(to: .local(.day)) { days.contains($0) ? 0 : nil }
            var contacts: [String: ContactCell] = [:]
            for (key, cell) in rolled.contacts { contacts[key.channel] = cell }
            let figures = PeriodFigures(label: window.label, start: window.from.description, end: window.to.description,
                                        contacts: contacts, incidents: rolled.incidents[0],
                                        includeIncidents: includeIncidents, options: options)
            var result = WindowFigures(window: window, figures: figures)
            func within(_ coverage: ClosedRange<Int64>) -> ClosedRange<Int64>? {
                let low = max(coverage.lowerBound, days.lowerBound), high = min(coverage.upperBound, days.upperBound)
                return low <= high ? low...high : nil
            }
            if let coverage { result.coveredDayRange = within(coverage) }
            // Incidents per day over their own days: a contacts export that ended early halved them.
            if let incidentCoverage { result.incidentDayRange = within(incidentCoverage) ?? result.coveredDayRange }
            for (key, cell) in cube.contacts where days.contains(key.period) {
                result.daily[key.channel, default: []].append(ChannelMetrics(channel: key.channel, cell: cell, options: options))
                result.dailyDates[key.channel, default: []].append(key.period)
                if cell.counters.received > 0 { result.daysWithContacts.insert(key.period) }
            }
            for (day, cell) in cube.incidents where days.contains(day) && cell.counters[.incidents] > 0 { result.daysWithIncidents.insert(day) }
            return result
        }
        self.before = figures(before)
        self.after = figures(after)
        changes = Self.changes(self.before, self.after, intervals: intervals)
        if previousYear {
            baseline = Self.baseline(current: changes, before: self.before, after: self.after,
                                     earlierBefore: figures(Self.yearEarlier(before)), earlierAfter: figures(Self.yearEarlier(after)),
                                     intervals: intervals)
        }
        // Windows that share days: every interval takes them as separate days, so none holds; none is given
        // (they were, with significance marks and "more than chance would explain", beside a caution saying so).
        if before.dayRange.overlaps(after.dayRange) {
            Self.withoutIntervals(&changes)
            if baseline != nil { Self.withoutIntervals(&baseline!.differences) }
        }
        cautions = Self.cautions(self.before, self.after, changes: changes, baseline: baseline)
    }

    private static func withoutIntervals(_ changes: inout [Change]) {
        for index in changes.indices {
            changes[index].interval = nil
            changes[index].intervalMethod = nil
            changes[index].designEffect = nil
        }
    }

    /// The relative change of a volume from `before` to `after`: per day over the days each window covers
    /// when they cover different numbers of days (incidents over their own days).
    static func volumeChange(_ metric: String, _ channel: String?, before: WindowFigures, after: WindowFigures,
                             _ beforeValue: Int64?, _ afterValue: Int64?, ofIncidents: Bool = false) -> Change {
        let (beforeDays, afterDays) = ofIncidents ? (before.incidentDays, after.incidentDays) : (before.coveredDays, after.coveredDays)
        let perDay = beforeDays != afterDays
        var change = Change(metric: metric, channel: channel, before: beforeValue.map(Double.init), after: afterValue.map(Double.init),
                            kind: .relative)
        // A window without a contact on any day has no data (its exports are missing), not a fall to zero;
        // for incidents, one without an incident (inputs of incidents alone have no contacts at all).
        // A channel with no contact in one window (its export not given, or a channel added or dropped) is not a
        // change of −100% or from nothing ("101 contacts: 100% fewer" was said of a missing export; a caution says which).
        let bothHaveData = ofIncidents ? before.hasIncidents && after.hasIncidents
            : !before.daysWithContacts.isEmpty && !after.daysWithContacts.isEmpty
                && channel.map { before.daily[$0] != nil && after.daily[$0] != nil } ?? true
        if let beforeValue, let afterValue, beforeValue > 0, bothHaveData {
            let beforeRate = Double(beforeValue) / Double(perDay ? beforeDays : 1)
            let afterRate = Double(afterValue) / Double(perDay ? afterDays : 1)
            change.change = afterRate / beforeRate - 1
            change.isPerDay = perDay
        }
        return change
    }

    static func changes(_ before: WindowFigures, _ after: WindowFigures, intervals: IntervalMethod) -> [Change] {
        func volume(_ metric: String, _ channel: String?, _ beforeValue: Int64?, _ afterValue: Int64?, ofIncidents: Bool = false) -> Change {
            volumeChange(metric, channel, before: before, after: after, beforeValue, afterValue, ofIncidents: ofIncidents)
        }
        /// Replaces the per-contact interval by the one over days, unless it is the narrower (in `scale`).
        func overDays(_ change: inout Change, _ channel: String?, scale: Double, _ sums: (ChannelMetrics) -> DayClusteredIntervals.Day?) {
            guard intervals == .days, let channel, change.interval != nil,
                  let estimate = DayClusteredIntervals.difference(before: before.days(of: channel, sums), after: after.days(of: channel, sums))
            else { return }
            change.designEffect = estimate.designEffect
            // Whichever is wider: days that scatter less than contacts would do not make the change surer.
            let overDays = ConfidenceInterval(lower: estimate.interval.lower * scale, upper: estimate.interval.upper * scale)
            if let perContact = change.interval, overDays.upper - overDays.lower >= perContact.upper - perContact.lower {
                change.interval = overDays
                change.intervalMethod = .days
            }
        }
        func rate(_ metric: String, _ channel: String?, _ counts: (ChannelMetrics) -> (successes: Int64, trials: Int64)?) -> Change {
            let beforeCounts = channel.flatMap { before.figures.channel($0) }.flatMap(counts).map { ($0.successes, $0.trials) }
            let afterCounts = channel.flatMap { after.figures.channel($0) }.flatMap(counts).map { ($0.successes, $0.trials) }
            let beforeRate = beforeCounts.flatMap { $0.1 > 0 ? Double($0.0) / Double($0.1) : nil }
            let afterRate = afterCounts.flatMap { $0.1 > 0 ? Double($0.0) / Double($0.1) : nil }
            var change = Change(metric: metric, channel: channel, before: beforeRate, after: afterRate, kind: .percentagePoints)
            if let beforeRate, let afterRate { change.change = (afterRate - beforeRate) * 100 }
            if let beforeCounts, let afterCounts,
               let estimate = ConfidenceIntervals.proportionDifference(before: beforeCounts, after: afterCounts) {
                change.interval = ConfidenceInterval(lower: estimate.interval.lower * 100, upper: estimate.interval.upper * 100)
                change.intervalMethod = .contacts
            }
            overDays(&change, channel, scale: 100) { counts($0).map { .init(successes: $0.successes, trials: $0.trials) } }
            // Two rates differ by 100 points at most: a wide interval (a few days, a few contacts) printed
            // [−124.6, +58.0]. Clipping leaves whether it excludes zero as it was.
            if let interval = change.interval {
                change.interval = ConfidenceInterval(lower: max(interval.lower, -100), upper: min(interval.upper, 100))
            }
            return change
        }
        func mean(_ metric: String, _ channel: String?, _ sample: (ChannelMetrics) -> ConfidenceIntervals.Sample?) -> Change {
            let beforeSample = channel.flatMap { before.figures.channel($0) }.flatMap(sample)
            let afterSample = channel.flatMap { after.figures.channel($0) }.flatMap(sample)
            let beforeMean = beforeSample.flatMap { $0.count > 0 ? $0.mean : nil }
            let afterMean = afterSample.flatMap { $0.count > 0 ? $0.mean : nil }
            var change = Change(metric: metric, channel: channel, before: beforeMean, after: afterMean, kind: .seconds)
            if let beforeMean, let afterMean { change.change = afterMean - beforeMean }
            if let beforeSample, let afterSample, let estimate = ConfidenceIntervals.meanDifference(before: beforeSample, after: afterSample) {
                change.interval = estimate.interval
                change.intervalMethod = .contacts
            }
            overDays(&change, channel, scale: 1) { sample($0).map(DayClusteredIntervals.Day.init) }
            return change
        }
        // Answer-time percentiles get intervals by resampling days (`DayBootstrap`), all three from one
        // set of draws per channel.
        var percentileIntervals: [String: [ConfidenceInterval?]] = [:]
        func percentileInterval(_ metric: String, _ channel: String) -> ConfidenceInterval? {
            guard intervals == .days, let position = resampledPercentiles.firstIndex(of: metric) else { return nil }
            if percentileIntervals[channel] == nil {
                percentileIntervals[channel] = Self.percentileIntervals([(before, -1), (after, 1)], channel: channel)
            }
            return percentileIntervals[channel]?[position]
        }
        func difference(_ metric: String, _ channel: String, _ value: (ChannelMetrics) -> Double?) -> Change {
            let beforeValue = before.figures.channel(channel).flatMap(value), afterValue = after.figures.channel(channel).flatMap(value)
            var change = Change(metric: metric, channel: channel, before: beforeValue, after: afterValue, kind: .seconds)
            if let beforeValue, let afterValue {
                change.change = afterValue - beforeValue
                change.interval = percentileInterval(metric, channel)
                if change.interval != nil { change.intervalMethod = .days }
            }
            return change
        }

        var changes: [Change] = []
        let channels = channelDisplayOrder(before.figures.channels.map(\.channel) + after.figures.channels.map(\.channel))
        // Not measured where the table says "No data": a window without a contact, or a channel with none in it
        // that the other window has (JSON and CSV gave 0, read as a measured nought).
        func received(_ side: WindowFigures, _ channel: String) -> Int64? {
            side.daysWithContacts.isEmpty ? nil : side.figures.channel(channel)?.received
        }
        for channel in channels {
            changes.append(volume(MetricDefinition.received.id, channel, received(before, channel), received(after, channel)))
        }
        changes.append(volume("total_contacts", nil, before.daysWithContacts.isEmpty ? nil : before.figures.totalContacts,
                              after.daysWithContacts.isEmpty ? nil : after.figures.totalContacts))
        if let beforeIncidents = before.figures.incidents, let afterIncidents = after.figures.incidents {
            changes.append(volume("incidents", nil, beforeIncidents.incidents, afterIncidents.incidents, ofIncidents: true))
            changes.append(volume("deployed", nil, beforeIncidents.deployed, afterIncidents.deployed, ofIncidents: true))
            changes.append(volume("referred", nil, beforeIncidents.referred, afterIncidents.referred, ofIncidents: true))
        }
        for channel in channels {
            let beforeMetrics = before.figures.channel(channel), afterMetrics = after.figures.channel(channel)
            if (beforeMetrics ?? afterMetrics)?.isSubmission == true {
                if let leading = leadingCategory(afterMetrics) ?? leadingCategory(beforeMetrics) {
                    let category = Self.categoryName(leading, in: [beforeMetrics, afterMetrics])
                    changes.append(rate("category_share:\(category)", channel) { metrics in
                        metrics.categories.isEmpty || metrics.categorised <= 0 ? nil : (Self.categoryCount(metrics, category), metrics.categorised)
                    })
                }
                continue
            }
            for metric in MetricDefinition.compared {
                switch metric.comparison?.change {
                case .rate(let counts)?:
                    changes.append(rate(metric.id, channel, counts))
                case .mean(let sample)?:
                    changes.append(mean(metric.id, channel, sample))
                case .difference?:
                    changes.append(difference(metric.id, channel) { metric.value($0)?.doubleValue })
                case nil:
                    continue
                }
            }
        }
        // Waits timed to the minute (times without seconds) in either window: a change in their times has no
        // interval. Their intervals assume waits measured to the second; a review found a 90th percentile of 01:00
        // for a true 00:18, its change "−44 s [−44.0, −44.0] *", and "more than chance would explain" in words.
        for index in changes.indices where changes[index].kind == .seconds && !changes[index].metric.contains("handle") {
            guard let channel = changes[index].channel,
                  before.figures.channel(channel)?.waitsInWholeMinutes == true || after.figures.channel(channel)?.waitsInWholeMinutes == true else { continue }
            changes[index].interval = nil
            changes[index].intervalMethod = nil
            changes[index].designEffect = nil
        }
        return changes
    }

    /// The category most of `metrics`' contacts have, its spellings taken together whatever their case, named
    /// as most of them spell it (ties: the first in string order). Categories are typed by hand: counted
    /// apart, `covid`, `Covid` and `COVID` split the headline's "of which" share three ways.
    static func leadingCategory(_ metrics: ChannelMetrics?) -> String? {
        guard let metrics else { return nil }
        return CategorySpellings.leading(metrics.categories)?.name
    }

    /// The name of `category` across `metrics` (both windows): of its spellings that differ only in case, the
    /// one most contacts have (ties: the first in string order), so that one category has one name in the
    /// headline, the detail table and the note, whichever window led with it.
    static func categoryName(_ category: String, in metrics: [ChannelMetrics?]) -> String {
        let key = category.lowercased()
        var counts: [String: Int64] = [:]
        for categories in metrics.compactMap({ $0?.categories }) {
            for (label, count) in categories where label.lowercased() == key { counts[label, default: 0] += count }
        }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? category
    }

    /// The contacts of `metrics` in `category` in any of its spellings that differ only in case.
    static func categoryCount(_ metrics: ChannelMetrics, _ category: String) -> Int64 {
        let key = category.lowercased()
        return metrics.categories.reduce(0) { $0 + ($1.key.lowercased() == key ? $1.value : 0) }
    }

    /// The leading category of each submission channel whose spellings in the two windows differ only in
    /// case, with those spellings, when there is more than one.
    var leadingCategorySpellings: [(category: String, spellings: [String])] {
        let submission = Set((before.figures.channels + after.figures.channels).filter(\.isSubmission).map(\.channel))
        return submission.sorted().compactMap { channel in
            guard let leading = Self.leadingCategory(after.figures.channel(channel)) ?? Self.leadingCategory(before.figures.channel(channel)) else { return nil }
            let category = Self.categoryName(leading, in: [before.figures.channel(channel), after.figures.channel(channel)])
            let key = category.lowercased()
            let spellings = Set([before, after].flatMap { $0.figures.channel(channel).map { $0.categories.map(\.key).filter { $0.lowercased() == key } } ?? [] })
            return spellings.count > 1 ? (category, spellings.sorted()) : nil
        }
    }

    public func change(_ metric: String, channel: String? = nil) -> Change? {
        changes.first { $0.metric == metric && $0.channel == channel }
    }
}
