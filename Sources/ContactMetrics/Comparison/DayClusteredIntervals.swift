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
        /// The calendar day (`daysSinceEpoch`): a day in two windows of a contrast (a window a year
        /// earlier overlapping the one compared) is one cluster, not two. nil: a day of its own.
        public var date: Int64?

        public init(n: Double, y: Double, q: Double, date: Int64? = nil) {
            self.n = n
            self.y = y
            self.q = q
            self.date = date
        }

        /// A rate's day: `trials` contacts of which `successes` count (a 0/1 value each).
        init(successes: Int64, trials: Int64) { self.init(n: Double(trials), y: Double(successes), q: Double(successes)) }

        /// A mean time's day: its count, sum and sum of squares.
        init(_ sample: ConfidenceIntervals.Sample) { self.init(n: sample.count, y: sample.sum, q: sample.sumOfSquares) }
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
        func window(_ days: [Day]) -> (ratio: Double, count: Double, perContact: Double) {
            let count = days.reduce(0) { $0 + $1.n }, total = days.reduce(0) { $0 + $1.y }
            let squares = days.reduce(0) { $0 + $1.q }
            let perContact = max(0, squares - total * total / count)  // Σ (value − R)² over contacts
            return (total / count, count, perContact)
        }
        let fitted = windows.map { (window($0.days), $0.weight) }
        // The sandwich's meat by calendar day: each day's weighted residual sums, over every window holding it.
        // (Summed in the order days first appear, so that the result does not depend on hashing.)
        var scores: [Double] = [], position: [Int64: Int] = [:]
        for ((stats, weight), window) in zip(fitted, windows) {
            for day in window.days {
                let score = weight * (day.y - stats.ratio * day.n) / stats.count
                if let date = day.date, let index = position[date] {
                    scores[index] += score
                } else {
                    if let date = day.date { position[date] = scores.count }
                    scores.append(score)
                }
            }
        }
        let clusters = Double(scores.count)
        let contacts = fitted.reduce(0) { $0 + $1.0.count }, parameters = Double(windows.count)
        guard clusters > 1, contacts > parameters else { return nil }
        // statsmodels' CR1 small-sample factor, one coefficient per window.
        let correction = clusters / (clusters - 1) * (contacts - 1) / (contacts - parameters)
        let variance = correction * scores.reduce(0) { $0 + $1 * $1 }
        let standardError = variance.squareRoot()
        let t = ConfidenceIntervals.studentTQuantile(probability: 1 - (1 - level) / 2, degreesOfFreedom: clusters - 1)
        let estimate = fitted.reduce(0) { $0 + $1.1 * $1.0.ratio }
        // The same contrast's variance were contacts independent: each window's own variance of a contact's
        // value over its contacts (as Newcombe's and Welch's intervals take each window's own).
        let independent = fitted.reduce(0) { sum, window in
            window.0.count > 1 ? sum + window.1 * window.1 * window.0.perContact / (window.0.count - 1) / window.0.count : sum
        }
        return Estimate(difference: estimate, standardError: standardError,
                        interval: ConfidenceInterval(lower: estimate - t * standardError, upper: estimate + t * standardError),
                        days: Int(clusters), designEffect: independent > 0 ? variance / independent : nil,
                        independentStandardError: independent.squareRoot())
    }
}
