import Foundation
import Testing
@testable import ContactMetrics

@Suite struct QueueLogTests {
    /// A store keeps the code of each carried leg's queue (`OpenQueueCall.queue`, schema 6), and the next night's run
    /// matches its lines against it: the code must not change between builds, so it is pinned here.
    @Test func aQueueNamesCodeIsTheSameInEveryCaseAndEveryBuild() {
        func code(_ name: String) -> UInt64 { Array(name.utf8).withUnsafeBytes { BlockWorker.queueCode($0) } }
        #expect(code("EMERGENCY") == code("emergency") && code("Emergency") == code("EMERGENCY"))
        #expect(code("EMERGENCY") != code("NONEMERGENCY"))
        #expect(code("EMERGENCY") == 2_992_400_949_445_091_741)
        #expect(code("q") == 1_663_891_245_861_990_885)
    }

    static let queueMap = #"{"queues": {"EMERGENCY": "999", "NONEMERGENCY": "101"}}"#

    /// One line per event kind; 1554109200 = 2019-04-01 09:00 UTC (10:00 BST).
    static let everyEvent = """
    1554109200|NONE|NONE|NONE|QUEUESTART|
    1554109200|NONE|NONEMERGENCY|PJSIP/301|ADDMEMBER|
    1554109201|NONE|NONE|Agent/301|AGENTLOGIN|PJSIP/301
    1554109210|1554109210.1|EMERGENCY|NONE|ENTERQUEUE||07700900001|1
    1554109215|1554109210.1|EMERGENCY|PJSIP/201|RINGNOANSWER|4000
    1554109217|1554109210.1|EMERGENCY|PJSIP/202|CONNECT|7|1554109215.3|2
    1554109300|1554109210.1|EMERGENCY|PJSIP/202|COMPLETEAGENT|7|83|1
    1554109220|1554109220.2|NONEMERGENCY|NONE|ENTERQUEUE||07700900002
    1554109250|1554109220.2|NONEMERGENCY|NONE|ABANDON|2|2|30
    1554109230|1554109230.3|NONEMERGENCY|NONE|ENTERQUEUE||07700900003|2
    1554109330|1554109230.3|NONEMERGENCY|PJSIP/301|CONNECT|100|1554109329.9|3
    1554109500|1554109230.3|NONEMERGENCY|PJSIP/301|COMPLETECALLER|100|170|2
    1554109240|1554109240.4|NONEMERGENCY|NONE|ENTERQUEUE||07700900004|3
    1554109300|1554109240.4|NONEMERGENCY|PJSIP/301|CONNECT|60|1554109299.1|1
    1554109400|1554109240.4|NONEMERGENCY|PJSIP/301|TRANSFER|2000|from-internal|60|100|3
    1554109241|1554109241.5|NONEMERGENCY|NONE|ENTERQUEUE||07700900005|4
    1554109541|1554109241.5|NONEMERGENCY|NONE|EXITWITHTIMEOUT|1|4|300
    1554109242|1554109242.6|NONEMERGENCY|NONE|ENTERQUEUE||07700900006|5
    1554109250|1554109242.6|NONEMERGENCY|NONE|EXITWITHKEY|5|1|5|8
    1554109243|1554109243.7|NONEMERGENCY|NONE|ENTERQUEUE||07700900007|6
    1554109244|1554109243.7|NONEMERGENCY|NONE|EXITEMPTY|1|6|1
    1554109245|1554109245.8|EMERGENCY|NONE|ENTERQUEUE||07700900008|2
    1554109250|1554109245.8|EMERGENCY|PJSIP/201|CONNECT|5|1554109249.1|1
    1554109300|1554109245.8|EMERGENCY|PJSIP/201|BLINDTRANSFER|101|from-internal|5|50|2
    1554109260|1554109260.9|EMERGENCY|NONE|ENTERQUEUE||07700900009|1
    1554109900|NONE|NONE|NONE|CONFIGRELOAD|
    this line is noise
    1554109901|1554100000.1|EMERGENCY|PJSIP/201|COMPLETECALLER|5|60|1
    1554109902|1554109902.2|EMERGENCY|PJSIP/201|CONNECT|soon|x|1

    """

