import Foundation
import Testing
@testable import ContactMetrics

/// Arrivals after the run: a date misread (a review's two-digit years 49 and 69 counted in 2049 and 2069, no word).
@Suite struct FutureArrivalTests {
    @Test func arrivalsAfterTodayAreSaid() throws {
        var tally = RowTally()
        tally.accepted = 1
        tally.firstArrivalUTC = 1_554_109_207
        tally.lastArrivalUTC = 3_133_069_207  // 2069-04-13T09:00:07Z
        let now: Int64 = 1_796_601_600  // 2026-12-07
        #expect(OrderedCollector.futureDates(tally, path: "yy.csv", now: now) == "yy.csv: arrivals as late as 2069-04-13 (UTC), after today: "
                + "a two-digit year read in the wrong century, or a misread date? They are counted in their own periods; leave them out with --to")
        tally.lastArrivalUTC = now + 3_600  // a clock a little ahead, or a zone east of UTC
        #expect(OrderedCollector.futureDates(tally, path: "yy.csv", now: now) == nil)
        tally.lastArrivalUTC = 7_258_204_800  // 2200: a placeholder, said by placeholderDates
        #expect(OrderedCollector.futureDates(tally, path: "yy.csv", now: now) == nil)
        let file = TestSupport.temporaryFile("contact_id,channel,arrived_at,answered_at\n1,101,2019-04-13T09:00:07Z,2019-04-13T09:01:00Z\n2,101,2069-04-13T09:00:07Z,2069-04-13T09:01:00Z\n")
        #expect(try TestSupport.ingest([file], TestSupport.options()).ledger.warnings.contains { $0.hasSuffix("as late as 2069-04-13 (UTC), after today: "
            + "a two-digit year read in the wrong century, or a misread date? They are counted in their own periods; leave them out with --to") })
    }
}
