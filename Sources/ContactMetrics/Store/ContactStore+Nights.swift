import Foundation

// Which stored night a file under the same name corrects, and the names nights are kept under beside it.

/// A file's cells (15-minute slot and channel; slot alone for incidents), each as its contacts (incidents) and
/// a digest of everything stored of it, made once and only when a stored night's times make it a candidate for
/// correction.
final class NightContent {
    struct Key: Hashable {
        var slot: Int64
        var channel: String
    }

    private let input: StoreSourceInput
    private var made: (cells: [Key: (count: Int64, digest: Int)], total: Int64)?

    init(_ input: StoreSourceInput) { self.input = input }

    var isIncidents: Bool { input.ledger.sources.first?.kind == .incidents }
    /// The sketch of the file's ids (empty without ids).
    var idSketch: IdSketch { input.idSketch }
    /// The file's accepted rows.
    var rowsAccepted: Int64 { Int64(input.ledger.rowsAccepted) }
    /// The file's kind as stored (`contacts`, `incidents`, `queue-log`).
    var kind: String { (input.ledger.sources.first?.kind ?? .contacts).rawValue }

    /// The cells by key, and the contacts (incidents) in them all.
    func cells() throws -> (cells: [Key: (count: Int64, digest: Int)], total: Int64) {
        if let made { return made }
        var cells: [Key: (count: Int64, digest: Int)] = [:], total: Int64 = 0
        if isIncidents {
            for (slot, cell) in input.cube.incidents {
                let count = cell.counters[.incidents]
                cells[Key(slot: slot, channel: "")] = (count, Self.digest(cell))
                total += count
            }
        } else {
            func add(_ key: CellKey, _ cell: ContactCell) {
                cells[Key(slot: key.period, channel: key.channel)] = (cell.counters.received, Self.digest(cell))
                total += cell.counters.received
            }
            for (key, cell) in input.cube.contacts { add(key, cell) }
            try input.spilledContacts?.forEachCell(add)
        }
        made = (cells, total)
        return (cells, total)
    }

    /// The counters and histograms by which two sources' contact cells are the same contacts (`corrects`,
    /// `identicalRows`, `ContactStore.overlappingSources`): counts by outcome and the waits, which a
    /// re-export keeps. Handle times and categories are left out: a correction fixes them (a review's
    /// corrected night, its handle times fixed, was stored beside the night it corrected and counted twice).
    static let contactFields: [ContactCounters.Field] = [.received, .answered, .abandoned, .other]
    static let contactHistograms = ["answer_waits", "abandon_waits"]
    /// For `ContactStore.overlappingSources` (sources of other names): the SQL condition, over cells `a` and `b`
    /// whose `contactFields` and `contactHistograms` are equal, that completes their sameness. A cell with no
    /// answered or abandoned contact has no wait to compare (online reports): its categories are compared
    /// instead, or two sites' online exports matched on their counts alone (the diff review), unless `b`'s source
    /// is one of `sameSpan`, whose first and last arrivals are `a`'s to the second: the same export, recoded (the
    /// third diff review's night of online reports, recoded under another name, was counted three times with no
    /// word). A night's correction under its own name is not held to it either.
    static func sameCategoriesUnlessWaits(_ a: String, _ b: String, sameSpan: [Int64]) -> String {
        let spans = sameSpan.isEmpty ? "" : " OR +\(b).source_id IN (\(sameSpan.map(String.init).joined(separator: ",")))"
        return "(\(a).answered + \(a).abandoned > 0 OR \(a).categories IS \(b).categories\(spans))"
    }

    static func digest(_ cell: ContactCell) -> Int {
        digest(contactFields.map { cell.counters[$0] }, [CellEncoding.encode(cell.answerWaits), CellEncoding.encode(cell.abandonWaits)])
    }

    static func digest(_ cell: IncidentCell) -> Int {
        digest(IncidentCounters.Field.allCases.map { cell.counters[$0] }, [CellEncoding.encode(cell.referredByAgency)])
    }

    static func digest(_ counters: [Int64], _ blobs: [[UInt8]]) -> Int {
        var hasher = Hasher()
        for counter in counters { hasher.combine(counter) }
        for blob in blobs { hasher.combine(blob) }
        return hasher.finalize()
    }
}

