#if canImport(Glibc)
import Glibc
#endif
// One decoding worker: turns blocks of whole records into contributions to its own accumulators.
//
// Per row: scan the record into field spans (no copies), check the field count, decode only the
// columns the metrics use, and add a stack-built contribution to the accumulator. Allocation happens
// only for rejected rows (their message and raw text) and for labels seen for the first time.
//
// ADVICE FOR HACKERS. This is the hot path (DESIGN §9: ~1,600 instructions a row); measure any change
// with callgrind (Benchmarks/README.md). What must hold, and what has to change together:
//
// - Results depend on a row's bytes and the options only. Nothing carried from row to row may change a
//   figure: the period cache (`cachedDayPeriod`) and the same-date shortcut (`recentArrivals`, `lastTimestamp`) only skip work
//   whose answer they reproduce exactly. That is what makes the figures independent of the block size
//   and the thread count, which the property tests and the fuzz targets check.
// - Every record read is counted once: `rowsRead` += 1, then exactly one of accepted, rejected (with a
//   `PendingReject`) or skipped. Blank lines are not records.
// - Memory: `block` is valid only inside `process(_:)`, so `recentArrivals` is cleared at each block
//   and never points into `scratch`; `scratch` is reset before each record (and each queue_log line),
//   so a field `field(_:)` returns is valid until the next record only. `spans` holds the layout's
//   column count + 1 (the scanner stores no more than `spanCapacity`).
// - Labels: ids 0–3 are `WellKnownChannels.all` in order (every interner starts with them), which
//   `channelId`'s fast path and `isSubmissionChannel` rely on. Ids stay below `LabelLimit.labels`
//   (20 bits in `packCellKey`); a full table sets `failure` and the engine stops the run.
// - Durations: waits and handle times above `longestDuration` are rejected before `accept`, which the
//   accumulator's 32-bit wait keys and the handle-time sum of squares rely on.
// - `decodeContact` and `decodeMapped` (BlockWorker+Mapping.swift) end in the same `accept`; the checks
//   before it (empty channel, arrival, negative waits) must reject the same rows in the same order.

/// A block of whole records handed from the reader to a worker.
struct BlockJob: @unchecked Sendable {
    var buffer: BlockBuffer
    var start: Int
    var end: Int
    var sequence: Int
    var fileIndex: Int
    var path: String
    var layout: InputLayout
    /// The block is the start of one line longer than `IngestOptions.maximumRecordBytes` (`RecordTooLong`).
    var recordTooLong = false
    /// The block ends at a place guessed to be between two JSON objects (`RangeReader`, or
    /// `BlockReader` for a gzip file), not at the input's end: the decoder checks that its last object
    /// closes there.
    var endIsGuessed = false
    /// Line breaks in the part of a record too long (`recordTooLong`) that the reader dropped, for the line
    /// numbers of the records after it.
    var droppedNewlines = 0
    /// The record too long is a JSON object that does not close before the input ends.
    var recordNeverCloses = false
}

/// A line longer than `IngestOptions.maximumRecordBytes` with no line break in it (a binary file, a
/// export that lost its line breaks): one rejected record, of which the streaming reader keeps the
/// first `keptBytes` (and its line break).
enum RecordTooLong {
    static let keptBytes = 4096
}

/// What a worker reports for one block, in the order-restoring collector.
struct BlockOutcome: Sendable {
    var sequence: Int
    var fileIndex: Int
    var newlineCount: Int
    var tally = RowTally()
    var rejects: [PendingReject] = []
    /// Rows whose id the worker had already recorded (`IdLog`): with `--dedupe` they are skipped, and
    /// in `tally` already. The rest of the duplicates are found after the run (`DuplicateFinder`).
    var repeatedIds = 0
    /// The block's first line (counted from its start) with bytes that are not UTF-8, if any.
    var firstInvalidUTF8Line: Int?
    /// The block's last line has bytes that are not UTF-8 and goes on in the next block (a long line,
    /// or a Firehose file's one line, cut between blocks): the collector counts that line once.
    var invalidUTF8LineGoesOn = false
    /// queue_log call events in line order, joined by callid after the parallel phase.
    var queueEvents: [QueueEvent] = []
    /// The block's end was guessed (`BlockJob.endIsGuessed`) and its last object does not close
    /// before it: the guess was wrong, and its results with it.
    var endsInsideObject = false
    /// The fingerprint pieces that start in the block's range of the file, when range reading
    /// fingerprints its inputs.
    var contentPieces: [ContentPiece] = []
    /// Outcome words the block counted as `other` for want of a meaning.
    var otherOutcomeWords = OtherOutcomeWords()
    /// Rows rejected with a quote that never closes (the lines it took in): they have no reject record of
    /// their own, the quote's record stands for them.
    var rowsTakenInByQuotes = 0
}

struct BlockWorker: ~Copyable {
    /// The longest plausible wait or handle time: a day. Longer ones are clock or export errors, and
    /// would swamp a mean (and, squared and summed, overflow the handle-time variance).
    static let longestDuration: Int64 = 86_400

    /// Whether a later time `difference` seconds before an earlier one can still be at or after it: when
    /// the later time has no seconds (`08:15` is any second of that minute), up to 59 s before. Such a
    /// wait or handle time is 0, timed in minutes; any other is a real negative one.
    @inline(__always)
    static func isWithinItsMinute(_ difference: Int64, laterHasNoSeconds: Bool) -> Bool {
        laterHasNoSeconds && difference >= -59
    }

