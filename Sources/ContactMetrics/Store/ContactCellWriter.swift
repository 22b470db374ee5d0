import Dispatch

/// Writes one source's contact cells to `contact_cells`, many rows per `INSERT` statement.
///
/// Between the rows of one statement SQLite keeps its cursor on the table's last page, so cells given in
/// key order are appended with a search of that page only. A statement per row starts every search
/// from the root, on the table and on its index by source: for the 265,000 cells of two years at the
/// store's grain that was twice the SQLite instructions (see `Benchmarks/README.md`).
struct ContactCellWriter {
    /// Rows per statement at most: 64 × 18 parameters, within SQLite's limit since 3.32 (32,766).
    static let maximumRowsPerStatement = 64

    private let connection: SQLiteConnection
    private let sourceID: Int64
    /// Rows per statement on this connection: fewer where SQLite allows fewer parameters (999 before
    /// 3.32), one at least.
    private let rowsPerStatement: Int
    private var statements: [Int: SQLiteStatement] = [:]

    init(connection: SQLiteConnection, sourceID: Int64) {
        self.connection = connection
        self.sourceID = sourceID
        rowsPerStatement = max(1, min(Self.maximumRowsPerStatement, connection.parameterLimit / ContactCellBatch.columnCount))
    }

    /// Writes `cells` (in memory, in key order).
    mutating func write(_ cells: ContactCells) throws {
        var batch = ContactCellBatch()
        for (key, cell) in cells {
            batch.append(key, cell)
            if batch.isFull {
                try write(batch)
                batch.removeAll()
            }
        }
        try write(batch)
    }

    /// Writes the cells of a spill. Another thread reads them back, merges and encodes them while this
    /// one binds and steps the statements (three quarters of the work, measured: the rest overlaps it).
    /// At most six batches are alive at once (four waiting, one filling, one written), so about 6 MiB of
    /// BLOBs.
    mutating func write(_ spilled: SpilledContactCells) throws {
        let handoff = BatchHandoff<ContactCellBatch>(capacity: 4)
        let producer = DispatchGroup()
        DispatchQueue.global().async(group: producer) {
            var batch = ContactCellBatch()
            do {
                try spilled.forEachCell { key, cell in
                    batch.append(key, cell)
                    guard batch.isFull else { return }
                    guard handoff.put(batch) else { throw ConsumerStopped() }
                    batch.removeAll()
                }
                if batch.count > 0 && !handoff.put(batch) { throw ConsumerStopped() }
                handoff.finish()
            } catch {
                handoff.finish(throwing: error)
            }
        }
        // The spill must not be read after this returns, nor the producer left waiting for room.
        defer {
            handoff.abandon()
            producer.wait()
        }
        while let batch = try handoff.take() { try write(batch) }
    }

    private struct ConsumerStopped: Error {}

    private mutating func write(_ batch: ContactCellBatch) throws {
        var first = 0
        while first < batch.count {
            let rows = min(rowsPerStatement, batch.count - first)
            try insert(batch, rows: first..<first + rows)
            first += rows
        }
    }

    private mutating func insert(_ batch: ContactCellBatch, rows: Range<Int>) throws {
        let statement = try self.statement(rows: rows.count)
        let fieldCount = ContactCellBatch.fields.count
        let columns = Int32(ContactCellBatch.columnCount)
        try batch.blobBytes.withUnsafeBytes { bytes in
            for (position, row) in rows.enumerated() {
                let first = Int32(position) * columns + 1
                let key = batch.keys[row]
                try statement.bind(first, key.period)
                try statement.bind(first + 1, key.channel)
                try statement.bind(first + 2, sourceID)
                for offset in 0..<fieldCount {
                    try statement.bind(first + 3 + Int32(offset), batch.counters[row * fieldCount + offset])
                }
                var blobStart = row == 0 ? 0 : batch.blobEnds[row * 3 - 1]
                for blob in 0..<3 {
                    let end = batch.blobEnds[row * 3 + blob]
                    // Borrowed, not copied: `bytes` outlives the step below.
                    try statement.bind(first + 3 + Int32(fieldCount + blob), borrowing: UnsafeRawBufferPointer(rebasing: bytes[blobStart..<end]))
                    blobStart = end
                }
            }
            defer { statement.resetForRebinding() }
            try statement.step()
        }
    }

    /// The statement that inserts `rows` rows (prepared once per count: the full one, and the last one).
    private mutating func statement(rows: Int) throws -> SQLiteStatement {
        if let prepared = statements[rows] { return prepared }
        let names = ["slot", "channel", "source_id"] + ContactCellBatch.fields.map(\.column) + ["answer_waits", "abandon_waits", "categories"]
        let row = "(" + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
        let statement = try connection.prepare("""
            INSERT INTO contact_cells (\(names.joined(separator: ", ")))
            VALUES \(Array(repeating: row, count: rows).joined(separator: ", "))
            """)
        statements[rows] = statement
        return statement
    }
}

/// Cells ready to bind: their keys, counters and encoded BLOBs in flat arrays (a few allocations for a
/// thousand cells, not several per cell).
struct ContactCellBatch: Sendable {
    static let fields = ContactCounters.Field.allCases
    /// A row's parameters: slot, channel, source, the counters and three BLOBs.
    static let columnCount = fields.count + 6
    /// A batch is full at this many cells, or sooner at `byteCapacity` bytes of BLOBs: cells of many long
    /// labels (free text mapped as a category) must not make the batches waiting large.
    static let capacity = 1024
    static let byteCapacity = 1 << 20

    private(set) var keys: [CellKey] = []
    /// `fields.count` counters per row.
    private(set) var counters: [Int64] = []
    /// The rows' BLOBs end to end (answer waits, abandon waits, categories), and where each ends.
    private(set) var blobBytes: [UInt8] = []
    private(set) var blobEnds: [Int] = []

    var count: Int { keys.count }
    var isFull: Bool { keys.count >= Self.capacity || blobBytes.count >= Self.byteCapacity }

    mutating func append(_ key: CellKey, _ cell: ContactCell) {
        keys.append(key)
        for field in Self.fields { counters.append(cell.counters[field]) }
        blobBytes.append(contentsOf: CellEncoding.encode(cell.answerWaits))
        blobEnds.append(blobBytes.count)
        blobBytes.append(contentsOf: CellEncoding.encode(cell.abandonWaits))
        blobEnds.append(blobBytes.count)
        CellEncoding.append(cell.categories, to: &blobBytes)
        blobEnds.append(blobBytes.count)
    }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        counters.removeAll(keepingCapacity: true)
        blobBytes.removeAll(keepingCapacity: true)
        blobEnds.removeAll(keepingCapacity: true)
    }
}
