import Foundation

/// Another stored source whose cells match a source's, cell for cell, where both have contacts.
public struct OverlappingSource: Sendable, Equatable {
    /// The other source's name.
    public var name: String
    /// The source's contacts (incidents, for an incidents source) in cells identical to the other source's
    /// (slot, channel, counts and wait histograms alike: `NightContent.contactFields`).
    public var matchedContacts: Int64
    /// The source's contacts (incidents) in cells (slot, and channel) where the other source has some too.
    public var sharedContacts: Int64
    /// The two sources' times overlap at one edge only (rolling exports: a 25-hour night's last hour is the
    /// next night's first), and cells may have matched on their counts by outcome alone, waits aside: a
    /// re-export's waits of the same calls may differ by a second (`ContactStore.overlappingSources`).
    public var atTheEdge = false
    /// Found by the sources' ids (`IdSketch`), not their cells: `matchedContacts` and `sharedContacts` are then the ids
    /// both hold with the same arrival (exact below `IdSketch.size` ids each, estimated beyond: `isEstimate`).
    public var byIds = false
    /// `byIds`, and `matchedContacts` is an estimate (a source of more than `IdSketch.size` distinct ids).
    public var isEstimate = false

    public init(name: String, matchedContacts: Int64, sharedContacts: Int64, atTheEdge: Bool = false, byIds: Bool = false) {
        self.name = name
        self.matchedContacts = matchedContacts
        self.sharedContacts = sharedContacts
        self.atTheEdge = atTheEdge
        self.byIds = byIds
    }
}

extension ContactStore {
    /// The sources whose cells are identical to those of `name` for at least 80% of its contacts (or
    /// incidents) in the cells both hold, and at least 10 of them: most likely the same rows, counted twice.
    /// The store keeps no contact ids (DESIGN §7), so a re-saved copy of an export (CRLF for LF, other
    /// quoting) or two exports that overlap were added without a word; identical cells are what it can see.
    /// Two sites' or systems' cells in the same slots seldom agree in counts and waits at once; a re-export with
    /// its handle times or categories corrected does (a review's was counted twice without a word).
    ///
    /// Cells both hold (slot, and channel for contacts), not all of the source's cells in the other's times:
    /// a full export after a one-channel extract of it was not said (a quarter of its contacts matched),
    /// while the other order was. Nights stored beside the same name (`besideName`) are compared too: a
    /// catch-up export of two nights corrects the first and holds the second again, which was counted twice
    /// without a word. Contacts are compared with contacts, incidents with incidents.
    ///
    /// Contact sources whose times overlap at one edge only, for at most a quarter of the shorter one's span
    /// (exports cut with a margin: each night's file holds the next night's first hour), are compared on the
    /// counts by outcome alone, and categories where there are no waits (`OverlappingSource.atTheEdge`): the
    /// review's 25-hour exports, whose overlapping hour was exported again with waits a second longer, were
    /// counted twice without a word. Counts alike mean something only where cells hold several contacts: such
    /// a match needs at least `edgeContactsPerCell` a shared cell (the diff review's 999 line of 8 calls a day,
    /// exported by two sites half a year apart, matched by chance) and at least `edgeCells` shared cells (a
    /// second review's two sites cut 15 minutes apart matched in their one shared cell). Two sites' exports of
    /// the same nights span the same times, and are held to the full comparison.
    static let edgeContactsPerCell: Int64 = 3
    static let edgeCells: Int64 = 4
    /// The fewest ids two sources' sketches must share, at the same arrival, to be said to hold the same contacts.
    static let fewestSameContacts = 5

    public func overlappingSources(of name: String) throws(StoreError) -> [OverlappingSource] {
        try check {
            var catalog = try sourceCatalog()
            guard let own = catalog.index[name].map({ catalog.entries[$0] }) else { return [] }
            let id = own.id, isIncidents = own.isIncidents
            // Each candidate with the slots both sources span.
            var candidates: [(id: Int64, name: String, from: Int64, to: Int64)] = []
            // Candidates whose first and last arrivals are this source's to the second: the same export again (recoded).
            var sameSpan: [Int64] = []
            // Candidates whose times overlap this source's at one edge only (`OverlappingSource.atTheEdge`).
            var edge: [Int64] = []
            if isIncidents {
                // Incident sources record no arrival range: their cells' first and last slots stand in.
                let slots = try incidentSlots(&catalog)
                guard let own = slots[id] else { return [] }
                for other in catalog.entries where other.id != id && other.isIncidents {
                    if let theirs = slots[other.id], theirs.first <= own.last, theirs.last >= own.first {
                        candidates.append((other.id, other.name, max(own.first, theirs.first), min(own.last, theirs.last)))
                    }
                }
            } else {
                guard let first = own.first, let last = own.last else { return [] }
                for other in catalog.entries where other.id != id && !other.isIncidents {
                    guard let otherFirst = other.first, let otherLast = other.last, otherFirst <= last, otherLast >= first else { continue }
                    candidates.append((other.id, other.name, floorDivide(max(first, otherFirst), 900), floorDivide(min(last, otherLast), 900)))
                    if otherFirst == first && otherLast == last { sameSpan.append(other.id) }
                    let overlap = min(last, otherLast) - max(first, otherFirst)
                    if (otherFirst < first && otherLast < last) || (otherFirst > first && otherLast > last),
                       overlap * 4 <= min(last - first, otherLast - otherFirst) {
                        edge.append(other.id)
                    }
                }
            }
            guard !candidates.isEmpty else { return [] }
            let found = try cellsAlike(sourceID: id, isIncidents: isIncidents, candidates: candidates, sameSpan: sameSpan, edge: edge)
            return try found + idsAlike(name: name, candidates: candidates.filter { candidate in !found.contains { $0.name == candidate.name } },
                                        edge: edge)
        }
    }

