/// What the queue_log call legs that `QueueCallJoiner` let go give: their contacts, in cells per reporting
/// worker (channel ids in that worker's label table, translated at the end), and their lines that give no
/// contact, by file and reason. A class, as the cells cannot be copied; used only under the collector's
/// lock, and at the end of the run.
final class RetiredCalls: @unchecked Sendable {
    private final class WorkerCells {
        var accumulator = ContactAccumulator()
    }

    private var cellsByWorker: [Int: WorkerCells] = [:]
    private(set) var skippedLines: [Int: [SkipReason: Int]] = [:]
    private(set) var openCalls = 0
    private(set) var hasContacts = false

    /// - Parameter linesByFile: `QueueCallJoiner.linesByFile(of:)` for a leg with lines in several files; nil when all
    ///   are in its `fileIndex` (so that letting a leg go builds no array).
    func add(_ leg: QueueCallJoiner.Leg, linesByFile: [(file: Int, lines: Int)]?) {
        if let reason = QueueCallJoiner.skipReason(of: leg) {
            for (file, lines) in linesByFile ?? [(Int(leg.fileIndex), Int(leg.lineCount))] where lines != 0 {
                skippedLines[file, default: [:]][reason, default: 0] += lines
            }
            if reason == .openCall { openCalls += 1 }
            return
        }
        // Only legs this run's ENTERQUEUE began are let go, so the channel is in a worker's table.
        let worker = Int(leg.worker)
        let cells = cellsByWorker[worker] ?? { let new = WorkerCells(); cellsByWorker[worker] = new; return new }()
        cells.accumulator.add(QueueCallJoiner.contribution(of: leg, channel: leg.channel, isSubmission: leg.isSubmission))
        hasContacts = true
    }

    /// The contacts' cells, one run per worker, labelled from the workers' channel tables (by worker).
    func sortedRuns(channelLabels: [Int: [String]]) -> [SortedCellRun] {
        cellsByWorker.sorted { $0.key < $1.key }.map { worker, cells in
            cells.accumulator.sortedRun(channelLabels: channelLabels[worker] ?? [], categoryLabels: [])
        }
    }
}
