import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The result of reading a set of inputs: the merged cube, the ledger, and the first rejected rows.
public struct IngestResult: Sendable {
    public var cube: Cube
    public var ledger: Ledger
    /// Up to `OrderedCollector.firstRejectsKept` rejected rows, in input order, for the console.
    public var firstRejects: [RejectedRow]
    /// Rejected rows with a record of their own (what `--rejects` writes): fewer than the ledger's rejected
    /// rows when a quote ran over lines, which are rejected with it, in its record.
    public var rejectRecordCount = 0
    /// True when range reading met a record too long for it (`IngestOptions.maximumRecordBytes`) and
    /// the run was redone with the streaming reader (the figures are the same either way; only the
    /// time differs).
    public var streamedAfterRangeReading = false
    /// queue_log calls still open at the end, at the store's grain (`.utcQuarterHour`), for a later
    /// source to complete (`IngestOptions.openQueueCalls`).
    public var openQueueCalls: [OpenQueueCall] = []
    /// Bytes of ids that did not fit the memory budget and went to the scratch file.
    public var idScratchBytes: Int64 = 0
    /// The contact cells, when the run kept them in `IngestOptions.cellSpill` (the cube then holds none).
    public var spilledContacts: SpilledContactCells?
    /// The date order the run read with: `IngestOptions.dateOrder`, or the one the inputs proved.
    public var dateOrder = DateOrder.yearFirst
    /// The accepted rows' contact (incident) ids as a sketch, at the store's grain (`.utcQuarterHour`) only; empty
    /// when the inputs have no id column.
    public var idSketch = IdSketch()
    /// What the inputs' dates said about their order (`.none` unless `IngestOptions.judgesDateOrder`).
    public var dateOrderJudgement = DayMonthDates.Judgement.none
}

