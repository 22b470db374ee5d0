/// Joins queue_log call events by callid. Fed by `OrderedCollector` in input order (file order, then
/// line order), serially, so the join does not depend on threads or block size; the resulting
/// contacts are added to the cube, whose addition is order-free.
///
/// Rules: ENTERQUEUE starts a call leg (a second ENTERQUEUE for a callid whose current leg already has
/// an arrival starts a new leg, e.g. a caller moved to another queue); a later line joins the callid's latest
/// leg, or the latest earlier leg in the line's queue when that is another (Asterisk 12 and later write a
/// transfer's line from another thread, so an agent's BLINDTRANSFER in queue A can follow the caller's
/// ENTERQUEUE in queue B: it joined B's leg, giving it A's answer and leaving B's abandon out); CONNECT, ABANDON and the EXIT
/// events set the leg's outcome and wait (the first one wins); COMPLETE*/TRANSFER set the handle time
/// (and the outcome answered if no CONNECT was seen). Events that come before their ENTERQUEUE (files
/// given out of order) still attach to the leg. A leg with an arrival but no outcome is open; a leg
/// with events but no ENTERQUEUE in the input is left out and counted.
///
/// Calls an earlier source left unfinished (`IngestOptions.openQueueCalls`, from the store) are
/// continued by this run's events for the same callid within a day of the arrival, so that a call that
/// crosses a nightly log rotation gives the figures one run over both files gives, at its arrival's slot.
/// Every leg of such a call still held comes across, in order and with its queue, so that a line of an
/// earlier queue joins that queue's leg in the next night's file too (only the latest leg came across
/// before 7 December 2026, and such a line joined it):
/// - an `open` call (arrival, no outcome) is counted by the source that holds its outcome;
/// - an `answered` call (counted, handle time not yet known) gets its handle time from the source that
///   holds its COMPLETE or TRANSFER line, which adds only that to the call's cell;
/// - a `closed` call (finished in a later source) takes later lines without counting it again.
///
/// Memory: one `Leg` per call leg still held, plus a hash-table entry per callid. A call leg is let go
/// (`retireSettledLegs`: its contact added to per-worker cells, its lines' fate to counts) once nothing
/// later can change it: a leg that a second ENTERQUEUE of its callid superseded and whose own latest line is
/// more than `settleSeconds` behind both the latest line and the line being joined, or a finished leg
/// (`isFinished`) that arrived more than `settleSeconds` before the latest line and whose own latest line is
/// more than that before the line being joined (both: one line far ahead in time, a garbled epoch, lets no
/// call go early; a second can let a finished call go before its last lines, which then count as
/// `call_without_arrival`, changing no figure: the diff review). So a year of queue_log holds about a day of
/// calls, not every call (2M calls: 42 MB, where holding every call took 387 MB). The one difference it can make: a line of a call let go, met after the reading has moved on by
/// more than a day (files given far out of time order), starts a leg of its own, skipped as
/// `call_without_arrival`, where it would have joined the finished call; no figure changes, as a finished
/// call takes no more from its lines. Legs are let go at a count of legs, so this, like the join, depends
/// only on the input order.
struct QueueCallJoiner: Sendable {
    struct Leg: Sendable {
        var hasArrival = false
        var period: Int64?
        /// The worker whose label table holds `channel`; -1 for a call an earlier source opened, whose
        /// channel is `priorChannels[channel]`.
        var worker: Int32 = -1
        var channel: Int32 = -1
        var outcome: QueueEvent.Kind?
        var waitSeconds: Int64 = -1
        var handleSeconds: Int64 = -1
        /// The file whose ledger counts the leg's lines: that of its ENTERQUEUE, or of its first line until that comes.
        var fileIndex: Int32 = 0
        /// All the leg's lines, in whichever file.
        var lineCount: Int32 = 0
        /// The index in `QueueCallJoiner.linesElsewhere` of the leg's lines in files other than `fileIndex`; -1 if none.
        var elsewhere: Int32 = -1
        var arrivalUTC: Int64 = 0
        /// The leg continues a call an earlier source left in this state.
        var prior: OpenQueueCall.State?
        /// `CallIdentifier.code` of the callid.
        var call: UInt64 = 0
        /// The latest time of the leg's lines.
        var lastLineUTC = Int64.min
        /// The channel is one of `IngestOptions.submissionChannels` (set by the reporting worker).
        var isSubmission = false
        /// `QueueEvent.queue` of the leg's ENTERQUEUE (or of its first line until that comes; 0: not known).
        var queue: UInt64 = 0
        /// The index in `legs` of the leg of its callid this one superseded, while that is held; -1 if none.
        var previous = -1
    }

