/// Why a row was rejected. The raw values are the ids used in `rejected_by_reason`.
public enum RejectReason: String, CaseIterable, Sendable, Codable {
    case wrongFieldCount = "wrong_field_count"
    case unterminatedQuote = "unterminated_quote"
    case malformedQuotes = "malformed_quotes"
    /// A line longer than `IngestOptions.maximumRecordBytes` with no line break in it.
    case recordTooLong = "record_too_long"
    case missingChannel = "missing_channel"
    case invalidArrivedAt = "invalid_arrived_at"
    case invalidAnsweredAt = "invalid_answered_at"
    case invalidEndedAt = "invalid_ended_at"
    case negativeWait = "negative_wait"
    case negativeHandleTime = "negative_handle_time"
    case implausibleDuration = "implausible_duration"
    /// A wait above `--max-plausible-wait`.
    case implausibleWait = "implausible_wait"
    case invalidRaisedAt = "invalid_raised_at"
    case invalidDeployed = "invalid_deployed"
    /// Rows a mapping config or queue_log reader rejects (issue: real exports).
    case invalidField = "invalid_field"
    /// A JSON record that is not a well-formed object.
    case malformedJSON = "malformed_json"
    /// The header again among the rows with its columns in another order (two exports joined): the rows after
    /// it would be read in the first header's order, so the run is refused (the CLI's `headerOrderRefusal`).
    case headerInOtherOrder = "header_in_other_order"
}

/// Why a row was left out on purpose (counted in `rows_skipped`).
public enum SkipReason: String, CaseIterable, Sendable, Codable {
    case outsideDateRange = "outside_date_range"
    case duplicateId = "duplicate_id"
    case configRule = "config_rule"
    case notACallEvent = "not_a_call_event"
    /// queue_log lines of a call whose ENTERQUEUE is in the input but whose outcome is not (`open_calls`).
    case openCall = "open_call"
    /// queue_log lines of a call whose ENTERQUEUE is not in the input (it began before the log did).
    case callWithoutArrival = "call_without_arrival"
    /// A row of nothing but delimiters (`,,,,,,`: what spreadsheets leave below the data).
    case blankRow = "blank_row"
    /// A line that repeats the header (files joined with `cat`, each with its header).
    case repeatedHeader = "repeated_header"
}

/// Row counts of one block (and, summed, of a file or a run). Fixed arrays, so tallying is free.
struct RowTally: Sendable {
    var rowsRead = 0
    var accepted = 0
    var rejected = [Int](repeating: 0, count: RejectReason.allCases.count)
    var skipped = [Int](repeating: 0, count: SkipReason.allCases.count)
    var blankLines = 0
    var repeatedLocalTimes = 0
    var skippedLocalTimes = 0
    var pairedAcrossClockChange = 0
    var dayMonthDatesRejected = 0
    var dayMonthDates = DayMonthDatesRead()
    var invalidUTF8Lines = 0
    var minuteTimes = MinuteTimes()
    /// Accepted contacts whose wait was timed from a time without seconds (`ContactContribution.waitTimedInMinutes`).
    var minuteTimedWaits = 0
    /// Accepted contacts with a date alone in a time column (`ParsedTimestamp.hasTimeOfDay`): untimed.
    var rowsWithDatesWithoutTime = 0
    /// Contact rows whose outcome the export gives (an outcome label or an answer time), and rows taken
    /// as abandoned only because their answer time is empty: a file with the second and none of the
    /// first has empty outcome columns, not 100% abandonment (`OrderedCollector` warns). Counted as a
    /// row is kept (`BlockWorker.accept`), so a rejected row cannot mute the warning.
    var outcomesGiven = 0
    var abandonedForEmptyAnswerTime = 0
    var firstArrivalUTC = Int64.max
    var lastArrivalUTC = Int64.min
    var millisecondDurations = MillisecondDurations()

    var rejectedTotal: Int { rejected.reduce(0, +) }
    var skippedTotal: Int { skipped.reduce(0, +) }

