import Foundation
import Testing

/// Runs the built `contact-metrics` binary and checks stdout, stderr and the exit status.
enum CLI {
    struct Run {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static var binary: URL {
        // Tests run from .build/<config>/…; the CLI sits beside the test bundle.
        var directory = Bundle.main.bundleURL
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("contact-metrics").path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("contact-metrics")
    }

    /// Runs the binary in the package's root, or in `directory`.
    static func run(_ arguments: [String], input: String? = nil, in directory: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory.map { URL(fileURLWithPath: $0) } ?? TestSupport.packageRoot
        let output = Pipe(), error = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                   standardError: String(decoding: errData, as: UTF8.self))
    }
}

@Suite struct CLITests {
    @Test func reportOnTheSampleData() throws {
        let run = try CLI.run(["report", "SampleData/contacts.csv", "SampleData/incidents.csv", "--format", "json"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("\"schema\": \"contact-metrics/report/1\""))
        #expect(run.standardError.contains("SampleData/contacts.csv:15: rejected (invalid_arrived_at): arrived_at: expected a timestamp, found \"31/02/2019 10:00:00\""))
    }

    /// A report of incidents alone has no contact table (it showed "All contacts 0": nothing was measured),
    /// a `total_contacts` of null, and its periods marked partial by the days the incidents cover.
    @Test func aReportOfIncidentsAlone() throws {
        let table = try CLI.run(["report", "SampleData/hampshire/incidents.csv.gz", "--from", "2020-04-01", "--to", "2020-04-10", "--no-progress"])
        #expect(table.status == 0 && !table.standardOutput.contains("All contacts") && !table.standardOutput.contains("Channel"))
        #expect(table.standardOutput.contains("2020-04 (partial)"), "\(table.standardOutput)")
        #expect(table.standardOutput.contains("(partial): the inputs cover 2020-04-01 to 2020-04-10"))
        let json = try CLI.run(["report", "SampleData/incidents.csv", "--format", "json", "--no-progress"]).standardOutput
        #expect(json.contains("\"total_contacts\": null") && !json.contains("\"total_contacts\": 0"))
        let csv = try CLI.run(["report", "SampleData/incidents.csv", "--format", "csv", "--no-progress"]).standardOutput
        #expect(csv.contains(",all,total_contacts,\n") && !csv.contains("total_contacts,0"))
        // A page of many periods folds the incidents' table, and has no empty fold for the contacts'.
        let days = (1...30).map { String(format: "I%d,2020-04-%02dT10:00:00Z,yes,\n", $0, $0) }.joined()
        let incidents = TestSupport.temporaryFile("incident_id,raised_at,deployed,referred_to\n" + days, name: "incidents.csv")
        let page = try CLI.run(["report", incidents, "--period", "day", "--format", "html", "--no-progress"]).standardOutput
        #expect(!page.contains("The table of the") && page.contains("<summary>The incidents of the 30 periods</summary>"))
        // With contacts, the total is there.
        let both = try CLI.run(["report", "SampleData/contacts.csv", "SampleData/incidents.csv", "--format", "json", "--no-progress"]).standardOutput
        #expect(both.contains("\"total_contacts\": 11"), "\(both)")
    }

    @Test func unknownOptionIsAUsageErrorWithASuggestion() throws {
        let run = try CLI.run(["report", "SampleData/contacts.csv", "--perod", "day"])
        #expect(run.status == 64)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError.hasPrefix("Error: unknown option '--perod'; did you mean '--period'?\nUSAGE: contact-metrics report"))
        // A letter stands for the options it begins (by spelling, `-o` was nearest to `--to`).
        let letter = try CLI.run(["report", "SampleData/contacts.csv", "-o", "out.txt"])
        #expect(letter.status == 64 && letter.standardError.hasPrefix("Error: unknown option '-o'; did you mean '--output'?"), "\(letter.standardError)")
        // A file whose name begins with '-': how to give it.
        let directory = OutputSafetyTests.directory()
        try Data("channel,arrived_at\n999,2019-04-01T10:00:00Z\n".utf8).write(to: URL(fileURLWithPath: directory + "/-leading.csv"))
        let dashed = try CLI.run(["report", "-leading.csv"], in: directory)
        #expect(dashed.status == 64 && dashed.standardError.hasPrefix("Error: unknown option '-leading.csv'; a file whose name begins with '-' is given as "
            + "'./-leading.csv', or after '--' with every option before it"), "\(dashed.standardError)")
        // A source's name is not a path: './' would change it, and after '--' the options cannot follow (a review).
        let store = StoreSupport.temporaryStorePath()
        #expect(try CLI.run(["ingest", "--store", store, "--", "-leading.csv"], in: directory).status == 0)
        let remove = try CLI.run(["store", "remove", "-leading.csv", "--store", store], in: directory)
        #expect(remove.status == 64 && remove.standardError.contains("; a source name that begins with '-' is given after '--', with every option "
            + "before it (contact-metrics store remove --store DB -- -leading.csv)"), "\(remove.standardError)")
        #expect(try CLI.run(["store", "remove", "--store", store, "--", "-leading.csv"], in: directory).status == 0)
    }

    @Test func badValuesAreUsageErrors() throws {
        for arguments in [["--period", "fortnight"], ["--tz", "Europe/Londn"], ["--threads", "0"], ["--from", "2019-02-30"],
                          ["--format", "xml"], ["--max-rejects", "lots"], ["--service-level", "999"]] {
            let run = try CLI.run(["report", "SampleData/contacts.csv"] + arguments)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.standardOutput.isEmpty)
        }
        // A channel given twice was the last one's, without a word.
        let twice = try CLI.run(["report", "SampleData/contacts.csv", "--service-level", "999=10, 999=20"])
        #expect(twice.status == 64 && twice.standardError.hasPrefix("Error: --service-level: 999 is given twice in '999=10, 999=20'\n"))
    }

    /// A newcomer's slips get a pointer to the fix: the store given without --store, an option before the
    /// command, a directory given for its files; and one row is "1 row read".
    @Test func slipsGetAPointer() throws {
        let existing = TestSupport.temporaryFile("", name: "metrics.db")
        let store = try CLI.run(["store", "info", existing])
        #expect(store.status == 64 && store.standardError.contains("--store DB is required; did you mean --store \(existing)?"))
        let ingest = try CLI.run(["ingest", "nightly.db", "SampleData/contacts.csv"])
        #expect(ingest.status == 64 && ingest.standardError.contains("did you mean --store nightly.db?"))
        // A store is known by its first bytes too, whatever its name.
        let unsuffixed = TestSupport.temporaryRoot.appendingPathComponent("nightly-\(UUID().uuidString)").path
        #expect(try CLI.run(["ingest", "--store", unsuffixed, "SampleData/incidents.csv", "--max-rejects", "50%"]).status == 0)
        let byHeader = try CLI.run(["store", "info", unsuffixed])
        #expect(byHeader.status == 64 && byHeader.standardError.contains("did you mean --store \(unsuffixed)?"), "\(byHeader.standardError)")
        let absent = try CLI.run(["store", "info", "never-made.db"])
        #expect(absent.status == 64 && !absent.standardError.contains("did you mean"))
        let storeFirst = try CLI.run(["--store", "metrics.db", "report"])
        #expect(storeFirst.status == 64 && storeFirst.standardError.contains("unknown command '--store'; options go after the command: contact-metrics report ... --store"))
        let early = try CLI.run(["--format", "markdown", "report", "SampleData/contacts.csv"])
        #expect(early.status == 64 && early.standardError.contains("unknown command '--format'; options go after the command: contact-metrics report ... --format"))
        let directory = try CLI.run(["report", "SampleData/hampshire"])
        #expect(directory.status == 1 && directory.standardError.contains("is a directory (give the files in it, e.g. SampleData/hampshire/*.csv)"))
        let one = try CLI.run(["report", TestSupport.temporaryFile("channel,arrived_at\n999,2019-04-01T10:00:00Z\n")])
        #expect(one.status == 0 && one.standardOutput.contains("Input: 1 row read, 1 accepted"))
        // Every row rejected: an empty table, said under the reasons (status 0, as --max-rejects has no default for report).
        let none = try CLI.run(["report", TestSupport.temporaryFile("channel,arrived_at\n999,xx\n101,yy\n")])
        #expect(none.status == 0 && none.standardError.hasSuffix(
            "warning: no row was accepted (2 rejected, the reasons above), so the figures are empty; --max-rejects 0 makes such a run fail\n"))
    }

    @Test func badCompareOptionsAreUsageErrors() throws {
        let windows = ["--before", "A=2019-04-01..2019-04-30", "--after", "B=2019-06-01..2019-06-30"]
        let cases: [([String], String)] = [
            (["--event", "X=2019-05-01"], "--event needs --trend"),
            (["--series", "/tmp/never-written.csv"], "--series needs --trend"),
            (["--trend", "--event", "X=2019-08-01"], "after the first day of the span"),
            (["--trend", "--event", "X=2019-04-01"], "after the first day of the span"),
            (["--trend", "--event", "X=2019-06-01"], "not the change date"),
            (["--trend", "--event", "X=2019-05-01,X=2019-05-08"], "its own label and date"),
            (["--trend", "--event", "change=2019-05-01"], "its own label and date"),
            (["--trend", "--change-date", "2019-03-01"], "--change-date 2019-03-01 is outside the span of the windows, 2019-04-01..2019-06-30"),
            (["--trend", "--change-date", "2019-06-27"], "at least 7 days"),
            (["--trend", "--series", "-"], "standard output carries only the report"),
            (["--trend", "--series", "SampleData/contacts.csv"], "is the input"),
            (["--intervals", "weeks"], "expected one of days, contacts"),
            (["--service-level-boundary", "lte"], "expected le or lt"),
        ]
        let inside = try CLI.run(["compare", "SampleData/contacts.csv"] + windows + ["--trend", "--change-date", "2019-06-15"])
        #expect(inside.status == 0 && inside.standardOutput.contains("The change date 2019-06-15 is inside the B window"))
        let same = try CLI.run(["compare", "SampleData/contacts.csv", "--before", "A=2019-04-01..2019-04-30", "--after", "B=2019-04-01..2019-04-30"])
        #expect(same.status == 64 && same.standardError.contains("are the same days"))
        for (arguments, message) in cases {
            let run = try CLI.run(["compare", "SampleData/contacts.csv"] + windows + arguments)
            #expect(run.status == 64 && run.standardError.contains(message), "\(arguments): \(run.standardError)")
            #expect(run.standardOutput.isEmpty)
        }
    }

    @Test func missingFileAndMissingColumnsExitOne() throws {
        let missing = try CLI.run(["report", "no-such-file.csv"])
        #expect(missing.status == 1)
        #expect(missing.standardError == "Error: no-such-file.csv: cannot open: No such file or directory\n")
        let wrong = TestSupport.temporaryFile("contact_id,channel\n1,999\n")
        let columns = try CLI.run(["report", wrong])
        #expect(columns.status == 1)
        #expect(columns.standardError.contains("missing required column for a contacts file: arrived_at"))
        #expect(columns.standardOutput.isEmpty)
    }

    @Test func tooManyRejectsExitsSixtyFiveAndWritesNothing() throws {
        let output = TestSupport.temporaryRoot.appendingPathComponent("cm-\(UUID().uuidString).json").path
        let run = try CLI.run(["report", "SampleData/contacts.csv", "--max-rejects", "1", "--output", output])
        #expect(run.status == 65)
        #expect(run.standardOutput.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: output))
        let allowed = try CLI.run(["report", "SampleData/contacts.csv", "--max-rejects", "25%", "--format", "csv"])
        #expect(allowed.status == 0)
    }

    @Test func rejectsFileListsEveryRejectedRow() throws {
        let path = TestSupport.temporaryRoot.appendingPathComponent("cm-\(UUID().uuidString).csv").path
        let run = try CLI.run(["report", "SampleData/contacts.csv", "--rejects", path, "--format", "csv"])
        #expect(run.status == 0)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "file,line,reason,message,record")
        #expect(lines.count == 5)
        #expect(lines[1].hasPrefix("SampleData/contacts.csv,15,invalid_arrived_at,"))
    }

    @Test func standardInputAndHelpAndVersion() throws {
        let csv = "channel,arrived_at\n999,2019-04-01T10:00:00Z\n"
        let run = try CLI.run(["report", "-", "--format", "csv"], input: csv)
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("2019-04,2019-04-01,2019-04-30,999,received,1"))
        let help = try CLI.run(["help", "report"])
        #expect(help.status == 0 && help.standardOutput.contains("EXAMPLES:"))
        #expect(try CLI.run(["report", "--help"]).standardOutput == help.standardOutput)
        #expect(try CLI.run(["--version"]).standardOutput.hasPrefix("contact-metrics "))
        #expect(try CLI.run(["reprot"]).standardError.contains("did you mean 'report'?"))
    }

    @Test func outputsThatNameAnInputAreRefusedAndTheInputIsKept() throws {
        let input = TestSupport.temporaryFile(try String(contentsOfFile: TestSupport.sample("contacts.csv"), encoding: .utf8))
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let sameFileOtherSpelling = (input as NSString).deletingLastPathComponent + "/../" +
            URL(fileURLWithPath: input).deletingLastPathComponent().lastPathComponent + "/input.csv"
        for option in ["--rejects", "--output"] {
            let run = try CLI.run(["report", input, option, sameFileOtherSpelling])
            #expect(run.status == 64)
            #expect(run.standardError.contains("is the input"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
        #expect(try CLI.run(["report", "-", "-"], input: "channel,arrived_at\n").status == 64)
    }

    @Test func aHeaderThatNamesAColumnTwiceIsRefused() throws {
        let path = TestSupport.temporaryFile("contact_id,channel,arrived_at,channel\n1,999,2019-04-01T10:00:00Z,101\n")
        let run = try CLI.run(["report", path])
        #expect(run.status == 1)
        #expect(run.standardError.contains("the header names column channel twice"))
    }

    @Test func timestampsOutsideFourDigitYearsAreRejected() throws {
        let path = TestSupport.temporaryFile("channel,arrived_at\n999,9999-12-31T23:59:59-12:00\n999,0001-01-01T00:00:00Z\n999,9999-12-31T23:59:59Z\n")
        let run = try CLI.run(["report", path, "--format", "csv"])
        #expect(run.status == 0)
        #expect(run.standardError.contains(":2: rejected (invalid_arrived_at): arrived_at: expected a timestamp"))
        #expect(run.standardOutput.contains("0001-01,0001-01-01,0001-01-31,999,received,1"))
        #expect(run.standardOutput.contains("9999-12,9999-12-01,9999-12-31,999,received,1"))
    }
}

