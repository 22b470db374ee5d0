import ContactMetrics
import Foundation

/// Writes rejected rows as CSV (`file,line,reason,message,record`), mode 0600 at most (the rows are
/// caller data). Called serially by the engine; the first write error is kept and thrown by `finish()`.
final class RejectsFileWriter: @unchecked Sendable {
    private let writer: OutputWriter
    private var failure: OutputError?
    /// One row's bytes, reused: the engine calls `write` from its collector, one block at a time.
    private var line: [UInt8] = []

    init(_ target: OutputTarget) throws(OutputError) {
        writer = try OutputWriter(target, isPrivate: true)
        write(["file", "line", "reason", "message", "record"])
    }

    private func write(_ fields: [String]) {
        guard failure == nil else { return }
        line.removeAll(keepingCapacity: true)
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            CSVWriter.appendField(field, to: &line)
        }
        line.append(UInt8(ascii: "\n"))
        line.withUnsafeBytes { bytes in
            do throws(OutputError) { try writer.write(bytes) } catch { failure = error }
        }
        if failure != nil { writer.discard() }
    }

    func write(_ row: RejectedRow) {
        write([row.path, String(row.lineNumber), row.reason.rawValue, row.message, String(decoding: row.record, as: UTF8.self)])
    }

    /// Puts the file in place.
    /// - Throws: the first write failure, or the commit's.
    func finish() throws(OutputError) {
        try checkWritten()
        try writer.commit()
    }

    /// Throws the first write failure, if any.
    func checkWritten() throws(OutputError) {
        if let failure { throw failure }
    }

    /// Leaves the old file as it was.
    func discard() { writer.discard() }
}

/// The run's rejects file, put in place once the run has succeeded (its report or store written): a run
/// that fails leaves the old file as it was, like its other outputs (README, "Where output goes"). A run
/// refused for its rejects (status 65) puts it in place at once: those rows are why.
enum PendingRejects {
    /// Main thread only.
    nonisolated(unsafe) static var file: RejectsFileWriter?

    static func commit() throws(OutputError) {
        defer { file = nil }
        try file?.finish()
    }

    static func discard() {
        file?.discard()
        file = nil
    }
}

/// A failure that ends a command with a message and an exit status.
enum CommandFailure: Error {
    case io(String)
    case tooManyRejects(String)
    /// `--fail-on`: a target is red (or amber); the output was written. Exit status 3.
    case targetsMissed(String)
}

