import Testing
@testable import ContactMetrics

/// The headline's "of which" share takes a category's spellings that differ only in case together
/// (`covid`, `Covid` and `COVID` were three categories of 20%, and `fraud` led with 40%), and says so.
@Suite struct CategoryCaseTests {
    private func comparison(_ afterCategories: [String]) throws -> Comparison {
        var csv = "channel,arrived_at,category\nonline,2019-04-01T10:00:00Z,eBay fraud\n"
        for (index, category) in afterCategories.enumerated() { csv += "online,2019-05-01T10:\(10 + index):00Z,\(category)\n" }
        return try TestSupport.comparison(csv, before: "B=2019-04-01..2019-04-01", after: "A=2019-05-01..2019-05-01")
    }

    @Test func spellingsThatDifferOnlyInCaseAreOneCategory() throws {
        let comparison = try comparison(["covid", "Covid", "COVID", "fraud", "fraud", "Covid"])
        let online = comparison.headlineTable().rows.first { $0[0] == "Online reports" }!
        #expect(online[1] == "1 (of which eBay fraud 100%)" && online[2] == "6 (of which Covid 67%)", "\(online)")
        let share = try #require(comparison.change("category_share:Covid", channel: "online"))
        #expect(share.after == 4.0 / 6 && share.before == 0)
        #expect(comparison.notes.contains("Covid counts the categories \"COVID\", \"Covid\", \"covid\" together: they differ only in case."))
    }

    /// One category has one name in the headline, the detail table and the note, whichever window led with it
    /// (the before window's leader was Covid and the after window's COVID).
    @Test func aCategoryHasOneNameAcrossTheWindows() throws {
        var csv = "channel,arrived_at,category\n"
        for (index, category) in ["covid", "covid", "Covid", "fraud"].enumerated() { csv += "online,2019-04-01T10:\(10 + index):00Z,\(category)\n" }
        for (index, category) in ["COVID", "COVID", "covid", "fraud"].enumerated() { csv += "online,2019-05-01T10:\(10 + index):00Z,\(category)\n" }
        let comparison = try TestSupport.comparison(csv, before: "B=2019-04-01..2019-04-01", after: "A=2019-05-01..2019-05-01")
        let online = comparison.headlineTable().rows.first { $0[0] == "Online reports" }!
        // covid 3 against COVID 2 and Covid 1 over both windows.
        #expect(online[1] == "4 (of which Covid 75%)" && online[2] == "4 (of which Covid 75%)", "\(online)")
        #expect(comparison.change("category_share:covid", channel: "online")?.after == 0.75)
        #expect(comparison.detailTable().rows.contains { $0[0] == "Share Covid" })
        #expect(comparison.notes.contains("Covid counts the categories \"COVID\", \"Covid\", \"covid\" together: they differ only in case."))
    }

    /// Two rates differ by 100 points at most; this one's interval over two days each reached +147.6.
    @Test func aRateIntervalStaysWithinAHundredPoints() throws {
        let csv = "channel,arrived_at,category\nonline,2019-04-01T10:00:00Z,fraud\nonline,2019-04-02T10:00:00Z,fraud\n"
            + "online,2019-05-01T10:00:00Z,covid\nonline,2019-05-01T11:00:00Z,covid\nonline,2019-05-02T10:00:00Z,covid\nonline,2019-05-02T11:00:00Z,fraud\n"
        let comparison = try TestSupport.comparison(csv, before: "B=2019-04-01..2019-04-02", after: "A=2019-05-01..2019-05-02")
        let share = try #require(comparison.change("category_share:covid", channel: "online"))
        #expect(share.change == 75 && share.interval?.upper == 100 && share.interval!.lower > 0 && share.isSignificant == true, "\(share)")
    }

    /// `report`'s top category takes spellings together as `compare` does: the same rows gave "covid 29%" in
    /// the report and "Covid 79%" in the comparison (found by review). The JSON keeps the counts as spelt.
    @Test func theReportsTopCategoryTakesSpellingsTogether() throws {
        var csv = "channel,arrived_at,category\n"
        for (index, category) in ["covid", "covid", "Covid", "COVID", "theft", "theft", "theft"].enumerated() {
            csv += "online,2019-04-01T10:\(10 + index):00Z,\(category)\n"
        }
        let report = try TestSupport.report(csv)
        let row = try #require(report.channelTable().rows.first { $0[1] == "online" })
        #expect(row.last == "covid 57%", "\(row)")
        #expect(report.periods.first?.channel("online")?.categories == ["covid": 2, "Covid": 1, "COVID": 1, "theft": 3])
        #expect(CategorySpellings.merged(["b": 1, "B": 1, "a": 2]) == ["B": 2, "a": 2])
    }

    @Test func oneSpellingGetsNoNoteAndKeepsItsCapitals() throws {
        let comparison = try comparison(["ASB", "ASB", "fraud"])
        let online = comparison.headlineTable().rows.first { $0[0] == "Online reports" }!
        #expect(online[2] == "3 (of which ASB 67%)")
        #expect(!comparison.notes.contains { $0.contains("differ only in case") })
        // A tie between spellings goes to the first in string order, whatever the order of the rows.
        #expect(Comparison.leadingCategory(try self.comparison(["theft", "Theft"]).after.figures.channel("online")) == "Theft")
        #expect(Comparison.leadingCategory(try self.comparison(["Theft", "theft"]).after.figures.channel("online")) == "Theft")
    }
}
