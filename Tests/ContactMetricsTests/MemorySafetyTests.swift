import Foundation
import Testing
@testable import ContactMetrics

/// Inputs that must neither corrupt memory, trap nor give thread-dependent results in the decoding
/// workers (safety issue, items 1–3, 10 and the config maps of 16). An overflow shows as a crash or an
/// AddressSanitizer report (`.ci/run` runs this suite under ASan); the assertions check the figures.
@Suite struct MemorySafetyTests {
    // MARK: Scratch space

    @Test func scratchReservationsStayValidPastItsCapacity() {
        var scratch = RowScratch(capacity: 8)
        let first = scratch.reserve(6)
        first.initialize(repeating: 1, count: 6)
        let second = scratch.reserve(100)  // spills: the first reservation must not move
        second.initialize(repeating: 2, count: 100)
        let third = scratch.reserve(3)
        third.initialize(repeating: 3, count: 3)
        #expect(UnsafeBufferPointer(start: first, count: 6).allSatisfy { $0 == 1 })
        #expect(UnsafeBufferPointer(start: second, count: 100).allSatisfy { $0 == 2 })
        scratch.reset()
        let grown = scratch.reserve(109)  // the row's whole need now fits without spilling
        grown.initialize(repeating: 4, count: 109)
        scratch.reset()
    }

    /// A queue_log whose queues are not mapped: every ENTERQUEUE lower-cases its queue name into the
    /// scratch space, which must be reset between lines (without that, 150k calls of `EMERGENCY` write
    /// past it; with one-line blocks a few calls do).
    @Test(arguments: [1, 2]) func queueLogWithoutAQueueMap(threads: Int) throws {
        var log = ""
        for call in 0..<600 {
            let time = 1_554_109_200 + call * 10
            log += "\(time)|\(time).\(call)|EMERGENCY|NONE|ENTERQUEUE||0770090\(call)|1\n"
            log += "\(time + 4)|\(time).\(call)|EMERGENCY|PJSIP/201|CONNECT|4|\(time).9|1\n"
        }
        let path = TestSupport.temporaryFile(log, name: "queue_log")
        for blockSize in [40, 1 << 20] {
            let report = try MappedRun.result([path], nil, threads: threads, blockSize: blockSize).0
            let emergency = try #require(report.periods.first?.channel("emergency"))
            #expect(emergency.received == 600 && emergency.answered == 600 && emergency.asaSeconds == 4)
        }
    }

    /// Queue names of 1,000 characters, 3,000 calls of them, at any thread count.
    @Test func queueLogWithLongQueueNames() throws {
        let queue = String(repeating: "Q", count: 1000)
        var log = ""
        for call in 0..<3000 {
            let time = 1_554_109_200 + call
            log += "\(time)|\(time).1|\(queue)|NONE|ENTERQUEUE||07700900000|1\n\(time + 2)|\(time).1|\(queue)|NONE|ABANDON|1|1|2\n"
        }
        let report = try MappedRun.result([TestSupport.temporaryFile(log, name: "queue_log")], nil, threads: 2).0
        let channel = try #require(report.periods.first?.channel(queue.lowercased()))
        #expect(channel.received == 3000 && channel.abandoned == 3000)
    }

    /// A quoted channel with escaped quotes: the unescaped field and its lower-cased copy both need
    /// scratch space, for a 20-byte field as for a 900 KB one.
    @Test(arguments: [20, 900_000]) func quotedChannelWithEscapedQuotes(length: Int) throws {
        let label = "Emergency \"\"999\"\" line " + String(repeating: "X", count: length)
        let text = "contact_id,channel,arrived_at,answered_at\n1,\"\(label)\",2019-04-01T10:00:00Z,2019-04-01T10:00:09Z\n"
        for blockSize in [16, 1 << 20] {
            var options = TestSupport.options(blockSize: blockSize)
            options.threads = 2
            let result = try TestSupport.ingest([TestSupport.temporaryFile(text)], options)
            let expected = "emergency \"999\" line " + String(repeating: "x", count: length)
            #expect(result.cube.contacts.keys.map(\.channel) == [expected])
            #expect(result.ledger.rowsAccepted == 1)
        }
    }

