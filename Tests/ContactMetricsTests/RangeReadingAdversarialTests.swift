import Foundation
import Testing
@testable import ContactMetrics

/// Adversarial checks of range reading: for any input, range reading must give exactly what the
/// streaming reader gives (report JSON with ledger, rejects with line numbers in order, content
/// fingerprints), for every thread count and block size. Written as an independent review of range
/// reading; the problems it found (named in the doc comments below) are fixed.
enum Adversarial {
    struct Outcome: Equatable, CustomStringConvertible {
        var json: String
        var rejects: [String]
        var fingerprints: [String?]
        var error: String?

        var description: String {
            let ledger = json.range(of: "\"ledger\"").map { String(json[$0.lowerBound...].prefix(260)) } ?? ""
            return "error: \(error ?? "none")\nrejects (\(rejects.count)):\n" + rejects.prefix(4).map { String($0.prefix(160)) }.joined(separator: "\n")
                + "\nfingerprints: \(fingerprints)\njson hash \(json.hashValue) \(ledger)"
        }
    }

    static let header = "contact_id,channel,arrived_at,answered_at,ended_at,outcome,category"

    static func run(_ paths: [String], threads: Int, blockSize: Int, ranges: Bool, maximumRecordBytes: Int? = nil,
                    configure: (inout IngestOptions) -> Void = { _ in }) -> (Outcome, streamedAfterRanges: Bool) {
        var options = TestSupport.options(threads: threads, blockSize: blockSize)
        options.readsRanges = ranges
        options.computeContentHash = true
        if let maximumRecordBytes { options.maximumRecordBytes = maximumRecordBytes }
        configure(&options)
        let rejects = Locked<[String]>([])
        do {
            let result = try IngestEngine(options: options).run(inputs: paths, onReject: { row in
                rejects.withLock { $0.append(row.description + " | " + String(decoding: row.record, as: UTF8.self).debugDescription) }
            })
            let json = Report(cube: result.cube, period: .month, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
                .json().serialized()
            return (Outcome(json: json, rejects: rejects.withLock { $0 }, fingerprints: result.ledger.sources.map(\.contentFingerprint)),
                    result.streamedAfterRangeReading)
        } catch {
            return (Outcome(json: "", rejects: rejects.withLock { $0 }, fingerprints: [], error: error.description), false)
        }
    }

    /// Compares range reading for every thread count and block size with one streamed block; returns
    /// the first mismatch.
    @discardableResult
    static func check(_ paths: [String], threads: [Int] = [1, 2, 5], blockSizes: [Int] = [1, 2, 3, 4, 5, 7, 16, 64],
                      maximumRecordBytes: Int? = nil, alsoStream: Bool = false, label: String = "",
                      configure: (inout IngestOptions) -> Void = { _ in }) -> String? {
        let expected = run(paths, threads: 1, blockSize: 1 << 20, ranges: false, maximumRecordBytes: maximumRecordBytes, configure: configure).0
        for threadCount in TestSupport.threadCounts(threads) {
            for blockSize in blockSizes {
                for ranges in alsoStream ? [true, false] : [true] {
                    let actual = run(paths, threads: threadCount, blockSize: blockSize, ranges: ranges,
                                     maximumRecordBytes: maximumRecordBytes, configure: configure).0
                    if actual != expected {
                        let message = "\(label) threads \(threadCount) block \(blockSize) ranges \(ranges):\nEXPECTED \(expected)\nACTUAL \(actual)"
                        Issue.record(Comment(rawValue: message))
                        return message
                    }
                }
            }
        }
        return nil
    }

    /// A body of "quote soup": valid rows mixed with stray quotes, `""`, delimiters, `\r`, blank lines.
    static func soup(seed: UInt64, pieces: Int, delimiter: String = ",") -> String {
        var random = SeededGenerator(seed: seed)
        let tokens = ["\"", "\"\"", delimiter, "\n", "\r\n", "\r", "a", "1", " ", delimiter + "\"", "\"" + delimiter, "\n\"", "\"\n",
                      "\"\r\n", "x\"y", "\n\n"]
        var text = ""
        for _ in 0..<pieces {
            if Int.random(in: 0..<4, using: &random) == 0 {
                let quoted = Bool.random(using: &random) ? "\"cat\(delimiter) \"\"q\"\"\nline\"" : "covid"
                text += ["\(Int.random(in: 0..<50, using: &random))", "999", "2019-04-01T10:00:00Z", "2019-04-01T10:00:05Z",
                         "2019-04-01T10:02:00Z", "answered", quoted].joined(separator: delimiter) + "\n"
            } else {
                text += tokens.randomElement(using: &random)!
            }
        }
        return text
    }
}

@Suite struct RangeReadingAdversarialTests {
    // MARK: Quote states at range boundaries

