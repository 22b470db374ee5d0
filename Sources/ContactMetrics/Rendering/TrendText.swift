import Foundation

/// How `compare --trend` shows its fits: a table under the comparison, a note, JSON and CSV members,
/// and the daily series as CSV (`--series`).
extension TrendAnalysis {
    /// A measure's title with its unit (rates are fitted in percentage points).
    static func title(_ metric: String) -> String {
        switch metric {
        case MetricDefinition.received.id: "Received a day"
        case MetricDefinition.abandonRate.id: "Abandoned (%)"
        case MetricDefinition.asa.id: "Average time to answer (s)"
        case MetricDefinition.serviceLevel.id: "Service level (%)"
        default: metric
        }
    }

    private static func number(_ value: Double, signed: Bool = false) -> String {
        let text = String(format: "%.1f", abs(value))
        let isZero = Double(text) == 0
        if !signed { return (value < 0 && !isZero ? "−" : "") + text }
        return (isZero ? "" : value > 0 ? "+" : "−") + text
    }

    private static func interval(_ estimate: Estimate) -> String {
        "[\(number(estimate.interval.lower, signed: true)), \(number(estimate.interval.upper, signed: true))]"
    }

    /// The fits, one row per measure and channel.
    public func table() -> TextTable {
        var header = ["Trend", "Channel", "Level before", "Trend before /30 d", "Level change", "95% CI", "Trend change /30 d", "95% CI"]
        for event in events { header += ["\(event.label) level", "95% CI"] }
        var table = TextTable(header: header, rightAligned: Set(2..<header.count))
        for fit in fits {
            var row = [Self.title(fit.metric), fit.channel, Self.number(fit.levelBefore), Self.number(fit.trendBeforePer30Days.value, signed: true),
                       Self.number(fit.levelChange.value, signed: true), Self.interval(fit.levelChange),
                       Self.number(fit.trendChangePer30Days.value, signed: true), Self.interval(fit.trendChangePer30Days)]
            for change in fit.eventChanges { row += [Self.number(change.value, signed: true), Self.interval(change)] }
            table.rows.append(row)
        }
        return table
    }

    /// What the trend table is, in words.
    public var note: String {
        if fits.isEmpty { return problems.isEmpty ? "Trend: no measure could be fitted." : problems.joined(separator: " ") }
        let days = to.daysSinceEpoch - from.daysSinceEpoch + 1
        let lags = Set(fits.map(\.lag)).sorted().map(String.init).joined(separator: ", ")
        var text = "Trend: an interrupted time series of each day from \(from) to \(to) (\(daysWithContacts) of its \(days) days have "
            + "contacts; days with none are left out): a level and a trend, weekday effects, and a change of level and of trend from \(changeDate)"
        if !events.isEmpty {
            text += ", with a change of level from " + events.map { "\($0.date) (\($0.label))" }.joined(separator: ", ")
        }
        text += ". Level before: the fitted level on \(changeDate) without the change (earlier breaks included). 95% intervals by Newey–West "
            + "(autocorrelation-robust, lag \(lags.isEmpty ? "—" : lags) days). A level change is the step at the change; "
            + "a before/after difference also holds the season and the trend."
        return ([text] + problems).joined(separator: " ")
    }

    private static func json(_ estimate: Estimate) -> JSONValue {
        .object([("value", .number(estimate.value)), ("lower", .number(estimate.interval.lower)), ("upper", .number(estimate.interval.upper))])
    }

    /// The `trend` member of `compare --format json`.
    public func json() -> JSONValue {
        .object([
            ("from", .string(from.description)), ("to", .string(to.description)), ("change_date", .string(changeDate.description)),
            ("events", .array(events.map { .object([("label", .string($0.label)), ("date", .string($0.date.description))]) })),
            ("interval", .string("newey-west")),
            ("fits", .array(fits.map { fit in
                .object([
                    ("metric", .string(fit.metric)), ("channel", .string(fit.channel)), ("days", .integer(Int64(fit.days))),
                    ("lag", .integer(Int64(fit.lag))), ("level_before", .number(fit.levelBefore)),
                    ("trend_before_per_30_days", Self.json(fit.trendBeforePer30Days)), ("level_change", Self.json(fit.levelChange)),
                    ("trend_change_per_30_days", Self.json(fit.trendChangePer30Days)),
                    ("event_level_changes", .array(zip(events, fit.eventChanges).map { event, change in
                        .object([("label", .string(event.label)), ("change", Self.json(change))])
                    })),
                ])
            })),
        ])
    }

    /// Rows for `compare --format csv` (its columns: metric, channel, before, after, change, change_kind,
    /// ci_lower, ci_upper, ci_method, design_effect, significant, note).
    func csvRows() -> [[String]] {
        var rows: [[String]] = []
        func row(_ name: String, _ fit: Fit, _ estimate: Estimate?, value: Double? = nil) {
            rows.append(["trend:\(fit.metric):\(name)", fit.channel, "", "", JSONValue.optional(estimate?.value ?? value).csvValue, "",
                         JSONValue.optional(estimate?.interval.lower).csvValue, JSONValue.optional(estimate?.interval.upper).csvValue,
                         estimate == nil ? "" : "newey-west", "",
                         estimate.map { $0.interval.excludesZero ? "true" : "false" } ?? "", ""])
        }
        for fit in fits {
            row("level_before", fit, nil, value: fit.levelBefore)
            row("trend_before_per_30_days", fit, fit.trendBeforePer30Days)
            row("level_change", fit, fit.levelChange)
            row("trend_change_per_30_days", fit, fit.trendChangePer30Days)
            for (event, change) in zip(events, fit.eventChanges) { row("level_change:\(event.label)", fit, change) }
        }
        return rows
    }

    /// `--series FILE`: each day and channel of the fitted series, with the regressors' indicators.
    public func seriesCSV() -> String {
        var header = ["date", "weekday", "channel", "received", "abandon_rate", "asa_seconds", "service_level", "days_since_start", "after_change"]
        header += events.map { "after_" + $0.label }
        var rows = [header]
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        for day in series {
            var row = [day.date.description, names[day.date.isoWeekday - 1], day.channel, String(day.received),
                       JSONValue.optional(day.abandonRate).csvValue, JSONValue.optional(day.asaSeconds).csvValue,
                       JSONValue.optional(day.serviceLevel).csvValue, String(day.date.daysSinceEpoch - from.daysSinceEpoch),
                       day.date.daysSinceEpoch >= changeDate.daysSinceEpoch ? "1" : "0"]
            row += events.map { day.date.daysSinceEpoch >= $0.date.daysSinceEpoch ? "1" : "0" }
            rows.append(row)
        }
        return CSVWriter.document(rows)
    }
}
