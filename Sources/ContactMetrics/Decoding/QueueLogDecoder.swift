// Asterisk queue_log (DESIGN §3.3): `epoch|callid|queue|agent|EVENT|data1|data2|…`, one event a line.
//
// Field layouts relied on (Asterisk "Queue Logs" documentation, docs.asterisk.org/Operation/Logging/Queue-Logs/,
// and the event list of apps/app_queue.c):
//   ENTERQUEUE(url|callerid)                 newer versions add |origposition — both are accepted
//   CONNECT(holdtime|bridgedchanneluniqueid|ringtime)
//   ABANDON(position|origposition|waittime)
//   EXITWITHTIMEOUT(position|origposition|waittime), EXITEMPTY(position|origposition|waittime)
//   EXITWITHKEY(key|position|origposition|waittime)
//   COMPLETEAGENT(holdtime|calltime|origposition), COMPLETECALLER(holdtime|calltime|origposition)
//   TRANSFER(extension|context|holdtime|calltime|origposition), BLINDTRANSFER(same),
//   ATTENDEDTRANSFER(method|method-data|holdtime|calltime|origposition); method LINK has two data fields,
//   the two channels linked (`LINK|chan1|chan2|holdtime|…`, app_queue.c's log_attended_transfer)
// Only the fields named above are read, so extra trailing fields never matter. Every other event
// (QUEUESTART, CONFIGRELOAD, ADDMEMBER, AGENTLOGIN, RINGNOANSWER, PAUSE, …) is a system or agent line.
//
// Workers turn each call line into a compact `QueueEvent`; `QueueCallJoiner` joins them by callid in
// input order after the workers are done with each block (see OrderedCollector).

/// How a queue_log input is read: the queue → channel map and the outcome of the EXIT events.
struct QueueLogLayout: Sendable, Equatable {
    /// Queue name → channel label bytes.
    var queueMap = ValueMap<[UInt8]>([])
    /// Outcome of EXITWITHTIMEOUT, EXITWITHKEY, EXITEMPTY (default `other`).
    var exitOutcomes: [QueueEvent.Kind] = [.other, .other, .other]

    init(mapping: MappingConfig?) {
        guard let mapping else { return }
        queueMap = ValueMap(mapping.queueMap.map { ($0.from, $0.toBytes) })
        for (index, event) in MappingConfig.queueLogEvents.enumerated() {
            switch mapping.queueLogOutcomes[event] {
            case "answered": exitOutcomes[index] = .answered
            case "abandoned": exitOutcomes[index] = .abandoned
            default: break
            }
        }
    }

    /// Whether a file starting with `line` looks like a queue_log: `digits|callid|queue|agent|EVENT`.
    static func looksLikeQueueLog(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var index = start
        var digits = 0
        while index < end, base[index] &- ASCII.zero < 10 { index += 1; digits += 1 }
        if index < end && base[index] == UInt8(ascii: ".") {  // fractional epoch
            index += 1
            while index < end, base[index] &- ASCII.zero < 10 { index += 1 }
        }
        guard digits >= 9 && digits <= 11, index < end, base[index] == ASCII.pipe else { return false }
        var pipes = 0
        while index < end && base[index] != ASCII.newline {
            if base[index] == ASCII.pipe { pipes += 1 }
            index += 1
        }
        return pipes >= 4
    }

    /// Whether the line is unmistakably a queue_log event: `looksLikeQueueLog`, a callid of `NONE` or with a `.`
    /// (Asterisk's `1554103260.1`, or `pbx1-1554103260.1` with a system name), and an event name Asterisk writes.
    /// A pipe-separated CSV with a number first and a word in capitals fifth (`100000001|999|…|ANSWERED|…`) is not:
    /// taken for a queue_log after its header, every row of it was skipped (the second diff review).
    static func isEvent(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        guard looksLikeQueueLog(base, from: start, to: end) else { return false }
        var fields: [(start: Int, end: Int)] = []
        var fieldStart = start
        for index in start..<end where fields.count < 5 && base[index] == ASCII.pipe {
            fields.append((fieldStart, index))
            fieldStart = index + 1
        }
        if fields.count < 5 {
            var fieldEnd = end
            if fieldEnd > fieldStart && base[fieldEnd - 1] == ASCII.carriageReturn { fieldEnd -= 1 }
            fields.append((fieldStart, fieldEnd))
        }
        guard fields.count >= 5 else { return false }
        let callid = UnsafeRawBufferPointer(start: base + fields[1].start, count: fields[1].end - fields[1].start)
        let name = UnsafeRawBufferPointer(start: base + fields[4].start, count: fields[4].end - fields[4].start)
        // app_queue.c writes NONE for system lines, and MANAGER, CLI or REALTIME for members changed so.
        let isCallid = ["NONE", "MANAGER", "CLI", "REALTIME"].contains { callid.elementsEqual($0.utf8) }
            || (callid.contains(UInt8(ascii: ".")) && callid.last.map { $0 &- ASCII.zero < 10 } == true)
        return isCallid && QueueLogEventName.isKnown(name)
    }
}

