import CSQLite
import Foundation

/// Why a store operation failed. `description` is a complete message for the console.
public enum StoreError: Error, CustomStringConvertible {
    case missing(path: String)
    case newerSchema(path: String, found: Int64, supported: Int64)
    case notAStore(path: String)
    case database(path: String, SQLiteError)
    case unknownSource(path: String, name: String)
    case zoneNotWholeHours(identifier: String)
    case malformed(path: String)

    public var description: String {
        switch self {
        case let .missing(path): return "\(path): no such store (create one with 'contact-metrics ingest --store \(path) FILE...')"
        case let .newerSchema(path, found, supported):
            return "\(path): the store has schema version \(found), newer than this contact-metrics understands (\(supported)); use a newer contact-metrics"
        case let .notAStore(path): return "\(path): not a contact-metrics store (a database with other tables)"
        case let .database(path, error): return "\(path): \(error.message)"
        case let .unknownSource(path, name): return "\(path): no source named '\(name)' (list them with 'contact-metrics store sources --store \(path)')"
        case let .zoneNotWholeHours(identifier):
            return "time zone \(identifier) has had offsets since 1970 that are not whole quarter-hours; the store keeps UTC 15-minute cells, so it can report only in zones whose offsets are multiples of 15 minutes"
        case let .malformed(path): return "\(path): a stored cell is malformed (the store may be damaged)"
        }
    }
}

/// A SQLite file of aggregates for nightly runs (DESIGN §7): cells per ingested source, UTC 15-minute
/// slot and channel, and a table of the sources. It never holds a row of caller data.
///
/// Schema (version 1, in `PRAGMA user_version`):
/// - `sources`: one row per source name, with its size, content fingerprint, reading options, ledger
///   counts, first/last arrival and ingest time.
/// - `contact_cells (slot, channel, source_id)`: the additive `ContactCounters`, and the answer-wait,
///   abandon-wait and category counts as BLOBs (`CellEncoding`). `slot` = ⌊UTC seconds / 900⌋.
/// - `incident_cells (slot, source_id)`: `IncidentCounters` and the referrals by agency (BLOB).
/// Cells are kept per source so that replacing or removing a source is exact; reports sum over sources.
/// The database runs in WAL mode (readers do not block the writer) with a 60 s busy timeout, so
/// concurrent runs wait for each other.
public final class ContactStore {
    /// The schema version this code reads and writes.
    public static let schemaVersion: Int64 = 1

    public let path: String
    let connection: SQLiteConnection

    /// Opens the store at `path`, creating it (with `create`) when the file does not exist.
    /// - Throws: `StoreError.missing` (no file and not `create`), `.newerSchema`, `.notAStore`, `.database`.
    public init(path: String, create: Bool) throws(StoreError) {
        self.path = path
        if !create && !FileManager.default.fileExists(atPath: path) { throw .missing(path: path) }
        do {
            connection = try SQLiteConnection(path: path, create: create)
        } catch {
            throw .database(path: path, error)
        }
        try check { () throws in
            try self.enableWriteAheadLog()
            try self.prepareSchema()
        }
    }

    /// Runs `body`, turning SQLite and encoding failures into `StoreError`s that name the store.
    func check<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as SQLiteError {
            throw .database(path: path, error)
        } catch {
            throw .malformed(path: path)
        }
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

    private func prepareSchema() throws {
        let version = try connection.scalar("PRAGMA user_version") ?? 0
        if version == Self.schemaVersion { return }
        if version > Self.schemaVersion { throw StoreError.newerSchema(path: path, found: version, supported: Self.schemaVersion) }
        // Version 0: a new, empty database (or someone else's). Create the schema under the write lock,
        // re-checking inside it, since another process may be creating it too.
        try connection.immediateTransaction {
            let version = try connection.scalar("PRAGMA user_version") ?? 0
            if version == Self.schemaVersion { return }
            if version > Self.schemaVersion { throw StoreError.newerSchema(path: path, found: version, supported: Self.schemaVersion) }
            if try connection.scalar("SELECT count(*) FROM sqlite_schema") != 0 { throw StoreError.notAStore(path: path) }
            try connection.execute(Self.schemaV1)
            try connection.execute("PRAGMA user_version = \(Self.schemaVersion)")
        }
    }

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
        received INTEGER NOT NULL,
        answered INTEGER NOT NULL,
        answered_untimed INTEGER NOT NULL,
        abandoned INTEGER NOT NULL,
        abandoned_untimed INTEGER NOT NULL,
        other INTEGER NOT NULL,
        handled INTEGER NOT NULL,
        handle_seconds INTEGER NOT NULL,
        handle_seconds_squared INTEGER NOT NULL,
        answer_waits BLOB NOT NULL,
        abandon_waits BLOB NOT NULL,
        categories BLOB NOT NULL,
        PRIMARY KEY (slot, channel, source_id)
    ) WITHOUT ROWID;
    CREATE INDEX contact_cells_by_source ON contact_cells (source_id);
    CREATE TABLE incident_cells (
        slot INTEGER NOT NULL,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        incidents INTEGER NOT NULL,
        deployed_measured INTEGER NOT NULL,
        deployed INTEGER NOT NULL,
        referral_measured INTEGER NOT NULL,
        referred INTEGER NOT NULL,
        referred_by_agency BLOB NOT NULL,
        PRIMARY KEY (slot, source_id)
    ) WITHOUT ROWID;
    CREATE INDEX incident_cells_by_source ON incident_cells (source_id);
    """
}
