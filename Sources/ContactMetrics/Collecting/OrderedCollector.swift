import Foundation

/// Receives block outcomes from the workers in any order and folds them in input order: that is
/// what gives rejected rows the same absolute line numbers in a parallel run as in a sequential one.
/// Runs under one lock, once per block. (Duplicate ids are found by the workers and `DuplicateFinder`,
/// not here: the collector only sums what they report.)
final class OrderedCollector: @unchecked Sendable {
    private struct FileState {
        var path: String
        var kind: InputKind
        var nextLineNumber: Int
        /// The sequence number of the file's first block.
        var firstSequence: Int
        var tally = RowTally()
        var byteCount: Int64 = 0
        /// A file read in ranges: its fingerprint so far (pieces are folded in order with the blocks).
        var fingerprintBuilder: FingerprintBuilder?
        /// A streamed file's finished fingerprint.
        var fingerprint: String?
        /// The delimiter judged from the file's header line, when it is not a comma.
        var judgedDelimiter: FieldDelimiter?
        /// JSON records: the config's members none of the first records has (`JSONMemberSample`).
        var absentMembers: [String] = []
        /// The file has no id column (`InputLayout.lacksIdColumn`).
        var lacksIds = false
        /// The first line with bytes that are not UTF-8.
        var firstInvalidUTF8Line: Int?
        /// The last block folded ended inside a line with bytes that are not UTF-8, already counted.
        var invalidUTF8LineGoesOn = false
        var readingWarning: String?
        var otherOutcomeWords = OtherOutcomeWords()
    }

