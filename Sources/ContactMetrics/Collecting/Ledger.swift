import Foundation

/// The input ledger of a run (DESIGN §4): every row read is accepted, rejected or skipped, so
/// `rowsRead == rowsAccepted + rowsRejected + rowsSkipped` always holds.
public struct Ledger: Sendable, Equatable {
    /// One input's share of the ledger, and what the store records of a source.
    public struct Source: Sendable, Equatable {
        public var path: String
        public var kind: InputKind
        /// Bytes of (decompressed) content, header included.
        public var byteCount: Int64
        public var contentFingerprint: String?
        public var rowsRead: Int
        public var rowsAccepted: Int
        public var rowsRejected: Int
        public var rowsSkipped: Int
        /// UTC seconds of the first and last accepted arrival (contacts) or raise time (incidents).
        public var firstArrivalUTC: Int64?
        public var lastArrivalUTC: Int64?
        /// The source has no id column (`Ledger.sourcesWithoutIds`); known for stored sources, to count them again
        /// over the dates a report keeps.
        public var lacksIds = false
        /// Its times are in whole minutes (`Ledger.minuteResolutionSources`), and only the whole file told
        /// (`minuteSourcesWithoutRowMarks`); known for stored sources, likewise.
        public var inWholeMinutes = false
        public var inWholeMinutesWithoutRowMarks = false
    }

    public var rowsRead = 0
    public var rowsAccepted = 0
    public var rowsRejected = 0
    public var rowsSkipped = 0
    public var rejectedByReason: [String: Int] = [:]
    public var skippedByReason: [String: Int] = [:]
    /// Rows whose id appeared earlier in the input (kept unless `--dedupe`).
    public var duplicateIds = 0
    /// Whether ids were compared within each source only (a ledger read from a store: each source's
    /// run saw its own ids), so that `duplicateIds` says nothing of ids repeated across sources.
    public var idsComparedWithinSourcesOnly = false
    /// Sources with rows kept and no id column (`contact_id`, `incident_id`): their duplicates are not checked.
    public var sourcesWithoutIds = 0
    /// Empty lines (not records, so not in `rowsRead`).
    public var blankLines = 0
    /// Naive local times in the repeated autumn hour (first occurrence taken) and in the spring gap
    /// (moved forward an hour).
    public var repeatedLocalTimes = 0
    public var skippedLocalTimes = 0
    /// Rows whose naive times were read together across a clock change and where one took its other
    /// reading to keep the row's events in order (`ClockChangePairing`).
    public var pairedAcrossClockChange = 0
    /// Rows rejected for a timestamp written day-month (`13/04/2019`), which the date order read with did
    /// not accept: with no order given or proven, the CLI refuses the run. Not stored.
    public var dayMonthDatesRejected = 0
    /// Day-month dates the run read, and those of them that read in one order only (`DayMonthDatesRead`). Not stored.
    public var dayMonthDates = DayMonthDatesRead()
    /// The date order judged from the inputs (`IngestOptions.judgesDateOrder`), nil when given or not needed.
    public var judgedDateOrder: DateOrder?
    /// Sources judged one way and others the other (stored sources, each judged alone): `judgedDateOrder` is
    /// then only the first's, and the reports say the orders differ.
    public var judgedDateOrdersDiffer = false
    /// How the run chose to read its inputs where nobody told it (e.g. a delimiter judged from a
    /// header line); shown on stderr, not stored.
    public var notes: [String] = []
    /// What the run read but may have read wrongly (bytes that are not UTF-8); shown on stderr, not stored.
    public var warnings: [String] = []
    /// Lines with bytes that are not UTF-8 (in inputs read as UTF-8).
    public var invalidUTF8Lines = 0
    /// Sources whose times are in whole minutes: waits are then ±59 s, so no service level under a
    /// minute (nor the answer-time bands) is measured where they are.
    public var minuteResolutionSources = 0
    /// Those of them whose rows do not say so one by one: times written with seconds 00 on every time
    /// (only the whole file tells), or stored before schema 5 (`ContactCounters.minuteTimedWaits`). Their
    /// cells are judged by their waits (`MetricOptions.timesInWholeMinutes`); a time without seconds marks
    /// its row's wait.
    public var minuteSourcesWithoutRowMarks = 0
    /// queue_log calls whose outcome is not in the input.
    public var openCalls = 0
    public var sources: [Source] = []

    public init() {}

    /// Folds another run's ledger into this one.
    public mutating func add(_ other: Ledger) {
        rowsRead += other.rowsRead
        rowsAccepted += other.rowsAccepted
        rowsRejected += other.rowsRejected
        rowsSkipped += other.rowsSkipped
        rejectedByReason.merge(other.rejectedByReason, uniquingKeysWith: +)
        skippedByReason.merge(other.skippedByReason, uniquingKeysWith: +)
        duplicateIds += other.duplicateIds
        sourcesWithoutIds += other.sourcesWithoutIds
        blankLines += other.blankLines
        repeatedLocalTimes += other.repeatedLocalTimes
        skippedLocalTimes += other.skippedLocalTimes
        pairedAcrossClockChange += other.pairedAcrossClockChange
        dayMonthDatesRejected += other.dayMonthDatesRejected
        dayMonthDates.add(other.dayMonthDates)
        invalidUTF8Lines += other.invalidUTF8Lines
        minuteResolutionSources += other.minuteResolutionSources
        minuteSourcesWithoutRowMarks += other.minuteSourcesWithoutRowMarks
        noteJudgedDateOrder(other.judgedDateOrder)
        judgedDateOrdersDiffer = judgedDateOrdersDiffer || other.judgedDateOrdersDiffer
        idsComparedWithinSourcesOnly = idsComparedWithinSourcesOnly || other.idsComparedWithinSourcesOnly
        openCalls += other.openCalls
        sources += other.sources
    }

    /// Takes in the date order another source was judged to have.
    public mutating func noteJudgedDateOrder(_ order: DateOrder?) {
        guard let order else { return }
        if let judgedDateOrder, judgedDateOrder != order { judgedDateOrdersDiffer = true }
        judgedDateOrder = judgedDateOrder ?? order
    }

    /// Whether the number of rejected rows exceeds a `--max-rejects` limit.
    public func exceeds(_ limit: RejectLimit?) -> Bool {
        guard let limit else { return false }
        switch limit {
        case .count(let count): return rowsRejected > count
        // In decimal: 14 of 1,000 rows is not over 1.4% (in binary floating point, 1.4 / 100 × 1,000 fell short of 14: a review).
        case .percent(let percent): return Decimal(rowsRejected) * 100 > percent * Decimal(rowsRead)
        }
    }
}

/// `--max-rejects N` or `--max-rejects P%`.
public enum RejectLimit: Sendable, Equatable, CustomStringConvertible {
    case count(Int)
    /// A percentage of the rows read, as written (decimal, exact).
    case percent(Decimal)

    /// Parses `250` or `1%` / `0.5%`.
    public init?(parsing text: String) {
        guard let first = text.first, first.isASCII, first.isNumber else { return nil }
        if text.hasSuffix("%") {
            let digits = text.dropLast()
            guard digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), digits.filter({ $0 == "." }).count <= 1,
                  let percent = Decimal(string: String(digits)), percent <= 100 else { return nil }
            self = .percent(percent)
        } else {
            guard let count = Int(text), count >= 0 else { return nil }
            self = .count(count)
        }
    }

    public var description: String {
        switch self {
        case .count(let count): return "\(count) rows"
        case .percent(let percent): return "\(percent)% of rows"
        }
    }
}
