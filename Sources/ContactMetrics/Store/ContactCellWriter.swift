/// Writes one source's contact cells to `contact_cells`, many rows per `INSERT` statement.
///
/// Between the rows of one statement SQLite keeps its cursor on the table's last page, so cells given in
/// key order are appended with a search of that page only. A statement per row starts every search
/// from the root, on the table and on its index by source: for the 280,000 cells of two years at the
/// store's grain that was ten times the key comparisons (see `Benchmarks/README.md`).
struct ContactCellWriter {
    /// Rows per statement: 64 × 18 parameters stays far below SQLite's limit of 32,766.
    static let rowsPerStatement = 64

    private let connection: SQLiteConnection
    private let sourceID: Int64
    private let fields = ContactCounters.Field.allCases
    private var statements: [Int: SQLiteStatement] = [:]
    private var keys: [CellKey] = []
    private var counters: [Int64] = []
    /// The pending rows' BLOBs end to end, and where each ends (three per row).
    private var blobBytes: [UInt8] = []
    private var blobEnds: [Int] = []

    init(connection: SQLiteConnection, sourceID: Int64) {
        self.connection = connection
        self.sourceID = sourceID
        keys.reserveCapacity(Self.rowsPerStatement)
    }

    private var columnCount: Int { fields.count + 6 }

    /// Adds a cell; cells must come in ascending key order for the appends to be cheap (any order is
    /// correct).
    mutating func append(_ key: CellKey, _ cell: ContactCell) throws {
        keys.append(key)
        for field in fields { counters.append(cell.counters[field]) }
        blobBytes.append(contentsOf: CellEncoding.encode(cell.answerWaits))
        blobEnds.append(blobBytes.count)
        blobBytes.append(contentsOf: CellEncoding.encode(cell.abandonWaits))
        blobEnds.append(blobBytes.count)
        CellEncoding.append(cell.categories, to: &blobBytes)
        blobEnds.append(blobBytes.count)
        if keys.count == Self.rowsPerStatement { try flush() }
    }

    /// Writes the rows still pending.
    mutating func finish() throws {
        if !keys.isEmpty { try flush() }
    }

    private mutating func flush() throws {
        let statement = try self.statement(rows: keys.count)
        let columns = Int32(columnCount), fieldCount = fields.count
        try blobBytes.withUnsafeBytes { bytes in
            var blobStart = 0
            for (row, key) in keys.enumerated() {
                let first = Int32(row) * columns + 1
                try statement.bind(first, key.period)
                try statement.bind(first + 1, key.channel)
                try statement.bind(first + 2, sourceID)
                for offset in 0..<fieldCount {
                    try statement.bind(first + 3 + Int32(offset), counters[row * fieldCount + offset])
                }
                for blob in 0..<3 {
                    let end = blobEnds[row * 3 + blob]
                    // Borrowed, not copied: `bytes` outlives the step below.
                    try statement.bind(first + 3 + Int32(fieldCount + blob), borrowing: UnsafeRawBufferPointer(rebasing: bytes[blobStart..<end]))
                    blobStart = end
                }
            }
            defer { statement.resetForRebinding() }
            try statement.step()
        }
        keys.removeAll(keepingCapacity: true)
        counters.removeAll(keepingCapacity: true)
        blobBytes.removeAll(keepingCapacity: true)
        blobEnds.removeAll(keepingCapacity: true)
    }

    /// The statement that inserts `rows` rows (prepared once per count: the full batch, and the last one).
    private mutating func statement(rows: Int) throws -> SQLiteStatement {
        if let prepared = statements[rows] { return prepared }
        let names = ["slot", "channel", "source_id"] + fields.map(\.column) + ["answer_waits", "abandon_waits", "categories"]
        let row = "(" + Array(repeating: "?", count: columnCount).joined(separator: ", ") + ")"
        let statement = try connection.prepare("""
            INSERT INTO contact_cells (\(names.joined(separator: ", ")))
            VALUES \(Array(repeating: row, count: rows).joined(separator: ", "))
            """)
        statements[rows] = statement
        return statement
    }
}