    /// Of `candidates` (sources whose times overlap `name`'s), those that hold some of its ids with the same arrivals
    /// (`IdSketch`: exact below 256 ids a source): the same contacts in cells that differ (a re-export's waits a second
    /// longer), or too few to judge by cells (an overlapping export's hour of one or two calls a cell was counted twice
    /// without a word). Ids alone are not enough: two systems that number their calls 1, 2, 3… share them.
    private func idsAlike(name: String, candidates: [(id: Int64, name: String, from: Int64, to: Int64)], edge: [Int64]) throws -> [OverlappingSource] {
        guard !candidates.isEmpty, let mine = try idSketch(ofSource: name), !mine.isEmpty else { return [] }
        var found: [OverlappingSource] = []
        for candidate in candidates {
            guard let theirs = try idSketch(ofSource: candidate.name), !theirs.isEmpty else { continue }
            // At least `fewestSameContacts` ids at the same second, and a hundredth of the smaller sketch: two sites whose
            // exports number calls 1, 2, 3… had one such id by chance on a third of their nights (the second diff review).
            let hits = mine.arrivalShifts(from: theirs).filter { $0 == 0 }.count
            guard hits >= Self.fewestSameContacts, hits * 100 >= min(mine.hashes.count, theirs.hashes.count) else { continue }
            let shared = Int64(mine.sharedIds(with: theirs, sameArrival: true).rounded())
            guard shared > 0 else { continue }
            var overlap = OverlappingSource(name: candidate.name, matchedContacts: shared, sharedContacts: shared,
                                            atTheEdge: edge.contains(candidate.id), byIds: true)
            overlap.isEstimate = !(mine.isWhole && theirs.isWhole)
            found.append(overlap)
        }
        return found
    }

