import Foundation
import Testing
@testable import ContactMetrics

/// A seeded generator (SplitMix64) so every random log is reproducible from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random contacts logs with the awkward parts of real exports: quoted fields holding commas,
/// quotes and newlines, CRLF or LF, a BOM, mixed offsets, duplicate ids and a few bad rows.
enum RandomLog {
    /// - Parameter timeOrdered: arrivals in time order, as real logs are (most rows then share the
    ///   previous row's date), instead of spread at random over 2019–2020.
    static func contacts(seed: UInt64, rows: Int, timeOrdered: Bool = false) -> String {
        var random = SeededGenerator(seed: seed)
        let crlf = Bool.random(using: &random)
        let newline = crlf ? "\r\n" : "\n"
        let channels = ["999", "101", "online", "webchat", "Other Q"]
        let categories = ["", "", "covid", "theft, vehicle", "said \"help\"", "two\nlines", "criminal damage"]
        var text = (Bool.random(using: &random) ? "\u{FEFF}" : "") + "contact_id,channel,arrived_at,answered_at,ended_at,outcome,category" + newline
        func stamp(_ seconds: Int) -> String {
            TestSupport.iso8601(seconds, offsetHours: Bool.random(using: &random) ? 1 : 0)
        }
        for row in 0..<rows {
            let id = Int.random(in: 0..<(rows * 4 / 5 + 1), using: &random)
            let channel = channels.randomElement(using: &random)!
            let arrived = timeOrdered
                ? 1_553_990_400 + row * 97 + Int.random(in: 0..<60, using: &random)  // from 2019-03-31 (BST starts)
                : Int.random(in: 1_546_300_800..<1_609_459_200, using: &random)  // 2019-2020
            let outcome = ["answered", "answered", "abandoned", "transferred"].randomElement(using: &random)!
            let wait = Int.random(in: 0..<(Bool.random(using: &random) ? 30 : 900), using: &random)
            var answered = "", ended = ""
            if channel != "online" {
                if outcome == "abandoned" { ended = stamp(arrived + wait) } else {
                    answered = stamp(arrived + wait)
                    ended = stamp(arrived + wait + Int.random(in: 0..<600, using: &random))
                }
            }
            var category = categories.randomElement(using: &random)!
            if category.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) {
                category = "\"" + category.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            var fields = ["\(id)", channel, stamp(arrived), answered, ended, channel == "online" ? "" : outcome, category]
            switch row % 97 {
            case 13: fields[2] = "not-a-date"
            case 29: fields.removeLast()
            case 41: fields[1] = ""
            case 59 where !answered.isEmpty: fields[3] = stamp(arrived - 5)
            case 83 where timeOrdered: fields[2] = String(fields[2].prefix(14)) + "6x" + fields[2].dropFirst(16)  // minutes "6x"
            default: break
            }
            text += fields.joined(separator: ",") + newline
        }
        return text
    }
}

