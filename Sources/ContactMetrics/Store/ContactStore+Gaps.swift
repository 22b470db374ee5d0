// What a nightly store is missing: a night's export that never came, and queue_log nights taken in out of order.

/// A stretch of time with no contact stored, between the last arrival of what came before and the first of
/// what came after (UTC seconds).
public struct CoverageGap: Sendable, Equatable {
    public var from: Int64
    public var to: Int64

    public init(from: Int64, to: Int64) {
        self.from = from
        self.to = to
    }
}

extension ContactStore {
    /// Gaps shorter than this are never unusual: a quiet night of a small centre.
    static let shortestUnusualGap: Int64 = 6 * 3600
    /// A store of fewer contact sources cannot tell what gaps are usual for it.
    static let sourcesToJudgeGaps = 5

    /// The gaps with no contact stored that begin at the last arrival of the source named `name` or end at its
    /// first, when they are unusual for this store: longer than 6 hours and than 1.5 times the 90th percentile of
    /// its other gaps between sources, and with no other gap at least two thirds as long that begins at the same
    /// time of the week (within 3 hours). A centre closed each night has long gaps every night, and one closed at
    /// weekends a longer one each week; a missing export of a 24-hour centre stands out. A review's store of nightly exports cut at
    /// UTC midnight lacked one and said nothing: the night kept the hour of summer time the file before held,
    /// so no day was without data, and `compare` read −8% (DESIGN §7). Empty for incidents, for sources
    /// without arrivals, and for a store of fewer than five contact sources.
    public func unusualGaps(besideSource name: String) throws(StoreError) -> [CoverageGap] {
        try check { Self.unusualGaps(of: name, among: try arrivalSpans()) }
    }

    /// Every gap that `unusualGaps(besideSource:)` finds beside some source, in time order: for `compare`,
    /// whose windows' volumes such a gap makes too low.
    public func unusualGaps() throws(StoreError) -> [CoverageGap] {
        try check {
            let spans = try arrivalSpans()
            var gaps: [CoverageGap] = []
            for span in spans {
                for gap in Self.unusualGaps(of: span.name, among: spans) where !gaps.contains(gap) { gaps.append(gap) }
            }
            return gaps.sorted { $0.from < $1.from }
        }
    }

    /// The contact sources' arrival spans, by first arrival.
    private func arrivalSpans() throws -> [(name: String, first: Int64, last: Int64)] {
        let statement = try connection.prepare("""
            SELECT name, first_arrival_utc, last_arrival_utc FROM sources
            WHERE kind <> ?1 AND first_arrival_utc IS NOT NULL AND last_arrival_utc IS NOT NULL ORDER BY first_arrival_utc, id
            """)
        try statement.bind(1, InputKind.incidents.rawValue)
        var spans: [(name: String, first: Int64, last: Int64)] = []
        while try statement.step() {
            let first = statement.int64(1), last = statement.int64(2)
            spans.append((statement.string(0), min(first, last), max(first, last)))
        }
        // In order of their earlier end: a source's last arrival may come before its first (a crafted store).
        return spans.sorted { ($0.first, $0.last) < ($1.first, $1.last) }
    }

    /// `unusualGaps(besideSource:)` over sources' arrival spans sorted by their first arrival.
    static func unusualGaps(of name: String, among spans: [(name: String, first: Int64, last: Int64)]) -> [CoverageGap] {
        guard spans.count >= sourcesToJudgeGaps, let mine = spans.first(where: { $0.name == name }) else { return [] }
        var gaps: [CoverageGap] = []
        var coveredUntil = Int64.min
        for span in spans {
            if coveredUntil != .min && span.first > coveredUntil { gaps.append(CoverageGap(from: coveredUntil, to: span.first)) }
            coveredUntil = max(coveredUntil, span.last)
        }
        // Its own: the gap it ends (before its first arrival) and the one it begins (after its last).
        let isOwn = { (gap: CoverageGap) in gap.to == mine.first || gap.from == mine.last }
        let others = gaps.filter { !isOwn($0) }
        let lengths = others.map { $0.to - $0.from }.sorted()
        let ninetieth = lengths.isEmpty ? 0 : lengths[min(lengths.count - 1, lengths.count * 9 / 10)]
        let longest = max(shortestUnusualGap, ninetieth + ninetieth / 2)
        let week: Int64 = 7 * 86_400, tolerance: Int64 = 3 * 3600
        /// Whether another gap nearly as long began at the same time of another week: a weekly closure.
        func recurs(_ gap: CoverageGap) -> Bool {
            others.contains { other in
                let apart = floorModulo(other.from - gap.from, week)
                return (other.to - other.from) * 3 >= (gap.to - gap.from) * 2 && min(apart, week - apart) <= tolerance
            }
        }
        return gaps.filter { isOwn($0) && $0.to - $0.from > longest && !recurs($0) }
    }

    /// The queue_log sources stored whose first call came after the first of the source named `name` and that
    /// skipped lines of calls whose arrival they did not hold (`call_without_arrival`), other than those named in
    /// `sameRun` (read with it, oldest first, so its calls were joined with theirs): nights ingested before an
    /// earlier one, whose ends of calls that began in the earlier night were not joined with it. A later night
    /// that skipped no such line (another site's, or one ingested after this night's first version) lost nothing.
    public func laterQueueLogSources(than name: String, sameRun: Set<String>) throws(StoreError) -> [String] {
        try check {
            let statement = try connection.prepare("""
                SELECT name, ledger_details FROM sources WHERE kind = ?1 AND name <> ?2
                  AND first_arrival_utc > (SELECT first_arrival_utc FROM sources WHERE name = ?2) ORDER BY first_arrival_utc
                """)
            try statement.bind(1, InputKind.queueLog.rawValue)
            try statement.bind(2, name)
            var names: [String] = []
            while try statement.step() {
                guard !sameRun.contains(statement.string(0)) else { continue }
                var ledger = Ledger(), totals = StoreTotals()
                try LedgerDetails.add(statement.string(1), to: &ledger, totals: &totals)
                if ledger.skippedByReason[SkipReason.callWithoutArrival.rawValue, default: 0] > 0 { names.append(statement.string(0)) }
            }
            return names
        }
    }
}
