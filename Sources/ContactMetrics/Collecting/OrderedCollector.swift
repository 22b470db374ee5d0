/// Receives block outcomes from the workers in any order and folds them in input order: that is
/// what gives rejected rows the same absolute line numbers in a parallel run as in a sequential one,
/// and decides which of two rows with the same id came first. Runs under one lock, once per block.
final class OrderedCollector: @unchecked Sendable {
    private struct FileState {
        var path: String
        var kind: InputKind
        var nextLineNumber: Int
        var tally = RowTally()
        var byteCount: Int64 = 0
        /// A file read in ranges: its fingerprint so far (pieces are folded in order with the blocks).
        var fingerprintBuilder: FingerprintBuilder?
        /// A streamed file's finished fingerprint.
        var fingerprint: String?
    }

    private struct State {
        var nextSequence = 0
        var pending: [Int: (outcome: BlockOutcome, worker: Int)] = [:]
        var files: [FileState] = []
        var contactIds = IdentifierSet()
        var incidentIds = IdentifierSet()
        var duplicateIds = 0
        var duplicateRows: [DuplicateRow] = []
        var firstRejects: [RejectedRow] = []
        var queueCalls: QueueCallJoiner
        /// Rejected rows folded so far (including those not passed on again, see `rejectsAlreadyEmitted`).
        var rejectCount = 0
    }

    static let firstRejectsKept = 20
    private let state: Locked<State>
    private let dedupe: Bool
    private let onReject: (@Sendable (RejectedRow) -> Void)?
    private let rejectsAlreadyEmitted: Int
    private let control: RunControl

    /// - Parameters:
    ///   - rejectsAlreadyEmitted: how many rejected rows an abandoned first attempt at the run already
    ///     passed to `onReject`; the same first rows are not passed again.
    ///   - control: once the run has stopped, blocks are no longer folded (nor their rejects passed on).
    ///   - openQueueCalls: calls earlier sources left open, which this run's queue_log events may complete.
    init(dedupe: Bool, onReject: (@Sendable (RejectedRow) -> Void)?, rejectsAlreadyEmitted: Int = 0, control: RunControl,
         openQueueCalls: [UInt64: OpenQueueCall] = [:]) {
        state = Locked(State(queueCalls: QueueCallJoiner(prior: openQueueCalls)))
        self.dedupe = dedupe
        self.onReject = onReject
        self.rejectsAlreadyEmitted = rejectsAlreadyEmitted
        self.control = control
    }

    /// Rejected rows folded so far.
    var rejectCount: Int { state.withLock { $0.rejectCount } }

    /// Registers input `index` before any of its blocks is handed out.
    /// - Parameter contentPieces: for a file read in ranges and fingerprinted, the pieces no range
    ///   holds (those of a file that is all header); each block's pieces are added as it is folded.
    func beginFile(index: Int, path: String, kind: InputKind, firstDataLineNumber: Int,
                   byteCount: Int64 = 0, contentPieces: [ContentPiece]? = nil) {
        state.withLock { state in
            while state.files.count <= index {
                var file = FileState(path: path, kind: kind, nextLineNumber: firstDataLineNumber, byteCount: byteCount)
                if let contentPieces {
                    file.fingerprintBuilder = FingerprintBuilder()
                    for piece in contentPieces { file.fingerprintBuilder!.append(piece) }
                }
                state.files.append(file)
            }
        }
    }

    /// Records a streamed file's size and fingerprint once it is read to the end.
    func finishFile(index: Int, byteCount: Int64, fingerprint: String?) {
        state.withLock { state in
            state.files[index].byteCount = byteCount
            state.files[index].fingerprint = fingerprint
        }
    }

    func complete(_ outcome: BlockOutcome, worker: Int) {
        state.withLock { state in
            if control.isStopped { return }
            state.pending[outcome.sequence] = (outcome, worker)
            while let (next, worker) = state.pending.removeValue(forKey: state.nextSequence) {
                fold(next, worker: worker, into: &state)
                state.nextSequence += 1
            }
        }
    }

