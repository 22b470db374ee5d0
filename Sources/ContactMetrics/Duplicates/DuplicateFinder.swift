import Dispatch
import Synchronization

/// The end of duplicate detection (DESIGN §5): reads every worker's `IdLog` bucket by bucket, on all
/// threads, and finds the ids that occur more than once. A bucket is read through an `IdTable` of
/// its distinct codes; when a bucket holds more records than the table budget allows, it is read in
/// several passes, each taking the codes of one slice, so memory stays within the budget.
///
/// Without `--dedupe` the answer is a count: occurrences minus distinct codes. With `--dedupe` each
/// record carries its position in input order and what its row added; of two occurrences of a code
/// the later one is a duplicate, and what it added is collected to be taken out of the cube.
struct DuplicateFinder {
    /// The outcome: how many occurrences repeated an earlier id, and with `--dedupe` how many of those
    /// each input had and what they added (to be subtracted).
    struct Outcome {
        var duplicates = 0
        var duplicatesByFile: [Int] = []
        /// Of `duplicatesByFile`, the rows the date filter had skipped (`RemovableRow.isOutsideDateRange`):
        /// they move from that skip reason to the duplicates, not from the accepted rows.
        var outsideDateRangeByFile: [Int] = []
        var removed: Cube
        /// With a `cellSpill`, the contact cells of `removed` that went to it (`ingest --dedupe`).
        var removedRuns: [SpilledRun] = []
    }

    let logs: [IdLogContents]
    let scratch: ScratchFile
    let threads: Int
    /// Bytes a thread's table may take.
    let tableBudget: Int
    let mixing: IdMixing
    /// Where the contact cells of removed rows go past `CellSpill.cellsPerWorker` a thread (`ingest`, whose
    /// 15-minute cells of years of duplicates took 110 MB more than without `--dedupe`); nil: kept.
    var cellSpill: CellSpill? = nil

    /// - Parameters:
    ///   - fileFirstSequences: the sequence number of each input's first block, ascending (to tell
    ///     from a position which input a duplicate is in).
    ///   - labels: every worker's labels (to name what removed rows added), by worker index.
    func run(dedupe: Bool, fileFirstSequences: [Int], labels: [WorkerLabels], grain: CellGrain) throws(InputError) -> Outcome {
        guard let recordSize = logs.first?.recordSize else { return Outcome(removed: Cube(grain: grain)) }
        let nextBucket = Atomic<Int>(0)
        let results = Locked<[ThreadResult]>([])
        let failure = Locked<InputError?>(nil)
        DispatchQueue.concurrentPerform(iterations: max(1, threads)) { _ in
            var table = IdTable(recordSize: recordSize, mixing: mixing)
            var result = ThreadResult(files: fileFirstSequences.count, workers: labels.count)
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: logs.map(\.chunkBytes).max() ?? 0, alignment: 16)
            defer { buffer.deallocate() }
            do throws(InputError) {
                while true {
                    let bucket = nextBucket.wrappingAdd(1, ordering: .relaxed).oldValue
                    if bucket >= IdLog.bucketCount || failure.withLock({ $0 != nil }) { break }
                    try search(bucket: bucket, table: &table, buffer: buffer, dedupe: dedupe,
                               fileFirstSequences: fileFirstSequences, labels: labels, into: &result)
                }
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
            }
            results.withLock { $0.append(result) }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        var outcome = Outcome(duplicatesByFile: Array(repeating: 0, count: fileFirstSequences.count),
                              outsideDateRangeByFile: Array(repeating: 0, count: fileFirstSequences.count), removed: Cube(grain: grain))
        for result in results.withLock({ $0 }) {
            outcome.duplicates += result.duplicates
            for index in outcome.duplicatesByFile.indices {
                outcome.duplicatesByFile[index] += result.duplicatesByFile[index]
                outcome.outsideDateRangeByFile[index] += result.outsideDateRangeByFile[index]
            }
            for (worker, removed) in result.removed.enumerated() {
                guard let removed else { continue }
                outcome.removed.add(removed.cube(labels: labels[worker], grain: grain))
                outcome.removedRuns += removed.spilledRuns
            }
        }
        return outcome
    }

    /// One thread's findings.
    private struct ThreadResult {
        var duplicates = 0
        var duplicatesByFile: [Int]
        var outsideDateRangeByFile: [Int]
        /// What the removed rows added, by the worker whose labels they use.
        var removed: [RemovedRows?]

        init(files: Int, workers: Int) {
            duplicatesByFile = Array(repeating: 0, count: files)
            outsideDateRangeByFile = Array(repeating: 0, count: files)
            removed = Array(repeating: nil, count: workers)
        }
    }

