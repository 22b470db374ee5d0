import Foundation
import Testing

/// `2020-04-31` as `2020-05-01`: day numbers past the month's end run on into the next.
enum CivilDay {
    static func text(_ year: Int, _ month: Int, _ day: Int) -> String {
        var components = DateComponents(year: year, month: month, day: day)
        components.timeZone = TimeZone(identifier: "UTC")
        let date = Calendar(identifier: .gregorian).date(from: components)!
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}

@Suite struct CompareCLITests {
    private let windows = ["--before", "Before=2019-04-01..2019-06-30", "--after", "After=2020-04-01..2020-05-31"]

    /// A window with no contacts shows "No data" and says so on stderr, with the days the inputs hold: a
    /// nightly job read status 0 and nothing else (found by the README walkthrough).
    @Test func aWindowWithNothingInItIsSaid() throws {
        let run = try CLI.run(["compare", "SampleData/contacts.csv", "--before", "A=2019-04-01..2019-04-30",
                               "--after", "Later=2021-04-01..2021-05-31", "--no-progress"])
        #expect(run.status == 0 && run.standardOutput.contains("No data"))
        #expect(run.standardError.contains("warning: the --after window Later (2021-04-01..2021-05-31) holds no contacts; the inputs run from 2019-03-31 to 2020-04-01"),
                "\(run.standardError)")
        #expect(!run.standardError.contains("the --before window"))
    }

