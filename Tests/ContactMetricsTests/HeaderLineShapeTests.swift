import Foundation
import Testing
@testable import ContactMetrics

/// Rows measured against the header line: the header again among the rows (files joined one after another,
/// `cat a.csv b.csv`, each with its header: it was rejected as a bad `arrived_at`, one reject a file, which
/// tripped `ingest`'s reject limit), and rows with a trailing delimiter the header lacks.
@Suite struct HeaderLineShapeTests {
    static let contacts = try! Data(contentsOf: TestSupport.packageRoot.appendingPathComponent("SampleData/contacts.csv"))

    @Test(arguments: [1, 2])
    func aRepeatedHeaderIsSkippedAndSaid(threads: Int) throws {
        let options = TestSupport.options(threads: threads, blockSize: 512)
        let once = try TestSupport.ingest([TestSupport.temporaryFile(Self.contacts)], options)
        // The sample begins with a byte order mark, so the second header does too, as with `cat`.
        #expect(Self.contacts.starts(with: [0xEF, 0xBB, 0xBF]))
        let twice = try TestSupport.ingest([TestSupport.temporaryFile(Self.contacts + Self.contacts, name: "joined.csv")], options)
        #expect(twice.ledger.rowsRead == 2 * once.ledger.rowsRead + 1)
        #expect(twice.ledger.rowsAccepted == 2 * once.ledger.rowsAccepted)
        #expect(twice.ledger.rowsRejected == 2 * once.ledger.rowsRejected)
        #expect(twice.ledger.skippedByReason["repeated_header"] == 1)
        #expect(twice.ledger.notes.contains { $0.hasSuffix("joined.csv: the header line again once among the rows (files joined one after another?), skipped as repeated_header") })
        #expect(twice.ledger.rowsRead == twice.ledger.rowsAccepted + twice.ledger.rowsRejected + twice.ledger.rowsSkipped)
    }

