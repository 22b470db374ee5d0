/// Which way a measure moved, judged by its target: towards meeting it is better.
public enum Travel: String, Sendable {
    case better
    case worse
    case same = "no change"
    /// A comparison's change whose 95% interval includes zero: not more than chance would explain.
    case unclear = "no clear change"

    /// From `earlier` to `later` against `target` (nil when either is not measured); values that look the
    /// same as the tables show them (`1.2%` and `1.2%`) and have the same status are no change.
    static func between(_ earlier: Double?, _ later: Double?, target: Target) -> Travel? {
        guard let earlier, let later, earlier.isFinite, later.isFinite else { return nil }
        let unit = MetricUnit(metric: target.metric)
        if unit.display(earlier) == unit.display(later) && target.status(of: earlier) == target.status(of: later) { return .same }
        return target.shortfall(later) < target.shortfall(earlier) ? .better : .worse
    }
}

/// One period (or window) of one channel against one target.
public struct TargetCheck: Sendable, Equatable {
    /// The period's or window's label.
    public var period: String
    /// The period is only partly covered by the inputs (said as "(partial)" after the label in tables).
    public var isPartial = false
    public var displayPeriod: String { isPartial ? period + " (partial)" : period }
    public var start: String
    public var end: String
    public var target: Target
    /// The metric's value; nil when not measured.
    public var actual: Double?
    public var status: TargetStatus
    /// The value of the period before (or of the `before` window), and of the same period a year earlier.
    public var previous: Double?
    public var yearBefore: Double?

    /// How far the value misses the target (positive) or clears it (0 or negative); nil when not measured.
    public var gap: Double? { actual.map(target.shortfall) }
    public var vsPrevious: Travel?
    public var vsYearBefore: Travel?

    init(period: String, start: String, end: String, target: Target, actual: Double?, previous: Double?, yearBefore: Double?) {
        self.period = period
        self.start = start
        self.end = end
        self.target = target
        self.actual = actual
        self.status = target.status(of: actual)
        self.previous = previous
        self.yearBefore = yearBefore
        vsPrevious = Travel.between(previous, actual, target: target)
        vsYearBefore = Travel.between(yearBefore, actual, target: target)
    }
}

/// Every period's (or window's) standing against each target of a `TargetSet`, from the same figures the
/// tables show (nothing is recomputed here).
public struct TargetReview: Sendable, Equatable {
    public var targets: TargetSet
    /// In period order, then the targets' order.
    public var checks: [TargetCheck]
    /// What "previous" means here: "previous period" or the before window's label.
    public var previousLabel: String
    /// Channels a target names that no period of the data has (a misspelt channel reads as "not measured" throughout).
    public var unseenChannels: [String]
    /// Periods inside the report's span with no data at all (their checks are not measured).
    public var periodsWithoutData: [String] = []
    /// Targets whose metric no period of their channel could give.
    public var neverMeasured: [Target] = []
    /// The service level's name per channel, with its threshold.
    var serviceLevelNames: [String: String] = [:]
    /// Counts of partial periods were left unjudged.
    var partialCountsNotJudged: Bool { checks.contains { $0.isPartial && MetricUnit(metric: $0.target.metric) == .count } }
    /// A comparison's windows differ in the days they have data for (their lengths, in days): their counts were
    /// left unjudged, since a count over 28 days is not judged by the target a count over 7 days is.
    var unequalWindowDays: [Int64]?

    /// The value of `target`'s metric in `figures` (nil when not measured; a submission channel has only volumes).
    /// The answers in `target`'s answer-time band and the timed answers, when the band's share is measured.
    static func bandShareCounts(_ target: Target, in figures: PeriodFigures) -> (successes: Int64, trials: Int64)? {
        guard let metrics = figures.channel(target.channel), !metrics.isSubmission else { return nil }
        let waits = metrics.answerWaits
        switch target.metric {
        case MetricDefinition.answeredUnder10s.id where metrics.answeredUnder10sShare != nil:
            return (waits.count(below: 10), waits.count)
        case MetricDefinition.answered10To60s.id where metrics.answered10To60sShare != nil:
            return (waits.count(below: 60) - waits.count(below: 10), waits.count)
        case MetricDefinition.answered60sPlus.id where metrics.answered60sPlusShare != nil:
            return (waits.count - waits.count(below: 60), waits.count)
        default:
            return nil
        }
    }

    static func value(of target: Target, in figures: PeriodFigures) -> Double? {
        guard let metrics = figures.channel(target.channel), let definition = MetricDefinition.named(target.metric) else { return nil }
        if metrics.isSubmission && definition.id != MetricDefinition.received.id { return nil }
        switch definition.value(metrics) {
        case .integer(let value)?: return Double(value)
        case .number(let value)?: return value
        default: return nil
        }
    }

