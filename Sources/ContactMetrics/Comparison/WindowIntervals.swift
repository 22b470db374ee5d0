/// Each window's own value of a rate or mean time with a 95% interval over its days, for the whiskers of
/// the compare page's before-and-after bars (the intervals of the changes are in `changes`).
extension Comparison {
    /// The interval of `metric`'s value for `channel` in `side`, in the measure's display scale (rates in
    /// per cent, times in seconds): days as the units (CR1, t on days − 1), never narrower than were contacts
    /// independent. Nil for a measure without per-day sums or a window with fewer than two days of it.
    public func windowInterval(_ metric: String, channel: String, side: WindowFigures) -> ConfidenceInterval? {
        guard let (sums, scale) = Self.dailySums(metric),
              let estimate = DayClusteredIntervals.contrast([(side.days(of: channel, sums), 1)]) else { return nil }
        let t = ConfidenceIntervals.studentTQuantile(probability: 0.975, degreesOfFreedom: Double(estimate.days - 1))
        let halfWidth = t * max(estimate.standardError, estimate.independentStandardError)
        return ConfidenceInterval(lower: (estimate.difference - halfWidth) * scale, upper: (estimate.difference + halfWidth) * scale)
    }
}
