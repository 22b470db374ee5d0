import Foundation
import Testing
@testable import ContactMetrics

/// Golden files: the rendered outputs of the sample data, compared byte for byte.
/// `RECORD_GOLDEN=1 swift test` rewrites them and fails, so a new golden file is never passed unreviewed.
enum Golden {
    static func check(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = TestSupport.packageRoot.appendingPathComponent("Tests/ContactMetricsTests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded \(name); review it and run again without RECORD_GOLDEN", sourceLocation: sourceLocation)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from its golden file", sourceLocation: sourceLocation)
    }
}

@Suite struct GoldenOutputTests {
    private func sampleReport(threads: Int = 2) throws -> Report {
        var options = TestSupport.options(threads: threads, blockSize: 128)
        options.grain = .local(.month)
        let result = try TestSupport.ingest([TestSupport.sample("contacts.csv"), TestSupport.sample("incidents.csv")], options)
        var report = Report(cube: result.cube, period: .month, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
        // Paths differ between machines: keep only the file names.
        report.ledger.sources = report.ledger.sources.map { source in
            var source = source
            source.path = URL(fileURLWithPath: source.path).lastPathComponent
            return source
        }
        return report
    }

    @Test func table() throws { try Golden.check(try sampleReport().table(), named: "report-month.txt") }
    @Test func markdown() throws { try Golden.check(try sampleReport().markdown(), named: "report-month.md") }
    @Test func csv() throws { try Golden.check(try sampleReport().csv(), named: "report-month.csv") }
    @Test func json() throws { try Golden.check(try sampleReport().json().serialized(), named: "report-month.json") }

    /// The command streams the periods (`ReportJSON.period`, written without building `JSONValue`s):
    /// the same document as the value, on the sample (incidents, referrals, an online channel, a
    /// partial period) and on labels that need escaping.
    @Test func streamedJSONIsTheDocument() throws {
        let sample = try sampleReport()
        #expect(sample.rendered(sample.writeJSON) == sample.json().serialized())
        let labels = ["caf\u{E9} \"quoted\"", "back\\slash", "tab\there", "line\nbreak", "\u{200B}zero", "=SUM(A1)", "plain"]
        var csv = "contact_id,channel,arrived_at,answered_at,outcome,category\n"
        for (index, label) in labels.enumerated() {
            let field = "\"" + label.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            csv += "\(index),\(field),2019-04-0\(1 + index % 3)T10:00:00Z,2019-04-0\(1 + index % 3)T10:00:0\(index)Z,answered,\(field)\n"
            csv += "x\(index),online,2019-04-02T10:00:00Z,,,\(field)\n"
        }
        for period in [PeriodUnit.day, .month] {
            var report = try TestSupport.report(csv, period: period)
            #expect(report.rendered(report.writeJSON) == report.json().serialized(), "\(period)")
            // With targets, whose checks are streamed too; and with none to check.
            let targets = try TargetSet.parse(Data(#"{"101": {"asa_seconds": {"at_most": 5}}, "caf\u00e9 \"quoted\"": {"abandon_rate": {"at_most": 0.1}}}"#.utf8), name: "t\"s")
            for set in [targets, TargetSet(targets: [], name: "none")] {
                report.targetReview = TargetReview(report: report, targets: set)
                #expect(report.rendered(report.writeJSON) == report.json().serialized(), "\(period) \(set.name)")
            }
        }
    }
    @Test func html() throws {
        // As the command builds a page: read at hours (for the hour-of-week heat maps), added up to months.
        var options = TestSupport.options(threads: 2, blockSize: 128)
        options.grain = .local(.hour)
        let hours = try TestSupport.ingest([TestSupport.sample("contacts.csv"), TestSupport.sample("incidents.csv")], options)
        var report = try sampleReport()
        let rolled = Report(cube: hours.cube.rolledUp(toLocal: .month), period: .month, timeZone: "Europe/London", ledger: report.ledger,
                            options: MetricOptions())
        #expect(rolled == report)
        report.weeklyProfile = WeeklyProfile(cube: hours.cube, options: report.options,
                                             coveredDays: Report.coveredDays(ledger: hours.ledger, zone: TestSupport.london, from: nil, to: nil))
        try Golden.check(report.html(), named: "report-month.html")
    }

    @Test func sampleLedgerBalances() throws {
        let ledger = try sampleReport(threads: 1).ledger
        #expect(ledger.rowsRead == 26)
        #expect(ledger.rowsRejected == 5)
        #expect(ledger.rowsRead == ledger.rowsAccepted + ledger.rowsRejected + ledger.rowsSkipped)
    }
}

/// Tables line up on a terminal when labels hold wide characters.
@Suite struct DisplayWidthTests {
    @Test func wideCharactersTakeTwoColumns() {
        #expect(DisplayWidth.of("café") == 4 && DisplayWidth.of("cafe\u{301}") == 4 && DisplayWidth.of("£ – ÉMAIL") == 9)
        #expect(DisplayWidth.of("警察") == 4 && DisplayWidth.of("fraud 😀") == 8 && DisplayWidth.of("❤\u{FE0F}") == 2 && DisplayWidth.of("한") == 2)
    }

    @Test func aTableOfWideLabelsLinesUp() throws {
        let csv = "channel,arrived_at,category\n101,2019-04-01T10:00:00Z,fraud 😀\n999,2019-04-01T10:00:00Z,警察\nwebchat,2019-04-01T10:00:00Z,café\n"
        let text = try TestSupport.report(csv).markdown()
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| 2019-04") }
        #expect(rows.count == 4 && Set(rows.map { DisplayWidth.of(String($0)) }).count == 1, "\(rows)")
    }
}
