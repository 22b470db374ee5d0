import Foundation

/// The queue_log decoder and the call joiner: lines decoded in one block and in two blocks cut at a
/// newline must give the same events, and so the same joined calls; every line is counted.
enum QueueLogTarget {
    static let layout = InputLayout(columns: .queueLog(QueueLogLayout(mapping: try! MappingConfig.parse(
        Data(#"{"queues": {"EMERGENCY": "999"}, "queue_log_outcomes": {"EXITWITHKEY": "abandoned"}}"#.utf8), name: "fuzz.json"))),
        columnCount: 0, headerNames: [], delimiter: .byte(ASCII.pipe))

    static func run(_ input: UnsafeRawBufferPointer) {
        let buffer = fuzzBuffer(input)
        var options = IngestOptions(timeZone: FuzzSupport.london, grain: .utcQuarterHour)
        // A call an earlier source left open, which the input may complete (callid "1.1").
        let call = Array("1.1".utf8).withUnsafeBytes(CallIdentifier.code)
        options.openQueueCalls = [call: [OpenQueueCall(call: call, slot: 1_727_000, channel: "999", arrivalUTC: 1_554_300_000)]]
        let whole = decode(buffer, [0..<input.count], options)
        var cuts = [0..<input.count]
        if let newline = ByteSearch.last(ASCII.newline, in: UnsafePointer(buffer.base), from: 0, to: input.count / 2) {
            cuts = [0..<newline + 1, newline + 1..<input.count]
        }
        let split = decode(buffer, cuts, options)
        fuzzCheck(whole.events == split.events, "queue events depend on the cut")
        fuzzCheck(whole.read == whole.accepted + whole.rejected + whole.skipped, "lines read ≠ accepted + rejected + skipped")
        var joiner = QueueCallJoiner(prior: options.openQueueCalls)
        joiner.add(whole.outcomeEvents, worker: 0, fileIndex: 0)
        let labels = [0: whole.labels]
        let counted = joiner.legs.filter { $0.hasArrival && $0.outcome != nil && $0.period != nil }
        let cube = joiner.cube(of: counted, channelLabels: labels, options: options)
        let received = cube.contacts.values.reduce(0) { $0 + $1.counters.received }
        fuzzCheck(received == counted.count, "joined calls \(counted.count) ≠ contacts \(received)")
        _ = joiner.openCalls(channelLabels: labels)
    }

    struct Decoded {
        var events: [String] = []
        var outcomeEvents: [QueueEvent] = []
        var labels: [String] = []
        var read = 0, accepted = 0, rejected = 0, skipped = 0
    }

    static func decode(_ buffer: BlockBuffer, _ ranges: [Range<Int>], _ options: IngestOptions) -> Decoded {
        var worker = BlockWorker(options: options)
        var decoded = Decoded()
        for (sequence, range) in ranges.enumerated() {
            let outcome = worker.process(BlockJob(buffer: buffer, start: range.lowerBound, end: range.upperBound, sequence: sequence,
                                                  fileIndex: 0, path: "fuzz", layout: layout))
            decoded.outcomeEvents += outcome.queueEvents
            decoded.read += outcome.tally.rowsRead
            decoded.accepted += outcome.tally.accepted
            decoded.rejected += outcome.tally.rejectedTotal
            decoded.skipped += outcome.tally.skippedTotal
        }
        decoded.labels = worker.channelLabels.labels
        decoded.events = decoded.outcomeEvents.map { event in
            "\(event.call) \(event.kind) \(event.channel >= 0 ? decoded.labels[Int(event.channel)] : "") \(String(describing: event.period)) \(event.time) \(event.waitSeconds) \(event.handleSeconds)"
        }
        return decoded
    }
}
