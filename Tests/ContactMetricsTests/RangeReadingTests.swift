import Foundation
import Testing
@testable import ContactMetrics

/// Logs whose quoting breaks RFC 4180 in the ways real exports do, to check that range reading
/// (workers reading their own ranges) and streamed blocks of any size find exactly the records that
/// one scan of the whole file finds.
enum AwkwardLog {
    enum Flaw: CaseIterable {
        /// Every quote is RFC 4180 quoting; some quoted fields are long and hold many newlines (in
        /// every case).
        case none
        /// `5" screen` in an unquoted field.
        case strayQuote
        /// `"abc"x"y`: text after a closing quote, itself holding a quote.
        case quoteAfterClosingQuote
        /// A quoted field opened near the end that never closes.
        case unterminatedAtTheEnd
    }

    static func contacts(seed: UInt64, rows: Int, flaw: Flaw) -> String {
        var random = SeededGenerator(seed: seed)
        let newline = Bool.random(using: &random) ? "\r\n" : "\n"
        var text = (Bool.random(using: &random) ? "\u{FEFF}" : "") + "contact_id,channel,arrived_at,answered_at,ended_at,outcome,category" + newline
        for row in 0..<rows {
            let arrived = 1_546_300_800 + row * 3_000 + Int.random(in: 0..<3_000, using: &random)
            let wait = Int.random(in: 0..<600, using: &random)
            func stamp(_ seconds: Int) -> String {
                TestSupport.iso8601(seconds)
            }
            var category: String
            switch Int.random(in: 0..<10, using: &random) {
            case 0:  // a long quoted note: many lines, escaped quotes, commas
                let lines = (0..<Int.random(in: 1..<40, using: &random)).map { "line \($0), said \"\"hi\"\"" }
                category = "\"" + lines.joined(separator: newline) + "\""
            case 1: category = "\"theft, vehicle\""
            case 2: category = ""
            default: category = "covid"
            }
            if row == rows / 2 {
                switch flaw {
                case .none, .unterminatedAtTheEnd: break
                case .strayQuote: category = "5\" screen"
                case .quoteAfterClosingQuote: category = "\"abc\"x\"y"
                }
            }
            if flaw == .unterminatedAtTheEnd && row == rows - 3 { category = "\"never closed, " }
            var fields = ["\(row)", ["999", "101", "webchat"][row % 3], stamp(arrived), stamp(arrived + wait),
                          stamp(arrived + wait + 60), "answered", category]
            if row == rows / 4 { fields.removeLast() }  // a row rejected before the flaw
            text += fields.joined(separator: ",") + newline
            if Int.random(in: 0..<25, using: &random) == 0 { text += newline }  // a blank line
        }
        if Bool.random(using: &random) { text.removeLast(newline.count) }  // no newline at the end
        return text
    }
}

@Suite struct RangeReadingTests {
    private struct Outcome: Equatable {
        var json: String
        var rejects: [String]
        var streamed: Bool
        var fingerprints: [String?]
    }

