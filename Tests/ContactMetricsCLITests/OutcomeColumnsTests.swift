import Foundation
import Testing
@testable import ContactMetrics

/// Exports that give no outcome, or give outcome columns with nothing in them.
@Suite struct OutcomeColumnsTests {
    /// `count` rows of channel 101 from `hour` on 2020-04-01, each `row(index, time)`.
    static func rows(_ count: Int, hour: Int, _ row: (Int, String) -> String) -> String {
        (0..<count).map { index in row(index, String(format: "2020-04-01T%02d:%02d:%02dZ", hour, index / 60 % 60, index % 60)) }
            .joined(separator: "\n") + "\n"
    }

    /// One export with outcomes (20 of 100 abandoned) and one without: the rate is 20% of the 100, and
    /// the 300 without are said, counted as received and as `outcome_unknown`.
    @Test func anExportWithoutOutcomesLeavesItsContactsOutOfTheRates() throws {
        let known = TestSupport.temporaryFile("contact_id,channel,arrived_at,answered_at,ended_at\n" + Self.rows(100, hour: 10) { index, time in
            index < 20 ? "K\(index),101,\(time),,\(time)" : "K\(index),101,\(time),\(time),\(time)"
        }, name: "known.csv")
        let unknown = TestSupport.temporaryFile("contact_id,channel,arrived_at\n" + Self.rows(300, hour: 11) { "U\($0),101,\($1)" }, name: "unknown.csv")
        let run = try CLI.run(["report", known, unknown, "--format", "json", "--no-progress"])
        #expect(run.status == 0, "\(run.standardError)")
        let channel = try #require(try Self.channel(run.standardOutput, "101"))
        #expect(channel["received"] as? Int == 400 && channel["other"] as? Int == 300 && channel["outcome_unknown"] as? Int == 300)
        #expect(channel["abandon_rate"] as? Double == 0.2, "\(channel)")
        #expect(channel["service_level"] as? Double == 0.8, "\(channel)")
        let table = try CLI.run(["report", known, unknown, "--no-progress"])
        #expect(table.standardOutput.contains("300 contacts come from exports with no outcome or answer time (outcome_unknown)"), "\(table.standardOutput)")
    }

    /// Answered calls of a channel with no answer time, beside others with one: said under the table (a review's
    /// service level of 100% hid 10 calls in 100 with no answer time). Not for a channel with none timed, whose answer
    /// times show as not measured.
    @Test func answeredCallsWithNoAnswerTimeAreSaidBesideTimedOnes() throws {
        let mixed = TestSupport.temporaryFile("contact_id,channel,arrived_at,answered_at,outcome\n" + Self.rows(100, hour: 10) { index, time in
            index < 10 ? "M\(index),999,\(time),,answered" : "M\(index),999,\(time),\(time),answered"
        } + Self.rows(5, hour: 11) { "N\($0),101,\($1),,answered" }, name: "mixed.csv")
        let run = try CLI.run(["report", mixed, "--no-progress"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("\n10 answered contacts have no answer time (such as an empty answered_at, or a date with no time of day) "
            + "in channels where others have one: counted as answered, left out of answer times, their percentiles and service levels.\n"),
                "\(run.standardOutput)")
        let timed = TestSupport.temporaryFile("contact_id,channel,arrived_at,answered_at,outcome\n" + Self.rows(5, hour: 11) { "T\($0),101,\($1),\($1),answered" }
            + Self.rows(5, hour: 12) { "U\($0),999,\($1),,answered" }, name: "timed.csv")
        let quiet = try CLI.run(["report", timed, "--no-progress"])
        #expect(quiet.status == 0 && !quiet.standardOutput.contains("no answer time"), "\(quiet.standardOutput)")
    }

    /// An answered_at and an outcome column that are empty on every row: every call counts as abandoned
    /// by the rule of §2, and that is said, naming the file.
    @Test func emptyOutcomeColumnsAreSaid() throws {
        let blank = TestSupport.temporaryFile("contact_id,channel,arrived_at,answered_at,outcome\n" + Self.rows(50, hour: 10) { "B\($0),101,\($1),," },
                                              name: "blank.csv")
        let run = try CLI.run(["report", blank, "--no-progress"])
        #expect(run.status == 0)
        #expect(run.standardError.contains("blank.csv: no row gives an outcome or an answer time (those columns are empty), so every call in it counts as abandoned"),
                "\(run.standardError)")
        // One row with an answer time: the columns are used, and nothing is said.
        let used = TestSupport.temporaryFile("contact_id,channel,arrived_at,answered_at,outcome\n" + Self.rows(50, hour: 10) { index, time in
            "B\(index),101,\(time),\(index == 7 ? time : ""),"
        }, name: "used.csv")
        #expect(try !CLI.run(["report", used, "--no-progress"]).standardError.contains("no row gives an outcome"))
        // The one row with an answer time is rejected (answered before it arrived): every kept row is abandoned
        // for its empty columns, and that is still said.
        let rejected = TestSupport.temporaryFile("contact_id,channel,arrived_at,answered_at,outcome\n" + Self.rows(50, hour: 10) { index, time in
            "B\(index),101,\(time),\(index == 7 ? "2020-04-01T09:00:00Z" : ""),"
        }, name: "rejected.csv")
        let muted = try CLI.run(["report", rejected, "--no-progress"])
        #expect(muted.standardError.contains("rejected.csv: no row gives an outcome") && muted.standardError.contains("rejected.csv:9: rejected (negative_wait): answered_at: before arrived_at"),
                "\(muted.standardError)")
    }

    static func channel(_ json: String, _ name: String) throws -> [String: Any]? {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let periods = object?["periods"] as? [[String: Any]]
        return (periods?.first?["channels"] as? [String: Any])?[name] as? [String: Any]
    }
}