    /// The same fault on the `--config` path: a mapped channel with escaped quotes, read by several rules.
    @Test func mappedQuotedChannelWithEscapedQuotes() throws {
        let config = #"{"columns": {"channel": "line"}, "skip": [{"line": "x"}, {"line": "y"}], "outcome_rules": [{"when": {"line": "z"}, "outcome": "other"}]}"#
        let field = "\"A \"\"quoted\"\" " + String(repeating: "line ", count: 50_000) + "\""
        let text = "line,arrived_at\n\(field),2019-04-01T10:00:00Z\n\(field),2019-04-01T11:00:00Z\n"
        let report = try MappedRun.result([TestSupport.temporaryFile(text)], MappedRun.config(config), blockSize: 64).0
        #expect(report.periods.first?.channels.map(\.received) == [2])
    }

    // MARK: Label identity

    /// NFC `é` and NFD `e` + U+0301 are one label (equal as Swift strings); two rows must not trap
    /// with "Duplicate values for key". The label is spelled in NFC whichever spelling came first.
    @Test(arguments: [1, 2]) func canonicallyEquivalentLabelsAreOneLabel(threads: Int) throws {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        let text = "channel,arrived_at,category\n\(nfd),2019-04-01T10:00:00Z,\(nfd)\n\(nfc),2019-04-01T10:05:00Z,\(nfc)\n"
            + "\(nfd),2019-04-01T10:06:00Z,\(nfd)\n"
        for blockSize in [8, 1 << 20] {
            var options = TestSupport.options(threads: threads, blockSize: blockSize)
            options.submissionChannels = []
            let result = try TestSupport.ingest([TestSupport.temporaryFile(text)], options)
            #expect(result.cube.contacts.count == 1)
            let (key, cell) = try #require(result.cube.contacts.first)
            #expect(Array(key.channel.utf8) == Array(nfc.utf8))
            #expect(cell.counters.received == 3)
            #expect(cell.categories.count == 1 && Array(cell.categories.first { _ in true }!.key.utf8) == Array(nfc.utf8))
        }
    }

    /// A no-break space, a byte order mark or a zero-width space around a label is not part of it: `999` and
    /// `999` + U+00A0 were two channels, the second without 999's service level. Inside a label they stay.
    @Test func invisibleSpaceAroundALabelIsNotPartOfIt() throws {
        let text = "channel,arrived_at,category\n999,2019-04-01T10:00:00Z,Theft\n999 \u{A0},2019-04-01T10:01:00Z,\u{200B} Theft\n"
            + "\u{FEFF}999,2019-04-01T10:02:00Z,Theft\u{A0}\n999,2019-04-01T10:03:00Z,Car\u{A0}theft\n"
        for threads in [1, 2] {
            let result = try TestSupport.ingest([TestSupport.temporaryFile(text)], TestSupport.options(threads: threads, blockSize: 64))
            #expect(result.cube.contacts.keys.map(\.channel) == ["999"])
            #expect(result.cube.contacts.values.first?.categories == ["Theft": 3, "Car\u{A0}theft": 1])
        }
    }

    /// Invalid UTF-8 reads as U+FFFD, so `\xff` and `\xfe` are one label.
    @Test func invalidUTF8LabelsAreOneLabel() throws {
        var data = Data("channel,arrived_at,category\n".utf8)
        data += Data([0xFF]) + Data(",2019-04-01T10:00:00Z,".utf8) + Data([0xFE, 0x0A])
        data += Data([0xFE]) + Data(",2019-04-01T10:00:00Z,".utf8) + Data([0xFF, 0x0A])
        let result = try TestSupport.ingest([TestSupport.temporaryFile(data)], TestSupport.options(threads: 2))
        #expect(result.cube.contacts.keys.map(\.channel) == ["\u{FFFD}"])
        #expect(result.cube.contacts.values.first?.categories == ["\u{FFFD}": 2])
    }

    @Test func labelSpellingsAreInterned() {
        var labels = LabelInterner()
        func id(_ text: String) -> Int32 {
            var bytes = Array(text.utf8)
            return bytes.withUnsafeMutableBytes { labels.id(for: UnsafeRawBufferPointer($0)) }
        }
        #expect(id("a") == 0 && id("cafe\u{301}") == 1 && id("caf\u{E9}") == 1 && id("cafe\u{301}") == 1 && id("b") == 2)
        #expect(labels.labels == ["a", "caf\u{E9}", "b"])
    }

