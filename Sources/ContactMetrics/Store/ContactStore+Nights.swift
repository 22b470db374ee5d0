import Foundation

// Which stored night a file under the same name corrects, and the names nights are kept under beside it.

/// A file's contacts (incidents, for an incidents file) per 15-minute slot, counted once and only when a
/// stored night's times make it a candidate for correction.
final class NightContent {
    private let input: StoreSourceInput
    private var counted: (bySlot: [Int64: Int64], total: Int64)?

    init(_ input: StoreSourceInput) { self.input = input }

    var isIncidents: Bool { input.ledger.sources.first?.kind == .incidents }

    /// Contacts (incidents) by slot, and their total.
    func counts() throws -> (bySlot: [Int64: Int64], total: Int64) {
        if let counted { return counted }
        var bySlot: [Int64: Int64] = [:]
        if isIncidents {
            for (slot, cell) in input.cube.incidents { bySlot[slot, default: 0] += cell.counters[.incidents] }
        } else {
            for (key, cell) in input.cube.contacts { bySlot[key.period, default: 0] += cell.counters.received }
            try input.spilledContacts?.forEachCell { key, cell in bySlot[key.period, default: 0] += cell.counters.received }
        }
        let result = (bySlot, bySlot.values.reduce(0, +))
        counted = result
        return result
    }
}

extension ContactStore {
    /// Whether a file of arrivals `range` and contacts `content` corrects the night stored as `stored`:
    /// their times overlap over at least half of the shorter (`correctsNight`), and at least half of the
    /// smaller one's contacts (incidents) share their slots with the other's, counted slot by slot as the
    /// smaller count of the two. Times alone were not enough: an export of the calls that ended yesterday
    /// holding one that arrived yesterday morning, or an incidents export holding incidents raised days
    /// before, spans most of the night before and replaced it (found by a review, status 0).
    func corrects(_ content: NightContent, range: ClosedRange<Int64>, storedAs stored: String) throws -> Bool {
        guard let times = try arrivalRange(ofSource: stored),
              Self.correctsNight(range, stored: min(times.first, times.last)...max(times.first, times.last)) else { return false }
        let isIncidents = content.isIncidents
        // A name holds one kind (`StoreError.otherKind`); a night of the other kind beside it is not this file's.
        guard try kind(ofSource: stored) == (isIncidents ? InputKind.incidents : InputKind.contacts).rawValue else { return false }
        let (table, weight) = isIncidents ? ("incident_cells", "incidents") : ("contact_cells", "received")
        let statement = try connection.prepare("""
            SELECT slot, sum(\(weight)) FROM \(table) WHERE source_id = (SELECT id FROM sources WHERE name = ?1) GROUP BY slot
            """)
        try statement.bind(1, stored)
        let file = try content.counts()
        var shared: Int64 = 0, storedTotal: Int64 = 0
        while try statement.step() {
            let count = statement.int64(1)
            storedTotal &+= count
            if let theirs = file.bySlot[statement.int64(0)] { shared &+= min(count, theirs) }
        }
        // In Double: a crafted store's counts must not overflow.
        return shared > 0 && Double(shared) * 2 >= Double(min(storedTotal, file.total))
    }

    private func kind(ofSource name: String) throws -> String? {
        let statement = try connection.prepare("SELECT kind FROM sources WHERE name = ?1")
        try statement.bind(1, name)
        return try statement.step() ? statement.string(0) : nil
    }

    /// The night stored beside `name` (`besideName`) that a file of arrivals `range` and contacts `content`
    /// corrects (`corrects`), if any.
    func besideNight(of name: String, content: NightContent, range: ClosedRange<Int64>) throws -> String? {
        let statement = try connection.prepare("""
            SELECT name FROM sources WHERE first_arrival_utc <= ?2 AND last_arrival_utc >= ?1 ORDER BY id
            """)
        try statement.bind(1, range.lowerBound)
        try statement.bind(2, range.upperBound)
        var candidates: [String] = []
        while try statement.step() {
            let stored = statement.string(0)
            if Self.isBesideName(stored, of: name) { candidates.append(stored) }
        }
        return try candidates.first { try corrects(content, range: range, storedAs: $0) }
    }

    /// Whether a file of arrivals `range`, under the name of a stored night of arrivals `stored`, may be a
    /// correction of that night rather than the next one: their times overlap over at least half of the
    /// shorter. A touch is not enough: an export of the calls that ended yesterday holds a call that arrived
    /// before midnight, inside the night before's times, and replaced that whole night (a review found 6,839
    /// of 6,840 contacts gone, status 0). A file that grew since, or a corrected export, shares most times.
    static func correctsNight(_ range: ClosedRange<Int64>, stored: ClosedRange<Int64>) -> Bool {
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
        let digest = fingerprint.split(separator: ":").last.map { String($0.prefix(12)) } ?? ""
        return "\(name)@no-contacts-\(digest)"
    }

    /// Whether `stored` is a name `noContactsName` gave a source named `name`.
    public static func isNoContactsName(_ stored: String, of name: String) -> Bool { stored.hasPrefix("\(name)@no-contacts-") }

    /// Whether `stored` is a name `besideName` or `noContactsName` gave a source named `name`.
    static func isBesideName(_ stored: String, of name: String) -> Bool {
        stored.count > name.count + 1 && stored.hasPrefix(name + "@")
    }

    /// The first and last arrival (UTC seconds) of the source named `name`, when it has both.
    public func arrivalRange(ofSource name: String) throws -> (first: Int64, last: Int64)? {
        let statement = try connection.prepare("SELECT first_arrival_utc, last_arrival_utc FROM sources WHERE name = ?1")
        try statement.bind(1, name)
        guard try statement.step(), let first = statement.optionalInt64(0), let last = statement.optionalInt64(1) else { return nil }
        return (first, last)
    }
}
