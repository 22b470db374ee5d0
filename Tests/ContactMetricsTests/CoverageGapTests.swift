import Testing
@testable import ContactMetrics

/// `ContactStore.unusualGaps`: a night's export missing from a store of nightly exports is told from the gaps
/// a centre has every night or weekend.
@Suite struct CoverageGapTests {
    static let hour: Int64 = 3600, day: Int64 = 86_400

    /// Nightly exports of a 24-hour centre, cut at midnight: each from a minute after to a minute before.
    static func nights(_ days: [Int64]) -> [(name: String, first: Int64, last: Int64)] {
        days.map { ("night-\($0)", $0 * Self.day + 60, $0 * Self.day + Self.day - 60) }
    }

    @Test func aMissingNightOfATwentyFourHourCentreIsUnusual() {
        let spans = Self.nights([0, 1, 2, 3, 5, 6, 7])
        let gap = CoverageGap(from: 4 * Self.day - 60, to: 5 * Self.day + 60)
        #expect(ContactStore.unusualGaps(of: "night-5", among: spans) == [gap])  // the night after the gap
        #expect(ContactStore.unusualGaps(of: "night-3", among: spans) == [gap])  // the night before it
        // Only beside its own ends: the nights after it do not say it again.
        #expect(ContactStore.unusualGaps(of: "night-6", among: spans).isEmpty)
        #expect(ContactStore.unusualGaps(of: "night-0", among: spans).isEmpty)
        // A night missing earlier does not hide the next one, on another day of the week.
        let three = Self.nights((0..<21).filter { $0 != 4 && $0 != 13 }.map(Int64.init))
        #expect(ContactStore.unusualGaps(of: "night-14", among: three) == [CoverageGap(from: 13 * Self.day - 60, to: 14 * Self.day + 60)])
    }

    @Test func aCentreClosedEachNightAndAtWeekendsHasNoUnusualGaps() {
        // 08:00 to 18:00 on weekdays for three weeks: 14-hour gaps, and 62 hours over each weekend.
        let days = (0..<21).filter { $0 % 7 < 5 }.map(Int64.init)
        let spans = days.map { ("day-\($0)", $0 * Self.day + 8 * Self.hour, $0 * Self.day + 18 * Self.hour) }
        for (name, _, _) in spans { #expect(ContactStore.unusualGaps(of: name, among: spans).isEmpty, "\(name)") }
        // A weekday missing makes a gap of 38 hours, within 1.5 times the weekends': not said (no false alarms).
        let missing = spans.filter { $0.0 != "day-9" }
        #expect(ContactStore.unusualGaps(of: "day-10", among: missing).isEmpty)
        // A week missing is said.
        let week = spans.filter { !["day-7", "day-8", "day-9", "day-10", "day-11"].contains($0.0) }
        #expect(ContactStore.unusualGaps(of: "day-14", among: week) == [CoverageGap(from: 4 * Self.day + 18 * Self.hour, to: 14 * Self.day + 8 * Self.hour)])
    }

    @Test func fewSourcesOrShortGapsAreNotJudged() {
        #expect(ContactStore.unusualGaps(of: "night-3", among: Self.nights([0, 1, 3, 4])).isEmpty)  // four sources
        // Two sites' nights overlap; a five-hour gap is never unusual.
        var spans = Self.nights([0, 1, 2, 3]) + [("site-b", 3 * Self.day, 4 * Self.day - 5 * Self.hour), ("late", 4 * Self.day, 5 * Self.day)]
        spans.sort { $0.first < $1.first }
        #expect(ContactStore.unusualGaps(of: "late", among: spans).isEmpty)
        #expect(ContactStore.unusualGaps(of: "unknown", among: spans).isEmpty)
    }
}