    func run(_ files: [String], config: String? = QueueLogTests.queueMap, threads: Int = 1, blockSize: Int = 1 << 20,
             forcedKind: InputKind? = nil) throws -> Report {
        try MappedRun.result(files, config.map { try MappedRun.config($0) }, threads: threads, blockSize: blockSize, forcedKind: forcedKind).0
    }

    @Test func everyEventKind() throws {
        let report = try run([TestSupport.temporaryFile(Self.everyEvent, name: "queue_log")])
        let april = try #require(report.periods.first)
        let emergency = try #require(april.channel("999"))
        // .1 answered (hold 7, call 83); .8 answered then blind transfer (hold 5, call 50); .9 open
        #expect(emergency.received == 2 && emergency.answered == 2 && emergency.asaSeconds == 6 && emergency.meanHandleSeconds == 66.5)
        let nonEmergency = try #require(april.channel("101"))
        // .2 abandoned after 30 s; .3 answered (100 s, 170 s); .4 answered then transferred (60 s, 100 s); .5–.7 other
        #expect(nonEmergency.received == 6 && nonEmergency.answered == 2 && nonEmergency.abandoned == 1 && nonEmergency.other == 3)
        #expect(nonEmergency.asaSeconds == 80 && nonEmergency.meanHandleSeconds == 135 && nonEmergency.meanAbandonWaitSeconds == 30)
        let ledger = report.ledger
        #expect(ledger.rowsRead == 29)
        #expect(ledger.openCalls == 1)
        #expect(ledger.rejectedByReason == ["wrong_field_count": 1, "invalid_field": 1])
        #expect(ledger.skippedByReason == ["not_a_call_event": 5, "open_call": 1, "call_without_arrival": 1])
        #expect(ledger.rowsRead == ledger.rowsAccepted + ledger.rowsRejected + ledger.rowsSkipped)
        #expect(ledger.sources.first?.kind == .queueLog)
    }

    /// An answered 101 call blind-transferred into the 999 queue, whose BLINDTRANSFER line Asterisk wrote after the
    /// caller's ENTERQUEUE in 999 (an adversarial review's log): the transfer is the 101 leg's, and the 999 leg is
    /// an abandon after 60 s. The 999 leg was answered with the 101 leg's times, and its abandon was lost.
    @Test func aTransferLineWrittenAfterTheNextQueuesArrivalIsItsOwnQueues() throws {
        let log = """
        1554109260|1554109260.11|NONEMERGENCY|NONE|ENTERQUEUE||07700900123|1
        1554109290|1554109260.11|NONEMERGENCY|PJSIP/301|CONNECT|30|1554109260.12|4
        1554109400|1554109260.11|EMERGENCY|NONE|ENTERQUEUE||07700900123|1
        1554109400|1554109260.11|NONEMERGENCY|PJSIP/301|BLINDTRANSFER|999|from-internal|30|110|1
        1554109460|1554109260.11|EMERGENCY|NONE|ABANDON|1|1|60

        """
        for (threads, blockSize) in [(1, 1 << 20), (2, 64)] {
            let april = try #require(try run([TestSupport.temporaryFile(log, name: "queue_log")], threads: threads, blockSize: blockSize).periods.first)
            let emergency = try #require(april.channel("999")), nonEmergency = try #require(april.channel("101"))
            #expect(emergency.received == 1 && emergency.abandoned == 1 && emergency.answered == 0 && emergency.meanAbandonWaitSeconds == 60)
            #expect(nonEmergency.answered == 1 && nonEmergency.asaSeconds == 30 && nonEmergency.meanHandleSeconds == 110)
        }
    }

