import Foundation
import Testing
@testable import ContactMetrics

/// `daysWithAnyData` (a day's look-up at a time, for the report's cautions) finds the days `daysWithData` finds by
/// reading every cell, whatever the zone: around midnights, clock changes and zones a quarter hour off the hour.
@Suite struct StoreDaysTests {
    @Test(arguments: [1, 2, 3])
    func oneLookUpADayFindsEveryDay(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        var text = "contact_id,channel,arrived_at,answered_at,ended_at,outcome,category\n"
        // Contacts on scattered days, many of them within an hour of a midnight somewhere, some near the clock changes.
        let start = 1_546_300_800  // 2019-01-01T00:00:00Z
        for row in 0..<400 {
            let day = Int.random(in: 0..<730, using: &random)
            let second = row % 3 == 0 ? Int.random(in: 0..<86_400, using: &random) : (Int.random(in: -3_600...3_600, using: &random) + 86_400 * 10) % 86_400
            let arrived = start + day * 86_400 + second
            text += "\(row),\(["999", "101", "online"][row % 3]),\(TestSupport.iso8601(arrived)),,\(TestSupport.iso8601(arrived + 60)),abandoned,\n"
        }
        for (row, arrived) in [1_553_994_000, 1_553_990_399, 1_572_138_000, 1_572_134_400, 1_572_130_799].enumerated() {  // 2019's clock changes
            text += "c\(row),999,\(TestSupport.iso8601(arrived)),,\(TestSupport.iso8601(arrived + 60)),abandoned,\n"
        }
        let store = try ContactStore(path: StoreSupport.temporaryStorePath(), create: true)
        _ = try StoreSupport.ingest([TestSupport.temporaryFile(text, name: "contacts.csv"), TestSupport.sample("incidents.csv")], into: store,
                                   zone: try TimeZoneRules(identifier: "UTC"))
        for name in ["Europe/London", "UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham", "Australia/Lord_Howe"] {
            let zone = try TimeZoneRules(identifier: name)
            let expected = Array(Set(try store.daysWithData(zone: zone).values.joined())).sorted()
            #expect(try store.daysWithAnyData(zone: zone) == expected, "\(name)")
        }
    }
}
