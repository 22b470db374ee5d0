import Testing
@testable import ContactMetrics

@Suite struct ConfidenceIntervalTests {
    private func close(_ value: Double, _ expected: Double, _ tolerance: Double = 5e-5) -> Bool { abs(value - expected) < tolerance }

    /// Newcombe, R. G. (1998) "Interval estimation for the difference between independent proportions:
    /// comparison of eleven methods", Statistics in Medicine 17, 873–890, Table II, method 10.
    @Test(arguments: [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
    ] as [(Int64, Int64, Int64, Int64, Double, Double)])
    func newcombeHybridScoreMatchesThePublishedTable(x1: Int64, n1: Int64, x2: Int64, n2: Int64, lower: Double, upper: Double) throws {
        // Newcombe's difference is p1 − p2; ours is after − before, so "after" is his sample 1.
        let result = try #require(ConfidenceIntervals.proportionDifference(before: (x2, n2), after: (x1, n1)))
        #expect(close(result.difference, Double(x1) / Double(n1) - Double(x2) / Double(n2), 1e-12))
        #expect(close(result.interval.lower, lower))
        #expect(close(result.interval.upper, upper))
    }

    @Test func wilsonInterval() throws {
        // 81/263 (Newcombe 1998's single-proportion example, also in Agresti & Coull 1998): 0.2553 to 0.3662.
        let interval = try #require(ConfidenceIntervals.wilson(successes: 81, trials: 263))
        #expect(close(interval.lower, 0.2553) && close(interval.upper, 0.3662))
        // 0/10: the upper limit is z²/(n+z²) = 0.2775.
        let zero = try #require(ConfidenceIntervals.wilson(successes: 0, trials: 10))
        #expect(zero.lower == 0 && close(zero.upper, 0.2775))
        #expect(ConfidenceIntervals.wilson(successes: 0, trials: 0) == nil)
    }

    @Test func studentTQuantilesMatchTables() {
        // Two-sided 95% critical values from any t table.
        #expect(close(ConfidenceIntervals.studentTQuantile(probability: 0.975, degreesOfFreedom: 1), 12.7062, 1e-4))
        #expect(close(ConfidenceIntervals.studentTQuantile(probability: 0.975, degreesOfFreedom: 10), 2.2281, 1e-4))
        #expect(close(ConfidenceIntervals.studentTQuantile(probability: 0.975, degreesOfFreedom: 30), 2.0423, 1e-4))
        #expect(close(ConfidenceIntervals.studentTQuantile(probability: 0.975, degreesOfFreedom: 1e7), 1.95996, 1e-4))
    }

    @Test func welchIntervalMatchesAWorkedExample() throws {
        // Wikipedia "Welch's t-test", example 1 (A1 = before, A2 = after): t = 2.4554, ν = 24.9885;
        // scipy.stats.ttest_ind(A2, A1, equal_var=False).confidence_interval() = (0.34924, 3.98410).
        let before = ConfidenceIntervals.Sample(count: 15, sum: 312.3, sumOfSquares: 6612.23)
        let after = ConfidenceIntervals.Sample(count: 15, sum: 344.8, sumOfSquares: 7979.18)
        let result = try #require(ConfidenceIntervals.meanDifference(before: before, after: after))
        #expect(close(result.degreesOfFreedom, 24.9885, 1e-3))
        #expect(close(result.interval.lower, 0.34924, 1e-4))
        #expect(close(result.interval.upper, 3.98410, 1e-4))
        #expect(result.interval.excludesZero)
    }

    @Test func welchNeedsTwoValuesAndSomeVariance() {
        let one = ConfidenceIntervals.Sample(count: 1, sum: 5, sumOfSquares: 25)
        let flat = ConfidenceIntervals.Sample(count: 3, sum: 15, sumOfSquares: 75)
        #expect(ConfidenceIntervals.meanDifference(before: one, after: flat) == nil)
        #expect(ConfidenceIntervals.meanDifference(before: flat, after: flat) == nil)
    }
}
