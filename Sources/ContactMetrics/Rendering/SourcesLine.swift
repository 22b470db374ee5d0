/// The page's sources line: which files the figures come from, how many rows were used and why others
/// were not (in words, not reject codes), the time zone, and when and with which version it was made.
enum SourcesLine {
    /// Reject and skip reasons in words.
    static let reasons: [String: String] = [
        "wrong_field_count": "the wrong number of fields", "header_in_other_order": "the header in another order", "unterminated_quote": "a quote never closed",
        "malformed_quotes": "misplaced quotes", "record_too_long": "a record too long to be a row", "missing_channel": "no channel",
        "invalid_arrived_at": "an unreadable arrival time", "invalid_answered_at": "an unreadable answer time",
        "invalid_ended_at": "an unreadable end time", "negative_wait": "an answer before the arrival",
        "negative_handle_time": "an end before the answer", "implausible_duration": "an implausibly long duration",
        "implausible_wait": "a wait beyond the plausible limit", "invalid_raised_at": "an unreadable incident time",
        "invalid_deployed": "an unreadable deployed value", "invalid_field": "an unreadable field", "malformed_json": "malformed JSON",
        "outside_date_range": "outside the dates reported", "duplicate_id": "a repeated id", "config_rule": "left out by the config",
        "not_a_call_event": "not a call event", "open_call": "calls still open", "call_without_arrival": "calls with no arrival line",
        "blank_row": "blank rows", "repeated_header": "the header repeated",
    ]

    static func words(_ reason: String) -> String { reasons[reason] ?? reason.replacingOccurrences(of: "_", with: " ") }

    /// `words`, for `count` of them: "1 call still open", not "1 calls still open".
    static func words(_ reason: String, count: Int) -> String {
        let text = words(reason)
        guard count == 1 else { return text }
        for (plural, singular) in [("calls ", "call "), ("blank rows", "blank row")] where text.hasPrefix(plural) {
            return singular + text.dropFirst(plural.count)
        }
        return text
    }

    /// `Sources: contacts.csv.gz (1,938,674 rows) and incidents.csv.gz (771,459 rows); 12 rows could not be used
    /// (5 an unreadable arrival time, …); 2,304,391 outside the dates reported. Times in Europe/London. Made …`
    static func sentence(ledger: Ledger, timeZone: String, madeBy: String?) -> String {
        let files = ledger.sources.map { "\(FilePaths.name(of: $0.path)) (\(DisplayFormat.count(Int64($0.rowsRead))) rows)" }
        var text = "Sources: " + (files.isEmpty ? "none" : DisplayFormat.list(files, shown: 5, more: "more files")) + "."
        if ledger.rowsRejected > 0 {
            let reasons = ledger.rejectedByReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\(DisplayFormat.count(Int64($0.value))) with \(words($0.key))" }
            text += " \(DisplayFormat.count(Int64(ledger.rowsRejected))) \(ledger.rowsRejected == 1 ? "row" : "rows") could not be used (\(DisplayFormat.list(reasons)))."
        } else {
            text += " Every row could be used."
        }
        if ledger.rowsSkipped > 0 {
            let reasons = ledger.skippedByReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\(DisplayFormat.count(Int64($0.value))) \(words($0.key, count: $0.value))" }
            text += " Left out: \(DisplayFormat.list(reasons))."
        }
        text += " Times in \(timeZone)."
        if let madeBy { text += " Made by \(madeBy)." }
        return text
    }
}
