import Foundation
import Testing
@testable import ContactMetrics

/// `--targets`: statuses at their boundaries, the file's errors, direction of travel, exceptions.
@Suite struct TargetTests {
    /// Runs of spaces as one (table columns are padded).
    private func squeezed(_ text: String) -> String { text.replacingOccurrences(of: " +", with: " ", options: .regularExpression) }

    private func parse(_ json: String) throws -> TargetSet { try TargetSet.parse(Data(json.utf8), name: "targets.json") }

    private func failure(_ json: String) -> String {
        do { _ = try TargetSet.parse(Data(json.utf8), name: "targets.json"); return "" } catch { return error.description }
    }

    @Test func statusAtEachBoundary() {
        let atMost = Target(channel: "101", metric: "abandon_rate", bound: .atMost(0.10), amberWithin: 0.02)
        #expect(atMost.status(of: 0.10) == .green)  // exactly at the target meets it
        #expect(atMost.status(of: 0.0999) == .green)
        #expect(atMost.status(of: 0.1001) == .amber)
        #expect(atMost.status(of: 12.0 / 100.0) == .amber)  // exactly at the amber edge (0.1 + 0.02 is not 0.12 in binary)
        #expect(atMost.status(of: 0.1201) == .red)
        #expect(atMost.status(of: nil) == .notMeasured)
        #expect(atMost.status(of: .nan) == .notMeasured)

        let atLeast = Target(channel: "999", metric: "answered_under_10s_share", bound: .atLeast(0.90), amberWithin: 0.05)
        #expect(atLeast.status(of: 9.0 / 10.0) == .green)
        #expect(atLeast.status(of: 0.8999) == .amber)
        #expect(atLeast.status(of: 85.0 / 100.0) == .amber)
        #expect(atLeast.status(of: 0.8499) == .red)

        let noAmber = Target(channel: "101", metric: "asa_seconds", bound: .atMost(120))
        #expect(noAmber.status(of: 120) == .green && noAmber.status(of: 120.5) == .red)
        let strict = Target(channel: "101", metric: "asa_seconds", bound: .atMost(120), whenNotMeasured: .red)
        #expect(strict.status(of: nil) == .red)
    }