    @Test(.heavy, .tags(.heavy)) func quoteSoupAgreesForEveryBlockSizeAndThreadCount() throws {
        for seed in UInt64(1)...40 {
            let text = Adversarial.header + "\n" + Adversarial.soup(seed: seed, pieces: 40)
            let path = TestSupport.temporaryFile(text)
            if Adversarial.check([path], threads: [1, 3], blockSizes: [1, 2, 3, 5, 7, 13], label: "seed \(seed) text \(text.debugDescription)") != nil { break }
        }
    }

    @Test func handPickedBoundaries() throws {
        let rows = [
            "1,999,2019-04-01T10:00:00Z,,,answered,\"a\"\"b\"\n",          // "" escape
            "2,999,2019-04-01T10:00:00Z,,,answered,\"\"\n",                // empty quoted
            "3,999,2019-04-01T10:00:00Z,,,answered,\"x\ny\"\"\nz\"\n",     // newline after ""
            "4,999,2019-04-01T10:00:00Z,,,answered,5\" screen\n",          // stray quote
            "5,999,2019-04-01T10:00:00Z,,,answered,\"abc\"x\"y\n",          // text after closing quote
            "6,999,2019-04-01T10:00:00Z,,,answered,\"\"\"\"\r\n",          // """" = one escaped quote
            "\r\n", "\r\r\n", "\n", "\r",
            "7,999,2019-04-01T10:00:00Z,,,answered,\"a\r\n\"\r\n",
            "8,999,2019-04-01T10:00:00Z,,,answered,\"\",\"\n",             // quote after comma after ""
            "\"9\",\"999\",2019-04-01T10:00:00Z,,,answered,ok\n",
        ]
        // every rotation, so each piece meets each range boundary offset
        for rotation in 0..<rows.count {
            let body = (rows[rotation...] + rows[..<rotation]).joined()
            let path = TestSupport.temporaryFile(Adversarial.header + "\r\n" + body)
            Adversarial.check([path], threads: [1, 4], blockSizes: Array(1...9), label: "rotation \(rotation)")
        }
    }

    @Test func headerWithQuotedNewlineAndBOM() throws {
        let header = "\u{FEFF}contact_id,channel,\"arrived_at\",answered_at,ended_at,outcome,\"category\"\r\n"
        let body = "1,999,2019-04-01T10:00:00Z,,,answered,\"a\nb\"\n2,101,2019-04-01T10:00:00Z,,,answered\n"
        Adversarial.check([TestSupport.temporaryFile(header + body)], blockSizes: Array(1...8))
        // a quoted header name holding a newline is rejected by detection, but errors must agree
        let odd = "contact_id,channel,arrived_at,answered_at,ended_at,outcome,\"category\nx\"\n" + body
        Adversarial.check([TestSupport.temporaryFile(odd)], blockSizes: [1, 3, 7])
    }

    @Test func tinyAndDegenerateFiles() throws {
        let cases = ["", "c", "co", "\u{FEFF}", "\u{FEFF}c", Adversarial.header, Adversarial.header + "\n", Adversarial.header + "\r",
                     Adversarial.header + "\r\n", Adversarial.header + "\n\n", Adversarial.header + "\n\"", Adversarial.header + "\n\"\"",
                     Adversarial.header + "\n,", Adversarial.header + "\n\r", Adversarial.header + "\n1",
                     Adversarial.header + "\n\"unterminated,\n\n\n", "\"" + Adversarial.header + "\n1,2\n",
                     "\u{EF}\u{BB}", "\n", "\r\n", "\"", "\"\""]
        for text in cases {
            Adversarial.check([TestSupport.temporaryFile(text)], threads: [1, 3], blockSizes: [1, 2, 3, 64], label: text.debugDescription)
        }
        // raw bytes: a partial BOM
        Adversarial.check([TestSupport.temporaryFile(Data([0xEF, 0xBB]))], blockSizes: [1, 2])
        Adversarial.check([TestSupport.temporaryFile(Data([0xEF]))], blockSizes: [1, 2])
    }

    @Test func recordsSpanningManyRangesWithManyThreads() throws {
        let long = "\"" + String(repeating: "ab,\"\"\n", count: 60) + "\""
        let body = (0..<6).map { "\($0),999,2019-04-01T10:00:00Z,,,answered,\($0 % 2 == 0 ? long : "x")\n" }.joined()
        let path = TestSupport.temporaryFile(Adversarial.header + "\n" + body)
        Adversarial.check([path], threads: [16, 64], blockSizes: [1, 2, 3, 7])
    }