/// The README shows every help text; they must be the binary's own, word for word.
@Suite struct ReadmeHelpTests {
    /// The fenced block that follows `marker` in the README.
    static func block(after marker: String, in readme: String) -> String? {
        guard let start = readme.range(of: marker), let open = readme.range(of: "```\n", range: start.upperBound..<readme.endIndex),
              let close = readme.range(of: "```\n", range: open.upperBound..<readme.endIndex) else { return nil }
        return String(readme[open.upperBound..<close.lowerBound])
    }

    @Test(arguments: [nil, "report", "compare", "ingest", "store", "generate"])
    func readmeShowsTheHelpText(command: String?) throws {
        let readme = try String(contentsOf: TestSupport.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = command.map { "<summary><code>contact-metrics help \($0)</code></summary>" } ?? "print these texts:"
        let shown = try #require(Self.block(after: marker, in: readme), "no help block for \(command ?? "the overview") in README.md")
        #expect(shown == (try CLI.run(["help"] + (command.map { [$0] } ?? []))).standardOutput)
    }
}

/// Sub-day periods keyed by local time, over the hour the clocks went back (two reviews found an hour of 120 calls
/// among hours of 60, with no word): marked, said, and flagged in JSON, from files and from a store. The spring
/// change, which skips an hour, repeats none.
@Suite struct RepeatedHourTests {
    /// One 101 call a minute from `start` (UTC seconds) for `minutes`, times with their London offset.
    static func calls(fromUTC start: Int64, minutes: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Europe/London")
        formatter.formatOptions = [.withInternetDateTime]
        return "contact_id,channel,arrived_at,answered_at\n" + (0..<minutes).map { minute in
            let arrival = Date(timeIntervalSince1970: Double(start + Int64(minute) * 60))
            return "c\(minute),101,\(formatter.string(from: arrival)),\(formatter.string(from: arrival.addingTimeInterval(30)))"
        }.joined(separator: "\n") + "\n"
    }