    /// A header of more than 4,096 names, the needed ones first and last: the names past the 4,096th were dropped,
    /// so every row was rejected as having too many fields, and a file with its needed names at the end was refused.
    @Test func aHeaderOfThousandsOfColumnsIsReadWhole() throws {
        let filler = (1...5_000).map { "x\($0)" }.joined(separator: ","), blanks = String(repeating: ",", count: 5_000)
        let text = "contact_id,channel,arrived_at," + filler + ",answered_at,outcome\n"
            + "1,999,2019-04-01T08:00:00Z," + blanks.dropFirst() + ",2019-04-01T08:00:07Z,answered\n"
        let result = try TestSupport.ingest([TestSupport.temporaryFile(text, name: "wide.csv")], TestSupport.options(threads: 1, blockSize: 4_096))
        #expect(result.ledger.rowsAccepted == 1 && result.ledger.rowsRejected == 0)
        let report = Report(cube: result.cube, period: .month, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
        #expect(report.periods.first?.channel("999")?.asaSeconds == 7)
    }

    /// Quoted, in other letter case, with spaces, and in UTF-16 (whose second header has its own byte order mark).
    @Test func everyShapeOfTheHeaderIsKnown() throws {
        let header = "contact_id,channel,arrived_at,answered_at,outcome\r\n"
        let row = "C1,999,2019-04-01T08:00:00Z,2019-04-01T08:00:05Z,answered\r\n"
        let quoted = #""Contact_ID","CHANNEL", "arrived_at" ,"answered_at","outcome""# + "\r\n"
        let text = header + row + quoted + row.replacingOccurrences(of: "C1", with: "C2")
        let utf16 = Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!
        for (data, name) in [(Data(text.utf8), "quoted.csv"), (utf16 + utf16, "utf16.csv")] {
            let result = try TestSupport.ingest([TestSupport.temporaryFile(data, name: name)], TestSupport.options())
            #expect(result.ledger.rowsRejected == 0, "\(name)")
            #expect(result.ledger.skippedByReason["repeated_header"] == (name == "quoted.csv" ? 1 : 3), "\(name)")
        }
    }

    /// With a config whose rule skips rows (Cisco's, Genesys'), the header again was taken by the rule before it was
    /// looked at: in another order, the rows after it were misread with status 0 (the diff review).
    @Test(arguments: [false, true])
    func aConfigsSkipRuleDoesNotHideTheHeader(otherOrder: Bool) throws {
        let root = TestSupport.packageRoot.appendingPathComponent("SampleData/formats")
        var lines = try String(contentsOf: root.appendingPathComponent("cisco-tcd.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        if otherOrder {
            var names = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            names.swapAt(names.firstIndex(of: "RingTime")!, names.firstIndex(of: "TalkTime")!)
            lines[0] = names.joined(separator: ",")
        }
        let original = try Data(contentsOf: root.appendingPathComponent("cisco-tcd.csv"))
        var options = TestSupport.options()
        options.mapping = try MappingConfig.parse(try Data(contentsOf: root.appendingPathComponent("cisco-tcd.json")), name: "cisco-tcd.json")
        let once = try TestSupport.ingest([TestSupport.temporaryFile(original)], options)
        #expect(once.ledger.skippedByReason["config_rule", default: 0] > 0)
        let joined = try TestSupport.ingest([TestSupport.temporaryFile(original + Data((lines.joined(separator: "\n") + "\n").utf8))], options)
        if otherOrder {
            #expect(joined.ledger.rejectedByReason["header_in_other_order"] == 1, "\(joined.ledger.rejectedByReason)")
        } else {
            #expect(joined.ledger.skippedByReason["repeated_header"] == 1 && joined.ledger.rowsRejected == 0)
            #expect(joined.ledger.skippedByReason["config_rule"] == 2 * once.ledger.skippedByReason["config_rule", default: 0])
        }
    }

    /// A row like the header but for one field is still rejected, with its reason.
    @Test func aRowThatIsNotTheHeaderIsStillRejected() throws {
        let text = "contact_id,channel,arrived_at\nC1,999,2019-04-01T08:00:00Z\ncontact_id,channel,arrived\n"
        let result = try TestSupport.ingest([TestSupport.temporaryFile(text)], TestSupport.options())
        #expect(result.ledger.rejectedByReason == ["invalid_arrived_at": 1] && result.ledger.skippedByReason.isEmpty)
    }

    /// The header again with its columns in another order (exports joined, each written its own way): the rows
    /// after it would be read in the first header's order (category labels counted as channels, status 0; a
    /// review). The line is rejected for it, which the CLI refuses the run for (`headerOrderRefusal`).
    @Test func aHeaderInAnotherOrderIsRejectedForIt() throws {
        let text = "channel,arrived_at,category\n999,2019-04-01T08:00:00Z,theft\ncategory,ARRIVED_AT,channel\ntheft,2019-04-01T09:00:00Z,999\n"
        let result = try TestSupport.ingest([TestSupport.temporaryFile(text)], TestSupport.options())
        #expect(result.ledger.rejectedByReason == ["header_in_other_order": 1] && result.ledger.skippedByReason.isEmpty)
        #expect(result.firstRejects.first?.message == "the header again, its columns in another order: the rows after it would be read in the first header's order")
    }

    /// Rows with one field more than the header, empty, at their end (a trailing delimiter some exporters write after
    /// every data line) are rejected with the remedy (they were rejected with no word why). They are not read without
    /// it: a row shifted by an unquoted comma in a text field looks the same and was read with wrong values (the
    /// second diff review). Blank rows one delimiter wider are still blank rows.
    @Test(arguments: [1, 2])
    func aFieldMoreThanTheHeaderIsRejectedWithTheRemedy(threads: Int) throws {
        let header = "channel,arrived_at,answered_at\r\n"
        let rows = "999,2019-04-01T08:00:00Z,2019-04-01T08:00:05Z,\r\n101,2019-04-01T09:00:00Z,Smith, Jo\r\n,,,\r\n"
        let result = try TestSupport.ingest([TestSupport.temporaryFile(header + rows, name: "trailing.csv")], TestSupport.options(threads: threads, blockSize: 64))
        #expect(result.ledger.rowsAccepted == 0 && result.ledger.rejectedByReason == ["wrong_field_count": 2] && result.ledger.skippedByReason == ["blank_row": 1])
        #expect(result.firstRejects.map(\.message) == [
            "expected 3 fields, found 4: the row ends in a delimiter the header does not; if every row does (a trailing delimiter), end the header line with one too",
            "expected 3 fields, found 4"])
        // The remedy works.
        let fixed = try TestSupport.ingest([TestSupport.temporaryFile("channel,arrived_at,answered_at,\r\n999,2019-04-01T08:00:00Z,2019-04-01T08:00:05Z,\r\n")],
                                           TestSupport.options(threads: threads))
        #expect(fixed.ledger.rowsAccepted == 1 && fixed.ledger.rowsRejected == 0)
    }

    /// The header again with a trailing delimiter, or with a name that holds the delimiter in quotes, is the header.
    @Test func theHeaderAgainWithATrailingDelimiterOrAQuotedDelimiter() throws {
        let text = "channel,arrived_at,\"notes, free\"\n999,2019-04-01T08:00:00Z,\nchannel,arrived_at,\"notes, free\",\n"
            + "\"CHANNEL\",Arrived_At, \"Notes, free\"\n101,2019-04-01T09:00:00Z,\n"
        #expect(BlockWorker.fields(of: #"a,"b,""c""", "d" ,,e"#, delimiter: ",") == ["a", #"b,"c""#, "d", "", "e"])
        #expect(BlockWorker.fields(of: "x;\"y;z\"", delimiter: ";") == ["x", "y;z"] && BlockWorker.fields(of: "", delimiter: ",") == [""])
        let result = try TestSupport.ingest([TestSupport.temporaryFile(text)], TestSupport.options())
        #expect(result.ledger.rowsRejected == 0 && result.ledger.skippedByReason == ["repeated_header": 2] && result.ledger.rowsAccepted == 2,
                "\(result.ledger.rejectedByReason)")
    }

    /// A second byte order mark before the header (a tool that wrote one before text that began with one)
    /// hid the `contact_id` column, so no duplicate was found.
    @Test func aSecondByteOrderMarkDoesNotHideAColumn() throws {
        let text = "contact_id,channel,arrived_at\nC1,999,2019-04-01T08:00:00Z\nC1,999,2019-04-01T08:00:00Z\n"
        let result = try TestSupport.ingest([TestSupport.temporaryFile(Data([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF]) + Data(text.utf8))], TestSupport.options())
        #expect(result.ledger.duplicateIds == 1 && result.ledger.rowsAccepted == 2)
    }
}