@Suite struct IngestPropertyTests {
    private func json(_ path: String, threads: Int, blockSize: Int) throws -> String {
        let result = try TestSupport.ingest([path], TestSupport.options(threads: threads, blockSize: blockSize))
        return Report(cube: result.cube, period: .month, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
            .json().serialized()
    }

    @Test(.heavy, .tags(.heavy), arguments: [UInt64(1), 2, 3, 4])
    func reportDoesNotDependOnThreadsOrBlockSize(seed: UInt64) throws {
        let path = TestSupport.temporaryFile(RandomLog.contacts(seed: seed, rows: 400))
        let baseline = try json(path, threads: 1, blockSize: 1 << 20)
        for threads in TestSupport.threadCounts([1, 2, 8]) {
            for blockSize in [1, 3, 7, 64, 4096, 1 << 20] {
                let candidate = try json(path, threads: threads, blockSize: blockSize)
                #expect(candidate == baseline, "seed \(seed), threads \(threads), block size \(blockSize)")
            }
        }
    }

    @Test(arguments: [(UInt64(11), false), (12, false), (13, false), (14, true), (15, true)])
    func reportEqualsTheReferenceModel(seed: UInt64, timeOrdered: Bool) throws {
        let text = RandomLog.contacts(seed: seed, rows: 600, timeOrdered: timeOrdered)
        let expected = ReferenceModel.compute(text)
        let result = try TestSupport.ingest([TestSupport.temporaryFile(text)], TestSupport.options(threads: 2, blockSize: 512))
        let report = Report(cube: result.cube, period: .month, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
        #expect(report.ledger.rowsRead == expected.rowsRead)
        #expect(report.ledger.rowsRejected == expected.rejected)
        #expect(report.ledger.rowsRead == report.ledger.rowsAccepted + report.ledger.rowsRejected + report.ledger.rowsSkipped)
        var actual: [String: [String: ReferenceModel.Figures]] = [:]
        for period in report.periods {
            for channel in period.channels {
                var figures = ReferenceModel.Figures()
                figures.received = Int(channel.received)
                figures.answered = Int(channel.answered ?? 0)
                figures.abandoned = Int(channel.abandoned ?? 0)
                figures.other = Int(channel.other ?? 0)
                figures.asaSeconds = channel.asaSeconds
                figures.p50 = channel.answerP50Seconds.map(Int.init)
                figures.p90 = channel.answerP90Seconds.map(Int.init)
                figures.p95 = channel.answerP95Seconds.map(Int.init)
                figures.maxWait = channel.maxWaitSeconds.map(Int.init)
                figures.categories = channel.categories.dictionary.mapValues(Int.init)
                actual[period.label, default: [:]][channel.channel] = figures
            }
        }
        #expect(actual.keys.sorted() == expected.figures.keys.sorted())
        for (month, channels) in expected.figures {
            for (channel, figures) in channels {
                #expect(actual[month]?[channel] == figures, "\(month) \(channel)")
            }
        }
    }

    @Test func rejectLineNumbersAreTheSameInParallel() throws {
        let path = TestSupport.temporaryFile(RandomLog.contacts(seed: 7, rows: 500))
        func rejects(threads: Int, blockSize: Int) throws -> [String] {
            let collected = Locked<[String]>([])
            _ = try IngestEngine(options: TestSupport.options(threads: threads, blockSize: blockSize))
                .run(inputs: [path], onReject: { row in collected.withLock { $0.append(row.description) } })
            return collected.withLock { $0 }
        }
        let sequential = try rejects(threads: 1, blockSize: 1 << 20)
        #expect(sequential.count > 10)
        #expect(try rejects(threads: 8, blockSize: 37) == sequential)
        #expect(try rejects(threads: 2, blockSize: 1) == sequential)
    }

    @Test func multipleFilesAndGzipGiveTheSameResultAsOneFile() throws {
        let first = RandomLog.contacts(seed: 21, rows: 300), second = RandomLog.contacts(seed: 22, rows: 200)
        let secondBody = second.drop { $0 != "\n" }.dropFirst()  // without its header line
        let combined = first + secondBody
        let options = TestSupport.options(threads: 2, blockSize: 300)
        let whole = try TestSupport.ingest([TestSupport.temporaryFile(combined)], options)
        let split = try TestSupport.ingest([TestSupport.temporaryFile(first), TestSupport.temporaryFile(try TestSupport.gzip(Data(second.utf8)), name: "second.csv.gz")], options)
        #expect(split.cube == whole.cube)
        #expect(split.ledger.rowsRead == whole.ledger.rowsRead)
        #expect(split.ledger.rowsRejected == whole.ledger.rowsRejected)
        #expect(split.ledger.duplicateIds == whole.ledger.duplicateIds)
        #expect(split.ledger.sources.map(\.rowsRead).reduce(0, +) == whole.ledger.rowsRead)
    }
}