    /// `overlappingSources` by the cells: candidates whose cells are identical to the source's (see there).
    private func cellsAlike(sourceID id: Int64, isIncidents: Bool, candidates: [(id: Int64, name: String, from: Int64, to: Int64)],
                            sameSpan: [Int64], edge: [Int64]) throws -> [OverlappingSource] {
        // One pass over the source's own cells (by its index, in slot order) for every candidate at once, each
        // cell beside the candidates' cells of the same slot (and channel), found by their primary key: cost
        // grows with the source's cells and the candidates that share them, not with every other source's
        // cells in each slot. (Driven by the slots, with one query a candidate, 40 exports split by queue over
        // the same two years took 110 s to ingest against 0.9 s as one file: found by the performance review.)
        // The unary `+` keeps the candidates' ids out of the lookup: one probe of the slot (and channel) finds
        // every candidate's cell there, where the IN list made one probe a candidate.
        let (table, index, weight, sameChannel) = isIncidents
            ? ("incident_cells", "incident_cells_by_source", "incidents", "")
            : ("contact_cells", "contact_cells_by_source", "received", " AND o.channel = n.channel")
        let equal = isIncidents
            ? IncidentCounters.Field.allCases.map(\.column) + ["referred_by_agency"]
            : NightContent.contactFields.map(\.column) + NightContent.contactHistograms
        let sameCategories = isIncidents ? "" : " AND " + NightContent.sameCategoriesUnlessWaits("n", "o", sameSpan: sameSpan)
        let identical = equal.map { "n.\($0) = o.\($0)" }.joined(separator: " AND ") + sameCategories
        // Edge candidates: the counts by outcome, and categories where there are no waits (for the others the sum
        // is not read; 0 when there are none).
        let countsAlike = edge.isEmpty ? "0" : "CASE WHEN " + NightContent.contactFields.map { "n.\($0.column) = o.\($0.column)" }.joined(separator: " AND ")
            + " AND " + NightContent.sameCategoriesUnlessWaits("n", "o", sameSpan: []) + " THEN n.\(weight) ELSE 0 END"
        let from = candidates.map(\.from).min()!, to = candidates.map(\.to).max()!
        /// By candidate id, the source's contacts in cells the candidate holds too, of them those in identical cells,
        /// and those in cells with the same counts by outcome (edge candidates); in every `stride`th slot from `from`.
        func counts(of ids: [Int64], stride: Int64) throws -> [Int64: (shared: Int64, matched: Int64)] {
            let compare = try connection.prepare("""
                SELECT o.source_id, coalesce(sum(n.\(weight)), 0),
                  coalesce(sum(CASE WHEN \(identical) THEN n.\(weight) ELSE 0 END), 0), coalesce(sum(\(countsAlike)), 0), count(*)
                FROM \(table) n INDEXED BY \(index) CROSS JOIN \(table) o
                WHERE n.source_id = ?1 AND n.slot >= ?2 AND n.slot <= ?3 AND (n.slot - ?2) % ?4 = 0
                  AND o.slot = n.slot\(sameChannel) AND +o.source_id IN (\(ids.map(String.init).joined(separator: ",")))
                GROUP BY o.source_id
                """)
            try compare.bind([id, from, to, stride])
            var result: [Int64: (shared: Int64, matched: Int64)] = [:]
            while try compare.step() {
                let candidate = compare.int64(0), shared = compare.int64(1), cells = compare.int64(4)
                let alike = edge.contains(candidate) && cells >= Self.edgeCells && shared >= Self.edgeContactsPerCell * cells ? compare.int64(3) : 0
                result[candidate] = (shared, max(compare.int64(2), alike))
            }
            return result
        }
        // About 2,000 slots spread over the shared times tell a copy from another source's rows (measured:
        // comparing every cell of a 1M-contact file over two years with another source's took 40% more
        // instructions than the whole ingest; the first 2,000 cells missed a re-export whose first months were
        // corrected); only a likely copy, or a candidate the sample cannot judge (sparse rows), is compared in full.
        var undecided = candidates.map(\.id)
        let stride = max(1, (to - from + 1) / 2_000)
        if stride > 1 {
            let sample = try counts(of: undecided, stride: stride)
            undecided.removeAll { candidate in
                guard let counts = sample[candidate] else { return false }
                return counts.shared >= 100 && counts.matched * 5 < counts.shared * 4
            }
        }
        guard !undecided.isEmpty else { return [] }
        let full = try counts(of: undecided, stride: 1)
        var found: [OverlappingSource] = []
        for candidate in candidates {
            guard let counts = full[candidate.id], counts.matched >= 10, counts.matched * 5 >= counts.shared * 4 else { continue }
            // Exports that overlap at their edge are said so, identical cells or not: the remedy is to export without
            // the overlap, not to take a source out (the second diff review's identical overlap was told to remove one).
            found.append(OverlappingSource(name: candidate.name, matchedContacts: counts.matched, sharedContacts: counts.shared,
                                           atTheEdge: edge.contains(candidate.id)))
        }
        return found
    }
}

/// The stored sources as `overlappingSources` chooses candidates among them: read once while `sourcesCountedTwice`
/// looks at every source (`ContactStore.catalogCache`). Read source by source, every incident source's slots were read
/// again for every other: `store info` of a review's 1,859-source store (2.5 years of nights) spent 80% of its
/// 78 billion instructions there, and grew with the square of the nights.
struct SourceCatalog {
    struct Entry {
        let id: Int64
        let name: String
        let isIncidents: Bool
        /// First and last arrival (UTC seconds); nil for incidents, and for a source with no contacts.
        let first: Int64?, last: Int64?
    }

    /// In the order of their ids.
    var entries: [Entry] = []
    /// Each name's place in `entries`.
    var index: [String: Int] = [:]
    /// Each incident source's first and last slot (`ContactStore.incidentSlots`); nil until read.
    var incidentSlots: [Int64: (first: Int64, last: Int64)]?
}

extension ContactStore {
    /// The sources' catalog: the one cached, or read now.
    func sourceCatalog() throws -> SourceCatalog {
        if let catalogCache { return catalogCache }
        let statement = try connection.prepare("SELECT id, name, kind, first_arrival_utc, last_arrival_utc FROM sources ORDER BY id")
        var catalog = SourceCatalog()
        while try statement.step() {
            let entry = SourceCatalog.Entry(id: statement.int64(0), name: statement.string(1), isIncidents: statement.string(2) == InputKind.incidents.rawValue,
                                            first: statement.optionalInt64(3), last: statement.optionalInt64(4))
            catalog.index[entry.name] = catalog.entries.count
            catalog.entries.append(entry)
        }
        return catalog
    }

    /// Each incident source's first and last slot, read in one pass over the incidents' cells and kept in `catalog`
    /// (and in the cache, while there is one).
    func incidentSlots(_ catalog: inout SourceCatalog) throws -> [Int64: (first: Int64, last: Int64)] {
        if let slots = catalog.incidentSlots { return slots }
        let statement = try connection.prepare("SELECT source_id, min(slot), max(slot) FROM incident_cells GROUP BY source_id")
        var slots: [Int64: (first: Int64, last: Int64)] = [:]
        while try statement.step() { slots[statement.int64(0)] = (statement.int64(1), statement.int64(2)) }
        catalog.incidentSlots = slots
        if catalogCache != nil { catalogCache = catalog }
        return slots
    }
}
