import Testing
@testable import ContactMetrics

/// `compare --baseline previous-year`: the windows 52 weeks earlier, differences in differences.
struct ComparisonBaselineTests {
    /// 101 calls on each day of `from` + `count` days: `calls` a day, `abandoned` of them abandoned after 40 s,
    /// the rest answered after `wait` s.
    static func add(to cube: inout Cube, from: CivilDate, count: Int, calls: Int64, abandoned: Int64, wait: Int64) {
        for offset in 0..<Int64(count) {
            var cell = ContactCell()
            cell.counters.received = calls
            cell.counters.answered = calls - abandoned
            cell.counters.abandoned = abandoned
            cell.answerWaits.add(seconds: wait + offset % 3, count: calls - abandoned)  // days differ a little
            cell.abandonWaits.add(seconds: 40, count: abandoned)
            cube.contacts[CellKey(period: from.daysSinceEpoch + offset, channel: "101")] = cell
        }
    }

    @Test func differencesInDifferences() throws {
        var cube = Cube(grain: .local(.day))
        // This year: 100 → 80 calls a day, abandonment 20% → 10%; a year earlier: 100 → 90, 20% → 15%.
        Self.add(to: &cube, from: CivilDate(year: 2020, month: 1, day: 6), count: 28, calls: 100, abandoned: 20, wait: 60)
        Self.add(to: &cube, from: CivilDate(year: 2020, month: 4, day: 6), count: 28, calls: 80, abandoned: 8, wait: 30)
        Self.add(to: &cube, from: CivilDate(year: 2019, month: 1, day: 7), count: 28, calls: 100, abandoned: 20, wait: 60)
        Self.add(to: &cube, from: CivilDate(year: 2019, month: 4, day: 8), count: 28, calls: 90, abandoned: 13, wait: 50)
        let comparison = Comparison(cube: cube, before: ComparisonWindow(parsing: "W=2020-01-06..2020-02-02")!,
                                    after: ComparisonWindow(parsing: "S=2020-04-06..2020-05-03")!, timeZone: "Europe/London",
                                    ledger: Ledger(), options: MetricOptions(), previousYear: true)
        let baseline = try #require(comparison.baseline)
        #expect(baseline.before.window.from == CivilDate(year: 2019, month: 1, day: 7), "52 weeks earlier: a Monday for a Monday")
        #expect(baseline.after.window.label == "S a year earlier")
        func difference(_ metric: String) -> Comparison.Change? { baseline.differences.first { $0.metric == metric && $0.channel == "101" } }
        let received = try #require(difference("received"))
        #expect(abs(received.change! - (0.8 / 0.9 - 1)) < 1e-12)
        let abandonment = try #require(difference("abandon_rate"))
        // (10 − 20) − (13/90·100 − 20) points
        #expect(abs(abandonment.change! - (-10 - (1300.0 / 90 - 20))) < 1e-9)
        #expect(abandonment.interval != nil)
        let asa = try #require(difference("asa_seconds"))
        #expect(abs(asa.change! - ((31 - 61) - (51 - 61))) < 1e-9)
        #expect(comparison.baselineTable().rows.contains { $0[0] == "Abandoned" && $0[1] == "101" })
        #expect(comparison.json().serialized().contains("\"differences\": ["))
        #expect(comparison.csv().contains("difference_in_differences:abandon_rate,101,"))
    }

    @Test func aYearWithoutDataIsSaid() throws {
        var cube = Cube(grain: .local(.day))
        Self.add(to: &cube, from: CivilDate(year: 2020, month: 1, day: 6), count: 28, calls: 100, abandoned: 20, wait: 60)
        Self.add(to: &cube, from: CivilDate(year: 2020, month: 4, day: 6), count: 28, calls: 80, abandoned: 8, wait: 30)
        let comparison = Comparison(cube: cube, before: ComparisonWindow(parsing: "W=2020-01-06..2020-02-02")!,
                                    after: ComparisonWindow(parsing: "S=2020-04-06..2020-05-03")!, timeZone: "Europe/London",
                                    ledger: Ledger(), options: MetricOptions(), previousYear: true)
        #expect(comparison.cautions.contains { $0.hasPrefix("The W a year earlier window (2019-01-07..2019-02-03) has no contacts") })
        #expect(comparison.baseline?.differences.allSatisfy { $0.change == nil || $0.metric == "total_contacts" } == true)
        // Nothing to set against: no differences at all (the line above alone would hold for an empty list).
        #expect(comparison.baseline?.differences.isEmpty == true)
    }
}