    /// The checks of a report: each period against each target, with the period before and the same
    /// period a year earlier (52 weeks for days and weeks) when the report has them. Every period from
    /// `fromDay` (else the first with data) to `toDay` (else the last) is checked: one without any data
    /// (a missing export) is not measured, never left out.
    /// - Parameter context: a report of the same unit holding the periods before `fromDay` (the one before
    ///   the first, and a year earlier), for the direction of travel of a report limited by `--from`.
    public init(report: Report, targets: TargetSet, fromDay: Int64? = nil, toDay: Int64? = nil, context: Report? = nil) {
        self.targets = targets
        previousLabel = "previous period"
        var values: [Int64: [Double?]] = [:]
        if let context {
            for (key, figures) in zip(context.periodKeys, context.periods) { values[key] = targets.targets.map { Self.value(of: $0, in: figures) } }
        }
        var periods: [(key: Int64, label: String, start: String, end: String, isPartial: Bool)] = []
        var partialKeys: Set<Int64> = []
        var seen: Set<String> = []
        let keys = report.periodKeys
        // The report's own periods, and its span, are what is judged; the context's only stand beside them.
        for key in values.keys where keys.first.map({ key >= $0 }) == true && keys.last.map({ key <= $0 }) == true { values[key] = nil }
        var index = 0
        report.forEachPeriod { figures in
            let key = keys[index]
            index += 1
            values[key] = targets.targets.map { Self.value(of: $0, in: figures) }
            periods.append((key, figures.label, figures.start, figures.end, figures.isPartial))
            if figures.isPartial { partialKeys.insert(key) }
            for channel in figures.channels { seen.insert(channel.channel) }
        }
        // The days or longer periods without data inside the span, in their place. (Not hours or quarter hours:
        // a quiet night has many without a contact, and the skipped hour of the spring clock change has none at all.)
        let unit = report.period
        var first = periods.first?.key, last = periods.last?.key
        if let fromDay { first = unit.key(localDay: fromDay) }
        if let toDay { last = unit.key(localDay: toDay) }
        periodsWithoutData = []
        if !unit.isSubDay, let first, let last, first <= last, last - first < 1_000_000 {
            let present = Set(periods.map(\.key))
            for key in first...last where !present.contains(key) {
                values[key] = nil
                periods.append((key, unit.label(key: key), unit.start(key: key), unit.end(key: key), false))
                periodsWithoutData.append(unit.label(key: key))
            }
            periods.sort { $0.key < $1.key }
            periods.removeAll { $0.key < first || $0.key > last }
        }
        var checks: [TargetCheck] = []
        checks.reserveCapacity(periods.count * targets.targets.count)
        for period in periods {
            let yearEarlier = report.period.yearEarlier(key: period.key)
            for (number, target) in targets.targets.enumerated() {
                var check = TargetCheck(period: period.label, start: period.start, end: period.end, target: target,
                                        actual: values[period.key]?[number] ?? nil, previous: values[period.key - 1]?[number] ?? nil,
                                        yearBefore: values[yearEarlier]?[number] ?? nil)
                check.isPartial = period.isPartial
                // A period only partly covered is not set against whole ones, nor its counts against a whole period's target.
                if period.isPartial || partialKeys.contains(period.key - 1) { check.vsPrevious = nil }
                if period.isPartial || partialKeys.contains(yearEarlier) { check.vsYearBefore = nil }
                if period.isPartial && MetricUnit(metric: target.metric) == .count { check.status = .notMeasured }
                checks.append(check)
            }
        }
        self.checks = checks
        unseenChannels = Self.unseen(targets, seen)
        neverMeasured = Self.neverMeasured(targets, checks, seen)
        serviceLevelNames = Self.serviceLevelNames(report.options)
    }

    /// The checks of a comparison: each window against each target; "previous" for the after window is the
    /// before window, and with `--baseline previous-year` each window has its year-earlier value.
    public init(comparison: Comparison, targets: TargetSet) {
        self.targets = targets
        previousLabel = comparison.before.window.label
        var checks: [TargetCheck] = []
        let windows = [(comparison.before, comparison.baseline?.before, nil as Comparison.WindowFigures?),
                       (comparison.after, comparison.baseline?.after, comparison.before)]
        let lengths = (comparison.before.coveredDays, comparison.after.coveredDays)
        if lengths.0 != lengths.1 { unequalWindowDays = [lengths.0, lengths.1] }
        for (window, yearEarlier, previous) in windows {
            for target in targets.targets {
                var check = TargetCheck(period: window.window.label, start: window.window.from.description, end: window.window.to.description,
                                        target: target, actual: Self.value(of: target, in: window.figures),
                                        previous: previous.flatMap { Self.value(of: target, in: $0.figures) },
                                        yearBefore: yearEarlier.flatMap { Self.value(of: target, in: $0.figures) })
                check.isPartial = window.isPartial
                if MetricUnit(metric: target.metric) == .count && (window.isPartial || lengths.0 != lengths.1) {
                    check.status = .notMeasured
                    check.vsPrevious = nil
                    check.vsYearBefore = nil
                }
                // Where the comparison gives the change an interval, a move within chance is not called better or
                // worse; an answer-time band's share gets its interval here (1 of 3 answered in 10 s against 1 of 2
                // was called better).
                if let previous, check.vsPrevious == .better || check.vsPrevious == .worse {
                    let change = comparison.changes.first { $0.metric == target.metric && $0.channel == target.channel }
                    let significant = change?.isSignificant ?? Self.bandShareCounts(target, in: previous.figures).flatMap { earlier in
                        Self.bandShareCounts(target, in: window.figures).flatMap {
                            ConfidenceIntervals.proportionDifference(before: earlier, after: $0)?.interval.excludesZero
                        }
                    }
                    if significant == false { check.vsPrevious = .unclear }
                }
                checks.append(check)
            }
        }
        self.checks = checks
        let seen = Set((comparison.before.figures.channels + comparison.after.figures.channels).map(\.channel))
        unseenChannels = Self.unseen(targets, seen)
        neverMeasured = Self.neverMeasured(targets, checks, seen)
        serviceLevelNames = Self.serviceLevelNames(comparison.options)
    }

