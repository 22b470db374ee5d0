import Testing
@testable import ContactMetrics

@Suite struct ComparisonWindowTests {
    @Test func labelAndDates() throws {
        let window = try #require(ComparisonWindow(parsing: "Pre CMP=2019-04-01..2019-05-31"))
        #expect(window.label == "Pre CMP")
        #expect(window.days == 61)
        #expect(ComparisonWindow(parsing: "2019-04-01 .. 2019-04-30")?.labelWithDates == "2019-04-01..2019-04-30")
    }

    /// Two dots and no other number: three dots, one dot or a dot stuck to a date were read as the window
    /// between the two dates, without a word.
    @Test(arguments: ["2019-04-01...2019-04-30", "2019-04-01.2019-04-30", "2019-04-01.2019-04-30..", "..2019-04-01..2019-04-30",
                      "2019-04-01..2019-04-30..2019-05-31", "2019-04-30..2019-04-01"])
    func refusesWhatIsNotOneRange(text: String) {
        #expect(ComparisonWindow(parsing: text) == nil)
        #expect(ComparisonWindow.problem(text) != nil)
    }

    @Test func saysWhy() {
        #expect(ComparisonWindow.problem("W=2019-04-01...2019-04-30") == "'.2019-04-30' is not a date (YYYY-MM-DD) in 'W=2019-04-01...2019-04-30'")
        #expect(ComparisonWindow.problem("W=2019-04-30..2019-04-01") == "the window ends before it starts: 'W=2019-04-30..2019-04-01'")
    }
}