    private(set) var legs: [Leg] = []
    /// The latest leg of each callid.
    private(set) var current: [UInt64: Int] = [:]
    /// The legs earlier sources left unfinished, by callid, oldest first.
    private let prior: [UInt64: [OpenQueueCall]]
    private(set) var priorChannels: [String] = []
    /// The latest time of any call line joined.
    private var lastLineUTC = Int64.min
    /// Lines of a leg that lie in other files than its `fileIndex`, by file (a call across a log rotation). A
    /// skipped leg's lines come out of each one's own file's count: all from `fileIndex` took a file of two lines
    /// to -1 accepted (a diff review). Entries are few: legs that cross a file boundary.
    private var linesElsewhere: [[Int32: Int32]] = []

    /// Contacts and line counts of the legs let go (`retireSettledLegs`).
    private let retired = RetiredCalls()
    /// Legs are let go when `legs` reaches this many.
    private var retireAt: Int
    /// The fewest legs held before any is let go. Internal: tests lower it.
    let retireThreshold: Int
    private var sawEvents = false

    /// How long after its arrival an earlier source's open call may still be completed.
    static let priorCallWindowSeconds: Int64 = 86_400
    /// How long a call's lines may lie apart in the reading order (see the type's comment).
    static let settleSeconds: Int64 = 86_400
    /// How many of a call's earlier legs a line of another queue is matched against (`leg(of:latest:)`).
    static let earlierLegsSearched = 8
    /// How far a call's line may be stamped before the arrival of the leg an earlier source left (`continueLegs`).
    static let lineSkewSeconds: Int64 = 60

    init(prior: [UInt64: [OpenQueueCall]] = [:], retireThreshold: Int = 1 << 16) {
        self.prior = prior
        self.retireThreshold = max(1, retireThreshold)
        retireAt = self.retireThreshold
    }

    var isEmpty: Bool { !sawEvents }

    /// Lines of legs let go without a contact, by file index and reason, and the open calls among them.
    var retiredSkips: (lines: [Int: [SkipReason: Int]], openCalls: Int) { (retired.skippedLines, retired.openCalls) }

