import Foundation

/// A source as recorded in the store.
public struct StoredSource: Sendable, Equatable {
    public var name: String
    public var ledger: Ledger.Source
    public var readingOptions: String
    /// ISO 8601 UTC time of the ingest that wrote it.
    public var ingestedAt: String

    /// One setting of `readingOptions` (`IngestOptions.readingRecord`, `key=value;…`), or nil when it
    /// does not record it: `readingValue("tz")` is the zone the source was read in.
    public func readingValue(_ key: String) -> String? {
        readingOptions.split(separator: ";").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    /// Whether the source was stored before schema 4 counted contacts of unknown outcome apart (marked
    /// so by the upgrade): those contacts are in its abandonment and service-level denominators.
    public var storedBeforeVersion4: Bool { isMarked(ContactStore.storedBeforeVersion4) }

    /// Whether the source was stored before schema 7 counted contacts of exports with no category column apart
    /// (marked so by the upgrade): those contacts are in its category shares' denominators.
    public var storedBeforeVersion7: Bool { isMarked(ContactStore.storedBeforeVersion7) }

    /// Whether the reading holds `mark` (an upgrade's `stored-before-schema=N`) as one of its `;`-separated entries.
    private func isMarked(_ mark: String) -> Bool { readingOptions.split(separator: ";").contains { $0 == mark } }

    /// The zones `sources` were read in, leaving out queue_logs (their times are UTC epoch seconds, so
    /// the zone they record is only the default, not a choice).
    public static func readingZones(of sources: [StoredSource]) -> Set<String> {
        Set(sources.filter { $0.ledger.kind != .queueLog }.compactMap { $0.readingValue("tz") })
    }

    /// The zone to show `sources` in without `--tz`: the one they were read in when they agree, else nil.
    public static func readingZone(of sources: [StoredSource]) -> String? {
        let zones = readingZones(of: sources)
        return zones.count == 1 ? zones.first : nil
    }
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
            let contactFields = ContactCounters.Field.allCases, incidentFields = IncidentCounters.Field.allCases
            // An older store opened read-only lacks the later counters' columns: they read as 0.
            let storeVersion = version
            let selected = contactFields.map { Self.version(bringing: $0) <= storeVersion ? $0.column : "0" }
            let contacts = try connection.prepare("""
                SELECT slot, channel, \(selected.joined(separator: ", ")), answer_waits, abandon_waits, categories
                FROM contact_cells WHERE slot >= ?1 AND slot < ?2
                """)
            try contacts.bind(range)
            // Cells in chunks (`ChunkedStore`): no doubling array and no second copy of them when they are
            // put in key order; found by (period, channel number), the last one first (rows come in slot order).
            var keys = ChunkedStore<CellKey>()
            var cells = ChunkedStore<ContactCell>()
            var index: [PeriodAndChannel: Int32] = [:]
            var channelNumbers: [String: Int] = [:]
            var sharedLabels = SharedLabels()
            var lastPacked: PeriodAndChannel?, lastPosition = 0
            // The histograms of cells that met more than one stored row, summed at the end (a month cell
            // has thousands of rows; a 15-minute cell has one, and needs no sum).
            var sums: [(answer: WaitHistogramSum, abandon: WaitHistogramSum, categories: [String: Int64])] = []
            var sumOfCell: [Int32] = []  // the cell's index in `sums`, or -1
            var lastSlot = Int64.min
            var period: Int64?
            // Every count of the read, summed (by field, then the histograms' counts and wait sums, the
            // categories, the incidents' fields and agencies): bounds what any figure made of them can reach.
            var totals = StoreTotals()
            let answerTotal = contactFields.count, abandonTotal = answerTotal + 2, categoryTotal = abandonTotal + 2
            let incidentTotal = categoryTotal + 1, agencyTotal = incidentTotal + incidentFields.count
            let blobs = Int32(2 + contactFields.count)
            while try contacts.step() {
                let slot = try StoredValues.slot(contacts.int64(0))
                if slot != lastSlot { lastSlot = slot; period = periodFor(slot) }
                guard let period else { continue }
                let channel = contacts.string(1)
                let number: Int
                if let known = channelNumbers[channel] {
                    number = known
                } else {
                    number = channelNumbers.count
                    channelNumbers[channel] = number
                }
                let packed = PeriodAndChannel(period: period, channel: number)
                let position: Int
                var isNew = false
                if packed == lastPacked {
                    position = lastPosition
                } else if let known = index[packed] {
                    position = Int(known)
                } else {
                    position = keys.count
                    index[packed] = Int32(position)
                    keys.append(CellKey(period: period, channel: channel))
                    cells.append(ContactCell())
                    sumOfCell.append(-1)
                    isNew = true
                }
                lastPacked = packed
                lastPosition = position
                let cell = cells.address(position)
                var counters = ContactCounters()
                for (offset, field) in contactFields.enumerated() {
                    let value = contacts.int64(Int32(2 + offset))
                    switch field {
                    case .handleSecondsSquared, .handleWithWrapUpSecondsSquared: counters[field] = value  // any bits: an unsigned sum
                    case .handleSeconds, .handleWithWrapUpSeconds:
                        try totals.add(seconds: value, times: 1, to: field.rawValue)
                        counters[field] = value
                    default:
                        counters[field] = try StoredValues.count(value)
                        try totals.add(value, to: field.rawValue)
                    }
                }
                cell.pointee.counters.add(counters)
                let waitsBefore = (totals[answerTotal], totals[abandonTotal], totals[categoryTotal])
                var answerWaits = WaitHistogram(), abandonWaits = WaitHistogram()
                try CellEncoding.decode(contacts.blob(blobs), into: &answerWaits, totals: &totals, total: answerTotal)
                try CellEncoding.decode(contacts.blob(blobs + 1), into: &abandonWaits, totals: &totals, total: abandonTotal)
                if isNew {
                    cell.pointee.answerWaits = answerWaits
                    cell.pointee.abandonWaits = abandonWaits
                    try CellEncoding.decode(contacts.blob(blobs + 2), into: &cell.pointee.categories, totals: &totals,
                                            total: categoryTotal, shared: &sharedLabels)
                } else {
                    if sumOfCell[position] < 0 {
                        sumOfCell[position] = Int32(sums.count)
                        var categories: [String: Int64] = [:]
                        for (label, count) in cell.pointee.categories { categories[label, default: 0] &+= count }
                        sums.append((WaitHistogramSum(), WaitHistogramSum(), categories))
                        sums[sums.count - 1].answer.add(cell.pointee.answerWaits)
                        sums[sums.count - 1].abandon.add(cell.pointee.abandonWaits)
                    }
                    let sum = Int(sumOfCell[position])
                    sums[sum].answer.add(answerWaits)
                    sums[sum].abandon.add(abandonWaits)
                    // A month's cell meets thousands of stored rows: their labels are counted in a dictionary
                    // and made a sorted table once, at the end.
                    try CellEncoding.decode(contacts.blob(blobs + 2), into: &sums[sum].categories, totals: &totals,
                                            total: categoryTotal, shared: &sharedLabels)
                }
                // What one stored cell must satisfy, as every cell the ingest writes does.
                guard counters.answered + counters.abandoned + counters.other <= counters.received,
                      counters.answeredUntimed <= counters.answered, counters.abandonedUntimed <= counters.abandoned,
                      counters.outcomeUnknown >= 0, counters.outcomeUnknown <= counters.other, counters.handleSeconds >= 0,
                      counters.categoryNotGiven >= 0, counters.categoryNotGiven <= counters.received,
                      counters.handleSeconds <= counters.handled * StoredValues.waitSeconds.upperBound,
                      counters.wrapped <= counters.handled, counters.handleWithWrapUpSeconds >= 0,
                      counters.handleWithWrapUpSeconds <= counters.wrapped * 2 * StoredValues.waitSeconds.upperBound,
                      totals[answerTotal] - waitsBefore.0 == counters.answered - counters.answeredUntimed,
                      totals[abandonTotal] - waitsBefore.1 == counters.abandoned - counters.abandonedUntimed,
                      totals[categoryTotal] - waitsBefore.2 <= counters.received else { throw CellEncodingError() }
            }
            for (position, sum) in sumOfCell.enumerated() where sum >= 0 {
                cells.address(position).pointee.answerWaits = sums[Int(sum)].answer.finish()
                cells.address(position).pointee.abandonWaits = sums[Int(sum)].abandon.finish()
                cells.address(position).pointee.categories = CategoryCounts(sums[Int(sum)].categories)
            }
            index = [:]
            sums = []
            sumOfCell = []
            // Keys are in order but where a period starts again (the hour repeated when clocks go back)
            // or a channel first appears late in a period: then the cells are put in order in place.
            if !(1..<max(keys.count, 1)).allSatisfy({ keys.address($0 - 1).pointee < keys.address($0).pointee }) {
                var order = (0..<keys.count).sorted { keys.address($0).pointee < keys.address($1).pointee }.map { Int32($0) }
                cells.permute(&order)
                for position in order.indices { order[position] = ~order[position] }  // `permute` inverted them
                keys.permute(&order)
            }
            var cube = Cube(grain: grain)
            cube.contacts = ContactCells(merging: [SortedCellRun(keys: keys, cells: cells)])
            let incidents = try connection.prepare("""
                SELECT slot, \(incidentFields.map(\.column).joined(separator: ", ")), referred_by_agency
                FROM incident_cells WHERE slot >= ?1 AND slot < ?2
                """)
            try incidents.bind(range)
            while try incidents.step() {
                guard let period = periodFor(try StoredValues.slot(incidents.int64(0))) else { continue }
                var cell = IncidentCell()
                for (offset, field) in incidentFields.enumerated() {
                    let value = try StoredValues.count(incidents.int64(Int32(1 + offset)))
                    try totals.add(value, to: incidentTotal + offset)
                    cell.counters[field] = value
                }
                let agenciesBefore = totals[agencyTotal]
                try CellEncoding.decode(incidents.blob(Int32(1 + incidentFields.count)), into: &cell.referredByAgency, totals: &totals, total: agencyTotal)
                let counters = cell.counters
                guard counters.deployed <= counters.deployedMeasured, counters.deployedMeasured <= counters.incidents,
                      counters.referred <= counters.referralMeasured, counters.referralMeasured <= counters.incidents,
                      totals[agencyTotal] - agenciesBefore == counters.referred else { throw CellEncodingError() }
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
            var totals = StoreTotals()
            func rows(_ column: Int32) throws(CellEncodingError) -> Int {
                let value = try StoredValues.count(statement.int64(column))
                try totals.add(value, to: Int(column))
                return Int(value)
            }
            while try statement.step() {
                let ledger = Ledger.Source(
                    path: statement.string(0), kind: InputKind(rawValue: statement.string(1)) ?? .contacts,
                    byteCount: try StoredValues.count(statement.int64(2)), contentFingerprint: statement.string(3),
                    rowsRead: try rows(4), rowsAccepted: try rows(5), rowsRejected: try rows(6), rowsSkipped: try rows(7),
                    firstArrivalUTC: try StoredValues.instant(statement.optionalInt64(8)),
                    lastArrivalUTC: try StoredValues.instant(statement.optionalInt64(9)))
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
            ledger.idsComparedWithinSourcesOnly = true
            let statement = try connection.prepare("SELECT name, ledger_details FROM sources ORDER BY id")
            var totals = StoreTotals()
            // Which sources add to the counts of sources, so that a report over some dates counts those alone.
            var withoutIds = Set<String>(), minutes = Set<String>(), minutesWithoutMarks = Set<String>()
            while try statement.step() {
                let before = ledger
                try LedgerDetails.add(statement.string(1), to: &ledger, totals: &totals)
                let name = statement.string(0)
                if ledger.sourcesWithoutIds > before.sourcesWithoutIds { withoutIds.insert(name) }
                if ledger.minuteResolutionSources > before.minuteResolutionSources { minutes.insert(name) }
                if ledger.minuteSourcesWithoutRowMarks > before.minuteSourcesWithoutRowMarks { minutesWithoutMarks.insert(name) }
            }
            for source in try sources() {
                var sourceLedger = source.ledger
                sourceLedger.lacksIds = withoutIds.contains(source.name)
                sourceLedger.inWholeMinutes = minutes.contains(source.name)
                sourceLedger.inWholeMinutesWithoutRowMarks = minutesWithoutMarks.contains(source.name)
                ledger.sources.append(sourceLedger)
                ledger.rowsRead += source.ledger.rowsRead
                ledger.rowsAccepted += source.ledger.rowsAccepted
                ledger.rowsRejected += source.ledger.rowsRejected
                ledger.rowsSkipped += source.ledger.rowsSkipped
            }
            try countContinuedCalls(into: &ledger)
            return ledger
        }
    }

    /// A queue_log call left open by one night and finished by a later one: one run over both files counts its lines in
    /// the first night as accepted and no open call, where that night's own ledger skipped them as `open_call` (the store
    /// review's ledger said 2 calls still open that were counted). Moved so, by the lines the night kept of each open leg
    /// (`open_calls.lines`, schema 6) that a later source answered or closed (an answered one is counted already: the third
    /// diff review). A leg a store kept before schema 6 has no lines, and stays open in the ledger.
    private func countContinuedCalls(into ledger: inout Ledger) throws {
        guard hasOpenCalls, try hasOpenCallLines() else { return }
        let statement = try connection.prepare("""
            SELECT s.name, sum(o.lines), count(*) FROM open_calls o JOIN sources s ON s.id = o.source_id
            WHERE o.state = \(OpenQueueCall.State.open.rawValue) AND o.lines > 0 AND EXISTS (
                SELECT 1 FROM open_calls c WHERE c.call = o.call AND c.arrival_utc = o.arrival_utc AND c.source_id <> o.source_id
                  AND c.state <> \(OpenQueueCall.State.open.rawValue))
            GROUP BY s.name
            """)
        while try statement.step() {
            let name = statement.string(0), lines = Int(try StoredValues.count(statement.int64(1))), calls = Int(statement.int64(2))
            guard let index = ledger.sources.firstIndex(where: { $0.path == name }), ledger.sources[index].rowsSkipped >= lines,
                  ledger.skippedByReason[SkipReason.openCall.rawValue, default: 0] >= lines else { continue }  // a crafted store
            ledger.sources[index].rowsSkipped -= lines
            ledger.sources[index].rowsAccepted += lines
            ledger.rowsSkipped -= lines
            ledger.rowsAccepted += lines
            ledger.skippedByReason[SkipReason.openCall.rawValue, default: 0] -= lines
            if ledger.skippedByReason[SkipReason.openCall.rawValue] == 0 { ledger.skippedByReason[SkipReason.openCall.rawValue] = nil }
            ledger.openCalls = max(0, ledger.openCalls - calls)
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
            while try statement.step() {
                rows.append((statement.string(0), try StoredValues.slot(statement.int64(1)), try StoredValues.count(statement.int64(2))))
            }
            return rows
        }
    }

    /// The queue_log call legs stored sources left open, by callid code, each call's oldest first (the latest
    /// source's legs when two left the same callid open), leaving out the sources named in `excluded` (those
    /// about to be replaced).
    public func openQueueCalls(excluding excluded: Set<String> = []) throws(StoreError) -> [UInt64: [OpenQueueCall]] {
        guard hasOpenCalls else { return [:] }
        let legs = version >= 6 ? "o.leg, o.queue" : "0, 0"  // one leg a call before schema 6, its queue not kept
        return try check {
            let statement = try connection.prepare("""
                SELECT s.name, o.call, o.slot, o.channel, o.arrival_utc, o.state, s.id, \(legs) FROM open_calls o
                JOIN sources s ON s.id = o.source_id ORDER BY s.id, o.call, 8
                """)
            var calls: [UInt64: (source: Int64, legs: [OpenQueueCall])] = [:]
            while try statement.step() {
                guard !excluded.contains(statement.string(0)) else { continue }
                let call = UInt64(bitPattern: statement.int64(1)), source = statement.int64(6)
                guard let state = OpenQueueCall.State(rawValue: statement.int64(5)) else { throw CellEncodingError() }
                let leg = OpenQueueCall(call: call, slot: try StoredValues.slot(statement.int64(2)), channel: statement.string(3),
                                        arrivalUTC: try StoredValues.instant(statement.int64(4))!, state: state,
                                        queue: UInt64(bitPattern: statement.int64(8)))
                if calls[call]?.source == source { calls[call]!.legs.append(leg) } else { calls[call] = (source, [leg]) }
            }
            return calls.mapValues(\.legs)
        }
    }

    /// Removes a source and its cells, in one transaction. A name is found as written, or else as the one
    /// source whose name is the same text in another Unicode form (`é` as one code point or two, which
    /// `store sources` shows alike: a review could not remove a name so stored).
    /// - Returns: the sources that most likely continued calls the removed source left unfinished (a queue_log night's
    ///   calls that ended in a later night's file, `OpenQueueCall`), with at most how many: what they gave those calls
    ///   (the call itself, or its handle time) stays (an adversarial review's report showed a day of 0 calls with a
    ///   handle time of 14:30).
    /// - Throws: `StoreError.unknownSource` when no source has that name.
    @discardableResult
    public func remove(source name: String) throws(StoreError) -> [(source: String, calls: Int64)] {
        try check {
            try connection.immediateTransaction {
                try upgradeSchema()  // an older store has no open_calls table to delete from
                let find = try connection.prepare("SELECT id FROM sources WHERE name = ?1")
                try find.bind(1, name)
                let id: Int64
                if try find.step() {
                    id = find.int64(0)
                } else {
                    let all = try connection.prepare("SELECT id, name FROM sources")
                    var equivalent: [Int64] = []
                    while try all.step() {
                        if all.string(1) == name { equivalent.append(all.int64(0)) }  // String == compares canonically
                    }
                    guard equivalent.count == 1 else { throw StoreError.unknownSource(path: path, name: name) }
                    id = equivalent[0]
                }
                // The calls it left open or answered whose cell another source has, in a slot before that source's own
                // first arrival (or a source with none: a night of call ends alone): that source most likely continued
                // them (a later source records those it finished only within a day of their arrival, so its open
                // calls cannot tell). By slot and channel, not by call: at most, and another site's night over the same
                // times, or a rotation inside the slot, can be taken for it (the diff review).
                // Its own calls only: the legs it kept of an earlier night's calls arrived before its first arrival (the diff
                // review's earlier night was named as having continued a later one's call).
                let finished = try connection.prepare("""
                    SELECT s.name, count(DISTINCT oc.call) FROM open_calls oc
                    JOIN sources removed ON removed.id = oc.source_id
                    JOIN contact_cells c ON c.slot = oc.slot AND c.channel = oc.channel AND c.source_id != oc.source_id
                    JOIN sources s ON s.id = c.source_id
                    WHERE oc.source_id = ?1 AND oc.state IN (\(OpenQueueCall.State.open.rawValue), \(OpenQueueCall.State.answered.rawValue))
                      AND (removed.first_arrival_utc IS NULL OR oc.arrival_utc >= removed.first_arrival_utc)
                      AND (s.first_arrival_utc IS NULL OR s.first_arrival_utc > oc.slot * 900)
                    GROUP BY s.name ORDER BY s.name
                    """)
                try finished.bind(1, id)
                var holders: [(source: String, calls: Int64)] = []
                while try finished.step() { holders.append((finished.string(0), finished.int64(1))) }
                try deleteCells(sourceID: id)
                let delete = try connection.prepare("DELETE FROM sources WHERE id = ?1")
                try delete.bind(1, id)
                try delete.step()
                return holders
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
                coverage.append(StoreCoverage(channel: statement.string(0), firstSlot: try StoredValues.slot(statement.int64(1)),
                                              lastSlot: try StoredValues.slot(statement.int64(2)), cells: statement.int64(3)))
            }
            return coverage
        }
    }

    /// The local days (days since 1970-01-01 in `zone`) on which each channel has at least one contact stored, and
    /// incidents (channel `incidents`) at least one cell, in order. (A cell of handle times alone, left by a removed
    /// queue_log night, is no day's data.)
    public func daysWithData(zone: TimeZoneRules) throws(StoreError) -> [String: [Int64]] {
        try check {
            let statement = try connection.prepare("""
                SELECT DISTINCT channel, slot FROM contact_cells WHERE received > 0 UNION SELECT 'incidents', slot FROM incident_cells ORDER BY 1, 2
                """)
            var days: [String: [Int64]] = [:]
            var channel = "", channelDays: [Int64] = []
            func flush() { if !channelDays.isEmpty { days[channel] = channelDays } }
            while try statement.step() {
                let name = statement.string(0)
                if name != channel { flush(); channel = name; channelDays = [] }
                let seconds = try StoredValues.slot(statement.int64(1)) * 900
                let day = floorDivide(seconds + zone.offsetSeconds(atUTC: seconds), 86_400)
                if channelDays.last != day { channelDays.append(day) }  // slots ascend, so days do
            }
            flush()
            return days
        }
    }

    /// The local days (days since 1970-01-01 in `zone`) on which the store holds a contact of any channel, or an incident,
    /// in order: `daysWithData`'s days of every channel together, found with one indexed look-up a day instead of reading
    /// every cell (which was 29% of a monthly report from a year's store of 40 queues: the store review).
    public func daysWithAnyData(zone: TimeZoneRules) throws(StoreError) -> [Int64] {
        func localDay(_ slot: Int64) -> Int64 {
            let seconds = slot * 900
            return floorDivide(seconds + zone.offsetSeconds(atUTC: seconds), 86_400)
        }
        return try check {
            func days(_ sql: String) throws -> [Int64] {
                let first = try connection.prepare(sql)
                var found: [Int64] = []
                var from = StoredValues.slots.lowerBound
                while true {
                    first.reset()
                    try first.bind(1, from)
                    guard try first.step() else { return found }
                    let slot = try StoredValues.slot(first.int64(0))
                    let day = localDay(slot)
                    if found.last != day { found.append(day) }
                    guard slot < StoredValues.slots.upperBound else { return found }
                    // The next day's first slot: its midnight in UTC, then moved to the first slot of a later day (the offset
                    // at midnight is guessed from the offset near it), and never before the next slot.
                    let midnight = (day + 1) * 86_400
                    var next = max(slot + 1, floorDivide(midnight - zone.offsetSeconds(atUTC: midnight - zone.offsetSeconds(atUTC: midnight)), 900))
                    var steps = 0
                    while next - 1 > slot && localDay(next - 1) > day && steps < 192 { next -= 1; steps += 1 }
                    while localDay(next) <= day && next < StoredValues.slots.upperBound && steps < 384 { next += 1; steps += 1 }
                    from = next
                }
            }
            let contacts = try days("SELECT slot FROM contact_cells WHERE slot >= ?1 AND received > 0 ORDER BY slot LIMIT 1")
            let incidents = try days("SELECT slot FROM incident_cells WHERE slot >= ?1 ORDER BY slot LIMIT 1")
            return Array(Set(contacts).union(incidents)).sorted()
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

/// A cell's key while the store is read: its period and the channel's number in order of first sight
/// (hashing two integers, not the channel's text, for each of hundreds of thousands of rows).
private struct PeriodAndChannel: Hashable {
    var period: Int64
    var channel: Int
}
