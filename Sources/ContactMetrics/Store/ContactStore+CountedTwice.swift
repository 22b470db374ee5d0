/// Two stored sources that hold the same contacts (incidents), as `ContactStore.overlappingSources` finds
/// them: counted twice until one is taken out, or replaced by an export without the overlap. `ingest` warns
/// of them once; `store info` and `compare --store` say them again, since a nightly job's warning is easily
/// missed and the figures stay too high without a trace (found by a review).
public struct SourcesCountedTwice: Sendable, Equatable {
    /// The source whose contacts were found in the other's cells.
    public var name: String
    public var other: String
    /// `name`'s contacts in cells identical to `other`'s (`OverlappingSource.matchedContacts`).
    public var contacts: Int64
    /// `OverlappingSource.atTheEdge`: exports cut with a margin, each holding other contacts too.
    public var atTheEdge: Bool
    /// The times (UTC seconds) both sources span; nil for incidents, which record none.
    public var shared: ClosedRange<Int64>?
    /// `contacts` is an estimate from the sources' id sketches (`OverlappingSource.isEstimate`).
    public var isEstimate = false

    /// `contacts` as messages give it: `about 1,200` for an estimate.
    public var shownCount: String { (isEstimate ? "about " : "") + DisplayFormat.count(contacts) }
}

extension ContactStore {
    /// Every pair of stored sources that hold the same contacts (once a pair, in the order of the sources' ids),
    /// among those whose times overlap `range` (UTC seconds; nil: every source).
    public func sourcesCountedTwice(overlapping range: ClosedRange<Int64>? = nil) throws(StoreError) -> [SourcesCountedTwice] {
        let candidates: [(name: String, first: Int64?, last: Int64?)] = try check {
            let statement = try connection.prepare("SELECT name, first_arrival_utc, last_arrival_utc FROM sources ORDER BY id")
            var found: [(String, Int64?, Int64?)] = []
            while try statement.step() { found.append((statement.string(0), statement.optionalInt64(1), statement.optionalInt64(2))) }
            return found
        }
        let times = Dictionary(candidates.map { ($0.name, ($0.first, $0.last)) }, uniquingKeysWith: { first, _ in first })
        // Each source's sketch read once for all its pairs (an empty cache also says the column is there, or not).
        let keepsSketches = try check { try hasIdSketches() }
        sketchCache = keepsSketches ? [:] : nil
        catalogCache = try check { try sourceCatalog() }
        defer { (sketchCache, catalogCache) = (nil, nil) }
        var pairs: [SourcesCountedTwice] = []
        var said = Set<[String]>()
        for candidate in candidates {
            if let range, let first = candidate.first, let last = candidate.last, max(first, last) < range.lowerBound || min(first, last) > range.upperBound {
                continue
            }
            for other in try overlappingSources(of: candidate.name) where said.insert([candidate.name, other.name].sorted()).inserted {
                var shared: ClosedRange<Int64>?
                if let first = candidate.first, let last = candidate.last, let otherTimes = times[other.name],
                   let otherFirst = otherTimes.0, let otherLast = otherTimes.1 {
                    let from = max(min(first, last), min(otherFirst, otherLast)), to = min(max(first, last), max(otherFirst, otherLast))
                    if from <= to { shared = from...to }
                }
                pairs.append(SourcesCountedTwice(name: candidate.name, other: other.name, contacts: other.matchedContacts,
                                                 atTheEdge: other.atTheEdge, shared: shared, isEstimate: other.isEstimate))
            }
        }
        return pairs
    }
}
