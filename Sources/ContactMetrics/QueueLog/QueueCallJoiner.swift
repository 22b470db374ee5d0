/// Joins queue_log call events by callid. Fed by `OrderedCollector` in input order (file order, then
/// line order), serially, so the join does not depend on threads or block size; the resulting
/// contacts are added to the cube, whose addition is order-free.
///
/// Rules: ENTERQUEUE starts a call leg (a second ENTERQUEUE for a callid whose current leg already has
/// an arrival starts a new leg, e.g. a caller moved to another queue); CONNECT, ABANDON and the EXIT
/// events set the leg's outcome and wait (the first one wins); COMPLETE*/TRANSFER set the handle time
/// (and the outcome answered if no CONNECT was seen). Events that come before their ENTERQUEUE (files
/// given out of order) still attach to the leg. A leg with an arrival but no outcome is open; a leg
/// with events but no ENTERQUEUE in the input is left out and counted.
///
/// Memory: one 64-byte `Leg` per call leg, plus a hash-table entry per callid, kept until the end of
/// the run (about 100 bytes per call: 1 GB of queue_log with ~5M calls needs ~500 MB).
struct QueueCallJoiner: Sendable {
    struct Leg: Sendable {
        var hasArrival = false
        var period: Int64?
        var worker: Int32 = -1
        var channel: Int32 = -1
        var outcome: QueueEvent.Kind?
        var waitSeconds: Int64 = -1
        var handleSeconds: Int64 = -1
        var fileIndex: Int32 = 0
        var lineCount: Int32 = 0
    }

    private(set) var legs: [Leg] = []
    private var current: [UInt64: Int] = [:]

    var isEmpty: Bool { legs.isEmpty }

    mutating func add(_ events: [QueueEvent], worker: Int, fileIndex: Int) {
        for event in events {
            var index: Int
            if let existing = current[event.call], !(event.kind == .enter && legs[existing].hasArrival) {
                index = existing
            } else {
                index = legs.count
                legs.append(Leg(fileIndex: Int32(fileIndex)))
                current[event.call] = index
            }
            legs[index].lineCount += 1
            switch event.kind {
            case .enter:
                legs[index].hasArrival = true
                legs[index].period = event.period
                legs[index].worker = Int32(worker)
                legs[index].channel = event.channel
                legs[index].fileIndex = Int32(fileIndex)
            case .answered, .abandoned, .other:
                if legs[index].outcome == nil {
                    legs[index].outcome = event.kind
                    legs[index].waitSeconds = event.waitSeconds
                }
            case .completed:
                if legs[index].outcome == nil {
                    legs[index].outcome = .answered
                    legs[index].waitSeconds = event.waitSeconds
                }
                if legs[index].handleSeconds < 0 { legs[index].handleSeconds = event.handleSeconds }
            }
        }
    }
}

extension QueueCallJoiner {
    /// The contacts of joined legs, with channel labels translated from each reporting worker's table.
    static func cube(of legs: [Leg], channelLabels: [Int: [String]], options: IngestOptions) -> Cube {
        var labels = LabelInterner(preset: BlockWorker.knownChannels)
        var accumulator = ContactAccumulator()
        defer { labels.release(); accumulator.release() }
        for leg in legs {
            guard let period = leg.period, let outcome = leg.outcome,
                  let label = channelLabels[Int(leg.worker)]?[Int(leg.channel)] else { continue }
            var bytes = Array(label.utf8)
            let channel = bytes.withUnsafeMutableBytes { labels.id(for: UnsafeRawBufferPointer($0)) }
            var row = ContactContribution(period: period, channel: channel, outcome: .other, waitSeconds: -1, handleSeconds: -1, category: -1)
            if options.submissionChannels.contains(label) {
                row.outcome = .submitted
            } else {
                switch outcome {
                case .answered:
                    row.outcome = .answered
                    row.waitSeconds = leg.waitSeconds
                    row.handleSeconds = leg.handleSeconds
                case .abandoned:
                    row.outcome = .abandoned
                    row.waitSeconds = leg.waitSeconds
                default:
                    row.outcome = .other
                }
            }
            accumulator.add(row)
        }
        var cube = Cube(grain: options.grain)
        cube.contacts = accumulator.cells(channelLabels: labels.labels, categoryLabels: [])
        return cube
    }
}
