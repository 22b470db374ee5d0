import Testing
@testable import ContactMetrics

/// A change reads as the difference of the values beside it: 00:10 → 00:11 is +1 s in the table and
/// "1 s slower" in the page's words (the table printed 0 s, the words 1 s; 00:10 → 00:08 was −2 s
/// against "3 s faster").
@Suite struct ShownChangeTests {
    private func change(_ before: Double, _ after: Double, _ kind: Comparison.ChangeKind) -> Comparison.Change {
        let scale = kind == .percentagePoints ? 100.0 : 1
        return Comparison.Change(metric: "asa_seconds", channel: "999", before: before, after: after, kind: kind, change: (after - before) * scale)
    }

    @Test(arguments: [(10.0, 10.5, 1.0), (10.0, 7.5, -2), (7.4, 7.6, 1), (7.5, 8.4, 0), (0, 0.4, 0), (60.5, 59.5, -1)])
    func secondsAreTheDifferenceOfWholeSeconds(before: Double, after: Double, shown: Double) {
        let change = change(before, after, .seconds)
        #expect(change.shownChange == shown)
        let words = Comparison.inWords(change)!
        #expect(shown == 0 ? words == "no change" : words == "\(Int(abs(shown))) s \(shown < 0 ? "faster" : "slower")")
    }

    @Test func pointsAreTheDifferenceOfTenthsOfAPercent() {
        // 41.95% shows as 42.0% and 41.84% as 41.8%: 0.2 points, where the unrounded difference is 0.11.
        let change = change(0.4184, 0.4195, .percentagePoints)
        #expect(DisplayFormat.percentOneDecimal(0.4184) == "41.8%" && DisplayFormat.percentOneDecimal(0.4195) == "42.0%")
        #expect(abs(change.shownChange! - 0.2) < 1e-9)
        #expect(Comparison.inWords(change) == "0.2 points higher")
    }

    @Test func aChangeWithoutBothValuesIsLeftAsItIs() {
        var change = change(10, 12, .seconds)
        change.before = nil
        #expect(change.shownChange == 2)
        change.change = nil
        #expect(change.shownChange == nil && Comparison.inWords(change) == nil)
    }
}
