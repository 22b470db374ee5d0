import Foundation
import Testing
@testable import ContactMetrics

/// `--targets`, `--exceptions`, `--fail-on` and the nightly job's JSON (`ingest`, `store info`) through the binary.
@Suite struct TargetCLITests {
    /// Three days of 101 calls (answered after 30 s, 200 s and 30 s) in three daily files, and a fourth day missing.
    private func dailyFiles() -> [String] {
        let waits = [("2019-04-01", 30), ("2019-04-02", 200), ("2019-04-04", 30)]
        return waits.map { date, wait in
            TestSupport.temporaryFile("channel,arrived_at,answered_at\n101,\(date)T10:00:00Z,\(date)T10:0\(wait / 60):\(wait % 60 < 10 ? "0" : "")\(wait % 60)Z\n",
                                      name: "calls-\(date).csv")
        }
    }

    private let targets = TestSupport.temporaryFile(#"{"101": {"asa_seconds": {"at_most": 120}}}"#, name: "targets.json")

    @Test func exitStatusThreeOnlyWithFailOn() throws {
        let files = dailyFiles()
        let plain = try CLI.run(["report"] + files + ["--period", "day", "--targets", targets])
        #expect(plain.status == 0)
        #expect(plain.standardOutput.replacingOccurrences(of: " +", with: " ", options: .regularExpression)
                .contains("2019-04-02 101 Average time to answer at most 02:00 03:20 Red worse —"))
        let failing = try CLI.run(["report"] + files + ["--period", "day", "--targets", targets, "--fail-on", "red"])
        #expect(failing.status == 3)
        #expect(failing.standardOutput == plain.standardOutput)  // written in full first
        // The 3rd of April has no data at all: a missing export fails too.
        #expect(failing.standardError.hasSuffix("contact-metrics: 1 red of 4 target checks; 1 period without any data (--fail-on red): exit status 3\n"))
        // Nothing red on the first day alone.
        #expect(try CLI.run(["report"] + files + ["--period", "day", "--targets", targets, "--fail-on", "red", "--to", "2019-04-01"]).status == 0)
        // No 999 calls: nothing to judge, which a nightly check must not take for success.
        let nothing = try CLI.run(["report"] + files + ["--targets", "home-office-999", "--fail-on", "amber", "--exceptions"])
        #expect(nothing.status == 3 && nothing.standardError.hasSuffix("nothing measured (--fail-on amber): exit status 3\n"))
        #expect(nothing.standardOutput.contains("Nothing to judge: no period has the figures the targets need (1 not measured)."))
    }