    /// Asterisk writes a caller's lines with the dialplan's spelling of the queue and an agent's with the configured
    /// one, and matches names in any case: a CONNECT of `Sales` after a second ENTERQUEUE of `sales` is that leg's (the
    /// diff review: it joined the first leg, which had timed out, and the second was never counted).
    @Test func queueNamesMatchInAnyCase() throws {
        let log = """
        1700000000|1700000000.1|Sales|NONE|ENTERQUEUE||07700900001|1
        1700000300|1700000000.1|Sales|NONE|EXITWITHTIMEOUT|1|1|300
        1700000301|1700000000.1|sales|NONE|ENTERQUEUE||07700900001|1
        1700000320|1700000000.1|Sales|PJSIP/201|CONNECT|19|1700000000.2|5
        1700000500|1700000000.1|Sales|PJSIP/201|COMPLETECALLER|19|180|1

        """
        let report = try run([TestSupport.temporaryFile(log, name: "queue_log")], config: #"{"queues": {"Sales": "101"}}"#)
        let channel = try #require(report.periods.first?.channel("101"))
        #expect(channel.received == 2 && channel.answered == 1 && channel.other == 1 && channel.meanHandleSeconds == 180)
        #expect(report.ledger.openCalls == 0)
    }

    /// Lines of spaces, tabs or pipes, and a DOS Ctrl-Z, at the end of a night's file are blank rows, as
    /// in CSV: skipped, not rejected (a reject counts against ingest's limit).
    @Test func blankLinesAtTheEndAreSkipped() throws {
        let plain = try MappedRun.result([TestSupport.temporaryFile(Self.everyEvent, name: "queue_log")], try MappedRun.config(Self.queueMap))
        let padded = try MappedRun.result([TestSupport.temporaryFile(Self.everyEvent + (Self.everyEvent.hasSuffix("\n") ? "" : "\n") + "   \n\t|| \n|||||\n\u{1A}", name: "queue_log")], try MappedRun.config(Self.queueMap))
        let (ledger, plainLedger) = (padded.1.ledger, plain.1.ledger)  // the fixture has two bad lines of its own
        #expect(ledger.rejectedByReason == plainLedger.rejectedByReason && ledger.skippedByReason["blank_row"] == 4)
        #expect(ledger.rowsRead == plainLedger.rowsRead + 4 && ledger.rowsAccepted == plainLedger.rowsAccepted)
        let sameFigures = padded.1.cube == plain.1.cube
        #expect(sameFigures)
        // A Ctrl-Z glued to the last line, an abandon, after its last field (the wait): the line is read without it.
        let lines = Self.everyEvent.split(separator: "\n").map(String.init)
        let abandon = try #require(lines.first { $0.contains("|ABANDON|") })
        let reordered = (lines.filter { $0 != abandon } + [abandon]).joined(separator: "\n")
        let unglued = try MappedRun.result([TestSupport.temporaryFile(reordered + "\n", name: "queue_log")], try MappedRun.config(Self.queueMap))
        let glued = try MappedRun.result([TestSupport.temporaryFile(reordered + "\u{1A}", name: "queue_log")], try MappedRun.config(Self.queueMap))
        #expect(glued.1.ledger.rowsRead == unglued.1.ledger.rowsRead && glued.1.ledger.rejectedByReason == unglued.1.ledger.rejectedByReason)
        let gluedFigures = glued.1.cube == unglued.1.cube
        #expect(gluedFigures)
    }

    @Test func exitEventsAreConfigurable() throws {
        let config = #"{"queues": {"NONEMERGENCY": "101"}, "queue_log_outcomes": {"EXITWITHKEY": "abandoned", "EXITEMPTY": "abandoned"}}"#
        let report = try run([TestSupport.temporaryFile(Self.everyEvent, name: "queue_log")], config: config)
        let nonEmergency = try #require(report.periods.first?.channel("101"))
        #expect(nonEmergency.abandoned == 3 && nonEmergency.other == 1 && nonEmergency.meanAbandonWaitSeconds == 13)
        // without a queue map a queue's name is its channel
        #expect(report.periods.first?.channel("emergency")?.received == 2)
    }

    /// Asterisk before 1.6 wrote exits without a waittime (`EXITWITHKEY(key|position)`,
    /// `EXITWITHTIMEOUT(position)`): the call is counted, untimed; it was a rejected row, and the call
    /// dropped out of `received` and read as still open (found by review).
    @Test func exitsWithoutAWaitTimeAreCountedUntimed() throws {
        let log = """
        1554163000|10.1|NONEMERGENCY|NONE|ENTERQUEUE||07700900010|1
        1554163005|10.1|NONEMERGENCY|NONE|EXITWITHKEY|5|1
        1554163100|11.1|NONEMERGENCY|NONE|ENTERQUEUE||07700900011|1
        1554163110|11.1|NONEMERGENCY|NONE|EXITWITHKEY|5|1|1|10
        1554163200|12.1|NONEMERGENCY|NONE|ENTERQUEUE||07700900012|1
        1554163230|12.1|NONEMERGENCY|NONE|EXITWITHTIMEOUT|1

        """
        let config = #"{"queues": {"NONEMERGENCY": "101"}, "queue_log_outcomes": {"EXITWITHKEY": "abandoned", "EXITWITHTIMEOUT": "abandoned"}}"#
        let report = try run([TestSupport.temporaryFile(log, name: "queue_log")], config: config)
        #expect(report.ledger.rowsRejected == 0 && report.ledger.openCalls == 0)
        let calls = try #require(report.periods.first?.channel("101"))
        #expect(calls.received == 3 && calls.abandoned == 3 && calls.meanAbandonWaitSeconds == 10)
    }

    /// ATTENDEDTRANSFER as app_queue.c's log_attended_transfer writes it: `BRIDGE|bridge`, `APP|app`, or
    /// `LINK|chan1|chan2` (two channels), then holdtime and calltime. A LINK line was rejected, its holdtime
    /// read from the second channel, and the call's handle time lost (found by review).
    @Test func attendedTransfersOfEveryMethodGiveTheirTimes() throws {
        let log = """
        1554103260|1554103260.1|NONEMERGENCY|NONE|ENTERQUEUE||07700900001|1
        1554103266|1554103260.1|NONEMERGENCY|PJSIP/201|CONNECT|6|1554103265.2|1
        1554103400|1554103260.1|NONEMERGENCY|PJSIP/201|ATTENDEDTRANSFER|LINK|PJSIP/201-0001|PJSIP/301-0002|6|134|1
        1554103270|1554103270.3|NONEMERGENCY|NONE|ENTERQUEUE||07700900002|1
        1554103280|1554103270.3|NONEMERGENCY|PJSIP/202|CONNECT|10|1554103279.4|1
        1554103380|1554103270.3|NONEMERGENCY|PJSIP/202|ATTENDEDTRANSFER|BRIDGE|8a7e-bridge|10|100|1
        1554103290|1554103290.5|NONEMERGENCY|NONE|ENTERQUEUE||07700900003|1
        1554103294|1554103290.5|NONEMERGENCY|PJSIP/203|CONNECT|4|1554103293.6|1
        1554103344|1554103290.5|NONEMERGENCY|PJSIP/203|ATTENDEDTRANSFER|APP|VoiceMail|4|50|1
        1554103300|1554103300.7|NONEMERGENCY|NONE|ENTERQUEUE||07700900004|1
        1554103310|1554103300.7|NONEMERGENCY|PJSIP/204|ATTENDEDTRANSFER|LINK|PJSIP/204-0003|PJSIP/302-0004|ten|90|1

        """
        let (report, result) = try MappedRun.result([TestSupport.temporaryFile(log, name: "queue_log")], try MappedRun.config(Self.queueMap))
        let calls = try #require(report.periods.first?.channel("101"))
        #expect(calls.received == 3 && calls.answered == 3 && calls.meanHandleSeconds == (134 + 100 + 50) / 3.0)
        #expect(report.ledger.rejectedByReason == ["invalid_field": 1])
        #expect(result.firstRejects.first?.message == "holdtime: expected whole seconds, found \"ten\"")
    }

    /// A file copied while Asterisk wrote its last line (`…|ABAN`, no line end): the line is rejected and said,
    /// not skipped as a system line while its call read as still open without a word (found by review). A
    /// system event as the last line, with or without a line end, is skipped as before.
    @Test(arguments: [1, 2])
    func aLastLineCutShortIsRejected(threads: Int) throws {
        let enter = "1554078000|9.1|NONEMERGENCY|NONE|ENTERQUEUE||07700900009|1\n"
        let cut = try MappedRun.result([TestSupport.temporaryFile(enter + "1554078010|9.1|NONEMERGENCY|NONE|ABAN", name: "queue_log")],
                                       try MappedRun.config(Self.queueMap), threads: threads, blockSize: 32).0
        #expect(cut.ledger.rejectedByReason == ["invalid_field": 1] && cut.ledger.openCalls == 1)
        for last in ["1554078010|NONE|NONE|NONE|QUEUESTART", "1554078010|NONE|NONE|NONE|QUEUESTART\n", "1554078010|9.1|NONEMERGENCY|NONE|ABAN\n"] {
            let report = try run([TestSupport.temporaryFile(enter + last, name: "queue_log")], threads: threads)
            #expect(report.ledger.rowsRejected == 0 && report.ledger.skippedByReason["not_a_call_event"] == 1, "\(last)")
        }
    }

    @Test func callsAreJoinedAcrossFilesAndBlocks() throws {
        let lines = Self.everyEvent.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let whole = try run([TestSupport.temporaryFile(Self.everyEvent, name: "queue_log")]).json().serialized()
        // ENTERQUEUEs in the first file, outcomes in the second; and the reverse order of files.
        let enters = lines.filter { $0.contains("ENTERQUEUE") }.joined(separator: "\n") + "\n"
        let rest = lines.filter { !$0.contains("ENTERQUEUE") && !$0.isEmpty }.joined(separator: "\n") + "\n"
        let first = TestSupport.temporaryFile(enters, name: "queue_log.1"), second = TestSupport.temporaryFile(rest, name: "queue_log")
        for (files, blockSize) in [([first, second], 1 << 20), ([first, second], 5), ([second, first], 64)] {
            let split = try run(files, blockSize: blockSize)
            #expect(split.periods == (try run([TestSupport.temporaryFile(Self.everyEvent, name: "queue_log")]).periods))
            #expect(split.ledger.rowsRead == 29 && split.ledger.openCalls == 1)
        }
        #expect(!whole.isEmpty)
    }

    /// A call's lines that give no contact are skipped in the file that holds each one, whichever piece of the log is
    /// missing and in whichever order the pieces come: all of them came out of the count of the file of the call's
    /// first line, which took a file of two lines to -1 accepted (a diff review).
    @Test func eachFileCountsItsOwnLinesOfACallThatGivesNoContact() throws {
        var random = SeededGenerator(seed: 12)
        for round in 0..<40 {
            // Calls of one queue, each ENTERQUEUE, RINGNOANSWER (not a call event: always skipped), an outcome and
            // (if answered) a COMPLETEAGENT.
            var lines: [(call: Int, isEnter: Bool, isOutcome: Bool, text: String)] = []
            for call in 0..<12 {
                let start = 1_554_109_000 + call * 40, id = "\(start).\(call)", wait = Int.random(in: 1..<60, using: &random)
                lines.append((call, true, false, "\(start)|\(id)|EMERGENCY|NONE|ENTERQUEUE||0770|1"))
                lines.append((call, false, false, "\(start + 1)|\(id)|EMERGENCY|PJSIP/1|RINGNOANSWER|1000"))
                if call % 3 == 0 {
                    lines.append((call, false, true, "\(start + wait)|\(id)|EMERGENCY|NONE|ABANDON|1|1|\(wait)"))
                } else {
                    lines.append((call, false, true, "\(start + wait)|\(id)|EMERGENCY|PJSIP/1|CONNECT|\(wait)|x|1"))
                    lines.append((call, false, true, "\(start + wait + 30)|\(id)|EMERGENCY|PJSIP/1|COMPLETEAGENT|\(wait)|30|1"))
                }
            }
            lines.sort { $0.text < $1.text }  // time order
            var cuts = Set<Int>()
            while cuts.count < 4 { cuts.insert(Int.random(in: 1..<lines.count, using: &random)) }
            let bounds = [0] + cuts.sorted() + [lines.count]
            var pieces = (0..<5).map { Array(lines[bounds[$0]..<bounds[$0 + 1]]) }
            pieces.remove(at: Int.random(in: 0..<pieces.count, using: &random))
            if round % 2 == 1 { pieces.reverse() }  // files given out of order
            let kept = pieces.flatMap { $0 }
            let arrived = Set(kept.filter(\.isEnter).map(\.call)), finished = Set(kept.filter(\.isOutcome).map(\.call))
            let paths = pieces.enumerated().map { index, piece in
                TestSupport.temporaryFile(piece.map(\.text).joined(separator: "\n") + "\n", name: "queue_log.\(index)")
            }
            let ledger = try run(paths).ledger
            #expect(ledger.sources.count == pieces.count)
            for (piece, source) in zip(pieces, ledger.sources) {
                let skipped = piece.filter { $0.text.hasSuffix("RINGNOANSWER|1000") || !arrived.contains($0.call) || !finished.contains($0.call) }.count
                #expect(source.rowsRead == piece.count && source.rowsSkipped == skipped && source.rowsAccepted == piece.count - skipped,
                        "round \(round), \(source.path): \(source.rowsAccepted) accepted, \(source.rowsSkipped) skipped, \(skipped) expected")
            }
        }
    }