/// Reads inputs on `threads` Dispatch workers.
///
/// Pipeline (DESIGN §2): an uncompressed regular file is split into ranges of `blockSize` bytes
/// that the workers read themselves (`SplitInput`, `RangeReader`): each worker reads a range, cuts
/// it to the whole records that start in it, and decodes them into its own accumulators. Gzip files
/// and standard input cannot be split: the calling thread streams them (`BlockReader`), cutting each
/// block after its last whole record. Either way `OrderedCollector` folds per-block outcomes in
/// input order, and at the end the workers' cubes are added (addition is associative and
/// commutative, so the result does not depend on thread count or block size).
public final class IngestEngine: Sendable {
    /// Files read in ranges that may be open at once (each range job holds its file open): 64, or
    /// fewer under a low limit of open files, leaving room for Dispatch, the store and the outputs.
    static var maximumOpenSplitInputs: Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < 1 << 20 else { return 64 }
        return max(1, min(64, (Int(limit.rlim_cur) - 48) / 2))
    }

    public let options: IngestOptions

    public init(options: IngestOptions) {
        var options = options
        // `updated_at` serves `--dedupe` alone: not read without it (a JSON member more a record cost Amazon Connect's 4%).
        // Dropped here, once, not in each run.
        if !options.dedupe { options.mapping?.columns["updated_at"] = nil }
        self.options = options
    }

    /// Reads `inputs` (paths, or `-` for standard input).
    /// - Parameters:
    ///   - onReject: called for every rejected row, in input order, from one thread at a time.
    ///   - onProgress: called on the calling thread with the bytes read so far (about five times a
    ///     second, and after each streamed block).
    /// - Throws: `InputError` for an input that cannot be opened, read or recognised.
    public func run(
        inputs: [String],
        onReject: (@Sendable (RejectedRow) -> Void)? = nil,
        onProgress: ((Int64) -> Void)? = nil
    ) throws(InputError) -> IngestResult {
        var options = self.options
        options.blockSize = max(1, min(options.blockSize, 256 << 20))
        let (judgement, unproven) = options.judgesDateOrder ? try DateOrderScan.judge(inputs, encoding: options.encoding) : (.none, [])
        if let order = judgement.order { options.dateOrder = order }
        var orderElsewhere: (order: DateOrder, whose: String, example: String, path: String)?
        if case .unproven(let example, let path) = judgement, let (order, whose) = options.dateOrderElsewhere {
            options.dateOrder = order
            orderElsewhere = (order, whose, example, path)
        }
        // Standard input or a pipe is read once, so not judged before its run: it takes the order known elsewhere, and
        // its dates, as read, say whether that was needed or contradicted (`zcat night.csv.gz | ingest -` was refused
        // on the 1st to the 12th of every month, a file of the same night not).
        var streamOrder: (order: DateOrder, whose: String)?
        if case .none = judgement, inputs.count == 1, !InputOpener.isRegularFile(inputs[0]), let elsewhere = options.dateOrderElsewhere {
            options.dateOrder = elsewhere.order
            streamOrder = elsewhere
        }
        var result = try read(inputs: inputs, options: options, onReject: onReject, onProgress: onProgress)
        result.dateOrder = options.dateOrder
        result.dateOrderJudgement = judgement
        if let streamOrder, result.ledger.dayMonthDatesRejected == 0 {
            let name = Escaping.visible(InputOpener.displayName(inputs[0])), first = streamOrder.order == .dayFirst ? "day" : "month"
            let dates = result.ledger.dayMonthDates
            if !dates.anyRead {
                result.dateOrder = self.options.dateOrder  // no day-month date: no order to record
            } else if dates.anyProving {
                result.ledger.judgedDateOrder = streamOrder.order
                result.ledger.notes.append("\(name): read once, so not judged before the run: its dates were read \(first) first, as "
                    + "\(streamOrder.whose), and dates in it read only so")
            } else {
                result.ledger.warnings.append("\(name): read once, so not judged before the run, and no date in it tells the day from the month "
                    + "(each reads both ways): its dates were read \(first) first, as \(streamOrder.whose); if it comes from a system that "
                    + "writes dates the other way, ingest it again with --date-order")
            }
        }
        if let orderElsewhere {
            let first = orderElsewhere.order == .dayFirst ? "day" : "month"
            result.ledger.warnings.append("\(Escaping.visible(orderElsewhere.path)): no date tells the day from the month (\"\(Escaping.excerpt(orderElsewhere.example))\" "
                + "reads both ways), so its dates were read \(first) first, as \(orderElsewhere.whose); if it comes from a system that "
                + "writes dates the other way, ingest it again with --date-order")
        }
        if case .proven(let order, let example, let path) = judgement {
            result.ledger.judgedDateOrder = order
            result.ledger.notes.append("\(path): dates like \"\(Escaping.excerpt(example))\" put the \(order == .dayFirst ? "day" : "month") first; "
                + "read as --date-order \(order.rawValue) (giving --date-order chooses)")
            // A file whose own dates read both ways takes that order on another file's word: right for one
            // system's daily exports (1–12 April and 13–30 April), wrong for an export written the other way
            // (a US file beside a UK one read its 1–12 April as January to December; found by review). Said.
            let first = order == .dayFirst ? "day" : "month", word = Escaping.visible(path)
            if !unproven.isEmpty {
                let (it, they, its, was, comes) = Self.pronouns(unproven.count)
                result.ledger.warnings.append("\(DisplayFormat.list(unproven.map { Escaping.visible($0) }, shown: 3)): no date in \(it) tells the day from "
                    + "the month (each reads both ways), so \(they) \(was) read \(first) first on the word of \(word); if \(they) \(comes) from a system "
                    + "that writes dates the other way, read \(it) in a run of \(its) own with --date-order")
            }
            // Standard input and pipes are read once, so not judged before the run (the diff review's `cat us.csv |`).
            let unscanned = inputs.filter { !InputOpener.isRegularFile($0) }.map { Escaping.visible(InputOpener.displayName($0)) }
            if !unscanned.isEmpty {
                let (it, they, its, _, comes) = Self.pronouns(unscanned.count)
                result.ledger.warnings.append("\(DisplayFormat.list(unscanned)): read once, so not looked at for the order of its dates before the run; "
                    + "any day-month dates in \(it) were read \(first) first on the word of \(word) (give \(it) as a file, or read \(it) "
                    + "in a run of \(its) own with --date-order, if \(they) \(comes) from another system)")
            }
        }
        return result
    }

    /// The order the day-month dates of `inputs` (files; standard input and pipes are not looked at) prove
    /// together, nil when none proves one or they prove both.
    public static func provenDateOrder(of inputs: [String], encoding: TextEncoding?) throws(InputError) -> DateOrder? {
        if case .proven(let order, _, _) = try DateOrderScan.judge(inputs, encoding: encoding).judgement { return order }
        return nil
    }

    /// "it, it, its, was, comes" for one input, "them, they, their, were, come" for more (the warnings above).
    private static func pronouns(_ count: Int) -> (String, String, String, String, String) {
        count == 1 ? ("it", "it", "its", "was", "comes") : ("them", "they", "their", "were", "come")
    }

    private func read(inputs: [String], options: IngestOptions, onReject: (@Sendable (RejectedRow) -> Void)?,
                      onProgress: ((Int64) -> Void)?) throws(InputError) -> IngestResult {
        // Ranges only when every input is a regular file: a run that gives up on them is read again
        // from the start, which standard input and pipes cannot be.
        if options.readsRanges && options.blockSize <= options.maximumRecordBytes / 4 && inputs.allSatisfy(InputOpener.isRegularFile) {
            switch try attempt(inputs: inputs, options: options, readRanges: true, rejectsAlreadyEmitted: 0, onReject: onReject,
                               onProgress: onProgress) {
            case .finished(let result):
                return result
            case .gaveUpOnRanges(let rejectsEmitted, let sizes):
                guard case .finished(var result) = try attempt(inputs: inputs, options: options, readRanges: false,
                                                               rejectsAlreadyEmitted: rejectsEmitted, onReject: onReject,
                                                               onProgress: onProgress) else {
                    preconditionFailure("the streaming reader never gives up")
                }
                // Read again from the start, a file cut short in the meantime would pass for a whole one.
                for (index, size) in sizes where index < result.ledger.sources.count && result.ledger.sources[index].byteCount < size {
                    throw .readFailed(path: result.ledger.sources[index].path, reason: SplitInput.shrank)
                }
                result.streamedAfterRangeReading = true
                return result
            }
        }
        guard case .finished(let result) = try attempt(inputs: inputs, options: options, readRanges: false, rejectsAlreadyEmitted: 0,
                                                       onReject: onReject, onProgress: onProgress) else {
            preconditionFailure("the streaming reader never gives up")
        }
        return result
    }

    private enum Attempt {
        case finished(IngestResult)
        /// Range reading gave up; this many rejected rows were already passed to `onReject`. `sizes`: the
        /// size of each file it opened, by file index.
        case gaveUpOnRanges(rejectsEmitted: Int, sizes: [Int: Int])
    }

    private func attempt(
        inputs: [String], options: IngestOptions, readRanges: Bool, rejectsAlreadyEmitted: Int,
        onReject: (@Sendable (RejectedRow) -> Void)?, onProgress: ((Int64) -> Void)?
    ) throws(InputError) -> Attempt {
        // Worker indexes must fit `RemovableRow.worker`.
        let threads = min(max(1, options.threads), 1024)
        let blockSize = options.blockSize
        let control = RunControl()
        let queue = JobQueue(workerCount: threads)
        let pool = BufferPool(count: threads * 2 + 1, capacity: blockSize)
        let collector = OrderedCollector(dedupe: options.dedupe, onReject: onReject, rejectsAlreadyEmitted: rejectsAlreadyEmitted,
                                         control: control, openQueueCalls: options.grain == .utcQuarterHour ? options.openQueueCalls : [:],
                                         queueLegsHeld: options.queueLegsHeld)
        let workerResults = Locked<[Int: (contacts: SortedCellRun, spilled: [SpilledRun], incidents: [Int64: IncidentCell],
                                           labels: WorkerLabels, ids: IdLogContents, sketch: IdSketch)]>([:])
        let scratch = options.scratchDirectory.map { ScratchFile(directory: $0) } ?? ScratchFile()
        let smallIds = options.dedupe ? nil : (contacts: SmallIdBitmap(), incidents: SmallIdBitmap())
        let group = DispatchGroup()
        for workerIndex in 0..<threads {
            // The group is left after the block returns and is released (`async(group:)`, not `enter` and a
            // `leave` in the block): a worker holds nothing of the run once `wait` returns. With `leave` as
            // the block's last statement, an error could end the process while a worker was still releasing
            // the config (LeakSanitizer saw its boxes as leaked in 9 runs of 20 with one thread).
            DispatchQueue.global(qos: .userInitiated).async(group: group) {
                var worker = BlockWorker(options: options, workerIndex: workerIndex, scratch: scratch, smallIds: smallIds)
                let ranges = RangeReader(options: options)
                var spilled: [SpilledRun] = []
                /// Moves the worker's cells to the spill (at the end, or when it holds too many).
                func spillCells(atEnd: Bool) {
                    guard let spill = options.cellSpill, !control.isStopped,
                          atEnd || worker.contacts.cellCount >= spill.cellsPerWorker else { return }
                    do {
                        if let run = try worker.spillContacts(to: spill) { spilled.append(run) }
                    } catch {
                        control.fail(error)
                    }
                }
                while let job = queue.pop() {
                    switch job {
                    case .block(let block):
                        if !control.isStopped {
                            let outcome = worker.process(block)
                            // A guessed cut between JSON objects fell inside a string (see `process(_:)` below).
                            if outcome.endsInsideObject { control.giveUpOnRanges() } else { collector.complete(outcome, worker: workerIndex) }
                        }
                        pool.give(block.buffer)
                        if let failure = worker.failure {
                            Self.stop(control, failure, guessing: readRanges && block.layout.isJSON && !block.layout.isJSONLines)
                        }
                    case .range(let range):
                        if !control.isStopped { Self.process(range, reader: ranges, worker: &worker, workerIndex: workerIndex,
                                                             collector: collector, control: control) }
                        if let failure = worker.failure {
                            Self.stop(control, failure, guessing: range.input.layout.isJSON && !range.input.layout.isJSONLines)
                        }
                    }
                    spillCells(atEnd: false)
                }
                spillCells(atEnd: true)
                let labels = WorkerLabels(channels: worker.channelLabels.labels, categories: worker.categoryLabels.labels,
                                          agencies: worker.agencyLabels.labels)
                let (contacts, incidents) = worker.cells()
                let ids = worker.finishIds()
                let sketch = worker.idSketch.sketch
                workerResults.withLock { $0[workerIndex] = (contacts, spilled, incidents, labels, ids, sketch) }
            }
        }

        var streamedBytes: Int64 = 0
        let report = { onProgress?(streamedBytes + control.rangeBytes.load(ordering: .relaxed)) }
        // An input that cannot be opened or recognised ends the run like in a sequential read: the
        // inputs before it are finished first (their rejected rows passed on), then the error is thrown.
        var inputError: InputError?
        var rangeSizes: [Int: Int] = [:]
        do {
            var reader = BlockReader(blockSize: blockSize, pool: pool, queue: queue, collector: collector, options: options, control: control)
            reader.guessesObjectEnds = readRanges  // every input a regular file: the run can be read again
            let openFiles = DispatchSemaphore(value: Self.maximumOpenSplitInputs)
            var sequence = 0
            for (fileIndex, name) in inputs.enumerated() where !control.isStopped {
                if readRanges, let input = try SplitInput.open(name: name, fileIndex: fileIndex, firstSequence: sequence,
                                                               options: options, openFiles: openFiles) {
                    control.register(input.quoteStates)
                    rangeSizes[fileIndex] = input.size
                    collector.beginFile(index: fileIndex, path: input.path, kind: input.layout.kind,
                                        firstDataLineNumber: 1 + input.headerLineCount, firstSequence: sequence, byteCount: Int64(input.size),
                                        contentPieces: input.fingerprints ? input.headerPieces : nil,
                                        judgedDelimiter: input.layout.delimiterWasJudged ? input.layout.delimiter : nil,
                                        absentMembers: input.layout.absentMembers, lacksIds: input.layout.lacksIdColumn)
                    queue.pushRanges(of: input)
                    sequence += input.blockCount
                } else {
                    reader.sequence = sequence
                    try reader.read(name: name, fileIndex: fileIndex, onProgress: { streamedBytes = $0; report() })
                    sequence = reader.sequence
                }
            }
        } catch {
            inputError = error
        }
        queue.close()
        while group.wait(timeout: .now() + .milliseconds(200)) == .timedOut { report() }
        // Given up first: the run read again meets the same failure after passing on every rejected row
        // before it (thrown here, rows after a wrong guess of a JSON file were never passed on).
        if control.gaveUpOnRanges { return .gaveUpOnRanges(rejectsEmitted: rejectsAlreadyEmitted + collector.rejectCount, sizes: rangeSizes) }
        // A worker's read error comes from an earlier input than the one the caller failed on.
        if let failure = control.failure ?? inputError { throw failure }
        report()

        var results = workerResults.withLock { results in
            defer { results = [:] }
            return results
        }
        // Each worker stayed within the label limits; the run's labels together must too (`LabelLimit`).
        if let kind = LabelLimit.exceeded([("channel", results.values.map(\.labels.channels)),
                                           ("category", results.values.map(\.labels.categories)),
                                           ("partner agency", results.values.map(\.labels.agencies))],
                                          limit: options.labelLimit) {
            throw .tooManyLabels(kind: kind)
        }
        let labels = (0..<threads).map { results[$0]?.labels ?? WorkerLabels(channels: [], categories: [], agencies: []) }
        var finder = DuplicateFinder(logs: (0..<threads).compactMap { results[$0]?.ids }, scratch: scratch, threads: threads,
                                     tableBudget: options.effectiveIdMemoryBudget / 2 / threads, mixing: options.idMixing)
        finder.cellSpill = options.cellSpill
        let duplicates = try finder.run(dedupe: options.dedupe, fileFirstSequences: collector.fileFirstSequences, labels: labels,
                                        grain: options.grain)
        var (ledger, firstRejects, queueCalls, countedCalls) = collector.finish(duplicates: duplicates)
        if let mapping = options.mapping, let unmapped = UnmappedChannels.message(labels: Set(labels.flatMap(\.channels)), config: mapping) {
            if unmapped.isWarning { ledger.warnings.append(unmapped.text) } else { ledger.notes.append(unmapped.text) }
        }
        // The workers' cells are moved into the cube, each worker's freed as the merge passes it: at a
        // fine grain the cells are most of the run's memory, and a copy of them would double it.
        var cube = Cube(grain: options.grain)
        cube.contacts = ContactCells(merging: (0..<threads).compactMap { results[$0]?.contacts })
        for workerIndex in 0..<threads {
            guard let incidents = results[workerIndex]?.incidents else { continue }
            results[workerIndex]?.incidents = [:]
            // The first worker's cells become the cube's as they are; the others are added in place.
            if cube.incidents.isEmpty {
                cube.incidents = incidents
            } else {
                for (key, cell) in incidents { cube.incidents[key, default: IncidentCell()].add(cell) }
            }
        }
        let channelLabels = results.mapValues(\.labels.channels)
        if queueCalls.hasContacts(countedLegs: countedCalls) {
            cube.add(queueCalls.cube(of: countedCalls, channelLabels: channelLabels, options: options))
        }
        var spilledContacts: SpilledContactCells?
        if let spill = options.cellSpill {
            // The spilled runs hold the workers' contact cells; what the cube holds of contacts now (queue_log
            // calls completed at the end) and what --dedupe takes out are applied as the runs are merged.
            spilledContacts = SpilledContactCells(spill: spill, runs: (0..<threads).flatMap { results[$0]?.spilled ?? [] },
                                                  added: cube.contacts, removed: duplicates.removed.contacts, removedRuns: duplicates.removedRuns)
            cube.contacts = ContactCells()
            var removedIncidents = duplicates.removed
            removedIncidents.contacts = ContactCells()
            cube.subtract(removedIncidents)
        } else {
            cube.subtract(duplicates.removed)
        }
        var result = IngestResult(cube: cube, ledger: ledger, firstRejects: firstRejects)
        result.spilledContacts = spilledContacts
        result.rejectRecordCount = collector.rejectCount
        result.idScratchBytes = scratch.size
        result.idSketch = results.values.reduce(IdSketch()) { $0.merged(with: $1.sketch) }
        if options.grain == .utcQuarterHour && !queueCalls.isEmpty { result.openQueueCalls = queueCalls.openCalls(channelLabels: channelLabels) }
        return .finished(result)
    }

    /// Stops the run for a worker's failure (too many labels). Where blocks end at guessed places, the
    /// failure may come from blocks after a wrong guess, which are not what the file holds: the run is
    /// read again with exact cuts instead, and fails there too if the failure is real.
    private static func stop(_ control: RunControl, _ failure: InputError, guessing: Bool) {
        if guessing { control.giveUpOnRanges() } else { control.fail(failure) }
    }

    /// A worker's handling of one range job: read, cut, decode, check, hand the outcome on.
    private static func process(_ job: RangeJob, reader: RangeReader, worker: inout BlockWorker, workerIndex: Int,
                                collector: OrderedCollector, control: RunControl) {
        defer { reader.release() }
        do {
            switch try reader.prepare(job) {
            case .stopped:
                return
            case .giveUp:
                // A file cut short while mapped reads as zeros, in which no record ends: say what it is.
                try reader.checkBytesRead(job)
                control.giveUpOnRanges()
            case .block(let block, let pieces):
                var outcome = worker.process(block)
                try reader.checkBytesRead(job)
                if outcome.endsInsideObject {
                    // A guessed cut between JSON objects fell inside a string: this block and those after
                    // it are wrong, and the streaming reader reads the run again.
                    control.giveUpOnRanges()
                    return
                }
                outcome.contentPieces = pieces
                control.rangeBytes.add(Int64(job.input.nominalRange(job.index).count), ordering: .relaxed)
                collector.complete(outcome, worker: workerIndex)
            }
        } catch {
            control.fail(error)
        }
    }
}

/// One worker's label tables, to translate its label ids.
struct WorkerLabels: Sendable {
    var channels: [String]
    var categories: [String]
    var agencies: [String]
}
