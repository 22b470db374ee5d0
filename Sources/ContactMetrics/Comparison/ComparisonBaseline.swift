/// `compare --baseline previous-year`: the same two windows 52 weeks earlier (so weekdays line up), and
/// each change set against the change over those windows: a difference in differences. Whatever moved
/// both years alike (the season, a change in how the year runs) drops out; what remains is the change
/// of this year over and above last year's.
extension Comparison {
    /// Days between a window and the same window a year earlier: 52 weeks, so a Monday maps to a Monday.
    public static let baselineShiftDays: Int64 = 364

    public struct Baseline: Sendable {
        public var before: WindowFigures
        public var after: WindowFigures
        /// One per change of the comparison that both years have: `before` is the change a year earlier,
        /// `after` this year's change, `change` their difference (for volumes, the ratio of the two
        /// relative changes less 1), with an interval where one is defined.
        public var differences: [Change]
        /// Whether volume differences were left out because a window has days with no contacts at all.
        public var volumesLeftOut = false
    }

    /// The window `window` 52 weeks earlier, labelled as such.
    public static func yearEarlier(_ window: ComparisonWindow) -> ComparisonWindow {
        ComparisonWindow(label: window.label + " a year earlier",
                         from: CivilDate(daysSinceEpoch: window.from.daysSinceEpoch - baselineShiftDays),
                         to: CivilDate(daysSinceEpoch: window.to.daysSinceEpoch - baselineShiftDays))
    }

    /// The per-day sums of a compared rate or mean time, or nil for other measures.
    static func dailySums(_ metric: String) -> ((ChannelMetrics) -> DayClusteredIntervals.Day?, scale: Double)? {
        guard let change = MetricDefinition.named(metric)?.comparison?.change else { return nil }
        switch change {
        case .rate(let counts):
            return ({ counts($0).map { .init(successes: $0.successes, trials: $0.trials) } }, 100)
        case .mean(let sample):
            return ({ sample($0).map(DayClusteredIntervals.Day.init) }, 1)
        case .difference:
            return nil
        }
    }

    static func baseline(current: [Change], before: WindowFigures, after: WindowFigures,
                         earlierBefore: WindowFigures, earlierAfter: WindowFigures, intervals: IntervalMethod) -> Baseline {
        // Only the values are needed from the earlier change: its own intervals are not computed.
        let earlier = Self.changes(earlierBefore, earlierAfter, intervals: .contacts)
        var percentileIntervals: [String: [ConfidenceInterval?]] = [:]
        var differences: [Change] = []
        // A day with no contacts at all in any of the four windows would read as a day without calls.
        let sides = [before, after, earlierBefore, earlierAfter]
        let volumesLeftOut = sides.contains { !$0.daysWithContacts.isEmpty && $0.daysWithContacts.count < Int($0.days) }
        for change in current {
            if change.kind == .relative && volumesLeftOut { continue }
            // A category's share is named as each pair of windows spells it most (`categoryName`): matched in any case.
            guard let then = earlier.first(where: { $0.metric.lowercased() == change.metric.lowercased() && $0.channel == change.channel }),
                  let now = change.change, let past = then.change else { continue }
            var difference = Change(metric: change.metric, channel: change.channel, before: past, after: now, kind: change.kind)
            difference.change = change.kind == .relative ? ((1 + now) / (1 + past) - 1) : now - past
            if let channel = change.channel {
                let sides = [(earlierAfter, -1.0), (earlierBefore, 1.0), (before, -1.0), (after, 1.0)]
                if let (sums, scale) = dailySums(change.metric),
                   let estimate = DayClusteredIntervals.contrast(sides.map { ($0.0.days(of: channel, sums), $0.1) }) {
                    // Over days, never narrower than were contacts independent (as for the changes).
                    let useDays = intervals == .days && estimate.standardError >= estimate.independentStandardError
                    let error = useDays ? estimate.standardError : estimate.independentStandardError
                    // Over days: t on days − 1; per contact: the normal quantile (thousands of contacts).
                    let t = useDays ? ConfidenceIntervals.studentTQuantile(probability: 0.975, degreesOfFreedom: Double(estimate.days - 1))
                                    : ConfidenceIntervals.z95
                    let centre = estimate.difference
                    difference.interval = ConfidenceInterval(lower: (centre - t * error) * scale, upper: (centre + t * error) * scale)
                    difference.intervalMethod = useDays ? .days : .contacts
                    difference.designEffect = intervals == .days ? estimate.designEffect : nil
                } else if intervals == .days, let position = resampledPercentiles.firstIndex(of: change.metric) {
                    if percentileIntervals[channel] == nil {
                        percentileIntervals[channel] = Self.percentileIntervals(
                            [(earlierAfter, -1), (earlierBefore, 1), (before, -1), (after, 1)], channel: channel)
                    }
                    difference.interval = percentileIntervals[channel]?[position]
                    if difference.interval != nil { difference.intervalMethod = .days }
                }
            }
            differences.append(difference)
        }
        return Baseline(before: earlierBefore, after: earlierAfter, differences: differences, volumesLeftOut: volumesLeftOut)
    }
}
