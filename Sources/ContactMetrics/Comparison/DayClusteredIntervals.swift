/// Intervals that treat days, not calls, as the independent units.
///
/// A contact centre has good and bad days: on the real bank data of `../shared/data/` daily abandonment
/// varies 17–26 times more than independent calls would allow. An interval that treats every call as an
/// independent draw is then far too narrow, and "significant" is mostly noise. Here each measure of a
/// window is a ratio of per-day sums (abandoned ÷ offered, waits ÷ answered), and the variance of the
/// change comes from how those days scatter about the window's ratio: the cluster-robust (CR1)
/// sandwich of the regression `value ~ 1 + after` fitted to the individual contacts with days as
/// clusters, t with G − 1 degrees of freedom. It needs only per-day sums, so a store answers it, and it
/// reproduces statsmodels' `OLS(...).fit(cov_type="cluster", use_t=True)` (`ClusteredIntervalTests`).
public enum DayClusteredIntervals {
    /// One day's sums of one measure: `n` contacts in its denominator, `y` the sum of their values (the
    /// successes of a rate, the seconds of a mean time), `q` the sum of squared values (for a rate,
    /// `q == y`).
    public struct Day: Sendable, Equatable {
        public var n: Double
        public var y: Double
        public var q: Double

        public init(n: Double, y: Double, q: Double) {
            self.n = n
            self.y = y
            self.q = q
        }
    }

    /// The change `after − before` of a ratio measure with its interval.
    public struct Estimate: Sendable, Equatable {
        public var difference: Double
        public var standardError: Double
        public var interval: ConfidenceInterval
        /// Days with at least one contact in the measure, both windows together (the clusters).
        public var days: Int
        /// The variance of the change against what independent contacts would give (1 when days do not
        /// differ more than chance; the interval is √ of it times wider than a per-contact one).
        public var designEffect: Double?
        /// The standard error were contacts independent (the regression's ordinary one).
        public var independentStandardError: Double
    }

    /// The change between two windows of days, or nil when either window has fewer than two days with
    /// contacts in the measure (no day-to-day variation can be seen).
    public static func difference(before: [Day], after: [Day], level: Double = 0.95) -> Estimate? {
        contrast([(before, -1), (after, 1)], level: level)
    }

    /// Σ weight · ratio over windows of days (a difference in differences is four windows weighted
    /// −1, +1, +1, −1): the coefficient of the saturated regression with one mean per window, days as
    /// clusters. Nil when a window has fewer than two days with contacts in the measure.
    public static func contrast(_ windows: [(days: [Day], weight: Double)], level: Double = 0.95) -> Estimate? {
        let windows = windows.map { (days: $0.days.filter { $0.n > 0 }, weight: $0.weight) }
        guard !windows.isEmpty, windows.allSatisfy({ $0.days.count >= 2 }) else { return nil }
        func window(_ days: [Day]) -> (ratio: Double, count: Double, scatter: Double, perContact: Double) {
            let count = days.reduce(0) { $0 + $1.n }, total = days.reduce(0) { $0 + $1.y }
            let squares = days.reduce(0) { $0 + $1.q }
            let ratio = total / count
            // Σ_d (y_d − R·n_d)²: each day's residuals summed, then squared (the sandwich's meat).
            let scatter = days.reduce(0) { sum, day in let residual = day.y - ratio * day.n; return sum + residual * residual }
            let perContact = max(0, squares - total * total / count)  // Σ (value − R)² over contacts
            return (ratio, count, scatter, perContact)
        }
        let fitted = windows.map { (window($0.days), $0.weight) }
        let clusters = Double(windows.reduce(0) { $0 + $1.days.count })
        let contacts = fitted.reduce(0) { $0 + $1.0.count }, parameters = Double(windows.count)
        // statsmodels' CR1 small-sample factor, one coefficient per window.
        let correction = clusters / (clusters - 1) * (contacts - 1) / (contacts - parameters)
        let variance = correction * fitted.reduce(0) { $0 + $1.1 * $1.1 * $1.0.scatter / ($1.0.count * $1.0.count) }
        let standardError = variance.squareRoot()
        let t = ConfidenceIntervals.studentTQuantile(probability: 1 - (1 - level) / 2, degreesOfFreedom: clusters - 1)
        let estimate = fitted.reduce(0) { $0 + $1.1 * $1.0.ratio }
        // The same contrast's variance were contacts independent: pooled residual variance of the regression.
        let pooled = fitted.reduce(0) { $0 + $1.0.perContact } / (contacts - parameters)
        let independent = pooled * fitted.reduce(0) { $0 + $1.1 * $1.1 / $1.0.count }
        return Estimate(difference: estimate, standardError: standardError,
                        interval: ConfidenceInterval(lower: estimate - t * standardError, upper: estimate + t * standardError),
                        days: Int(clusters), designEffect: independent > 0 ? variance / independent : nil,
                        independentStandardError: independent.squareRoot())
    }
}
