import Foundation
import Testing
@testable import ContactMetrics

/// Store helpers: a fresh store path, and ingesting files the way `contact-metrics ingest` does.
enum StoreSupport {
    static func temporaryStorePath() -> String {
        TestSupport.temporaryRoot.appendingPathComponent("cm-store-\(UUID().uuidString).db").path
    }

    static func source(_ path: String, zone: TimeZoneRules = TestSupport.london, name: String? = nil) throws -> StoreSourceInput {
        var options = IngestOptions(timeZone: zone, grain: .utcQuarterHour)
        options.threads = 2
        options.computeContentHash = true
        let result = try IngestEngine(options: options).run(inputs: [path])
        return StoreSourceInput(name: name ?? path, cube: result.cube, ledger: result.ledger, readingOptions: "tz=\(zone.identifier)")
    }

    static func ingest(_ paths: [String], into store: ContactStore, zone: TimeZoneRules = TestSupport.london) throws -> [IngestDisposition] {
        try store.ingest(paths.map { try source($0, zone: zone) })
    }

    /// Everything in a store, for "exactly as before" checks.
    static func snapshot(_ store: ContactStore) throws -> (Cube, [StoredSource], Ledger) {
        (try store.cube(), try store.sources(), try store.ledger())
    }
}

@Suite struct StoreTests {
    static let zones = ["Europe/London", "UTC", "America/New_York", "Asia/Kolkata"]
    static let periods: [PeriodUnit] = [.fifteenMinutes, .day, .week, .month, .financialYear]

    @Test(.heavy, .tags(.heavy), arguments: zones)
    func storeReportEqualsDirectReport(zoneName: String) throws {
        let zone = try TimeZoneRules(identifier: zoneName)
        let contacts = TestSupport.temporaryFile(RandomLog.contacts(seed: 41, rows: 1500), name: "contacts.csv")
        let files = [contacts, TestSupport.sample("incidents.csv")]
        let store = try ContactStore(path: StoreSupport.temporaryStorePath(), create: true)
        #expect(try StoreSupport.ingest(files, into: store, zone: zone) == [.added, .added])
        var metricOptions = MetricOptions()
        metricOptions.shortAbandonSeconds = 5
        for period in Self.periods {
            var options = IngestOptions(timeZone: zone, grain: .local(period))
            options.threads = 2
            let direct = try IngestEngine(options: options).run(inputs: files)
            let expected = Report(cube: direct.cube, period: period, timeZone: zoneName, ledger: direct.ledger, options: metricOptions)
            let (cube, ledger) = try store.localCube(unit: period, zone: zone)
            let actual = Report(cube: cube, period: period, timeZone: zoneName, ledger: ledger, options: metricOptions)
            #expect(actual.json().serialized() == expected.json().serialized(), "\(zoneName) \(period)")
            #expect(actual.csv() == expected.csv(), "\(zoneName) \(period)")
            // The public two-step path (store → UTC cube → local periods, as compare uses it) agrees.
            #expect(try StoreRollUp.localPeriods(store.cube(), unit: period, zone: zone) == cube)
        }
    }

    @Test(.heavy, .tags(.heavy), arguments: zones)
    func fromAndToSelectTheSameRowsAsTheDirectPath(zoneName: String) throws {
        let zone = try TimeZoneRules(identifier: zoneName)
        let contacts = TestSupport.temporaryFile(RandomLog.contacts(seed: 42, rows: 1500))
        let store = try ContactStore(path: StoreSupport.temporaryStorePath(), create: true)
        _ = try StoreSupport.ingest([contacts], into: store, zone: zone)
        // Around both clock changes of 2019, and a range starting on a month boundary.
        for (from, to) in [("2019-03-30", "2019-04-02"), ("2019-10-26", "2019-10-28"), ("2020-01-01", "2020-12-31")] {
            let fromDay = CivilDate(parsing: from)!.daysSinceEpoch, toDay = CivilDate(parsing: to)!.daysSinceEpoch
            for period in [PeriodUnit.fifteenMinutes, .day, .month] {
                var options = IngestOptions(timeZone: zone, grain: .local(period))
                options.fromDay = fromDay
                options.toDay = toDay
                let direct = try IngestEngine(options: options).run(inputs: [contacts])
                let (cube, ledger) = try store.localCube(unit: period, zone: zone, fromDay: fromDay, toDay: toDay)
                #expect(cube == direct.cube, "\(zoneName) \(from)…\(to) \(period)")
                #expect(ledger.rowsAccepted == direct.ledger.rowsAccepted)
                #expect(ledger.rowsSkipped == direct.ledger.rowsSkipped)
                #expect(ledger.rowsRejected == direct.ledger.rowsRejected)
                #expect(ledger.skippedByReason == direct.ledger.skippedByReason)
            }
        }
    }