extension ContactStore {
    /// Whether a file of arrivals `range` and cells `content` corrects the night stored as `stored`: their
    /// times overlap over at least half of the shorter (`correctsNight`), at least half of the smaller
    /// one's contacts (incidents) are in cells identical to the other's (counts and waits alike, `NightContent.contactFields`;
    /// counts and agencies for incidents), and the file holds at least half as many as the night (`isPart`). A corrected export, or one that grew since, keeps most cells; the
    /// next night's export with some of the night before's calls in it, another site's export under the same
    /// name, or an incidents export holding incidents raised days before, spans most of the night's times
    /// and replaced it (found by a review: 271 of a night's 274 contacts gone, status 0). Equal counts in a
    /// slot were not enough either: nightly files of a few incidents a slot shared them by chance. Nor are the
    /// same first and last arrivals with the same count in every cell: two sites' line-test calls on a schedule
    /// share them (the diff review; `IngestCommand.sameArrivalsOtherWaits` says it). When in doubt the file is a new
    /// night, stored beside: a night counted twice can be taken out, one replaced is lost.
    func corrects(_ content: NightContent, range: ClosedRange<Int64>, storedAs stored: String) throws -> Bool {
        guard let times = try arrivalRange(ofSource: stored),
              Self.correctsNight((range.lowerBound, range.upperBound), stored: times) else { return false }
        let isIncidents = content.isIncidents
        // A name holds one kind (`StoreError.otherKind`); a night of the other kind beside it is not this file's.
        // (A queue_log is stored as `queue-log`: compared with contacts and incidents alone, a queue_log that grew
        // since was never its own correction; found by the diff review.)
        guard try kind(ofSource: stored) == content.kind else { return false }
        // The same contacts by their ids, whatever their cells (a correction whose times moved by an hour shares none,
        // and was counted twice beside the night it corrects: a review). Otherwise the cells decide, as before (ids
        // reformatted, or numbered afresh).
        if !content.idSketch.isEmpty, let theirs = try idSketch(ofSource: stored), !theirs.isEmpty,
           let theirRows = try rowsAccepted(ofSource: stored),
           Self.sameContactsByIds(content.idSketch, rows: content.rowsAccepted, theirs, rows: theirRows),
           let storedTotal = try rowTotal(ofSource: stored), !Self.isPart(try content.cells().total, of: storedTotal) {
            return true
        }
        let statement = try connection.prepare(isIncidents
            ? "SELECT slot, '', \(IncidentCounters.Field.allCases.map(\.column).joined(separator: ", ")), referred_by_agency FROM incident_cells "
                + "WHERE source_id = (SELECT id FROM sources WHERE name = ?1)"
            : "SELECT slot, channel, \((NightContent.contactFields.map(\.column) + NightContent.contactHistograms).joined(separator: ", ")) "
                + "FROM contact_cells WHERE source_id = (SELECT id FROM sources WHERE name = ?1)")
        try statement.bind(1, stored)
        let file = try content.cells()
        let counters = isIncidents ? IncidentCounters.Field.allCases.count : NightContent.contactFields.count
        var matched: Int64 = 0, storedTotal: Int64 = 0
        while try statement.step() {
            let count = statement.int64(2)
            storedTotal &+= count
            guard let theirs = file.cells[NightContent.Key(slot: statement.int64(0), channel: statement.string(1))], theirs.count == count else { continue }
            let values = (0..<counters).map { statement.int64(Int32(2 + $0)) }
            let blobs = (2 + counters..<2 + counters + (isIncidents ? 1 : NightContent.contactHistograms.count)).map { Array(statement.blob(Int32($0))) }
            if NightContent.digest(values, blobs) == theirs.digest { matched &+= count }
        }
        // In Double: a crafted store's counts must not overflow. A file of less than half of the night's
        // contacts is not its correction however many of its cells match: a part of the night re-sent under its name
        // (one channel's calls, a filtered export) replaced it whole (a review found 101 calls 129 → 2, status 0).
        return matched > 0 && Double(matched) * 2 >= Double(min(storedTotal, file.total)) && !Self.isPart(file.total, of: storedTotal)
    }

    /// The share of the ids either of two sources holds that both must hold to be the same contacts (`sameContactsByIds`).
    static let sameContactsShare = 0.6

