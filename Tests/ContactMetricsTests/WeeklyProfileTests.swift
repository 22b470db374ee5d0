import Foundation
import Testing
@testable import ContactMetrics

/// The page's hour-of-week heat maps: read at hours, then added up, the report is the one a direct read gives.
@Suite struct WeeklyProfileTests {
    /// Contacts around both 2019 clock changes and over a year end, at odd hours.
    private let rows: String = {
        var text = "channel,arrived_at,answered_at,abandoned_at,category\n"
        let times = ["2019-03-30T23:30:00Z", "2019-03-31T00:59:00Z", "2019-03-31T01:00:00Z", "2019-03-31T09:00:00Z", "2019-10-27T00:30:00Z",
                     "2019-10-27T01:30:00Z", "2019-10-27T02:10:00Z", "2019-12-31T23:59:00Z", "2020-01-01T00:00:30Z", "2020-01-06T08:15:00Z"]
        for (index, time) in times.enumerated() {
            let minute = time.dropLast(4)  // YYYY-MM-DDTHH:MM
            text += index % 3 == 0 ? "101,\(time),,\(minute):50Z,\n" : "999,\(time),\(minute):\(40 + index)Z,,\n"
            text += "online,\(time),,,fraud\n"
        }
        return text
    }()

    @Test(arguments: [PeriodUnit.hour, .day, .week, .month, .quarter, .financialYear])
    func rolledUpFromHoursIsTheDirectReport(unit: PeriodUnit) throws {
        let file = TestSupport.temporaryFile(rows)
        func read(_ grain: PeriodUnit) throws -> IngestResult { try TestSupport.ingest([file], TestSupport.options(grain: .local(grain))) }
        let directResult = try read(unit), hours = try read(WeeklyProfile.grain(for: unit))
        let direct = Report(cube: directResult.cube, period: unit, timeZone: "Europe/London", ledger: directResult.ledger, options: MetricOptions())
        let rolled = Report(cube: hours.cube.rolledUp(toLocal: unit), period: unit, timeZone: "Europe/London", ledger: hours.ledger,
                            options: MetricOptions())
        #expect(rolled == direct)
        #expect(rolled.table() == direct.table())
    }

    @Test func countsLandInTheirLocalHourOfTheWeek() throws {
        let hours = try TestSupport.report(rows, period: .hour)
        var options = MetricOptions()
        options.shortAbandonSeconds = 0
        let profile = WeeklyProfile(cube: hours.sourceCube, options: options, coveredDays: nil)
        #expect(profile.channels.map(\.name) == ["999", "101", "online"])
        let online = try #require(profile.channels.last)
        #expect(online.received.reduce(0, +) == 10 && online.isSubmission)
        // Sundays (index 6 × 24 + hour): 00:59Z is 00:59 GMT; 2019-03-31T01:00Z is 02:00 BST and 2019-10-27T02:10Z 02:10 GMT;
        // 2019-10-27T00:30Z is 01:30 BST and 01:30Z 01:30 GMT, the repeated hour.
        #expect(online.received[6 * 24] == 1 && online.received[6 * 24 + 2] == 2 && online.received[6 * 24 + 1] == 2)
        #expect(online.received[5 * 24 + 23] == 1 && online.received[6 * 24 + 10] == 1)
        // 2020-01-01T00:00:30Z is a Wednesday at 00h; 2019-12-31T23:59Z a Tuesday at 23h; 2020-01-06T08:15Z a Monday at 08h.
        #expect(online.received[2 * 24] == 1 && online.received[1 * 24 + 23] == 1 && online.received[8] == 1)
        let calls = profile.channels[1]
        #expect(calls.abandoned.reduce(0, +) == 4 && calls.offered.reduce(0, +) == 4)
    }
}

extension WeeklyProfileTests {
    /// A heat map's average per week: hours with a few calls over a year are not shown as 0.0 beside hours
    /// with none (the README walkthrough saw 0.0 in every cell of the sample's page).
    @Test func smallAveragesKeepTheirDigits() {
        #expect(Report.averageCount(0) == "0")
        #expect(Report.averageCount(1.0 / 53) == "0.02")
        #expect(Report.averageCount(0.001) == "<0.01")
        #expect(Report.averageCount(0.1) == "0.1" && Report.averageCount(2.46) == "2.5")
        #expect(Report.averageCount(1_234.4) == "1,234")
    }
}
