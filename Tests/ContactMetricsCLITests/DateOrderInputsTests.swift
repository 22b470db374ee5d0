import Testing

/// Standard input is read once, so the date-order scan passes it over: its day-month dates are read in the
/// order the files prove, which is said (the diff review's `cat us.csv | contact-metrics report uk.csv -`
/// spread a US file's 1–12 April over the year with only a note).
@Suite struct DateOrderInputsTests {
    @Test func standardInputReadInTheFilesOrderIsSaid() throws {
        let fixtures = "Tests/ContactMetricsCLITests/Fixtures/messages"
        let us = "contact_id,channel,arrived_at,answered_at,ended_at,outcome\nU1,999,04/01/2019 10:00:00,,04/01/2019 10:01:00,abandoned\n"
        let piped = try CLI.run(["report", "\(fixtures)/uk-dates.csv", "-", "--format", "csv"], input: us)
        #expect(piped.status == 0 && piped.standardError.contains(
            "warning: <stdin>: read once, so not looked at for the order of its dates before the run; any day-month dates in it were read day first "
            + "on the word of \(fixtures)/uk-dates.csv"), "\(piped.standardError)")
        // Files only: nothing of the kind.
        let files = try CLI.run(["report", "\(fixtures)/uk-dates.csv", "--format", "csv"])
        #expect(files.status == 0 && !files.standardError.contains("read once"))
    }

    /// A report from a store says the dates were read day first as one from the files does (the review of
    /// 7 December 2026: `date_order_judged` was null from the store).
    @Test func aStoreKeepsTheJudgedDateOrder() throws {
        let fixture = "Tests/ContactMetricsCLITests/Fixtures/messages/uk-dates.csv"
        let store = OutputSafetyTests.directory() + "/s.db"
        #expect(try CLI.run(["ingest", "--store", store, fixture, "--quiet"]).status == 0)
        let direct = try CLI.run(["report", fixture, "--format", "json"]), stored = try CLI.run(["report", "--store", store, "--format", "json"])
        #expect(direct.standardOutput.contains(#""date_order_judged": "dmy""#))
        #expect(stored.standardOutput.contains(#""date_order_judged": "dmy""#), "\(stored.standardOutput.suffix(600))")
        // A second source judged month first: the orders differ, and the report says so (it said the first's).
        let us = OutputSafetyTests.directory() + "/us.csv"
        try "contact_id,channel,arrived_at,answered_at,ended_at,outcome\nU1,999,04/13/2019 10:00:00,,04/13/2019 10:01:00,abandoned\n"
            .write(toFile: us, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["ingest", "--store", store, us, "--quiet"]).status == 0)
        let mixed = try CLI.run(["report", "--store", store, "--format", "json"])
        #expect(mixed.standardOutput.contains(#""date_order_judged": "mixed""#))
        #expect(try CLI.run(["report", "--store", store]).standardOutput.contains("dates read day first in some sources and month first in others"))
    }

    /// A night of the 1st to the 12th proves no order alone: ingested into a store whose sources were read day first
    /// (or beside a file that proves it), it is read day first, with a warning (a review: the README's nightly job was
    /// refused 12 nights a month). A night the store holds under its name keeps the order it was read in (a diff review:
    /// a glob undid a `--date-order mdy` correction). Alone in a new store, or where orders differ, it is refused as before.
    @Test func anAmbiguousNightTakesTheOrderTheStoresSourcesProved() throws {
        let directory = OutputSafetyTests.directory()
        func night(_ day: Int, month: Int) throws -> String {
            let path = directory + String(format: "/night-%02d-%02d.csv", month, day)
            let rows = (0..<5).map { String(format: "N%d-%d-%d,101,%02d/%02d/2019 08:%02d:00,%02d/%02d/2019 08:%02d:20", month, day, $0, day, month, $0, day, month, $0) }
            try ("contact_id,channel,arrived_at,answered_at\n" + rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let proving = try night(31, month: 10), ambiguous = try night(1, month: 11)
        let store = directory + "/n.db"
        #expect(try CLI.run(["ingest", "--store", store, proving, "--quiet"]).status == 0)
        let run = try CLI.run(["ingest", "--store", store, ambiguous, "--no-progress"])
        #expect(run.status == 0 && run.standardError.contains("warning: \(ambiguous): no date tells the day from the month (\"01/11/2019 08:00:00\" reads both "
            + "ways), so its dates were read day first, as the store's sources were read; if it comes from a system that writes dates the other way, "
            + "ingest it again with --date-order"), "\(run.standardError)")
        let days = try CLI.run(["report", "--store", store, "--period", "day", "--format", "csv"]).standardOutput
        #expect(days.contains("2019-11-01,2019-11-01,2019-11-01,101,received,5\n") && !days.contains("2019-01-11"), "\(days)")
        // In one run beside the proving file, before or after it; not alone.
        #expect(try CLI.run(["ingest", "--store", directory + "/one.db", proving, ambiguous, "--quiet"]).status == 0)
        let before = try CLI.run(["ingest", "--store", directory + "/two.db", ambiguous, proving, "--no-progress"])
        #expect(before.status == 0 && before.standardError.contains("read day first, as the run's other files prove;"), "\(before.standardError)")
        #expect(try CLI.run(["ingest", "--store", directory + "/alone.db", ambiguous, "--quiet"]).status == 65)

        // A night corrected to month first stays so when the glob takes it in again; a store read both ways decides nothing.
        let us = try night(3, month: 5)
        #expect(try CLI.run(["ingest", "--store", store, us, "--date-order", "mdy", "--quiet"]).status == 0)
        let again = try CLI.run(["ingest", "--store", store, proving, ambiguous, us, "--no-progress"])
        #expect(again.status == 0 && again.standardError.contains("ingest: \(us): unchanged"), "\(again.standardError)")
        let may = try CLI.run(["report", "--store", store, "--period", "day", "--format", "csv"]).standardOutput
        #expect(may.contains("2019-03-05,2019-03-05,2019-03-05,101,received,5\n"), "\(may)")  // 03/05 read month first: 5 March
        // A source read through another system's config (its date_order) says nothing of a file read without one.
        let configured = directory + "/configured.db", config = directory + "/us.json"
        try #"{"date_order": "mdy"}"#.write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["ingest", "--store", configured, us, "--config", config, "--quiet"]).status == 0)
        let refusedWithout = try CLI.run(["ingest", "--store", configured, ambiguous, "--no-progress"])
        #expect(refusedWithout.status == 65 && refusedWithout.standardError.contains("(the store's sources read with another config (or none) were read "
            + "month first; their order is taken only with the same config)"), "\(refusedWithout.standardError)")
        // A stream is told why too (a diff review).
        let streamed = try CLI.run(["ingest", "--store", configured, "-", "--source-name", "streamed", "--no-progress"],
                                   input: try String(contentsOfFile: ambiguous, encoding: .utf8))
        #expect(streamed.status == 65 && streamed.standardError.contains("(the store's sources read with another config (or none) were read "
            + "month first; their order is taken only with the same config)"), "\(streamed.standardError)")
        // Nor under the same name (the last review: `--source-name` reached the US config's order).
        #expect(try CLI.run(["ingest", "--store", configured, ambiguous, "--source-name", us, "--quiet"]).status == 65)

        let other = try night(2, month: 11)
        let refused = try CLI.run(["ingest", "--store", store, other, "--no-progress"])
        #expect(refused.status == 65 && refused.standardError.contains("(the store's sources and the run's files do not agree on an order to read it in: "
            + "\(proving) and \(ambiguous) read day first, \(us) read month first)"), "\(refused.standardError)")
        // Its JSON says the file before it, which the store holds, is unchanged (it said refused).
        let json = try CLI.run(["ingest", "--store", store, proving, other, "--format", "json", "--no-progress"])
        #expect(json.status == 65 && json.standardOutput.contains(#""outcome": "unchanged""#) && json.standardOutput.contains(#""outcome": "refused""#),
                "\(json.standardOutput)")
    }

    /// Standard input is read once, so not judged before its run: it takes the order of the store's sources too (the
    /// README's `zcat … | ingest -` was refused on the 1st to the 12th of every month), warned of when no date of it
    /// settles the order, noted when one does; a stream its dates contradict is refused; one with no day-month date
    /// records no order.
    @Test func standardInputTakesTheOrderTheStoresSourcesProved() throws {
        let directory = OutputSafetyTests.directory(), store = directory + "/s.db"
        func night(_ day: Int, month: Int, monthFirst: Bool = false) -> String {
            "contact_id,channel,arrived_at,answered_at\n" + (0..<3).map {
                let date = monthFirst ? String(format: "%02d/%02d/2019", month, day) : String(format: "%02d/%02d/2019", day, month)
                return String(format: "S%d-%d-%d,101,%@ 08:%02d:00,%@ 08:%02d:20", month, day, $0, date, $0, date, $0)
            }.joined(separator: "\n") + "\n"
        }
        let proving = directory + "/n31.csv"
        try night(31, month: 10).write(toFile: proving, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["ingest", "--store", store, proving, "--quiet"]).status == 0)
        let ambiguous = try CLI.run(["ingest", "--store", store, "-", "--source-name", "n01", "--no-progress"], input: night(1, month: 11))
        #expect(ambiguous.status == 0 && ambiguous.standardError.contains("warning: <stdin>: read once, so not judged before the run, and no date in it "
            + "tells the day from the month (each reads both ways): its dates were read day first, as the store's sources were read;"), "\(ambiguous.standardError)")
        let settled = try CLI.run(["ingest", "--store", store, "-", "--source-name", "n13", "--no-progress"], input: night(13, month: 11))
        #expect(settled.status == 0 && settled.standardError.contains("note: <stdin>: read once, so not judged before the run: its dates were read day "
            + "first, as the store's sources were read, and dates in it read only so"), "\(settled.standardError)")
        #expect(!settled.standardError.contains("warning"), "\(settled.standardError)")
        let days = try CLI.run(["report", "--store", store, "--period", "day", "--format", "csv"]).standardOutput
        #expect(days.contains("2019-11-01,2019-11-01,2019-11-01,101,received,3\n") && days.contains("2019-11-13,2019-11-13,2019-11-13,101,received,3\n"),
                "\(days)")
        let contradicted = try CLI.run(["ingest", "--store", store, "-", "--source-name", "us", "--no-progress"], input: night(13, month: 11, monthFirst: true))
        #expect(contradicted.status == 65 && contradicted.standardError.contains("the store is unchanged"), "\(contradicted.standardError)")
        // A date that exists in neither order (31/02) settles nothing (a diff review: it proved the store's order).
        let invalid = try CLI.run(["ingest", "--store", store, "-", "--source-name", "n03", "--max-rejects", "50%", "--no-progress"],
                                  input: night(3, month: 11) + "S-x,101,31/02/2019 08:00:00,31/02/2019 08:00:20\n")
        #expect(invalid.status == 0 && invalid.standardError.contains("warning: <stdin>: read once, so not judged before the run, and no date in it "
            + "tells the day from the month"), "\(invalid.standardError)")
        // No day-month date: nothing said, and no order recorded for the source.
        let iso = "contact_id,channel,arrived_at\nI1,101,2019-11-14T08:00:00Z\n"
        let plain = try CLI.run(["ingest", "--store", store, "-", "--source-name", "iso", "--no-progress"], input: iso)
        #expect(plain.status == 0 && !plain.standardError.contains("read once"), "\(plain.standardError)")
        // Had it recorded day first, an ambiguous night under its name would take the order from it, not from the others.
        let renamed = try CLI.run(["ingest", "--store", store, "-", "--source-name", "iso", "--no-progress"], input: night(2, month: 11))
        #expect(renamed.status == 0 && renamed.standardError.contains("as the store's sources were read;"), "\(renamed.standardError)")
    }
}
