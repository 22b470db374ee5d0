import CSQLite
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a store operation failed. `description` is a complete message for the console.
public enum StoreError: Error, CustomStringConvertible {
    case missing(path: String)
    case newerSchema(path: String, found: Int64, supported: Int64)
    case notAStore(path: String)
    /// `path` is a symbolic link to `target`, which does not exist (a store is not created through it:
    /// putting the new store in place would replace the link).
    case danglingLink(path: String, target: String)
    /// The file exists and is empty: not a store, and not turned into one.
    case emptyFile(path: String)
    case database(path: String, SQLiteError)
    case unknownSource(path: String, name: String)
    case zoneNotWholeHours(identifier: String)
    case malformed(path: String)
    /// The source `name` holds rows of another kind (contacts, incidents, queue-log) than the file given under it.
    case otherKind(path: String, name: String, stored: String, given: String)
    /// Another run committed to the store while this one read files whose reading depends on it (queue_log calls
    /// left open by earlier nights): nothing was written.
    case changedWhileReading(path: String)
    /// The store's file changed while this run read it as immutable (a reader that may not write it, during its
    /// owner's ingest): what was read may mix two states, so nothing was written.
    case writtenWhileRead(path: String)
    /// SQLite's `integrity_check` found the file damaged (`detail`: its first finding).
    case damaged(path: String, detail: String)
    /// A source whose content is already in the store under another name, read with other options.
    case sameContentOtherReading(path: String, name: String, other: String)
    /// The cells being written could not be read back from the run's scratch file (`CellSpill`).
    case scratch(InputError)

    /// Whether the file at `path` begins with SQLite's 16-byte mark; nil when it cannot be read or is shorter.
    static func beginsAsSQLite(_ path: String) -> Bool? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 16), head.count == 16 else { return nil }
        return head == Data("SQLite format 3\0".utf8)
    }

    /// Whether the file's first bytes (up to 4 KiB) are text: tabs, line ends and printable bytes only (UTF-8's
    /// too; UTF-16 has NULs, and is not taken for text here).
    static func beginsAsText(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4_096), !head.isEmpty else { return false }
        return head.allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || ($0 >= 32 && $0 != 127) }
    }

    public var description: String {
        switch self {
        case let .missing(path): return "\(path): no such store (create one with 'contact-metrics ingest --store \(path) FILE...')"
        case let .newerSchema(path, found, supported):
            return "\(path): the store has schema version \(found), newer than this contact-metrics understands (\(supported)); use a newer contact-metrics"
        case let .notAStore(path):
            var status = stat()
            if stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR {
                return "\(path): a directory, not a contact-metrics store; give the store's file (a new one is made at a path that does not exist, e.g. \(path)/metrics.db)"
            }
            // Not even SQLite's header: another kind of file, or a store whose first page was overwritten (a review
            // read "not a store" of its own damaged store).
            if StoreError.beginsAsSQLite(path) == false {
                // Text: an export given where the store goes (`--store calls.csv store.db`), not a damaged store (a review).
                if StoreError.beginsAsText(path) {
                    return "\(path): not a contact-metrics store but a text file (an export? --store names the store's file, "
                        + "and the exports follow the options: 'contact-metrics ingest --store metrics.db \(path)')"
                }
                return "\(path): not a contact-metrics store (nor any SQLite database: if it was a store, its first page is damaged; "
                    + "restore it from a backup, or build it again by ingesting the exports into a new store)"
            }
            return "\(path): not a contact-metrics store"
        case let .writtenWhileRead(path):
            return "\(path): the store was written while this run read it (an ingest by a user who may write it; this one may not, "
                + "so it read the file as it stood, unguarded), and what it read may mix two states; nothing was written: run again once the ingest has finished"
        case let .danglingLink(path, target):
            return "\(path): a symbolic link to \(target), which does not exist; give the store's real path (or make the link point at it)"
        case let .emptyFile(path):
            return "\(path): the file is empty, so it is not a store; remove it, or name a path that does not exist to create a new store"
        case let .database(path, error) where error.code == SQLITE_CORRUPT:
            // A store cut short, say: SQLite's words alone gave no advice (a review).
            return StoreError.damaged(path: path, detail: error.message).description
        case let .database(path, error) where error.code == SQLITE_BUSY:
            return "\(path): \(error.message): another process held it for the 60 s this run waits (an ingest or `store remove` still running, "
                + "or a program with the store open); nothing was changed, and running again once it has finished is safe"
        case let .database(path, error):
            // A write that fails for want of space often reaches SQLite as an I/O error, not SQLITE_FULL.
            guard error.code == SQLITE_IOERR || error.code == SQLITE_FULL else { return "\(path): \(error.message)" }
            var space = statvfs()
            guard statvfs(FilePaths.directory(of: path), &space) == 0 else { return "\(path): \(error.message)" }
            let free = Int64(space.f_bavail) * Int64(space.f_frsize)
            // A new store is built under a temporary name and linked into place only once written: none was made.
            let outcome = FileManager.default.fileExists(atPath: path) ? "the store is unchanged" : "no store was made"
            // Measured after the run stopped writing and removed its own files (a review read "3 MB free: it may be full" as a contradiction).
            return "\(path): \(error.message) (the disk holding it has \(DisplayFormat.bytes(free)) free now that this run has stopped writing"
                + "\(free < 64 << 20 ? ": it was likely full while it wrote" : ""); \(outcome))"
        case let .unknownSource(path, name): return "\(path): no source named '\(name)' (list them with 'contact-metrics store sources --store \(path)')"
        case let .zoneNotWholeHours(identifier):
            return "time zone \(identifier) has had UTC offsets or clock changes since 1970 that do not fall on a quarter hour; the store keeps UTC 15-minute cells, so it reports only in zones whose offsets and clock changes do"
        case let .sameContentOtherReading(path, name, other):
            return "\(path): \(name) has the same content as the source \(other), which was read with other options (time zone, date order, kind, config, ...); to read it the new way, ingest it under the name \(other), or remove \(other) first"
        case let .malformed(path): return "\(path): a stored cell is malformed (the store may be damaged)"
        case let .changedWhileReading(path):
            return "\(path): another ingest changed the store while this one read its queue_log files (which complete the calls earlier "
                + "nights left open); nothing was changed: run again"
        case let .otherKind(path, name, stored, given):
            return "\(path): the source \(name) holds \(stored), and this file holds \(given): give it a name of its own "
                + "(\(name)-\(given), with --source-name); nothing was changed"
        case let .damaged(path, detail):
            // The check's findings are lines: joined, not shown as a literal "\n".
            let findings = detail.split(whereSeparator: \.isNewline).joined(separator: "; ")
            return "\(path): the store is damaged (SQLite's check found: \(Escaping.excerpt(findings))); nothing was read from it or written to it: "
                + "restore it from a backup, or build it again by ingesting the exports into a new store"
        case let .scratch(error): return error.description
        }
    }
}