    // MARK: Label limit

    /// More distinct channels than a run may hold: the run fails the same way at every thread count and
    /// block size (a per-worker limit would accept more rows the more threads share them).
    @Test func tooManyLabelsFailsWhateverTheThreadCount() throws {
        func file(_ channels: Int) -> String {
            var text = "channel,arrived_at\n"
            for index in 0..<channels { text += "c\(index),2019-04-01T10:00:00Z\n" }
            return TestSupport.temporaryFile(text)
        }
        let over = file(150), within = file(96)  // plus the 4 well-known channels: 154 and 100
        for threads in [1, 2, 3] {
            for blockSize in [64, 1 << 20] {
                var options = TestSupport.options(threads: threads, blockSize: blockSize)
                options.labelLimit = 100
                #expect(throws: InputError.tooManyLabels(kind: "channel"), "threads \(threads), block \(blockSize)") {
                    try TestSupport.ingest([over], options)
                }
                #expect(try TestSupport.ingest([within], options).ledger.rowsAccepted == 96)
            }
        }
    }

    // MARK: Config maps

    @Test func valueMapMatchesLikeTheLinearScan() {
        let entries: [(key: [UInt8], value: Int)] = [("EMERG", 1), ("emerg", 2), ("Non-Emerg", 3), ("é", 4), ("", 5)]
            .map { (Array($0.0.utf8), $0.1) }
        let map = ValueMap(entries)
        for probe in ["emerg", "EMERG", "eMeRg", "non-emerg", "NON-EMERG", "é", "", "emerg ", "x"] {
            let expected = entries.first { entry in Array(probe.utf8).withUnsafeBytes { MappedFields.equalsIgnoringCase($0, entry.key) } }?.value
            #expect(Array(probe.utf8).withUnsafeBytes { map.value(for: $0) } == expected, "\(probe)")
        }
        // Letters beyond ASCII match in either case too (the byte compare above does not).
        #expect(Array("É".utf8).withUnsafeBytes { map.value(for: $0) } == 4)
        #expect(Array("E\u{301}".utf8).withUnsafeBytes { map.value(for: $0) } == 4)
    }

    /// A 100,000-entry `channels` map must not be scanned per row (a 200k-row file takes 40 s that way),
    /// and reading it must not be quadratic (its check for repeated keys once copied its set of keys on
    /// every key: 73 s in a debug build). Timed against a small baseline in the same process, as ratios,
    /// so a loaded machine or a sanitizer slows both sides alike: a scan makes the rows about 10,000
    /// times slower than with a 7-entry map, and the quadratic read 100 times slower for 10 times the keys.
    @Test(.heavy, .tags(.heavy)) func largeChannelMapIsNotScannedPerRow() throws {
        func configText(entries: Int) -> String {
            let map = (0..<entries).map { "\"Q\($0)\": \"q\($0 % 7)\"" }
            return #"{"columns": {"channel": "queue"}, "channels": {"# + map.joined(separator: ",") + "}}"
        }
        func seconds(_ work: () throws -> Void) rethrows -> Double {
            let start = Date()
            try work()
            return Date().timeIntervalSince(start)
        }
        func rows(firstKey: Int, keys: Int) -> String {
            var text = "queue,arrived_at\n"
            for row in 0..<20_000 { text += "Q\(firstKey + row % keys),2019-04-01T10:00:00Z\n" }
            return TestSupport.temporaryFile(text)
        }

        let (small, large, tenth) = (configText(entries: 7), configText(entries: 100_000), configText(entries: 10_000))
        var configs: [MappingConfig] = []
        let readTenth = try seconds { configs.append(try MappedRun.config(tenth)) }
        let readLarge = try seconds { configs.append(try MappedRun.config(large)) }
        #expect(readLarge < 30 * readTenth + 1, "reading 100,000 keys \(readLarge) s, 10,000 keys \(readTenth) s")

        let smallConfig = try MappedRun.config(small), largeConfig = configs[1]
        // The large map's rows use its last 10,000 keys, which a scan would reach last.
        let (smallRows, largeRows) = (rows(firstKey: 0, keys: 7), rows(firstKey: 90_000, keys: 10_000))
        var reports: [Report] = []
        let baseline = try seconds { reports.append(try MappedRun.result([smallRows], smallConfig).0) }
        let withLargeMap = try seconds { reports.append(try MappedRun.result([largeRows], largeConfig).0) }
        #expect(withLargeMap < 10 * baseline + 1, "20,000 rows: \(withLargeMap) s against 100,000 keys, \(baseline) s against 7")
        #expect(reports.map { $0.periods.first?.channels.count } == [7, 7])
    }
}