    @Test func theHourTheClocksWentBackOverIsMarked() throws {
        // 2020-10-25 00:00 BST (23:00 UTC the day before) to 03:00 GMT: four hours of calls over three local hours.
        let file = TestSupport.temporaryFile(Self.calls(fromUTC: 1_603_580_400, minutes: 240))
        let table = try CLI.run(["report", file, "--period", "hour"])
        #expect(table.standardOutput.contains("2020-10-25T01:00 (twice)  101                120"), "\(table.standardOutput)")
        #expect(table.standardOutput.contains("2020-10-25T00:00          101                 60"))
        #expect(table.standardOutput.contains("The clocks went back in Europe/London, so local times from 2020-10-25T01:00:00 to 2020-10-25T01:59:59 "
                                              + "came twice: the periods over them hold the contacts of both (up to twice their length of time), and are marked (twice)."))
        let json = try CLI.run(["report", file, "--period", "15min", "--format", "json"]).standardOutput
        #expect(json.components(separatedBy: #""repeated_hour": true"#).count - 1 == 4, "four quarter hours from 01:00")
        let csv = try CLI.run(["report", file, "--period", "hour", "--format", "csv"]).standardOutput
        #expect(csv.contains("2020-10-25T01:00,2020-10-25T01:00:00,2020-10-25T01:59:59,all,repeated_hour,true"), "\(csv)")
        let store = StoreSupport.temporaryStorePath()
        #expect(try CLI.run(["ingest", "--store", store, file]).status == 0)
        #expect(try CLI.run(["report", "--store", store, "--period", "hour"]).standardOutput.contains("2020-10-25T01:00 (twice)"))
        let day = try CLI.run(["report", file, "--period", "day"])
        #expect(!day.standardOutput.contains("twice"))
        // Spring: 2020-03-29 00:00 GMT to 03:00 BST, the skipped hour 01:00 to 01:59 has no contact and nothing repeats.
        let spring = TestSupport.temporaryFile(Self.calls(fromUTC: 1_585_440_000, minutes: 120))
        #expect(!(try CLI.run(["report", spring, "--period", "hour"])).standardOutput.contains("twice"))
    }
}
