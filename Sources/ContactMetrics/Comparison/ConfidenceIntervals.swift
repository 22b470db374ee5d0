import Foundation

/// A two-sided confidence interval.
public struct ConfidenceInterval: Sendable, Equatable {
    public var lower: Double
    public var upper: Double

    /// Whether the interval excludes zero (the change is significant at its level).
    public var excludesZero: Bool { lower > 0 || upper < 0 }
}

/// Interval estimates for the changes `compare` reports (95% unless stated).
public enum ConfidenceIntervals {
    /// z for a two-sided 95% interval.
    public static let z95 = 1.959963984540054

    /// Wilson's score interval for a proportion `successes / trials` (Wilson 1927); nil when trials = 0.
    public static func wilson(successes: Int64, trials: Int64, z: Double = z95) -> ConfidenceInterval? {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        let n = Double(trials), p = Double(successes) / n, z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let halfWidth = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return ConfidenceInterval(lower: max(0, centre - halfWidth), upper: min(1, centre + halfWidth))
    }

    /// The difference `after − before` of two independent proportions with Newcombe's hybrid score
    /// interval (Newcombe 1998, method 10), built from the two Wilson intervals.
    public static func proportionDifference(
        before: (successes: Int64, trials: Int64), after: (successes: Int64, trials: Int64), z: Double = z95
    ) -> (difference: Double, interval: ConfidenceInterval)? {
        guard let beforeInterval = wilson(successes: before.successes, trials: before.trials, z: z),
              let afterInterval = wilson(successes: after.successes, trials: after.trials, z: z) else { return nil }
        let p1 = Double(after.successes) / Double(after.trials), p2 = Double(before.successes) / Double(before.trials)
        let difference = p1 - p2
        let below = ((p1 - afterInterval.lower) * (p1 - afterInterval.lower) + (beforeInterval.upper - p2) * (beforeInterval.upper - p2)).squareRoot()
        let above = ((afterInterval.upper - p1) * (afterInterval.upper - p1) + (p2 - beforeInterval.lower) * (p2 - beforeInterval.lower)).squareRoot()
        return (difference, ConfidenceInterval(lower: difference - below, upper: difference + above))
    }

    /// A sample summarised by its count, sum and sum of squares.
    public struct Sample: Sendable, Equatable {
        public var count: Double
        public var sum: Double
        public var sumOfSquares: Double

        public init(count: Double, sum: Double, sumOfSquares: Double) {
            self.count = count
            self.sum = sum
            self.sumOfSquares = sumOfSquares
        }

        public var mean: Double { sum / count }
        /// Unbiased variance (n − 1).
        public var variance: Double { max(0, (sumOfSquares - sum * sum / count) / (count - 1)) }
    }

    /// The difference `after − before` of two means with Welch's interval (unequal variances,
    /// Welch–Satterthwaite degrees of freedom); nil when a sample has fewer than two values or both
    /// variances are zero.
    public static func meanDifference(before: Sample, after: Sample, level: Double = 0.95)
        -> (difference: Double, interval: ConfidenceInterval, degreesOfFreedom: Double)? {
        guard before.count >= 2, after.count >= 2 else { return nil }
        let a = after.variance / after.count, b = before.variance / before.count
        guard a + b > 0 else { return nil }
        let standardError = (a + b).squareRoot()
        let degreesOfFreedom = (a + b) * (a + b) / (a * a / (after.count - 1) + b * b / (before.count - 1))
        let t = studentTQuantile(probability: 1 - (1 - level) / 2, degreesOfFreedom: degreesOfFreedom)
        let difference = after.mean - before.mean
        return (difference, ConfidenceInterval(lower: difference - t * standardError, upper: difference + t * standardError), degreesOfFreedom)
    }

    /// The quantile of Student's t distribution (p > 0.5), by bisection on its exact CDF.
    public static func studentTQuantile(probability: Double, degreesOfFreedom: Double) -> Double {
        precondition(probability > 0.5 && probability < 1 && degreesOfFreedom > 0)
        var low = 0.0, high = 1.0
        while studentTDistribution(high, degreesOfFreedom) < probability { high *= 2 }
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if studentTDistribution(middle, degreesOfFreedom) < probability { low = middle } else { high = middle }
            if high - low < 1e-12 { break }
        }
        return (low + high) / 2
    }

    /// P(T ≤ t) for t ≥ 0: 1 − ½·I_{ν/(ν+t²)}(ν/2, ½).
    static func studentTDistribution(_ t: Double, _ degreesOfFreedom: Double) -> Double {
        1 - 0.5 * regularizedIncompleteBeta(x: degreesOfFreedom / (degreesOfFreedom + t * t), a: degreesOfFreedom / 2, b: 0.5)
    }

    /// I_x(a, b) by Lentz's continued fraction (Numerical Recipes §6.4).
    static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logFront: Double = logGammas + a * log(x) + b * log(1 - x)
        if x > (a + 1) / (a + b + 2) {
            return 1 - regularizedIncompleteBeta(x: 1 - x, a: b, b: a)
        }
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var fraction = d
        for m in 1...300 {
            let m = Double(m)
            let even: Double = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d; if abs(d) < tiny { d = tiny }
            c = 1 + even / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            fraction *= d * c
            let oddNumerator: Double = -(a + m) * (a + b + m) * x
            let odd: Double = oddNumerator / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d; if abs(d) < tiny { d = tiny }
            c = 1 + odd / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            fraction *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return exp(logFront) * fraction / a
    }
}