/// Findings of the adversarial review after the first round of fixes.
@Suite struct SecondReviewInputTests {
    /// `7`, `007` and `0007` are three ids (read as one number, `--dedupe` would drop two contacts).
    @Test func leadingZerosMakeOtherIds() throws {
        let text = "contact_id,channel,arrived_at\n7,999,2019-04-01T10:00:00Z\n007,999,2019-04-01T10:01:00Z\n0007,999,2019-04-01T10:02:00Z\n7,999,2019-04-01T10:03:00Z\n"
        var options = TestSupport.options()
        options.dedupe = true
        let result = try TestSupport.ingest([TestSupport.temporaryFile(text)], options)
        #expect(result.ledger.duplicateIds == 1 && result.ledger.rowsAccepted == 3)
    }

    /// Channels compare case-insensitively beyond ASCII too, and config keys match them in either case.
    @Test func channelCaseIsFoldedInFullUnicode() throws {
        let text = "channel,arrived_at\nÉMAIL,2019-04-01T10:00:00Z\nÉmail,2019-04-01T10:01:00Z\némail,2019-04-01T10:02:00Z\nCAFÉ,2019-04-01T10:03:00Z\n"
        let result = try TestSupport.ingest([TestSupport.temporaryFile(text)], TestSupport.options(threads: 2))
        #expect(Set(result.cube.contacts.keys.map(\.channel)) == ["émail", "café"])
        let config = try MappedRun.config(#"{"columns": {"channel": "line"}, "channels": {"émerg": "999"}}"#)
        let mapped = try MappedRun.result([TestSupport.temporaryFile("line,arrived_at\nÉMERG,2019-04-01T10:00:00Z\n")], config).0
        #expect(mapped.periods.first?.channel("999")?.received == 1)
    }

    /// A line longer than the record limit with no line break is one rejected record, not several rows cut
    /// at the limit (one of which could be accepted with a 16 MB category).
    @Test(arguments: [false, true]) func aLineLongerThanTheLimitIsOneRejectedRecord(ranges: Bool) throws {
        let long = "1,999,2019-04-01T10:00:00Z,,,answered," + String(repeating: "x", count: 5000)
        let text = Adversarial.header + "\n2,999,2019-04-01T10:00:00Z,,,answered,a\n" + long + "\n3,101,2019-04-01T10:00:00Z,,,answered,b\n"
        let path = TestSupport.temporaryFile(text)
        for blockSize in [64, 1 << 20] {
            let (outcome, _) = Adversarial.run([path], threads: 2, blockSize: blockSize, ranges: ranges, maximumRecordBytes: 1024)
            #expect(outcome.rejects.count == 1, "\(outcome)")
            #expect(outcome.rejects.first?.hasPrefix("\(path):3: a line of more than") == true, "\(outcome.rejects)")
            #expect(outcome.json.contains("\"rows_read\": 3") && outcome.json.contains("\"rows_accepted\": 2"))
            #expect(outcome.json.contains("\"record_too_long\": 1"))
        }
    }

    /// Waits and handle times over a day are rejected: the handle-time sum of squares wrapped around
    /// with a few 126-year calls and gave a "significant" change of −1,984,219,155 s.
    @Test func durationsOverADayAreImplausible() throws {
        let text = "channel,arrived_at,answered_at,ended_at\n999,2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,2019-04-02T10:00:06Z\n"
            + "999,2019-04-01T10:00:00Z,2019-04-02T10:00:01Z,\n999,2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,2019-04-02T10:00:05Z\n"
        let report = try TestSupport.report(text)
        #expect(report.ledger.rejectedByReason == ["implausible_duration": 2])
        #expect(report.periods.first?.channel("999")?.meanHandleSeconds == 86_400)
    }
}