    /// After a write, `ingest` copies the log's pages into the file while the store is still open (where SQLite's close
    /// would fail without a word: a review's full disk): a copy of the file alone then holds the night. A file that is
    /// not a database gives SQLite's message.
    @Test func theLogIsFoldedIntoTheFileWhileTheStoreIsOpen() throws {
        let path = StoreSupport.temporaryStorePath()
        let store = try ContactStore(path: path, create: true)
        _ = try StoreSupport.ingest([TestSupport.temporaryFile(RandomLog.contacts(seed: 7, rows: 300), name: "a.csv")], into: store)
        _ = try StoreSupport.ingest([TestSupport.temporaryFile(RandomLog.contacts(seed: 8, rows: 300), name: "b.csv")], into: store)
        #expect(ContactStore.foldWriteAheadLog(at: path, recordingIfStill: nil) == nil)
        let copy = StoreSupport.temporaryStorePath()
        try FileManager.default.copyItem(atPath: path, toPath: copy)  // the file alone, while the store is open
        #expect(try ContactStore(path: copy, access: .readOnly).sources().count == 2)
        #expect(ContactStore.foldWriteAheadLog(at: TestSupport.temporaryFile("not a store, just text\n", name: "x.db"), recordingIfStill: nil) != nil)
        withExtendedLifetime(store) {}
    }

