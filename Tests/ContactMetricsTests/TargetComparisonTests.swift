import Foundation
import Testing
@testable import ContactMetrics

/// A target's verdict between compare's windows: a move within chance is "no clear change", for an
/// answer-time band's share too, which has no row (and no interval) among the comparison's changes.
@Suite struct TargetComparisonTests {
    /// 999 calls answered after `before` waits on 1 April and `after` waits on 1 May, against the national
    /// standard (90% in under 10 s): the after window's travel from the before window.
    private func travel(before: [Int], after: [Int]) throws -> Travel? {
        var csv = "channel,arrived_at,answered_at,outcome\n"
        for (day, waits) in [("2019-04-01", before), ("2019-05-01", after)] {
            for (index, wait) in waits.enumerated() {
                let arrived = Int(ISO8601DateFormatter().date(from: "\(day)T08:00:00Z")!.timeIntervalSince1970) + index * 60
                csv += "999,\(arrived),\(arrived + wait),answered\n"
            }
        }
        let comparison = try TestSupport.comparison(csv, before: "B=2019-04-01..2019-04-01", after: "A=2019-05-01..2019-05-01")
        let target = Target(channel: "999", metric: "answered_under_10s_share", bound: .atLeast(0.9))
        let review = TargetReview(comparison: comparison, targets: TargetSet(targets: [target], name: "t"))
        return review.checks.first { $0.period == "A" }?.vsPrevious
    }

    @Test func aFewCallsMoveWithinChance() throws {
        #expect(try travel(before: [5, 20, 20], after: [5, 20]) == .unclear)  // 1 of 3, then 1 of 2: was "better"
    }

    @Test func manyCallsMoveBeyondIt() throws {
        let slow = Array(repeating: 30, count: 90) + Array(repeating: 5, count: 10)
        let fast = Array(repeating: 5, count: 90) + Array(repeating: 30, count: 10)
        #expect(try travel(before: slow, after: fast) == .better)
        #expect(try travel(before: fast, after: slow) == .worse)
    }
}