    /// Whether two sources' ids say they are the same contacts (a correction, its clock perhaps fixed), by their
    /// sketches and accepted rows: each has about one id a row (placeholders such as `N/A`, or ids on a few rows,
    /// decide nothing: the diff review's), they share at least `fewestSharedIds` ids and at least `sameContactsShare` of
    /// the ids either holds (a night re-sent in half, or an incidents export holding a third of the night before's,
    /// are not its correction), and nearly every shared id arrived with one shift of time (0, or an hour for a clock
    /// fixed): two sites whose exports number rows 1, 2, 3… share ids that arrived at unrelated times (the diff
    /// review's second site replaced the first).
    static func sameContactsByIds(_ mine: IdSketch, rows: Int64, _ theirs: IdSketch, rows theirRows: Int64) -> Bool {
        guard mine.distinctIds >= 0.9 * Double(rows), theirs.distinctIds >= 0.9 * Double(theirRows) else { return false }
        let shifts = mine.arrivalShifts(from: theirs)
        guard shifts.count >= fewestSharedIds, mine.jaccard(with: theirs) >= sameContactsShare else { return false }
        let commonest = Dictionary(shifts.map { ($0, 1) }, uniquingKeysWith: +).values.max() ?? 0
        return Double(commonest) >= 0.9 * Double(shifts.count)
    }

    /// See `sameContactsByIds`.
    static let fewestSharedIds = 10

    /// The rows accepted of the source named `name` (nil when there is no such source).
    func rowsAccepted(ofSource name: String) throws -> Int64? {
        let statement = try connection.prepare("SELECT rows_accepted FROM sources WHERE name = ?1")
        try statement.bind(1, name)
        return try statement.step() ? statement.int64(0) : nil
    }

    /// The id sketch stored of the source named `name`; nil when it has none (no ids, or stored before schema 6)
    /// or the bytes are not one.
    func idSketch(ofSource name: String) throws -> IdSketch? {
        if let cached = sketchCache?[name] { return cached }
        guard try sketchCache != nil || hasIdSketches() else { return nil }
        let statement = try connection.prepare("SELECT k.sketch FROM id_sketches k JOIN sources s ON s.id = k.source_id WHERE s.name = ?1")
        try statement.bind(1, name)
        let sketch = try statement.step() ? IdSketch(encoded: statement.blob(0)) : nil
        sketchCache?[name] = .some(sketch)
        return sketch
    }

    /// Whether a file of `count` contacts (incidents) is too few to correct a night of `night`: fewer than half as
    /// many. A correction takes some rows out; a night sent again in part (one channel's calls, every fifth row)
    /// keeps most of its cells too, and cells tell them apart no better than counts.
    public static func isPart(_ count: Int64, of night: Int64) -> Bool { Double(count) * 2 < Double(night) }

    /// The contacts (incidents) of the source named `name` that are in cells identical to `other`'s (same slot and
    /// channel; counts and waits alike, as `corrects` compares them), as stored.
    public func identicalRows(of name: String, with other: String) throws(StoreError) -> Int64 {
        try check {
            let kind = try kind(ofSource: name), isIncidents = kind == InputKind.incidents.rawValue
            let (table, weight) = Self.cells(ofKind: kind)
            let fields = isIncidents ? IncidentCounters.Field.allCases.map(\.column) + ["referred_by_agency"]
                : NightContent.contactFields.map(\.column) + NightContent.contactHistograms
            let same = (["slot"] + (isIncidents ? [] : ["channel"]) + fields).map { "a.\($0) IS b.\($0)" }.joined(separator: " AND ")
            let statement = try connection.prepare("""
                SELECT coalesce(sum(a.\(weight)), 0) FROM \(table) a JOIN \(table) b ON \(same)
                WHERE a.source_id = (SELECT id FROM sources WHERE name = ?1) AND b.source_id = (SELECT id FROM sources WHERE name = ?2)
                """)
            try statement.bind(1, name)
            try statement.bind(2, other)
            return try statement.step() ? statement.int64(0) : 0
        }
    }

    /// The contacts (incidents) stored of the source named `name`, nil when there is no such source.
    public func rowTotal(ofSource name: String) throws(StoreError) -> Int64? {
        try check {
            guard let kind = try kind(ofSource: name) else { return nil }
            let (table, weight) = Self.cells(ofKind: kind)
            let statement = try connection.prepare("SELECT coalesce(sum(\(weight)), 0) FROM \(table) WHERE source_id = (SELECT id FROM sources WHERE name = ?1)")
            try statement.bind(1, name)
            return try statement.step() ? statement.int64(0) : 0
        }
    }