    private func read(_ paths: [String], threads: Int, blockSize: Int, ranges: Bool) throws -> Outcome {
        var options = TestSupport.options(threads: threads, blockSize: blockSize)
        options.readsRanges = ranges
        options.computeContentHash = true
        let rejects = Locked<[String]>([])
        let result = try IngestEngine(options: options).run(inputs: paths, onReject: { row in rejects.withLock { $0.append(row.description) } })
        let json = Report(cube: result.cube, period: .month, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
            .json().serialized()
        return Outcome(json: json, rejects: rejects.withLock { $0 }, streamed: result.streamedAfterRangeReading,
                       fingerprints: result.ledger.sources.map(\.contentFingerprint))
    }

    @Test(.heavy, .tags(.heavy), arguments: AwkwardLog.Flaw.allCases)
    func rangesAndStreamedBlocksGiveWhatOneBlockGives(flaw: AwkwardLog.Flaw) throws {
        for seed in UInt64(1)...2 {
            let path = TestSupport.temporaryFile(AwkwardLog.contacts(seed: seed, rows: 120, flaw: flaw))
            let expected = try read([path], threads: 1, blockSize: 1 << 20, ranges: false)
            let rejectedRows = flaw == .quoteAfterClosingQuote || flaw == .unterminatedAtTheEnd ? 2 : 1
            #expect(expected.rejects.count == rejectedRows, "seed \(seed)")
            for threads in TestSupport.threadCounts([1, 3]) {
                for blockSize in [1, 5, 64, 333, 4096] {
                    for ranges in [true, false] {
                        let actual = try read([path], threads: threads, blockSize: blockSize, ranges: ranges)
                        #expect(actual == expected, "flaw \(flaw), seed \(seed), threads \(threads), block size \(blockSize), ranges \(ranges)")
                    }
                }
            }
        }
    }

    @Test func randomLogsAreReadInRangesWithoutGivingUp() throws {
        let path = TestSupport.temporaryFile(RandomLog.contacts(seed: 5, rows: 400))
        let expected = try read([path], threads: 1, blockSize: 1 << 20, ranges: false)
        for blockSize in [7, 100, 1000] {
            #expect(try read([path], threads: 2, blockSize: blockSize, ranges: true) == expected)
        }
    }

    @Test func manyFilesAreNotAllHeldOpen() throws {
        let count = IngestEngine.maximumOpenSplitInputs + 6
        let paths = (0..<count).map { TestSupport.temporaryFile(AwkwardLog.contacts(seed: UInt64($0), rows: 3, flaw: .none)) }
        let expected = try read(paths, threads: 1, blockSize: 1 << 20, ranges: false)
        #expect(try read(paths, threads: 2, blockSize: 64, ranges: true) == expected)
    }

    @Test func headerOnlyEmptyAndMixedInputs() throws {
        let headerOnly = TestSupport.temporaryFile("contact_id,channel,arrived_at,answered_at,ended_at,outcome,category\r\n")
        let body = AwkwardLog.contacts(seed: 9, rows: 30, flaw: .none)
        let plain = TestSupport.temporaryFile(body)
        let expected = try read([headerOnly, plain], threads: 1, blockSize: 1 << 20, ranges: false)
        #expect(try read([headerOnly, plain], threads: 2, blockSize: 10, ranges: true) == expected)

        let empty = TestSupport.temporaryFile("")
        for ranges in [false, true] {
            var options = TestSupport.options(threads: 2, blockSize: 10)
            options.readsRanges = ranges
            #expect(throws: InputError.emptyInput(path: empty)) { try IngestEngine(options: options).run(inputs: [plain, empty]) }
        }
    }
}

extension RangeReadingTests {
    /// A quote that never closes in the middle of a file makes one record of everything after it, up
    /// to the longest record the streaming reader holds; range reading hands such a file back to the
    /// streaming reader, which must not pass the rows rejected before that point on twice.
    @Test func aRecordTooLongForRangesIsStreamedAndNoRejectIsRepeated() throws {
        var text = AwkwardLog.contacts(seed: 4, rows: 60, flaw: .none)
        text += "1000,999,\"2019-02-01T08:00:00Z,,,answered,\n" + String(repeating: "999,x,y\n", count: 400)
        let path = TestSupport.temporaryFile(text)
        func read(ranges: Bool, threads: Int) throws -> (result: IngestResult, rejects: [String]) {
            var options = TestSupport.options(threads: threads, blockSize: 64)
            options.readsRanges = ranges
            options.maximumRecordBytes = 1024
            let rejects = Locked<[String]>([])
            let result = try IngestEngine(options: options).run(inputs: [path], onReject: { row in rejects.withLock { $0.append(row.description) } })
            return (result, rejects.withLock { $0 })
        }
        let streamed = try read(ranges: false, threads: 1)
        #expect(streamed.rejects.count > 3)
        for threads in [1, 2] {
            let ranged = try read(ranges: true, threads: threads)
            #expect(ranged.result.streamedAfterRangeReading)
            #expect(ranged.rejects == streamed.rejects)
            #expect(ranged.result.cube == streamed.result.cube)
            #expect(ranged.result.ledger == streamed.result.ledger)
        }
    }
}
