import Foundation
import Testing
@testable import ContactMetrics

/// A mapped row's times are read against its arrival's date and offset, and an arrival against the
/// row before's (`SameDateReference`): only a shortcut, so the waits and handle times must be those of
/// each time read in full, whatever the dates, offsets, escapes, block sizes and thread counts.
@Suite struct MappedSameDateTests {
    /// `seconds` (UTC) written with one of several offsets, and sometimes a digit as a JSON escape.
    private static func written(_ seconds: Int64, _ random: inout SplitMix64, escape: Bool) -> String {
        let offsets = [0, 3600, -18_000, 19_800]
        let offset = offsets[Int(random.next() % UInt64(offsets.count))]
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(secondsFromGMT: offset)!
        var text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        if escape, let digit = text.firstIndex(where: \.isNumber) {
            text.replaceSubrange(digit...digit, with: "\\u003\(text[digit])")
        }
        return text
    }

    @Test func waitsAndHandleTimesAreThoseOfTimesReadInFull() throws {
        var random = SplitMix64(seed: 42)
        var lines: [String] = []
        var waitSum: Int64 = 0, answered: Int64 = 0, handleSum: Int64 = 0
        let reader = ISO8601DateFormatter()
        reader.formatOptions = [.withInternetDateTime]
        var arrival: Int64 = 1_553_900_000  // 2019-03-29, two days before the clock change
        for _ in 0..<400 {
            arrival += Int64(random.next() % 900)  // in time order, as logs are, crossing midnights
            let wait = Int64(random.next() % 4_000), handle = Int64(random.next() % 2_000)
            let escape = random.next() % 10 == 0
            let a = Self.written(arrival, &random, escape: escape)
            let b = Self.written(arrival + wait, &random, escape: random.next() % 10 == 0)
            let c = Self.written(arrival + wait + handle, &random, escape: false)
            lines.append(#"{"ch":"101","a":"\#(a)","b":"\#(b)","c":"\#(c)"}"#)
            // Foundation's reading of what was written, as the reference.
            func parsed(_ text: String) -> Int64 {
                let plain = text.replacingOccurrences(of: "\\u003", with: "")
                return Int64(reader.date(from: plain)!.timeIntervalSince1970)
            }
            waitSum += parsed(b) - parsed(a)
            handleSum += parsed(c) - parsed(b)
            answered += 1
        }
        let path = TestSupport.temporaryFile(lines.joined(separator: "\n") + "\n")
        let config = try MappedRun.config(#"{"columns": {"channel": "ch", "arrived_at": "a", "answered_at": "b", "ended_at": "c"}}"#)
        for (threads, blockSize) in [(1, 1 << 20), (2, 4096), (3, 700)] {
            let (report, _) = try MappedRun.result([path], config, period: .year, threads: threads, blockSize: blockSize)
            #expect(report.ledger.rowsAccepted == 400, "\(threads) threads, blocks of \(blockSize)")
            let waits = report.periods.reduce(Int64(0)) { $0 + ($1.channel("101")?.answerWaits.sum ?? 0) }
            let handles = report.periods.reduce(Int64(0)) { $0 + ($1.channel("101")?.handleSum ?? 0) }
            let count = report.periods.reduce(Int64(0)) { $0 + ($1.channel("101")?.answered ?? 0) }
            #expect(count == answered && waits == waitSum && handles == handleSum, "\(threads) threads, blocks of \(blockSize)")
        }
    }
}
