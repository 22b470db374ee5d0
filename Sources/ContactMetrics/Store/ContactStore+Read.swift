import Foundation

/// A source as recorded in the store.
public struct StoredSource: Sendable, Equatable {
    public var name: String
    public var ledger: Ledger.Source
    public var readingOptions: String
    /// ISO 8601 UTC time of the ingest that wrote it.
    public var ingestedAt: String
}

/// First and last UTC slot holding contacts of one channel (or incidents).
public struct StoreCoverage: Sendable, Equatable {
    public var channel: String
    public var firstSlot: Int64
    public var lastSlot: Int64
    public var cells: Int64
}

extension ContactStore {
    /// The cells of every source summed, at `.utcQuarterHour` grain, optionally only slots in `slots`.
    public func cube(slots: Range<Int64>? = nil) throws(StoreError) -> Cube {
        try cube(slots: slots, grain: .utcQuarterHour) { $0 }
    }

    /// The cells in `slots` summed into the periods `periodFor` gives each slot (nil leaves it out).
    ///
    /// Rows are decoded straight into the target cells: no per-slot cube is built, so rolling two years
    /// of 15-minute cells up to months costs one pass over the rows.
    func cube(slots: Range<Int64>?, grain: CellGrain, periodFor: (Int64) -> Int64?) throws(StoreError) -> Cube {
        try check {
            let range = slots.map { [$0.lowerBound, $0.upperBound] } ?? [Int64.min, Int64.max]
            let contacts = try connection.prepare("""
                SELECT slot, channel, received, answered, answered_untimed, abandoned, abandoned_untimed, other, handled,
                    handle_seconds, handle_seconds_squared, answer_waits, abandon_waits, categories
                FROM contact_cells WHERE slot >= ?1 AND slot < ?2
                """)
            try contacts.bind(range)
            var keys: [CellKey] = []
            var cells: [ContactCell] = []
            var index: [CellKey: Int] = [:]
            var lastSlot = Int64.min
            var period: Int64?
            while try contacts.step() {
                let slot = contacts.int64(0)
                if slot != lastSlot { lastSlot = slot; period = periodFor(slot) }
                guard let period else { continue }
                let key = CellKey(period: period, channel: contacts.string(1))
                let position: Int
                if let known = index[key] {
                    position = known
                } else {
                    position = cells.count
                    index[key] = position
                    keys.append(key)
                    cells.append(ContactCell())
                }
                var counters = ContactCounters()
                counters.received = contacts.int64(2)
                counters.answered = contacts.int64(3)
                counters.answeredUntimed = contacts.int64(4)
                counters.abandoned = contacts.int64(5)
                counters.abandonedUntimed = contacts.int64(6)
                counters.other = contacts.int64(7)
                counters.handled = contacts.int64(8)
                counters.handleSeconds = contacts.int64(9)
                counters.handleSecondsSquared = UInt64(bitPattern: contacts.int64(10))
                cells[position].counters.add(counters)
                try CellEncoding.decode(contacts.blob(11), into: &cells[position].answerWaits)
                try CellEncoding.decode(contacts.blob(12), into: &cells[position].abandonWaits)
                try CellEncoding.decode(contacts.blob(13), into: &cells[position].categories)
            }
            var cube = Cube(grain: grain)
            cube.contacts = Dictionary(uniqueKeysWithValues: zip(keys, cells))
            let incidents = try connection.prepare("""
                SELECT slot, incidents, deployed_measured, deployed, referral_measured, referred, referred_by_agency
                FROM incident_cells WHERE slot >= ?1 AND slot < ?2
                """)
            try incidents.bind(range)
            while try incidents.step() {
                guard let period = periodFor(incidents.int64(0)) else { continue }
                var cell = IncidentCell()
                cell.counters.incidents = incidents.int64(1)
                cell.counters.deployedMeasured = incidents.int64(2)
                cell.counters.deployed = incidents.int64(3)
                cell.counters.referralMeasured = incidents.int64(4)
                cell.counters.referred = incidents.int64(5)
                try CellEncoding.decode(incidents.blob(6), into: &cell.referredByAgency)
                cube.incidents[period, default: IncidentCell()].add(cell)
            }
            return cube
        }
    }

