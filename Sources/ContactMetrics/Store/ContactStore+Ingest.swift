import Foundation

/// One source to put into the store: what the engine read from it, and how.
public struct StoreSourceInput: Sendable {
    /// The source's name in the store (the path as given, or `--source-name`): a later source of the
    /// same name replaces this one.
    public var name: String
    /// The source's cells at `.utcQuarterHour` grain.
    public var cube: Cube
    /// The ledger of this source alone, with its content fingerprint (`computeContentHash`).
    public var ledger: Ledger
    /// The options that change what is read from the same bytes (time zone of naive times, date order,
    /// kind, submission channels, dedupe, the config's content), so that re-reading with other options
    /// is not a no-op.
    public var readingOptions: String
    /// queue_log calls the source leaves open, for later sources to complete.
    public var openQueueCalls: [OpenQueueCall]
    /// The source's contact cells when the run kept them in a spill (`IngestOptions.cellSpill`): they are
    /// read back a cell at a time as they are written, and `cube` holds no contact cells.
    public var spilledContacts: SpilledContactCells?
    /// The sketch of the source's contact (incident) ids (`IngestResult.idSketch`): empty when it has none.
    public var idSketch: IdSketch

    public init(name: String, cube: Cube, ledger: Ledger, readingOptions: String, openQueueCalls: [OpenQueueCall] = [],
                spilledContacts: SpilledContactCells? = nil, idSketch: IdSketch = IdSketch()) {
        precondition(cube.grain == .utcQuarterHour, "the store keeps UTC 15-minute cells")
        precondition(spilledContacts == nil || cube.contacts.isEmpty, "contact cells in the cube or in the spill, not both")
        self.name = name
        self.cube = cube
        self.ledger = ledger
        self.readingOptions = readingOptions
        self.openQueueCalls = openQueueCalls
        self.spilledContacts = spilledContacts
        self.idSketch = idSketch
    }

    /// `ledger.sources[0]`'s fingerprint, or one made of the counts when the engine computed none.
    var fingerprint: String { ledger.sources.first?.contentFingerprint ?? "" }
}

/// What ingesting a source did.
public enum IngestDisposition: Sendable, Equatable {
    /// A new source name.
    case added
    /// A source of the same name with other content (or read with other options): its earlier cells are gone.
    case replaced
    /// The same content is already in the store (under this name, or under `sameContentAs`): nothing changed.
    case unchanged(sameContentAs: String)
    /// The source of this name holds other times (a log rotated to the same name every night is a new
    /// night, not a correction): this content was stored beside it as `storedAs` (`besideName`),
    /// replacing an earlier version of that name when `replaced`.
    case storedBeside(storedAs: String, replaced: Bool)
}

extension ContactStore {
    /// Writes the sources in one `BEGIN IMMEDIATE` transaction: all of them or (on any failure, or
    /// if the process dies) none. The caller computes the cubes first, so the write lock is short;
    /// a concurrent run waits for it (busy timeout), it does not fail.
    /// - Parameters:
    ///   - unchangedSince: a `dataVersion()` taken when what the inputs were read with came from the store
    ///     (queue_log calls left open): when another run has committed since, `StoreError.changedWhileReading`
    ///     and nothing is written.
    ///   - beforeCommit: called inside the transaction after the writes (a test hook).
    /// - Returns: one disposition per input, in order.
    public func ingest(_ inputs: [StoreSourceInput], ingestedAt: Date = Date(), unchangedSince: Int64? = nil,
                       beforeCommit: () -> Void = {}) throws(StoreError) -> [IngestDisposition] {
        let timestamp = ISO8601DateFormatter().string(from: ingestedAt)
        return try check {
            try connection.immediateTransaction {
                // Taken under the write lock: a run that committed while this one read its files is seen here.
                if let unchangedSince, try connection.scalar("PRAGMA data_version") != unchangedSince {
                    throw StoreError.changedWhileReading(path: path)
                }
                // Each file looks for its content among the sources: by an index, not a scan of every source's
                // row (ledger included) per file, which made a run of thousands of files quadratic. Made by the
                // first write to a store without it; an older build reads the store as before.
                try connection.execute("CREATE INDEX IF NOT EXISTS sources_by_fingerprint ON sources (content_fingerprint)")
                let dispositions = try inputs.map { try write($0, ingestedAt: timestamp) }
                beforeCommit()
                return dispositions
            }
        }
    }

