import Foundation
import Testing
@testable import ContactMetrics

/// The whiskers of the compare page's before-and-after bars: a window's interval over its days stays
/// within what the measure can be (a few days printed "−498.1% to 631.4%", and a time below 0 s).
@Suite struct WindowIntervalTests {
    /// 101 calls: on the first day of each window `abandonedFirst` of `first` calls were abandoned, on the
    /// second day `abandonedSecond` of `second`; answered calls waited `wait` seconds.
    private func comparison(_ days: [(day: String, calls: Int, abandoned: Int, wait: Int)]) throws -> Comparison {
        var csv = "channel,arrived_at,answered_at,outcome\n"
        for entry in days {
            let start = Int(ISO8601DateFormatter().date(from: "\(entry.day)T09:00:00Z")!.timeIntervalSince1970)
            for call in 0..<entry.calls {
                let arrived = start + call * 60
                csv += call < entry.abandoned ? "101,\(arrived),,abandoned\n" : "101,\(arrived),\(arrived + entry.wait),answered\n"
            }
        }
        return try TestSupport.comparison(csv, before: "B=2020-03-02..2020-03-03", after: "A=2020-03-09..2020-03-10", timeZone: "UTC")
    }

    @Test func ratesStayWithinNoughtAndAHundredAndCoverTheirWilsonInterval() throws {
        let comparison = try comparison([("2020-03-02", 1, 1, 5), ("2020-03-03", 10, 0, 5), ("2020-03-09", 1, 0, 300), ("2020-03-10", 2, 1, 5)])
        for side in [comparison.before, comparison.after] {
            let interval = try #require(comparison.windowInterval(MetricDefinition.abandonRate.id, channel: "101", side: side))
            let counts = try #require(side.figures.channel("101")).abandonRate!
            #expect(interval.lower >= 0 && interval.upper <= 100 && interval.lower <= counts * 100 && counts * 100 <= interval.upper, "\(interval)")
        }
        let asa = try #require(comparison.windowInterval(MetricDefinition.asa.id, channel: "101", side: comparison.after))
        #expect(asa.lower == 0 && asa.upper > 0, "one call answered after 300 s, one after 5 s the next day: \(asa)")
    }

    @Test func aRateWithNoVariationStillHasAnInterval() throws {
        let comparison = try comparison([("2020-03-02", 4, 0, 5), ("2020-03-03", 5, 0, 5), ("2020-03-09", 4, 1, 5), ("2020-03-10", 5, 1, 5)])
        let interval = try #require(comparison.windowInterval(MetricDefinition.abandonRate.id, channel: "101", side: comparison.before))
        let wilson = try #require(ConfidenceIntervals.wilson(successes: 0, trials: 9))
        #expect(interval.lower == 0 && abs(interval.upper - wilson.upper * 100) < 1e-9 && interval.upper > 25, "0 of 9 abandoned: \(interval)")
    }
}