    @Test func exceptionsOnAStoreWithADayMissing() throws {
        let store = StoreSupport.temporaryStorePath()
        let ingest = try CLI.run(["ingest", "--store", store, "--format", "json"] + dailyFiles())
        #expect(ingest.status == 0)
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(ingest.standardOutput.utf8)) as? [String: Any])
        #expect(outcome["schema"] as? String == "contact-metrics/ingest/1" && outcome["added"] as? Int == 3 && outcome["store_changed"] as? Bool == true)
        let again = try CLI.run(["ingest", "--store", store, "--format", "json"] + dailyFiles())
        #expect(again.standardOutput.contains("\"unchanged\": 3") && again.standardOutput.contains("\"store_changed\": false"))
        // Each source's skipped rows by reason, as its rejected ones (a blank row below the data here).
        let blank = TestSupport.temporaryFile("channel,arrived_at,answered_at\n101,2019-04-05T10:00:00Z,2019-04-05T10:00:30Z\n,,\n", name: "calls-2019-04-05.csv")
        let skipped = try CLI.run(["ingest", "--store", StoreSupport.temporaryStorePath(), "--format", "json", blank])
        #expect(skipped.standardOutput.contains("\"skipped_by_reason\": {\n        \"blank_row\": 1\n      }"), "\(skipped.standardOutput)")

        // The 3rd ingested, then removed again: the gap shows only once it is gone.
        let third = TestSupport.temporaryFile("channel,arrived_at,answered_at\n101,2019-04-03T10:00:00Z,2019-04-03T10:00:30Z\n", name: "calls-2019-04-03.csv")
        #expect(try CLI.run(["ingest", "--store", store, third]).status == 0)
        #expect(try CLI.run(["store", "info", "--store", store]).standardOutput.contains("101      2019-04-01  2019-04-04      4  none"))
        #expect(try CLI.run(["store", "remove", third, "--store", store]).status == 0)
        let info = try CLI.run(["store", "info", "--store", store])
        #expect(info.standardOutput.contains("101      2019-04-01  2019-04-04      3  1: 2019-04-03"))
        let json = try CLI.run(["store", "info", "--store", store, "--format", "json"])
        #expect(json.standardOutput.contains("\"days_without_data\": 1") && json.standardOutput.contains("\"from\": \"2019-04-03\""))

        let exceptions = try CLI.run(["report", "--store", store, "--period", "day", "--targets", targets, "--exceptions", "--fail-on", "red"])
        #expect(exceptions.status == 3)
        let rows = exceptions.standardOutput.split(separator: "\n").filter { $0.hasPrefix("Red") || $0.hasPrefix("Amber") }
        #expect(rows.count == 1 && rows[0].contains("2019-04-02") && rows[0].contains("01:20 over"))
        #expect(exceptions.standardOutput.contains("1 period has no data at all (2019-04-03)"))
        let quiet = try CLI.run(["report", "--store", store, "--period", "day", "--from", "2019-04-03", "--to", "2019-04-04",
                                 "--targets", targets, "--exceptions", "--format", "json"])
        #expect(quiet.status == 0)
        #expect(quiet.standardOutput.contains("\"exceptions\": []") && quiet.standardOutput.contains("\"periods_without_data\": [\n    \"2019-04-03\"\n  ]"))
    }

    /// A day whose 999 export is missing (its 101 export came) passes `--fail-on red` unless the targets
    /// say `not_measured`, but the not-measured check is named, not only counted.
    @Test func aChannelMissingOnADayIsNamed() throws {
        let calls = TestSupport.temporaryFile("contact_id,channel,arrived_at,answered_at\n1,999,2020-04-01 10:00:00,2020-04-01 10:00:05\n"
                                              + "2,101,2020-04-01 10:00:00,2020-04-01 10:00:50\n3,101,2020-04-02 10:00:00,2020-04-02 10:00:30\n")
        let targets = TestSupport.temporaryFile(#"{"101": {"asa_seconds": {"at_most": 120}}, "999": {"asa_seconds": {"at_most": 10}}}"#, name: "t.json")
        let run = try CLI.run(["report", calls, "--period", "day", "--from", "2020-04-02", "--to", "2020-04-02",
                               "--targets", targets, "--exceptions", "--fail-on", "red"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("No exceptions: the one measured check meets its target (1 not measured: 2020-04-02 999 average time to answer)."))
    }

    @Test func usageErrors() throws {
        let file = dailyFiles()[0]
        for (arguments, message) in [
            (["--exceptions"], "--exceptions needs --targets FILE"),
            (["--fail-on", "red"], "--fail-on needs --targets FILE"),
            (["--targets", targets, "--fail-on", "green"], "--fail-on: expected red or amber, found 'green'"),
            (["--targets", "nope.json"], "--targets nope.json: cannot read the targets file (no such file) (built-in targets: home-office-999)"),
            (["--targets", targets, "--output", targets], "is the targets file"),
        ] {
            let run = try CLI.run(["report", file] + arguments)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.standardError.contains(message), "\(run.standardError)")
        }
        let bad = TestSupport.temporaryFile(#"{"101": {"asa_seconds": {"at_most": -1}}}"#, name: "bad.json")
        #expect(try CLI.run(["report", file, "--targets", bad]).standardError.contains("bad.json: 101.asa_seconds.at_most: expected 0 or more, found -1.0"))
        #expect(try CLI.run(["ingest", "--store", StoreSupport.temporaryStorePath(), file, "--format", "csv"]).status == 64)
        #expect(try CLI.run(["store", "info", "--store", "x.db", "--format", "html"]).status == 64)
    }

    @Test func compareJudgesEachWindow() throws {
        // A: a mean of 115 s, B: 30 s.
        let targets = TestSupport.temporaryFile(#"{"101": {"asa_seconds": {"at_most": 100}}}"#, name: "targets.json")
        let run = try CLI.run(["compare"] + dailyFiles() + ["--before", "A=2019-04-01..2019-04-02", "--after", "B=2019-04-04..2019-04-04",
                                                            "--targets", targets, "--format", "csv"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("target_status:asa_seconds,101,red,green,better,"))
    }
}