    /// A user who may not write the store reads it as an immutable file, making no -wal or -shm of its own (which
    /// stopped the owner's every later ingest); an ingest meanwhile is found, and the read refused, not torn (the
    /// diff review saw a cell doubled, status 0, when nothing was checked).
    @Test func aReaderWhoMayNotWriteIsToldOfAWriteMeanwhile() throws {
        let path = StoreSupport.temporaryStorePath()
        do {
            let owner = try ContactStore(path: path, create: true)
            _ = try StoreSupport.ingest([TestSupport.temporaryFile(RandomLog.contacts(seed: 5, rows: 300), name: "a.csv")], into: owner)
        }
        let reader = try ContactStore(path: path, access: .readOnly, readAsOthers: true)
        let before = try reader.sources()
        #expect(before.count == 1 && !FileManager.default.fileExists(atPath: path + "-shm"))
        try reader.confirmUnchanged()
        do {  // closed, the owner's last connection writes the log into the file
            let owner = try ContactStore(path: path, create: false)
            _ = try StoreSupport.ingest([TestSupport.temporaryFile(RandomLog.contacts(seed: 6, rows: 300), name: "b.csv")], into: owner)
        }
        #expect(throws: StoreError.self) { try reader.confirmUnchanged() }
        do { try reader.confirmUnchanged() } catch { #expect("\(error)".contains("the store was written while this run read it")) }
        // While the owner has the store open with changes in its log, the reader reads through the owner's files, opened
        // read-only, and sees them (immutable, it would read the file alone, without them).
        let owner = try ContactStore(path: path, create: false)
        _ = try StoreSupport.ingest([TestSupport.temporaryFile(RandomLog.contacts(seed: 7, rows: 300), name: "c.csv")], into: owner)
        var log = stat()
        #expect(stat(path + "-wal", &log) == 0 && log.st_size > 0)
        let during = try ContactStore(path: path, access: .readOnly, readAsOthers: true)
        #expect(try during.sources().count == 3)
        try during.confirmUnchanged()
    }

    /// A write that fails for want of space reaches SQLite as "disk I/O error": the message gives the
    /// free space of the disk holding the store (checked by hand on a full 300 KB tmpfs: "0 bytes free: it may be full").
    @Test func anIOErrorSaysTheFreeSpace() {
        let path = TestSupport.temporaryFile("", name: "store.db")
        let message = StoreError.database(path: path, SQLiteError(code: 10 /* SQLITE_IOERR */, message: "disk I/O error")).description
        #expect(message.hasPrefix("\(path): disk I/O error (the disk holding it has ") && message.hasSuffix("the store is unchanged)"), "\(message)")
        // A new store, built under a temporary name, is not there: none was made (a review was told it was unchanged).
        let new = TestSupport.temporaryRoot.appendingPathComponent("new-\(UUID().uuidString).db").path
        #expect(StoreError.database(path: new, SQLiteError(code: 13 /* SQLITE_FULL */, message: "database or disk is full")).description
                .hasSuffix("; no store was made)"))
        #expect(StoreError.database(path: path, SQLiteError(code: 1 /* SQLITE_ERROR */, message: "no such table: cells")).description
                == "\(path): no such table: cells")
        #expect([0, 1023, 1024, 37 << 20, 3 << 30 + 200 << 20].map(DisplayFormat.bytes) == ["0 bytes", "1023 bytes", "1 KB", "37 MB", "3.2 GB"])
    }

    @Test func reingestingTheSameContentIsANoOp() throws {
        let path = TestSupport.temporaryFile(RandomLog.contacts(seed: 43, rows: 300))
        let store = try ContactStore(path: StoreSupport.temporaryStorePath(), create: true)
        _ = try StoreSupport.ingest([path], into: store)
        let before = try StoreSupport.snapshot(store)
        #expect(try StoreSupport.ingest([path], into: store) == [.unchanged(sameContentAs: path)])
        // The same bytes under another name (another path to the same export) are not counted twice.
        let copy = TestSupport.temporaryFile(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try store.ingest([StoreSupport.source(copy)]) == [.unchanged(sameContentAs: path)])
        let after = try StoreSupport.snapshot(store)
        #expect(after.0 == before.0 && after.1 == before.1 && after.2 == before.2)
    }

    @Test func aCorrectedReExportReplacesTheSource() throws {
        let path = TestSupport.temporaryFile(RandomLog.contacts(seed: 44, rows: 300))
        let other = TestSupport.sample("incidents.csv")
        let store = try ContactStore(path: StoreSupport.temporaryStorePath(), create: true)
        _ = try StoreSupport.ingest([path, other], into: store)
        // Corrected: 100 of its rows taken out. (Other rows over the same times are another night: `corrects`.)
        let lines = RandomLog.contacts(seed: 44, rows: 300).split(separator: "\n", omittingEmptySubsequences: false)
        try (lines.prefix(201).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try StoreSupport.ingest([path], into: store) == [.replaced])
        var expected = try StoreSupport.source(path).cube
        expected.add(try StoreSupport.source(other).cube)
        #expect(try store.cube() == expected)
        #expect(try store.sources().map(\.name) == [path, other])
        #expect(try store.ledger().rowsRead == StoreSupport.source(path).ledger.rowsRead + 7)
    }

    /// A new store built whole under another name and linked into place holds what one made in place
    /// holds, is in WAL mode like it, and leaves no file behind; a store already at the path is left as
    /// it was (nil: the caller adds to it instead).
    @Test func aNewStoreBuiltAsideHoldsWhatOneMadeInPlaceHolds() throws {
        let inputs = [TestSupport.temporaryFile(RandomLog.contacts(seed: 48, rows: 400)), TestSupport.sample("incidents.csv")]
        let sources = try inputs.map { try StoreSupport.source($0) }
        let inPlace = try ContactStore(path: StoreSupport.temporaryStorePath(), create: true)
        let madeInPlace = try inPlace.ingest(sources)
        let path = StoreSupport.temporaryStorePath()
        let directory = FilePaths.directory(of: path)
        #expect(try ContactStore.ingest(sources, intoNewStoreAt: path) == madeInPlace)
        let built = try ContactStore(path: path, access: .readOnly)
        let (cube, sourcesStored, ledger) = try StoreSupport.snapshot(built)
        let expected = try StoreSupport.snapshot(inPlace)
        #expect(cube == expected.0 && ledger == expected.2)
        #expect(sourcesStored.map(\.name) == expected.1.map(\.name) && sourcesStored.map(\.ledger.contentFingerprint) == expected.1.map(\.ledger.contentFingerprint))
        #expect(try built.connection.scalar("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 1)
        #expect(try built.connection.scalar("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") == 1)
        let temporaries = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".\(FilePaths.name(of: path)).new-") }
        #expect(temporaries.isEmpty)

        // The path taken meanwhile: nothing is written to it.
        let existing = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(try ContactStore.ingest([StoreSupport.source(TestSupport.sample("incidents.csv"), name: "other")], intoNewStoreAt: path) == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == existing)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".\(FilePaths.name(of: path)).new-") }.isEmpty)
    }

    /// SQLite says "unable to open database file" or "attempt to write a readonly database" when a store
    /// or its directory cannot be written (a read-only mount, another user's file): the store says why.
    @Test func whyAStoreCannotBeWrittenIsSaid() throws {
        let path = StoreSupport.temporaryStorePath()
        _ = try ContactStore(path: path, create: true)
        #expect(ContactStore.whyNotWritable(path) == nil)
        #expect(ContactStore.whyNotWritable("/nonexistent-\(UUID().uuidString)/s.db") == "cannot write the store: No such file or directory")
        if geteuid() != 0 {  // root writes whatever the mode says
            chmod(path, 0o444)
            defer { chmod(path, 0o644) }
            #expect(ContactStore.whyNotWritable(path) == "cannot write the store: Permission denied")
            #expect(throws: StoreError.self) { try StoreSupport.ingest([TestSupport.sample("incidents.csv")], into: ContactStore(path: path, access: .readWrite)) }
        }
    }

    @Test func removeTakesOutExactlyOneSource() throws {
        let first = TestSupport.temporaryFile(RandomLog.contacts(seed: 46, rows: 300))
        let second = TestSupport.temporaryFile(RandomLog.contacts(seed: 47, rows: 300))
        let store = try ContactStore(path: StoreSupport.temporaryStorePath(), create: true)
        _ = try StoreSupport.ingest([first, second], into: store)
        try store.remove(source: first)
        #expect(try store.cube() == StoreSupport.source(second).cube)
        #expect(try store.sources().map(\.name) == [second])
        #expect(throws: StoreError.self) { try store.remove(source: first) }
        try store.remove(source: second)
        #expect(try store.cube() == Cube(grain: .utcQuarterHour))
    }

    /// A report from the store while a nightly run commits reads one state of it: its cells, ledger and
    /// sources from before the commit, or all from after (they were read by separate statements, and a
    /// commit between them gave 1.4M contacts with a ledger of 400,000).
    @Test func aReportReadsOneStateOfTheStore() throws {
        let first = TestSupport.temporaryFile(RandomLog.contacts(seed: 48, rows: 200))
        let second = TestSupport.temporaryFile(RandomLog.contacts(seed: 49, rows: 300))
        let path = StoreSupport.temporaryStorePath()
        let writer = try ContactStore(path: path, create: true)
        _ = try StoreSupport.ingest([first], into: writer)
        let reader = try ContactStore(path: path, access: .readOnly)
        let london = TestSupport.london
        let (cube, ledger) = try reader.readingOneState { () throws(StoreError) in
            let cube = try reader.localCube(unit: .month, zone: london).cube
            _ = try? StoreSupport.ingest([second], into: writer)  // commits between the reader's statements
            return (cube, try reader.ledger())
        }
        func received(_ cube: Cube) -> Int64 { cube.contacts.values.reduce(0) { $0 + $1.counters[.received] } }
        let firstAccepted = try StoreSupport.source(first).ledger.rowsAccepted
        let bothAccepted = firstAccepted + (try StoreSupport.source(second).ledger.rowsAccepted)
        #expect(firstAccepted > 100 && bothAccepted > firstAccepted + 100)
        #expect(ledger.rowsAccepted == firstAccepted && received(cube) == Int64(firstAccepted))
        // Afterwards the reader sees the new state, whole.
        let (after, afterLedger) = try reader.localCube(unit: .month, zone: london)
        #expect(afterLedger.rowsAccepted == bothAccepted && received(after) == Int64(bothAccepted))
        // A command that reads a store several times (reading options, cells, the periods a target review looks
        // back on) holds one state for its whole run.
        let held = try ContactStore(path: path, access: .readOnly)
        try held.holdOneState()
        let third = TestSupport.temporaryFile(RandomLog.contacts(seed: 50, rows: 300))
        _ = try StoreSupport.ingest([third], into: writer)
        #expect(try held.sources().count == 2 && held.localCube(unit: .month, zone: london).ledger.rowsAccepted == bothAccepted)
        #expect(try reader.sources().count == 3)
    }

    @Test func aNewerSchemaIsRefused() throws {
        let path = StoreSupport.temporaryStorePath()
        _ = try ContactStore(path: path, create: true)
        try SQLiteConnection(path: path, create: false).execute("PRAGMA user_version = 99")
        do {
            _ = try ContactStore(path: path, create: false)
            Issue.record("a newer store was opened")
        } catch {
            #expect(error.description == "\(path): the store has schema version 99, newer than this contact-metrics understands (\(ContactStore.schemaVersion)); use a newer contact-metrics")
        }
    }

    @Test func aForeignDatabaseAndAMissingFileAreRefused() throws {
        let path = StoreSupport.temporaryStorePath()
        try SQLiteConnection(path: path, create: true).execute("CREATE TABLE calls (caller TEXT)")
        #expect(throws: StoreError.self) { try ContactStore(path: path, create: true) }
        #expect(throws: StoreError.self) { try ContactStore(path: StoreSupport.temporaryStorePath(), create: false) }
    }

    @Test func zonesWithoutWholeHourOffsetsAreRefused() throws {
        // Liberia kept −0:44:30 until 1972: 15-minute cells would straddle its local periods.
        let monrovia = try TimeZoneRules(identifier: "Africa/Monrovia")
        #expect(throws: StoreError.self) { try StoreRollUp.checkZone(monrovia) }
        // Zones whose only odd offsets are pre-1970 local mean time, and quarter-hour zones, are fine.
        for name in ["Europe/Paris", "Asia/Jerusalem", "Europe/Dublin", "Asia/Kolkata", "Asia/Kathmandu"] {
            try StoreRollUp.checkZone(try TimeZoneRules(identifier: name))
        }
        for name in Self.zones { try StoreRollUp.checkZone(try TimeZoneRules(identifier: name)) }
    }

    /// The cells go to the store many rows to a statement, in batches: a number below, at and above one
    /// statement's rows and one batch's, with a remainder, all come back as they went in (every field of
    /// every row in its place).
    @Test(arguments: [0, 1, ContactCellWriter.maximumRowsPerStatement - 1, ContactCellWriter.maximumRowsPerStatement,
                      3 * ContactCellWriter.maximumRowsPerStatement + 7, ContactCellBatch.capacity + ContactCellWriter.maximumRowsPerStatement + 1])
    func everyCellComesBackWhateverTheirNumber(count: Int) throws {
        try Self.expectCellsComeBack(count: count, parameterLimit: nil)
    }

    /// SQLite before 3.32 allows 999 parameters a statement, not 32,766: the rows a statement takes follow.
    @Test func aLowerParameterLimitTakesFewerRowsAStatement() throws {
        try Self.expectCellsComeBack(count: 3 * ContactCellWriter.maximumRowsPerStatement + 7, parameterLimit: 999)
        try Self.expectCellsComeBack(count: 5, parameterLimit: Int32(ContactCellBatch.columnCount))  // one row a statement
    }

    private static func expectCellsComeBack(count: Int, parameterLimit: Int32?) throws {
        let channels = ["101", "999", "online"]
        var keys: [CellKey] = [], values: [ContactCell] = []
        for index in 0..<count {
            var cell = ContactCell()
            cell.counters.answered = 1
            cell.answerWaits = WaitHistogram(counts: [Int64(index): 1])
            cell.counters.abandoned = Int64(index % 4)
            cell.abandonWaits = index % 4 == 0 ? WaitHistogram() : WaitHistogram(counts: [Int64(2 * index + 1): Int64(index % 4)])
            cell.counters.received = 1 + Int64(index % 4) + Int64(index % 3)
            cell.counters.other = Int64(index % 3)
            cell.categories = index % 5 == 0 ? [:] : ["label \(index)": 1]
            keys.append(CellKey(period: Int64(index / 2), channel: channels[index % 3]))
            values.append(cell)
        }
        var cube = Cube(grain: .utcQuarterHour)
        cube.contacts = ContactCells(keys: keys, values: values)
        // A real source's ledger, with these cells in place of its own.
        var source = try StoreSupport.source(TestSupport.temporaryFile(RandomLog.contacts(seed: 46, rows: 3)))
        source.cube = cube
        let store = try ContactStore(path: StoreSupport.temporaryStorePath(), create: true)
        if let parameterLimit { store.connection.limitParameters(to: parameterLimit) }
        _ = try store.ingest([source])
        #expect(try store.cube().contacts == cube.contacts)
    }

    /// Cells of many long labels fill a batch by their bytes before its number of cells.
    @Test func aBatchIsFullAtItsBytes() {
        var cell = ContactCell()
        cell.counters.received = 1
        cell.categories = [String(repeating: "free text ", count: 40_000): 1]
        var batch = ContactCellBatch()
        batch.append(CellKey(period: 0, channel: "online"), cell)
        #expect(!batch.isFull)
        batch.append(CellKey(period: 1, channel: "online"), cell)
        #expect(!batch.isFull)
        batch.append(CellKey(period: 2, channel: "online"), cell)
        #expect(batch.isFull && batch.count == 3)
    }

    @Test func cellEncodingRoundTrips() throws {
        var totals = StoreTotals()
        let histogram = WaitHistogram(counts: [0: 3, 1: 1, 59: 200, 60: 1, 86_400: 2, 4_000_000_000: 1])
        var decoded = WaitHistogram()
        try CellEncoding.encode(histogram).withUnsafeBytes { try CellEncoding.decode($0, into: &decoded, totals: &totals, total: 0) }
        #expect(decoded == histogram)
        let labels: [String: Int64] = ["covid": 12, "theft, vehicle": 1, "two\nlines": 300, "é": 1]
        var decodedLabels: [String: Int64] = [:]
        try CellEncoding.encode(labels).withUnsafeBytes { try CellEncoding.decode($0, into: &decodedLabels, totals: &totals, total: 2) }
        #expect(decodedLabels == labels)
        #expect(throws: CellEncodingError.self) {
            var broken = WaitHistogram()
            try [UInt8(0x80)].withUnsafeBytes { try CellEncoding.decode($0, into: &broken, totals: &totals, total: 0) }
        }
    }
}

/// A lock held past the wait says what it waited for and that nothing changed (it said only "database is locked").
@Test func aStoreLockedTooLongSaysWhatToDo() {
    let message = StoreError.database(path: "m.db", SQLiteError(code: 5 /* SQLITE_BUSY */, message: "database is locked")).description
    #expect(message.hasPrefix("m.db: database is locked: another process held it for the 60 s this run waits"))
    #expect(message.hasSuffix("nothing was changed, and running again once it has finished is safe"))
}
