import Foundation
import Testing
@testable import ContactMetrics

/// A store is checked whole when opened unless its files are as a run left them (`StoreCheckRecord`): the check
/// made a nightly ingest into years of nights cost seconds. Anything else that changes the files brings it back.
@Suite struct StoreCheckRecordTests {
    /// A store of the sample's contacts and incidents, its log folded in and recorded, as `ingest` leaves it.
    static func recordedStore() throws -> String {
        let path = StoreSupport.temporaryStorePath()
        _ = try StoreSupport.ingest([TestSupport.sample("contacts.csv")], into: ContactStore(path: path, access: .createIfMissing))
        // The night after: opened (checked whole), written, folded and recorded.
        let store = try ContactStore(path: path, access: .readWrite)
        _ = try StoreSupport.ingest([TestSupport.sample("incidents.csv")], into: store)
        #expect(ContactStore.foldWriteAheadLog(at: path, recordingIfStill: store.filesIfNoOtherCommit()) == nil)
        #expect(StoreCheckRecord.matches(storeAt: path))
        return path
    }

    /// Damage `integrity_check` finds and reading does not: the index of the contacts' sources made to point at the
    /// incidents' one (what a flipped page number does), written through SQLite. `keepOpen`: the connection that
    /// wrote it, whose change is then still in the write-ahead log; otherwise closed, which folds it into the file.
    static func damage(_ path: String, keepOpen: Bool = false) throws -> SQLiteConnection? {
        let connection = try SQLiteConnection(path: path, create: false)
        let incidentsRoot = try #require(try connection.scalar("SELECT rootpage FROM sqlite_schema WHERE name = 'incident_cells_by_source'"))
        try connection.execute("PRAGMA writable_schema = ON; UPDATE sqlite_schema SET rootpage = \(incidentsRoot) WHERE name = 'contact_cells_by_source'")
        return keepOpen ? connection : nil
    }

