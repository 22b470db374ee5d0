import Foundation
import Testing
@testable import ContactMetrics

/// Day-clustered intervals against statsmodels (`Fixtures/clustered_intervals.py` fitted the individual
/// contacts; the fixture keeps their per-day sums, which is all contact-metrics has).
struct ClusteredIntervalTests {
    struct Fixture: Decodable {
        struct Day: Decodable { var n: Double; var y: Double; var q: Double }
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
        var cases: [Case]
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
