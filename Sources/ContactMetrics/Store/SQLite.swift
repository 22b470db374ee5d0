import CSQLite
import Foundation

/// A failed SQLite call: the result code and SQLite's own message (`sqlite3_errmsg`).
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The primary result code (`SQLITE_BUSY`, `SQLITE_CORRUPT`, …).
    public var code: Int32
    public var message: String

    public var description: String { message }
}

/// SQLite asks for `SQLITE_TRANSIENT` (a copy) with the pointer value -1, which Swift cannot import.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One connection to a database file. Not thread-safe: one connection per thread (or per process here).
final class SQLiteConnection {
    private(set) var handle: OpaquePointer?

    /// Opens `path`; with `create`, a missing file becomes a new empty database; with `readOnly`,
    /// nothing is ever written to the file.
    /// - Parameter busyTimeoutSeconds: how long a statement waits for another process's lock before it
    ///   fails with `SQLITE_BUSY` (the nightly job must wait for a concurrent run, not fail).
    /// - Parameter immutable: read-only, and without the shared-memory file a write-ahead-log database
    ///   needs (for a reader that may not create it); the file must not change while it is open.
    /// - Parameter sharedMemoryReadOnly: read-only, opening the write-ahead log's shared-memory file read-only and
    ///   never creating it (SQLite's `readonly_shm`): for a reader that must leave no file of its own.
    init(path: String, create: Bool, readOnly: Bool = false, immutable: Bool = false, sharedMemoryReadOnly: Bool = false,
         busyTimeoutSeconds: Int32 = 60) throws(SQLiteError) {
        let access = readOnly || immutable || sharedMemoryReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
        let parameter = immutable ? "immutable=1" : sharedMemoryReadOnly ? "readonly_shm=1" : nil
        let flags = access | SQLITE_OPEN_NOMUTEX | (parameter != nil ? SQLITE_OPEN_URI : 0)
        let name = parameter.map { "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?" + $0 } ?? path
        let status = sqlite3_open_v2(name, &handle, flags, nil)
        guard status == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            handle = nil
            throw SQLiteError(code: status, message: message)
        }
        sqlite3_extended_result_codes(handle, 0)
        sqlite3_busy_timeout(handle, busyTimeoutSeconds * 1000)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more statements that return no rows we need.
    func execute(_ sql: String) throws(SQLiteError) {
        let status = sqlite3_exec(handle, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw error(status) }
    }

    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status) }
        return SQLiteStatement(statement, connection: self)
    }

    /// The first column of the first row of `sql` as an integer (nil when there is no row or it is NULL).
    func scalar(_ sql: String) throws(SQLiteError) -> Int64? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.optionalInt64(0)
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The most parameters one statement may have: 32,766 by default since SQLite 3.32, 999 before,
    /// and what the build or `limitParameters(to:)` set.
    var parameterLimit: Int { Int(sqlite3_limit(handle, SQLITE_LIMIT_VARIABLE_NUMBER, -1)) }

    /// Lowers `parameterLimit` for this connection (as an older SQLite would have it).
    func limitParameters(to count: Int32) {
        sqlite3_limit(handle, SQLITE_LIMIT_VARIABLE_NUMBER, count)
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction (the write lock is taken at once, waiting up to the
    /// busy timeout); commits when it returns, rolls back when it throws.
    func immediateTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body`'s reads in one read transaction: they all see the database as it was at the first
    /// (a write that commits meanwhile is seen by none of them, or, if it committed first, by all). Inside
    /// a transaction already, `body` runs in that one.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        guard sqlite3_get_autocommit(handle) != 0 else { return try body() }
        try execute("BEGIN DEFERRED")
        defer { try? execute("COMMIT") }  // a read has nothing to commit: it ends the snapshot
        return try body()
    }

    func error(_ status: Int32) -> SQLiteError {
        SQLiteError(code: status, message: String(cString: sqlite3_errmsg(handle)))
    }
}

/// A prepared statement. Bind parameters by 1-based index, step, read columns by 0-based index.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let connection: SQLiteConnection

    fileprivate init(_ statement: OpaquePointer, connection: SQLiteConnection) {
        self.statement = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(statement) }

    func bind(_ index: Int32, _ value: Int64?) throws(SQLiteError) {
        let status = value.map { sqlite3_bind_int64(statement, index, $0) } ?? sqlite3_bind_null(statement, index)
        guard status == SQLITE_OK else { throw connection.error(status) }
    }

    func bind(_ index: Int32, _ value: String?) throws(SQLiteError) {
        let status = value.map { sqlite3_bind_text(statement, index, $0, -1, transient) } ?? sqlite3_bind_null(statement, index)
        guard status == SQLITE_OK else { throw connection.error(status) }
    }

    func bind(_ index: Int32, blob: [UInt8]) throws(SQLiteError) {
        let status = blob.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count), transient) }
        guard status == SQLITE_OK else { throw connection.error(status) }
    }

    /// Binds `bytes` without a copy: they must stay valid until the statement is stepped and reset.
    func bind(_ index: Int32, borrowing bytes: UnsafeRawBufferPointer) throws(SQLiteError) {
        let status = sqlite3_bind_blob(statement, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), nil)
        guard status == SQLITE_OK else { throw connection.error(status) }
    }

    /// Binds every value in order from parameter 1.
    func bind(_ values: [Int64]) throws(SQLiteError) {
        for (offset, value) in values.enumerated() { try bind(Int32(offset + 1), value) }
    }

    /// Advances to the next row: true when a row is available, false when the statement is done.
    @discardableResult
    func step() throws(SQLiteError) -> Bool {
        let status = sqlite3_step(statement)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(status)
        }
    }

    /// Resets the statement for another run with new bindings.
    func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    /// Resets the statement for another run that binds every parameter again (the bindings are kept
    /// until then: a borrowed BLOB must not be read after this).
    func resetForRebinding() {
        sqlite3_reset(statement)
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func optionalInt64(_ column: Int32) -> Int64? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, column)
    }

    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(statement, column) else { return "" }
        return String(cString: text)
    }

    /// The column's bytes, valid only until the next `step`/`reset` (no copy).
    func blob(_ column: Int32) -> UnsafeRawBufferPointer {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let base = sqlite3_column_blob(statement, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base, count: count)
    }
}
