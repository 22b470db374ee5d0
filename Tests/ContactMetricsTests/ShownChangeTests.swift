import Testing
@testable import ContactMetrics

/// A change reads the same in the table and in the page's words, rounded half away from zero as the values
/// are: the table printed +0.5 s as 0 s and −2.5 s as −2 s (half to even), the words 1 s and 3 s. 434.4 s →
/// 435.8 s shows as 07:14 → 07:16 and +1 s: the change, not the difference of the rounded values.
@Suite struct ShownChangeTests {
    private func change(_ before: Double, _ after: Double, _ kind: Comparison.ChangeKind) -> Comparison.Change {
        let scale = kind == .percentagePoints ? 100.0 : 1
        return Comparison.Change(metric: "asa_seconds", channel: "999", before: before, after: after, kind: kind, change: (after - before) * scale)
    }

    @Test(arguments: [(10.0, 10.5, 1.0), (10.0, 7.5, -3), (434.2, 435.7, 2), (434.4, 435.8, 1), (0, 0.4, 0), (60.5, 59.5, -1)])
    func secondsRoundHalfAwayFromZero(before: Double, after: Double, shown: Double) {
        let change = change(before, after, .seconds)
        #expect(change.shownChange == shown)
        let words = Comparison.inWords(change)!
        #expect(shown == 0 ? words == "no change" : words == "\(Int(abs(shown))) s \(shown < 0 ? "faster" : "slower")")
    }

    @Test func pointsRoundToATenthHalfAwayFromZero() {
        let small = change(0.4, 0.40125, .percentagePoints)  // +0.125 points
        #expect(small.shownChange == 0.1)
        #expect(Comparison.inWords(small) == "0.1 points higher")
        let half = Comparison.Change(metric: "abandon_rate", channel: "101", before: 0.2, after: 0.2005, kind: .percentagePoints, change: -0.05)
        #expect(half.shownChange == -0.1 && Comparison.inWords(half) == "0.1 points lower")
    }

    /// 1001/2000 − 1000/2000 is 0.04999999999999449 points in floating point: a half all the same.
    @Test func aHalfThatFloatingPointLeftShortIsAHalf() {
        let rate = change(1000.0 / 2000, 1001.0 / 2000, .percentagePoints)
        #expect(rate.change! < 0.05 && rate.shownChange == 0.1 && Comparison.inWords(rate) == "0.1 points higher")
        let back = change(1001.0 / 2000, 1000.0 / 2000, .percentagePoints)
        #expect(back.shownChange == -0.1)
    }

    @Test func aChangeWithoutAValueIsNone() {
        var change = change(10, 12, .seconds)
        change.before = nil
        #expect(change.shownChange == 2)
        change.change = nil
        #expect(change.shownChange == nil && Comparison.inWords(change) == nil)
    }
}