    /// Whether at least half of the smaller of two stored sources' contacts (incidents) share their 15-minute
    /// slots with the other's, counted slot by slot as the smaller count of the two: a file stored beside the
    /// night of its name (`corrects` was false) that is as busy as it over the same times is another site's
    /// export under the same name, or a correction that changed most cells, which the store cannot tell apart.
    public func sharesMostSlots(_ name: String, with other: String) throws(StoreError) -> Bool {
        try check {
            let (table, weight) = Self.cells(ofKind: try kind(ofSource: name))
            let statement = try connection.prepare("""
                WITH a AS (SELECT slot, sum(\(weight)) AS n FROM \(table) WHERE source_id = (SELECT id FROM sources WHERE name = ?1) GROUP BY slot),
                     b AS (SELECT slot, sum(\(weight)) AS n FROM \(table) WHERE source_id = (SELECT id FROM sources WHERE name = ?2) GROUP BY slot)
                SELECT (SELECT coalesce(sum(min(a.n, b.n)), 0) FROM a JOIN b USING (slot)), (SELECT coalesce(sum(n), 0) FROM a), (SELECT coalesce(sum(n), 0) FROM b)
                """)
            try statement.bind(1, name)
            try statement.bind(2, other)
            guard try statement.step() else { return false }
            let shared = statement.int64(0)
            return shared > 0 && Double(shared) * 2 >= Double(min(statement.int64(1), statement.int64(2)))
        }
    }

    /// The table a source of `kind` keeps its cells in, and the column that counts its rows there.
    static func cells(ofKind kind: String?) -> (table: String, rows: String) {
        kind == InputKind.incidents.rawValue ? ("incident_cells", "incidents") : ("contact_cells", "received")
    }

    /// The kind of the source named `name` (`contacts`, `incidents`, `queue-log`), nil when there is none.
    func kind(ofSource name: String) throws -> String? {
        let statement = try connection.prepare("SELECT kind FROM sources WHERE name = ?1")
        try statement.bind(1, name)
        return try statement.step() ? statement.string(0) : nil
    }

    /// The night stored beside `name` (`besideName`) that a file of arrivals `range` and contacts `content`
    /// corrects (`corrects`), if any.
    func besideNight(of name: String, content: NightContent, range: ClosedRange<Int64>) throws -> String? {
        try nightsBeside(name, touching: range).first { try corrects(content, range: range, storedAs: $0) }
    }

    /// The nights stored beside `name` (`besideName`) whose arrivals touch `range`, in the order they were stored.
    func nightsBeside(_ name: String, touching range: ClosedRange<Int64>) throws -> [String] {
        let statement = try connection.prepare("""
            SELECT name FROM sources WHERE first_arrival_utc <= ?2 AND last_arrival_utc >= ?1 ORDER BY id
            """)
        try statement.bind(1, range.lowerBound)
        try statement.bind(2, range.upperBound)
        var nights: [String] = []
        while try statement.step() {
            let stored = statement.string(0)
            if Self.isBesideName(stored, of: name) { nights.append(stored) }
        }
        return nights
    }

    /// `nightsBeside`, for messages.
    public func storedNightsBeside(_ name: String, touching range: ClosedRange<Int64>) throws(StoreError) -> [String] {
        try check { try nightsBeside(name, touching: range) }
    }

    /// Whether a file of arrivals `range`, under the name of a stored night of arrivals `stored`, may be a
    /// correction of that night rather than the next one, by their times alone (`corrects` looks at the cells
    /// too): they overlap over at least half of the shorter. A touch is not enough: an export of the calls that ended yesterday holds a call that arrived
    /// before midnight, inside the night before's times, and replaced that whole night (a review found 6,839
    /// of 6,840 contacts gone, status 0). A file that grew since, or a corrected export, shares most times.
    /// Each pair's times may come in either order: a crafted store's must not trap in a range.
    public static func correctsNight(_ times: (first: Int64, last: Int64), stored storedTimes: (first: Int64, last: Int64)) -> Bool {
        let range = min(times.first, times.last)...max(times.first, times.last)
        let stored = min(storedTimes.first, storedTimes.last)...max(storedTimes.first, storedTimes.last)
        // In Double: a damaged or crafted store's times may be anything, and must not overflow.
        let overlap = Double(min(range.upperBound, stored.upperBound)) - Double(max(range.lowerBound, stored.lowerBound)) + 1
        guard overlap > 0 else { return false }
        let shorter = min(Double(range.upperBound) - Double(range.lowerBound), Double(stored.upperBound) - Double(stored.lowerBound)) + 1
        return overlap * 2 >= shorter
    }

