import Foundation
import Testing
@testable import ContactMetrics

/// A category's share is of the contacts whose exports give categories: an export with no category column
/// says nothing of its contacts' categories (a review: a phone-logged online export without the column
/// halved the Covid share, and `compare` marked the fall significant).
@Suite struct CategoryShareTests {
    /// `count` online rows on `date`, one a minute from 08:00, the `index`-th with `category(index)`
    /// (nil: the file has no category column).
    static func online(_ prefix: String, _ count: Int, on date: String, category: ((Int) -> String)?) -> String {
        let header = "contact_id,channel,arrived_at" + (category == nil ? "" : ",category")
        let rows = (0..<count).map { index in
            let time = String(format: "%@T%02d:%02d:00Z", date, 8 + index / 60, index % 60)
            return "\(prefix)\(index),online,\(time)" + (category.map { "," + $0(index) } ?? "")
        }
        return ([header] + rows).joined(separator: "\n") + "\n"
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static let webform = TestSupport.temporaryFile(online("W", 100, on: "2019-04-01") { $0 % 2 == 0 ? "covid" : "theft" }, name: "webform.csv")
    static let phone = TestSupport.temporaryFile(online("P", 100, on: "2019-04-02", category: nil), name: "phone.csv")

    @Test func reportTakesTheShareOfContactsWhoseExportsGiveCategories() throws {
        let json = try CLI.run(["report", Self.webform, Self.phone, "--format", "json", "--no-progress"])
        #expect(json.status == 0)
        let periods = try #require(try Self.object(json.standardOutput)["periods"] as? [[String: Any]])
        let online = try #require((periods.first?["channels"] as? [String: Any])?["online"] as? [String: Any])
        #expect(online["received"] as? Int == 200 && online["category_not_given"] as? Int == 100, "\(json.standardOutput)")
        #expect((online["categories"] as? [String: Any])?["covid"] as? Int == 50)

        let table = try CLI.run(["report", Self.webform, Self.phone, "--no-progress"])
        #expect(table.standardOutput.contains("covid 50%") && !table.standardOutput.contains("covid 25%"), "\(table.standardOutput)")
        #expect(table.standardOutput.contains("100 contacts come from exports with no category column (category_not_given): "
                                              + "a category's share is of the contacts whose exports give categories."))
        let csv = try CLI.run(["report", Self.webform, Self.phone, "--format", "csv", "--no-progress"])
        #expect(csv.standardOutput.contains(",online,category_not_given,100\n"))

        // Alone, the export with categories says nothing of the sort.
        let alone = try CLI.run(["report", Self.webform, "--format", "json", "--no-progress"])
        #expect(!alone.standardOutput.contains("category_not_given"))
    }

    /// An empty category in an export that has the column is a contact with no category: still in the
    /// share's denominator (an export that fills the column only for Covid reports).
    @Test func anEmptyCategoryCountsInTheDenominator() throws {
        let flagged = TestSupport.temporaryFile(Self.online("F", 10, on: "2019-04-01") { $0 < 3 ? "covid" : "" }, name: "flagged.csv")
        let run = try CLI.run(["report", flagged, "--no-progress"])
        #expect(run.standardOutput.contains("covid 30%"), "\(run.standardOutput)")
        #expect(!run.standardOutput.contains("category_not_given"))
    }

    @Test func compareSharesAreOfCategorisedContactsAndSayWhy() throws {
        let after = TestSupport.temporaryFile(Self.online("A", 100, on: "2020-04-01") { $0 % 4 == 0 ? "theft" : "covid" }, name: "after.csv")
        let run = try CLI.run(["compare", Self.webform, Self.phone, after, "--before", "Pre=2019-04-01..2019-04-02",
                               "--after", "Post=2020-04-01..2020-04-01", "--format", "json", "--no-progress"])
        #expect(run.status == 0, "\(run.standardError)")
        let output = try Self.object(run.standardOutput)
        let changes = try #require(output["changes"] as? [[String: Any]])
        let share = try #require(changes.first { $0["metric"] as? String == "category_share:covid" })
        #expect(share["before"] as? Double == 0.5 && share["after"] as? Double == 0.75, "\(share)")
        let cautions = output["cautions"] as? [String] ?? []
        #expect(cautions.contains("online: 100 of the 200 contacts of the Pre window (2019-04-01..2019-04-02) come from exports with no category "
                                  + "column: its category shares are of the other 100, which may not be like them."), "\(cautions)")

        let text = try CLI.run(["compare", Self.webform, Self.phone, after, "--before", "Pre=2019-04-01..2019-04-02",
                                "--after", "Post=2020-04-01..2020-04-01", "--no-progress"])
        #expect(text.standardOutput.contains("(of which Covid 50%)") && text.standardOutput.contains("(of which Covid 75%)"), "\(text.standardOutput)")
    }

    /// A store upgraded from schema 6 cannot tell which of its contacts had no category column: `compare --store` says so
    /// in its output (a diff review: only stderr said it, and the share moved 25% → 60%, marked significant).
    @Test func compareFromAStoreOfSchema6SaysItsSharesMayCountContactsWithoutTheColumn() throws {
        let store = OutputSafetyTests.directory() + "/v6.db"
        let after = TestSupport.temporaryFile(Self.online("A", 100, on: "2020-04-01") { $0 % 4 == 0 ? "theft" : "covid" }, name: "after.csv")
        #expect(try CLI.run(["ingest", "--store", store, Self.webform, Self.phone, after, "--quiet"]).status == 0)
        try SQLiteConnection(path: store, create: false).execute(StoreSafetyTests.downgrade(to: 6))
        let run = try CLI.run(["compare", "--store", store, "--before", "Pre=2019-04-01..2019-04-02", "--after", "Post=2020-04-01..2020-04-01",
                               "--format", "json"])
        let cautions = try Self.object(run.standardOutput)["cautions"] as? [String] ?? []
        #expect(cautions.contains("3 of the store's sources were stored before contacts from exports with no category column were counted apart "
                                  + "(schema 7, 7 December 2026): any such contacts count in the category shares as contacts with no category; ingest those files "
                                  + "again to read them anew."), "\(cautions)")
    }

    /// The store keeps the count by cell, so its reports say the same as the files'.
    @Test func aStoreKeepsWhichContactsHadNoCategoryColumn() throws {
        let store = OutputSafetyTests.directory() + "/c.db"
        #expect(try CLI.run(["ingest", "--store", store, Self.webform, Self.phone, "--no-progress"]).status == 0)
        let fromStore = try CLI.run(["report", "--store", store, "--format", "csv", "--no-progress"]).standardOutput
        let fromFiles = try CLI.run(["report", Self.webform, Self.phone, "--format", "csv", "--no-progress"]).standardOutput
        func categoryRows(_ csv: String) -> [Substring] { csv.split(separator: "\n").filter { $0.contains(",online,") } }
        #expect(categoryRows(fromStore) == categoryRows(fromFiles) && categoryRows(fromStore).contains { $0.hasSuffix("category_not_given,100") })
    }
}