/// Runs the ingest engine with the console around it: progress bar, rejects file, reject summary.
func runIngest(_ common: CommonOptions, inputs: [String]? = nil, options: IngestOptions? = nil) throws -> IngestResult {
    let engine = IngestEngine(options: options ?? common.ingest)
    let rejectsFile = try common.rejects.map { try RejectsFileWriter($0) }
    let progress = common.showProgress ? ProgressBar(totalBytes: common.knownInputBytes) : nil
    var onReject: (@Sendable (RejectedRow) -> Void)?
    if let rejectsFile { onReject = { rejectsFile.write($0) } }
    var onProgress: ((Int64) -> Void)?
    if let progress { onProgress = { progress.update($0) } }
    let outcome = Result { () throws(InputError) -> IngestResult in
        try engine.run(inputs: inputs ?? common.inputs, onReject: onReject, onProgress: onProgress)
    }
    progress?.finish()
    // A failed run leaves the old rejects file as it was; a rejects file that cannot be written fails the run.
    let result: IngestResult
    switch outcome {
    case .success(let value): result = value
    case .failure(let error):
        rejectsFile?.discard()
        throw CommandFailure.io(error.description)
    }
    try rejectsFile?.checkWritten()
    let paths = result.ledger.sources.map(\.path)
    for note in RepeatedNotes.condensed(result.ledger.notes, paths: paths) { Terminal.note(note) }
    for warning in RepeatedNotes.condensed(result.ledger.warnings, paths: paths) { Terminal.warning(warning) }
    reportRejects(result, rejectsPath: common.rejects?.displayPath)
    if let refusal = headerOrderRefusal(result) ?? dateOrderRefusal(result, common) {
        try rejectsFile?.finish()
        throw CommandFailure.tooManyRejects(refusal + "; nothing written")
    }
    if result.ledger.exceeds(common.maxRejects) {
        try rejectsFile?.finish()
        throw CommandFailure.tooManyRejects(
            "\(result.ledger.rowsRejected) of \(result.ledger.rowsRead) rows rejected, over \(Option.maxRejects.spelling) \(common.maxRejects!); nothing written")
    }
    // The table is then empty, and only the input line under it said why. Rows outside --from/--to first: an
    // empty window blamed the rejected rows, and advised --max-rejects.
    let outsideDates = Int64(result.ledger.skippedByReason[SkipReason.outsideDateRange.rawValue] ?? 0)
    if result.ledger.rowsAccepted == 0 && outsideDates > 0 {
        // compare's windows, not --from/--to, which compare does not have (a review).
        let limits = (options ?? common.ingest).dayWindows.isEmpty ? "\(Option.from.spelling)/\(Option.to.spelling)" : "the windows compared"
        Terminal.warning("no row was accepted: \(DisplayFormat.count(outsideDates)) fall outside \(limits)"
            + (result.ledger.rowsRejected > 0 ? " and \(DisplayFormat.count(Int64(result.ledger.rowsRejected))) \(result.ledger.rowsRejected == 1 ? "was" : "were") rejected (the reasons above)" : "")
            + ", so the figures are empty")
    } else if result.ledger.rowsAccepted == 0 && result.ledger.rowsRejected > 0 {
        Terminal.warning("no row was accepted (\(DisplayFormat.count(Int64(result.ledger.rowsRejected))) rejected, the reasons above), so the figures are empty; "
            + "\(Option.maxRejects.spelling) 0 makes such a run fail")
    }
    if let mapping = (options ?? common.ingest).mapping, let warning = millisecondsReadAsSeconds(result.ledger, mapping: mapping) {
        Terminal.warning(warning)
    }
    if result.ledger.rowsAccepted == 0 && outsideDates == 0 && result.ledger.rowsRejected == 0, let unjoined = unjoinedCalls(result.ledger) {
        // queue_log lines of calls whose other end is not in the input: an empty table with no word (found by a review).
        Terminal.warning("no call was counted: \(unjoined), so the figures are empty; give the queue_log files before and after too")
    }
    PendingRejects.file = rejectsFile
    returnFreedMemory()
    return result
}

/// When most rows read were rejected for a wait or handle time too long to be one and the config reads durations in seconds: the
/// export's milliseconds read as seconds (a review: 326 of 400 rows rejected, the rest 100% abandoned, no hint).
func millisecondsReadAsSeconds(_ ledger: Ledger, mapping: MappingConfig) -> String? {
    let rejected = ledger.rejectedByReason[RejectReason.implausibleDuration.rawValue] ?? 0
    let counted = ledger.rowsRead - ledger.rowsSkipped
    guard rejected >= 5, rejected * 2 >= counted else { return nil }
    let inSeconds = mapping.columns.compactMap { name, source -> String? in
        (source.offset?.unit ?? source.durationUnit) == .seconds ? name : nil
    }.sorted()
    guard !inSeconds.isEmpty else { return nil }
    return "\(DisplayFormat.count(Int64(rejected))) of the \(DisplayFormat.count(Int64(counted))) rows were rejected as implausible_duration (a wait or handle time too long to be one), "
        + "and \(mapping.name) reads \(DisplayFormat.list(inSeconds)) in seconds: if the export gives them in milliseconds, their \"unit\" is \"ms\""
}