    @Test(.heavy, .tags(.heavy)) func resultDoesNotDependOnThreadsOrBlockSize() throws {
        var text = Self.everyEvent
        var random = SeededGenerator(seed: 5)
        for call in 0..<300 {  // interleaved calls so that events of one call fall in different blocks
            let start = 1_554_109_000 + call * 7
            let id = "\(start).\(call)"
            let queue = Bool.random(using: &random) ? "EMERGENCY" : "NONEMERGENCY"
            text += "\(start)|\(id)|\(queue)|NONE|ENTERQUEUE||0770|\(call % 3 + 1)\n"
            let wait = Int.random(in: 0..<200, using: &random)
            switch call % 4 {
            case 0: text += "\(start + wait)|\(id)|\(queue)|NONE|ABANDON|1|1|\(wait)\n"
            case 1, 2:
                text += "\(start + wait)|\(id)|\(queue)|PJSIP/1|CONNECT|\(wait)|x|1\n"
                if call % 4 == 1 { text += "\(start + wait + 90)|\(id)|\(queue)|PJSIP/1|COMPLETEAGENT|\(wait)|90|1\n" }
            default: break  // open
            }
        }
        let path = TestSupport.temporaryFile(text, name: "queue_log")
        let baseline = try run([path]).json().serialized()
        for threads in TestSupport.threadCounts([1, 2, 8]) {
            for blockSize in [1, 2, 3, 7, 64, 4096] {
                #expect(try run([path], threads: threads, blockSize: blockSize).json().serialized() == baseline,
                        "threads \(threads), block size \(blockSize)")
            }
        }
        let report = try run([path])
        #expect(report.ledger.openCalls == 1 + 75)
    }

    @Test func detectedFromShapeOrForced() throws {
        let path = TestSupport.temporaryFile("1554109210|1554109210.1|Q|NONE|ENTERQUEUE||1\n1554109217|1554109210.1|Q|A|CONNECT|7|x|2\n", name: "log")
        #expect(try run([path], config: nil).periods.first?.channel("q")?.answered == 1)
        #expect(try run([path], config: nil, forcedKind: .queueLog).periods.first?.channel("q")?.answered == 1)
        #expect(QueueLogLayout.looksLikeQueueLog(Array("channel,arrived_at\n".utf8), 0, 19) == false)
    }

    /// A queue_log whose first line was cut short (a rotation by copy and truncate), read with `--kind queue-log`: the
    /// line is rejected or skipped, the rest read, and `ingest` dates the file by its first plain event (dated by its
    /// first line, a nightly `queue_log.1` was read as a new version of the night before, losing the calls it
    /// continued). Without `--kind` such a file is refused as of unknown kind: telling a cut first line from a header
    /// read pipe-separated CSVs as queue_logs and lost their rows (the diff reviews).
    @Test func aQueueLogWhoseFirstLineIsCutShortIsStillOne() throws {
        let events = "1554109210|1554109210.1|Q|NONE|ENTERQUEUE||1\n1554109217|1554109210.1|Q|A|CONNECT|7|x|2\n"
        func isEvent(_ line: String) -> Bool {
            var bytes = Array(line.utf8) + [UInt8](repeating: 0, count: 16)
            return bytes.withUnsafeMutableBufferPointer { QueueLogLayout.isEvent(UnsafePointer($0.baseAddress!), from: 0, to: line.utf8.count) }
        }
        // Plain events: a callid of NONE, MANAGER, CLI or REALTIME, or with a dot; an event Asterisk writes.
        for line in ["1554109210|1554109210.1|Q|NONE|ENTERQUEUE||1", "1554159510|MANAGER|EMERGENCY|PJSIP/202|ADDMEMBER|",
                     "1554159511|REALTIME|EMERGENCY|PJSIP/203|PENALTY|2", "1554159511|pbx1-1554159511.7|Q|NONE|ABANDON|1|1|5\r"] {
            #expect(isEvent(line), "\(line)")
        }
        for line in ["100000001|999|2019-04-01 08:00:00|2019-04-01 08:00:05|ANSWERED", "1554103200|2019-04-01T08:00:00Z|true||IMMEDIATE",
                     "1554073200.5|EMERGENCY|PJSIP/202|RINGNOANSWER|1000", "1554109210|abc|Q|NONE|ENTERQUEUE", "1554109210|1.1|Q|NONE|enterqueue"] {
            #expect(!isEvent(line), "\(line)")
        }
        // Read with --kind queue-log; without it, refused as of unknown kind.
        let path = TestSupport.temporaryFile("0.1|Q|A|COMPLETEAGENT|7|60|1\n" + events, name: "log")
        #expect(throws: InputError.self) { try run([path], config: nil) }
        let report = try run([path], config: nil, forcedKind: .queueLog)
        // The piece of a line has no event in its fifth field: skipped as `not_a_call_event`, and counted.
        #expect(report.periods.first?.channel("q")?.answered == 1 && report.ledger.skippedByReason == ["not_a_call_event": 1])
        // Dated by its first plain event, however far in, or by the next when the first's time was cut (1987).
        var queueLog = IngestOptions(timeZone: .utc, grain: .local(.month))
        queueLog.forcedKind = .queueLog
        let firsts = ["554109210|1554109210.1|Q|NONE|CONNECT|7|x|2\n", "garbage|x\n", "", "\n\n", "\0\0\0\0\n3|x|NONE|PAUSE|\n\n",
                      String(repeating: "\0", count: 100_000) + "UE|1\n", "1554020000.5|Q|PJSIP/202|RINGNOANSWER|1000\n"]
        for first in firsts {
            let file = TestSupport.temporaryFile(first + events, name: "log")
            #expect(QueueLogFileOrder.startTime(of: file, encoding: nil, options: queueLog) == 1_554_109_210, "\(first.prefix(40))")
        }
        // A line cut where its callid began looks like an event: without --kind the file is a queue_log, dated alike.
        #expect(QueueLogFileOrder.startTime(of: TestSupport.temporaryFile(firsts[6] + events, name: "log"), encoding: nil) == 1_554_109_210)
        // No date for a file the reader does not take for a queue_log.
        let cut = TestSupport.temporaryFile("garbage|x\n" + events, name: "log")
        #expect(QueueLogFileOrder.startTime(of: cut, encoding: nil) == nil)
        var contacts = queueLog
        contacts.forcedKind = .contacts
        #expect(QueueLogFileOrder.startTime(of: TestSupport.temporaryFile(events, name: "log"), encoding: nil, options: contacts) == nil)
        let pipes = TestSupport.temporaryFile("contact_id|channel|arrived_at|answered_at|outcome\n"
            + "100000001|999|2019-04-01 08:00:00|2019-04-01 08:00:05|ANSWERED\n100000002|999|2019-04-01 08:01:00|2019-04-01 08:01:03|ANSWERED\n", name: "p.csv")
        #expect(try run([pipes], config: nil).periods.first?.channel("999")?.answered == 2)
        #expect(QueueLogFileOrder.startTime(of: pipes, encoding: nil) == nil)
    }

    @Test func sampleQueueLog() throws {
        let report = try MappedRun.result([TestSupport.sample("queue_log")], try MappingConfig.load(path: TestSupport.sample("queue_log.json"))).0
        #expect(report.periods.first?.channels.map(\.channel) == ["999", "101", "webchat"])
        #expect(report.ledger.openCalls == 1 && report.ledger.rowsRejected == 0)
    }
}

extension QueueLogLayout {
    static func looksLikeQueueLog(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        var padded = bytes + [UInt8](repeating: 0, count: 16)
        return padded.withUnsafeMutableBufferPointer { looksLikeQueueLog(UnsafePointer($0.baseAddress!), from: start, to: end) }
    }
}
