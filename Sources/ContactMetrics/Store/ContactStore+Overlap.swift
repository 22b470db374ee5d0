import Foundation

/// Another stored source whose cells match a source's, cell for cell, where both have contacts.
public struct OverlappingSource: Sendable, Equatable {
    /// The other source's name.
    public var name: String
    /// The source's contacts in cells identical to the other source's (slot, channel, counts, handle time,
    /// wait histograms and categories alike).
    public var matchedContacts: Int64
    /// The source's contacts in cells (slot and channel) where the other source has contacts too.
    public var sharedContacts: Int64
}

extension ContactStore {
    /// The sources whose cells are identical to those of `name` for at least 80% of its contacts in the cells
    /// (slot and channel) both hold, and at least 10 contacts: most likely the same contacts, counted twice.
    /// The store keeps no contact ids (DESIGN §7), so a re-saved copy of an export (CRLF for LF, other
    /// quoting) or two exports that overlap were added without a word; identical cells are what it can see.
    /// Two sites' or systems' cells in the same slots seldom agree in counts, waits and categories at once.
    ///
    /// Cells both hold, not all of the source's cells in the other's times: a full export after a
    /// one-channel extract of it was not said (a quarter of its contacts matched), while the other order was.
    /// Nights stored beside the same name (`besideName`, `noContactsName`) are left out: they never share
    /// times. Incident sources are not compared: their cells carry too little to tell a copy by.
    public func overlappingSources(of name: String) throws(StoreError) -> [OverlappingSource] {
        try check {
            let source = try connection.prepare("SELECT id, first_arrival_utc, last_arrival_utc FROM sources WHERE name = ?1 AND kind <> 'incidents'")
            try source.bind(1, name)
            guard try source.step(), let first = source.optionalInt64(1), let last = source.optionalInt64(2) else { return [] }
            let id = source.int64(0)
            let base = Self.besideBase(of: name) ?? name
            let others = try connection.prepare("""
                SELECT id, name, first_arrival_utc, last_arrival_utc FROM sources
                WHERE id <> ?1 AND kind <> 'incidents' AND first_arrival_utc <= ?3 AND last_arrival_utc >= ?2 ORDER BY id
                """)
            try others.bind([id, first, last])
            var candidates: [(id: Int64, name: String, first: Int64, last: Int64)] = []
            while try others.step() {
                let other = others.string(1)
                if other == base || Self.besideBase(of: other) == base { continue }
                candidates.append((others.int64(0), other, others.int64(2), others.int64(3)))
            }
            // The source's cells in every `?5`th slot of the shared times (every one when `?5` is 1), each beside
            // the other source's cell of the same slot and channel. The slots are listed first and drive the
            // join (CROSS JOIN keeps that order), so each is a lookup by the primary key's slot: scanning the
            // source's cells for the sampled ones cost 10% of a 1M-contact ingest.
            let compare = try connection.prepare("""
                WITH RECURSIVE sampled(slot) AS (SELECT ?3 UNION ALL SELECT slot + ?5 FROM sampled WHERE slot + ?5 <= ?4)
                SELECT coalesce(sum(n.received), 0), coalesce(sum(CASE WHEN n.received = o.received AND n.answered = o.answered
                  AND n.abandoned = o.abandoned AND n.other = o.other AND n.handle_seconds = o.handle_seconds
                  AND n.answer_waits = o.answer_waits AND n.abandon_waits = o.abandon_waits AND n.categories = o.categories
                  THEN n.received ELSE 0 END), 0)
                FROM sampled CROSS JOIN contact_cells n CROSS JOIN contact_cells o
                WHERE n.slot = sampled.slot AND n.source_id = ?1 AND o.slot = n.slot AND o.channel = n.channel AND o.source_id = ?2
                """)
            func contacts(_ candidate: (id: Int64, name: String, first: Int64, last: Int64), stride: Int64) throws -> (shared: Int64, matched: Int64) {
                let from = floorDivide(max(first, candidate.first), 900), to = floorDivide(min(last, candidate.last), 900)
                compare.reset()
                try compare.bind([id, candidate.id, from, to, stride])
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
                // tell a copy from another source's contacts (the first 2,000 cells missed a re-export whose
                // first months were corrected); only a likely copy is compared in full, for the warning's counts.
                let slots = floorDivide(min(last, candidate.last), 900) - floorDivide(max(first, candidate.first), 900) + 1
                let stride = max(1, slots / 2_000)
                if stride > 1 {
                    let sample = try contacts(candidate, stride: stride)
                    // A sample too small to judge (sparse contacts) is judged in full.
                    if sample.shared >= 100 && sample.matched * 5 < sample.shared * 4 { continue }
                }
                let counts = try contacts(candidate, stride: 1)
                if isLikelyCopy(counts) {
                    found.append(OverlappingSource(name: candidate.name, matchedContacts: counts.matched, sharedContacts: counts.shared))
                }
            }
            return found
        }
    }

    /// The name a night was stored beside (`calls.csv` for `calls.csv@2020-04-02T00:00:03Z` or
    /// `calls.csv@no-contacts-…`), or nil for a name this store did not make so: an `@` of the name's own
    /// (`calls@siteA.csv`, `ops@hq/calls.csv`) left sources out of the comparison.
    static func besideBase(of name: String) -> String? {
        guard let at = name.lastIndex(of: "@") else { return nil }
        let suffix = name[name.index(after: at)...]
        let isTime = suffix.count == 20 && suffix.hasSuffix("Z") && suffix.dropFirst(10).first == "T"
            && suffix.utf8.enumerated().allSatisfy { index, byte in
                [4, 7].contains(index) ? byte == UInt8(ascii: "-") : [13, 16].contains(index) ? byte == UInt8(ascii: ":")
                    : index == 10 || index == 19 || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            }
        guard isTime || suffix.hasPrefix("no-contacts-") else { return nil }
        return String(name[..<at])
    }
}