    let options: IngestOptions
    /// `longestDuration`, or the `--max-plausible-wait` below it.
    let longestWait: Int64
    var timestamps: TimestampParser
    var zone: ZoneCursor  // internal: also used by BlockWorker+Mapping
    var contacts = ContactAccumulator()
    private(set) var incidents = IncidentAccumulator()
    var channelLabels: LabelInterner
    var categoryLabels: LabelInterner
    private(set) var agencyLabels: LabelInterner
    var isSubmissionChannel: [Bool]
    /// This worker's place among the run's workers (what `RemovableRow.worker` names).
    let workerIndex: Int
    /// The ids of accepted rows, for duplicate detection: small numbers in the run's shared bitmaps
    /// (without `--dedupe`), the rest in the worker's log.
    private(set) var ids: IdLog
    private let contactBits: SmallIdBits?
    private let incidentBits: SmallIdBits?
    /// The accepted rows' ids as a sketch (`IdSketch`), for the store's runs (`IngestOptions.grain` `.utcQuarterHour`).
    private(set) var idSketch = IdSketchBuilder()
    private let sketchesIds: Bool
    /// The current block's sequence number and how many ids it has recorded (`IdRecord.position`).
    private var blockSequence = 0
    private var idOrdinal = 0
    /// The bytes of the block being decoded, from `process(_:)` until it returns; with `spans`, the
    /// current record's fields are `block[spans[i].start..<spans[i].end]` (`field(_:)` undoes quoting).
    private(set) var block: UnsafePointer<UInt8> = Self.noBlock
    nonisolated(unsafe) private static let noBlock: UnsafePointer<UInt8> = {
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: BlockBuffer.slack)
        bytes.initialize(repeating: 0, count: BlockBuffer.slack)
        return UnsafePointer(bytes)
    }()
    private(set) var spans: UnsafeMutablePointer<FieldSpan>
    private var spanCapacity = 0
    /// Unescaped fields and lower-cased labels of the row being decoded; reset before every row.
    var scratch = RowScratch()
    // The period key of the days `cachedFirstDay...cachedLastDay` (the last period met): most rows share the
    // previous row's, and an export sorted by something else than time (by id, by agent: rows locally out of
    // order) mostly stays within it where a one-day cache missed at nearly every row.
    private var cachedFirstDay = Int64.max
    private var cachedLastDay = Int64.min
    private var cachedDayPeriod: Int64 = 0
    /// Set by the mapped decoder when a config's skip rule took the row (the row may be blank).
    var skippedByRule = false
    /// The block holds JSON records: an escaped field is JSON-escaped, not CSV-quoted.
    private var readsJSON = false
    /// JSON objects one after another, not one per line: a rejected one is named by its place among them.
    private var namesRecords = false
    /// The last timestamp read, when it has the shape the same-date shortcut serves (its bytes are
    /// valid while its row is decoded). Not private: the mapped decoder (BlockWorker+Mapping.swift) uses both.
    var lastTimestamp: SameDateReference?
    /// The milliseconds of the fraction of the last time `timestamp` read (0 with none), for `wholeSeconds`.
    var lastMilliseconds: Int64 = 0
    /// Durations read in milliseconds this block (`RowTally.millisecondDurations`).
    var millisecondDurations = MillisecondDurations()
    /// One of the row's times is a date alone (set while it is decoded, cleared before each row).
    var rowHasDateWithoutTime = false
    /// The parser's count of times without seconds before the row: more after it, and one of the row's
    /// times was written without seconds (its wait is timed in minutes).
    var timesWithoutSecondsBeforeRow = 0
    /// Recent arrival times in this block, one a day of the month: logs are mostly in time order, so
    /// most arrivals share the date and offset of one of them (`SameDateReference`).
    var recentArrivals = RecentArrivalDates()

    /// - Parameters:
    ///   - workerIndex: this worker's index among the run's workers.
    ///   - scratch: where ids that do not fit this worker's share of the memory budget go.
    ///   - smallIds: the run's bitmaps of small numeric contact and incident ids (none with `--dedupe`);
    ///     the caller keeps them alive while the worker runs.
    init(options: IngestOptions, workerIndex: Int = 0, scratch: ScratchFile = ScratchFile(),
         smallIds: (contacts: SmallIdBitmap, incidents: SmallIdBitmap)? = nil) {
        self.options = options
        longestWait = min(options.longestWaitSeconds ?? Self.longestDuration, Self.longestDuration)
        self.workerIndex = workerIndex
        sketchesIds = options.grain == .utcQuarterHour
        contactBits = smallIds?.contacts.bits
        incidentBits = smallIds?.incidents.bits
        ids = IdLog(recordSize: options.dedupe ? IdRecord.withRowSize : IdRecord.codeOnlySize,
                    budget: options.effectiveIdMemoryBudget / 2 / max(1, options.threads), scratch: scratch, mixing: options.idMixing,
                    settlesRepeats: !options.keepsLatestUpdate)
        timestamps = TimestampParser(rules: options.timeZone, dateOrder: options.dateOrder)
        zone = ZoneCursor(rules: options.timeZone)
        channelLabels = LabelInterner(preset: WellKnownChannels.all, lowercases: true, limit: options.labelLimit)
        categoryLabels = LabelInterner(limit: options.labelLimit)
        agencyLabels = LabelInterner(limit: options.labelLimit)
        isSubmissionChannel = WellKnownChannels.all.map { options.submissionChannels.contains($0) }
        spans = .allocate(capacity: 1)
    }

    deinit {
        spans.deallocate()
    }

    // MARK: Blocks

    mutating func process(_ job: BlockJob) -> BlockOutcome {
        timestamps.minuteTimes = MinuteTimes()
        timestamps.dayMonthDates = DayMonthDatesRead()
        millisecondDurations = MillisecondDurations()
        var outcome = decode(job)
        outcome.tally.minuteTimes = timestamps.minuteTimes
        outcome.tally.dayMonthDates = timestamps.dayMonthDates
        outcome.tally.millisecondDurations = millisecondDurations
        // Bytes that are not UTF-8 (a Windows-1252 file read as UTF-8) are said once per file (`Ledger.warnings`).
        let base = UnsafePointer(job.buffer.base)
        if !job.recordTooLong, let (first, count) = UTF8Check.invalidLines(base, from: job.start, to: job.end) {
            outcome.firstInvalidUTF8Line = first
            outcome.tally.invalidUTF8Lines = count
            if base[job.end - 1] != ASCII.newline {
                let lastLine = ByteSearch.last(ASCII.newline, in: base, from: job.start, to: job.end).map { $0 + 1 } ?? job.start
                outcome.invalidUTF8LineGoesOn = UTF8Check.firstInvalid(base, from: lastLine, to: job.end) != nil
            }
        }
        return outcome
    }

    private mutating func decode(_ job: BlockJob) -> BlockOutcome {
        block = UnsafePointer(job.buffer.base)
        blockSequence = job.sequence
        idOrdinal = 0
        if job.layout.columnCount + 1 > spanCapacity {
            spans.deallocate()
            spanCapacity = job.layout.columnCount + 1
            spans = .allocate(capacity: spanCapacity)
        }
        if case .queueLog(let layout) = job.layout.columns { return processQueueLog(job, layout) }
        if job.recordTooLong { return rejectTooLong(job) }
        readsJSON = job.layout.isJSON
        namesRecords = job.layout.isJSON && !job.layout.isJSONLines
        if readsJSON { return processRecords(job, scanner: JSONRecordScanner(paths: job.layout.headerNames, isLines: job.layout.isJSONLines)) }
        // One specialised loop per scanner: a constant comma lets the compiler fold the delimiter search.
        if case .byte(ASCII.comma) = job.layout.delimiter {
            return processRecords(job, scanner: CommaRecordScanner())
        }
        return processRecords(job, scanner: RecordSplitter(job.layout.delimiter))
    }

    private mutating func processRecords<Scanner: RecordScanning>(_ job: BlockJob, scanner: Scanner) -> BlockOutcome {
        // Take the decoder's columns out of the layout once: switching on the layout enum per row
        // copied its (large) payload every row.
        let contactColumns: ContactColumns? = if case .contacts(let columns) = job.layout.columns { columns } else { nil }
        let incidentColumns: IncidentColumns? = if case .incidents(let columns) = job.layout.columns { columns } else { nil }
        // Held unretained for the loop (`job` keeps it alive): binding the class per row cost a retain and
        // a release a row (2.8% of a JSON records run's samples, both workers on one count).
        let mappedReference: Unmanaged<MappedColumns>? =
            if case .mapped(let columns) = job.layout.columns { .passUnretained(columns) } else { nil }
        let columnCount = job.layout.columnCount, neededFields = job.layout.neededFieldCount
        let blankRowDelimiter: UInt8? = if case .byte(let byte) = job.layout.delimiter { byte } else { nil }
        // Rows a stray quote ran over are judged by their delimiters and dates: in CSV of two columns or more.
        let strayQuoteDelimiter = readsJSON || columnCount < 2 ? nil : blankRowDelimiter
        var outcome = BlockOutcome(sequence: job.sequence, fileIndex: job.fileIndex, newlineCount: 0)
        // The shortest a record that repeats the header may be (names and delimiters): a row a config's rule skips is
        // looked at as a header only from there, and only if its first field is a name (`skippedRowRepeatsHeader`; an
        // upper bound missed headers with byte order marks, quotes and spaces: the second diff review).
        let headerLength = job.layout.headerNames.reduce(0) { $0 + $1.utf8.count } + max(0, job.layout.headerNames.count - 1)
        let base = block
        recentArrivals.reset()  // they pointed into the previous block's buffer
        var position = job.start
        var lineIndex = 0
        while position < job.end {
            let record = scanner.scanRecord(in: base, from: position, to: job.end, spans: spans, capacity: spanCapacity, needed: neededFields)
            let recordStart = position, recordLine = lineIndex
            position = record.nextPosition
            lineIndex += record.newlineCount
            if record.isBlank {
                if !readsJSON { outcome.tally.blankLines += 1 }  // JSON: the space between objects
                continue
            }
            outcome.tally.rowsRead += 1
            var failure: (RejectReason, String)?
            // Rows a quote that never closes read into its record (see below).
            var swallowedRows = 0
            if let problem = record.problem {
                switch problem {
                case .unterminatedQuote:
                    // It took in every line after it, to the end of the data (or of a record cut at the length
                    // limit): those lines are counted as rows rejected with it, so that the ledger's rows follow
                    // the file's lines and a reject limit sees what was lost.
                    swallowedRows = Self.linesHoldingSomething(base, after: recordStart, to: position)
                    failure = (.unterminatedQuote, "unterminated quoted field (a \" opens a field that never closes)"
                        + (swallowedRows == 0 ? "" : swallowedRows == 1 ? ": the line after it was read into it, and is rejected with it"
                            : ": the \(swallowedRows) lines after it were read into it, and are rejected with it"))
                case .malformedJSON:
                    // A string that never closes reads the objects after it into this one (objects one after
                    // another, with no line ends to stop at): they are counted as rows rejected with it.
                    swallowedRows = JSONRecordScanner.objectsTakenIn(in: base, from: recordStart, to: position)
                    failure = (.malformedJSON, "not a well-formed JSON object" + (swallowedRows == 0 ? ""
                        : swallowedRows == 1 ? ": the object after it was read into it (a string that never closes?), and is rejected with it"
                        : ": the \(swallowedRows) objects after it were read into it (a string that never closes?), and are rejected with it"))
                    if job.endIsGuessed && position == job.end
                        && JSONRecordScanner.firstObjectEnd(in: base + recordStart, count: position - recordStart) == nil {
                        outcome.endsInsideObject = true
                    }
                case .textAfterClosingQuote(let field):
                    let name = field < job.layout.headerNames.count ? Escaping.excerpt(job.layout.headerNames[field]) : "field \(field + 1)"
                    failure = (.malformedQuotes, "\(name): text after the closing quote")
                    if let rows = Self.rowsRunOverByAQuote(base, newlineCount: record.newlineCount, from: recordStart, to: position,
                                                           delimiter: strayQuoteDelimiter, columnCount: columnCount) {
                        swallowedRows = rows
                        failure!.1 += ", and its " + Self.runOver(rows)
                    }
                }
            } else if let rows = Self.rowsRunOverByAQuote(base, newlineCount: record.newlineCount, from: recordStart, to: position,
                                                          delimiter: strayQuoteDelimiter, columnCount: columnCount) {
                // A stray quote (`"` opening a field that was not meant to be quoted) that a later quote
                // happens to close: the lines between were read into one field, and the record may even
                // have the right field count. They are rejected with it, as for a quote that never closes, and said.
                swallowedRows = rows
                failure = (.malformedQuotes, "a " + Self.runOver(rows))
            } else if record.fieldCount != columnCount {
                // Rows that end in a carriage return alone after a header that does not (a "CSV (Macintosh)" export
                // appended to a file) are one record: its lines are rejected with it, and said (a review found 50
                // rows counted as one rejected row, status 0).
                let lines = Self.linesAfterBareCarriageReturns(base, from: recordStart, to: position, quote: readsJSON ? nil : ASCII.quote)
                // One more, empty, at the end: a trailing delimiter the header lacks (every row of such an export was
                // rejected with no word why). Not read without it: a row shifted by an unquoted delimiter in a text field
                // looks the same, and was read with wrong values (the second diff review). Said, with what to do.
                let trailing = lines == 0 && record.fieldCount == columnCount + 1 && !readsJSON
                    && blankRowDelimiter.map { Self.endsWithEmptyField(base, from: recordStart, to: position, delimiter: $0) } == true
                // Fewer: a line break inside an unquoted field splits a row so, and a spreadsheet that leaves off a row's empty
                // last cells (Excel does, after a file's first rows) looks the same: not read, but said (an exports review saw
                // only "expected 7 fields, found 6").
                let short = record.fieldCount < columnCount && !readsJSON
                failure = (.wrongFieldCount, trailing ? "expected \(columnCount) fields, found \(record.fieldCount): the row ends in a delimiter "
                    + "the header does not; if every row does (a trailing delimiter), end the header line with one too"
                    : lines == 0 && short ? "expected \(columnCount) fields, found \(record.fieldCount): the row leaves off the last "
                    + "\(columnCount - record.fieldCount == 1 ? "one" : "\(columnCount - record.fieldCount)") (a line break in an unquoted field, "
                    + "or a spreadsheet that left off the empty cells at the end of the row)"
                    : lines == 0 ? "expected \(columnCount) fields, found \(record.fieldCount)"
                    : "expected \(columnCount) fields, found \(record.fieldCount): the line holds \(lines) carriage \(lines == 1 ? "return" : "returns") "
                    + "with no line feed after \(lines == 1 ? "it" : "them") (lines that end so, as classic Mac OS wrote them, are not read), and the "
                    + "\(lines) \(lines == 1 ? "row" : "rows") after \(lines == 1 ? "it is" : "them are") rejected with it; convert the file first: "
                    + HeaderReader.carriageReturnAdvice(path: job.path))
                swallowedRows = lines
            } else {
                scratch.reset()
                rowHasDateWithoutTime = false
                timesWithoutSecondsBeforeRow = timestamps.minuteTimes.withoutSeconds
                if let columns = contactColumns {
                    failure = decodeContact(columns, &outcome)
                } else if let columns = incidentColumns {
                    failure = decodeIncident(columns, &outcome)
                } else if let mappedReference {
                    failure = mappedReference._withUnsafeGuaranteedRef { decodeMapped($0, &outcome) }
                    millisecondDurations.endRow()
                    // A row of nothing but delimiters that a skip rule took (`{"not": "Inbound"}` takes an
                    // empty field) is a blank row, as without the rule.
                    if skippedByRule {
                        skippedByRule = false
                        if let delimiter = blankRowDelimiter, Self.holdsOnlyDelimiters(base, from: recordStart, to: position, delimiter: delimiter) {
                            outcome.tally.skipped[SkipReason.configRule.index] -= 1
                            outcome.tally.skipped[SkipReason.blankRow.index] += 1
                        } else if !readsJSON, let delimiter = blankRowDelimiter, position - recordStart >= headerLength,
                                  let repeated = Self.skippedRowRepeatsHeader(base, from: recordStart, to: position, delimiter: delimiter, names: job.layout.headerNames) {
                            // The header again, which the rule took before the check below could see it (in another order,
                            // the rows after it were misread with status 0; the diff review).
                            outcome.tally.skipped[SkipReason.configRule.index] -= 1
                            if repeated == .inOrder {
                                outcome.tally.skipped[SkipReason.repeatedHeader.index] += 1
                            } else {
                                failure = (.headerInOtherOrder, Self.headerInOtherOrder)
                            }
                        }
                    }
                }
            }
            if let (reason, given) = failure {
                var message = given
                if reason == .invalidArrivedAt, message == Self.emptyArrival, let mappedReference {
                    message = mappedReference._withUnsafeGuaranteedRef { whyArrivalIsEmpty($0) }
                } else if reason == .missingChannel, let mappedReference {
                    message = mappedReference._withUnsafeGuaranteedRef { $0.label("channel", column: $0.channel.first ?? -1) } + ": empty"
                }
                // A row of nothing but delimiters fails for lack of a channel or a field count: it is skipped
                // as `blank_row` instead (checked here, so accepted rows pay nothing for it).
                if record.problem == nil, let delimiter = blankRowDelimiter,
                   Self.holdsOnlyDelimiters(base, from: recordStart, to: position, delimiter: delimiter) {
                    outcome.tally.skipped[SkipReason.blankRow.index] += 1
                    continue
                }
                // The header again, where files were joined one after another (`cat a.csv b.csv`, each with its
                // header, or a byte order mark before it): not data, skipped and said (it was rejected as a bad time).
                var reason = reason
                if record.problem == nil, let delimiter = blankRowDelimiter,
                   let repeated = Self.repeatsHeader(base, from: recordStart, to: position, delimiter: delimiter, names: job.layout.headerNames) {
                    if repeated == .inOrder {
                        outcome.tally.skipped[SkipReason.repeatedHeader.index] += 1
                        continue
                    }
                    // In another order, the rows after it would be misread without a word (a review: category
                    // labels counted as channels, 999 calls 10 → 4, status 0): rejected, and the run refused.
                    reason = .headerInOtherOrder
                    message = Self.headerInOtherOrder
                }
                // JSON records: a DOS Ctrl-Z among the spaces after the last object, likewise.
                if readsJSON && Self.holdsOnlyBlanks(base, from: recordStart, to: position) {
                    outcome.tally.skipped[SkipReason.blankRow.index] += 1
                    continue
                }
                outcome.tally.rejected[reason.index] += 1 + swallowedRows
                outcome.tally.rowsRead += swallowedRows
                outcome.rowsTakenInByQuotes += swallowedRows
                var recordEnd = position
                while recordEnd > recordStart && (base[recordEnd - 1] == ASCII.newline || base[recordEnd - 1] == ASCII.carriageReturn) {
                    recordEnd -= 1
                }
                let record = Array(UnsafeBufferPointer(start: base + recordStart, count: min(recordEnd - recordStart, 4096)))
                outcome.rejects.append(PendingReject(lineIndexInBlock: recordLine, recordInBlock: namesRecords ? outcome.tally.rowsRead - swallowedRows : nil,
                                                     reason: reason, message: message, record: record))
            }
        }
        outcome.newlineCount = lineIndex
        return outcome
    }

    /// The lines after the first of `start..<end` that carriage returns with no line feed after them begin,
    /// outside quoted fields (`quote`), and not empty (those at its end, before its line break, begin none).
    /// A byte at a time: only a record with the wrong number of fields asks.
    static func linesAfterBareCarriageReturns(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, quote: UInt8?) -> Int {
        var stop = end
        while stop > start && (base[stop - 1] == ASCII.newline || base[stop - 1] == ASCII.carriageReturn) { stop -= 1 }
        var count = 0, quoted = false
        for index in start..<stop {
            let byte = base[index]
            if byte == quote {
                quoted.toggle()
            } else if byte == ASCII.carriageReturn && !quoted && index + 1 < stop
                        && base[index + 1] != ASCII.newline && base[index + 1] != ASCII.carriageReturn {
                count += 1
            }
        }
        return count
    }

    /// The lines of `start..<end` after its first that hold something (not blank, not `\r` alone): the
    /// rows a record that runs over them stands for.
    static func linesHoldingSomething(_ base: UnsafePointer<UInt8>, after start: Int, to end: Int) -> Int {
        var count = 0
        var newline = ByteSearch.first(ASCII.newline, in: base, from: start, to: end)
        while newline < end {
            let next = newline + 1
            let lineEnd = ByteSearch.first(ASCII.newline, in: base, from: next, to: end)
            if lineEnd > next && !(lineEnd == next + 1 && base[next] == ASCII.carriageReturn) { count += 1 }
            newline = lineEnd
        }
        return count
    }

    /// The lines after the first of the record `start..<end` that its quoted field ran over, when one of
    /// them holds a row of its own (a stray quote); nil otherwise, and always without `delimiter` (JSON,
    /// or CSV of one column, where there are no delimiters to count).
    @inline(__always)
    static func rowsRunOverByAQuote(_ base: UnsafePointer<UInt8>, newlineCount: Int, from start: Int, to end: Int,
                                    delimiter: UInt8?, columnCount: Int) -> Int? {
        guard let delimiter, runsOverLines(newlineCount, base, end: end),
              holdsRowsOfTheirOwn(base, from: start, to: end, delimiter: delimiter, delimitersPerRow: columnCount - 1) else { return nil }
        return linesHoldingSomething(base, after: start, to: end)
    }

    /// `quoted field runs over the 3 lines after it, which hold rows of their own (a stray quote?): …`
    static func runOver(_ rows: Int) -> String {
        "quoted field runs over the \(DisplayFormat.count(Int64(rows))) \(rows == 1 ? "line" : "lines") after it, "
            + "which hold rows of their own (a stray quote?): they are rejected with it"
    }

    /// Whether a record that ends at `end` with `newlineCount` newlines holds one before its end.
    @inline(__always)
    static func runsOverLines(_ newlineCount: Int, _ base: UnsafePointer<UInt8>, end: Int) -> Bool {
        newlineCount > 1 || (newlineCount == 1 && base[end - 1] != ASCII.newline)
    }

    /// Whether a line of `start..<end` after its first looks like a row (`quotedPartLooksLikeARow`). The
    /// record is one row, so such a line inside one of its quoted fields is most likely a row a stray quote
    /// took in; a note over several lines (an address: "Flat 2, 10 High St, Winchester") has no field that
    /// starts like a time. Looked at only for records over several lines, which are rare.
    @inline(never)  // rare: kept out of the record loop, whose registers it would otherwise share
    static func holdsRowsOfTheirOwn(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, delimiter: UInt8, delimitersPerRow: Int) -> Bool {
        let firstLineEnd = ByteSearch.first(ASCII.newline, in: base, from: start, to: end)
        if firstLineIsARowRunningIntoAQuote(base, from: start, to: firstLineEnd, delimiter: delimiter, delimitersPerRow: delimitersPerRow) { return true }
        var lineStart = firstLineEnd + 1
        // A line with fewer delimiters than a row cannot look like one: its delimiters counted a word at a time, in the
        // pass that finds its end (the byte loop was 49% of the instructions of a review's export with notes over lines;
        // then a pass over the lines together, one for each line's end and one for its delimiters were 69% of another's,
        // notes of 4–12 kB with commas).
        while lineStart < end {
            let (delimiters, lineEnd) = ByteSearch.count(delimiter, before: ASCII.newline, in: base, from: lineStart, to: end)
            if delimiters >= delimitersPerRow
                && quotedPartLooksLikeARow(base, from: lineStart, to: lineEnd, delimiter: delimiter, delimitersPerRow: delimitersPerRow) { return true }
            lineStart = lineEnd + 1
        }
        return false
    }

    /// Whether a record's first line is a whole row whose last fields a quote took into the lines after it: a
    /// quote that opens before the row's last field and stays open, a row's delimiters in all, and a field inside
    /// the quote that starts like a time (`2,"stray,999,2020-04-01 08:10:01,…`). A quote in a later row's field
    /// (`TV 42",`) closes it where a field ends, so that the lines after it show no row of their own. An address
    /// opening on it (`1,"1 High St,`) has neither. A note in the last field that runs over lines is one
    /// (`…,answered,"rang back,2019-04-02 09:00 no answer` and a line more): a review's export lost 1% of its rows so.
    static func firstLineIsARowRunningIntoAQuote(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, delimiter: UInt8,
                                                 delimitersPerRow: Int) -> Bool {
        var inside = false, delimiters = 0, openedAt = 0, timeInside = false
        var position = start
        // From quote to quote: the parts outside have their delimiters counted a word at a time.
        while position < end {
            let quote = ByteSearch.first(ASCII.quote, in: base, from: position, to: end)
            if inside {
                var found = ByteSearch.first(delimiter, in: base, from: position, to: quote)
                while found < quote {
                    delimiters += 1
                    if !timeInside { timeInside = startsLikeATime(base, from: found + 1, to: end) }
                    found = ByteSearch.first(delimiter, in: base, from: found + 1, to: quote)
                }
            } else {
                delimiters += ByteSearch.count(delimiter, in: base, from: position, to: quote)
            }
            guard quote < end else { break }
            if inside && quote + 1 < end && base[quote + 1] == ASCII.quote {
                position = quote + 2  // a doubled quote: the field goes on
                continue
            }
            inside.toggle()
            if inside { (openedAt, timeInside) = (delimiters, false) }
            position = quote + 1
        }
        return inside && timeInside && openedAt < delimitersPerRow && delimiters >= delimitersPerRow
    }

    /// `looksLikeARow` for a line after a record's first, counting only its bytes inside quotes. Such a line
    /// starts inside a quoted field (a line end outside quotes ends a record); what follows the field's
    /// closing quote on the record's last line is the record's own fields, which hold a row's delimiters
    /// and its times: `Southampton, SO14 0AA",999,2020-04-01 08:00:01,…` closing an address is not a row.
    /// Under a stray quote the quotes of the rows it took in swap sides, so their other bytes count; a quote
    /// that closes a field but not where a field ends (`5" screen`) is not a closing quote of a field, and
    /// the whole line counts from there.
    static func quotedPartLooksLikeARow(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, delimiter: UInt8, delimitersPerRow: Int) -> Bool {
        var inside = true, quotesCount = true, delimiters = 0
        var startsWithATime = startsLikeATime(base, from: start, to: end)
        for index in start..<end {
            if base[index] == ASCII.quote && quotesCount {
                let next = index + 1 < end ? base[index + 1] : ASCII.newline
                // Closing where no field ends: a quote in the data, which the rest of the line is read past.
                if inside && next != delimiter && next != ASCII.quote && next != ASCII.carriageReturn && next != ASCII.newline {
                    quotesCount = false
                    continue
                }
                inside.toggle()
            } else if inside && base[index] == delimiter {
                delimiters += 1
                if !startsWithATime { startsWithATime = startsLikeATime(base, from: index + 1, to: end) }
            }
        }
        return delimiters >= delimitersPerRow && startsWithATime
    }

    /// Whether the line `start..<end` looks like a row: at least `delimitersPerRow` delimiters and a field
    /// that starts like a time (`startsLikeATime`).
    static func looksLikeARow(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, delimiter: UInt8, delimitersPerRow: Int) -> Bool {
        guard ByteSearch.count(delimiter, in: base, from: start, to: end) >= delimitersPerRow else { return false }
        var fieldStart = start
        while fieldStart <= end {
            if startsLikeATime(base, from: fieldStart, to: end) { return true }
            fieldStart = ByteSearch.first(delimiter, in: base, from: fieldStart, to: end) + 1
        }
        return false
    }

    /// Whether `start..<end` starts (after an optional quote) like a time: a date, 1 to 4 digits, `-`,
    /// `/` or `.`, 1 or 2 digits, the same separator, 1 to 4 digits (`2019-04-01`, `01/04/2019`,
    /// `1.4.19`); or 6 digits or more (epoch seconds `1554106500`, compact dates `20190401`, `190401`).
    static func startsLikeATime(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var index = start
        if index < end && base[index] == ASCII.quote { index += 1 }
        func digits(_ range: ClosedRange<Int>) -> Bool {
            let first = index
            while index < end && index - first < range.upperBound && base[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            return range.contains(index - first)
        }
        let first = index
        if digits(6...6) { return true }
        index = first
        guard digits(1...4), index < end else { return false }
        let separator = base[index]
        guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") || separator == UInt8(ascii: ".") else { return false }
        index += 1
        guard digits(1...2), index < end, base[index] == separator else { return false }
        index += 1
        return digits(1...4)
    }

    /// Whether the bytes are only spaces, tabs, line ends and Ctrl-Z (the DOS end-of-file mark): what may
    /// stand between JSON records, where `""` is not blank (`holdsOnlyDelimiters` takes it, as CSV's).
    static func holdsOnlyBlanks(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        (start..<end).allSatisfy {
            switch base[$0] {
            case ASCII.space, ASCII.tab, ASCII.newline, ASCII.carriageReturn, 0x1A: true
            default: false
            }
        }
    }

    /// Whether the record `start..<end` ends in `delimiter` (before its line break): its last field is empty and
    /// unquoted. Only a record with a field more than the header asks.
    @inline(never)  // rare: kept out of the record loop (inlined with the header checks: +0.7% of a run's instructions, against +0.2%)
    static func endsWithEmptyField(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, delimiter: UInt8) -> Bool {
        var stop = end
        while stop > start && (base[stop - 1] == ASCII.newline || base[stop - 1] == ASCII.carriageReturn) { stop -= 1 }
        return stop > start && base[stop - 1] == delimiter
    }

    enum HeaderRepeat { case inOrder, inOtherOrder }

    static let headerInOtherOrder = "the header again, its columns in another order: the rows after it would be read in the first header's order"

    /// `repeatsHeader` for a row a config's rule skipped, once its first field is one of the header's names (a data
    /// row's seldom is): most such rows stop at that, with no allocation.
    @inline(never)  // rare: kept out of the record loop
    static func skippedRowRepeatsHeader(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, delimiter: UInt8, names: [String]) -> HeaderRepeat? {
        guard firstField(base, from: start, to: end, delimiter: delimiter, isOneOf: names) else { return nil }
        return repeatsHeader(base, from: start, to: end, delimiter: delimiter, names: names)
    }

    /// Whether the record's first field (after a byte order mark; its quotes and the spaces around it left out, ASCII
    /// letters in lower case) is one of `names`.
    static func firstField(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, delimiter: UInt8, isOneOf names: [String]) -> Bool {
        var low = start
        while end - low >= 3 && base[low] == 0xEF && base[low + 1] == 0xBB && base[low + 2] == 0xBF { low += 3 }
        var high = low
        while high < end, base[high] != delimiter, base[high] != ASCII.newline, base[high] != ASCII.carriageReturn { high += 1 }
        func isBlank(_ byte: UInt8) -> Bool { byte == ASCII.space || byte == ASCII.tab || byte == ASCII.quote }
        while low < high && isBlank(base[low]) { low += 1 }
        while high > low && isBlank(base[high - 1]) { high -= 1 }
        return names.contains { name in
            name.utf8.count == high - low && name.utf8.enumerated().allSatisfy { offset, byte in
                let given = base[low + offset]
                return (given >= 0x41 && given <= 0x5A ? given + 0x20 : given) == byte
            }
        }
    }

    /// Whether the record `start..<end` names the header's columns again (`names`: trimmed, lower case), after
    /// any byte order marks, and in which order; quoted names may hold the delimiter, and an empty field after
    /// the last name (a trailing delimiter) is not one. Only a failed record asks.
    @inline(never)  // rare: kept out of the record loop (inlined with the header checks: +0.7% of a run's instructions, against +0.2%)
    static func repeatsHeader(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, delimiter: UInt8, names: [String]) -> HeaderRepeat? {
        guard delimiter < 0x80, !names.isEmpty else { return nil }
        var line = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        while line.hasPrefix("\u{FEFF}") { line.removeFirst() }
        var fields = Self.fields(of: line, delimiter: Character(Unicode.Scalar(delimiter))).map { $0.trimmingASCIISpaces().lowercased() }
        if fields.count == names.count + 1 && fields.last == "" { fields.removeLast() }
        if fields == names { return .inOrder }
        return fields.sorted() == names.sorted() ? .inOtherOrder : nil
    }

    /// The fields of one CSV line, RFC 4180's way (quotes taken off, `""` in a quoted field as `"`, spaces around a
    /// quoted field dropped), for the rare row that is looked at whole.
    static func fields(of line: String, delimiter: Character) -> [String] {
        var fields: [String] = [], field = "", quoted = false, wasQuoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            if quoted {
                if character == "\"" {
                    // A doubled quote is one; a lone one closes the field.
                    var lookahead = characters
                    if lookahead.next() == "\"" { field.append("\""); characters = lookahead } else { quoted = false }
                } else {
                    field.append(character)
                }
            } else if character == delimiter {
                fields.append(field); field = ""; wasQuoted = false
            } else if character == "\"" && !wasQuoted && field.allSatisfy({ $0 == " " || $0 == "\t" }) {
                field = ""; quoted = true; wasQuoted = true
            } else if !(wasQuoted && (character == " " || character == "\t" || character.isNewline)) {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }

    /// Whether every field of the record is empty, written as nothing, as spaces or as `""` (exports that
    /// quote every field write a blank row as `"",""…`): its bytes are delimiters, spaces, tabs, Ctrl-Z,
    /// `""` pairs that open a field, and line ends.
    static func holdsOnlyDelimiters(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, delimiter: UInt8) -> Bool {
        var index = start
        var atFieldStart = true
        while index < end {
            let byte = base[index]
            if byte == ASCII.quote && atFieldStart && index + 1 < end && base[index + 1] == ASCII.quote {
                index += 2  // an empty quoted field: the next byte must end it
                atFieldStart = false
                continue
            }
            // Spaces and tabs are trimmed from every field; Ctrl-Z is the end-of-file mark old DOS tools append.
            let isSpace = byte == ASCII.space || byte == ASCII.tab || byte == 0x1A
            guard isSpace || byte == delimiter || byte == ASCII.newline || byte == ASCII.carriageReturn else { return false }
            atFieldStart = byte == delimiter || (atFieldStart && isSpace)
            index += 1
        }
        return true
    }

    private func rejectTooLong(_ job: BlockJob) -> BlockOutcome {
        var outcome = BlockOutcome(sequence: job.sequence, fileIndex: job.fileIndex, newlineCount: 0)
        let base = UnsafePointer(job.buffer.base)
        outcome.newlineCount = ByteSearch.count(ASCII.newline, in: base, from: job.start, to: job.end) + job.droppedNewlines
        outcome.tally.rowsRead = 1
        outcome.tally.rejected[RejectReason.recordTooLong.index] = 1
        let kept = min(job.end - job.start, RecordTooLong.keptBytes)
        outcome.rejects.append(PendingReject(
            lineIndexInBlock: 0, reason: .recordTooLong,
            message: job.layout.isJSON
                ? "an object of more than \(options.maximumRecordBytes >> 20) MiB\(job.recordNeverCloses ? " that never closes, so everything after it is part of it" : "") (only its first \(kept) bytes are kept)"
                : "a line of more than \(options.maximumRecordBytes >> 20) MiB with no line break (only its first \(kept) bytes are kept)",
            record: Array(UnsafeBufferPointer(start: base + job.start, count: kept))))
        return outcome
    }

    // MARK: Fields

    /// The field's bytes with quotes undone and surrounding spaces trimmed.
    @inline(__always)
    mutating func field(_ index: Int) -> UnsafeRawBufferPointer {
        let span = spans[index]
        var start: UnsafePointer<UInt8> = block + span.start
        var count = span.count
        if span.hasEscapedQuote {
            let destination = scratch.reserve(span.count)
            count = readsJSON ? JSONRecordScanner.unescape(span, in: block, into: destination)
                : CSVRecordScanner.unescape(span, in: block, into: destination)
            start = UnsafePointer(destination)
        }
        // One test of both ends for the usual field, which starts and ends with neither a space nor a tab
        // (both are at or below the space); the loops trim the rest.
        if count > 0 && (start[0] <= ASCII.space || start[count &- 1] <= ASCII.space) {
            while count > 0 && (start[0] == ASCII.space || start[0] == ASCII.tab) { start += 1; count -= 1 }
            while count > 0 && (start[count - 1] == ASCII.space || start[count - 1] == ASCII.tab) { count -= 1 }
        }
        return UnsafeRawBufferPointer(start: start, count: count)
    }

    func text(_ bytes: UnsafeRawBufferPointer) -> String {
        let shown = bytes.count > 80 ? String(decoding: bytes.prefix(77), as: UTF8.self) + "..." : String(decoding: bytes, as: UTF8.self)
        return "\"\(shown)\""
    }

    private enum TimestampField { case absent, empty, invalid, value(Int64) }

    /// The reject for a timestamp the parser refused; one written day-month that some order reads is
    /// counted, as the run may not know its date order (`Ledger.dayMonthDatesRejected`).
    mutating func invalidTimestamp(_ reason: RejectReason, _ name: String, _ column: Int,
                                   _ outcome: inout BlockOutcome, expected: InvalidTime = .timestamp) -> (RejectReason, String) {
        let bytes = field(column)
        switch expected {
        case .timestamp:
            guard readsInAnotherDateOrder(bytes) else { return (reason, "\(name): expected a timestamp, found \(text(bytes))") }
            outcome.tally.dayMonthDatesRejected += 1
            // No order given, the default (ISO) is not one to name: the date is day or month first.
            let order = timestamps.dateOrder == .yearFirst ? "a day- or month-first date" : "a date in another order than \(Self.orderWords[timestamps.dateOrder]!)"
            return (reason, "\(name): expected a timestamp, found \(text(bytes)), \(order); see --date-order")
        case .formattedTimestamp: return (reason, "\(name): expected a timestamp, found \(text(bytes))")
        case .duration(let unit):
            let negative = bytes.first == UInt8(ascii: "-") ? " (a duration is not negative)" : ""
            let seconds = !negative.isEmpty || unit == .clock ? ""
                : (1...2).contains(bytes.count { $0 == UInt8(ascii: ":") }) ? " (hours, minutes and seconds? then the config's \"unit\" is \"hh:mm:ss\")"
                : unit == .milliseconds && bytes.contains(UInt8(ascii: ".")) ? " (milliseconds are whole: with a fraction, is it seconds? then the config's \"unit\" is \"s\")"
                : ""
            return (reason, "\(name): expected a duration in \(unit.rawValue), found \(text(bytes))\(negative)\(seconds)")
        case .inRange: return (reason, "\(name): the duration \(text(bytes)) puts it outside years 0001-9999")
        }
    }

    /// Whether a timestamp this run's date order refused reads whole in another (`13/04/2019 10:00`
    /// under `ymd` or `mdy`): only then is its order what is wrong (`Ledger.dayMonthDatesRejected`).
    private func readsInAnotherDateOrder(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard DayMonthDates.readings(bytes) != nil else { return false }
        for order in [DateOrder.dayFirst, .monthFirst] where order != timestamps.dateOrder {
            var parser = TimestampParser(rules: zone.rules, dateOrder: order)
            if parser.parse(bytes) != nil { return true }
        }
        return false
    }

    private static let orderWords: [DateOrder: String] = [.dayFirst: "day first (dmy)", .monthFirst: "month first (mdy)"]

    /// What a mapped time that could not be read was expected to be, for its message.
    enum InvalidTime {
        /// A single-column timestamp (whose date order may be what is wrong).
        case timestamp
        /// A time read with the config's own date and time formats.
        case formattedTimestamp
        case duration(DurationUnit)
        /// An offset that lands outside years 0001–9999.
        case inRange
    }

    /// Naive local times of one row that fell in a repeated or skipped hour (counted once the row is
    /// accepted). Eight bytes, all zero for almost every row (measured: a struct of wider fields cost
    /// 70 instructions a row).
    struct LocalTimeCounts {
        var repeated: UInt8 = 0
        var skipped: UInt8 = 0
        /// Bit `slot` set: the row's time in that slot (arrival, answer, end) was repeated or skipped.
        var repeatedSlots: UInt8 = 0
        var skippedSlots: UInt8 = 0
        /// 1 when the row's times were read together and one took its other reading.
        var paired: UInt8 = 0

        @inline(__always)
        mutating func note(_ kind: LocalTimeKind, slot: Int) {
            if kind == .repeated {
                repeated &+= 1
                repeatedSlots |= 1 << slot
            } else if kind == .skipped {
                skipped &+= 1
                skippedSlots |= 1 << slot
            }
        }

        /// The kind of the time in `slot`.
        func kind(_ slot: Int) -> LocalTimeKind {
            repeatedSlots & 1 << slot != 0 ? .repeated : skippedSlots & 1 << slot != 0 ? .skipped : .unique
        }
    }

    /// Reads a row's arrival, answer and end together when one of them was an ambiguous naive time
    /// (`ClockChangePairing`); one test for every other row.
    /// `ties`: for a mapped row, the slot each time is an offset from (-1: none); such a time has the
    /// reading its base has. `slack` (`ClockChangePairing.slack`) is asked for only then: how far the answer
    /// and the end may stand before the time they follow and still be taken as in order.
    @inline(__always)
    mutating func readTogether(_ arrived: inout Int64, _ answered: inout Int64?, _ ended: inout Int64?, _ tally: inout LocalTimeCounts,
                               ties: (Int, Int, Int) = (-1, -1, -1), slack: (inout Self) -> (answered: Int64, ended: Int64)) {
        guard tally.repeatedSlots | tally.skippedSlots != 0 else { return }
        pairAcrossClockChange(&arrived, &answered, &ended, &tally, ties: ties, slack: slack(&self))
    }

    /// `readTogether` for a plain contacts row: `minuteCounts` are the counts of times without seconds after
    /// its arrival and after its answer were read (a time that adds one has none); `fractionSlack` the
    /// `fractionSlack(…)` of its times.
    @inline(never)
    private mutating func readTogether(_ arrived: inout Int64, _ answered: inout Int64?, _ ended: inout Int64?, _ tally: inout LocalTimeCounts,
                                       minuteCounts: (afterArrival: Int, afterAnswer: Int), fractionSlack: (answered: Int64, ended: Int64)) {
        let endCount = timestamps.minuteTimes.withoutSeconds
        readTogether(&arrived, &answered, &ended, &tally) { _ in
            (max(minuteCounts.afterAnswer != minuteCounts.afterArrival ? 59 : 0, fractionSlack.answered),
             max(endCount != minuteCounts.afterAnswer ? 59 : 0, fractionSlack.ended))
        }
    }

    /// The second a later time's whole seconds may stand before an earlier one's when its fraction is the larger:
    /// 01:30:00.900 answering 01:30:01.100 is a wait of -0.2 s, 0 s as `wholeSeconds` truncates it, not out of
    /// order (across the autumn clock change, read as out of order, it took the answer's other reading, an hour
    /// later: the review of 7 December 2026).
    static func fractionSlack(arrived: Int64, answered: Int64?, ended: Int64) -> (answered: Int64, ended: Int64) {
        (answered.map { $0 > arrived ? 1 : 0 } ?? 0, ended > (answered ?? arrived) ? 1 : 0)
    }

    private mutating func pairAcrossClockChange(_ arrived: inout Int64, _ answered: inout Int64?, _ ended: inout Int64?,
                                                _ tally: inout LocalTimeCounts, ties: (Int, Int, Int), slack: (answered: Int64, ended: Int64)) {
        let rules = zone.rules
        var shifts: [Int64] = [rules.otherReadingShift(ofUTC: arrived, kind: tally.kind(Self.arrivalSlot)),
                      answered.map { rules.otherReadingShift(ofUTC: $0, kind: tally.kind(Self.answerSlot)) } ?? 0,
                      ended.map { rules.otherReadingShift(ofUTC: $0, kind: tally.kind(Self.endSlot)) } ?? 0]
        // A time that is an offset takes its base's shift (twice over: a chain of two offsets).
        for _ in 0..<2 {
            for (slot, base) in [(0, ties.0), (1, ties.1), (2, ties.2)] where base >= 0 { shifts[slot] = shifts[base] }
        }
        var pairing = ClockChangePairing(arrived: arrived, answered: answered, ended: ended, slack: slack)
        guard pairing.resolve(shifts: (shifts[0], shifts[1], shifts[2]), ties: ties) else { return }
        arrived = pairing.arrived
        answered = pairing.answered
        ended = pairing.ended
        tally.paired = 1
    }

    /// Slots of a row's times in `LocalTimeCounts`.
    static let arrivalSlot = 0, answerSlot = 1, endSlot = 2

    @inline(__always)
    private mutating func timestamp(_ column: Int?, _ tally: inout LocalTimeCounts, slot: Int,
                                    sharingDateWith reference: SameDateReference? = nil,
                                    orRecentArrivals readsRecentArrivals: Bool = false) -> TimestampField {
        guard let column else { return .absent }
        // The parser trims spaces itself, so plain fields skip `field`'s trimming.
        let span = spans[column]
        let plain = !span.hasEscapedQuote && (span.count == 0 || (block[span.start] != ASCII.tab && block[span.end - 1] != ASCII.tab))
        let bytes = plain ? UnsafeRawBufferPointer(start: block + span.start, count: span.count) : field(column)
        if bytes.isEmpty { return .empty }
        if (bytes[0] == ASCII.space || bytes[0] == ASCII.tab) && bytes.allSatisfy({ $0 == ASCII.space || $0 == ASCII.tab }) { return .empty }
        // measured: answer and end times usually share the arrival's date and offset (14% of all instructions
        // saved), and arrivals a recent arrival's (`RecentArrivalDates`, read instead of `reference` for arrivals)
        let reference = readsRecentArrivals ? recentArrivals.candidate(for: bytes) : reference
        if let reference, let shared = reference.sharingDate(bytes) {
            timestamps.minuteTimes.countSeconds(of: bytes, at: 11)  // as the parser would have
            lastTimestamp = shared
            lastMilliseconds = shared.milliseconds
            return .value(shared.utc)
        }
        guard let parsed = timestamps.parse(bytes) else { return .invalid }
        if !parsed.hasTimeOfDay { rowHasDateWithoutTime = true }
        lastMilliseconds = parsed.milliseconds
        lastTimestamp = SameDateReference(bytes: bytes, utc: parsed.utcSeconds)
        // Kept for later rows only when the bytes are in the block, not in the per-row scratch buffer.
        if readsRecentArrivals && plain, let lastTimestamp { recentArrivals.remember(lastTimestamp) }
        if let kind = parsed.kind { tally.note(kind, slot: slot) }
        return .value(parsed.utcSeconds)
    }

    /// The period key of an instant at this run's grain, or nil when its local date is filtered out.
    @inline(__always)
    mutating func period(ofUTC utcSeconds: Int64) -> Int64? {
        let localSeconds = utcSeconds &+ zone.offsetSeconds(atUTC: utcSeconds)
        let localDay = floorDivide(localSeconds, 86_400)
        if let fromDay = options.fromDay, localDay < fromDay { return nil }
        if let toDay = options.toDay, localDay > toDay { return nil }
        if !options.dayWindows.isEmpty && !options.dayWindows.contains(where: { $0.contains(localDay) }) { return nil }
        switch options.grain {
        case .utcQuarterHour:
            return floorDivide(utcSeconds, 900)
        case .local(let unit):
            if unit.isSubDay { return unit.key(localSeconds: localSeconds) }
            if localDay < cachedFirstDay || localDay > cachedLastDay {
                cachedDayPeriod = unit.key(localDay: localDay)
                (cachedFirstDay, cachedLastDay) = (unit.firstLocalDay(key: cachedDayPeriod), unit.lastLocalDay(key: cachedDayPeriod))
            }
            return cachedDayPeriod
        }
    }

    // MARK: Contacts

    /// The channel's label id (0 once the run has too many labels: `failure`, and the run fails).
    mutating func channelId(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        // Fast path: the well-known labels, already lower case.
        switch bytes.count {
        case 3:
            if bytes[0] == UInt8(ascii: "9") && bytes[1] == UInt8(ascii: "9") && bytes[2] == UInt8(ascii: "9") { return 0 }
            if bytes[0] == UInt8(ascii: "1") && bytes[1] == UInt8(ascii: "0") && bytes[2] == UInt8(ascii: "1") { return 1 }
        case 6 where Self.equals(bytes, "online"): return 2
        case 7 where Self.equals(bytes, "webchat"): return 3
        default: break
        }
        return otherChannelId(bytes)
    }

    /// `channelId` of a label other than the four well-known ones: out of line, so that theirs stays short
    /// (measured: inline, the float check below cost every row 3 instructions).
    @inline(never)
    private mutating func otherChannelId(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        // A number written as a float (`999.0`, as pandas writes a column with a blank in it) is its
        // whole number: the same channel, not one that no threshold or table row knows.
        if let wholeNumberLength = Self.wholeNumberLength(bytes) {
            return channelId(UnsafeRawBufferPointer(rebasing: bytes[..<wholeNumberLength]))
        }
        let lowered = scratch.reserve(bytes.count)
        for (offset, byte) in bytes.enumerated() {
            lowered[offset] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
        }
        let id = channelLabels.id(for: UnsafeRawBufferPointer(start: lowered, count: bytes.count))
        while isSubmissionChannel.count <= Int(id) {
            isSubmissionChannel.append(options.submissionChannels.contains(channelLabels.labels[isSubmissionChannel.count]))
        }
        return id
    }

    /// Whether `bytes` may be a whole number written as a float (`wholeNumberLength`): they end in `0`. Most labels
    /// end otherwise, and a mapped export's queue names that its map does not hold reach this for every row.
    @inline(__always)
    static func mayBeWholeNumber(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 3 && bytes[bytes.count - 1] == UInt8(ascii: "0")
    }

    /// The length of `bytes` before `.0…` when they are digits, a point and zeros only (`999.0`, `101.00`).
    static func wholeNumberLength(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard mayBeWholeNumber(bytes), let point = bytes.firstIndex(of: UInt8(ascii: ".")), point > 0, point + 1 < bytes.count,
              bytes[..<point].allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }),
              bytes[(point + 1)...].allSatisfy({ $0 == UInt8(ascii: "0") })
        else { return nil }
        return point
    }

    /// "answered" and the first eight bytes of "abandoned" as little-endian words (what an unaligned load of
    /// them gives; `IngestEdgeCaseTests.outcomeWordsMatchOnlyLetterCases` tries every byte of them). Literals: a
    /// `static let` with an initialiser costs a `swift_once` check at each use, a row.
    private static var answeredWord: UInt64 { 0x6465_7265_7773_6E61 }
    private static var abandoneWord: UInt64 { 0x656E_6F64_6E61_6261 }

    @inline(__always)
    private static func equals(_ bytes: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        bytes.count == word.utf8CodeUnitCount && memcmp(bytes.baseAddress!, word.utf8Start, bytes.count) == 0
    }

    /// A `referred_to` that says the incident was not referred, in any case: `none`, and the other ways
    /// exports write it (`no`, `n`, `false`, `0`, `not referred`, and `nil` as UK forms write "none"), which
    /// were counted as partner agencies.
    static func saysNotReferred(_ value: UnsafeRawBufferPointer) -> Bool {
        equalsIgnoringCase(value, "none") || equalsIgnoringCase(value, "no") || equalsIgnoringCase(value, "n") || equalsIgnoringCase(value, "nil")
            || equalsIgnoringCase(value, "false") || equals(value, "0") || equalsIgnoringCase(value, "not referred")
    }

    /// A `referred_to` that holds no value: empty, or a placeholder (`n/a`, `na`, `null`, `-`), which were
    /// counted as partner agencies. Not recorded.
    static func saysNoValue(_ value: UnsafeRawBufferPointer) -> Bool {
        value.isEmpty || equalsIgnoringCase(value, "n/a") || equalsIgnoringCase(value, "na") || equalsIgnoringCase(value, "null")
            || equals(value, "-")
    }

    /// Whether `bytes` spell `word` (lower-case letters) in any case.
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let expected = word.utf8Start
        for index in 0..<bytes.count where bytes[index] | 0x20 != expected[index] { return false }
        return true
    }

    private mutating func decodeContact(_ columns: ContactColumns, _ outcome: inout BlockOutcome) -> (RejectReason, String)? {
        let channelBytes = field(columns.channel)
        if channelBytes.isEmpty { return (.missingChannel, "channel: empty") }
        let channel = channelId(channelBytes)

        var tally = LocalTimeCounts()
        var arrived: Int64
        switch timestamp(columns.arrivedAt, &tally, slot: Self.arrivalSlot, orRecentArrivals: true) {
        case .value(let seconds): arrived = seconds
        case .empty, .absent: return (.invalidArrivedAt, "arrived_at: empty")
        case .invalid: return invalidTimestamp(.invalidArrivedAt, "arrived_at", columns.arrivedAt, &outcome)
        }
        let arrival = lastTimestamp, arrivedMilliseconds = lastMilliseconds
        let withoutSecondsAfterArrival = timestamps.minuteTimes.withoutSeconds
        var answered: Int64?
        switch timestamp(columns.answeredAt, &tally, slot: Self.answerSlot, sharingDateWith: arrival) {
        case .value(let seconds): answered = seconds
        case .invalid: return invalidTimestamp(.invalidAnsweredAt, "answered_at", columns.answeredAt!, &outcome)
        case .empty, .absent: break
        }
        let answeredMilliseconds = lastMilliseconds
        let withoutSecondsAfterAnswer = timestamps.minuteTimes.withoutSeconds
        var ended: Int64?
        var endedMilliseconds: Int64 = 0
        switch timestamp(columns.endedAt, &tally, slot: Self.endSlot, sharingDateWith: arrival) {
        case .value(let seconds): (ended, endedMilliseconds) = (seconds, lastMilliseconds)
        case .invalid: return invalidTimestamp(.invalidEndedAt, "ended_at", columns.endedAt!, &outcome)
        case .empty, .absent: break
        }
        if tally.repeatedSlots | tally.skippedSlots != 0 {  // out of line: the closure cost every row 10 instructions
            readTogether(&arrived, &answered, &ended, &tally, minuteCounts: (withoutSecondsAfterArrival, withoutSecondsAfterAnswer),
                         fractionSlack: Self.fractionSlack(arrived: arrivedMilliseconds, answered: answered == nil ? nil : answeredMilliseconds,
                                                           ended: endedMilliseconds))
        }

        var kind: ContactContribution.Outcome
        var abandonedForEmptyAnswerTime = false
        if Int(channel) < isSubmissionChannel.count && isSubmissionChannel[Int(channel)] {
            kind = .submitted
        } else if let outcomeColumn = columns.outcome, case let label = field(outcomeColumn), !label.isEmpty {
            // Eight bytes at a time: `| 0x20` lower-cases letters (and only letters can then match).
            let head = label.count >= 8 ? UInt64(littleEndian: label.loadUnaligned(as: UInt64.self)) | 0x2020_2020_2020_2020 : 0
            kind = label.count == 8 && head == Self.answeredWord ? .answered
                : label.count == 9 && head == Self.abandoneWord && label[8] | 0x20 == UInt8(ascii: "d") ? .abandoned : .other
            if kind == .other { outcome.otherOutcomeWords.add(label) }
        } else if columns.answeredAt != nil {
            kind = answered != nil ? .answered : .abandoned
            abandonedForEmptyAnswerTime = kind == .abandoned
        } else {
            kind = .unknown  // no outcome and no answer time: whether it was answered is not known
        }

        var wait: Int64 = -1
        var handle: Int64 = -1
        // A date alone (read as midnight) measures nothing: the row counts, untimed.
        switch rowHasDateWithoutTime ? .other : kind {
        case .answered:
            if let answered {
                wait = Self.wholeSeconds(answered &- arrived, answeredMilliseconds &- arrivedMilliseconds)
                if wait < 0 {
                    guard Self.isWithinItsMinute(wait, laterHasNoSeconds: withoutSecondsAfterAnswer != withoutSecondsAfterArrival) else {
                        return (.negativeWait, "answered_at: before arrived_at (wait \(wait) s)")
                    }
                    wait = 0
                }
                if let ended {
                    handle = Self.wholeSeconds(ended &- answered, endedMilliseconds &- answeredMilliseconds)
                    if handle < 0 {
                        guard Self.isWithinItsMinute(handle, laterHasNoSeconds: timestamps.minuteTimes.withoutSeconds != withoutSecondsAfterAnswer) else {
                            return (.negativeHandleTime, "ended_at: before answered_at (handle time \(handle) s)")
                        }
                        handle = 0
                    }
                }
            }
        case .abandoned:
            if let ended {
                wait = Self.wholeSeconds(ended &- arrived, endedMilliseconds &- arrivedMilliseconds)
                if wait < 0 {
                    guard Self.isWithinItsMinute(wait, laterHasNoSeconds: timestamps.minuteTimes.withoutSeconds != withoutSecondsAfterAnswer) else {
                        return (.negativeWait, "ended_at: before arrived_at (wait \(wait) s)")
                    }
                    wait = 0
                }
            }
        case .other, .submitted, .unknown:
            break
        }
        var wrapUp: Int64 = -1
        if let wrapColumn = columns.wrapUpSeconds, handle >= 0 {
            let bytes = field(wrapColumn)
            if !bytes.isEmpty {
                guard let milliseconds = MappedFields.durationMilliseconds(bytes, .seconds) else {
                    return (.invalidField, "wrap_up_seconds: expected a duration in s, found \(text(bytes))")
                }
                if let ended, let answered {
                    wrapUp = Self.wrapUpSeconds(milliseconds, handle: handle, exact: (ended &- answered, endedMilliseconds &- answeredMilliseconds))
                }
            }
        }
        // The wait is timed in minutes when its own two times are (an end time without seconds times the
        // handle time, not an answered contact's wait): `accept` marks the row unless this clears it.
        let arrivalInMinutes = withoutSecondsAfterArrival != timesWithoutSecondsBeforeRow
        let waitEndInMinutes = kind == .answered ? withoutSecondsAfterAnswer != withoutSecondsAfterArrival
            : timestamps.minuteTimes.withoutSeconds != withoutSecondsAfterAnswer
        if !arrivalInMinutes && !waitEndInMinutes { timesWithoutSecondsBeforeRow = timestamps.minuteTimes.withoutSeconds }
        var category: UnsafeRawBufferPointer?
        if let categoryColumn = columns.category { category = field(categoryColumn) }
        var id: UnsafeRawBufferPointer?
        if let idColumn = columns.contactId { id = field(idColumn) }
        return accept(channel: channel, outcome: kind, abandonedForEmptyAnswerTime: abandonedForEmptyAnswerTime, arrivedUTC: arrived,
                      waitSeconds: wait, handleSeconds: handle, wrapUpSeconds: wrapUp, category: category, id: id, localTimes: tally, into: &outcome)
    }

    /// The whole seconds between two times `seconds` and `milliseconds` apart (the differences of their
    /// whole seconds and of their fractions' milliseconds), truncated toward zero as DESIGN §4 says: the
    /// fraction of the difference is dropped, not each time's, so that 10.4 s is 10 s and 9.002 s is 9 s
    /// whatever the fractions of the two times (each time's dropped first, 9.002 s came out as 10 s and
    /// 10.4 s as 10 s or 11 s: the review of 7 December 2026).
    @inline(__always)
    static func wholeSeconds(_ seconds: Int64, _ milliseconds: Int64) -> Int64 {
        milliseconds == 0 ? seconds : (seconds &* 1_000 &+ milliseconds) / 1_000
    }

    /// The whole seconds a wrap-up of `milliseconds` adds to a handle time of `handle` whole seconds whose exact
    /// length is `exact` (`wholeSeconds`' parts), so that the two add up as their exact sum does: 100.6 s and
    /// 20.6 s are 121 s, not 100 + 20 (the review of 7 December 2026).
    static func wrapUpSeconds(_ milliseconds: Int64, handle: Int64, exact: (seconds: Int64, milliseconds: Int64)) -> Int64 {
        let handleFraction = min(999, max(0, (exact.seconds &- handle) &* 1_000 &+ exact.milliseconds))
        return (handleFraction + milliseconds) / 1_000
    }

    /// Why a wait above `longestWait` or a handle time above a day is rejected.
    @inline(never)
    func implausible(wait: Int64, handle: Int64) -> (RejectReason, String) {
        if handle <= Self.longestDuration && wait <= Self.longestDuration {
            return (.implausibleWait, "a wait of \(wait) s, above --max-plausible-wait \(longestWait)")
        }
        return (.implausibleDuration, "a wait or handle time of more than 24 hours (\(max(wait, handle)) s)")
    }

    /// The checks every decoded contact row shares, then its addition to the accumulator and the block's
    /// ledger: waits and handle times must fit the histograms, rows outside the date filter are skipped.
    /// `abandonedForEmptyAnswerTime` says the outcome was inferred from an empty answer time (counted
    /// here, once the row is kept, for the warning when every kept row was so).
    /// - Returns: the reject reason and message, or nil (accepted or skipped).
    @_transparent  // measured: as a call it cost 4% of all instructions
    mutating func accept(channel: Int32, outcome kind: ContactContribution.Outcome, abandonedForEmptyAnswerTime: Bool = false, arrivedUTC arrived: Int64,
                         waitSeconds wait: Int64, handleSeconds handle: Int64, wrapUpSeconds wrapUp: Int64 = -1,
                         category: UnsafeRawBufferPointer?,  // nil: the input has no category column
                         id: UnsafeRawBufferPointer?, updatedAt: Int64 = RemovableRow.noUpdateTime, localTimes: LocalTimeCounts,
                         into outcome: inout BlockOutcome) -> (RejectReason, String)? {
        if wait > longestWait || handle > Self.longestDuration || wrapUp > Self.longestDuration {
            if wrapUp > Self.longestDuration { return (.implausibleDuration, "wrap_up_seconds: more than 24 hours (\(wrapUp) s)") }
            return implausible(wait: wait, handle: handle)
        }
        guard let period = period(ofUTC: arrived) else {
            // The inputs cover the days from their first to their last arrival, within --from/--to
            // (`Report.coveredDays`): arrivals outside the window count, as a store's sources count them.
            // Held within the plausible years, so that a placeholder date the filter left out is not said.
            let plausible = OrderedCollector.plausibleArrivals
            let covered = min(max(arrived, plausible.lowerBound), plausible.upperBound - 1)
            if covered < outcome.tally.firstArrivalUTC { outcome.tally.firstArrivalUTC = covered }
            if covered > outcome.tally.lastArrivalUTC { outcome.tally.lastArrivalUTC = covered }
            skipOutsideDateRange(id: id, isIncident: false, updatedAt: updatedAt, &outcome)
            return nil
        }
        var categoryId = category == nil ? ContactContribution.categoryNotGiven : ContactContribution.noCategory
        if let category, !category.isEmpty { categoryId = categoryLabels.id(for: category) }
        let row = ContactContribution(period: period, channel: channel, outcome: kind,
                                      waitSeconds: wait, handleSeconds: handle, category: categoryId, wrapUpSeconds: wrapUp,
                                      waitTimedInMinutes: wait >= 0 && timestamps.minuteTimes.withoutSeconds != timesWithoutSecondsBeforeRow)
        if abandonedForEmptyAnswerTime {
            outcome.tally.abandonedForEmptyAnswerTime &+= 1
        } else if kind != .unknown && kind != .submitted {
            outcome.tally.outcomesGiven &+= 1
        }
        outcome.tally.minuteTimedWaits &+= row.waitTimedInMinutes ? 1 : 0
        outcome.tally.repeatedLocalTimes += Int(localTimes.repeated)
        outcome.tally.skippedLocalTimes += Int(localTimes.skipped)
        outcome.tally.pairedAcrossClockChange += Int(localTimes.paired)
        if arrived < outcome.tally.firstArrivalUTC { outcome.tally.firstArrivalUTC = arrived }
        if arrived > outcome.tally.lastArrivalUTC { outcome.tally.lastArrivalUTC = arrived }
        if let id, !id.isEmpty, !recordAcceptedId(IdCode(id, kind: .contact), at: arrived, RemovableRow(row, worker: workerIndex, updatedAt: updatedAt), &outcome) {
            return nil
        }
        contacts.add(row)
        outcome.tally.accepted += 1
        if rowHasDateWithoutTime { outcome.tally.rowsWithDatesWithoutTime += 1 }
        return nil
    }

    // MARK: Incidents

    private mutating func decodeIncident(_ columns: IncidentColumns, _ outcome: inout BlockOutcome) -> (RejectReason, String)? {
        var tally = LocalTimeCounts()
        let raised: Int64
        switch timestamp(columns.raisedAt, &tally, slot: Self.arrivalSlot) {
        case .value(let seconds): raised = seconds
        case .empty, .absent: return (.invalidRaisedAt, "raised_at: empty")
        case .invalid: return invalidTimestamp(.invalidRaisedAt, "raised_at", columns.raisedAt, &outcome)
        }
        var deployed: Int8 = -1
        if let column = columns.deployed {
            let value = field(column)
            if !value.isEmpty {
                if Self.equalsIgnoringCase(value, "yes") || Self.equalsIgnoringCase(value, "y")
                    || Self.equalsIgnoringCase(value, "true") || Self.equals(value, "1") {
                    deployed = 1
                } else if Self.equalsIgnoringCase(value, "no") || Self.equalsIgnoringCase(value, "n")
                    || Self.equalsIgnoringCase(value, "false") || Self.equals(value, "0") {
                    deployed = 0
                } else {
                    return (.invalidDeployed, "deployed: expected yes or no, found \(text(value))")
                }
            }
        }
        var referral: Int8 = -1
        var agency: Int32 = 0
        if let column = columns.referredTo {
            let value = field(column)
            if Self.saysNoValue(value) {
                // not recorded, as an empty field
            } else if Self.saysNotReferred(value) {
                referral = 0
            } else {
                referral = 1
                agency = agencyLabels.id(for: value)
            }
        }
        // The days an incidents file covers count for the partial periods as a contacts file's do
        // (`Report.coveredDays`): ten days of incidents read as a whole month.
        let plausible = OrderedCollector.plausibleArrivals
        let covered = min(max(raised, plausible.lowerBound), plausible.upperBound - 1)
        if covered < outcome.tally.firstArrivalUTC { outcome.tally.firstArrivalUTC = covered }
        if covered > outcome.tally.lastArrivalUTC { outcome.tally.lastArrivalUTC = covered }
        guard let period = period(ofUTC: raised) else {
            skipOutsideDateRange(id: columns.incidentId.map { field($0) }, isIncident: true, &outcome)
            return nil
        }
        let row = IncidentContribution(period: period, deployed: deployed, referral: referral, agency: agency)
        outcome.tally.repeatedLocalTimes += Int(tally.repeated)
        outcome.tally.skippedLocalTimes += Int(tally.skipped)
        if let idColumn = columns.incidentId {
            let id = field(idColumn)
            if !id.isEmpty, !recordAcceptedId(IdCode(id, kind: .incident), at: raised, RemovableRow(row, worker: workerIndex), &outcome) { return nil }
        }
        incidents.add(row)
        outcome.tally.accepted += 1
        return nil
    }

    // MARK: Ids

    /// Skips a row outside `--from`/`--to`. With `--dedupe` its id is recorded first: duplicates are
    /// judged over the whole input, before the date filter, so that a row repeating an id first seen
    /// before `--from` is left out, as `report --store --from` leaves it out.
    @inline(never)
    private mutating func skipOutsideDateRange(id: UnsafeRawBufferPointer?, isIncident: Bool, updatedAt: Int64 = RemovableRow.noUpdateTime,
                                               _ outcome: inout BlockOutcome) {
        if options.dedupe, let id, !id.isEmpty,
           !recordId(IdCode(id, kind: isIncident ? .incident : .contact),
                     .outsideDateRange(isIncident: isIncident, worker: workerIndex, updatedAt: updatedAt), &outcome) {
            return  // counted as a duplicate
        }
        outcome.tally.skipped[SkipReason.outsideDateRange.index] += 1
    }

    /// `recordId`, and the id into the sketch of the run's ids (a store's run) when the row is kept, with the row's
    /// arrival (raised) time, UTC seconds.
    @inline(__always)
    private mutating func recordAcceptedId(_ code: IdCode, at time: Int64, _ row: RemovableRow, _ outcome: inout BlockOutcome) -> Bool {
        guard recordId(code, row, &outcome) else { return false }
        if sketchesIds { idSketch.add(code, time: time) }
        return true
    }

    /// Records a row's id for duplicate detection; returns false when the row is to be left
    /// out (`--dedupe`, and this worker already recorded the id, so the row repeats an earlier one).
    @inline(__always)
    private mutating func recordId(_ code: IdCode, _ row: RemovableRow, _ outcome: inout BlockOutcome) -> Bool {
        if let number = code.smallNumber, let bits = code.isIncident ? incidentBits : contactBits {
            if !bits.insert(number) { outcome.repeatedIds += 1 }
            return true
        }
        let position = IdRecord.position(sequence: blockSequence, ordinal: idOrdinal)
        idOrdinal += 1
        if ids.record(code, position: position, row: row) { return true }
        outcome.repeatedIds += 1
        guard options.dedupe else { return true }
        outcome.tally.skipped[SkipReason.duplicateId.index] += 1
        return false
    }

    // MARK: Result

    /// Why the run must stop: a label table met its limit (`LabelLimit`), or ids could not be spilled.
    var failure: InputError? {
        if let kind = channelLabels.isFull ? "channel" : categoryLabels.isFull ? "category" : agencyLabels.isFull ? "partner agency" : nil {
            return .tooManyLabels(kind: kind)
        }
        return ids.failure
    }

    /// The worker's recorded ids, for `DuplicateFinder`; the worker records none after this.
    mutating func finishIds() -> IdLogContents {
        var log = IdLog(recordSize: ids.recordSize, budget: 0, scratch: ScratchFile(), mixing: options.idMixing)
        swap(&ids, &log)
        return log.finish()
    }

    /// This worker's accumulated cells with text labels: its contact cells in key order, to be merged
    /// with the other workers' (`ContactCells(merging:)`), and its incident cells.
    mutating func cells() -> (contacts: SortedCellRun, incidents: [Int64: IncidentCell]) {
        (contacts.sortedRun(channelLabels: channelLabels.labels, categoryLabels: categoryLabels.labels),
         incidents.cells(agencyLabels: agencyLabels.labels))
    }

    /// Moves this worker's contact cells into `spill` as one sorted run (none when it holds none); the
    /// worker goes on with no cells.
    mutating func spillContacts(to spill: CellSpill) throws(InputError) -> SpilledRun? {
        guard contacts.cellCount > 0 else { return nil }
        return try spill.spill(contacts.sortedRun(channelLabels: channelLabels.labels, categoryLabels: categoryLabels.labels))
    }
}
