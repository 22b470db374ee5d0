#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import ContactMetrics

/// The store through the built binary: nightly-job behaviour, concurrency and crash safety.
@Suite struct StoreCLITests {
    static let pauseHook = "CONTACT_METRICS_TEST_PAUSE_IN_TRANSACTION"

    /// Starts the CLI without waiting; its output is discarded.
    private func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = TestSupport.packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func waitForFile(_ path: String, seconds: Double = 120) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            usleep(20_000)
        }
        return false
    }

    /// A same-name export that replaces an earlier one which held other times says which times are no longer
    /// counted: a rolling export repeating one call of the night before was taken for a correction of that
    /// night, and four of its five calls went without a word. A correction of the same times says nothing.
    /// A new store with a long name is made: its temporary name beside it took the whole name and went over
    /// the file system's 255 bytes ("unable to open database file").
    @Test func aStoreWithALongNameIsMade() throws {
        let directory = TestSupport.temporaryRoot.appendingPathComponent("cm-long-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = directory + "/" + String(repeating: "s", count: 240)
        let run = try CLI.run(["ingest", "--store", store, "SampleData/contacts.csv", "--max-rejects", "50%"])
        #expect(run.status == 0, "\(run.standardError)")
        // A new store alone: its record (`StoreCheckRecord`) is made by the next run's check.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [FilePaths.name(of: store)])
    }

    @Test func aReplacementSaysWhatItNoLongerCovers() throws {
        let store = StoreSupport.temporaryStorePath()
        let directory = TestSupport.temporaryRoot.appendingPathComponent("rolling-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let calls = directory.appendingPathComponent("calls.csv").path
        func night(_ times: [String]) throws {
            try ("channel,arrived_at\n" + times.map { "999,\($0)\n" }.joined()).write(toFile: calls, atomically: true, encoding: .utf8)
        }
        try night(["2019-05-01T08:00:00Z", "2019-05-01T12:00:00Z", "2019-05-01T23:00:00Z"])
        #expect(try CLI.run(["ingest", "--store", store, calls]).status == 0)
        try night(["2019-05-01T08:00:00Z", "2019-05-01T12:30:00Z", "2019-05-01T23:00:00Z"])
        let correction = try CLI.run(["ingest", "--store", store, calls])
        #expect(correction.status == 0 && correction.standardError.contains("(replaces the earlier version)") && !correction.standardError.contains("warning"))
        // The next export of a rolling window, repeating the night before's last call, touches its times only: a
        // new night (it was a correction that left out the night before's other contacts).
        try night(["2019-05-01T23:00:00Z", "2019-05-02T09:00:00Z", "2019-05-02T10:00:00Z"])
        let rolling = try CLI.run(["ingest", "--store", store, calls])
        #expect(rolling.status == 0 && rolling.standardError.contains("(the source \(calls) holds other times)"), "\(rolling.standardError)")
        // A correction that holds fewer times says which it no longer counts, unless another source holds them: here
        // the rolling export holds the 23:00 call (`aReplacementThatLeavesOutWhatAnotherSourceHoldsIsNotWarnedOf`).
        try night(["2019-05-01T08:00:00Z", "2019-05-01T12:30:00Z"])
        let shorter = try CLI.run(["ingest", "--store", store, calls])
        #expect(shorter.status == 0 && shorter.standardError.contains("(replaces the earlier version)") && !shorter.standardError.contains("warning"),
                "\(shorter.standardError)")
        // Without it, the same correction says so.
        #expect(try CLI.run(["store", "remove", calls + "@2019-05-01T23:00:00Z", "--store", store]).status == 0)
        try night(["2019-05-01T08:00:00Z", "2019-05-01T12:30:00Z", "2019-05-01T23:00:00Z"])
        #expect(try CLI.run(["ingest", "--store", store, calls]).status == 0)
        try night(["2019-05-01T08:00:00Z", "2019-05-01T12:30:00Z"])
        let alone = try CLI.run(["ingest", "--store", store, calls])
        #expect(alone.status == 0 && alone.standardError.contains(
            "calls.csv: the earlier version it replaces held contacts after 2019-05-01T12:30:00Z to 2019-05-01T23:00:00Z, which this one does not: they are no longer counted."),
            "\(alone.standardError)")
    }

    /// A night exported again with every wait recomputed (a clock fixed) and the same arrivals is stored beside the
    /// night (two sites' calls on a schedule look the same: the diff review), with a warning that says which it may be and
    /// what to do; it was told it was another site's export "as it should be". Done, the figures are the new file's.
    @Test func aCorrectionOfEveryWaitIsSaidToBeOne() throws {
        let store = StoreSupport.temporaryStorePath()
        let directory = TestSupport.temporaryRoot.appendingPathComponent("waits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let calls = directory.appendingPathComponent("calls.csv").path
        func night(waitsLater seconds: Int) throws {
            var text = "channel,arrived_at,answered_at\n"
            for minute in 0..<1_440 {  // 7 or 8 calls a cell: two sites' sparse nights are told apart
                let (hour, minuteOfHour) = (minute / 60, minute % 60)
                let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
                text += "\(minute % 2 == 0 ? "999" : "101"),2019-05-01T\(two(hour)):\(two(minuteOfHour)):05Z,2019-05-01T\(two(hour)):\(two(minuteOfHour)):\(two(10 + seconds + minute % 30))Z\n"
            }
            try text.write(toFile: calls, atomically: true, encoding: .utf8)
        }
        try night(waitsLater: 0)
        #expect(try CLI.run(["ingest", "--store", store, "--quiet", calls]).status == 0)
        try night(waitsLater: 3)
        let corrected = try CLI.run(["ingest", "--store", store, calls])
        #expect(corrected.status == 0 && corrected.standardError.contains("calls.csv: it holds as many contacts as the source \(calls) in every 15-minute "
            + "slot and channel, from the same first to the same last arrival, but other waits, so it was stored as a new night (\(calls)@2019-05-01T00:00:05Z): "
            + "if it corrects that night (its waits recomputed), they are now counted twice; take the earlier out ('contact-metrics store remove \(calls) --store \(store)')"),
                "\(corrected.standardError)")
        #expect(try CLI.run(["store", "remove", calls, "--store", store]).status == 0)
        let fromStore = try CLI.run(["report", "--store", store, "--format", "csv"]).standardOutput
        #expect(fromStore == (try CLI.run(["report", calls, "--format", "csv"]).standardOutput))
        // The next recomputation, under the name now free, is said the same way (the diff review: kept without a word).
        try night(waitsLater: 6)
        let again = try CLI.run(["ingest", "--store", store, calls])
        #expect(again.status == 0 && again.standardError.contains("calls.csv: it holds as many contacts as the source \(calls)@2019-05-01T00:00:05Z in every "
            + "15-minute slot and channel, from the same first to the same last arrival, but other waits, so it was stored as a new night: if it corrects"),
                "\(again.standardError)")
    }

    /// A 25-hour export cut to its own night, as the overlap warning advises, replaces it without a word: the hour
    /// it no longer holds is the night before's, counted still (a review: told the contacts were no longer counted).
    @Test func aReplacementThatLeavesOutWhatAnotherSourceHoldsIsNotWarnedOf() throws {
        let store = StoreSupport.temporaryStorePath()
        let directory = TestSupport.temporaryRoot.appendingPathComponent("cut-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func night(_ name: String, hours: [String]) throws -> String {
            let path = directory.appendingPathComponent(name).path
            let times = hours.flatMap { hour in ["05", "25", "45"].map { "\(hour):\($0):00Z" } }
            try ("channel,arrived_at\n" + times.map { "999,2019-05-\($0)\n" }.joined()).write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let first = try night("night-1.csv", hours: (0..<24).map { "01T" + ($0 < 10 ? "0\($0)" : "\($0)") })
        let secondHours = (0..<24).map { "02T" + ($0 < 10 ? "0\($0)" : "\($0)") }
        #expect(try CLI.run(["ingest", "--store", store, "--quiet", first]).status == 0)
        _ = try night("night-2.csv", hours: ["01T23"] + secondHours)
        #expect(try CLI.run(["ingest", "--store", store, "--quiet", directory.appendingPathComponent("night-2.csv").path]).status == 0)
        let second = try night("night-2.csv", hours: secondHours)
        let cut = try CLI.run(["ingest", "--store", store, second])
        #expect(cut.status == 0 && cut.standardError.contains("(replaces the earlier version)") && !cut.standardError.contains("warning"), "\(cut.standardError)")
        // Without the night before, the same cut is warned of.
        #expect(try CLI.run(["store", "remove", first, "--store", store]).status == 0)
        _ = try night("night-2.csv", hours: ["01T23"] + secondHours)
        #expect(try CLI.run(["ingest", "--store", store, "--quiet", second]).status == 0)
        _ = try night("night-2.csv", hours: secondHours)
        let alone = try CLI.run(["ingest", "--store", store, second])
        #expect(alone.status == 0 && alone.standardError.contains("which this one does not: they are no longer counted"), "\(alone.standardError)")
        // Another site's night of the same times, busier in the same cells, holds other contacts: the loss is said (the diff
        // review: hidden when any source's cells counted).
        let sites = StoreSupport.temporaryStorePath()
        let siteB = try night("site-b.csv", hours: secondHours + secondHours)
        _ = try night("night-2.csv", hours: secondHours)
        #expect(try CLI.run(["ingest", "--store", sites, "--quiet", second, siteB]).status == 0)
        _ = try night("night-2.csv", hours: Array(secondHours.dropFirst(6)))
        let cutBesideASite = try CLI.run(["ingest", "--store", sites, second])
        #expect(cutBesideASite.status == 0 && cutBesideASite.standardError.contains("which this one does not: they are no longer counted"),
                "\(cutBesideASite.standardError)")
        // Nor does another site's night before, busier in that hour (the second diff review: hidden with "as many or more").
        let before = StoreSupport.temporaryStorePath()
        let siteY = try night("site-y.csv", hours: (0..<24).flatMap { hour in Array(repeating: "01T" + (hour < 10 ? "0\(hour)" : "\(hour)"), count: 2) })
        _ = try night("night-2.csv", hours: ["01T23"] + secondHours)
        #expect(try CLI.run(["ingest", "--store", before, "--quiet", siteY, second]).status == 0)
        _ = try night("night-2.csv", hours: secondHours)
        let cutAfterASite = try CLI.run(["ingest", "--store", before, second])
        #expect(cutAfterASite.status == 0 && cutAfterASite.standardError.contains("which this one does not: they are no longer counted"),
                "\(cutAfterASite.standardError)")
    }

    /// A re-saved copy of an export (CRLF for LF) and an export overlapping another are said to hold the same
    /// contacts, which the store now counts twice (it keeps no ids; both were added without a word, with
    /// "0 duplicate ids"); another export of the same times is not.
    @Test func sourcesHoldingTheSameContactsAreSaid() throws {
        let original = try TestSupport.contactsFile(seed: 41, rows: 6_000)
        let lines = try String(contentsOfFile: original, encoding: .utf8).split(separator: "\n")
        let first = TestSupport.temporaryFile(lines.prefix(4_001).joined(separator: "\n") + "\n", name: "first.csv")
        let copy = TestSupport.temporaryFile(lines.prefix(4_001).joined(separator: "\r\n") + "\r\n", name: "copy.csv")
        let overlapping = TestSupport.temporaryFile(([lines[0]] + lines.dropFirst(3_001)).joined(separator: "\n") + "\n", name: "later.csv")
        let other = try TestSupport.contactsFile(seed: 42, rows: 6_000)
        let store = StoreSupport.temporaryStorePath()
        let independent = try CLI.run(["ingest", "--store", store, first, other])
        #expect(independent.status == 0 && !independent.standardError.contains("warning"), "\(independent.standardError)")
        let copied = try CLI.run(["ingest", "--store", store, copy])
        #expect(copied.status == 0 && copied.standardError.contains("copy.csv: 4,000 of its 4,000 contacts in the slots and channels it shares with ")
                && copied.standardError.contains("first.csv are in cells identical to that source's"), "\(copied.standardError)")
        let later = try CLI.run(["ingest", "--store", store, overlapping])
        #expect(later.status == 0 && later.standardError.contains("later.csv: 1,000 of its 1,000 contacts in the slots and channels it shares with "),
                "\(later.standardError)")
        // Said again by store info and compare --store, long after ingest's warning (a review: never mentioned again,
        // and compare read +9% for +7%).
        let info = try CLI.run(["store", "info", "--store", store]).standardOutput
        #expect(info.contains("Sources that hold the same contacts as another, counted twice (as ingest warned):\n  \(first) and \(copy): 4,000 contacts\n"), "\(info)")
        let json = try CLI.run(["store", "info", "--store", store, "--format", "json"]).standardOutput
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let pair = try #require((summary["counted_twice"] as? [[String: Any]])?.first)
        #expect(pair["source"] as? String == first && pair["same_contacts_as"] as? String == copy && pair["contacts"] as? Int == 4000
                && pair["at_the_edge"] as? Bool == false, "\(json)")
        let days = summary["channels"] as? [[String: Any]]
        let (firstDay, lastDay) = (try #require(days?.compactMap { $0["first_day"] as? String }.min()), try #require(days?.compactMap { $0["last_day"] as? String }.max()))
        let compare = try CLI.run(["compare", "--store", store, "--before", "B=\(firstDay)..\(firstDay)", "--after", "A=\(lastDay)..\(lastDay)"])
        #expect(compare.status == 0 && compare.standardOutput.contains("The stored sources \(first) and \(copy) hold the same 4,000 contacts (as ingest warned), counted twice in the B"),
                "\(compare.standardOutput)")
        #expect(try CLI.run(["store", "remove", copy, "--store", store]).status == 0)
        #expect(!(try CLI.run(["store", "info", "--store", store]).standardOutput.contains("\(copy)")))
    }

    /// Exports cut with a margin (25 hours each night) whose overlapping hour was exported again with waits a
    /// second longer were counted twice without a word (found by review): their times overlap at one edge, and
    /// are compared on counts alone. Two sites' exports cut at different hours overlap at one edge too, with
    /// other calls: not said.
    @Test func exportsOverlappingAtTheirEdgeAreSaid() throws {
        /// Calls in minutes `minutes` after 2019-04-01T00:00Z, which of them and their waits set by `seed` and the
        /// minute alone; waits a second longer from minute `longerFrom` on.
        func export(_ name: String, _ minutes: Range<Int>, seed: UInt64, longerFrom: Int = .max) -> String {
            var csv = "contact_id,channel,arrived_at,answered_at,ended_at,outcome\n"
            for minute in minutes {
                let hash = (UInt64(minute) &+ seed &* 1_000_003) &* 0x9E37_79B9_7F4A_7C15
                guard (hash >> 60) % 2 == 0 else { continue }
                let arrival = Int64(1_554_076_800 + minute * 60) + Int64((hash >> 20) % 50)
                let wait = Int64(5 + (hash >> 30) % 90) + (minute >= longerFrom ? 1 : 0)
                csv += "\(seed)-\(minute),101,\(DisplayFormat.utcTime(arrival)),\(DisplayFormat.utcTime(arrival + wait)),,answered\n"
            }
            return TestSupport.temporaryFile(csv, name: "\(name).csv")
        }
        let store = StoreSupport.temporaryStorePath()
        #expect(try CLI.run(["ingest", "--store", store, export("night1", 0..<1_500, seed: 7)]).status == 0)
        let second = try CLI.run(["ingest", "--store", store, export("night2", 1_440..<2_940, seed: 7, longerFrom: 1_440)])
        #expect(second.status == 0 && second.standardError.contains(" contacts in the times it shares with ")
                && second.standardError.contains("night1.csv at the edge of both (the one's end is the other's start) are in cells with the same counts by outcome"),
                "\(second.standardError)")
        // Two sites, one cut at UTC midnight and one an hour earlier: other calls in the hour both hold.
        let sites = StoreSupport.temporaryStorePath()
        #expect(try CLI.run(["ingest", "--store", sites, export("siteA", 0..<1_440, seed: 7)]).status == 0)
        let siteB = try CLI.run(["ingest", "--store", sites, export("siteB", 1_380..<2_820, seed: 8)])
        #expect(siteB.status == 0 && !siteB.standardError.contains("warning"), "\(siteB.standardError)")
        #expect(second.standardError.contains("(export without the overlap, and ingest that in its place)") && !second.standardError.contains("store remove"))
        // The overlap exported again as it was: identical cells, and the same advice, not to remove a source (a second review).
        let identical = StoreSupport.temporaryStorePath()
        #expect(try CLI.run(["ingest", "--store", identical, export("night1", 0..<1_500, seed: 7)]).status == 0)
        let again = try CLI.run(["ingest", "--store", identical, "--format", "json", export("night2", 1_440..<2_940, seed: 7)])
        #expect(again.status == 0 && again.standardError.contains("(export without the overlap, and ingest that in its place)")
                && !again.standardError.contains("store remove") && again.standardOutput.contains("\"at_the_edge\": true"), "\(again.standardError)")
        // The diff review's: two sites' online reports at the edge, alike in counts, not in categories; and a 999 line of
        // 8 calls a day, exported by two sites three months apart, whose few shared cells matched by chance.
        let fixtures = "Tests/ContactMetricsCLITests/Fixtures/edge"
        // And (a second review) two sites cut 15 minutes apart, whose one shared cell matched.
        for pair in [["north.csv", "south.csv"], ["siteA-jan.csv", "siteB-mid.csv"], ["cut-midnight.csv", "cut-quarter-to.csv"]] {
            let run = try CLI.run(["ingest", "--store", StoreSupport.temporaryStorePath()] + pair.map { "\(fixtures)/\($0)" })
            #expect(run.status == 0 && !run.standardError.contains("warning"), "\(pair): \(run.standardError)")
        }
    }

    /// What a reviewer found the check missed or made up: an `@` of the name's own hid a copy; a full export
    /// after a one-channel extract of it was not said (only the other order was); one shared contact was
    /// "1 of its 1 … counted twice"; and the JSON a scheduler reads did not say it.
    @Test func sourcesHoldingTheSameContactsAreSaidWhateverTheirNamesAndOrder() throws {
        let original = try TestSupport.contactsFile(seed: 43, rows: 3_000)
        let text = try String(contentsOfFile: original, encoding: .utf8)
        let lines = text.split(separator: "\n")
        let directory = TestSupport.temporaryRoot.appendingPathComponent("ops@hq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let dated = directory.appendingPathComponent("calls@2019-03-10.csv").path, resaved = directory.appendingPathComponent("calls@resaved.csv").path
        try text.write(toFile: dated, atomically: true, encoding: .utf8)
        try (lines.joined(separator: "\r\n") + "\r\n").write(toFile: resaved, atomically: true, encoding: .utf8)
        let store = StoreSupport.temporaryStorePath()
        let named = try CLI.run(["ingest", "--store", store, "--format", "json", dated, resaved])
        #expect(named.status == 0 && named.standardError.contains("calls@2019-03-10.csv: 3,000 of its 3,000 contacts in the slots and channels it shares with \(resaved)"), "\(named.standardError)")
        #expect(named.standardOutput.contains("\"same_contacts_as\": [{\"source\": \"\(dated)\", \"matched_contacts\": 3000, \"shared_contacts\": 3000, \"at_the_edge\": false, \"by_ids\": false}]")
                || named.standardOutput.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "")
                    .contains("\"same_contacts_as\":[{\"source\":\"\(dated)\",\"matched_contacts\":3000,\"shared_contacts\":3000,\"at_the_edge\":false,\"by_ids\":false}]"), "\(named.standardOutput)")

        let extract = TestSupport.temporaryFile(([lines[0]] + lines.filter { $0.contains(",999,") }).joined(separator: "\n") + "\n", name: "only999.csv")
        let extractFirst = StoreSupport.temporaryStorePath()
        #expect(try CLI.run(["ingest", "--store", extractFirst, extract]).status == 0)
        let full = try CLI.run(["ingest", "--store", extractFirst, original])
        #expect(full.status == 0 && full.standardError.contains("contacts.csv: ") && full.standardError.contains("counted twice"), "\(full.standardError)")

        let siteA = TestSupport.temporaryFile("channel,arrived_at,category\n101,2019-04-01T09:00:00Z,\nonline,2019-04-30T22:50:00Z,fraud\n", name: "siteA.csv")
        let siteB = TestSupport.temporaryFile("channel,arrived_at,category\nonline,2019-04-30T22:46:00Z,fraud\n101,2019-05-02T09:00:00Z,\n", name: "siteB.csv")
        let sites = try CLI.run(["ingest", "--store", StoreSupport.temporaryStorePath(), siteA, siteB])
        #expect(sites.status == 0 && !sites.standardError.contains("warning"), "\(sites.standardError)")

        // Incidents too: a CRLF copy of an incidents file doubled the deployed incidents without a word.
        let incidents = original.replacingOccurrences(of: "contacts.csv", with: "incidents.csv")
        let incidentLines = try String(contentsOfFile: incidents, encoding: .utf8).split(separator: "\n")
        let incidentCopy = TestSupport.temporaryFile(incidentLines.joined(separator: "\r\n") + "\r\n", name: "incidents-resaved.csv")
        let copied = try CLI.run(["ingest", "--store", StoreSupport.temporaryStorePath(), incidents, incidentCopy])
        #expect(copied.status == 0 && copied.standardError.contains("incidents in the slots it shares with ")
                && copied.standardError.contains("(counts and agencies alike): if they are the same incidents"), "\(copied.standardError)")
    }

    /// A store, a workbook or a zip given as an input is named for what it is: a store was judged as a CSV
    /// header with a stray carriage return, with advice to run `tr` over it.
    @Test func binaryFilesGivenAsInputsAreNamed() throws {
        let store = StoreSupport.temporaryStorePath()
        #expect(try CLI.run(["ingest", "--store", store, "SampleData/contacts.csv", "--max-rejects", "50%"]).status == 0)
        let workbook = TestSupport.temporaryFile(Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]) + Data(repeating: 0x0D, count: 64), name: "calls.xlsx")
        let legacy = TestSupport.temporaryFile(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x0D]), name: "calls.xls")
        for (path, words) in [(store, "SQLite database, not a CSV file; a contact-metrics store is read with --store"),
                              (workbook, "zip archive, such as an Excel workbook (.xlsx)"), (legacy, "Excel 97-2003 workbook (.xls)")] {
            for command in [["report", path], ["ingest", "--store", StoreSupport.temporaryStorePath(), path]] {
                let run = try CLI.run(command)
                #expect(run.status == 1 && run.standardError.contains(words) && !run.standardError.contains("tr '"), "\(command) \(run.standardError)")
            }
        }
    }

    @Test func ingestThenReportGivesTheFiguresOfTheFiles() throws {
        let store = StoreSupport.temporaryStorePath()
        let files = ["SampleData/contacts.csv", "SampleData/incidents.csv"]
        let ingest = try CLI.run(["ingest", "--store", store] + files + ["--max-rejects", "25%"])
        #expect(ingest.status == 0)
        #expect(ingest.standardOutput.isEmpty)
        #expect(ingest.standardError.contains("ingest: SampleData/contacts.csv: 19 rows (15 accepted, 4 rejected) → \(store)\n"))
        let again = try CLI.run(["ingest", "--store", store] + files + ["--max-rejects", "25%"])
        #expect(again.standardError == "ingest: SampleData/contacts.csv: unchanged (already ingested)\ningest: SampleData/incidents.csv: unchanged (already ingested)\n")
        for options in [["--period", "day", "--format", "json"], ["--period", "week", "--format", "csv", "--short-abandon", "5"],
                        ["--period", "15min", "--from", "2019-04-01", "--to", "2019-04-03"], ["--period", "fy", "--service-level-formula", "ignore-abandons"]] {
            let direct = try CLI.run(["report"] + files + options)
            let stored = try CLI.run(["report", "--store", store] + options)
            #expect(stored.status == 0)
            // With --from/--to, a direct run counts duplicate ids and ambiguous local times among the
            // selected rows only, which the store's per-source ledger cannot; every figure still matches.
            let figures = { (text: String) in options.contains("--from") ? String(text[..<text.range(of: "Input:")!.lowerBound]) : text }
            #expect(figures(stored.standardOutput) == figures(direct.standardOutput), "\(options)")
        }
        let info = try CLI.run(["store", "info", "--store", store])
        #expect(info.status == 0 && info.standardOutput.contains("2 sources") && info.standardOutput.contains("999        2019-04-01  2020-04-01"))
        #expect(try CLI.run(["store", "sources", "--store", store]).standardOutput.contains("SampleData/incidents.csv  incidents"))
        let remove = try CLI.run(["store", "remove", "SampleData/incidents.csv", "--store", store])
        #expect(remove.status == 0)
        #expect(try CLI.run(["report", "--store", store]).standardOutput == CLI.run(["report", "SampleData/contacts.csv"]).standardOutput)
        // Reading leaves nothing beside the store (a read-only connection used to leave the log's -wal and -shm).
        #expect(try CLI.run(["store", "info", "--store", store]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: store + "-wal") && !FileManager.default.fileExists(atPath: store + "-shm"))
    }

    /// A store reports in the zone its sources were read in (a config's `time_zone`), as the files
    /// would be, unless `--tz` says otherwise; sources read in different zones get the default and a note.
    @Test func aStoreReportsInTheZoneItsSourcesWereReadIn() throws {
        let store = StoreSupport.temporaryStorePath()
        let config = TestSupport.temporaryFile(#"{"time_zone": "Asia/Jerusalem"}"#)
        let text = "contact_id,channel,arrived_at,answered_at\n1,101,2020-04-01 23:30:00,2020-04-01 23:30:20\n2,101,2020-04-02 00:30:00,2020-04-02 00:30:20\n"
        let file = TestSupport.temporaryFile(text)
        #expect(try CLI.run(["ingest", "--store", store, "--config", config, file]).status == 0)
        for command in [["report", "--period", "day"], ["compare", "--before", "2020-04-01..2020-04-01", "--after", "2020-04-02..2020-04-02"]] {
            let direct = try CLI.run(command + ["--config", config, file])
            let stored = try CLI.run(command + ["--store", store])
            #expect(stored.standardOutput.contains("time zone Asia/Jerusalem"), "\(command)")
            #expect(stored.standardOutput.components(separatedBy: "Input:")[0] == direct.standardOutput.components(separatedBy: "Input:")[0], "\(command)")
            let rezoned = try CLI.run(command + ["--store", store, "--tz", "UTC"])
            #expect(rezoned.standardOutput.contains("time zone UTC"), "\(command)")
            // The times stay as read in Asia/Jerusalem (a report on the file with --tz UTC differs): said.
            #expect(rezoned.standardError.contains("note: the store's sources were read in the time zone Asia/Jerusalem: their times written "
                                                   + "without a UTC offset (if any) were read as local times there, and stay so; --tz UTC sets only the "
                                                   + "periods' zone"), "\(rezoned.standardError)")
            #expect(try !CLI.run(command + ["--store", store, "--tz", "Asia/Jerusalem"]).standardError.contains("read as local times there"))
        }
        // store info shows its days in that zone too; a queue_log (UTC epoch times) does not vote for the default.
        #expect(try CLI.run(["store", "info", "--store", store]).standardOutput.contains("Coverage (local dates, Asia/Jerusalem)"))
        let queueLog = TestSupport.temporaryFile("1585785600|1585785600.1|EMERGENCY|NONE|ENTERQUEUE||07700900001|1\n"
                                                 + "1585785610|1585785600.1|EMERGENCY|PJSIP/1|CONNECT|10|1585785609.1|1\n", name: "queue_log")
        #expect(try CLI.run(["ingest", "--store", store, queueLog]).status == 0)
        let withQueueLog = try CLI.run(["report", "--store", store])
        #expect(withQueueLog.standardOutput.contains("time zone Asia/Jerusalem") && !withQueueLog.standardError.contains("time zones"), "\(withQueueLog)")
        #expect(try CLI.run(["ingest", "--store", store, TestSupport.temporaryFile(text.replacingOccurrences(of: "\n1,", with: "\n3,"))]).status == 0)
        let mixed = try CLI.run(["report", "--store", store])
        #expect(mixed.standardOutput.contains("time zone Europe/London"))
        #expect(mixed.standardError.contains("note: the store's sources were read in the time zones Asia/Jerusalem, Europe/London; reporting in Europe/London (give --tz to choose)"), "\(mixed)")
    }

    /// `ingest /var/log/asterisk/queue_log*` takes in the live log, whose calls are in `queue_log.1` after the
    /// next rotation, another source: they were counted twice with no word (a review). Said; a rotated file is not.
    /// `store remove` of a queue_log night whose unfinished calls the next night continued: what the next night
    /// gave them stays (a review's report showed a day of 0 calls with a handle time, and no day without data), so
    /// it is said, and `store info` counts no such day as data.
    @Test func removingANightWhoseCallsTheNextContinuedSaysSo() throws {
        let store = StoreSupport.temporaryStorePath()
        let before = TestSupport.temporaryFile("1554080400|1554080400.9|NONEMERGENCY|NONE|ENTERQUEUE||07700900009|1\n"
                                               + "1554080430|1554080400.9|NONEMERGENCY|NONE|ABANDON|1|1|30\n", name: "queue_log-20190331")
        // 2019-04-01 23:50 UTC: answered at 23:51 in the first night's file, completed at 00:10 in the next.
        let first = TestSupport.temporaryFile("1554162600|1554162600.1|NONEMERGENCY|NONE|ENTERQUEUE||07700900001|1\n"
                                              + "1554162660|1554162600.1|NONEMERGENCY|PJSIP/1|CONNECT|60|1554162659.1|1\n", name: "queue_log-20190401")
        let second = TestSupport.temporaryFile("1554163800|1554162600.1|NONEMERGENCY|PJSIP/1|COMPLETEAGENT|60|1140|1\n"
                                               + "1554249600|1554249600.2|NONEMERGENCY|NONE|ENTERQUEUE||07700900002|1\n"
                                               + "1554249630|1554249600.2|NONEMERGENCY|NONE|ABANDON|1|1|30\n", name: "queue_log-20190402")
        let third = TestSupport.temporaryFile("1554336000|1554336000.3|NONEMERGENCY|NONE|ENTERQUEUE||07700900003|1\n"
                                              + "1554336030|1554336000.3|NONEMERGENCY|NONE|ABANDON|1|1|30\n", name: "queue_log-20190403")
        for file in [before, first, second, third] { #expect(try CLI.run(["ingest", "--store", store, "--quiet", file]).status == 0) }
        let removed = try CLI.run(["store", "remove", first, "--store", store])
        #expect(removed.status == 0)
        #expect(removed.standardError.contains("warning: \(store): \(first) left a call unfinished that \(second) most likely continued (it holds "
                                               + "cells at its time, before its own first arrival): what \(second) read of it stays (an outcome, "
                                               + "or a handle time with no call counted)"), "\(removed.standardError)")
        let info = try CLI.run(["store", "info", "--store", store, "--format", "json"])
        // Local days 2019-04-01 (before), 04-02 (the first night's call, removed), 04-03 and 04-04.
        #expect(info.standardOutput.contains(#""first_day": "2019-04-01""#) && info.standardOutput.contains(#""days_without_data": 1"#),
                "\(info.standardOutput)")
        // The last night's calls were continued by none: nothing to say.
        #expect(try !CLI.run(["store", "remove", third, "--store", store]).standardError.contains("warning"))
        // A next night of that call's end alone (it has no arrival of its own: the diff review found it went unsaid).
        let other = StoreSupport.temporaryStorePath()
        let endsOnly = TestSupport.temporaryFile("1554163800|1554162600.1|NONEMERGENCY|PJSIP/1|COMPLETEAGENT|60|1140|1\n", name: "queue_log-20190402b")
        for file in [first, endsOnly] { #expect(try CLI.run(["ingest", "--store", other, "--quiet", file]).status == 0) }
        #expect(try CLI.run(["store", "remove", first, "--store", other]).standardError.contains("left a call unfinished that \(endsOnly) most likely continued"))
    }

    @Test func theLiveQueueLogIsWarnedOf() throws {
        let lines = "1585785600|1585785600.1|EMERGENCY|NONE|ENTERQUEUE||07700900001|1\n1585785610|1585785600.1|EMERGENCY|PJSIP/1|CONNECT|10|1585785609.1|1\n"
        let live = TestSupport.temporaryFile(lines, name: "queue_log"), rotated = TestSupport.temporaryFile(lines, name: "queue_log.1")
        let runLive = try CLI.run(["ingest", "--store", StoreSupport.temporaryStorePath(), live])
        #expect(runLive.status == 0 && runLive.standardError.contains("queue_log: the live Asterisk queue_log, still being written"), "\(runLive.standardError)")
        let runRotated = try CLI.run(["ingest", "--store", StoreSupport.temporaryStorePath(), rotated])
        #expect(runRotated.status == 0 && !runRotated.standardError.contains("warning"), "\(runRotated.standardError)")
    }

    /// `--quiet`: a nightly job that went well prints nothing on stderr (cron mailed its line per file and the
    /// notes on ordinary data every night; a review), and one that did not still says why.
    @Test func aQuietIngestSaysOnlyWhatIsWrong() throws {
        let store = StoreSupport.temporaryStorePath()
        let other = TestSupport.temporaryFile("channel,arrived_at,answered_at,outcome\n101,2019-04-01T10:00:00Z,,transferred\n")
        let loud = try CLI.run(["ingest", "--store", StoreSupport.temporaryStorePath(), other])
        #expect(loud.standardError.contains("note: ") && loud.standardError.contains("ingest: "), "\(loud.standardError)")
        for _ in 0..<2 {
            let quiet = try CLI.run(["ingest", "--store", store, "--quiet", other])
            #expect(quiet.status == 0 && quiet.standardError.isEmpty, "\(quiet.standardError)")
        }
        let bad = try CLI.run(["ingest", "--store", store, "--quiet", "--max-rejects", "100%",
                               TestSupport.temporaryFile("channel,arrived_at\n101,2019-04-01T10:00:00Z\n101,not a time\n")])
        #expect(bad.status == 0 && bad.standardError.contains("not a time") && !bad.standardError.contains("ingest: "), "\(bad.standardError)")
    }

    /// Sources with no id column count as such over the dates a store report keeps, as a direct run counts them
    /// (every stored source was counted, and "duplicate ids not checked" said of days whose sources all have ids);
    /// so do sources whose times are in whole minutes.
    @Test func sourcesWithoutIdsAreCountedOverTheDatesKept() throws {
        let store = StoreSupport.temporaryStorePath()
        var files: [String] = []
        for (day, ids) in [(1, false), (2, true)] {
            let rows = (0..<5).map { "\(ids ? "C\(day)-\($0)," : "")101,2019-04-0\(day)T08:0\($0):\(ids ? "1\($0)" : "00")Z" }.joined(separator: "\n")
            files.append(TestSupport.temporaryFile((ids ? "contact_id," : "") + "channel,arrived_at\n" + rows + "\n", name: "day\(day).csv"))
            #expect(try CLI.run(["ingest", "--store", store, files.last!]).status == 0)
        }
        for dates in [["--from", "2019-04-02"], ["--to", "2019-04-01"], []] {
            let stored = try CLI.run(["report", "--store", store] + dates), direct = try CLI.run(["report"] + files + dates)
            let line = { (run: CLI.Run) in run.standardOutput.split(separator: "\n").last { $0.hasPrefix("Input:") }.map(String.init) ?? "" }
            #expect(line(stored) == line(direct), "\(dates)")
        }
    }

    /// A config given to `report --store` cannot change which channels are submissions: their contacts
    /// were stored as received only, or as queued calls, when the sources were read. The config's other
    /// list is said and not used (it blanked 101's figures).
    @Test func theStoresSubmissionChannelsApply() throws {
        let store = StoreSupport.temporaryStorePath()
        let file = TestSupport.temporaryFile("contact_id,channel,arrived_at,answered_at\n1,101,2019-04-01T10:00:00Z,2019-04-01T10:00:30Z\n"
                                             + "2,online,2019-04-01T10:05:00Z,\n")
        #expect(try CLI.run(["ingest", "--store", store, file]).status == 0)
        let config = TestSupport.temporaryFile(#"{"submission_channels": ["101"]}"#, name: "submissions.json")
        let run = try CLI.run(["report", "--store", store, "--config", config, "--format", "csv"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains(",101,answered,1") && run.standardOutput.contains(",101,abandon_rate,0"), "\(run.standardOutput)")
        #expect(!run.standardOutput.contains(",online,answered,"))
        #expect(run.standardError.contains("note: the config's submission_channels (101) are not those the store's sources were read with (online): the store's apply"),
                "\(run.standardError)")
        #expect(try CLI.run(["report", "--store", store, "--format", "csv"]).standardOutput == run.standardOutput)
    }

    /// A window inside the inputs' arrivals is covered whole, from the files as from a store: rows outside
    /// `--from`/`--to` count towards the coverage (before, the direct run took only the rows inside, and
    /// marked the week partial).
    @Test func aWindowInsideTheArrivalsIsNotPartial() throws {
        let rows = ["8,999,2019-04-02T16:51:24Z,2019-04-02T16:52:23Z,2019-04-02T16:53:39Z,answered,c0",
                    "9,999,2019-04-09T16:51:24Z,2019-04-09T16:52:23Z,2019-04-09T16:53:39Z,answered,c0",
                    "10,999,2019-04-20T16:51:24Z,2019-04-20T16:52:23Z,2019-04-20T16:53:39Z,answered,c0"]
        let file = TestSupport.temporaryFile("contact_id,channel,arrived_at,answered_at,ended_at,outcome,category\n" + rows.joined(separator: "\n") + "\n")
        let window = ["--period", "week", "--from", "2019-04-08", "--to", "2019-04-14", "--tz", "UTC"]
        let direct = try CLI.run(["report", file] + window)
        let store = StoreSupport.temporaryStorePath()
        #expect(try CLI.run(["ingest", "--store", store, file, "--tz", "UTC"]).status == 0)
        let stored = try CLI.run(["report", "--store", store] + window)
        #expect(direct.status == 0 && stored.status == 0)
        #expect(direct.standardOutput.contains("2019-W15") && !direct.standardOutput.contains("(partial)"), "\(direct.standardOutput)")
        #expect(!stored.standardOutput.contains("(partial)"), "\(stored.standardOutput)")
        // A window past the last arrival is partial in both.
        let late = ["--period", "week", "--from", "2019-04-15", "--to", "2019-04-28", "--tz", "UTC"]
        #expect(try CLI.run(["report", file] + late).standardOutput.contains("2019-W16 (partial)"))
        #expect(try CLI.run(["report", "--store", store] + late).standardOutput.contains("2019-W16 (partial)"))
    }

    /// The reject limit is judged on the files a run would write: a night the store holds already, given again by a
    /// nightly job's glob, does not dilute a new night's rejects (a review: 3 of 100 refused alone, stored beside 1,000).
    @Test func filesTheStoreHoldsDoNotDiluteTheRejectLimit() throws {
        let store = StoreSupport.temporaryStorePath()
        func rows(_ prefix: String, _ count: Int, day: Int, bad: Int) -> String {
            let lines: [String] = (0..<count).map { (index: Int) -> String in
                index < bad ? "\(prefix)\(index),101,not a time" : String(format: "%@%d,101,2019-11-%02dT%02d:%02d:00Z", prefix, index, day, index / 60, index % 60)
            }
            return "contact_id,channel,arrived_at\n" + lines.joined(separator: "\n") + "\n"
        }
        let old = TestSupport.temporaryFile(rows("O", 200, day: 2, bad: 0), name: "old.csv")
        let new = TestSupport.temporaryFile(rows("N", 100, day: 3, bad: 3), name: "new.csv")
        #expect(try CLI.run(["ingest", "--store", store, old, "--no-progress"]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        let run = try CLI.run(["ingest", "--store", store, new, old, "--no-progress"])
        #expect(run.status == 65)
        #expect(run.standardError.hasSuffix("Error: 3 of 100 rows of the files the store does not hold already rejected, over --max-rejects 1% of rows; "
                                            + "the store is unchanged\n"), "\(run.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
        // Both new, the run's rows are judged together, as before.
        let fresh = StoreSupport.temporaryStorePath()
        #expect(try CLI.run(["ingest", "--store", fresh, new, old, "--no-progress"]).status == 0)

        // A copy of what a source held, beside that source's correction in the same run: the correction replaces it, so the
        // copy is new and judged (a diff review: it was written with 3% of its rows rejected, its contacts counted twice).
        let directory = OutputSafetyTests.directory()
        let held = StoreSupport.temporaryStorePath(), a = directory + "/a.csv", b = directory + "/b.csv"
        try FileManager.default.copyItem(atPath: new, toPath: a)
        #expect(try CLI.run(["ingest", "--store", held, a, "--max-rejects", "5%", "--quiet"]).status == 0)
        try FileManager.default.removeItem(atPath: a)
        try rows("N", 100, day: 3, bad: 0).write(toFile: a, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: new, toPath: b)
        let copy = try CLI.run(["ingest", "--store", held, a, b, "--no-progress"])
        #expect(copy.status == 65 && copy.standardError.hasSuffix("Error: 3 of 200 rows rejected, over --max-rejects 1% of rows; the store is unchanged\n"),
                "\(copy.standardError)")
        // Beside the night it copies, left unchanged, the copy is held (the next diff review: refused every night).
        let unchanged = StoreSupport.temporaryStorePath(), c = directory + "/c.csv"
        try FileManager.default.copyItem(atPath: new, toPath: c)
        #expect(try CLI.run(["ingest", "--store", unchanged, new, "--max-rejects", "5%", "--quiet"]).status == 0)
        let both = try CLI.run(["ingest", "--store", unchanged, new, c, "--no-progress"])
        #expect(both.status == 0 && both.standardError.contains("c.csv: unchanged (same content as "), "\(both.standardError)")
    }

    @Test func errorsHaveTheirExitStatuses() throws {
        let store = StoreSupport.temporaryStorePath()
        let rejected = try CLI.run(["ingest", "--store", store, "SampleData/contacts.csv"])
        #expect(rejected.status == 65)
        #expect(rejected.standardError.hasSuffix("Error: 4 of 19 rows rejected, over --max-rejects 1% of rows; the store is unchanged\n"))
        #expect(!FileManager.default.fileExists(atPath: store))
        #expect(try CLI.run(["report", "--store", store]).status == 1)
        #expect(try CLI.run(["ingest", "SampleData/incidents.csv"]).status == 64)
        #expect(try CLI.run(["ingest", "--store", store, "-"], input: "").status == 64)
        #expect(try CLI.run(["ingest", "--store", store, "SampleData/incidents.csv", "--max-rejects", "20%"]).status == 0)
        #expect(try CLI.run(["report", "--store", store, "SampleData/incidents.csv"]).status == 64)
        #expect(try CLI.run(["report", "--store", store, "--dedupe"]).status == 64)
        #expect(try CLI.run(["report", "--store", store, "--submission-channels", "online,webchat"]).status == 64)
        #expect(try CLI.run(["report", "--store", store, "--tz", "Africa/Monrovia"]).status == 64)
        // A store read in such a zone: ingest says so, and a report without --tz blames the store's zone, not --tz.
        let monrovia = StoreSupport.temporaryStorePath()
        let ingested = try CLI.run(["ingest", "--store", monrovia, "SampleData/incidents.csv", "--max-rejects", "20%", "--tz", "Africa/Monrovia"])
        #expect(ingested.status == 0 && ingested.standardError.contains("note: time zone Africa/Monrovia has had UTC offsets or clock changes since 1970"),
                "\(ingested.standardError)")
        let unreportable = try CLI.run(["report", "--store", monrovia])
        #expect(unreportable.status == 64 && unreportable.standardError.contains("Error: the store's sources were read in the time zone Africa/Monrovia, "
                                                                                  + "which has had UTC offsets"), "\(unreportable.standardError)")
        #expect(try CLI.run(["report", "--store", monrovia, "--tz", "UTC"]).status == 0)
        let config = TestSupport.temporaryFile(#"{"time_zone": "Africa/Monrovia"}"#, name: "monrovia.json")
        let configured = try CLI.run(["report", "--store", monrovia, "--config", config])
        #expect(configured.status == 64 && configured.standardError.contains("Error: the store's sources were read in the time zone Africa/Monrovia"),
                "\(configured.standardError)")
        let unknown = try CLI.run(["store", "remove", "nope.csv", "--store", store])
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains("no source named 'nope.csv'"))
        // A name stored in one Unicode form is removed by the other, which looks the same (a review could not).
        let decomposed = TestSupport.temporaryFile("channel,arrived_at\n101,2019-04-01 10:00:00\n", name: "cafe\u{301}.csv")
        #expect(try CLI.run(["ingest", "--store", store, "--source-name", "cafe\u{301}.csv", decomposed]).status == 0)
        let composed = try CLI.run(["store", "remove", "caf\u{E9}.csv", "--store", store])
        #expect(composed.status == 0, "\(composed.standardError)")
        #expect(!(try CLI.run(["store", "sources", "--store", store])).standardOutput.contains("caf"))
        #expect(try CLI.run(["store", "infp", "--store", store]).standardError.contains("did you mean 'info'?"))
        #expect(try CLI.run(["help", "ingest"]).standardOutput.contains("EXIT STATUS:"))
    }

    @Test(.heavy, .tags(.heavy)) func twoConcurrentIngestsBothSucceed() throws {
        let store = StoreSupport.temporaryStorePath()
        let first = try TestSupport.contactsFile(seed: 51, rows: 2000)
        let second = try TestSupport.contactsFile(seed: 52, rows: 2000)
        // The first run holds its write transaction for 2 s; the second starts meanwhile and must wait.
        let marker = TestSupport.temporaryFile("", name: "marker") + ".inside"
        let holder = try start(["ingest", "--store", store, first, "--max-rejects", "10%"],
                               environment: [Self.pauseHook: "\(marker):2"])
        #expect(waitForFile(marker))
        let waiter = try start(["ingest", "--store", store, second, "--max-rejects", "10%"])
        holder.waitUntilExit()
        waiter.waitUntilExit()
        #expect(holder.terminationStatus == 0)
        #expect(waiter.terminationStatus == 0)
        let direct = try TestSupport.ingest([first, second], TestSupport.options(grain: .local(.month)))
        let opened = try ContactStore(path: store, create: false)
        #expect(try opened.localCube(unit: .month, zone: TestSupport.london).cube == direct.cube)
        #expect(try opened.sources().count == 2)
    }

    /// Two nights' queue_log runs at once: the second read its file before the first committed, so without the
    /// calls the first night left open, and the call across midnight was lost (found by the store review). Its
    /// write sees the store changed since it read, and it reads again.
    @Test func aQueueLogRunThatReadBeforeAnotherCommittedReadsAgain() throws {
        let directory = TestSupport.temporaryRoot.appendingPathComponent("ql-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = directory + "/q.db", first = directory + "/night1.log", second = directory + "/night2.log"
        try SecondReviewStoreTests.write("1554103100|0.1|101|NONE|ENTERQUEUE||077|1\n1554103110|0.1|101|PJSIP/1|CONNECT|10|0.2|5\n1554103200|0.1|101|PJSIP/1|COMPLETECALLER|10|90|1\n", directory + "/night0.log")
        #expect(try CLI.run(["ingest", "--store", store, directory + "/night0.log"]).status == 0)
        try SecondReviewStoreTests.write("1554163140|2.1|EMERGENCY|NONE|ENTERQUEUE||078|1\n1554163146|2.1|EMERGENCY|PJSIP/201|CONNECT|6|2.2|5\n", first)
        try SecondReviewStoreTests.write("1554163230|2.1|EMERGENCY|PJSIP/201|COMPLETECALLER|6|84|1\n1554199200|3.1|EMERGENCY|NONE|ENTERQUEUE||079|1\n1554199240|3.1|EMERGENCY|NONE|ABANDON|1|1|40\n", second)
        let marker = directory + "/marker.inside"
        let holder = try start(["ingest", "--store", store, first], environment: [Self.pauseHook: "\(marker):3"])
        #expect(waitForFile(marker))
        let waiter = try CLI.run(["ingest", "--store", store, second])
        holder.waitUntilExit()
        #expect(holder.terminationStatus == 0)
        // It read while the first run held its transaction (3 s), and so reads again ("another ingest changed the
        // store while this one read its queue_log files: reading them again"); the figures say whether it did.
        #expect(waiter.status == 0, "\(waiter.standardError)")
        #expect(!waiter.standardError.contains("call_without_arrival"), "\(waiter.standardError)")
        #expect(try SecondReviewStoreTests.figures(["report", "--store", store]) == SecondReviewStoreTests.figures(["report", directory + "/night0.log", first, second]))
        // Standard input cannot be read again: the run says to run again, nothing written (the retry read an empty
        // input and blamed it; found by the diff review).
        let third = directory + "/night3.log"
        try SecondReviewStoreTests.write("1554285600|4.1|101|NONE|ENTERQUEUE||080|1\n1554285620|4.1|101|NONE|ABANDON|1|1|20\n", third)
        let before = try SecondReviewStoreTests.figures(["report", "--store", store])
        let marker2 = directory + "/marker2.inside"
        let holder2 = try start(["ingest", "--store", store, third], environment: [Self.pauseHook: "\(marker2):3"])
        #expect(waitForFile(marker2))
        let piped = try CLI.run(["ingest", "--store", store, "-", "--source-name", "night4"], input: "1554372000|5.1|101|NONE|ENTERQUEUE||081|1\n")
        holder2.waitUntilExit()
        #expect(piped.status == 1 && piped.standardError.contains("another ingest changed the store while this one read its queue_log files")
                && piped.standardError.contains("nothing was changed: run again") && !piped.standardError.contains("empty"), "\(piped.standardError)")
        #expect(try SecondReviewStoreTests.figures(["report", "--store", store]) != before)  // the other run's night is in
        #expect(try !CLI.run(["store", "sources", "--store", store]).standardOutput.contains("night4"))
    }

    @Test(.heavy, .tags(.heavy)) func aKilledIngestLeavesTheStoreAsItWas() throws {
        let store = StoreSupport.temporaryStorePath()
        #expect(try CLI.run(["ingest", "--store", store, "SampleData/incidents.csv", "--max-rejects", "20%"]).status == 0)
        let before = try StoreSupport.snapshot(ContactStore(path: store, create: false))
        let mainFileBefore = try Data(contentsOf: URL(fileURLWithPath: store))

        // A large ingest (new source, and a replacement of the existing one) killed inside its transaction.
        let large = try TestSupport.contactsFile(seed: 53, rows: 20_000)
        let marker = TestSupport.temporaryFile("", name: "marker") + ".inside"
        let process = try start(["ingest", "--store", store, large, "--max-rejects", "10%"], environment: [Self.pauseHook: marker])
        #expect(waitForFile(marker))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == mainFileBefore)
        let reopened = try ContactStore(path: store, create: false)
        let after = try StoreSupport.snapshot(reopened)
        #expect(after.0 == before.0 && after.1 == before.1 && after.2 == before.2)
        #expect(try reopened.connection.scalar("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") == 1)
        // And the store still works: the same ingest without the hook succeeds.
        #expect(try CLI.run(["ingest", "--store", store, large, "--max-rejects", "10%"]).status == 0)
    }
}