    /// The stored source whose content and reading are `input`'s (what `ingest` would leave `.unchanged`), if any: for a
    /// run that writes nothing to say which of its files the store holds already (a refused run's JSON said `refused`).
    public func sourceHoldingTheSameContent(as input: StoreSourceInput) throws(StoreError) -> String? {
        try check {
            guard version >= 4 else { return nil }  // an older store's sources are read again
            let statement = try connection.prepare("SELECT name FROM sources WHERE content_fingerprint = ?1 AND reading_options = ?2 ORDER BY name = ?3 DESC, id LIMIT 1")
            try statement.bind(1, input.fingerprint)
            try statement.bind(2, input.readingOptions)
            try statement.bind(3, input.name)
            guard try statement.step() else { return nil }
            let name = statement.string(0)
            // A store before schema 7 reads a source of this name (or a night of it) again, as `write` does: not held then.
            if version < Self.schemaVersion && (name == input.name || Self.isBesideName(name, of: input.name)) { return nil }
            return name
        }
    }

    private func write(_ input: StoreSourceInput, ingestedAt: String) throws -> IngestDisposition {
        // Identical content anywhere in the store is a no-op: the same export reached by another
        // path must not be counted twice.
        let sameContent = try connection.prepare("SELECT name, reading_options FROM sources WHERE content_fingerprint = ?1 ORDER BY id")
        try sameContent.bind(1, input.fingerprint)
        var other: (name: String, sameReading: Bool)?
        // This content stored under this name, or as a night of it (`besideName`), read with other options:
        // it is read again and replaces itself, wherever its new times fall (a corrected `--date-order` or
        // `--tz` moves them all; taken for a new night, it was stored twice).
        var rereadAs: String?
        // A source stored before schema 4 counted its contacts of unknown outcome as `other` only: the same
        // file under the same name is read again (and replaces it), so that a nightly re-run mends the store.
        // So for one stored before schema 7 (contacts of exports with no category column counted apart).
        let storedBeforeUpgrade = version < Self.schemaVersion
        while try sameContent.step() {
            let name = sameContent.string(0), sameReading = sameContent.string(1) == input.readingOptions
            if name == input.name || Self.isBesideName(name, of: input.name) {
                if sameReading && !storedBeforeUpgrade { return .unchanged(sameContentAs: name) }
                if rereadAs == nil || name == input.name { rereadAs = name }
            } else if other == nil || (sameReading && !other!.sameReading) {
                other = (name, sameReading)
            }
        }
        if let other, rereadAs == nil {
            // Counting it again would count the same rows twice; reading it another way must be asked for.
            guard other.sameReading else { throw StoreError.sameContentOtherReading(path: path, name: input.name, other: other.name) }
            return .unchanged(sameContentAs: other.name)
        }

        try upgradeSchema()  // the first write brings an older store up to date, in this transaction
        let source = input.ledger.sources.first
        var name = rereadAs ?? input.name
        // A name holds one kind: an incidents file under a contacts source's name (`--source-name $day` for both
        // of a night's exports) replaced the night's calls, without a word when its times covered theirs.
        let kind = source?.kind.rawValue ?? InputKind.contacts.rawValue
        if let stored = try self.kind(ofSource: input.name), stored != kind {
            throw StoreError.otherKind(path: path, name: input.name, stored: stored, given: kind)
        }
        // Incidents by their raised times alike: an `incidents.csv` overwritten nightly replaced every earlier
        // night (a review found 342 of 1,368 incidents left after four nights), and a header alone emptied it.
        if rereadAs == nil {
            if let first = source?.firstArrivalUTC, let last = source?.lastArrivalUTC {
                let night = NightContent(input), range = min(first, last)...max(first, last)
                if try arrivalRange(ofSource: name) != nil, try !corrects(night, range: range, storedAs: name) {
                    // A night stored beside the name that it shares its times and contacts with is the night it
                    // corrects (its first arrival may have moved); else it is a new night.
                    name = try besideNight(of: input.name, content: night, range: range) ?? Self.besideName(input.name, firstArrivalUTC: first)
                    // A night of that name that this file does not correct (another site's night under the same name,
                    // whose first call came in the same second) keeps it: this one gets a name of its own. (It was
                    // replaced, status 0: found by the diff review.)
                    if try self.kind(ofSource: name) != nil, try !corrects(night, range: range, storedAs: name) {
                        name = "\(name)@\(Self.fingerprintDigest(input.fingerprint))"
                    }
                } else if try arrivalRange(ofSource: name) == nil, let corrected = try besideNight(of: input.name, content: night, range: range) {
                    // The name is free (its own night was taken out), but a night stored beside it is the one this
                    // file corrects: it was added under the name and both were counted (a review: 399 for 199).
                    name = corrected
                }
            } else if try arrivalRange(ofSource: name) != nil {
                // No contacts (a header alone, a queue_log restarted with no call, or only the ends of the
                // previous night's calls): a quiet night, not a correction that empties the night stored
                // under this name. Each has its own name, so that one quiet night does not replace another.
                name = Self.noContactsName(input.name, fingerprint: input.fingerprint)
            }
        }
        let values: [(String, Any?)] = [
            ("name", name), ("kind", kind), ("byte_count", source?.byteCount ?? 0),
            ("content_fingerprint", input.fingerprint), ("reading_options", input.readingOptions),
            ("rows_read", Int64(input.ledger.rowsRead)), ("rows_accepted", Int64(input.ledger.rowsAccepted)),
            ("rows_rejected", Int64(input.ledger.rowsRejected)), ("rows_skipped", Int64(input.ledger.rowsSkipped)),
            ("ledger_details", LedgerDetails.encode(input.ledger)),
            ("first_arrival_utc", source?.firstArrivalUTC), ("last_arrival_utc", source?.lastArrivalUTC),
            ("ingested_at", ingestedAt),
        ]
        let existing = try connection.prepare("SELECT id FROM sources WHERE name = ?1")
        try existing.bind(1, name)
        let sourceID: Int64
        let disposition: IngestDisposition
        if try existing.step() {
            // Same name, new content: the earlier contribution goes, the row keeps its id (and so its
            // place in the ledger's source order).
            sourceID = existing.int64(0)
            try deleteCells(sourceID: sourceID)
            let assignments = values.indices.map { "\(values[$0].0) = ?\($0 + 2)" }.joined(separator: ", ")
            let update = try connection.prepare("UPDATE sources SET \(assignments) WHERE id = ?1")
            try update.bind(1, sourceID)
            try bind(values, to: update, from: 2)
            try update.step()
            try storeIdSketch(input.idSketch, sourceID: sourceID)
            disposition = name == input.name ? .replaced : .storedBeside(storedAs: name, replaced: true)
        } else {
            let names = values.map(\.0).joined(separator: ", ")
            let parameters = values.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
            let insert = try connection.prepare("INSERT INTO sources (\(names)) VALUES (\(parameters))")
            try bind(values, to: insert, from: 1)
            try insert.step()
            sourceID = connection.lastInsertRowID
            try storeIdSketch(input.idSketch, sourceID: sourceID)
            disposition = name == input.name ? .added : .storedBeside(storedAs: name, replaced: false)
        }
        try insertCells(input.cube, spilled: input.spilledContacts, sourceID: sourceID)
        let open = try connection.prepare("INSERT INTO open_calls (source_id, call, leg, slot, channel, arrival_utc, state, queue, lines) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        // Each call's legs come oldest first: numbered 0, 1, … in that order.
        var leg: Int64 = 0
        for (index, call) in input.openQueueCalls.enumerated() {
            leg = index > 0 && input.openQueueCalls[index - 1].call == call.call ? leg + 1 : 0
            try open.bind([sourceID, Int64(bitPattern: call.call), leg, call.slot])
            try open.bind(5, call.channel)
            try open.bind(6, call.arrivalUTC)
            try open.bind(7, call.state.rawValue)
            try open.bind(8, Int64(bitPattern: call.queue))
            try open.bind(9, call.lines)
            try open.step()
            open.reset()
        }
        return disposition
    }

    /// Keeps a source's id sketch (none when it has no ids).
    private func storeIdSketch(_ sketch: IdSketch, sourceID: Int64) throws {
        let update = try connection.prepare(sketch.isEmpty ? "DELETE FROM id_sketches WHERE source_id = ?1"
                                            : "INSERT OR REPLACE INTO id_sketches (source_id, sketch) VALUES (?1, ?2)")
        try update.bind(1, sourceID)
        if !sketch.isEmpty { try update.bind(2, blob: sketch.encoded) }
        try update.step()
    }

    private func bind(_ values: [(String, Any?)], to statement: SQLiteStatement, from first: Int32) throws {
        for (offset, (_, value)) in values.enumerated() {
            let index = first + Int32(offset)
            switch value {
            case let text as String: try statement.bind(index, text)
            case let number as Int64: try statement.bind(index, number)
            default: try statement.bind(index, nil as Int64?)
            }
        }
    }

    func deleteCells(sourceID: Int64) throws {
        for table in ["contact_cells", "incident_cells", "open_calls", "id_sketches"] {
            let delete = try connection.prepare("DELETE FROM \(table) WHERE source_id = ?1")
            try delete.bind(1, sourceID)
            try delete.step()
        }
    }

    private func insertCells(_ cube: Cube, spilled: SpilledContactCells?, sourceID: Int64) throws {
        let incidentFields = IncidentCounters.Field.allCases
        var contacts = ContactCellWriter(connection: connection, sourceID: sourceID)
        try contacts.write(cube.contacts)
        if let spilled { try contacts.write(spilled) }
        let incident = try connection.prepare("""
            INSERT INTO incident_cells (slot, source_id, \(incidentFields.map(\.column).joined(separator: ", ")), referred_by_agency)
            VALUES (\((1...incidentFields.count + 3).map { "?\($0)" }.joined(separator: ", ")))
            """)
        for (slot, cell) in cube.incidents.sorted(by: { $0.key < $1.key }) {
            try incident.bind([slot, sourceID] + incidentFields.map { cell.counters[$0] })
            try incident.bind(Int32(3 + incidentFields.count), blob: CellEncoding.encode(cell.referredByAgency))
            try incident.step()
            incident.reset()
        }
    }
}

/// The parts of a source's ledger that have no column of their own, as a small JSON object.
enum LedgerDetails {
    static func encode(_ ledger: Ledger) -> String {
        var object: [String: Any] = [
            "rejected_by_reason": ledger.rejectedByReason, "skipped_by_reason": ledger.skippedByReason,
            "duplicate_ids": ledger.duplicateIds, "blank_lines": ledger.blankLines,
            "repeated_local_times": ledger.repeatedLocalTimes, "skipped_local_times": ledger.skippedLocalTimes,
            "paired_across_clock_change": ledger.pairedAcrossClockChange, "invalid_utf8_lines": ledger.invalidUTF8Lines,
            "minute_resolution_sources": ledger.minuteResolutionSources,
            "minute_sources_without_row_marks": ledger.minuteSourcesWithoutRowMarks,
            "open_calls": ledger.openCalls, "sources_without_ids": ledger.sourcesWithoutIds,
        ]
        // So that a report from the store says the dates were read day (or month) first, as one from the files does.
        if let order = ledger.judgedDateOrder { object["judged_date_order"] = order.rawValue }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Adds the details in `json` to `ledger`; `totals` bounds the sums over every source read.
    /// - Throws: `CellEncodingError` for details that are not such an object or hold counts out of bounds.
    static func add(_ json: String, to ledger: inout Ledger, totals: inout StoreTotals) throws(CellEncodingError) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else { throw CellEncodingError() }
        var next = 0
        func count(_ value: Any?) throws(CellEncodingError) -> Int {
            guard let value else { return 0 }
            guard let number = value as? NSNumber, let whole = Int64(exactly: number.doubleValue) else { throw CellEncodingError() }
            try totals.add(try StoredValues.count(whole), to: next)
            return Int(whole)
        }
        func counts(_ key: String) throws(CellEncodingError) -> [String: Int] {
            guard let members = object[key] else { return [:] }
            guard let dictionary = members as? [String: Any] else { throw CellEncodingError() }
            var result: [String: Int] = [:]
            for (reason, value) in dictionary { result[reason] = try count(value) }
            return result
        }
        ledger.rejectedByReason.merge(try counts("rejected_by_reason"), uniquingKeysWith: +)
        next = 1
        ledger.skippedByReason.merge(try counts("skipped_by_reason"), uniquingKeysWith: +)
        let fields: [(String, WritableKeyPath<Ledger, Int>)] = [
            ("duplicate_ids", \.duplicateIds), ("blank_lines", \.blankLines), ("repeated_local_times", \.repeatedLocalTimes),
            ("skipped_local_times", \.skippedLocalTimes), ("open_calls", \.openCalls),
            ("paired_across_clock_change", \.pairedAcrossClockChange), ("invalid_utf8_lines", \.invalidUTF8Lines),
            ("minute_resolution_sources", \.minuteResolutionSources), ("sources_without_ids", \.sourcesWithoutIds),
        ]
        for (key, field) in fields {
            next += 1
            ledger[keyPath: field] += try count(object[key])
        }
        ledger.noteJudgedDateOrder((object["judged_date_order"] as? String).flatMap(DateOrder.init(rawValue:)))
        next += 1
        // A source stored before schema 5 has no minute-timed waits in its cells: its judgement stands for them.
        ledger.minuteSourcesWithoutRowMarks += try count(object["minute_sources_without_row_marks"] ?? object["minute_resolution_sources"])
    }
}