    /// A window that reaches beyond the contacts is partial even when an incidents export runs on: adding the
    /// incidents changed the contact volumes per day, without a word (found by the diff review).
    @Test func aWindowBeyondTheContactsIsPartialWhateverTheIncidents() throws {
        let days = (1...45).map { day in CivilDay.text(2020, 4, day) }
        let contacts = TestSupport.temporaryFile("contact_id,channel,arrived_at\n" + days.enumerated().map { "\($0),999,\($1)T10:00:00Z\n" }.joined())
        let incidents = TestSupport.temporaryFile("incident_id,raised_at,deployed,referred_to\n"
            + (1...61).map { "\($0),\(CivilDay.text(2020, 4, $0))T10:00:00Z,yes,none\n" }.joined(), name: "incidents.csv")
        for inputs in [[contacts], [contacts, incidents]] {
            let run = try CLI.run(["compare"] + inputs + ["--before", "A=2020-04-01..2020-04-10", "--after", "B=2020-04-11..2020-05-31", "--format", "csv"])
            #expect(run.status == 0 && run.standardError.contains("warning: the --after window B (2020-04-11..2020-05-31) reaches beyond the data"), "\(run.standardError)")
            #expect(run.standardOutput.contains("\nwindow_days_covered,,10,35,") && run.standardOutput.contains("\nreceived,999,10,35,0,relative,"))
            // Incidents per day over their own days (10 and 51): divided by the contacts' 35 they rose by 46%.
            if inputs.count == 2 { #expect(run.standardOutput.contains("\nincidents,,10,51,0,relative,"), "\(run.standardOutput)") }
        }
    }

    /// The CSV gives the incidents sent to each partner agency, as the table and the JSON do (found by the newcomer
    /// review: they were left out).
    @Test func theCSVGivesThePartnerAgencies() throws {
        let contacts = TestSupport.temporaryFile("contact_id,channel,arrived_at\n1,999,2020-04-02T10:00:00Z\n2,999,2020-04-12T10:00:00Z\n")
        let incidents = TestSupport.temporaryFile("incident_id,raised_at,deployed,referred_to\n1,2020-04-02T10:00:00Z,yes,Social Services\n"
            + "2,2020-04-12T10:00:00Z,no,Local Authorities\n3,2020-04-13T10:00:00Z,no,Local Authorities\n", name: "incidents.csv")
        let run = try CLI.run(["compare", contacts, incidents, "--before", "A=2020-04-01..2020-04-10", "--after", "B=2020-04-11..2020-04-20", "--format", "csv"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("\nreferred_by_agency,Local Authorities,0,2,") && run.standardOutput.contains("\nreferred_by_agency,Social Services,1,0,"),
                "\(run.standardOutput)")
    }

    @Test func compareFromAStoreEqualsCompareFromTheFiles() throws {
        let contacts = try TestSupport.contactsFile(seed: 31, rows: 3_000)
        let store = TestSupport.temporaryRoot.appendingPathComponent("cm-\(UUID().uuidString).db").path
        let ingest = try CLI.run(["ingest", "--store", store, contacts, "SampleData/incidents.csv", "--max-rejects", "10%"])
        #expect(ingest.status == 0, "\(ingest.standardError)")
        for format in ["json", "csv", "table"] {
            let direct = try CLI.run(["compare", contacts, "SampleData/incidents.csv", "--format", format] + windows)
            let stored = try CLI.run(["compare", "--store", store, "--format", format] + windows)
            #expect(direct.status == 0 && stored.status == 0)
            // The figures must agree; the ledger differs (a store's ledger covers whole sources).
            func figures(_ text: String) -> String {
                switch format {
                case "json": return String(text[..<(text.range(of: "\"ledger\"")?.lowerBound ?? text.endIndex)])
                case "csv": return text.split(separator: "\n").filter { !$0.hasPrefix("ledger:") }.joined(separator: "\n")
                default: return String(text[..<(text.range(of: "Input:")?.lowerBound ?? text.endIndex)])
                }
            }
            #expect(figures(stored.standardOutput) == figures(direct.standardOutput), "format \(format)")
        }
    }

    @Test func windowsAreValidated() throws {
        let missing = try CLI.run(["compare", "SampleData/contacts.csv", "--before", "A=2019-04-01..2019-05-31"])
        #expect(missing.status == 64 && missing.standardError.contains("--after is required"))
        let backwards = try CLI.run(["compare", "SampleData/contacts.csv", "--before", "A=2019-05-31..2019-04-01", "--after", "B=2020-04-01..2020-05-31"])
        #expect(backwards.status == 64 && backwards.standardError.contains("the window ends before it starts"))
        for (store, words) in [("", "--store '': an empty path"), ("nightly/", "--store 'nightly/' names a directory; give the store's file, such as nightly/metrics.db")] {
            for command in [["ingest", "--store", store, "SampleData/incidents.csv"], ["report", "--store", store], ["compare", "--store", store] + windows] {
                let run = try CLI.run(command)
                #expect(run.status == 64 && run.standardError.contains(words), "\(command) \(run.standardError)")
            }
        }
        // Windows without labels are their dates, once (the title read 2019-04-01..2019-04-30 (2019-04-01..2019-04-30)).
        let unlabelled = try CLI.run(["compare", "SampleData/contacts.csv", "--before", "2019-04-01..2019-04-30", "--after", "2020-04-01..2020-04-30", "--format", "markdown"])
        #expect(unlabelled.status == 0 && unlabelled.standardOutput.hasPrefix("## 2019-04-01..2019-04-30 compared with 2020-04-01..2020-04-30, time zone"))
        let sameLabel = try CLI.run(["compare", "SampleData/contacts.csv", "--before", "X=2019-04-01..2019-04-30", "--after", "x=2020-04-01..2020-04-30"])
        #expect(sameLabel.status == 64 && sameLabel.standardError.contains("the same label, 'X'"))
        // Two windows spanning under 14 days: refused (a range of the days allowed for the change trapped).
        for change in [[], ["--change-date", "2019-03-11"]] {
            let short = try CLI.run(["compare", "SampleData/contacts.csv", "--before", "W1=2019-03-04..2019-03-09", "--after", "W2=2019-03-11..2019-03-16", "--trend"] + change)
            #expect(short.status == 64 && short.standardError.contains("--trend needs at least 14 days from the first window's start to the last one's end, "
                + "a week each side of the change; the windows span 13 days (2019-03-04..2019-03-16): widen them"), "\(short.standardError)")
        }
        let outside = try CLI.run(["compare", "SampleData/contacts.csv", "--before", "W1=2019-03-04..2019-03-16", "--after", "W2=2019-03-18..2019-03-30",
                                   "--trend", "--change-date", "2019-04-20"])
        #expect(outside.status == 64 && outside.standardError.contains("--change-date 2019-04-20 is outside the span of the windows, 2019-03-04..2019-03-30"))
    }

    @Test func windowsOfDifferentLengthsCompareVolumesPerDay() throws {
        let run = try CLI.run(["compare", "SampleData/contacts.csv", "--before", "Week=2019-04-01..2019-04-07",
                               "--after", "Day=2020-04-01..2020-04-01", "--format", "table"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("/day)"))
        // Per day over the days with data: the sample's week has contacts on 4 of its days.
        #expect(run.standardOutput.contains("per day (the windows have data for 4 and 1 days)"))
    }
}
