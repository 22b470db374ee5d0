import Foundation
import Testing
@testable import ContactMetrics

/// Arrivals are read against the block's recent arrivals of the same day of the month
/// (`RecentArrivalDates`): only a shortcut, so rows out of time order, with dates of the same day in
/// other months and other offsets, must give the waits and handle times of every time read in full.
@Suite struct RecentArrivalDatesTests {
    private static func written(_ seconds: Int64, offset: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(secondsFromGMT: offset)!
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The table on its own: a reference is found by its day of the month, replaced by a later one of the same
    /// day, and forgotten at `reset()` (its bytes were the block's before).
    @Test func referencesAreKeptByDayOfTheMonthAndForgottenAtReset() throws {
        let texts = ["2019-03-11T08:00:00Z", "2019-04-11T09:00:00+01:00", "2019-03-12T08:00:00Z"]
        let bytes = texts.map { Array($0.utf8) + Array(repeating: 0, count: 16) }
        var table = RecentArrivalDates()
        try bytes[0].withUnsafeBytes { first in
            try bytes[1].withUnsafeBytes { second in
                try bytes[2].withUnsafeBytes { third in
                    let views = [first, second, third].enumerated().map { UnsafeRawBufferPointer(rebasing: $1[0..<texts[$0].utf8.count]) }
                    #expect(table.candidate(for: views[0]) == nil)
                    table.remember(try #require(SameDateReference(bytes: views[0], utc: 1_552_291_200)))
                    #expect(table.candidate(for: views[0])?.utc == 1_552_291_200)
                    #expect(table.candidate(for: views[2]) == nil)  // the 12th: another slot
                    // The 11th of April takes the 11th of March's slot; the caller's `sharingDate` tells dates apart.
                    #expect(table.candidate(for: views[1])?.sharingDate(views[1]) == nil)
                    table.remember(try #require(SameDateReference(bytes: views[1], utc: 1_554_969_600)))
                    #expect(table.candidate(for: views[0])?.utc == 1_554_969_600)
                    table.reset()
                    #expect(table.candidate(for: views[0]) == nil && table.candidate(for: views[1]) == nil)
                }
            }
        }
    }

    @Test func rowsOutOfTimeOrderGiveTheFiguresOfTimesReadInFull() throws {
        var random = SplitMix64(seed: 7)
        let reader = ISO8601DateFormatter()
        reader.formatOptions = [.withInternetDateTime]
        var rows: [String] = []
        var waitSum: Int64 = 0, handleSum: Int64 = 0
        for index in 0..<600 {
            // The 1st, 11th and 21st of March to May 2019 (the same day digits in three months, across
            // the clock change), in no order, with several offsets for the same date.
            let day = Int64([0, 10, 20][Int(random.next() % 3)]) + [17_956, 17_986, 18_017][Int(random.next() % 3)]
            let arrival = day * 86_400 + Int64(random.next() % 86_400)
            let offset = [0, 3_600, -18_000][Int(random.next() % 3)]
            let wait = Int64(random.next() % 3_000), handle = Int64(random.next() % 2_000)
            let a = Self.written(arrival, offset: offset), b = Self.written(arrival + wait, offset: offset)
            let c = Self.written(arrival + wait + handle, offset: offset)
            // Foundation's reading of what was written, as the reference.
            func parsed(_ text: String) -> Int64 { Int64(reader.date(from: text)!.timeIntervalSince1970) }
            waitSum += parsed(b) - parsed(a)
            handleSum += parsed(c) - parsed(b)
            rows.append("C\(index),101,\(a),\(b),\(c),answered,")
        }
        let path = TestSupport.temporaryFile("contact_id,channel,arrived_at,answered_at,ended_at,outcome,category\n" + rows.joined(separator: "\n") + "\n")
        for (threads, blockSize) in [(1, 1 << 20), (2, 4096), (3, 300)] {
            let result = try TestSupport.ingest([path], TestSupport.options(grain: .local(.year), threads: threads, blockSize: blockSize))
            let report = Report(cube: result.cube, period: .year, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
            #expect(report.ledger.rowsAccepted == 600, "\(threads) threads, blocks of \(blockSize)")
            let waits = report.periods.reduce(Int64(0)) { $0 + ($1.channel("101")?.answerWaits.sum ?? 0) }
            let handles = report.periods.reduce(Int64(0)) { $0 + ($1.channel("101")?.handleSum ?? 0) }
            #expect(waits == waitSum && handles == handleSum, "\(threads) threads, blocks of \(blockSize)")
        }
    }
}