    mutating func add(_ other: RowTally) {
        rowsRead += other.rowsRead
        accepted += other.accepted
        for index in rejected.indices { rejected[index] += other.rejected[index] }
        for index in skipped.indices { skipped[index] += other.skipped[index] }
        blankLines += other.blankLines
        repeatedLocalTimes += other.repeatedLocalTimes
        skippedLocalTimes += other.skippedLocalTimes
        pairedAcrossClockChange += other.pairedAcrossClockChange
        dayMonthDatesRejected += other.dayMonthDatesRejected
        dayMonthDates.add(other.dayMonthDates)
        invalidUTF8Lines += other.invalidUTF8Lines
        minuteTimes.add(other.minuteTimes)
        minuteTimedWaits += other.minuteTimedWaits
        rowsWithDatesWithoutTime += other.rowsWithDatesWithoutTime
        outcomesGiven += other.outcomesGiven
        abandonedForEmptyAnswerTime += other.abandonedForEmptyAnswerTime
        firstArrivalUTC = min(firstArrivalUTC, other.firstArrivalUTC)
        lastArrivalUTC = max(lastArrivalUTC, other.lastArrivalUTC)
        millisecondDurations.add(other.millisecondDurations)
    }
}

/// Rows with durations a config reads in milliseconds (offsets and wrap-up) that are not all zero, and those of
/// them whose longest is under a second: an export in seconds read as milliseconds (Genesys' `Total Queue` saved
/// as seconds) makes every wait and handle time 0 s and every call answered within its service level, with no
/// row rejected (found by a review: 999 at 100% within 10 s against 50%). A call's talk time in milliseconds is
/// seldom under a second, whatever its wait (by the row, not the duration: an auto-answered queue's waits are).
struct MillisecondDurations: Sendable, Equatable {
    var nonZero = 0
    var underASecond = 0
    /// The longest duration of the row being read.
    private var rowLongest: Int64 = 0

    @inline(__always)
    mutating func count(_ milliseconds: Int64) {
        rowLongest = max(rowLongest, milliseconds)
    }

    /// Counts the row read since the last call.
    @inline(__always)
    mutating func endRow() {
        guard rowLongest > 0 else { return }
        nonZero += 1
        if rowLongest < 1_000 { underASecond += 1 }
        rowLongest = 0
    }

    mutating func add(_ other: MillisecondDurations) {
        nonZero += other.nonZero
        underASecond += other.underASecond
    }

    /// Whether they look like seconds: at least half of 5 or more rows under a second.
    var lookLikeSeconds: Bool { nonZero >= 5 && underASecond * 2 >= nonZero }
}

/// A rejected row before its absolute line number is known (blocks finish out of order).
struct PendingReject: Sendable {
    var lineIndexInBlock: Int
    /// For JSON objects one after another (not JSON Lines), the record's 1-based place among the block's rows
    /// read: with no line ends between them (a Firehose delivery) they are all on line 1, so the message names
    /// the record too.
    var recordInBlock: Int? = nil
    var reason: RejectReason
    /// `column: what is wrong`, e.g. `arrived_at: expected a timestamp, found "31/02/2019"`.
    var message: String
    var record: [UInt8]
}

/// A rejected row as reported: file, 1-based line, reason, message, raw record.
public struct RejectedRow: Sendable, Equatable {
    public var path: String
    public var lineNumber: Int
    public var reason: RejectReason
    public var message: String
    public var record: [UInt8]

    /// `calls.csv:10001: arrived_at: expected a timestamp, found "31/02/2019"`.
    public var description: String { "\(path):\(lineNumber): \(message)" }
}

extension RejectReason {
    var index: Int { Self.allCases.firstIndex(of: self)! }
}

extension SkipReason {
    /// Position in `allCases` (the tally's array index), without a search per skipped row.
    var index: Int {
        switch self {
        case .outsideDateRange: return 0
        case .duplicateId: return 1
        case .configRule: return 2
        case .notACallEvent: return 3
        case .openCall: return 4
        case .callWithoutArrival: return 5
        case .blankRow: return 6
        case .repeatedHeader: return 7
        }
    }
}