/// How a store is opened.
public enum StoreAccess: Sendable, Equatable {
    /// Reading only (report, compare, store info and sources): the file is never written, so a store
    /// one may only read can be reported on, and someone else's database is left exactly as it was.
    case readOnly
    /// An existing store, for writing (an older schema is brought up to date).
    case readWrite
    /// An existing store for writing, or a new one when no file has the path. A new store is built
    /// under a temporary name and linked into place, so the path never holds a half-made store and
    /// two runs creating it at once both end up with the one store.
    case createIfMissing
}

/// A SQLite file of aggregates for nightly runs (DESIGN §7): cells per ingested source, UTC 15-minute
/// slot and channel, and a table of the sources. It never holds a row of caller data.
///
/// Schema (version 7, in `PRAGMA user_version`):
/// - `sources`: one row per source name, with its size, content fingerprint, reading options, ledger
///   counts, first/last arrival and ingest time.
/// - `contact_cells (slot, channel, source_id)`: the additive `ContactCounters`, and the answer-wait,
///   abandon-wait and category counts as BLOBs (`CellEncoding`). `slot` = ⌊UTC seconds / 900⌋.
/// - `incident_cells (slot, source_id)`: `IncidentCounters` and the referrals by agency (BLOB).
/// - `open_calls (source_id, call)` (version 2): queue_log calls a source left open (arrival, no outcome
///   yet), so that a later source holding the rest of the call completes it (`OpenQueueCall`).
/// - version 3: `contact_cells` gains the wrap-up counters (`wrapped`, `handle_with_wrap_up_seconds`,
///   `handle_with_wrap_up_seconds_squared`), 0 in cells written before.
/// - version 4: `contact_cells` gains `outcome_unknown` (contacts whose export gives no outcome), 0 in
///   cells written before: an older store counted them in `other` only.
/// - version 5: `contact_cells` gains `minute_timed_waits` (waits timed from times without seconds), 0 in
///   cells written before: for those, a source's judgement in whole minutes (its ledger) stands for its rows.
/// - version 6: `open_calls` holds every leg a call left (`leg`, 0 the oldest) with its queue (`queue`, the code of
///   `QueueEvent.queue`) and, of an open leg, its lines (`lines`), keyed `(source_id, call, leg)`; before, one row per
///   call (its latest leg), read as leg 0 of queue 0 (not known) with no lines. `id_sketches (source_id)` holds each source's `IdSketch.encoded` (none for a source without ids or stored
///   before), by which a corrected night under its name is told from the next (`corrects`).
/// - version 7: `contact_cells` gains `category_not_given` (contacts whose export has no category column), 0 in
///   cells written before: their contacts count in category shares' denominators, as they did then.
/// Cells are kept per source so that replacing or removing a source is exact; reports sum over sources.
/// The database runs in WAL mode (readers do not block the writer) with a 60 s busy timeout, so
/// concurrent runs wait for each other.
public final class ContactStore {
    /// The schema version this code writes; it reads versions 1 to 7 (and upgrades them when it writes).
    public static let schemaVersion: Int64 = 7