    @Test func theFileIsReadWithItsOptions() throws {
        let set = try parse("""
            {"comment": "x", "101": {"abandon_rate": {"at_most": 0.10, "amber_within": 0.02}, "asa_seconds": {"at_most": 120}},
             "999": {"answered_under_10s_share": {"at_least": 0.9, "not_measured": "red"}}, "Webchat": {"received": {"at_least": 10}}}
            """)
        #expect(set.targets == [
            Target(channel: "999", metric: "answered_under_10s_share", bound: .atLeast(0.9), whenNotMeasured: .red),
            Target(channel: "101", metric: "abandon_rate", bound: .atMost(0.10), amberWithin: 0.02),
            Target(channel: "101", metric: "asa_seconds", bound: .atMost(120)),
            Target(channel: "webchat", metric: "received", bound: .atLeast(10)),
        ])
        #expect(try TargetSet.load(path: "home-office-999").targets == [Target(channel: "999", metric: "answered_under_10s_share", bound: .atLeast(0.90))])
    }

    @Test func errorsNameTheKeysPath() {
        #expect(failure("[1]").hasPrefix("targets.json: expected an object of channels"))
        #expect(failure("{}") .hasPrefix("targets.json: no targets"))
        #expect(failure(#"{"101": {"abandon_rate": {"at_most": 0.1, "amber_within": -1}}}"#)
                == "targets.json: 101.abandon_rate.amber_within: expected 0 or more, found -1.0")
        #expect(failure(#"{"101": {"abandon_rte": {"at_most": 0.1}}}"#)
                == #"targets.json: 101.abandon_rte: unknown metric "abandon_rte"; did you mean "abandon_rate"?"#)
        #expect(failure(#"{"101": {"abandon_rate": {"at_most": 0.1, "at_least": 0}}}"#) == "targets.json: 101.abandon_rate: give at_most or at_least, not both")
        #expect(failure(#"{"101": {"abandon_rate": {"amber_within": 0.1}}}"#) == "targets.json: 101.abandon_rate: needs at_most or at_least")
        #expect(failure(#"{"101": {"abandon_rate": {"at_most": 10}}}"#)
                == "targets.json: 101.abandon_rate.at_most: a rate or share is a fraction from 0 to 1 (10% is 0.10), found 10.0")
        #expect(failure(#"{"101": {"asa_seconds": {"at_most": true}}}"#) == "targets.json: 101.asa_seconds.at_most: expected a number, found true")
        #expect(failure(#"{"101": {"asa_seconds": {"at_mots": 1}}}"#) == #"targets.json: 101.asa_seconds.at_mots: unknown key "at_mots"; did you mean "at_most"?"#)
        #expect(failure(#"{"101": {"asa_seconds": {"at_most": 1, "not_measured": "green"}}}"#)
                .hasPrefix("targets.json: 101.asa_seconds.not_measured: expected \"amber\", \"red\" or \"not measured\" (never green)"))
        #expect(failure(#"{"101": 5}"#).hasPrefix("targets.json: 101: expected an object of metrics"))
        // Channels are read as the data's labels are, trimmed and without case: two keys for one channel are refused.
        #expect(failure(#"{"101": {"asa_seconds": {"at_most": 1}}, "101 ": {}}"#)
                == #"targets.json: "101 ": names the same channel as "101" (channels are read without case and spaces around them)"#)
        #expect(failure(#"{"WEBCHAT": {"received": {"at_most": 1}}, "webchat": {"received": {"at_most": 2}}}"#).contains("names the same channel as \"WEBCHAT\""))
        #expect(failure(#"{" 101 ": {"asa_seconds": {"at_mots": 1}}}"#).hasPrefix("targets.json:  101 .asa_seconds.at_mots: unknown key"))
        #expect(failure("{").hasPrefix("targets.json: not valid JSON"))
        // A file that ends inside an object: the trailing comma first, else the brace left open (a review was told only
        // "Unexpected end of file").
        #expect(failure("{\"101\": {\n \"asa_seconds\": {\"at_most\": 1},\n}") == "targets.json: not valid JSON at line 2, column 31 (a comma before '}')")
        #expect(failure("{\"101\": {\n \"asa_seconds\": {\"at_most\": 1}\n}").hasPrefix("targets.json: not valid JSON: the '{' at line 1, column 1 is never closed"))
        #expect(failure("{\"101\": {\"comment\": \"{[\\\"\",\n \"asa_seconds\": {\"at_most\": 1}\n}").hasPrefix("targets.json: not valid JSON: the '{' at line 1, column 1 is never closed"))
        // By line and column, not "around character 44"; a trailing comma, which other JSON readers refuse, is refused.
        #expect(failure("{\"101\": {\"abandon_rate\": {\"at_most\": 0.1}}\n \"999\" {}}").hasPrefix("targets.json: not valid JSON at line 2, column "))
        #expect(failure(#"{"101": {"abandon_rate": {"at_most": 0.1,}}}"#) == "targets.json: not valid JSON at line 1, column 41 (a comma before '}')")
        #expect(failure("{\"101\": {\"abandon_rate\": {\"at_most\": 0.1}},\n\n}") == "targets.json: not valid JSON at line 1, column 43 (a comma before '}')")
        #expect(failure(#"{"101": {"comment": "a, }", "abandon_rate": {"at_most": 0.1}}}"#) == "")
        // A byte order mark is not a column (Foundation's offset leaves it out).
        #expect(failure("\u{FEFF}" + #"{"101": {"abandon_rate": {"at_most": x}}}"#).hasPrefix("targets.json: not valid JSON at line 1, column 38"))
        // Foundation's offset is of bytes: after accented letters the column is still the character's.
        #expect(failure(#"{"comment": "ééé", "101": {"abandon_rate": {"at_most": 0.1 x}}}"#).hasPrefix("targets.json: not valid JSON at line 1, column 60 (Invalid value)"))
    }

    /// Four months over a year end: January 2020 against December 2019 (the period before) and January 2019.
    private func months() throws -> Report {
        var rows = "channel,arrived_at,answered_at,abandoned_at\n"
        // 101 answer waits of 60 s (Jan 2019), 200 s (Dec 2019), 100 s (Jan 2020), 100 s (Feb 2020).
        for (date, wait) in [("2019-01-15", 60), ("2019-12-16", 200), ("2020-01-15", 100), ("2020-02-14", 100)] {
            rows += "101,\(date)T10:00:00Z,\(date)T10:0\(wait / 60):\(wait % 60 < 10 ? "0" : "")\(wait % 60)Z,\n"
        }
        return try TestSupport.report(rows, period: .month)
    }

    @Test func travelAcrossAYearEnd() throws {
        var report = try months()
        report.targetReview = TargetReview(report: report, targets: TargetSet(targets: [Target(channel: "101", metric: "asa_seconds", bound: .atMost(120))], name: "t"))
        let review = try #require(report.targetReview)
        // Every month from the first to the last is judged: the ten without data are not measured, and said.
        #expect(review.checks.count == 14 && review.periodsWithoutData == (2...11).map { "2019-" + ($0 < 10 ? "0" : "") + String($0) })
        var byPeriod: [String: TargetCheck] = [:]
        for check in review.checks { byPeriod[check.period] = check }
        let checks = try ["2019-01", "2019-12", "2020-01", "2020-02"].map { try #require(byPeriod[$0]) }
        #expect(checks.map(\.status) == [.green, .red, .green, .green] && byPeriod["2019-11"]?.status == .notMeasured)
        // 2019-12: November has no data, so no direction.
        #expect(checks[1].previous == nil && checks[1].vsPrevious == nil && checks[1].yearBefore == nil)
        #expect(checks[2].previous == 200 && checks[2].vsPrevious == .better)
        #expect(checks[2].yearBefore == 60 && checks[2].vsYearBefore == .worse)
        #expect(checks[3].vsPrevious == .same && checks[3].vsYearBefore == nil)
        #expect(squeezed(report.table()).contains("2020-01 101 Average time to answer at most 02:00 01:40 Green better worse"))
    }

    @Test func aYearEarlierIsTheSamePeriodOr52Weeks() {
        #expect(PeriodUnit.month.yearEarlier(key: 2020 * 12) == 2019 * 12)
        #expect(PeriodUnit.quarter.yearEarlier(key: 2020 * 4 + 1) == 2019 * 4 + 1)
        #expect(PeriodUnit.financialYear.yearEarlier(key: 2020) == 2019)
        let day = CivilDate(year: 2020, month: 4, day: 6).daysSinceEpoch  // a Monday
        #expect(PeriodUnit.day.yearEarlier(key: day) == CivilDate(year: 2019, month: 4, day: 8).daysSinceEpoch)  // a Monday too
        #expect(PeriodUnit.hour.yearEarlier(key: day * 24 + 9) == (day - 364) * 24 + 9)
    }

    @Test func exceptionsAreWorstFirstAndNoneIsSaidPlainly() throws {
        var report = try months()
        let targets = TargetSet(targets: [Target(channel: "101", metric: "asa_seconds", bound: .atMost(90), amberWithin: 20),
                                          Target(channel: "101", metric: "abandon_rate", bound: .atMost(0.5)),
                                          Target(channel: "99", metric: "received", bound: .atLeast(1), whenNotMeasured: .amber)], name: "t.json")
        report.targetReview = TargetReview(report: report, targets: targets)
        let review = try #require(report.targetReview)
        #expect(review.unseenChannels == ["99"])
        let exceptions = review.exceptions
        // Red first (200 s is 110 s over), then amber: the larger miss first, then the later period.
        // Channel 99 is amber when not measured, in each of the 14 months from the first to the last.
        let months = ["2020-02", "2020-01"] + (1...12).reversed().map { "2019-" + ($0 < 10 ? "0" : "") + String($0) }
        #expect(exceptions.map { "\($0.status.rawValue) \($0.period) \($0.target.channel) \($0.target.metric)" } ==
                ["red 2019-12 101 asa_seconds"] + months.map { "amber \($0) 99 received" }
                + ["amber 2020-02 101 asa_seconds", "amber 2020-01 101 asa_seconds"])
        #expect(review.failing(.red) == 1 && review.failing(.amber) == 17)
        let text = try #require(report.exceptionReport()).table()
        #expect(squeezed(text).contains("Red 2019-12 101 Average time to answer at most 01:30 (amber to 01:50) 03:20 01:50 over — —"))
        #expect(text.contains("No data for channel '99' named by the targets"))

        report.targetReview = TargetReview(report: report, targets: TargetSet(targets: [Target(channel: "101", metric: "asa_seconds", bound: .atMost(300))], name: "t"))
        let none = try #require(report.exceptionReport())
        #expect(none.table().contains("No exceptions: every one of the 4 measured checks meets its target (10 not measured). No data at all for 2019-02, 2019-03, 2019-04, 2019-05, 2019-06 and 5 more."))
        #expect(none.csv() == "status,period,start,end,channel,metric,bound,target,amber_within,actual,gap,previous,vs_previous,year_before,vs_year_before\n")
    }

    @Test func goldenShapes() throws {
        var report = try months()
        let targets = try parse(#"{"101": {"asa_seconds": {"at_most": 90, "amber_within": 20}, "service_level": {"at_least": 0.8}}}"#)
        report.targetReview = TargetReview(report: report, targets: targets)
        report.ledger.sources = report.ledger.sources.map { var source = $0; source.path = "months.csv"; return source }
        try Golden.check(report.json().serialized(), named: "targets-report.json")
        try Golden.check(report.csv(), named: "targets-report.csv")
        try Golden.check(try #require(report.exceptionReport()).json().serialized(), named: "targets-exceptions.json")
        let html = try #require(report.exceptionReport()).html()
        #expect(html.contains("<td class=\"rag rag-red\">✗ Red</td>") && html.contains("<td class=\"rag rag-amber\">! Amber</td>"))
        #expect(report.html().contains("<h2>Against targets</h2>") && report.html().contains("rag-none"))
    }
}