    private func search(bucket: Int, table: inout IdTable, buffer: UnsafeMutableRawPointer, dedupe: Bool,
                        fileFirstSequences: [Int], labels: [WorkerLabels], into result: inout ThreadResult) throws(InputError) {
        let records = logs.reduce(0) { $0 + $1.buckets[bucket].reduce(0) { $0 + $1.records } }
        guard records > 1 else { return }
        let recordSize = table.recordSize
        // Enough passes that each pass's distinct codes fit the table at its maximum load.
        let budget = max(tableBudget, 64 * recordSize)
        let passes = min(64, max(1, (records * recordSize * 100 / IdTable.maximumLoadPercent + budget - 1) / budget))
        for pass in 0..<passes {
            table.removeAll(keepingAtMost: budget)
            for log in logs {
                for chunk in log.buckets[bucket] {
                    let start: UnsafeRawPointer
                    switch chunk {
                    case .memory(let memory, _):
                        start = UnsafeRawPointer(memory.bytes)
                    case .file(let offset, let records):
                        try scratch.read(into: buffer, count: records * recordSize, at: offset)
                        start = UnsafeRawPointer(buffer)
                    }
                    for index in 0..<chunk.records {
                        let record = start + index * recordSize
                        if passes > 1 && Int((mixing.mix(IdRecord.code(at: record)) >> 40) % UInt64(passes)) != pass { continue }
                        guard let present = table.insert(record) else { continue }
                        result.duplicates += 1
                        guard dedupe else { continue }
                        // The table keeps the occurrence kept so far: the earliest, or the latest updated (`updated_at`).
                        let removed: UnsafeRawPointer
                        if IdRecord.row(at: record).precedes(IdRecord.row(at: present), position: IdRecord.position(at: record),
                                                             otherPosition: IdRecord.position(at: present)) {
                            removed = UnsafeRawPointer(present)
                            let row = IdRecord.row(at: removed)
                            try remove(row, position: IdRecord.position(at: removed), fileFirstSequences: fileFirstSequences, labels: labels,
                                       into: &result)
                            present.copyMemory(from: record, byteCount: recordSize)
                        } else {
                            try remove(IdRecord.row(at: record), position: IdRecord.position(at: record), fileFirstSequences: fileFirstSequences,
                                       labels: labels, into: &result)
                        }
                    }
                }
            }
        }
    }

    private func remove(_ row: RemovableRow, position: UInt64, fileFirstSequences: [Int], labels: [WorkerLabels],
                        into result: inout ThreadResult) throws(InputError) {
        let sequence = IdRecord.sequence(ofPosition: position)
        // The last input whose first block is at or before the duplicate's block.
        var low = 0, high = fileFirstSequences.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if fileFirstSequences[middle] <= sequence { low = middle } else { high = middle - 1 }
        }
        if !fileFirstSequences.isEmpty { result.duplicatesByFile[low] += 1 }
        if row.isOutsideDateRange {  // it added nothing
            if !fileFirstSequences.isEmpty { result.outsideDateRangeByFile[low] += 1 }
            return
        }
        let worker = Int(row.worker)
        if result.removed[worker] == nil {
            // A thread holds one per worker: together no more cells than the workers held (`cellsPerWorker` each).
            let limit = max(1, (cellSpill?.cellsPerWorker ?? 0) / max(1, labels.count))
            result.removed[worker] = RemovedRows(labels: labels[worker], spill: cellSpill, cellLimit: limit)
        }
        try result.removed[worker]!.add(row)
    }
}

/// What removed rows added, accumulated like a worker's rows (with that worker's label ids). With a
/// spill, contact cells past `cellLimit` go to it as sorted runs, as a worker's own cells do.
final class RemovedRows {
    private var contacts = ContactAccumulator()
    private var incidents = IncidentAccumulator()
    private let labels: WorkerLabels
    private let spill: CellSpill?
    private let cellLimit: Int
    private(set) var spilledRuns: [SpilledRun] = []

    init(labels: WorkerLabels, spill: CellSpill?, cellLimit: Int) {
        self.labels = labels
        self.spill = spill
        self.cellLimit = cellLimit
    }

    func add(_ row: RemovableRow) throws(InputError) {
        if row.isIncident {
            incidents.add(row.incident)
            return
        }
        contacts.add(row.contact)
        if let spill, contacts.cellCount >= cellLimit {
            spilledRuns.append(try spill.spill(contacts.sortedRun(channelLabels: labels.channels, categoryLabels: labels.categories)))
        }
    }

    func cube(labels: WorkerLabels, grain: CellGrain) -> Cube {
        var cube = Cube(grain: grain)
        cube.contacts = contacts.cells(channelLabels: labels.channels, categoryLabels: labels.categories)
        cube.incidents = incidents.cells(agencyLabels: labels.agencies)
        return cube
    }
}
