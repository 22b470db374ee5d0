import Foundation
import Testing

/// What a new analyst sees for the exports that used to go wrong without a word (issue 13): every case's
/// exit status, standard error and the ledger line of its report, word for word, in one golden file
/// (`Golden/messages.txt`). `RECORD_GOLDEN=1 swift test` rewrites it and fails, so it is never passed unreviewed.
@Suite struct MessageGoldenTests {
    private static let fixtures = "Tests/ContactMetricsCLITests/Fixtures/messages"

    /// A name and the arguments after `contact-metrics`; paths are relative to the package root.
    private static let cases: [(String, [String])] = [
        ("UK dates, a day of 13 proves day first; semicolons and blank rows",
         ["report", "\(fixtures)/uk-dates.csv"]),
        ("UK dates with no day above 12: refused", ["report", "\(fixtures)/ambiguous-dates.csv"]),
        ("the same, given --date-order", ["report", "--date-order", "dmy", "\(fixtures)/ambiguous-dates.csv"]),
        // It went on with exit status 0, 04/01 read as 4 January.
        ("a date order given that a file's dates contradict: refused",
         ["report", "--date-order", "dmy", "\(fixtures)/us-dates.csv"]),
        ("one file proves day first, another month first: refused",
         ["report", "\(fixtures)/uk-dates.csv", "\(fixtures)/us-dates.csv"]),
        // A US file beside a UK one was read day first on the UK file's word with only a note (found by review).
        ("one file proves day first, another's dates read both ways, months away: read day first, and said",
         ["report", "\(fixtures)/uk-dates.csv", "\(fixtures)/us-dates-ambiguous.csv"]),
        ("the same with dates near the proving file's: the same system's days, not said",
         ["report", "\(fixtures)/uk-dates.csv", "\(fixtures)/ambiguous-dates.csv"]),
        ("ingest refuses a file whose date order is unproven",
         ["ingest", "--store", "STORE", "\(fixtures)/ambiguous-dates.csv"]),
        ("ingest states the order a file proves", ["ingest", "--store", "STORE", "\(fixtures)/uk-dates.csv"]),
        ("Windows-1252 read as UTF-8: warned of, counted", ["report", "\(fixtures)/windows-1252.csv"]),
        ("the same with --encoding", ["report", "--encoding", "windows-1252", "\(fixtures)/windows-1252.csv"]),
        ("Excel's Unicode text (UTF-16LE with its mark)", ["report", "\(fixtures)/excel-unicode-text.csv"]),
        ("UTF-16LE with no mark: refused, naming the option", ["report", "\(fixtures)/utf-16le-no-mark.csv"]),
        ("an encoding that is not one", ["report", "--encoding", "utf-7", "\(fixtures)/windows-1252.csv"]),
        ("times in whole minutes: no 10-second service level", ["report", "\(fixtures)/minutes.csv"]),
        ("a US date in a notes column proves the wrong order: refused", ["report", "\(fixtures)/notes-first.csv"]),
        ("a US date inside a note's text is passed over: the timestamps prove day first", ["report", "\(fixtures)/notes-in-text.csv"]),
        ("a date after a semicolon in a note of a comma file is passed over: no date settles the order, refused",
         ["report", "\(fixtures)/notes-unsettled.csv"]),
        ("JSON records without a config", ["report", "\(fixtures)/amazon-connect.json"]),
        ("JSON records with the shipped config", ["report", "--config", "SampleData/formats/amazon-connect.json", "SampleData/formats/amazon-connect-firehose.json"]),
        ("JSON records in an array, with the shipped config", ["report", "--config", "SampleData/formats/amazon-connect.json", "\(fixtures)/json-array.json"]),
        ("a quote that never closes, mid-file: the lines it took in are rejected rows", ["report", "\(fixtures)/unclosed-quote.csv"]),
        ("the same refused by ingest's reject limit", ["ingest", "--store", "STORE", "\(fixtures)/unclosed-quote.csv"]),
        ("a stray quote that a later one closes: the rows between are rejected with it", ["report", "\(fixtures)/stray-quote.csv"]),
        ("a stray quote in the header that a later one closes: refused, not rows lost", ["report", "\(fixtures)/stray-quote-in-header.csv"]),
        ("answer time and outcome columns empty on every row: said", ["report", "\(fixtures)/empty-outcomes.csv"]),
        ("dates with no time of day: counted, untimed", ["report", "\(fixtures)/dates-only.csv"]),
        ("outcome words that are neither answered nor abandoned", ["report", "\(fixtures)/other-outcomes.csv"]),
        ("naive times across the autumn clock change", ["report", "\(fixtures)/clock-change.csv"]),
        ("an abbreviation for a time zone", ["report", "--tz", "BST", "\(fixtures)/clock-change.csv"]),
        // An abandoned call's NULL delay columns rejected it; a bad or empty value named the field, not the column
        // (an arrival measured back from an empty end time said only "arrived_at: empty").
        // Judged as a header of one empty name: a config's column was "not in the header".
        // Exports joined with `cat`: the second header was a rejected row; in another order, the rows after it were misread.
        ("exports joined, each with its header", ["report", "\(fixtures)/joined.csv"]),
        ("exports joined, the second's columns in another order: refused", ["report", "\(fixtures)/joined-other-order.csv"]),
        ("the same, ingest", ["ingest", "--store", "STORE", "\(fixtures)/joined-other-order.csv"]),
        // Saved with no header (SQL Server Management Studio's default): the hint was --kind, which led to "missing columns".
        ("a file with no header line", ["report", "\(fixtures)/no-header.csv"]),
        ("a file of blank lines, with a config", ["report", "--config", "SampleData/formats/amazon-connect.json", "\(fixtures)/blank-lines.csv"]),
        ("Cisco TCD with NULLs, a value that is not a duration, and empty times: their columns named",
         ["report", "--config", "SampleData/formats/cisco-tcd.json", "\(fixtures)/cisco-nulls.csv"]),
        // A key of the channels map misspelt: the 999 line became a channel of its own, out of its service level, without a word.
        ("a config's channels map with a key misspelt", ["report", "--config", "\(fixtures)/genesys-misspelt-key.json", "SampleData/formats/genesys-interactions.csv"]),
        // A Genesys export's milliseconds read as seconds: most rows rejected, the rest 100% abandoned, and no hint at the unit.
        ("durations in milliseconds, read by a config as seconds", ["report", "--config", "\(fixtures)/genesys-seconds.json", "SampleData/formats/genesys-interactions.csv"]),
        // A queue_log of calls whose other ends are in the files before and after: an empty table, and no word.
        ("a queue_log whose calls all began or ended in other files: said", ["report", "\(fixtures)/queue_log-ends"]),
        ("a queue left out of a queue_log config's queues map: noted", ["report", "--config", "\(fixtures)/queues-partial.json", "SampleData/queue_log"]),
    ]

    @Test func messagesOfTheAwkwardExports() throws {
        var text = ""
        // Each case that names STORE gets a new store, shown as STORE (its path differs between runs).
        for (name, arguments) in Self.cases {
            let store = StoreSupport.temporaryStorePath()
            var run = try CLI.run(arguments.map { $0 == "STORE" ? store : $0 })
            run.standardError = run.standardError.replacingOccurrences(of: store, with: "STORE")
            let ledgerLine = run.standardOutput.split(separator: "\n").last { $0.hasPrefix("Input:") }
            text += "## \(name)\n$ contact-metrics \(arguments.joined(separator: " "))\nexit status \(run.status)\n"
            text += run.standardError
            if let ledgerLine { text += "stdout: \(ledgerLine)\n" }
            text += "\n"
        }
        let url = TestSupport.packageRoot.appendingPathComponent("Tests/ContactMetricsCLITests/Golden/messages.txt")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded messages.txt; review it and run again without RECORD_GOLDEN")
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text == expected, "the messages differ from Golden/messages.txt")
    }
}
