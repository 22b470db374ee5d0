import Dispatch

/// The result of reading a set of inputs: the merged cube, the ledger, and the first rejected rows.
public struct IngestResult: Sendable {
    public var cube: Cube
    public var ledger: Ledger
    /// Up to `OrderedCollector.firstRejectsKept` rejected rows, in input order, for the console.
    public var firstRejects: [RejectedRow]
}

/// Reads inputs in blocks on the calling thread and decodes them on `threads` Dispatch workers.
///
/// Pipeline (DESIGN §2): the reader fills a block, cuts it after the last whole record
/// (`RecordBoundary`, quote-aware), carries the partial record into the next buffer, and queues the
/// block; a worker decodes it into its own accumulators; `OrderedCollector` folds per-block
/// outcomes in input order; at the end the workers' cubes are added (addition is associative and
/// commutative, so the result does not depend on thread count or block size).
public final class IngestEngine: Sendable {
    /// A record longer than this with no end in sight is cut at its last newline (an unbalanced
    /// quote would otherwise make the reader hold the rest of the file).
    static let maximumRecordBytes = 16 << 20

    public let options: IngestOptions

    public init(options: IngestOptions) {
        self.options = options
    }

    /// Reads `inputs` (paths, or `-` for standard input).
    /// - Parameters:
    ///   - onReject: called for every rejected row, in input order, from one thread at a time.
    ///   - onProgress: called on the reader thread with the bytes read so far.
    /// - Throws: `InputError` for an input that cannot be opened, read or recognised.
    public func run(
        inputs: [String],
        onReject: (@Sendable (RejectedRow) -> Void)? = nil,
        onProgress: ((Int64) -> Void)? = nil
    ) throws(InputError) -> IngestResult {
        let threads = max(1, options.threads)
        let blockSize = max(1, min(options.blockSize, 256 << 20))
        let queue = JobQueue(workerCount: threads)
        let pool = BufferPool(count: threads * 2 + 1, capacity: blockSize)
        let collector = OrderedCollector(dedupe: options.dedupe, onReject: onReject)
        let workerResults = Locked<[Int: (cube: Cube, labels: WorkerLabels)]>([:])
        let group = DispatchGroup()
        let options = self.options
        for workerIndex in 0..<threads {
            group.enter()
            DispatchQueue.global(qos: .userInitiated).async {
                var worker = BlockWorker(options: options)
                while let job = queue.pop() {
                    let outcome = worker.process(job)
                    pool.give(job.buffer)
                    collector.complete(outcome, worker: workerIndex)
                }
                let labels = WorkerLabels(channels: worker.channelLabels.labels, categories: worker.categoryLabels.labels,
                                          agencies: worker.agencyLabels.labels)
                let cube = worker.cube()
                worker.release()
                workerResults.withLock { $0[workerIndex] = (cube, labels) }
                group.leave()
            }
        }

        var readError: InputError?
        do {
            var reader = BlockReader(blockSize: blockSize, pool: pool, queue: queue, collector: collector, options: options)
            for (fileIndex, name) in inputs.enumerated() {
                try reader.read(name: name, fileIndex: fileIndex, onProgress: onProgress)
            }
        } catch {
            readError = error
        }
        queue.close()
        group.wait()
        if let readError { throw readError }

        let (ledger, firstRejects, duplicateRows, queueCalls) = collector.finish()
        let results = workerResults.withLock { $0 }
        var cube = Cube(grain: options.grain)
        for workerIndex in 0..<threads {
            if let result = results[workerIndex] { cube.add(result.cube) }
        }
        if !queueCalls.isEmpty {
            cube.add(QueueCallJoiner.cube(of: queueCalls, channelLabels: results.mapValues(\.labels.channels), options: options))
        }
        for duplicate in duplicateRows {
            guard let labels = results[duplicate.worker]?.labels else { continue }
            cube.remove(duplicate.row, labels: labels)
        }
        return IngestResult(cube: cube, ledger: ledger, firstRejects: firstRejects)
    }
}

/// One worker's label tables, to translate its label ids.
struct WorkerLabels: Sendable {
    var channels: [String]
    var categories: [String]
    var agencies: [String]
}

extension Cube {
    /// Takes one row's contribution out again (`--dedupe`).
    mutating func remove(_ row: DuplicateRow.Row, labels: WorkerLabels) {
        switch row {
        case .contact(let contact):
            let key = CellKey(period: contact.period, channel: labels.channels[Int(contact.channel)])
            guard var cell = contacts[key] else { return }
            cell.counters.received -= 1
            switch contact.outcome {
            case .answered:
                cell.counters.answered -= 1
                if contact.waitSeconds >= 0 { cell.answerWaits.add(seconds: contact.waitSeconds, count: -1) } else { cell.counters.answeredUntimed -= 1 }
                if contact.handleSeconds >= 0 {
                    cell.counters.handled -= 1
                    cell.counters.handleSeconds -= contact.handleSeconds
                    cell.counters.handleSecondsSquared &-= UInt64(contact.handleSeconds) &* UInt64(contact.handleSeconds)
                }
            case .abandoned:
                cell.counters.abandoned -= 1
                if contact.waitSeconds >= 0 { cell.abandonWaits.add(seconds: contact.waitSeconds, count: -1) } else { cell.counters.abandonedUntimed -= 1 }
            case .other:
                cell.counters.other -= 1
            case .submitted:
                break
            }
            if contact.category >= 0 {
                let name = labels.categories[Int(contact.category)]
                let remaining = cell.categories[name, default: 0] - 1
                cell.categories[name] = remaining == 0 ? nil : remaining
            }
            contacts[key] = cell.counters.received == 0 ? nil : cell
        case .incident(let incident):
            guard var cell = incidents[incident.period] else { return }
            cell.counters.incidents -= 1
            if incident.deployed >= 0 {
                cell.counters.deployedMeasured -= 1
                cell.counters.deployed -= Int64(incident.deployed)
            }
            if incident.referral >= 0 {
                cell.counters.referralMeasured -= 1
                if incident.referral == 1 {
                    cell.counters.referred -= 1
                    let name = labels.agencies[Int(incident.agency)]
                    let remaining = cell.referredByAgency[name, default: 0] - 1
                    cell.referredByAgency[name] = remaining == 0 ? nil : remaining
                }
            }
            incidents[incident.period] = cell.counters.incidents == 0 ? nil : cell
        }
    }
}