/// One call line of a queue_log, as a worker reports it.
struct QueueEvent: Sendable {
    enum Kind: UInt8, Sendable {
        case enter, answered, abandoned, other, completed
    }

    /// `CallIdentifier.code` of the callid.
    var call: UInt64
    var kind: Kind
    /// ENTERQUEUE: the channel id in the reporting worker's label table, and the period key (nil: outside --from/--to).
    var channel: Int32 = -1
    var period: Int64?
    /// UTC seconds of the line (for ENTERQUEUE, the arrival).
    var time: Int64
    /// Answered: holdtime; abandoned/other: waittime; completed: holdtime (-1 when absent).
    var waitSeconds: Int64 = -1
    /// Completed: calltime (-1 when absent).
    var handleSeconds: Int64 = -1
    /// ENTERQUEUE: the channel is one of `IngestOptions.submissionChannels`.
    var isSubmission = false
    /// `BlockWorker.queueCode` of the line's queue name (0: empty or `NONE`), so that a line of a call's earlier
    /// queue joins that queue's leg (`QueueCallJoiner`).
    var queue: UInt64 = 0
}

enum QueueLogEventName {
    enum Meaning { case enter, connect, abandon, exit(Int), complete, transfer, attendedTransfer, other }

    static func meaning(_ bytes: UnsafeRawBufferPointer) -> Meaning {
        func equals(_ word: StaticString) -> Bool {
            guard bytes.count == word.utf8CodeUnitCount else { return false }
            let expected = word.utf8Start
            for index in 0..<bytes.count where bytes[index] != expected[index] { return false }
            return true
        }
        switch bytes.count {
        case 7 where equals("CONNECT"): return .connect
        case 7 where equals("ABANDON"): return .abandon
        case 8 where equals("TRANSFER"): return .transfer
        case 9 where equals("EXITEMPTY"): return .exit(2)
        case 10 where equals("ENTERQUEUE"): return .enter
        case 11 where equals("EXITWITHKEY"): return .exit(1)
        case 13 where equals("COMPLETEAGENT"): return .complete
        case 13 where equals("BLINDTRANSFER"): return .transfer
        case 14 where equals("COMPLETECALLER"): return .complete
        case 15 where equals("EXITWITHTIMEOUT"): return .exit(0)
        case 16 where equals("ATTENDEDTRANSFER"): return .attendedTransfer
        default: return .other
        }
    }

    /// The names of the events Asterisk's app_queue and its agents write besides the call events.
    private static let systemEventNames = Set(["QUEUESTART", "CONFIGRELOAD", "ADDMEMBER", "REMOVEMEMBER", "AGENTLOGIN", "AGENTLOGOFF",
                                               "AGENTCALLBACKLOGIN", "AGENTCALLBACKLOGOFF", "PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL",
                                               "RINGNOANSWER", "RINGCANCELED", "RINGINUSE", "AGENTDUMP", "SYSCOMPAT", "DID", "INFO",
                                               "PENALTY", "WITHDRAW"].map { Array($0.utf8) })

    /// Whether `bytes` is the name of an event Asterisk writes.
    static func isKnown(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if case .other = meaning(bytes) { return systemEventNames.contains(Array(bytes)) }
        return true
    }

    /// The call events' names, for telling a cut line from a system one.
    private static let callEventNames = ["ENTERQUEUE", "CONNECT", "ABANDON", "EXITWITHTIMEOUT", "EXITWITHKEY", "EXITEMPTY", "COMPLETEAGENT",
                                         "COMPLETECALLER", "TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"].map { Array($0.utf8) }

    /// Whether `bytes` is the start of a call event's name but not all of it (`ABAN`, or nothing).
    static func isCutCallEvent(_ bytes: UnsafeRawBufferPointer) -> Bool {
        callEventNames.contains { $0.count > bytes.count && $0.starts(with: bytes) }
    }
}

