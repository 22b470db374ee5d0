import Foundation
import Testing
@testable import ContactMetrics

/// Day-clustered intervals against statsmodels (`Fixtures/clustered_intervals.py` fitted the individual
/// contacts; the fixture keeps their per-day sums, which is all contact-metrics has).
struct ClusteredIntervalTests {
    struct Fixture: Decodable {
        struct Day: Decodable { var n: Double; var y: Double; var q: Double; var date: Int64? }
        struct Case: Decodable {
            var name: String
            var kind: String
            var before: [Day]
            var after: [Day]
            var difference: Double
            var standard_error: Double
            var lower: Double
            var upper: Double
            var clusters: Int
            var design_effect: Double
        }
        struct DifferenceInDifferences: Decodable {
            var name: String
            var windows: [[Day]]
            var weights: [Double]
            var difference: Double
            var standard_error: Double
            var lower: Double
            var upper: Double
            var clusters: Int
            var design_effect: Double
        }
        var cases: [Case]
        var differences_in_differences: [DifferenceInDifferences]
    }

    static let fixture: Fixture = {
        let data = FileManager.default.contents(atPath: TestSupport.fixture("clustered-intervals.json"))!
        return try! JSONDecoder().decode(Fixture.self, from: data)
    }()

    @Test func agreeWithStatsmodels() throws {
        #expect(Self.fixture.cases.count == 5)
        for fixture in Self.fixture.cases {
            func days(_ days: [Fixture.Day]) -> [DayClusteredIntervals.Day] { days.map { .init(n: $0.n, y: $0.y, q: $0.q) } }
            let estimate = try #require(DayClusteredIntervals.difference(before: days(fixture.before), after: days(fixture.after)))
            func close(_ value: Double, _ expected: Double) -> Bool { abs(value - expected) <= 1e-9 * max(1, abs(expected)) }
            #expect(close(estimate.difference, fixture.difference), "\(fixture.name)")
            #expect(close(estimate.standardError, fixture.standard_error), "\(fixture.name)")
            #expect(close(estimate.interval.lower, fixture.lower) && close(estimate.interval.upper, fixture.upper), "\(fixture.name)")
            #expect(estimate.days == fixture.clusters, "\(fixture.name)")
            #expect(close(try #require(estimate.designEffect), fixture.design_effect), "\(fixture.name)")
        }
    }

    @Test func differencesInDifferencesAgreeWithStatsmodels() throws {
        #expect(Self.fixture.differences_in_differences.count == 3)
        for fixture in Self.fixture.differences_in_differences {
            let windows = zip(fixture.windows, fixture.weights).map { days, weight in
                (days: days.map { DayClusteredIntervals.Day(n: $0.n, y: $0.y, q: $0.q, date: $0.date) }, weight: weight)
            }
            let estimate = try #require(DayClusteredIntervals.contrast(windows))
            func close(_ value: Double, _ expected: Double) -> Bool { abs(value - expected) <= 1e-9 * max(1, abs(expected)) }
            #expect(close(estimate.difference, fixture.difference), "\(fixture.name)")
            #expect(close(estimate.standardError, fixture.standard_error), "\(fixture.name)")
            #expect(close(estimate.interval.lower, fixture.lower) && close(estimate.interval.upper, fixture.upper), "\(fixture.name)")
            let designEffect = try #require(estimate.designEffect)
            #expect(estimate.days == fixture.clusters && close(designEffect, fixture.design_effect), "\(fixture.name)")
        }
    }

    @Test func needTwoDaysAWindow() {
        let day = DayClusteredIntervals.Day(n: 100, y: 10, q: 10)
        #expect(DayClusteredIntervals.difference(before: [day], after: [day, day]) == nil)
        // Days with no contacts in the measure are not clusters.
        let empty = DayClusteredIntervals.Day(n: 0, y: 0, q: 0)
        #expect(DayClusteredIntervals.difference(before: [day, empty], after: [day, day]) == nil)
        #expect(DayClusteredIntervals.difference(before: [day, day], after: [day, day, empty])?.days == 4)
    }

    @Test func identicalDaysGiveNoDayToDayVariance() throws {
        // Every day at the same rate: days scatter less than independent calls would (design effect 0).
        let days = Array(repeating: DayClusteredIntervals.Day(n: 100, y: 20, q: 20), count: 10)
        let estimate = try #require(DayClusteredIntervals.difference(before: days, after: days))
        #expect(estimate.difference == 0 && estimate.standardError == 0 && estimate.designEffect == 0)
    }
}

