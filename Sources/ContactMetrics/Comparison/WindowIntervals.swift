/// Each window's own value of a rate or mean time with a 95% interval over its days, for the whiskers of
/// the compare page's before-and-after bars (the intervals of the changes are in `changes`).
extension Comparison {
    /// The interval of `metric`'s value for `channel` in `side`, in the measure's display scale (rates in
    /// per cent, times in seconds): days as the units (CR1, t on days − 1), never narrower than were contacts
    /// independent. Nil for a measure without per-day sums or a window with fewer than two days of it.
    ///
    /// A rate's interval stays within 0–100% and covers the window's Wilson interval; a time's stays at or
    /// above 0 s. Symmetric about the value, a few days' interval printed "−498.1% to 631.4%", and a rate
    /// of 0 of 9 (no variation at all) "0.0% to 0.0%".
    public func windowInterval(_ metric: String, channel: String, side: WindowFigures) -> ConfidenceInterval? {
        guard let (sums, scale) = Self.dailySums(metric),
              let estimate = DayClusteredIntervals.contrast([(side.days(of: channel, sums), 1)]) else { return nil }
        let t = ConfidenceIntervals.studentTQuantile(probability: 0.975, degreesOfFreedom: Double(estimate.days - 1))
        let halfWidth = t * max(estimate.standardError, estimate.independentStandardError)
        var lower = max(0, (estimate.difference - halfWidth) * scale), upper = (estimate.difference + halfWidth) * scale
        if case .rate(let counts)? = MetricDefinition.named(metric)?.comparison?.change {
            upper = min(upper, 100)
            if let total = side.figures.channel(channel).flatMap(counts),
               let wilson = ConfidenceIntervals.wilson(successes: total.successes, trials: total.trials) {
                (lower, upper) = (min(lower, wilson.lower * 100), max(upper, wilson.upper * 100))
            }
        }
        return ConfidenceInterval(lower: lower, upper: upper)
    }
}