/// What a run of queue_log lines that counted no call holds: lines of calls whose outcome (`open_call`) or
/// arrival (`call_without_arrival`) is not in the input; nil when there are none.
func unjoinedCalls(_ ledger: Ledger) -> String? {
    let open = Int64(ledger.skippedByReason[SkipReason.openCall.rawValue] ?? 0)
    let withoutArrival = Int64(ledger.skippedByReason[SkipReason.callWithoutArrival.rawValue] ?? 0)
    var parts: [String] = []
    if open > 0 { parts.append("\(DisplayFormat.count(open)) \(open == 1 ? "line is" : "lines are") of calls whose outcome is not in the input (open_call)") }
    if withoutArrival > 0 {
        parts.append("\(DisplayFormat.count(withoutArrival)) \(withoutArrival == 1 ? "line is" : "lines are") of calls whose arrival is not (call_without_arrival)")
    }
    return parts.isEmpty ? nil : DisplayFormat.list(parts)
}

/// Gives the memory the workers freed back to the system. glibc keeps freed blocks for reuse (and raises its
/// threshold for mapping large ones after the first is freed), so after reading, a report at a fine grain kept
/// twice its live heap resident while it was written.
func returnFreedMemory() {
    #if canImport(Glibc)
    _ = glibcMallocTrim(0)
    #endif
}

/// Large blocks (256 KiB and more) are always mapped on their own, so that freeing one gives it back at
/// once. glibc raises its threshold for that each time such a block is freed (up to 32 MiB), after which
/// the per-worker tables and arrays of a fine-grain run came from its heaps and stayed resident when freed.
func fixLargeAllocationThreshold() {
    #if canImport(Glibc)
    _ = glibcMallopt(-3 /* M_MMAP_THRESHOLD */, 256 << 10)
    #endif
}

#if canImport(Glibc)
/// glibc's `mallopt` (declared in <malloc.h>, which the Glibc module does not export).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// glibc's `malloc_trim` (declared in <malloc.h>, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif

/// Why a run that met the header again among the rows, in another column order, must not go on: the rows
/// after it would be read in the first header's order (category labels counted as channels, status 0, in
/// a review of exports joined with `cat`). Nil when there is no such line.
func headerOrderRefusal(_ result: IngestResult) -> String? {
    let count = result.ledger.rejectedByReason[RejectReason.headerInOtherOrder.rawValue] ?? 0
    guard count > 0 else { return nil }
    return "\(count == 1 ? "a line among the rows names" : "\(count) lines among the rows name") the header's columns in another order "
        + "(exports joined one after another?), and the rows after \(count == 1 ? "it" : "them") would be read in the first header's "
        + "order: give each export as a file of its own (the \(count == 1 ? "line is" : "lines are") named above)"
}