extension BlockWorker {
    /// Decodes a block of queue_log lines into call events.
    mutating func processQueueLog(_ job: BlockJob, _ layout: QueueLogLayout) -> BlockOutcome {
        let base = block
        var outcome = BlockOutcome(sequence: job.sequence, fileIndex: job.fileIndex, newlineCount: 0)
        let maximumFields = 12
        // One small allocation per block (never per line) for the field bounds.
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: maximumFields)
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: maximumFields)
        defer { starts.deallocate(); ends.deallocate() }
        var position = job.start
        var lineIndex = 0
        while position < job.end {
            let newline = ByteSearch.first(ASCII.newline, in: base, from: position, to: job.end)
            var lineEnd = newline
            if lineEnd > position && base[lineEnd - 1] == ASCII.carriageReturn { lineEnd -= 1 }
            // A DOS Ctrl-Z glued to the end of the last line is not part of its last field.
            while lineEnd > position &+ 1 && base[lineEnd - 1] == 0x1A { lineEnd -= 1 }
            let lineStart = position, recordLine = lineIndex
            position = newline < job.end ? newline + 1 : job.end
            lineIndex += newline < job.end ? 1 : 0
            if lineEnd == lineStart {
                outcome.tally.blankLines += 1
                continue
            }
            outcome.tally.rowsRead += 1
            // A line of spaces, tabs, pipes or a Ctrl-Z (an editor's or a copy's leftovers at the end of the
            // night's file) is skipped as `blank_row`, as in CSV, not rejected. An event line starts with its
            // epoch, so only a line that starts with one of those is looked at.
            let first = base[lineStart]
            if first == ASCII.pipe || first == ASCII.space || first == ASCII.tab || first == 0x1A,
               Self.holdsOnlyDelimiters(base, from: lineStart, to: lineEnd, delimiter: ASCII.pipe) {
                outcome.tally.skipped[SkipReason.blankRow.index] += 1
                continue
            }
            scratch.reset()
            var fieldCount = 0
            var fieldStart = lineStart
            while fieldCount < maximumFields {
                let pipe = ByteSearch.first(ASCII.pipe, in: base, from: fieldStart, to: lineEnd)
                starts[fieldCount] = fieldStart
                ends[fieldCount] = pipe
                fieldCount += 1
                if pipe >= lineEnd { break }
                fieldStart = pipe + 1
            }
            let failure = decodeQueueLogLine(UnsafeBufferPointer(start: starts, count: fieldCount),
                                             UnsafeBufferPointer(start: ends, count: fieldCount), fieldCount, layout,
                                             endsWithoutNewline: newline >= job.end, &outcome)
            if let (reason, message) = failure {
                outcome.tally.rejected[reason.index] += 1
                let record = Array(UnsafeBufferPointer(start: base + lineStart, count: min(lineEnd - lineStart, 4096)))
                outcome.rejects.append(PendingReject(lineIndexInBlock: recordLine, reason: reason, message: message, record: record))
            }
        }
        outcome.newlineCount = lineIndex
        return outcome
    }

    private mutating func decodeQueueLogLine(
        _ starts: UnsafeBufferPointer<Int>, _ ends: UnsafeBufferPointer<Int>,
        _ fieldCount: Int, _ layout: QueueLogLayout, endsWithoutNewline: Bool, _ outcome: inout BlockOutcome
    ) -> (RejectReason, String)? {
        func bytes(_ index: Int) -> UnsafeRawBufferPointer {
            guard index < fieldCount else { return UnsafeRawBufferPointer(start: block, count: 0) }
            return UnsafeRawBufferPointer(start: block + starts[index], count: ends[index] - starts[index])
        }
        guard fieldCount >= 5 else {
            return (.wrongFieldCount, "expected at least 5 |-separated fields (epoch|callid|queue|agent|event), found \(fieldCount)")
        }
        let meaning = QueueLogEventName.meaning(bytes(4))
        if case .other = meaning {
            // The last line of a file copied while Asterisk wrote it (`…|ABAN`, no line end): said, not skipped as
            // a system line (its call read as still open without a word).
            if endsWithoutNewline && QueueLogEventName.isCutCallEvent(bytes(4)) {
                return (.invalidField, "event: \(text(bytes(4))) is the start of a call event, and the file ends inside this line (cut short?)")
            }
            outcome.tally.skipped[SkipReason.notACallEvent.index] += 1
            return nil
        }
        guard let parsed = timestamps.parse(bytes(0)) else {
            return (.invalidArrivedAt, "epoch: expected Unix seconds, found \(text(bytes(0)))")
        }
        let callBytes = bytes(1)
        if callBytes.isEmpty || Self.isNONE(callBytes) {
            return (.invalidField, "callid: empty or NONE on a call event")
        }
        /// Data field `number` (1-based) as whole seconds.
        func seconds(_ number: Int, _ name: String) -> Result<Int64, QueueLogFieldError> {
            let field = bytes(4 + number)
            var value: Int64 = 0
            guard !field.isEmpty, field.count <= 9 else { return .failure(QueueLogFieldError(name: name, dataNumber: number)) }
            for byte in field {
                let digit = byte &- ASCII.zero
                guard digit < 10 else { return .failure(QueueLogFieldError(name: name, dataNumber: number)) }
                value = value * 10 + Int64(digit)
            }
            return .success(value)
        }
        var event = QueueEvent(call: CallIdentifier.code(callBytes), kind: .other, time: parsed.utcSeconds)
        let queueBytes = bytes(2)
        if !queueBytes.isEmpty && !Self.isNONE(queueBytes) { event.queue = Self.queueCode(queueBytes) }
        do throws(QueueLogFieldError) {
            switch meaning {
            case .enter:
                event.kind = .enter
                let queue = bytes(2)
                guard !queue.isEmpty else { return (.missingChannel, "queue: empty") }
                event.channel = layout.queueMap.value(for: queue).map { $0.withUnsafeBytes { channelId($0) } } ?? channelId(queue)
                event.isSubmission = isSubmissionChannel[Int(event.channel)]
                event.period = period(ofUTC: parsed.utcSeconds)
                if parsed.utcSeconds < outcome.tally.firstArrivalUTC { outcome.tally.firstArrivalUTC = parsed.utcSeconds }
                if parsed.utcSeconds > outcome.tally.lastArrivalUTC { outcome.tally.lastArrivalUTC = parsed.utcSeconds }
            case .connect:
                event.kind = .answered
                event.waitSeconds = try seconds(1, "holdtime").get()
            case .abandon:
                event.kind = .abandoned
                event.waitSeconds = try seconds(3, "waittime").get()
            case .exit(let which):
                event.kind = layout.exitOutcomes[which]
                // Asterisk before 1.6 wrote no waittime (EXITWITHKEY(key|position), EXITWITHTIMEOUT(position)):
                // the call left untimed, not a rejected row that dropped it from `received`.
                let number = which == 1 ? 4 : 3
                event.waitSeconds = bytes(4 + number).isEmpty ? -1 : try seconds(number, "waittime").get()
            case .complete:
                event.kind = .completed
                event.waitSeconds = try seconds(1, "holdtime").get()
                event.handleSeconds = try seconds(2, "calltime").get()
            case .transfer:
                event.kind = .completed
                event.waitSeconds = try seconds(3, "holdtime").get()
                event.handleSeconds = try seconds(4, "calltime").get()
            case .attendedTransfer:
                event.kind = .completed
                let linked = bytes(5).elementsEqual("LINK".utf8) ? 1 : 0  // LINK names two channels, not one
                event.waitSeconds = try seconds(3 + linked, "holdtime").get()
                event.handleSeconds = try seconds(4 + linked, "calltime").get()
            case .other:
                break
            }
        } catch {
            let field = bytes(4 + error.dataNumber)
            return (.invalidField, "\(error.name): expected whole seconds, found \(text(field))")
        }
        if event.waitSeconds > longestWait || event.handleSeconds > Self.longestDuration {
            return implausible(wait: event.waitSeconds, handle: event.handleSeconds)
        }
        outcome.tally.accepted += 1
        outcome.queueEvents.append(event)
        return nil
    }
}