    private func fold(_ outcome: BlockOutcome, worker: Int, into state: inout State) {
        var tally = outcome.tally
        let firstLine = state.files[outcome.fileIndex].nextLineNumber
        for reject in outcome.rejects {
            let row = RejectedRow(path: state.files[outcome.fileIndex].path, lineNumber: firstLine + reject.lineIndexInBlock,
                                  reason: reject.reason, message: reject.message, record: reject.record)
            if state.firstRejects.count < Self.firstRejectsKept { state.firstRejects.append(row) }
            if state.rejectCount >= rejectsAlreadyEmitted { onReject?(row) }
            state.rejectCount += 1
        }
        for piece in outcome.contentPieces { state.files[outcome.fileIndex].fingerprintBuilder?.append(piece) }
        for (index, code) in outcome.contactIds.enumerated() where !state.contactIds.insert(code) {
            state.duplicateIds += 1
            if dedupe {
                state.duplicateRows.append(DuplicateRow(worker: worker, row: .contact(outcome.contactRows[index])))
                tally.accepted -= 1
                tally.skipped[SkipReason.duplicateId.index] += 1
            }
        }
        for (index, code) in outcome.incidentIds.enumerated() where !state.incidentIds.insert(code) {
            state.duplicateIds += 1
            if dedupe {
                state.duplicateRows.append(DuplicateRow(worker: worker, row: .incident(outcome.incidentRows[index])))
                tally.accepted -= 1
                tally.skipped[SkipReason.duplicateId.index] += 1
            }
        }
        if !outcome.queueEvents.isEmpty {
            state.queueCalls.add(outcome.queueEvents, worker: worker, fileIndex: outcome.fileIndex)
        }
        state.files[outcome.fileIndex].nextLineNumber += outcome.newlineCount
        state.files[outcome.fileIndex].tally.add(tally)
    }

    /// The ledger of everything folded so far, the first rejected rows, and the rows to take out again.
    func finish() -> (ledger: Ledger, firstRejects: [RejectedRow], duplicateRows: [DuplicateRow],
                      queueCalls: QueueCallJoiner, countedCalls: [QueueCallJoiner.Leg]) {
        state.withLock { state in
            precondition(state.pending.isEmpty || control.isStopped, "blocks still pending at the end of a run")
            var ledger = Ledger()
            // queue_log legs that give no contact: their lines move from accepted to skipped (in the
            // file of the leg's ENTERQUEUE, or of its first line).
            var countedCalls: [QueueCallJoiner.Leg] = []
            for leg in state.queueCalls.legs {
                let reason: SkipReason
                if !leg.hasArrival {
                    reason = .callWithoutArrival
                } else if leg.outcome == nil {
                    reason = .openCall
                    ledger.openCalls += 1
                } else if leg.period == nil {
                    reason = .outsideDateRange
                } else {
                    countedCalls.append(leg)
                    continue
                }
                state.files[Int(leg.fileIndex)].tally.accepted -= Int(leg.lineCount)
                state.files[Int(leg.fileIndex)].tally.skipped[reason.index] += Int(leg.lineCount)
            }
            var total = RowTally()
            for file in state.files {
                let tally = file.tally
                total.add(tally)
                ledger.sources.append(Ledger.Source(
                    path: file.path, kind: file.kind, byteCount: file.byteCount, contentFingerprint: file.fingerprint ?? file.fingerprintBuilder?.finish(),
                    rowsRead: tally.rowsRead, rowsAccepted: tally.accepted, rowsRejected: tally.rejectedTotal,
                    rowsSkipped: tally.skippedTotal,
                    firstArrivalUTC: tally.firstArrivalUTC == .max ? nil : tally.firstArrivalUTC,
                    lastArrivalUTC: tally.lastArrivalUTC == .min ? nil : tally.lastArrivalUTC))
            }
            ledger.rowsRead = total.rowsRead
            ledger.rowsAccepted = total.accepted
            ledger.rowsRejected = total.rejectedTotal
            ledger.rowsSkipped = total.skippedTotal
            for (index, reason) in RejectReason.allCases.enumerated() where total.rejected[index] > 0 {
                ledger.rejectedByReason[reason.rawValue] = total.rejected[index]
            }
            for (index, reason) in SkipReason.allCases.enumerated() where total.skipped[index] > 0 {
                ledger.skippedByReason[reason.rawValue] = total.skipped[index]
            }
            ledger.duplicateIds = state.duplicateIds
            ledger.blankLines = total.blankLines
            ledger.repeatedLocalTimes = total.repeatedLocalTimes
            ledger.skippedLocalTimes = total.skippedLocalTimes
            return (ledger, state.firstRejects, state.duplicateRows, state.queueCalls, countedCalls)
        }
    }
}