/// The percentile bootstrap over days against a plain version of it: the same draws, each drawn set of
/// days merged into one histogram and its percentile taken by `WaitSummary` (what reports print).
struct DayBootstrapTests {
    static func days(seed: UInt64, count: Int, scale: Double) -> DayBootstrap.Days {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            var histogram = WaitHistogram()
            let level = scale * (0.5 + random.unit())
            for _ in 0..<Int(random.next() % 40 + 1) { histogram.add(seconds: Int64(-level * log(random.unit()))) }
            return histogram.sortedEntries
        }
    }

    @Test func agreesWithMergingTheDrawnDays() {
        let before = Self.days(seed: 1, count: 9, scale: 60), after = Self.days(seed: 2, count: 12, scale: 40)
        let quantiles = [0.50, 0.90, 0.95]
        let intervals = DayBootstrap.percentileDifferences(before: before, after: after, quantiles: quantiles)

        var random = SplitMix64(seed: DayBootstrap.seed)
        var differences = [[Int64]](repeating: [], count: 3)
        func histogram(_ entries: [(seconds: Int64, count: Int64)]) -> WaitHistogram {
            var histogram = WaitHistogram()
            for entry in entries { histogram.add(seconds: entry.seconds, count: entry.count) }
            return histogram
        }
        for _ in 0..<DayBootstrap.resamples {
            let first = (0..<before.count).map { _ in histogram(before[Int(random.next() % UInt64(before.count))]) }
            let second = (0..<after.count).map { _ in histogram(after[Int(random.next() % UInt64(after.count))]) }
            let a = WaitSummary(WaitHistogram(summing: first)), b = WaitSummary(WaitHistogram(summing: second))
            for (index, quantile) in quantiles.enumerated() { differences[index].append(b.percentile(quantile)! - a.percentile(quantile)!) }
        }
        for index in 0..<3 {
            let sorted = differences[index].sorted()
            #expect(intervals[index] == ConfidenceInterval(lower: Double(sorted[49]), upper: Double(sorted[1949])))
        }
        // Long windows count the drawn days' waits instead of keeping a table: the same intervals.
        #expect(DayBootstrap.percentileContrasts([(before, -1), (after, 1)], quantiles: quantiles, level: 0.95, tableLimit: 0) == intervals)
    }

    /// Waits spread over hours (thousands of distinct ones, more than one run of `Window.buckets` each): long
    /// windows find each percentile's run first, then count in it; the intervals are the table's.
    @Test func longWindowsWithManyDistinctWaitsAgreeWithTheTable() {
        let before = Self.days(seed: 3, count: 80, scale: 30_000), after = Self.days(seed: 4, count: 90, scale: 50_000)
        #expect(Set(before.flatMap { $0.map(\.seconds) }).count > 1_100)
        let quantiles = [0.05, 0.50, 0.90, 0.95, 1.0]
        let table = DayBootstrap.percentileContrasts([(before, -1), (after, 1)], quantiles: quantiles, level: 0.95, tableLimit: 1 << 30)
        for limit in [0, 100] {
            #expect(DayBootstrap.percentileContrasts([(before, -1), (after, 1)], quantiles: quantiles, level: 0.95, tableLimit: limit) == table)
        }
    }

    /// Windows that share calendar days draw each shared day once: the same days weighted −1 and +1 cancel in
    /// every draw, where independent draws of each would give a wide interval.
    @Test func sharedDaysAreOneDraw() throws {
        let days = Self.days(seed: 5, count: 20, scale: 50)
        let dates = (0..<Int64(20)).map { 1000 + $0 }
        let shared = DayBootstrap.percentileContrasts([(days, -1), (days, 1)], quantiles: [0.5, 0.9], dates: [dates, dates])
        #expect(shared == [ConfidenceInterval(lower: 0, upper: 0), ConfidenceInterval(lower: 0, upper: 0)])
        let independent = DayBootstrap.percentileContrasts([(days, -1), (days, 1)], quantiles: [0.9])
        let interval = try #require(independent[0])
        #expect(interval.upper - interval.lower > 0)
        // Partly shared: the clustered estimator agrees (the same days give no variance between them).
        let estimate = try #require(DayClusteredIntervals.contrast([
            (days: zip(days, dates).map { .init(n: Double($0.0.count), y: 1, q: 1, date: $0.1) }, weight: -1),
            (days: zip(days, dates).map { .init(n: Double($0.0.count), y: 1, q: 1, date: $0.1) }, weight: 1)]))
        #expect(estimate.standardError == 0)
    }

    /// Two days of four calls gave [−80, −18], significant: the three draws two days allow.
    @Test func needAWeekOfDaysWithWaitsAWindow() {
        let days = Self.days(seed: 3, count: 7, scale: 30)
        #expect(DayBootstrap.percentileDifferences(before: Array(days.prefix(6)) + [[]], after: days, quantiles: [0.9]) == [nil])
        #expect(DayBootstrap.percentileDifferences(before: Array(days.prefix(2)), after: Array(days.suffix(2)), quantiles: [0.9]) == [nil])
        #expect(DayBootstrap.percentileDifferences(before: days, after: days, quantiles: [0.9])[0] != nil)
    }
}