    /// Writes one byte of the file at `path` back as it was: its content unchanged, its change time moved.
    static func writeBackAByte(of path: String) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: 100)
        let byte = try #require(try handle.read(upToCount: 1))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: byte)
    }

    static func isDamaged(_ error: any Error) -> Bool {
        if case StoreError.damaged = error { return true }
        return false
    }

    @Test func anIngestRecordsTheStoreAsItLeftIt() throws {
        let path = try Self.recordedStore()
        #expect(StoreCheckRecord.matches(storeAt: path))
        // Reading makes and removes an empty log, which changes nothing recorded.
        do { _ = try ContactStore(path: path, access: .readOnly).sources() }
        #expect(StoreCheckRecord.matches(storeAt: path))
        let record = try #require(StoreCheckRecord.read(forStoreAt: path))
        #expect(record.log == nil && record.store.size == StoreCheckRecord.FileState(path: path)?.size)
    }

    /// Damage written through SQLite changes the files: the next open checks the store whole, refuses it, and drops
    /// the record.
    @Test(arguments: [false, true]) func damageWrittenThroughSQLiteIsFound(keepOpen: Bool) throws {
        let path = try Self.recordedStore()
        let writer = try Self.damage(path, keepOpen: keepOpen)
        #expect(!StoreCheckRecord.matches(storeAt: path))
        do { _ = try ContactStore(path: path, access: .readOnly); Issue.record("a damaged store opened") } catch { #expect(Self.isDamaged(error), "\(error)") }
        #expect(StoreCheckRecord.read(forStoreAt: path) == nil)
        _ = writer
    }

    /// The trade made: a store recorded as it is now is not checked whole on opening, even if damaged meanwhile by
    /// something that left no trace in its files; `checkWhole` (`store check`) finds it, and drops the record.
    @Test func aStoreAsRecordedIsOpenedWithoutTheCheckAndCheckWholeFindsIt() throws {
        let path = try Self.recordedStore()
        _ = try Self.damage(path)
        let state = try #require(StoreCheckRecord(storeAt: path))
        StoreCheckRecord.record(state, takenAt: StoreCheckRecord.now(), forStoreAt: path, waitingUpTo: StoreCheckRecord.clockTick)
        #expect(StoreCheckRecord.matches(storeAt: path))
        let store = try ContactStore(path: path, access: .readOnly)
        do { try store.checkWhole(); Issue.record("a damaged store passed its check") } catch { #expect(Self.isDamaged(error), "\(error)") }
        #expect(StoreCheckRecord.read(forStoreAt: path) == nil)
        do { _ = try ContactStore(path: path, access: .readOnly); Issue.record("a damaged store opened") } catch { #expect(Self.isDamaged(error), "\(error)") }
    }

    /// Each change outside a run makes the record stale: a byte written back as it was, a copy put in the store's
    /// place, pages left in the log by another program, a record cut short.
    @Test(arguments: ["byte", "copy", "log", "record"]) func everyOtherChangeMakesTheRecordStale(change: String) throws {
        let path = try Self.recordedStore()
        #expect(StoreCheckRecord.matches(storeAt: path))
        var writer: SQLiteConnection?
        switch change {
        case "byte":
            try Self.writeBackAByte(of: path)
        case "copy":
            let copy = path + ".copy"
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            #expect(rename(copy, path) == 0)
        case "log":
            writer = try SQLiteConnection(path: path, create: false)
            try writer?.execute("PRAGMA wal_autocheckpoint = 0; UPDATE sources SET ingested_at = ingested_at || ' '")
        default:
            let record = StoreCheckRecord.recordPath(forStoreAt: path)
            let text = try String(contentsOfFile: record, encoding: .utf8)
            try String(text.dropLast(3)).write(toFile: record, atomically: false, encoding: .utf8)
        }
        #expect(!StoreCheckRecord.matches(storeAt: path), "\(change)")
        // Still whole: checked, and opened.
        _ = try ContactStore(path: path, access: .readOnly)
        _ = writer
    }

    /// A record of files that changed within a tick of the kernel's clock is not kept: a change right after it
    /// might not have moved the change time.
    @Test func filesJustWrittenAreNotRecordedWithoutWaiting() throws {
        let path = try Self.recordedStore()
        StoreCheckRecord.remove(forStoreAt: path)
        try Self.writeBackAByte(of: path)
        let state = try #require(StoreCheckRecord(storeAt: path))
        StoreCheckRecord.record(state, takenAt: StoreCheckRecord.now(), forStoreAt: path)
        #expect(StoreCheckRecord.read(forStoreAt: path) == nil)
        StoreCheckRecord.record(state, takenAt: StoreCheckRecord.now(), forStoreAt: path, waitingUpTo: StoreCheckRecord.clockTick)
        #expect(StoreCheckRecord.matches(storeAt: path))
    }

    /// A record path that holds a FIFO, a directory or a link is no record: never waited on, never followed, and the
    /// store is checked whole and opened, and the thing is left as it is (no record is made in its place).
    @Test(arguments: ["fifo", "directory", "link"]) func aRecordThatIsNotAFileIsNoRecord(kind: String) throws {
        let path = try Self.recordedStore()
        let record = StoreCheckRecord.recordPath(forStoreAt: path), elsewhere = path + ".elsewhere"
        StoreCheckRecord.remove(forStoreAt: path)
        switch kind {
        case "fifo": #expect(mkfifo(record, 0o600) == 0)
        case "directory": try FileManager.default.createDirectory(atPath: record, withIntermediateDirectories: false)
        default:
            try "kept".write(toFile: elsewhere, atomically: false, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: record, withDestinationPath: elsewhere)
        }
        #expect(!StoreCheckRecord.matches(storeAt: path))
        _ = try ContactStore(path: path, access: .readOnly)
        StoreCheckRecord.record(try #require(StoreCheckRecord(storeAt: path)), takenAt: StoreCheckRecord.now(), forStoreAt: path, waitingUpTo: StoreCheckRecord.clockTick)
        #expect(!StoreCheckRecord.matches(storeAt: path), "\(kind)")
        if kind == "link" { #expect(try String(contentsOfFile: elsewhere, encoding: .utf8) == "kept") }
    }

    /// The fold records only a file no one else wrote since the run found it whole: a copy over the store during an
    /// ingest (the diff review's `cat damaged.db > s.db`, same inode and size) was recorded as the run's own.
    @Test func aFileWrittenByAnotherDuringTheRunIsNotRecorded() throws {
        let path = try Self.recordedStore()
        let store = try ContactStore(path: path, access: .readWrite)
        _ = try StoreSupport.ingest([TestSupport.sample("incidents.csv")], into: store, zone: try TimeZoneRules(identifier: "UTC"))
        let found = try #require(store.filesIfNoOtherCommit())
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.write(to: URL(fileURLWithPath: path))  // the same bytes, written over it by another program
        #expect(ContactStore.foldWriteAheadLog(at: path, recordingIfStill: found) == nil)
        #expect(!StoreCheckRecord.matches(storeAt: path))
        // Untouched, the same run's writes are recorded.
        let other = try Self.recordedStore()
        let writer = try ContactStore(path: other, access: .readWrite)
        _ = try StoreSupport.ingest([TestSupport.sample("incidents.csv")], into: writer, zone: try TimeZoneRules(identifier: "UTC"))
        #expect(ContactStore.foldWriteAheadLog(at: other, recordingIfStill: writer.filesIfNoOtherCommit()) == nil)
        #expect(StoreCheckRecord.matches(storeAt: other))
    }

    /// An edit another connection commits while a run has the store open waits in the write-ahead log, and the run's
    /// fold would copy it into the file as its own: not recorded (a review's damaging edit during an ingest was).
    @Test func anotherConnectionsCommitDuringTheRunIsNotRecorded() throws {
        let path = try Self.recordedStore()
        let store = try ContactStore(path: path, access: .readWrite)
        #expect(store.filesIfNoOtherCommit() != nil)
        try SQLiteConnection(path: path, create: false).execute("UPDATE sources SET ingested_at = ingested_at || ' '")
        #expect(store.filesIfNoOtherCommit() == nil)
    }

    /// SQLite keeps the log beside the file a link leads to: pages left in it are seen through the link too (the diff
    /// review's edit left in `real/s.db-wal` was read through `link.db` unchecked).
    @Test func theLogBesideALinksTargetIsSeen() throws {
        let path = try Self.recordedStore()
        let link = path + ".link.db"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        _ = try ContactStore(path: link, access: .readOnly)
        StoreCheckRecord.record(try #require(StoreCheckRecord(storeAt: link)), takenAt: StoreCheckRecord.now(), forStoreAt: link, waitingUpTo: StoreCheckRecord.clockTick)
        #expect(StoreCheckRecord.matches(storeAt: link))
        let writer = try SQLiteConnection(path: path, create: false)
        try writer.execute("PRAGMA wal_autocheckpoint = 0; UPDATE sources SET ingested_at = ingested_at || ' '")
        #expect(!StoreCheckRecord.matches(storeAt: link))
        _ = writer
    }

    /// A file of the record's name that is not a record (another store, say) is never cut to a record, nor removed.
    @Test func aFileThatIsNotARecordIsLeftAsItIs() throws {
        let path = try Self.recordedStore()
        let record = StoreCheckRecord.recordPath(forStoreAt: path)
        let other = Data("SQLite format 3\u{0}another store".utf8)
        try other.write(to: URL(fileURLWithPath: record))
        StoreCheckRecord.record(try #require(StoreCheckRecord(storeAt: path)), takenAt: StoreCheckRecord.now(), forStoreAt: path, waitingUpTo: StoreCheckRecord.clockTick)
        StoreCheckRecord.remove(forStoreAt: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: record)) == other)
        #expect(!StoreCheckRecord.matches(storeAt: path))
    }
}
