import Foundation

/// Another stored source whose cells match a source's, cell for cell, over the times they share.
public struct OverlappingSource: Sendable, Equatable {
    /// The other source's name.
    public var name: String
    /// The source's contacts in cells identical to the other source's (slot, channel, counts, handle time,
    /// wait histograms and categories alike).
    public var matchedContacts: Int64
    /// The source's contacts in the slots from the other source's first arrival to its last.
    public var sharedTimeContacts: Int64
}

extension ContactStore {
    /// The sources whose cells match the cells of `name` for at least 80% of its contacts in the times
    /// they share: most likely the same contacts, counted twice. The store keeps no contact ids (DESIGN
    /// §7), so a re-saved copy of an export (CRLF for LF, other quoting) or two exports that overlap were
    /// added without a word and their shared contacts counted twice; identical cells are what it can see.
    /// Cells of two sites or systems that both take calls seldom agree in counts, waits and categories at
    /// once. Nights stored beside the same name (`besideName`) are left out: they never share times.
    public func overlappingSources(of name: String) throws(StoreError) -> [OverlappingSource] {
        try check {
            let source = try connection.prepare("SELECT id, first_arrival_utc, last_arrival_utc FROM sources WHERE name = ?1 AND kind <> 'incidents'")
            try source.bind(1, name)
            guard try source.step(), let first = source.optionalInt64(1), let last = source.optionalInt64(2) else { return [] }
            let id = source.int64(0)
            let base = name.split(separator: "@", maxSplits: 1).first.map(String.init) ?? name
            let others = try connection.prepare("""
                SELECT id, name, first_arrival_utc, last_arrival_utc FROM sources
                WHERE id <> ?1 AND kind <> 'incidents' AND first_arrival_utc <= ?3 AND last_arrival_utc >= ?2 ORDER BY id
                """)
            try others.bind([id, first, last])
            var candidates: [(id: Int64, name: String, first: Int64, last: Int64)] = []
            while try others.step() {
                let other = others.string(1)
                if other == base || Self.isBesideName(other, of: base) { continue }
                candidates.append((others.int64(0), other, others.int64(2), others.int64(3)))
            }
            // The source's cells in the other's times (the first `?5` of them when sampling, in slot order:
            // `+source_id` keeps the planner on the primary key's slot range), each beside the other's cell.
            let compare = try connection.prepare("""
                SELECT coalesce(sum(n.received), 0), coalesce(sum(CASE WHEN n.received = o.received AND n.answered = o.answered
                  AND n.abandoned = o.abandoned AND n.other = o.other AND n.handle_seconds = o.handle_seconds
                  AND n.answer_waits = o.answer_waits AND n.abandon_waits = o.abandon_waits AND n.categories = o.categories
                  THEN n.received ELSE 0 END), 0)
                FROM (SELECT * FROM contact_cells WHERE slot BETWEEN ?3 AND ?4 AND +source_id = ?1 LIMIT ?5) n
                LEFT JOIN contact_cells o ON o.slot = n.slot AND o.channel = n.channel AND o.source_id = ?2
                """)
            func contacts(_ candidate: (id: Int64, name: String, first: Int64, last: Int64), cells: Int64) throws -> (shared: Int64, matched: Int64) {
                compare.reset()
                try compare.bind([id, candidate.id, floorDivide(candidate.first, 900), floorDivide(candidate.last, 900), cells])
                guard try compare.step() else { return (0, 0) }
                return (compare.int64(0), compare.int64(1))
            }
            func isLikelyCopy(_ counts: (shared: Int64, matched: Int64)) -> Bool { counts.shared > 0 && counts.matched * 5 >= counts.shared * 4 }
            var found: [OverlappingSource] = []
            // Measured: comparing every cell of a 1M-contact file over two years with another source's took
            // 40% more instructions than the whole ingest. The first 2,000 cells tell a copy from another
            // source's contacts; only a likely copy is compared in full, for the counts the warning gives.
            for candidate in candidates where isLikelyCopy(try contacts(candidate, cells: 2_000)) {
                let counts = try contacts(candidate, cells: -1)
                if isLikelyCopy(counts) {
                    found.append(OverlappingSource(name: candidate.name, matchedContacts: counts.matched, sharedTimeContacts: counts.shared))
                }
            }
            return found
        }
    }
}