    private struct State {
        var nextSequence = 0
        var pending: [Int: (outcome: BlockOutcome, worker: Int)] = [:]
        var files: [FileState] = []
        /// Rows whose id repeats one its worker had recorded (`BlockOutcome.repeatedIds`).
        var repeatedIds = 0
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
    ///   - queueLegsHeld: queue_log call legs held before settled ones are let go (`QueueCallJoiner`).
    init(dedupe: Bool, onReject: (@Sendable (RejectedRow) -> Void)?, rejectsAlreadyEmitted: Int = 0, control: RunControl,
         openQueueCalls: [UInt64: [OpenQueueCall]] = [:], queueLegsHeld: Int = 1 << 16) {
        state = Locked(State(queueCalls: QueueCallJoiner(prior: openQueueCalls, retireThreshold: queueLegsHeld)))
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
    ///   - firstSequence: the sequence number of the file's first block.
    func beginFile(index: Int, path: String, kind: InputKind, firstDataLineNumber: Int, firstSequence: Int,
                   byteCount: Int64 = 0, contentPieces: [ContentPiece]? = nil, judgedDelimiter: FieldDelimiter? = nil,
                   absentMembers: [String] = [], lacksIds: Bool = false) {
        state.withLock { state in
            while state.files.count <= index {
                var file = FileState(path: path, kind: kind, nextLineNumber: firstDataLineNumber, firstSequence: firstSequence,
                                     byteCount: byteCount)
                file.judgedDelimiter = judgedDelimiter
                file.absentMembers = absentMembers
                file.lacksIds = lacksIds
                if let contentPieces {
                    file.fingerprintBuilder = FingerprintBuilder()
                    for piece in contentPieces { file.fingerprintBuilder!.append(piece) }
                }
                state.files.append(file)
            }
        }
    }

    /// Records a streamed file's size and fingerprint once it is read to the end, and what its reading
    /// found to warn of (`TranscodingStream.warning`).
    func finishFile(index: Int, byteCount: Int64, fingerprint: String?, warning: String? = nil) {
        state.withLock { state in
            state.files[index].byteCount = byteCount
            state.files[index].fingerprint = fingerprint
            state.files[index].readingWarning = warning
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

    /// Arrivals outside these (UTC seconds) are placeholders (see `placeholderDates`).
    static let plausibleArrivals = CivilDate.daysSinceEpoch(year: 1900, month: 1, day: 1) * 86_400
        ..< CivilDate.daysSinceEpoch(year: 2200, month: 1, day: 1) * 86_400

    /// Arrivals before 1900 or from 2200 on are read as what they say, but in contact logs they are
    /// placeholders for "no date" (.NET and SQL's 0001-01-01 and 9999-12-31): said, as they stretch a
    /// report over centuries of empty periods.
    static func placeholderDates(_ tally: RowTally, path: String) -> String? {
        let (earliest, latest) = (plausibleArrivals.lowerBound, plausibleArrivals.upperBound)
        guard tally.accepted > 0, tally.firstArrivalUTC < earliest || tally.lastArrivalUTC >= latest else { return nil }
        let date = { (seconds: Int64) in CivilDate(daysSinceEpoch: floorDivide(seconds, 86_400)).description }
        var dates: [String] = []
        if tally.firstArrivalUTC < earliest { dates.append("as early as \(date(tally.firstArrivalUTC))") }
        if tally.lastArrivalUTC >= latest { dates.append("as late as \(date(tally.lastArrivalUTC))") }
        return "\(path): arrivals \(dates.joined(separator: " and ")) (UTC): placeholders for no date? They are counted in their own periods; "
            + "leave them out with --from and --to, or name them in a config's null_values"
    }

    /// Arrivals more than a day after the run (and before 2200, which `placeholderDates` says): a log cannot hold
    /// them, so a date was misread (a review's two-digit years 49 and 69 were counted in 2049 and 2069, no word).
    static func futureDates(_ tally: RowTally, path: String, now: Int64 = Int64(Date().timeIntervalSince1970)) -> String? {
        guard tally.accepted > 0, tally.lastArrivalUTC > now + 86_400, tally.lastArrivalUTC < plausibleArrivals.upperBound else { return nil }
        return "\(path): arrivals as late as \(CivilDate(daysSinceEpoch: floorDivide(tally.lastArrivalUTC, 86_400))) (UTC), after today: "
            + "a two-digit year read in the wrong century, or a misread date? They are counted in their own periods; leave them out with --to"
    }

    private func fold(_ outcome: BlockOutcome, worker: Int, into state: inout State) {
        var tally = outcome.tally
        // A line cut between blocks is one line, whichever blocks hold its bad bytes.
        if state.files[outcome.fileIndex].invalidUTF8LineGoesOn && outcome.firstInvalidUTF8Line == 0 { tally.invalidUTF8Lines -= 1 }
        if outcome.newlineCount > 0 || outcome.invalidUTF8LineGoesOn {
            state.files[outcome.fileIndex].invalidUTF8LineGoesOn = outcome.invalidUTF8LineGoesOn
        }
        let firstLine = state.files[outcome.fileIndex].nextLineNumber
        let rowsBefore = state.files[outcome.fileIndex].tally.rowsRead
        for reject in outcome.rejects {
            let message = reject.recordInBlock.map { "record \(rowsBefore + $0): " + reject.message } ?? reject.message
            let row = RejectedRow(path: state.files[outcome.fileIndex].path, lineNumber: firstLine + reject.lineIndexInBlock,
                                  reason: reject.reason, message: message, record: reject.record)
            if state.firstRejects.count < Self.firstRejectsKept { state.firstRejects.append(row) }
            if state.rejectCount >= rejectsAlreadyEmitted { onReject?(row) }
            state.rejectCount += 1
        }
        for piece in outcome.contentPieces { state.files[outcome.fileIndex].fingerprintBuilder?.append(piece) }
        if let line = outcome.firstInvalidUTF8Line, state.files[outcome.fileIndex].firstInvalidUTF8Line == nil {
            state.files[outcome.fileIndex].firstInvalidUTF8Line = firstLine + line
        }
        if !outcome.otherOutcomeWords.isEmpty { state.files[outcome.fileIndex].otherOutcomeWords.add(outcome.otherOutcomeWords) }
        state.repeatedIds += outcome.repeatedIds
        if !outcome.queueEvents.isEmpty {
            state.queueCalls.add(outcome.queueEvents, worker: worker, fileIndex: outcome.fileIndex)
        }
        state.files[outcome.fileIndex].nextLineNumber += outcome.newlineCount
        state.files[outcome.fileIndex].tally.add(tally)
    }

    /// The sequence number of each file's first block, by file index (ascending).
    var fileFirstSequences: [Int] { state.withLock { $0.files.map(\.firstSequence) } }

    /// The ledger of everything folded so far, and the first rejected rows.
    /// - Parameter duplicates: the duplicates `DuplicateFinder` found (with `--dedupe`, by file: those
    ///   rows move from accepted to skipped).
    func finish(duplicates: DuplicateFinder.Outcome) -> (ledger: Ledger, firstRejects: [RejectedRow],
                                                         queueCalls: QueueCallJoiner, countedCalls: [QueueCallJoiner.Leg]) {
        state.withLock { state in
            if dedupe {
                for (index, count) in duplicates.duplicatesByFile.enumerated() where count > 0 {
                    let outside = index < duplicates.outsideDateRangeByFile.count ? duplicates.outsideDateRangeByFile[index] : 0
                    state.files[index].tally.accepted -= count - outside
                    state.files[index].tally.skipped[SkipReason.outsideDateRange.index] -= outside
                    state.files[index].tally.skipped[SkipReason.duplicateId.index] += count
                }
            }
            precondition(state.pending.isEmpty || control.isStopped, "blocks still pending at the end of a run")
            var ledger = Ledger()
            // queue_log legs that give no contact: their lines move from accepted to skipped, each in its own file.
            var countedCalls: [QueueCallJoiner.Leg] = []
            // Legs an earlier source left that no line of this run joined (`lineCount` 0) are that source's to count.
            for leg in state.queueCalls.legs where leg.lineCount > 0 {
                guard let reason = QueueCallJoiner.skipReason(of: leg) else {
                    countedCalls.append(leg)
                    continue
                }
                if reason == .openCall { ledger.openCalls += 1 }
                for (file, lines) in state.queueCalls.linesByFile(of: leg) {
                    state.files[file].tally.accepted -= lines
                    state.files[file].tally.skipped[reason.index] += lines
                }
            }
            let (retiredLines, retiredOpenCalls) = state.queueCalls.retiredSkips
            ledger.openCalls += retiredOpenCalls
            for (fileIndex, reasons) in retiredLines {
                for (reason, lines) in reasons {
                    state.files[fileIndex].tally.accepted -= lines
                    state.files[fileIndex].tally.skipped[reason.index] += lines
                }
            }
            var total = RowTally()
            for file in state.files {
                let tally = file.tally
                total.add(tally)
                // Left out as asked, but a tenth of a file's rows or more may be other contacts under the same ids: two
                // systems numbering calls 1, 2, 3…, or ids a spreadsheet rounded (1.58678E+09). A review's whole 101
                // channel went so, with no word. Said file by file (one joined file among ten nights was under a tenth of the
                // run: the second diff review), in a note: exports that overlap, --dedupe's own use, left out as much (a
                // warning told every rolling export to run without it: the third diff review).
                let left = tally.skipped[SkipReason.duplicateId.index]
                if dedupe && left >= 5 && left * 10 >= tally.rowsRead {
                    ledger.notes.append("\(file.path): --dedupe left out \(DisplayFormat.count(Int64(left))) \(left == 1 ? "row" : "rows") whose id another row has "
                        + "(\(DisplayFormat.percentOneDecimal(Double(left) / Double(max(1, tally.rowsRead)))) of its rows; of each id the first row "
                        + "is kept, or the last updated where the config maps updated_at): right for exports that overlap; "
                        + "if they are other contacts under the same ids (two systems that number calls alike, ids a spreadsheet rounded), run without --dedupe")
                }
                ledger.sources.append(Ledger.Source(
                    path: file.path, kind: file.kind, byteCount: file.byteCount, contentFingerprint: file.fingerprint ?? file.fingerprintBuilder?.finish(),
                    rowsRead: tally.rowsRead, rowsAccepted: tally.accepted, rowsRejected: tally.rejectedTotal,
                    rowsSkipped: tally.skippedTotal,
                    firstArrivalUTC: tally.firstArrivalUTC == .max ? nil : tally.firstArrivalUTC,
                    lastArrivalUTC: tally.lastArrivalUTC == .min ? nil : tally.lastArrivalUTC))
                if !file.absentMembers.isEmpty {
                    let names = file.absentMembers.map { "\"\(Escaping.excerpt($0))\"" }.joined(separator: ", ")
                    ledger.warnings.append("\(file.path): no record among its first \(JSONMemberSample.recordLimit) has \(file.absentMembers.count == 1 ? "the member" : "the members") "
                        + "\(names) that the config reads, so \(file.absentMembers.count == 1 ? "it reads" : "they read") as empty in those "
                        + "and any later record without \(file.absentMembers.count == 1 ? "it" : "them") (a misspelling? members more than one object down are not read)")
                }
                let headers = tally.skipped[SkipReason.repeatedHeader.index]
                if headers > 0 {
                    ledger.notes.append("\(file.path): the header line again \(headers == 1 ? "once" : "\(DisplayFormat.count(Int64(headers))) times") "
                        + "among the rows (files joined one after another?), skipped as repeated_header")
                }
                if file.lacksIds && tally.accepted > 0 { ledger.sourcesWithoutIds += 1 }
                if let delimiter = file.judgedDelimiter {
                    ledger.notes.append("\(file.path): fields separated by \(delimiter.name), judged from the header line (--delimiter chooses)")
                }
                // Only contacts have waits (a queue_log's epoch seconds are exact). Times without seconds count
                // where they timed a kept row's wait: not for waits a config gives as offsets or durations.
                let withoutSeconds = tally.minuteTimes.withoutSeconds >= tally.accepted
                if tally.minuteTimes.areWholeMinutes(rows: tally.accepted) && file.kind == .contacts && (!withoutSeconds || tally.minuteTimedWaits > 0) {
                    ledger.minuteResolutionSources += 1
                    if !withoutSeconds { ledger.minuteSourcesWithoutRowMarks += 1 }
                    // Seconds 00 on every time: the cells are judged by their waits (`MetricOptions.timesInWholeMinutes`),
                    // and waits a config gives as durations keep their seconds: said so (a service level shown under a
                    // note saying it was not measured; found by the exports review).
                    let (how, where_) = withoutSeconds ? ("no seconds", "where its contacts are")
                        : ("seconds 00 on every time", "where its waits are whole minutes too (waits given as durations keep their seconds)")
                    // The percentiles too are whole minutes: a review read a 999 p50 of 00:00 (a true 7 s) with no word of it.
                    ledger.notes.append("\(file.path): times in whole minutes (\(how)); waits timed from them are whole minutes, each within "
                        + "±59 s (a p50 of 00:00 is a wait under a minute); service levels (whatever their threshold) "
                        + "and the answer-time bands are not measured \(where_)")
                } else if tally.minuteTimedWaits > 0 {
                    // Some rows only: said, since a period where they are many loses those figures too.
                    let waits = tally.minuteTimedWaits
                    ledger.notes.append("\(file.path): \(DisplayFormat.count(Int64(waits))) \(waits == 1 ? "wait is" : "waits are") timed from a time "
                        + "without seconds (within ±59 s); service levels (whatever their threshold) and the answer-time bands are not "
                        + "measured in a period and channel where such waits are more than 1 in 20")
                }
                if tally.rowsWithDatesWithoutTime > 0 {
                    let rows = tally.rowsWithDatesWithoutTime
                    ledger.warnings.append("\(file.path): \(DisplayFormat.count(Int64(rows))) \(rows == 1 ? "row gives" : "rows give") a date with no time of day "
                        + "in a time column (read as midnight): \(rows == 1 ? "it counts" : "they count") in \(rows == 1 ? "its" : "their") day, but \(rows == 1 ? "its wait and handle time are" : "their waits and handle times are") not measured")
                }
                if let note = file.otherOutcomeWords.note(path: file.path) { ledger.notes.append(note) }
                if tally.abandonedForEmptyAnswerTime > 0 && tally.outcomesGiven == 0 {
                    ledger.warnings.append("\(file.path): no row gives an outcome or an answer time (those columns are empty), so every call in it "
                        + "counts as abandoned; if the export leaves them out, leave the columns out too (or out of the config's mapping), "
                        + "and its calls count with their outcome not known (if no call in it was answered, the figures stand)")
                }
                if let warning = Self.placeholderDates(tally, path: file.path) { ledger.warnings.append(warning) }
                if let warning = Self.futureDates(tally, path: file.path) { ledger.warnings.append(warning) }
                if tally.millisecondDurations.lookLikeSeconds {
                    let durations = tally.millisecondDurations
                    ledger.warnings.append("\(file.path): in \(DisplayFormat.count(Int64(durations.underASecond))) of the \(DisplayFormat.count(Int64(durations.nonZero))) "
                        + "rows with durations the config reads in milliseconds, every one is under a second, so the waits and handle times "
                        + "they give are about 0 s; if the export gives them in seconds, the config's \"unit\" is \"s\"")
                }
                if let warning = file.readingWarning { ledger.warnings.append(warning) }
                if let line = file.firstInvalidUTF8Line {
                    let lines = tally.invalidUTF8Lines
                    ledger.warnings.append("\(file.path):\(line): bytes that are not UTF-8 (\(DisplayFormat.count(Int64(lines))) \(lines == 1 ? "line" : "lines") with such bytes); "
                        + "labels read them as U+FFFD, so labels that differ only there are one; if the file is Windows or Latin-1 text, "
                        + "give --encoding windows-1252 (which reads Latin-1 text as latin1 does)")
                }
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
            ledger.duplicateIds = state.repeatedIds + duplicates.duplicates
            // Counted again without a word but the ledger's count, the same export given twice (`week.csv` and
            // `week.csv.gz`) doubled every figure (found by a review); an id now and then repeated is no such sign.
            if !dedupe && ledger.duplicateIds >= 5 && ledger.duplicateIds * 100 >= total.rowsRead {
                let count = ledger.duplicateIds
                ledger.warnings.append("\(DisplayFormat.count(Int64(count))) \(count == 1 ? "row has an id" : "rows have ids") an earlier row has "
                    + "(\(DisplayFormat.percentOneDecimal(Double(count) / Double(max(1, total.rowsRead)))) of the rows read; the same export given twice?): counted again; --dedupe counts each id once")
            }
            ledger.blankLines = total.blankLines
            ledger.repeatedLocalTimes = total.repeatedLocalTimes
            ledger.skippedLocalTimes = total.skippedLocalTimes
            ledger.pairedAcrossClockChange = total.pairedAcrossClockChange
            ledger.dayMonthDatesRejected = total.dayMonthDatesRejected
            ledger.dayMonthDates = total.dayMonthDates
            ledger.invalidUTF8Lines = total.invalidUTF8Lines
            return (ledger, state.firstRejects, state.queueCalls, countedCalls)
        }
    }
}