/// Why a run whose rows were rejected for dates written day-month (`13/04/2019`) that read whole in
/// another order must not go on: the order given (`--date-order`, a config's `date_order`) is
/// contradicted, or, when none was given, the inputs did not settle the order
/// (`DayMonthDates.Judgement`) or the order they seemed to prove is contradicted. Its figures would
/// leave those rows out (and misdate the rows that read both ways) without a word. Nil when nothing was
/// rejected for it.
func dateOrderRefusal(_ result: IngestResult, _ common: CommonOptions) -> String? {
    let rejected = result.ledger.dayMonthDatesRejected
    guard rejected > 0 else { return nil }
    let rows = "\(DisplayFormat.count(Int64(rejected))) \(rejected == 1 ? "row rejected for its" : "rows rejected for their") date order"
    if let source = common.dateOrderSource {
        // A month-first export read with a day-first config (or the reverse): 4/13/2020 is rejected, and
        // 4/1/2020 is read as 4 January. Before, the run went on with exit status 0.
        let order = common.ingest.dateOrder
        let stated = order == .dayFirst ? "day first (dmy)" : order == .monthFirst ? "month first (mdy)" : "year first (ymd)"
        return "\(rows): \(rejected == 1 ? "its date reads" : "their dates read") whole only in another order than \(source) gives, \(stated), "
            + "so the rows whose dates read both ways would be misdated; check how the export writes its dates, and give "
            + "\(Option.dateOrder.spelling) to match (dmy: day first, mdy: month first)"
    }
    switch result.dateOrderJudgement {
    case .proven(let order, let example, let path):
        // The judged order is contradicted by timestamps that read whole in the other: the proof came from
        // another column, or the inputs mix orders. Reading on would misdate every row that reads both ways.
        return "\(rows): \(rejected == 1 ? "it reads" : "they read") only as \(order == .dayFirst ? "month" : "day") first, although \"\(Escaping.excerpt(example))\" "
            + "in \(Escaping.visible(path)) seemed to put the \(order == .dayFirst ? "day" : "month") first (a date in another column, "
            + "or inputs in different orders?); give \(Option.dateOrder.spelling), reading inputs of each order in their own run"
    case .conflicting(let dayFirst, let dayFirstPath, let monthFirst, let monthFirstPath):
        return "\(rows): \"\(Escaping.excerpt(dayFirst))\" in \(Escaping.visible(dayFirstPath)) puts the day first and "
            + "\"\(Escaping.excerpt(monthFirst))\" in \(Escaping.visible(monthFirstPath)) the month; read them in separate runs, "
            + "each with its \(Option.dateOrder.spelling) (dmy or mdy)"
    case .unproven(let example, let path):
        return "\(rows): dates like \"\(Escaping.excerpt(example))\" in \(Escaping.visible(path)) could put the day or the month first, "
            + "and no date in the inputs tells which; give \(Option.dateOrder.spelling) dmy (day first) or mdy (month first)"
    case .none:
        // Inputs not judged before the run (standard input and pipes are read once, and a file whose
        // first 64 KiB have no such date is not scanned): their rejected rows tell what they can.
        let hint = DateOrderHint.hint(for: result.firstRejects)
            ?? "give \(Option.dateOrder.spelling) dmy (day first) or mdy (month first)"
        return "\(rows): \(hint)"
    }
}

/// Prints the first rejected rows and a count on stderr (silent when nothing was rejected).
func reportRejects(_ result: IngestResult, rejectsPath: String?) {
    let rejected = result.ledger.rowsRejected
    guard rejected > 0 else { return }
    let shown = result.firstRejects.prefix(10)
    // Said rejected, with the ledger's reason: a review read `quote.csv:2: notes: text after the closing quote` as a
    // remark, not as a call lost to a column the run never reads.
    for row in shown { Terminal.warning("\(row.path):\(row.lineNumber): rejected (\(row.reason.rawValue)): \(row.message)") }
    // Lines a quote ran over are rejected rows with no record of their own: they are in the quote's.
    let records = min(result.rejectRecordCount, rejected), takenIn = rejected - records
    let inQuotes = "\(DisplayFormat.count(Int64(takenIn))) \(takenIn == 1 ? "line" : "lines") taken into quoted fields (in their records)"
    if records > shown.count {
        let more = records - shown.count
        Terminal.warning("... and \(DisplayFormat.count(Int64(more))) more rejected \(more == 1 ? "row" : "rows")" + (takenIn == 0 ? "" : ", and " + inQuotes)
            + (rejectsPath.map { " (all in \($0))" } ?? " (write them all with --rejects FILE)"))
    }  // else every record is shown, and the quote's says how many lines it ran over
}

/// Writes a rendered report to its output: a file is replaced only once the whole report is written.
/// - Throws: `OutputError` (a closed pipe is one `main` ends quietly).
func emit(_ text: String, to target: OutputTarget) throws {
    try emit(to: target) { try $0.write(text) }
}

/// Writes a report to its output as `write` renders it, piece by piece; as above, a file is replaced
/// only once the whole report is written (a failed run leaves the old file).
func emit(to target: OutputTarget, _ write: (inout OutputSink) throws -> Void) throws {
    if case .standardOutput = target.kind, Terminal.standardOutputWasClosed {
        throw OutputError(path: target.displayPath, reason: "cannot write: standard output is closed")
    }
    let writer = try OutputWriter(target)
    var sink = OutputSink(writer)
    try write(&sink)
    try writer.commit()
}