    /// The name a source is stored under when the source named `name` holds other times: `name@` and the
    /// UTC time of its first arrival (`queue_log.1@2020-04-02T00:00:03Z`), so that a corrected version
    /// of the same night replaces it and the next night gets a name of its own.
    public static func besideName(_ name: String, firstArrivalUTC: Int64) -> String {
        "\(name)@\(DisplayFormat.utcTime(firstArrivalUTC))"
    }

    /// The name a source with no contacts is stored under when the source named `name` has some: its
    /// content's fingerprint tells one quiet night from another.
    public static func noContactsName(_ name: String, fingerprint: String) -> String {
        "\(name)@no-contacts-\(fingerprintDigest(fingerprint))"
    }

    /// The start of a content fingerprint's digest, for names that must differ by content.
    static func fingerprintDigest(_ fingerprint: String) -> String {
        fingerprint.split(separator: ":").last.map { String($0.prefix(12)) } ?? ""
    }

    /// Whether `stored` is a name `noContactsName` gave a source named `name`.
    public static func isNoContactsName(_ stored: String, of name: String) -> Bool { stored.hasPrefix("\(name)@no-contacts-") }

    /// Whether `stored` is a name `besideName` or `noContactsName` gave a source named `name`.
    static func isBesideName(_ stored: String, of name: String) -> Bool {
        stored.count > name.count + 1 && stored.hasPrefix(name + "@")
    }

    /// The first and last arrival (UTC seconds) of the source named `name`, when it has both.
    /// A 15-minute slot (⌊UTC seconds / 900⌋) of one channel.
    public struct SlotChannel: Hashable, Sendable {
        public var slot: Int64
        public var channel: String
    }

    /// Contacts received per slot and channel: of the source `name`, or (`besides`) of every other source in
    /// `slots` whose arrivals all lie outside `outside` (UTC seconds: the new version's times; an earlier or later
    /// night, not another site's export of the same times). `ingest` keeps a source's before replacing it, to tell
    /// whether the contacts a shorter version no longer holds are counted still by another source.
    public func receivedCells(ofSource name: String) throws(StoreError) -> [SlotChannel: Int64] {
        try receivedCells(where: "source_id = (SELECT id FROM sources WHERE name = ?1)", name: name, slots: nil, outside: nil)
    }

    public func receivedCells(in slots: ClosedRange<Int64>, besides name: String, outside: ClosedRange<Int64>) throws(StoreError) -> [SlotChannel: Int64] {
        try receivedCells(where: """
            source_id IN (SELECT id FROM sources WHERE name <> ?1 AND (last_arrival_utc < ?4 OR first_arrival_utc > ?5)) AND slot BETWEEN ?2 AND ?3
            """, name: name, slots: slots, outside: outside)
    }

    private func receivedCells(where condition: String, name: String, slots: ClosedRange<Int64>?,
                               outside: ClosedRange<Int64>?) throws(StoreError) -> [SlotChannel: Int64] {
        try check {
            let statement = try connection.prepare("SELECT slot, channel, sum(received) FROM contact_cells WHERE \(condition) GROUP BY slot, channel")
            try statement.bind(1, name)
            if let slots, let outside {
                try statement.bind(2, slots.lowerBound)
                try statement.bind(3, slots.upperBound)
                try statement.bind(4, outside.lowerBound)
                try statement.bind(5, outside.upperBound)
            }
            var cells: [SlotChannel: Int64] = [:]
            while try statement.step() { cells[SlotChannel(slot: statement.int64(0), channel: statement.string(1))] = statement.int64(2) }
            return cells
        }
    }

    public func arrivalRange(ofSource name: String) throws -> (first: Int64, last: Int64)? {
        let statement = try connection.prepare("SELECT first_arrival_utc, last_arrival_utc FROM sources WHERE name = ?1")
        try statement.bind(1, name)
        guard try statement.step(), let first = statement.optionalInt64(0), let last = statement.optionalInt64(1) else { return nil }
        return (first, last)
    }
}