    /// Targets of a channel that has data whose metric no period could give (a queue measure of a submission
    /// channel, wrap-up from exports without it): every one of their checks reads "not measured".
    private static func neverMeasured(_ targets: TargetSet, _ checks: [TargetCheck], _ seen: Set<String>) -> [Target] {
        targets.targets.filter { target in
            seen.contains(target.channel) && !checks.contains { $0.target == target && $0.actual != nil }
        }
    }

    /// "Service level (≤ 60 s)" for each channel with a threshold.
    private static func serviceLevelNames(_ options: MetricOptions) -> [String: String] {
        options.serviceLevelThresholds.mapValues { "Service level (\(options.serviceLevelBoundary == .le ? "≤" : "<") \($0) s)" }
    }

    private static func unseen(_ targets: TargetSet, _ seen: Set<String>) -> [String] {
        var result: [String] = []
        for target in targets.targets where !seen.contains(target.channel) && !result.contains(target.channel) { result.append(target.channel) }
        return result
    }

    /// The amber and red checks, worst first: red before amber, then the larger miss (relative to the target's
    /// size), then the later period.
    public var exceptions: [TargetCheck] {
        func relativeMiss(_ check: TargetCheck) -> Double { (check.gap ?? .infinity) / max(abs(check.target.bound.value), 1e-9) }
        return checks.enumerated().filter { $0.element.status == .amber || $0.element.status == .red }.sorted { left, right in
            if left.element.status != right.element.status { return left.element.status > right.element.status }
            let (l, r) = (relativeMiss(left.element), relativeMiss(right.element))
            if l != r { return l > r }
            return left.offset > right.offset
        }.map(\.element)
    }

    /// How many checks have each status.
    public var counts: [TargetStatus: Int] {
        var counts: [TargetStatus: Int] = [:]
        for check in checks { counts[check.status, default: 0] += 1 }
        return counts
    }

    /// The checks as bad as `status` or worse (red, or amber and red), for `--fail-on`.
    /// (Not measured ranks below amber, so it is never counted here.)
    public func failing(_ status: TargetStatus) -> Int { checks.filter { $0.status >= status }.count }

    /// How many checks have a value.
    public var measuredCount: Int { checks.filter { $0.actual != nil }.count }
}

extension Report {
    /// The days a report limited by `--from` needs beside its own to judge the direction of travel: the
    /// period before its first, and its span a year earlier (nil without `fromDay`).
    public func travelContextDays(fromDay: Int64?, toDay: Int64?) -> [ClosedRange<Int64>]? {
        guard let fromDay else { return nil }
        let unit = period
        let firstKey = unit.key(localDay: fromDay)
        let lastKey = toDay.map { unit.isSubDay ? unit.key(localDay: $0 + 1) - 1 : unit.key(localDay: $0) } ?? periodKeys.last ?? firstKey
        return [unit.firstLocalDay(key: firstKey - 1)...unit.lastLocalDay(key: firstKey - 1),
                unit.firstLocalDay(key: unit.yearEarlier(key: firstKey))...unit.lastLocalDay(key: unit.yearEarlier(key: max(firstKey, lastKey)))]
    }
}

extension PeriodUnit {
    /// The key of the same period a year earlier: the same month, quarter or year; 52 weeks earlier for
    /// weeks, days and shorter periods (so weekdays line up, as `compare --baseline` does).
    public func yearEarlier(key: Int64) -> Int64 {
        switch self {
        case .month: key - 12
        case .quarter: key - 4
        case .year, .financialYear: key - 1
        case .week: key - 52
        case .day: key - 364
        case .fifteenMinutes, .thirtyMinutes, .hour: key - 364 * 86_400 / subDaySeconds!
        }
    }
}