    mutating func add(_ events: [QueueEvent], worker: Int, fileIndex: Int) {
        sawEvents = sawEvents || !events.isEmpty
        for event in events {
            if legs.count >= retireAt { retireSettledLegs(now: event.time) }
            lastLineUTC = max(lastLineUTC, event.time)
            var index: Int
            var latest = current[event.call]
            if latest == nil, let open = prior[event.call] { latest = continueLegs(open, of: event, fileIndex: fileIndex) }
            if let latest, !(event.kind == .enter && legs[latest].hasArrival) {
                index = event.kind == .enter ? latest : leg(of: event, latest: latest)
            } else {
                index = legs.count
                var leg = Leg(fileIndex: Int32(fileIndex))
                leg.call = event.call
                leg.previous = latest ?? -1
                legs.append(leg)
                current[event.call] = index
            }
            legs[index].lineCount += 1
            if legs[index].fileIndex != Int32(fileIndex) { countLineElsewhere(leg: index, file: Int32(fileIndex)) }
            legs[index].lastLineUTC = max(legs[index].lastLineUTC, event.time)
            // The ENTERQUEUE's queue, or the first line's until it comes (files given out of order).
            if event.kind == .enter || legs[index].queue == 0 { legs[index].queue = event.queue }
            switch event.kind {
            case .enter:
                legs[index].hasArrival = true
                legs[index].period = event.period
                legs[index].arrivalUTC = event.time
                legs[index].worker = Int32(worker)
                legs[index].channel = event.channel
                legs[index].isSubmission = event.isSubmission
                if legs[index].fileIndex != Int32(fileIndex) { moveHome(leg: index, to: Int32(fileIndex)) }
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
    /// Holds the legs an earlier source left of the call of `event` (its first line in this run), chained oldest
    /// first, when the latest arrived within `priorCallWindowSeconds` before it (or up to `lineSkewSeconds` after:
    /// Asterisk takes a line's time before it writes it, so a transfer line can be stamped a second before the next
    /// queue's ENTERQUEUE written ahead of it, and judged leg by leg that leg was dropped: the diff review). The
    /// latest is the call's current leg. They have no lines of this run (`lineCount` 0), so they count nothing in its
    /// ledger.
    /// - Returns: the index of the latest, or nil when it is not near enough.
    private mutating func continueLegs(_ open: [OpenQueueCall], of event: QueueEvent, fileIndex: Int) -> Int? {
        guard let last = open.last, (-Self.lineSkewSeconds...Self.priorCallWindowSeconds).contains(event.time &- last.arrivalUTC) else { return nil }
        var latest: Int?
        for call in open {
            var leg = Leg(fileIndex: Int32(fileIndex))
            leg.call = event.call
            leg.hasArrival = true
            leg.period = call.slot
            leg.arrivalUTC = call.arrivalUTC
            leg.channel = Int32(priorChannels.count)
            leg.prior = call.state
            leg.queue = call.queue
            leg.previous = latest ?? -1
            priorChannels.append(call.channel)
            // Counted already: only a handle time (answered) or nothing (closed) is left to add.
            if call.state != .open { leg.outcome = .answered }
            if call.state == .closed { leg.handleSeconds = 0 }
            latest = legs.count
            legs.append(leg)
        }
        if let latest { current[event.call] = latest }
        return latest
    }

    /// The leg a call's non-ENTERQUEUE line joins: the callid's latest leg, unless the line names another queue
    /// and an earlier leg still held was in that one (the nearest few only: a call looping through queues
    /// costs no more than that a line).
    private func leg(of event: QueueEvent, latest: Int) -> Int {
        guard event.queue != 0, legs[latest].queue != 0, legs[latest].queue != event.queue else { return latest }
        var candidate = legs[latest].previous, steps = 0
        while candidate >= 0 && steps < Self.earlierLegsSearched {
            // A leg a store kept before schema 6 has no queue (0): the line's queue is its, as no other earlier leg's is.
            if legs[candidate].queue == event.queue || (legs[candidate].queue == 0 && legs[candidate].prior != nil) { return candidate }
            candidate = legs[candidate].previous
            steps += 1
        }
        return latest
    }

    /// Counts a line of file `file` that joined leg `index`, whose other lines are counted in another file.
    private mutating func countLineElsewhere(leg index: Int, file: Int32) {
        if legs[index].elsewhere < 0 {
            legs[index].elsewhere = Int32(linesElsewhere.count)
            linesElsewhere.append([:])
        }
        linesElsewhere[Int(legs[index].elsewhere)][file, default: 0] += 1
    }

    /// Makes `file` (of the leg's ENTERQUEUE, met after lines in another file) the one that counts the leg's lines.
    private mutating func moveHome(leg index: Int, to file: Int32) {
        let before = linesByFile(of: legs[index])
        let slot = legs[index].elsewhere >= 0 ? Int(legs[index].elsewhere) : linesElsewhere.count
        if slot == linesElsewhere.count { linesElsewhere.append([:]) }
        linesElsewhere[slot] = Dictionary(uniqueKeysWithValues: before.filter { $0.file != Int(file) }.map { (Int32($0.file), Int32($0.lines)) })
        legs[index].elsewhere = Int32(slot)
        legs[index].fileIndex = file
    }

    /// The leg's lines by the file that holds them (those of `fileIndex` first), for the ledger of a leg that
    /// gives no contact.
    func linesByFile(of leg: Leg) -> [(file: Int, lines: Int)] {
        guard leg.elsewhere >= 0 else { return [(Int(leg.fileIndex), Int(leg.lineCount))] }
        let others = linesElsewhere[Int(leg.elsewhere)]
        let home = Int(leg.lineCount) - others.values.reduce(0) { $0 + Int($1) }
        return [(Int(leg.fileIndex), home)] + others.sorted { $0.key < $1.key }.map { (Int($0.key), Int($0.value)) }
    }

    /// What becomes of a leg at the end of the run: nil, it gives a contact; else why its lines are skipped.
    static func skipReason(of leg: Leg) -> SkipReason? {
        if !leg.hasArrival { return .callWithoutArrival }
        if leg.outcome == nil { return .openCall }
        if leg.period == nil { return .outsideDateRange }
        return nil
    }

    /// The leg has an arrival and an outcome, and a handle time if answered: a later line can add nothing to
    /// its figures. Unfinished calls are held to the end: given files out of time order (days 1, 3, 2), a
    /// call open at the end of day 1 gets its outcome from day 2, read after day 3; real queue_logs finish
    /// nearly every call, so they are few.
    static func isFinished(_ leg: Leg) -> Bool {
        leg.hasArrival && leg.outcome != nil && (leg.outcome != .answered || leg.handleSeconds >= 0)
    }

    /// Lets go the legs nothing later can change (see the type's comment), keeping what they give.
    /// - Parameter now: the time of the line about to be joined.
    private mutating func retireSettledLegs(now: Int64) {
        var kept: [Leg] = []
        var keptCurrent: [UInt64: Int] = [:]
        // Where each leg went in `kept` (-1: let go), for the `previous` of the legs kept.
        var keptIndex = [Int](repeating: -1, count: legs.count)
        for (index, var leg) in legs.enumerated() {
            let isCurrent = current[leg.call] == index
            let quiet = now &- leg.lastLineUTC > Self.settleSeconds
            let settled = isCurrent
                ? Self.isFinished(leg) && lastLineUTC &- leg.arrivalUTC > Self.settleSeconds && quiet
                : lastLineUTC &- leg.lastLineUTC > Self.settleSeconds && quiet  // a late line of its queue may still come
            // Calls an earlier source left open stay: `openCalls` and `cube(of:)` treat them apart.
            if leg.prior == nil && settled {
                retired.add(leg, linesByFile: leg.elsewhere >= 0 ? linesByFile(of: leg) : nil)
                if leg.elsewhere >= 0 { linesElsewhere[Int(leg.elsewhere)] = [:] }
            } else {
                if isCurrent { keptCurrent[leg.call] = kept.count }
                keptIndex[index] = kept.count
                if leg.previous >= 0 { leg.previous = keptIndex[leg.previous] }  // an earlier index: already placed
                kept.append(leg)
            }
        }
        legs = kept
        current = keptCurrent
        retireAt = max(retireThreshold, kept.count * 2)
    }

    /// A leg's channel label, from the reporting worker's table or the earlier source's record.
    func channelLabel(of leg: Leg, channelLabels: [Int: [String]]) -> String? {
        leg.worker < 0 ? (leg.channel >= 0 ? priorChannels[Int(leg.channel)] : nil) : channelLabels[Int(leg.worker)]?[Int(leg.channel)]
    }

    /// The call legs a later source may continue, by callid, each call's oldest first: those with an arrival
    /// and no outcome yet (`open`), those answered with no handle time yet (`answered`), and those an
    /// earlier source left unfinished that this run finished (`closed`, so that they are not counted
    /// again). A call with such a leg brings its other legs still held (the nearest few, as `leg(of:latest:)`
    /// looks at), finished ones as `closed`, so that a line of their queue joins them next time as it would
    /// here. Only legs that arrived within `priorCallWindowSeconds` of the run's last line can still be
    /// continued, so only those are kept.
    func openCalls(channelLabels: [Int: [String]]) -> [OpenQueueCall] {
        var calls: [OpenQueueCall] = []
        for (call, latest) in current.sorted(by: { $0.key < $1.key }) {
            var chain = [latest]
            while chain.count <= Self.earlierLegsSearched, case let previous = legs[chain[chain.count - 1]].previous, previous >= 0 {
                chain.append(previous)
            }
            var carried: [OpenQueueCall] = [], continues = false
            for index in chain.reversed() {
                let leg = legs[index]
                // A leg an earlier source left open or answered that this run finished is kept whatever its age: the store's
                // ledger counts its lines there as one run does (`ContactStore.ledger`), and a call that arrived at 23:58
                // was more than a day before the next whole-day file's last line (the third diff review).
                let finishedHere = leg.lineCount > 0 && (leg.prior == .open || leg.prior == .answered) && leg.outcome != nil
                guard leg.hasArrival, let slot = leg.period, finishedHere || lastLineUTC &- leg.arrivalUTC <= Self.priorCallWindowSeconds,
                      let channel = channelLabel(of: leg, channelLabels: channelLabels) else { continue }
                let state: OpenQueueCall.State
                if leg.outcome == nil {
                    state = .open
                } else if leg.outcome == .answered && leg.handleSeconds < 0 {
                    state = .answered
                } else {
                    state = .closed
                    continues = continues || leg.prior == .open || leg.prior == .answered
                }
                continues = continues || state != .closed
                carried.append(OpenQueueCall(call: call, slot: slot, channel: channel, arrivalUTC: leg.arrivalUTC, state: state, queue: leg.queue,
                                             lines: state == .open ? Int64(leg.lineCount) : 0))
            }
            if continues { calls += carried }
        }
        return calls
    }

    /// The contact of a leg that gives one (`skipReason` nil), its channel as `channel`.
    static func contribution(of leg: Leg, channel: Int32, isSubmission: Bool) -> ContactContribution {
        // A queue_log gives no category.
        var row = ContactContribution(period: leg.period ?? 0, channel: channel, outcome: .other, waitSeconds: -1, handleSeconds: -1,
                                      category: ContactContribution.categoryNotGiven)
        if isSubmission {
            row.outcome = .submitted
        } else {
            switch leg.outcome {
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
        return row
    }

    /// Whether the run gave contacts: legs that `OrderedCollector.finish` counted, or legs let go.
    func hasContacts(countedLegs: [Leg]) -> Bool { !countedLegs.isEmpty || retired.hasContacts }

    /// The contacts of joined legs and of those let go, with channel labels translated from each
    /// reporting worker's table.
    func cube(of legs: [Leg], channelLabels: [Int: [String]], options: IngestOptions) -> Cube {
        var labels = LabelInterner(preset: WellKnownChannels.all, lowercases: true)
        var accumulator = ContactAccumulator()
        var handleTimes: [(CellKey, Int64)] = []
        for leg in legs {
            guard let period = leg.period, leg.outcome != nil,
                  let label = channelLabel(of: leg, channelLabels: channelLabels) else { continue }
            if leg.prior == .answered || leg.prior == .closed {
                // Counted by an earlier source: add the handle time it could not know, and nothing else.
                if leg.prior == .answered && leg.handleSeconds >= 0 { handleTimes.append((CellKey(period: period, channel: label), leg.handleSeconds)) }
                continue
            }
            var bytes = Array(label.utf8)
            let channel = bytes.withUnsafeMutableBytes { labels.id(for: UnsafeRawBufferPointer($0)) }
            accumulator.add(Self.contribution(of: leg, channel: channel, isSubmission: options.submissionChannels.contains(label)))
        }
        var cube = Cube(grain: options.grain)
        cube.contacts = ContactCells(merging: [accumulator.sortedRun(channelLabels: labels.labels, categoryLabels: [])]
                                     + retired.sortedRuns(channelLabels: channelLabels))
        for (key, seconds) in handleTimes {
            var counters = ContactCounters()
            counters.handled = 1
            counters.handleSeconds = seconds
            counters.handleSecondsSquared = UInt64(seconds) &* UInt64(seconds)
            cube.contacts[key, default: ContactCell()].counters.add(counters)
        }
        return cube
    }
}

/// A leg of a queue_log call a source left unfinished, for a later source to continue (`QueueCallJoiner`).
public struct OpenQueueCall: Sendable, Equatable {
    public enum State: Int64, Sendable {
        /// Arrived; no outcome yet (not counted).
        case open = 0
        /// Answered and counted; no handle time yet.
        case answered = 1
        /// Finished by a later source than the one it arrived in.
        case closed = 2
    }

    /// `CallIdentifier.code` of the callid.
    public var call: UInt64
    /// The arrival's UTC 15-minute slot (the store's period key).
    public var slot: Int64
    public var channel: String
    public var arrivalUTC: Int64
    public var state: State
    /// The leg's queue (`QueueEvent.queue`: a code of the name that does not change between runs); 0: not known
    /// (a store written before schema 6 kept no queue).
    public var queue: UInt64
    /// Of an `open` leg, its lines in the source that left it (skipped there as `open_call`): a later source that finishes
    /// the call makes them the lines of a counted call, as one run over both files counts them (`ContactStore.ledger`).
    public var lines: Int64

    public init(call: UInt64, slot: Int64, channel: String, arrivalUTC: Int64, state: State = .open, queue: UInt64 = 0, lines: Int64 = 0) {
        self.call = call
        self.slot = slot
        self.channel = channel
        self.arrivalUTC = arrivalUTC
        self.state = state
        self.queue = queue
        self.lines = lines
    }
}