/// `report --store` says under its tables what `store info` and `compare --store` say of the store's missing days (a
/// review's April with ten nights missing read as whole, with no word); sources holding the same contacts are found by
/// their ids where their cells cannot tell.
@Suite struct StoreReportCautionTests {
    @Test func missingNightsAndSourcesCountedTwiceAreSaid() throws {
        let directory = OutputSafetyTests.directory(), store = directory + "/m.db"
        var nights: [String] = []
        for day in Array(1...9) + Array(14...20) {
            let path = directory + String(format: "/night-%02d.csv", day)
            try (0..<6).map { String(format: "c%02d%d,101,2019-04-%02dT%02d:10:00Z,2019-04-%02dT%02d:10:20Z", day, $0, day, 9 + $0, day, 9 + $0) }
                .reduce("contact_id,channel,arrived_at,answered_at\n") { $0 + $1 + "\n" }.write(toFile: path, atomically: true, encoding: .utf8)
            nights.append(path)
        }
        #expect(try CLI.run(["ingest", "--store", store] + nights).status == 0)
        let missing = "No contact is stored for the 4 days 2019-04-10..2019-04-13, between days that have some: an export may be missing, "
            + "and the figures of the periods over them too low."
        let table = try CLI.run(["report", "--store", store])
        #expect(table.status == 0 && table.standardOutput.hasSuffix(missing + "\n"), "\(table.standardOutput)")
        #expect(try CLI.run(["report", "--store", store, "--from", "2019-04-12"]).standardOutput.contains("(2 of them in this report)"))
        #expect(!(try CLI.run(["report", "--store", store, "--from", "2019-04-14"])).standardOutput.contains("No contact"))
        let json = try CLI.run(["report", "--store", store, "--format", "json"]).standardOutput
        #expect(json.contains(#""cautions": ["#) && json.contains("2019-04-10..2019-04-13"), "\(json)")
        let csv = try CLI.run(["report", "--store", store, "--format", "csv"])
        #expect(!csv.standardOutput.contains("No contact") && csv.standardError.contains("warning: " + missing), "\(csv.standardError)")
        // The same contacts again in a copy under another name (6 calls, too few to tell by their cells): told by their ids
        // and arrivals, by ingest and store info.
        let copy = directory + "/copy-of-night-01.csv"
        try FileManager.default.copyItem(atPath: nights[0], toPath: copy)
        try (try String(contentsOfFile: copy, encoding: .utf8) + "\n").write(toFile: copy, atomically: true, encoding: .utf8)
        let copied = try CLI.run(["ingest", "--store", store, copy])
        #expect(copied.standardError.contains("warning: \(copy): 6 of its contacts have ids that \(nights[0]) holds too"), "\(copied.standardError)")
        #expect(try CLI.run(["store", "info", "--store", store]).standardOutput.contains("\(nights[0]) and \(copy): 6 contacts"))
        // A channel quiet for days while another has contacts (a counter shut on bank holidays) is no missing export.
        let quiet = directory + "/quiet.db", both = directory + "/both.csv"
        try (1...20).flatMap { day in
            [String(format: "a%02d,999,2019-05-%02dT09:00:00Z,2019-05-%02dT09:00:05Z", day, day, day)]
                + ((11...13).contains(day) ? [] : [String(format: "b%02d,counter,2019-05-%02dT10:00:00Z,", day, day)])
        }.reduce("contact_id,channel,arrived_at,answered_at\n") { $0 + $1 + "\n" }.write(toFile: both, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["ingest", "--store", quiet, both]).status == 0)
        let quietReport = try CLI.run(["report", "--store", quiet, "--format", "json"]).standardOutput
        #expect(!quietReport.contains("cautions"), "\(quietReport)")
        // A desk shut on Sundays: its Sundays are no missing exports; a Tuesday missing is.
        let desk = directory + "/desk.db", week = directory + "/desk.csv"
        let open = (0..<42).filter { $0 % 7 != 6 && $0 != 15 }  // 2024-01-01 was a Monday; day 15 a Tuesday
        try open.map { day in String(format: "d%02d,101,2024-01-%02dT10:00:00Z,2024-01-%02dT10:00:10Z", day, 1 + day % 31, 1 + day % 31)
            .replacingOccurrences(of: "2024-01-", with: day >= 31 ? "2024-02-" : "2024-01-") }
            .reduce("contact_id,channel,arrived_at,answered_at\n") { $0 + $1 + "\n" }.write(toFile: week, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["ingest", "--store", desk, week]).status == 0)
        let deskReport = try CLI.run(["report", "--store", desk, "--period", "week"]).standardOutput
        #expect(deskReport.contains("No contact is stored for the day 2024-01-16, between days that have some") && !deskReport.contains("2024-01-07"),
                "\(deskReport)")
        // Files given to report are said nothing of: no store.
        #expect(!(try CLI.run(["report"] + nights)).standardOutput.contains("No contact"))
    }
}

/// A run refused for its rejects writes nothing; its JSON says which files the store holds already (`unchanged`, as a
/// run that writes says it), not `refused` for all (a review's scheduler read a stored night as missing).
@Suite struct RefusedRunOutcomeTests {
    @Test func aRefusedRunSaysWhichFilesTheStoreHolds() throws {
        let directory = OutputSafetyTests.directory(), store = directory + "/s.db"
        let good = directory + "/good.csv", bad = directory + "/bad.csv"
        try "contact_id,channel,arrived_at\n1,101,2019-04-01T10:00:00Z\n".write(toFile: good, atomically: true, encoding: .utf8)
        try "contact_id,channel,arrived_at\n2,101,not a time\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["ingest", "--store", store, good]).status == 0)
        let run = try CLI.run(["ingest", "--store", store, bad, good, "--format", "json"])
        #expect(run.status == 65)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let outcomes = (json["sources"] as? [[String: Any]] ?? []).map { ($0["outcome"] as? String ?? "", $0["same_content_as"] as? String) }
        #expect(outcomes.map(\.0) == ["refused", "unchanged"] && outcomes[1].1 == good, "\(run.standardOutput)")
        #expect(json["unchanged"] as? Int == 1 && json["refused"] as? Int == 1)
    }
}