    /// The sources, in the order they were first ingested.
    public func sources() throws(StoreError) -> [StoredSource] {
        try check {
            let statement = try connection.prepare("""
                SELECT name, kind, byte_count, content_fingerprint, rows_read, rows_accepted, rows_rejected, rows_skipped,
                    first_arrival_utc, last_arrival_utc, reading_options, ingested_at FROM sources ORDER BY id
                """)
            var sources: [StoredSource] = []
            while try statement.step() {
                let ledger = Ledger.Source(
                    path: statement.string(0), kind: InputKind(rawValue: statement.string(1)) ?? .contacts,
                    byteCount: statement.int64(2), contentFingerprint: statement.string(3),
                    rowsRead: Int(statement.int64(4)), rowsAccepted: Int(statement.int64(5)),
                    rowsRejected: Int(statement.int64(6)), rowsSkipped: Int(statement.int64(7)),
                    firstArrivalUTC: statement.optionalInt64(8), lastArrivalUTC: statement.optionalInt64(9))
                sources.append(StoredSource(name: ledger.path, ledger: ledger, readingOptions: statement.string(10),
                                            ingestedAt: statement.string(11)))
            }
            return sources
        }
    }

    /// The input ledger of everything in the store, as one run over all its sources would report it
    /// (except ids repeated across sources, which each source's own run could not see).
    public func ledger() throws(StoreError) -> Ledger {
        try check {
            var ledger = Ledger()
            let statement = try connection.prepare("SELECT ledger_details FROM sources ORDER BY id")
            while try statement.step() { LedgerDetails.add(statement.string(0), to: &ledger) }
            for source in try sources() {
                ledger.sources.append(source.ledger)
                ledger.rowsRead += source.ledger.rowsRead
                ledger.rowsAccepted += source.ledger.rowsAccepted
                ledger.rowsRejected += source.ledger.rowsRejected
                ledger.rowsSkipped += source.ledger.rowsSkipped
            }
            return ledger
        }
    }

    /// Accepted rows per source and UTC slot (contacts and incidents), to move rows outside a date
    /// filter from accepted to skipped in the ledger, as a direct run does.
    func acceptedRowsBySourceAndSlot() throws(StoreError) -> [(source: String, slot: Int64, rows: Int64)] {
        try check {
            let statement = try connection.prepare("""
                SELECT s.name, c.slot, c.rows FROM sources s JOIN (
                    SELECT source_id, slot, sum(received) AS rows FROM contact_cells GROUP BY source_id, slot
                    UNION ALL SELECT source_id, slot, incidents FROM incident_cells) c ON c.source_id = s.id
                """)
            var rows: [(source: String, slot: Int64, rows: Int64)] = []
            while try statement.step() { rows.append((statement.string(0), statement.int64(1), statement.int64(2))) }
            return rows
        }
    }

    /// Removes a source and its cells, in one transaction.
    /// - Throws: `StoreError.unknownSource` when no source has that name.
    public func remove(source name: String) throws(StoreError) {
        try check {
            try connection.immediateTransaction {
                let find = try connection.prepare("SELECT id FROM sources WHERE name = ?1")
                try find.bind(1, name)
                guard try find.step() else { throw StoreError.unknownSource(path: path, name: name) }
                let id = find.int64(0)
                try deleteCells(sourceID: id)
                let delete = try connection.prepare("DELETE FROM sources WHERE id = ?1")
                try delete.bind(1, id)
                try delete.step()
            }
        }
    }

    /// Slots covered per channel, and by incidents (channel `incidents`), in channel order.
    public func coverage() throws(StoreError) -> [StoreCoverage] {
        try check {
            let statement = try connection.prepare("""
                SELECT channel, min(slot), max(slot), count(*) FROM contact_cells GROUP BY channel
                UNION ALL SELECT 'incidents', min(slot), max(slot), count(*) FROM incident_cells HAVING count(*) > 0
                """)
            var coverage: [StoreCoverage] = []
            while try statement.step() {
                coverage.append(StoreCoverage(channel: statement.string(0), firstSlot: statement.int64(1),
                                              lastSlot: statement.int64(2), cells: statement.int64(3)))
            }
            return coverage
        }
    }

    /// The database's size in bytes (page count × page size; a write-ahead log not yet checkpointed is extra).
    public func sizeInBytes() throws(StoreError) -> Int64 {
        try check {
            let pages = try connection.scalar("PRAGMA page_count") ?? 0
            let pageSize = try connection.scalar("PRAGMA page_size") ?? 0
            return pages * pageSize
        }
    }
}
