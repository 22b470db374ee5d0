import Foundation

/// Another stored source whose cells match a source's, cell for cell, where both have contacts.
public struct OverlappingSource: Sendable, Equatable {
    /// The other source's name.
    public var name: String
    /// The source's contacts (incidents, for an incidents source) in cells identical to the other source's
    /// (slot, channel, counts, handle time, wait histograms and categories alike).
    public var matchedContacts: Int64
    /// The source's contacts (incidents) in cells (slot, and channel) where the other source has some too.
    public var sharedContacts: Int64
}

extension ContactStore {
    /// The sources whose cells are identical to those of `name` for at least 80% of its contacts (or
    /// incidents) in the cells both hold, and at least 10 of them: most likely the same rows, counted twice.
    /// The store keeps no contact ids (DESIGN §7), so a re-saved copy of an export (CRLF for LF, other
    /// quoting) or two exports that overlap were added without a word; identical cells are what it can see.
    /// Two sites' or systems' cells in the same slots seldom agree in counts, waits and categories at once.
    ///
    /// Cells both hold (slot, and channel for contacts), not all of the source's cells in the other's times:
    /// a full export after a one-channel extract of it was not said (a quarter of its contacts matched),
    /// while the other order was. Nights stored beside the same name (`besideName`) are compared too: a
    /// catch-up export of two nights corrects the first and holds the second again, which was counted twice
    /// without a word. Contacts are compared with contacts, incidents with incidents.
    public func overlappingSources(of name: String) throws(StoreError) -> [OverlappingSource] {
        try check {
            let source = try connection.prepare("SELECT id, kind, first_arrival_utc, last_arrival_utc FROM sources WHERE name = ?1")
            try source.bind(1, name)
            guard try source.step() else { return [] }
            let id = source.int64(0), isIncidents = source.string(1) == InputKind.incidents.rawValue
            // Each candidate with the slots both sources span.
            var candidates: [(id: Int64, name: String, from: Int64, to: Int64)] = []
            if isIncidents {
                // Incident sources record no arrival range: their cells' first and last slots stand in.
                let span = try connection.prepare("SELECT min(slot), max(slot) FROM incident_cells WHERE source_id = ?1")
                func slots(_ source: Int64) throws -> (Int64, Int64)? {
                    span.reset()
                    try span.bind(1, source)
                    guard try span.step(), let first = span.optionalInt64(0), let last = span.optionalInt64(1) else { return nil }
                    return (first, last)
                }
                guard let own = try slots(id) else { return [] }
                let others = try connection.prepare("SELECT id, name FROM sources WHERE id <> ?1 AND kind = ?2 ORDER BY id")
                try others.bind(1, id)
                try others.bind(2, InputKind.incidents.rawValue)
                var found: [(Int64, String)] = []
                while try others.step() {
                    found.append((others.int64(0), others.string(1)))
                }
                for (other, otherName) in found {
                    if let theirs = try slots(other), theirs.0 <= own.1, theirs.1 >= own.0 {
                        candidates.append((other, otherName, max(own.0, theirs.0), min(own.1, theirs.1)))
                    }
                }
            } else {
                guard let first = source.optionalInt64(2), let last = source.optionalInt64(3) else { return [] }
                let others = try connection.prepare("""
                    SELECT id, name, first_arrival_utc, last_arrival_utc FROM sources
                    WHERE id <> ?1 AND kind <> ?4 AND first_arrival_utc <= ?3 AND last_arrival_utc >= ?2 ORDER BY id
                    """)
                try others.bind([id, first, last])
                try others.bind(4, InputKind.incidents.rawValue)
                while try others.step() {
                    candidates.append((others.int64(0), others.string(1), floorDivide(max(first, others.int64(2)), 900),
                                       floorDivide(min(last, others.int64(3)), 900)))
                }
            }
            // The source's cells in every `?5`th slot of the shared times (every one when `?5` is 1), each beside
            // the other source's cell of the same slot (and channel). The slots are listed first and drive the
            // join (CROSS JOIN keeps that order), so each is a lookup by the primary key's slot: scanning the
            // source's cells for the sampled ones cost 10% of a 1M-contact ingest.
            let (table, weight, sameChannel) = isIncidents ? ("incident_cells", "incidents", "") : ("contact_cells", "received", " AND o.channel = n.channel")
            let equal = isIncidents
                ? IncidentCounters.Field.allCases.map(\.column) + ["referred_by_agency"]
                : ["received", "answered", "abandoned", "other", "handle_seconds", "answer_waits", "abandon_waits", "categories"]
            let compare = try connection.prepare("""
                WITH RECURSIVE sampled(slot) AS (SELECT ?3 UNION ALL SELECT slot + ?5 FROM sampled WHERE slot + ?5 <= ?4)
                SELECT coalesce(sum(n.\(weight)), 0),
                  coalesce(sum(CASE WHEN \(equal.map { "n.\($0) = o.\($0)" }.joined(separator: " AND ")) THEN n.\(weight) ELSE 0 END), 0)
                FROM sampled CROSS JOIN \(table) n CROSS JOIN \(table) o
                WHERE n.slot = sampled.slot AND n.source_id = ?1 AND o.slot = n.slot AND o.source_id = ?2\(sameChannel)
                """)
            func rows(_ candidate: (id: Int64, name: String, from: Int64, to: Int64), stride: Int64) throws -> (shared: Int64, matched: Int64) {
                compare.reset()
                try compare.bind([id, candidate.id, candidate.from, candidate.to, stride])
                guard try compare.step() else { return (0, 0) }
                return (compare.int64(0), compare.int64(1))
            }
            func isLikelyCopy(_ counts: (shared: Int64, matched: Int64)) -> Bool {
                counts.matched >= 10 && counts.matched * 5 >= counts.shared * 4
            }
            var found: [OverlappingSource] = []
            for candidate in candidates {
                // Measured: comparing every cell of a 1M-contact file over two years with another source's took
                // 40% more instructions than the whole ingest. About 2,000 slots spread over the shared times
                // tell a copy from another source's rows (the first 2,000 cells missed a re-export whose first
                // months were corrected); only a likely copy is compared in full, for the warning's counts.
                let stride = max(1, (candidate.to - candidate.from + 1) / 2_000)
                if stride > 1 {
                    let sample = try rows(candidate, stride: stride)
                    // A sample too small to judge (sparse rows) is judged in full.
                    if sample.shared >= 100 && sample.matched * 5 < sample.shared * 4 { continue }
                }
                let counts = try rows(candidate, stride: 1)
                if isLikelyCopy(counts) {
                    found.append(OverlappingSource(name: candidate.name, matchedContacts: counts.matched, sharedContacts: counts.shared))
                }
            }
            return found
        }
    }
}