    /// The first 16 bytes of every SQLite database file, a store among them.
    public static let fileHeader: [UInt8] = Array("SQLite format 3".utf8) + [0]

    /// Whether the file at `path` begins as an SQLite database does (a store given where a CSV, or no
    /// `--store`, was expected).
    public static func isSQLiteFile(atPath path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: fileHeader.count)).map { Array($0) == fileHeader } ?? false
    }

    /// The mark `upgradeSchema` adds to the reading of each source a store held before version 4.
    public static let storedBeforeVersion4 = "\(storedBeforeKey)=4"
    /// The mark `upgradeSchema` adds to the reading of each source a store held before version 7.
    public static let storedBeforeVersion7 = "\(storedBeforeKey)=7"
    static let storedBeforeKey = "stored-before-schema"

    /// The schema version that brought `field`'s column (read as 0 from an older store opened read-only).
    static func version(bringing field: ContactCounters.Field) -> Int64 {
        // Every case named (no default), so that a new counter cannot be left out of the upgrade.
        switch field {
        case .received, .answered, .answeredUntimed, .abandoned, .abandonedUntimed, .other, .handled, .handleSeconds, .handleSecondsSquared: 1
        case .wrapped, .handleWithWrapUpSeconds, .handleWithWrapUpSecondsSquared: 3
        case .outcomeUnknown: 4
        case .minuteTimedWaits: 5
        case .categoryNotGiven: 7
        }
    }

    public let path: String
    public let access: StoreAccess
    let connection: SQLiteConnection
    /// While `sourcesCountedTwice` compares every pair of sources: their id sketches, read once each (read pair by pair,
    /// `store info` of a 2,920-night store took 7 s against 2.2 s without them). nil: not caching.
    var sketchCache: [String: IdSketch?]?
    /// The store's files as this connection found them whole when it opened them (a reader and writer only; nil for a
    /// reader that may not write, or when they changed while they were checked): what `foldWriteAheadLog` expects of
    /// the store's file before it records it.
    let filesWhenOpened: StoreFilesState?
    /// SQLite's `data_version` when the store was opened for writing (`filesIfNoOtherCommit`).
    private(set) var dataVersionWhenOpened: Int64?
    /// While `sourcesCountedTwice` compares every pair of sources: the sources' ids, kinds and times (`SourceCatalog`), read once.
    var catalogCache: SourceCatalog?
    /// The file as it was when opened immutable (`connect`): nil for a connection SQLite guards.
    private let immutableVersion: FileVersion?

    /// Throws `writtenWhileRead` if the store was opened immutable and its file has changed since: what was read
    /// may mix two states. Commands call it once they have read the store, before they write their output.
    public func confirmUnchanged() throws(StoreError) {
        if let immutableVersion, FileVersion(path: path) != immutableVersion { throw .writtenWhileRead(path: path) }
    }

    /// Opens the store at `path`.
    /// - Throws: `StoreError.missing` (no file, and `access` does not create), `.emptyFile`, `.notAStore`
    ///   (another database or file), `.newerSchema`, `.database`.
    public convenience init(path: String, access: StoreAccess) throws(StoreError) {
        try self.init(path: path, access: access, readAsOthers: false)
    }

    /// - Parameter readAsOthers: read as a user who may not write the store would (tests run as root).
    init(path: String, access: StoreAccess, readAsOthers: Bool) throws(StoreError) {
        self.path = path
        self.access = access
        var status = stat()
        if stat(path, &status) != 0 {
            let failure = errno
            if failure == ENOENT, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                throw .danglingLink(path: path, target: target)
            }
            guard failure == ENOENT, access == .createIfMissing else {
                if failure == ENOENT { throw .missing(path: path) }
                throw .database(path: path, SQLiteError(code: SQLITE_CANTOPEN, message: String(cString: strerror(failure))))
            }
            try Self.create(at: path)
        } else if status.st_mode & S_IFMT != S_IFREG {
            throw .notAStore(path: path)
        } else if status.st_size == 0 {
            throw .emptyFile(path: path)
        }
        (connection, immutableVersion, filesWhenOpened) = try Self.connect(path: path, readOnly: access == .readOnly, asOthers: readAsOthers)
        if access != .readOnly {
            // The schema is brought up to date by the first write (`upgradeSchema`), not here: a run that
            // fails or changes nothing leaves an older store as it was, readable by the build that wrote it.
            try check { () throws in try self.enableWriteAheadLog() }
            // The store's file is written by `foldWriteAheadLog` alone, which records it only if nothing else wrote it.
            try check { () throws in try self.connection.execute("PRAGMA wal_autocheckpoint = 0") }
            dataVersionWhenOpened = try? connection.scalar("PRAGMA data_version")
        }
    }

    /// Opens the database and checks that it is a store this code reads. A reader that may not create
    /// the write-ahead log's shared-memory file (a store in a directory it cannot write), or may not write the
    /// store, reads it as an immutable file instead, and the file's version when it did (`immutableVersion`).
    private static func connect(path: String, readOnly: Bool, asOthers: Bool) throws(StoreError) -> (SQLiteConnection, FileVersion?, StoreFilesState?) {
        do {
            // A reader that could write opens the file read-write for queries only: the last connection to
            // close removes the write-ahead log's -wal and -shm files, which a read-only one leaves behind.
            let mayWrite = Glibc.access(path, W_OK) == 0 && !asOthers
            let queriesOnly = readOnly && mayWrite && Glibc.access(FilePaths.directory(of: path), W_OK) == 0
            // A reader that cannot write the store but can write its directory made -wal and -shm files of its own
            // there, which the store's owner cannot write: every later ingest failed (found by a review). It never
            // opens the store in a way that may make them. With a log holding changes (an ingest under way, or one
            // killed), it reads through the owner's files, opened read-only (`readonly_shm`); otherwise it reads the
            // file as immutable, and a write meanwhile is found by the file's version (`writtenWhileRead`: read so
            // unguarded, two states mixed). Testing for the -shm alone raced with the owner's last close (diff reviews).
            if readOnly && !mayWrite {
                var log = stat()
                if stat(path + "-wal", &log) == 0 && log.st_size > 0 {
                    do {
                        let connection = try SQLiteConnection(path: path, create: false, sharedMemoryReadOnly: true)
                        try checkSchema(connection, path: path, mayRecord: false)
                        return (connection, nil, nil)
                    } catch let error as SQLiteError where error.code == SQLITE_READONLY || error.code == SQLITE_CANTOPEN {
                        return try immutableConnection(path: path, code: error.code)
                    }
                }
                return try immutableConnection(path: path, code: SQLITE_READONLY)
            }
            let connection = try SQLiteConnection(path: path, create: false, readOnly: readOnly && !queriesOnly)
            if queriesOnly { try connection.execute("PRAGMA query_only = ON") }
            // The record of a check goes beside the store: only a reader that may write there keeps one.
            let whole = try checkSchema(connection, path: path, mayRecord: mayWrite && Glibc.access(FilePaths.directory(of: path), W_OK) == 0)
            return (connection, nil, whole.map(StoreFilesState.init))
        } catch let error as StoreError {
            throw error
        } catch let error as SQLiteError where readOnly && (error.code == SQLITE_READONLY || error.code == SQLITE_CANTOPEN) {
            return try immutableConnection(path: path, code: error.code)
        } catch {
            var failure = error as? SQLiteError ?? SQLiteError(code: SQLITE_ERROR, message: "\(error)")
            if !readOnly && (failure.code == SQLITE_CANTOPEN || failure.code == SQLITE_READONLY), let why = whyNotWritable(path) { failure.message = why }
            throw .database(path: path, failure)
        }
    }

    /// The store read as an immutable file, by a reader that may not create or write the write-ahead log's
    /// files: only when no write-ahead log holds data the file does not.
    private static func immutableConnection(path: String, code: Int32) throws(StoreError) -> (SQLiteConnection, FileVersion?, StoreFilesState?) {
        var log = stat()
        if stat(path + "-wal", &log) == 0 && log.st_size > 0 {
            throw .database(path: path, SQLiteError(code: code, message: """
                cannot read the store: its write-ahead log (\(path)-wal) holds changes, and reading them needs write \
                access to the store and its directory; run 'contact-metrics store info' once as a user who can write both
                """))
        }
        let version = FileVersion(path: path)
        do {
            let connection = try SQLiteConnection(path: path, create: false, immutable: true)
            try checkSchema(connection, path: path, mayRecord: false)
            guard FileVersion(path: path) == version else { throw StoreError.writtenWhileRead(path: path) }
            return (connection, version, nil)
        } catch {
            // A schema check torn by a write meanwhile looks damaged: said as what it is.
            if FileVersion(path: path) != version { throw .writtenWhileRead(path: path) }
            throw error as? StoreError ?? .database(path: path, error as? SQLiteError ?? SQLiteError(code: SQLITE_ERROR, message: "\(error)"))
        }
    }

    /// Opens the store for writing, creating it when `create` and no file has the path.
    public convenience init(path: String, create: Bool) throws(StoreError) {
        try self.init(path: path, access: create ? .createIfMissing : .readWrite)
    }

    /// Begins a read transaction that lasts as long as this connection: every later read sees the store as
    /// it is now, whatever other runs commit meanwhile (a command that reads a store several times).
    public func holdOneState() throws(StoreError) {
        try check {
            try connection.execute("BEGIN DEFERRED")
            _ = try connection.scalar("SELECT count(*) FROM sources")  // a deferred transaction's snapshot starts at its first read
        }
    }

    /// Runs `body`'s reads of the store in one read transaction, so that they all see one state of it
    /// (`report --store` during a nightly `ingest`).
    public func readingOneState<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try check { try connection.readTransaction { () throws -> T in try body() } }
    }

    /// Runs `body`, turning SQLite and encoding failures into `StoreError`s that name the store.
    func check<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            // A torn read of a file written meanwhile looks damaged: said as what it is.
            try confirmUnchanged()
            let failure = Self.storeError(error, path: path, access: access)
            // Damage found however: the next run checks the store whole, whatever the record of the last check says.
            if case let .database(_, error) = failure, error.code == SQLITE_CORRUPT { StoreCheckRecord.remove(forStoreAt: path) }
            if case .malformed = failure { StoreCheckRecord.remove(forStoreAt: path) }
            throw failure
        }
    }

    /// A failure of `check`'s body as a `StoreError` that names the store.
    private static func storeError(_ error: any Error, path: String, access: StoreAccess) -> StoreError {
        if let error = error as? StoreError { return error }
        if var error = error as? SQLiteError {
            // SQLite's "unable to open database file" or "attempt to write a readonly database": say what.
            if access != .readOnly && (error.code == SQLITE_CANTOPEN || error.code == SQLITE_READONLY), let why = Self.whyNotWritable(path) {
                error.message = why
            }
            return .database(path: path, error)
        }
        if let error = error as? InputError { return .scratch(error) }
        return .malformed(path: path)
    }

    /// Why the store at `path` cannot be written, when the file or its directory (where SQLite keeps the
    /// write-ahead log) cannot be; nil when both can.
    static func whyNotWritable(_ path: String) -> String? {
        if Glibc.access(path, W_OK) != 0 { return "cannot write the store: \(String(cString: strerror(errno)))" }
        let directory = FilePaths.directory(of: path)
        if Glibc.access(directory, W_OK) != 0 {
            return "cannot write the store: \(String(cString: strerror(errno))) (\(directory), where SQLite keeps the store's write-ahead log)"
        }
        // The write-ahead log's files, left by an earlier version's run as a user who could only read the store.
        let stray = ["-wal", "-shm"].map { path + $0 }.filter { FileManager.default.fileExists(atPath: $0) && Glibc.access($0, W_OK) != 0 }
        if let first = stray.first {
            var info = stat()
            let owner = stat(first, &info) == 0 ? getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(info.st_uid)" : "another user"
            return "cannot write the store: \(stray.joined(separator: " and ")), the write-ahead log's \(stray.count == 1 ? "file" : "files"), "
                + "\(stray.count == 1 ? "belongs" : "belong") to \(owner), who could only read the store; have \(stray.count == 1 ? "it" : "them") removed "
                + "while no one reads the store (by \(owner) or root, in a directory with the sticky bit), or let this user write \(stray.count == 1 ? "it" : "them")"
        }
        return nil
    }

    /// WAL lets `report --store` read while an ingest writes. Switching needs a moment of exclusive
    /// access, which two processes creating the store at once may not get at first: retry.
    private func enableWriteAheadLog() throws {
        var attempts = 0
        while true {
            do {
                try connection.execute("PRAGMA journal_mode = WAL")
                return
            } catch {
                attempts += 1
                guard error.code == SQLITE_BUSY, attempts < 600 else { throw error }
                usleep(100_000)
            }
        }
    }

    /// Checks that the open database is a store this code reads, and that it is whole, unless its files are as a run
    /// last left them (`StoreCheckRecord`). It changes nothing in the store; `mayRecord`: a check that passes is
    /// recorded beside it.
    /// - Returns: the store's files as they were found whole (as recorded, or checked and unchanged meanwhile), or nil.
    @discardableResult
    private static func checkSchema(_ connection: SQLiteConnection, path: String, mayRecord: Bool) throws -> StoreCheckRecord? {
        let version: Int64
        do {
            version = try connection.scalar("PRAGMA user_version") ?? 0
        } catch {
            if error.code == SQLITE_NOTADB {
                // SQLite's mark, then a header it refuses: a store's damaged first page, not another kind of file.
                if StoreError.beginsAsSQLite(path) == true {
                    throw StoreError.damaged(path: path, detail: "a damaged header")
                }
                throw StoreError.notAStore(path: path)
            }
            if error.code == SQLITE_CORRUPT { throw StoreError.damaged(path: path, detail: error.message) }
            throw error
        }
        if version > schemaVersion { throw StoreError.newerSchema(path: path, found: version, supported: schemaVersion) }
        let tables = try connection.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('sources', 'contact_cells', 'incident_cells')")
        guard version >= 1, tables == 3 else { throw StoreError.notAStore(path: path) }
        let takenAt = StoreCheckRecord.now(), state = StoreCheckRecord(storeAt: path)
        if let state, StoreCheckRecord.read(forStoreAt: path) == state { return state }
        try checkWhole(connection, path: path)
        guard let state, StoreCheckRecord(storeAt: path) == state else { return nil }
        if mayRecord { StoreCheckRecord.record(state, takenAt: takenAt, forStoreAt: path) }
        return state
    }

    /// SQLite's check of the file's structure: a damaged B-tree (one flipped bit) read as a third of the cells,
    /// with no error and status 0 (found by the store review). `quick_check` passes such a file (it does not match
    /// the tables against their indexes); `integrity_check` reads every page and index once: 0.17 s against 0.31 s
    /// for a whole-store monthly report of a 20 MB store of 1M contacts, and 2.7 s a night into five years of nights.
    private static func checkWhole(_ connection: SQLiteConnection, path: String) throws {
        let check = try connection.prepare("PRAGMA integrity_check(1)")
        if try check.step(), case let result = check.string(0), result != "ok" {
            StoreCheckRecord.remove(forStoreAt: path)
            throw StoreError.damaged(path: path, detail: result)
        }
    }

    /// Checks the whole store (SQLite's `integrity_check`) whatever the record of the last check says, and records it
    /// when it passes (`store check`: a weekly job, say, for damage that kept the file's size and times).
    /// - Throws: `StoreError.damaged` and the errors of reading.
    public func checkWhole() throws(StoreError) {
        let takenAt = StoreCheckRecord.now(), state = StoreCheckRecord(storeAt: path)
        try check { try Self.checkWhole(connection, path: path) }
        if let state, immutableVersion == nil, Glibc.access(path, W_OK) == 0, Glibc.access(FilePaths.directory(of: path), W_OK) == 0 {
            StoreCheckRecord.record(state, takenAt: takenAt, forStoreAt: path)
        }
    }

    /// Brings an older store to the current version, inside the caller's write transaction (so with its
    /// first write, and undone with it): version 2 adds `open_calls`, versions 3 to 5 counters' columns
    /// (0 in the cells already there), version 6 a row per leg in `open_calls` (a new key: the table is rebuilt).
    func upgradeSchema() throws {
        // A store of a build between the steps of schema 6 (7 December 2026) has its open_calls legs but not all of their columns.
        if try connection.scalar("PRAGMA user_version") == 6 {
            if try !hasIdSketches() { try connection.execute(Self.idSketchesTable) }
            if try !hasOpenCallLines() { try connection.execute("ALTER TABLE open_calls ADD COLUMN lines INTEGER NOT NULL DEFAULT 0") }
        }
        guard let version = try connection.scalar("PRAGMA user_version"), version < Self.schemaVersion else { return }
        if version < 2 {
            try connection.execute(Self.openCallsTable)
        } else if version < 6 {
            try connection.execute("ALTER TABLE open_calls RENAME TO open_calls_before_6")
            try connection.execute(Self.openCallsTable)
            try connection.execute("""
                INSERT INTO open_calls (source_id, call, leg, slot, channel, arrival_utc, state, queue)
                SELECT source_id, call, 0, slot, channel, arrival_utc, state, 0 FROM open_calls_before_6;
                DROP TABLE open_calls_before_6
                """)
        }
        if version < 6 { try connection.execute(Self.idSketchesTable) }
        for field in ContactCounters.Field.allCases where Self.version(bringing: field) > version {
            try connection.execute("ALTER TABLE contact_cells ADD COLUMN \(field.column) INTEGER NOT NULL DEFAULT 0")
        }
        if version < 4 {
            // Their contacts of unknown outcome are in `other` only: marked, so that reading the same file
            // again replaces them (the reading differs) and reports can say which they are.
            try connection.execute("UPDATE sources SET reading_options = reading_options || ';\(Self.storedBeforeVersion4)'")
        }
        if version < 7 {
            // Their contacts from exports with no category column are in category shares' denominators: marked, as above.
            try connection.execute("UPDATE sources SET reading_options = reading_options || ';\(Self.storedBeforeVersion7)'")
        }
        try connection.execute("PRAGMA user_version = \(Self.schemaVersion)")
    }

    /// A number that changes when another connection commits to the store (SQLite's `data_version`): taken
    /// when something read from the store shapes what a run will write (`ingest(_:unchangedSince:)`).
    public func dataVersion() throws(StoreError) -> Int64 {
        try check { try connection.scalar("PRAGMA data_version") ?? 0 }
    }

    /// The schema version of the open store.
    public var version: Int64 { (try? connection.scalar("PRAGMA user_version")).flatMap { $0 } ?? 0 }

    /// Whether the store keeps its sources' id sketches (`id_sketches`, schema 6).
    func hasIdSketches() throws -> Bool {
        try connection.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'id_sketches'") == 1
    }

    /// Whether the store's open calls keep their lines (`open_calls.lines`, schema 6).
    func hasOpenCallLines() throws -> Bool {
        try connection.scalar("SELECT count(*) FROM pragma_table_info('open_calls') WHERE name = 'lines'") == 1
    }

    /// Whether the store has the version-2 table of open queue_log calls.
    var hasOpenCalls: Bool { version >= 2 }

    /// Builds a new, empty store under a temporary name beside `path` and links it into place (a store
    /// that another run linked there first wins; this one is dropped).
    private static func create(at path: String) throws(StoreError) {
        let temporary = temporaryPath(for: path)
        defer { removeTemporary(temporary) }
        do {
            let connection = try SQLiteConnection(path: temporary, create: true)
            // 16 KiB pages: a cell's row rarely needs an overflow page, and a new store's first ingest of
            // years of cells wrote 2% fewer SQLite instructions than with 4 KiB (an older store keeps its size).
            try connection.execute("PRAGMA page_size = 16384")
            try connection.execute("PRAGMA journal_mode = WAL")
            try createSchema(connection)
        } catch let error as SQLiteError {
            throw .database(path: path, error)
        } catch {
            throw .database(path: path, SQLiteError(code: SQLITE_ERROR, message: "\(error)"))
        }
        if link(temporary, path) != 0 && errno != EEXIST {
            throw .database(path: path, SQLiteError(code: SQLITE_CANTOPEN, message: "cannot create the store: \(String(cString: strerror(errno)))"))
        }
    }

    /// Writes `inputs` into a new store at `path`: built whole under a temporary name beside it, synced,
    /// and only then linked into place, so the path never holds a part-written store. Nothing can open
    /// the file while it is built, so its writes go straight to it (the rollback journal in memory, no
    /// syncs until the end), where a store in place writes every page twice (to its write-ahead log,
    /// then to the file) and syncs at its commit: `ingest` of two years of 15-minute cells into a new
    /// store takes about a tenth less time (`Benchmarks/README.md`). The store is left in WAL mode, as
    /// `create` makes it.
    /// - Returns: what became of each input, or nil when a store appeared at `path` meanwhile (another run
    ///   made it): nothing was written, and the inputs go into that store like into any other.
    public static func ingest(_ inputs: [StoreSourceInput], intoNewStoreAt path: String, ingestedAt: Date = Date(),
                              beforeCommit: () -> Void = {}) throws(StoreError) -> [IngestDisposition]? {
        let temporary = temporaryPath(for: path)
        defer { removeTemporary(temporary) }
        let dispositions: [IngestDisposition]
        do {  // the connection is closed by the end of this scope, before the file is synced and linked
            let store = try ContactStore(building: temporary, for: path)
            dispositions = try store.ingest(inputs, ingestedAt: ingestedAt, beforeCommit: beforeCommit)
            try store.check { try store.connection.execute("PRAGMA journal_mode = WAL") }
        }
        return try linkBuilt(temporary, to: path) ? dispositions : nil
    }

    /// A store being built at `temporary` for `path` (which its errors name): the schema, no journal on
    /// disk, no syncs.
    private init(building temporary: String, for path: String) throws(StoreError) {
        self.path = path
        access = .readWrite
        immutableVersion = nil
        filesWhenOpened = nil
        do {
            connection = try SQLiteConnection(path: temporary, create: true)
            try connection.execute("PRAGMA page_size = 16384")  // as `create` makes them
            try connection.execute("PRAGMA journal_mode = MEMORY")
            try connection.execute("PRAGMA synchronous = OFF")
            try Self.createSchema(connection)
        } catch let error as SQLiteError {
            throw .database(path: path, error)
        } catch {
            throw .database(path: path, SQLiteError(code: SQLITE_ERROR, message: "\(error)"))
        }
    }

    /// Syncs the built store at `temporary` and links it to `path`, then syncs the directory (so that the
    /// link lasts too). False when `path` exists.
    private static func linkBuilt(_ temporary: String, to path: String) throws(StoreError) -> Bool {
        func failure(_ what: String, _ code: Int32 = errno) -> StoreError {
            .database(path: path, SQLiteError(code: SQLITE_IOERR, message: "\(what): \(String(cString: strerror(code)))"))
        }
        let file = open(temporary, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { throw failure("cannot write the store") }
        let synced = fsync(file), syncError = errno
        close(file)
        guard synced == 0 else { throw failure("cannot write the store", syncError) }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { return false }
            throw failure("cannot create the store")
        }
        let directory = open(FilePaths.directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)  // some file systems cannot sync a directory; the store is whole either way
            close(directory)
        }
        return true
    }

    /// A name beside `path` for a store being made, unique to this run.
    /// Registered with `InterruptCleanup` until `removeTemporary`: Ctrl-C leaves no half-built store beside `path`.
    private static func temporaryPath(for path: String) -> String {
        removeAbandonedTemporaries(for: path)
        let temporary = "\(FilePaths.directory(of: path))/\(temporaryPrefix(for: path))\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        _ = InterruptCleanup.register(temporary)
        return temporary
    }

    /// Removes the temporary stores of runs that died before they could (killed with SIGKILL, or the
    /// machine stopped): `.NAME.new-PID-…` beside `path` whose process no longer exists.
    static func removeAbandonedTemporaries(for path: String) {
        FilePaths.removeAbandoned(in: FilePaths.directory(of: path), prefix: temporaryPrefix(for: path))
    }

    /// `.NAME.new-` with at most 64 bytes of the name: the whole of a 240-byte name made a temporary name over
    /// the file system's 255, and the store could not be made ("unable to open database file").
    private static func temporaryPrefix(for path: String) -> String {
        ".\(String(FilePaths.name(of: path).utf8.prefix(64)) ?? "store").new-"
    }

    /// Removes the temporary name and the files SQLite may have made beside it (the store itself, once
    /// linked, keeps its other name).
    private static func removeTemporary(_ temporary: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) }
        InterruptCleanup.unregister(path: temporary)
    }

    /// The current schema, in one transaction.
    private static func createSchema(_ connection: SQLiteConnection) throws {
        try connection.immediateTransaction {
            try connection.execute(schemaV1 + openCallsTable + idSketchesTable)
            try connection.execute("PRAGMA user_version = \(schemaVersion)")
        }
    }

    /// A table of their own: in `sources` (tried), 4 KiB a row made every scan of the sources read them all (`store info` of a
    /// 2,920-night store took 7 s against 2.2 s).
    private static let idSketchesTable = """
    CREATE TABLE id_sketches (
        source_id INTEGER PRIMARY KEY REFERENCES sources(id),
        sketch BLOB NOT NULL
    );

    """

    private static let openCallsTable = """
    CREATE TABLE open_calls (
        source_id INTEGER NOT NULL REFERENCES sources(id),
        call INTEGER NOT NULL,
        leg INTEGER NOT NULL,
        slot INTEGER NOT NULL,
        channel TEXT NOT NULL,
        arrival_utc INTEGER NOT NULL,
        state INTEGER NOT NULL,
        queue INTEGER NOT NULL,
        lines INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (source_id, call, leg)
    ) WITHOUT ROWID;

    """

    /// Version 1's tables (the counters' columns from `ContactCounters.Field` and `IncidentCounters.Field`).
    private static let schemaV1 = """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        byte_count INTEGER NOT NULL,
        content_fingerprint TEXT NOT NULL,
        reading_options TEXT NOT NULL,
        rows_read INTEGER NOT NULL,
        rows_accepted INTEGER NOT NULL,
        rows_rejected INTEGER NOT NULL,
        rows_skipped INTEGER NOT NULL,
        ledger_details TEXT NOT NULL,
        first_arrival_utc INTEGER,
        last_arrival_utc INTEGER,
        ingested_at TEXT NOT NULL
    );
    CREATE TABLE contact_cells (
        slot INTEGER NOT NULL,
        channel TEXT NOT NULL,
        source_id INTEGER NOT NULL REFERENCES sources(id),
    \(ContactCounters.Field.allCases.map { "    \($0.column) INTEGER NOT NULL,\n" }.joined())    answer_waits BLOB NOT NULL,
        abandon_waits BLOB NOT NULL,
        categories BLOB NOT NULL,
        PRIMARY KEY (slot, channel, source_id)
    ) WITHOUT ROWID;
    CREATE INDEX contact_cells_by_source ON contact_cells (source_id);
    CREATE TABLE incident_cells (
        slot INTEGER NOT NULL,
        source_id INTEGER NOT NULL REFERENCES sources(id),
    \(IncidentCounters.Field.allCases.map { "    \($0.column) INTEGER NOT NULL,\n" }.joined())    referred_by_agency BLOB NOT NULL,
        PRIMARY KEY (slot, source_id)
    ) WITHOUT ROWID;
    CREATE INDEX incident_cells_by_source ON incident_cells (source_id);
    """
}

/// What tells a file changed: its identity (replaced), size, and modification time to the nanosecond.
struct FileVersion: Equatable {
    var identity: FileIdentity
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0, let identity = FileIdentity(path: path) else { return nil }
        self.identity = identity
        size = Int64(info.st_size)
        modifiedSeconds = info.st_mtim.tv_sec
        modifiedNanoseconds = info.st_mtim.tv_nsec
    }
}