extension BlockWorker {
    /// Whether a field is `NONE` (measured: `elementsEqual("NONE".utf8)` took 150 instructions a line).
    @inline(__always)
    static func isNONE(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count == 4 && bytes.loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x454E_4F4E)  // "NONE"
    }

    /// A queue name's 64-bit hash, never 0 (`QueueEvent.queue`), the same in any case: Asterisk matches queue
    /// names so, and writes a caller's lines (ENTERQUEUE, ABANDON) with the dialplan's spelling and an agent's
    /// (CONNECT, COMPLETE*, transfers) with the configured one (the diff review: `sales` and `Sales` lost a call).
    /// Every byte has bit 0x20 set, which lower-cases letters (and may merge a few punctuation marks, `[` and `{`:
    /// such names never differ only so). Eight bytes a step, as every line has one (`CallIdentifier.code`, a byte a
    /// step, cost 40 instructions a line more).
    @inline(__always)
    static func queueCode(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let lower: UInt64 = 0x2020_2020_2020_2020
        var hash = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var index = 0
        while index + 8 <= bytes.count {
            hash = (hash ^ (bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) | lower)) &* 0xbf58_476d_1ce4_e5b9
            hash ^= hash >> 31
            index += 8
        }
        var tail: UInt64 = 0
        while index < bytes.count {
            tail = tail << 8 | UInt64(bytes[index] | 0x20)
            index += 1
        }
        hash = (hash ^ tail) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 29
        return hash | 1
    }
}

struct QueueLogFieldError: Error {
    var name: String
    /// The data field (1-based, after the event name) that was not whole seconds.
    var dataNumber: Int
}