    // MARK: Other delimiters and layouts

    @Test(arguments: [("semicolon", ";"), ("tab", "\t"), ("pipe", "|")])
    func otherDelimitersWithQuotes(name: String, delimiter: String) throws {
        let mapping = try MappedRun.config(#"{"delimiter": "\#(name)"}"#)
        for seed in UInt64(1)...10 {
            let text = Adversarial.header.replacingOccurrences(of: ",", with: delimiter) + "\n"
                + Adversarial.soup(seed: seed, pieces: 30, delimiter: delimiter)
            let path = TestSupport.temporaryFile(text)
            if Adversarial.check([path], threads: [1, 3], blockSizes: [1, 2, 5, 11], label: "\(name) seed \(seed)",
                                 configure: { $0.mapping = mapping }) != nil { break }
        }
    }

    @Test func whitespaceDelimiterIgnoresQuotes() throws {
        let mapping = try MappedRun.config(#"{"delimiter": "whitespace"}"#)
        let text = "channel arrived_at category\r\n101\t2019-04-01T10:00:00Z \"a\n999 2019-04-01T11:00:00Z b\"\r\n\r\n\"\n  101 2019-04-01T12:00:00Z c"
        Adversarial.check([TestSupport.temporaryFile(text)], threads: [1, 3], blockSizes: Array(1...7), configure: { $0.mapping = mapping })
    }

    @Test func queueLogAcrossRanges() throws {
        let mapping = try MappedRun.config(QueueLogTests.queueMap)
        let text = QueueLogTests.everyEvent + "1554109999|\"x|EMERGENCY|NONE|ENTERQUEUE||\"07700\n1554110000|1.1|EMERGENCY|NONE|ABANDON|1|1|5"
        Adversarial.check([TestSupport.temporaryFile(text, name: "queue_log")], threads: [1, 3, 16], blockSizes: [1, 3, 7, 50],
                          configure: { $0.mapping = mapping })
    }

    // MARK: Options that depend on order

    @Test func dedupeAndDateWindowsAcrossRanges() throws {
        let path = TestSupport.temporaryFile(RandomLog.contacts(seed: 31, rows: 150))
        Adversarial.check([path], threads: [1, 4], blockSizes: [1, 7, 100], configure: { $0.dedupe = true })
        Adversarial.check([path], threads: [1, 4], blockSizes: [1, 7, 100], configure: {
            $0.fromDay = CivilDate(year: 2019, month: 6, day: 1).daysSinceEpoch
            $0.toDay = CivilDate(year: 2020, month: 2, day: 1).daysSinceEpoch
            $0.dedupe = true
        })
    }

    @Test func manyFilesMixingPlainAndGzip() throws {
        var paths: [String] = []
        for index in 0..<8 {
            let text = RandomLog.contacts(seed: UInt64(100 + index), rows: 20)
            let plain = TestSupport.temporaryFile(text, name: "f\(index).csv")
            if index % 2 == 1 {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/gzip")
                process.arguments = ["-k", "-f", plain]
                try process.run()
                process.waitUntilExit()
                paths.append(plain + ".gz")
            } else {
                paths.append(plain)
            }
        }
        paths.append(paths[0])  // the same file twice
        Adversarial.check(paths, threads: [1, 3, 16], blockSizes: [1, 7, 256], configure: { $0.dedupe = true })
    }

    @Test func directoryAndMissingAndUnreadableInputs() throws {
        let good = TestSupport.temporaryFile(RandomLog.contacts(seed: 3, rows: 30))
        let directory = TestSupport.temporaryRoot.path
        Adversarial.check([good, directory], threads: [1, 2], blockSizes: [7])
        Adversarial.check([good, "/nonexistent/cm-input.csv"], threads: [1, 2], blockSizes: [7])
        let unreadable = TestSupport.temporaryFile(RandomLog.contacts(seed: 4, rows: 3))
        chmod(unreadable, 0)
        if access(unreadable, R_OK) != 0 {  // root can read anyway
            Adversarial.check([unreadable], threads: [1, 2], blockSizes: [7])
        }
        Adversarial.check(["/dev/null"], threads: [1, 2], blockSizes: [7])
    }

    /// With an input that fails to open after a file with rejected rows, the streaming
    /// reader passes the first file's rejects to `onReject` before the error; range reading opens every
    /// file before the workers get far, and must not stop them early (passing on fewer rejects, or none).
    @Test func rejectsPassedOnBeforeAnErrorInALaterInput() throws {
        let withRejects = TestSupport.temporaryFile(RandomLog.contacts(seed: 7, rows: 400))
        let streamed = Adversarial.run([withRejects, "/nonexistent/x.csv"], threads: 2, blockSize: 64, ranges: false).0
        let ranged = Adversarial.run([withRejects, "/nonexistent/x.csv"], threads: 2, blockSize: 64, ranges: true).0
        #expect(streamed.error == ranged.error)
        #expect(streamed.rejects.count > 0)
        #expect(ranged.rejects == streamed.rejects, "streamed \(streamed.rejects.count) rejects, ranged \(ranged.rejects.count)")
    }

    // MARK: Records longer than maximumRecordBytes

    /// Range reading gives up on the long record; the redo with streaming must not repeat the rejects
    /// already passed on. Compared with streaming at the same block size (see
    /// `streamingDoesNotDependOnBlockSizeForRecordsLongerThanTheMaximum`).
    @Test func giveUpAfterRejectsRepeatsNone() throws {
        var text = Adversarial.header + "\n" + RandomLog.contacts(seed: 8, rows: 120).split(separator: "\n", maxSplits: 1)[1]
        text += "\n1000,999,\"2019-02-01T08:00:00Z,,,answered,\n" + String(repeating: "999,x,y\n", count: 300)
        let path = TestSupport.temporaryFile(text)
        for blockSize in [1, 16, 64, 256] {
            let streamed = Adversarial.run([path], threads: 1, blockSize: blockSize, ranges: false, maximumRecordBytes: 1024).0
            for threads in [1, 2, 7] {
                let ranged = Adversarial.run([path], threads: threads, blockSize: blockSize, ranges: true, maximumRecordBytes: 1024)
                #expect(ranged.streamedAfterRanges)
                #expect(ranged.0 == streamed, "block \(blockSize) threads \(threads)")
            }
        }
    }

    /// A block size of 0 through the library: the engine clamps it, and `SplitInput.open` must divide by
    /// the clamped value, not the one given (a trap).
    @Test func blockSizeZeroIsClampedWithRanges() throws {
        let path = TestSupport.temporaryFile(RandomLog.contacts(seed: 2, rows: 5))
        let streamed = Adversarial.run([path], threads: 1, blockSize: 0, ranges: false).0
        let ranged = Adversarial.run([path], threads: 1, blockSize: 0, ranges: true).0
        #expect(ranged == streamed)
    }

    /// A record a little longer than `maximumRecordBytes` (1024): the streaming reader cuts it, and range
    /// reading must give up, also for a closed quoted field (1002 bytes, the record 1041) whose first read
    /// already holds the end, and for a quote that never closes when the search reaches the end of the
    /// file before the length check.
    @Test(arguments: [("\"" + String(repeating: "n\n", count: 500) + "\"", 16),
                      ("\"open\n" + String(repeating: "n\n", count: 500), 64)])
    func recordJustLongerThanTheMaximumMakesRangesGiveUp(field: String, blockSize: Int) throws {
        let text = Adversarial.header + "\n1,999,2019-04-01T10:00:00Z,,,answered,covid\n"
            + "2,999,2019-04-01T10:00:00Z,,,answered,\(field)\n3,101,2019-04-01T10:00:00Z,,,answered,covid\n"
        let path = TestSupport.temporaryFile(text)
        let streamed = Adversarial.run([path], threads: 1, blockSize: blockSize, ranges: false, maximumRecordBytes: 1024)
        let ranged = Adversarial.run([path], threads: 1, blockSize: blockSize, ranges: true, maximumRecordBytes: 1024)
        #expect(ranged.streamedAfterRanges)
        #expect(ranged.0 == streamed.0, "STREAMED \(streamed.0)\nRANGED \(ranged.0)")
    }

    /// Against ONE streamed 1 MiB block, records around the maximum length, whichever reader runs and
    /// however small the blocks.
    @Test func longRecordSweepAgainstOneBlock() throws {
        // record lengths around maximumRecordBytes, for several block sizes
        for length in stride(from: 900, through: 2400, by: 150) {
            let long = "\"" + String(repeating: "n\n", count: length / 2) + "\""
            let text = Adversarial.header + "\n1,999,2019-04-01T10:00:00Z,,,answered,covid\n"
                + "2,999,2019-04-01T10:00:00Z,,,answered,\(long)\n3,101,2019-04-01T10:00:00Z,,,answered,covid\n"
            let path = TestSupport.temporaryFile(text)
            if Adversarial.check([path], threads: [1, 3], blockSizes: [16, 64, 256], maximumRecordBytes: 1024, label: "length \(length)") != nil { break }
        }
    }
}

extension RangeReadingAdversarialTests {
    /// Records around `maximumRecordBytes`: range reading against streaming at the SAME block size (so
    /// the streaming reader's own block-size dependence, see `streamingItselfDependsOnBlockSize...`,
    /// does not count).
    @Test func longRecordSweepSameBlockSize() throws {
        var mismatches: [String] = []
        for closed in [true, false] {
            for length in stride(from: 700, through: 2600, by: 50) {
                let field = closed ? "\"" + String(repeating: "n\n", count: length / 2) + "\"" : "\"open\n" + String(repeating: "n\n", count: length / 2)
                let text = Adversarial.header + "\n1,999,2019-04-01T10:00:00Z,,,answered,covid\n"
                    + "2,999,2019-04-01T10:00:00Z,,,answered,\(field)\n3,101,2019-04-01T10:00:00Z,,,answered,covid\n"
                let path = TestSupport.temporaryFile(text)
                for blockSize in [16, 64, 256] {
                    let streamed = Adversarial.run([path], threads: 1, blockSize: blockSize, ranges: false, maximumRecordBytes: 1024)
                    let ranged = Adversarial.run([path], threads: 1, blockSize: blockSize, ranges: true, maximumRecordBytes: 1024)
                    if streamed.0 != ranged.0 {
                        mismatches.append("closed \(closed) field length \(length) block \(blockSize): streamed \(streamed.0.rejects.count) rejects, ranged \(ranged.0.rejects.count) (gave up: \(ranged.streamedAfterRanges))")
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, Comment(rawValue: mismatches.joined(separator: "\n")))
    }

    /// Whether the streaming reader cuts a record longer than `maximumRecordBytes` is decided by the
    /// record's length, not by the block size (not by whether its buffer holds a record end).
    @Test func streamingDoesNotDependOnBlockSizeForRecordsLongerThanTheMaximum() throws {
        var mismatches: [String] = []
        for length in stride(from: 1000, through: 2600, by: 100) {
            let field = "\"" + String(repeating: "n\n", count: length / 2) + "\""
            let text = Adversarial.header + "\n1,999,2019-04-01T10:00:00Z,,,answered,covid\n"
                + "2,999,2019-04-01T10:00:00Z,,,answered,\(field)\n3,101,2019-04-01T10:00:00Z,,,answered,covid\n"
            let path = TestSupport.temporaryFile(text)
            let counts = [16, 64, 256, 1 << 20].map { Adversarial.run([path], threads: 1, blockSize: $0, ranges: false, maximumRecordBytes: 1024).0.rejects.count }
            if Set(counts).count > 1 { mismatches.append("field length \(length): rejects by block size 16/64/256/1MiB = \(counts)") }
        }
        #expect(mismatches.isEmpty, Comment(rawValue: mismatches.joined(separator: "\n")))
    }
}

extension RangeReadingAdversarialTests {
    /// A named FIFO whose writer writes a small log and closes: `SplitInput.open` must not open the FIFO
    /// to look at it (it would meet the writer and drop its data, and the streaming reader would then wait
    /// for a writer that never comes). Each run is given 2 s.
    @Test(arguments: [false, true])
    func namedPipeWithAFastWriter(ranges: Bool) throws {
        var hangs = 0
        for attempt in 0..<10 {
            let directory = TestSupport.temporaryRoot.appendingPathComponent("cm-fifo-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let fifo = directory.appendingPathComponent("log.csv").path
            #expect(mkfifo(fifo, 0o600) == 0)
            let text = Adversarial.header + "\n1,999,2019-04-01T10:00:00Z,,,answered,covid\n"
            Thread.detachNewThread {
                let descriptor = open(fifo, O_WRONLY)
                _ = text.withCString { write(descriptor, $0, strlen($0)) }
                close(descriptor)
            }
            let finished = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                _ = Adversarial.run([fifo], threads: 2, blockSize: 64, ranges: ranges)
                finished.signal()
            }
            if finished.wait(timeout: .now() + 2) == .timedOut {
                // Not blocking: a run merely slow (a loaded machine) has closed the FIFO, and a blocking open then waited
                // for a reader for ever (the suite hung). One that opens is a reader stuck in its open: let it see an end.
                let descriptor = open(fifo, O_WRONLY | O_NONBLOCK)
                if descriptor >= 0 {
                    hangs += 1
                    close(descriptor)
                    _ = finished.wait(timeout: .now() + 5)
                } else if finished.wait(timeout: .now() + 60) == .timedOut {
                    hangs += 1
                }
            }
            _ = attempt
        }
        #expect(hangs == 0, "ranges \(ranges): \(hangs) of 10 runs hung on the FIFO")
    }
}
