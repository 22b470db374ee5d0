import Foundation

/// Targets in every format: a status table under a report or comparison, and the report by exception.
extension TargetReview {
    /// A measure's name for people.
    static func measureName(_ metric: String) -> String {
        let names: [String: String] = [
            "received": "Received", "answered": "Answered", "abandoned": "Abandoned", "short_abandoned": "Short abandons",
            "other": "Other outcomes", "abandon_rate": "Abandoned (share)", "asa_seconds": "Average time to answer",
            "answer_p50_seconds": "Answer time, median", "answer_p90_seconds": "Answer time, 90th percentile",
            "answer_p95_seconds": "Answer time, 95th percentile", "max_wait_seconds": "Longest wait", "service_level": "Service level",
            "answered_under_10s_share": "Answered in under 10 s", "answered_10_to_60s_share": "Answered in 10 to 60 s",
            "answered_60s_plus_share": "Answered after 60 s", "mean_abandon_wait_seconds": "Wait before abandoning, mean",
            "mean_handle_seconds": "Handle time, mean", "mean_handle_with_wrap_up_seconds": "Handle time with wrap-up, mean",
        ]
        return names[metric] ?? metric
    }

    /// `at most 10.0% (amber to 12.0%)`.
    static func targetText(_ target: Target) -> String {
        let unit = MetricUnit(metric: target.metric)
        var text: String
        var edge: Double
        switch target.bound {
        case .atMost(let limit): text = "at most " + unit.display(limit); edge = limit + target.amberWithin
        case .atLeast(let floor): text = "at least " + unit.display(floor); edge = floor - target.amberWithin
        }
        if target.amberWithin > 0 { text += " (amber to \(unit.display(edge)))" }
        return text
    }

    static func actualText(_ check: TargetCheck) -> String {
        guard let actual = check.actual else { return DisplayFormat.notMeasured }
        let unit = MetricUnit(metric: check.target.metric)
        // A value within the rounding of its target shows the digits that tell it from the target (9.99% and
        // 10.01% against 10.0%, not 10.0% twice).
        return unit.display(actual, apartFrom: check.target.bound.value)
    }

    /// The measure's name, with the channel's service-level threshold.
    func measure(_ target: Target) -> String {
        target.metric == MetricDefinition.serviceLevel.id ? serviceLevelNames[target.channel] ?? "Service level" : Self.measureName(target.metric)
    }

    /// `Green`, `Amber`, `Red`, `Not measured`.
    static func statusText(_ status: TargetStatus) -> String {
        status == .notMeasured ? DisplayFormat.notMeasured : status.rawValue.prefix(1).uppercased() + status.rawValue.dropFirst()
    }

    /// `2.3 points over`, `00:45 over`, `4.0 points under`; empty when the target is met or not measured.
    static func gapText(_ check: TargetCheck) -> String {
        guard let gap = check.gap, check.status == .amber || check.status == .red else { return "" }
        let side: String
        switch check.target.bound {
        case .atMost: side = "over"
        case .atLeast: side = "under"
        }
        return MetricUnit(metric: check.target.metric).displayGap(gap) + " " + side
    }

    static func travelText(_ travel: Travel?) -> String { travel?.rawValue ?? DisplayFormat.dash }

    /// The status of every check (`periodTitle`: "Period", or "Window" for a comparison).
    public func table(periodTitle: String = "Period") -> TextTable {
        var table = TextTable(header: tableHeader(periodTitle: periodTitle), rightAligned: Self.tableRightAligned)
        forEachTableRow { table.rows.append($0) }
        return table
    }

    func tableHeader(periodTitle: String = "Period") -> [String] {
        [periodTitle, "Channel", "Measure", "Target", "Actual", "Status", "vs \(previousLabel)", "vs a year before"]
    }

    static let tableRightAligned: Set<Int> = [4]

    /// The rows of `table()`, one at a time: a report at 15-minute grain over two years has over a million
    /// checks, and their rows held at once took 270 MB.
    func forEachTableRow(_ body: ([String]) throws -> Void) rethrows {
        for check in checks {
            try body([check.displayPeriod, check.target.channel, measure(check.target), Self.targetText(check.target),
                      Self.actualText(check), Self.statusText(check.status), Self.travelText(check.vsPrevious),
                      Self.travelText(check.vsYearBefore)])
        }
    }

    /// The amber and red checks, worst first.
    public func exceptionTable(periodTitle: String = "Period") -> TextTable {
        var table = TextTable(header: ["Status", periodTitle, "Channel", "Measure", "Target", "Actual", "Gap", "vs \(previousLabel)", "vs a year before"],
                              rightAligned: [5, 6])
        for check in exceptions {
            table.rows.append([Self.statusText(check.status), check.displayPeriod, check.target.channel, measure(check.target),
                               Self.targetText(check.target), Self.actualText(check), Self.gapText(check),
                               Self.travelText(check.vsPrevious), Self.travelText(check.vsYearBefore)])
        }
        return table
    }

    /// `Targets (targets.json): 12 checks: 5 green, 3 amber, 2 red, 2 not measured.` and any channel without data.
    public var summary: String {
        let counts = self.counts
        let parts = [TargetStatus.green, .amber, .red, .notMeasured].compactMap { status in
            counts[status].map { "\(DisplayFormat.count(Int64($0))) \(status.rawValue)" }
        }
        var text = "Targets (\(targets.name)): \(DisplayFormat.count(Int64(checks.count))) \(checks.count == 1 ? "check" : "checks")"
            + (parts.isEmpty ? "." : ": " + parts.joined(separator: ", ") + ".")
        if !periodsWithoutData.isEmpty {
            let shown = shownPeriodsWithoutData
            text += " \(DisplayFormat.count(Int64(periodsWithoutData.count))) \(periodsWithoutData.count == 1 ? "period has" : "periods have") no data at all "
                + "(\(shown)): not measured (a missing export, or a period outside the data)."
        }
        if !neverMeasured.isEmpty {
            text += " Never measured in these inputs: " + neverMeasured.map { "\($0.channel) \(measure($0).prefix(1).lowercased() + measure($0).dropFirst())" }
                .joined(separator: ", ") + " (a channel without a queue has only volumes; handle time with wrap-up needs an export that gives it)."
        }
        if partialCountsNotJudged {
            text += " Counts of a period the inputs cover only in part are not judged against a whole period's target."
        }
        if let days = unequalWindowDays {
            text += " Counts are not judged: the windows have data for \(days[0]) and \(days[1]) days, and a target for a count holds for one length "
                + "(the table above compares them per day)."
        }
        if !unseenChannels.isEmpty {
            text += " No data for \(unseenChannels.count == 1 ? "channel" : "channels") \(unseenChannels.map { "'\($0)'" }.joined(separator: ", ")) "
                + "named by the targets: \(unseenChannels.count == 1 ? "its" : "their") figures read as not measured."
        }
        return text
    }

    /// The first few checks not measured in periods that have data, so that one channel's missing export
    /// is seen, not only counted: `2020-04-02 999 average time to answer, … and 3 more`; nil when there
    /// are none (periods with no data at all are named on their own).
    private var shownNotMeasured: String? {
        let withoutData = Set(periodsWithoutData)
        let missing = checks.filter { $0.status == .notMeasured && !withoutData.contains($0.period) }
        guard !missing.isEmpty else { return nil }
        let shown = missing.prefix(5).map { "\($0.displayPeriod) \($0.target.channel) \(measure($0.target).prefix(1).lowercased() + measure($0.target).dropFirst())" }
        return shown.joined(separator: ", ") + (missing.count > 5 ? " and \(missing.count - 5) more" : "")
    }

    /// The first few periods without data: `2019-02, 2019-03 and 8 more`.
    private var shownPeriodsWithoutData: String {
        periodsWithoutData.prefix(5).joined(separator: ", ") + (periodsWithoutData.count > 5 ? " and \(periodsWithoutData.count - 5) more" : "")
    }

    /// What `--exceptions` says when nothing is amber or red.
    public var noExceptionsText: String {
        let measured = checks.filter { $0.status != .notMeasured }.count
        let notMeasured = checks.count - measured
        if measured == 0 {
            var text = "Nothing to judge: no period has the figures the targets need (\(DisplayFormat.count(Int64(checks.count))) not measured)."
            if !periodsWithoutData.isEmpty { text += " No data at all for \(shownPeriodsWithoutData)." }
            return text
        }
        var text = measured == 1 ? "No exceptions: the one measured check meets its target"
            : "No exceptions: every one of the \(DisplayFormat.count(Int64(measured))) measured checks meets its target"
        if notMeasured > 0 { text += " (\(DisplayFormat.count(Int64(notMeasured))) not measured\(shownNotMeasured.map { ": " + $0 } ?? ""))" }
        text += "."
        if !periodsWithoutData.isEmpty {
            text += " No data at all for \(shownPeriodsWithoutData)."
        }
        return text
    }

    static func json(_ target: Target) -> JSONValue {
        .object([(target.bound.key, .number(target.bound.value)), ("amber_within", .number(target.amberWithin)),
                 ("not_measured", .string(target.whenNotMeasured.rawValue))])
    }

    static func json(_ check: TargetCheck, periodKey: String = "period") -> JSONValue {
        .object([
            (periodKey, .string(check.period)), ("start", .string(check.start)), ("end", .string(check.end)), ("partial", .bool(check.isPartial)),
            ("channel", .string(check.target.channel)), ("metric", .string(check.target.metric)),
            ("target", json(check.target)), ("actual", .optional(check.actual)), ("status", .string(check.status.rawValue)),
            ("gap", .optional(check.gap)), ("previous", .optional(check.previous)),
            ("vs_previous", check.vsPrevious.map { .string($0.rawValue) } ?? .null),
            ("year_before", .optional(check.yearBefore)),
            ("vs_year_before", check.vsYearBefore.map { .string($0.rawValue) } ?? .null),
        ])
    }

    /// The `targets` member of a report's or comparison's JSON.
    public func json(periodKey: String = "period") -> JSONValue {
        .object(jsonMembersBeforeChecks() + [("checks", .array(checks.map { Self.json($0, periodKey: periodKey) }))])
    }

    /// `json()` as the value of a top-level member, its checks written one at a time: a report at 15-minute
    /// grain over two years has 280,000 periods and four checks each, and their values built at once took
    /// 690 MB (measured: 784 MB peak against 94 MB without `--targets`).
    func writeJSON(to sink: inout some TextSink, periodKey: String = "period") throws {
        try sink.write("{\n")
        for (key, value) in jsonMembersBeforeChecks() {
            try sink.write(JSONValue.indent(2) + JSONValue.string(key).serialized(indent: 0) + ": " + value.serialized(indent: 2) + ",\n")
        }
        try sink.write(JSONValue.indent(2) + "\"checks\": ")
        if checks.isEmpty {
            try sink.write("[]")
        } else {
            try sink.write("[\n")
            for (index, check) in checks.enumerated() {
                try sink.write(JSONValue.indent(3) + Self.json(check, periodKey: periodKey).serialized(indent: 3) + (index + 1 < checks.count ? ",\n" : "\n"))
            }
            try sink.write(JSONValue.indent(2) + "]")
        }
        try sink.write("\n" + JSONValue.indent(1) + "}")
    }

    private func jsonMembersBeforeChecks() -> [(String, JSONValue)] {
        let counts = self.counts
        return [
            ("name", .string(targets.name)),
            ("summary", .object([TargetStatus.green, .amber, .red, .notMeasured].map { ($0.rawValue, .integer(Int64(counts[$0] ?? 0))) })),
            ("channels_without_data", .array(unseenChannels.map(JSONValue.string))),
            ("periods_without_data", .array(periodsWithoutData.map(JSONValue.string))),
            ("never_measured", .array(neverMeasured.map { .object([("channel", .string($0.channel)), ("metric", .string($0.metric))]) })),
        ]
    }

    /// A report's tidy CSV rows of the checks (`period,start,end,channel,metric,value`): the status and the
    /// direction of travel of each, as `status:METRIC`, `vs_previous:METRIC`, `vs_year_before:METRIC`.
    /// Written a check at a time, as `forEachTableRow`.
    func writeReportCSVRows(to sink: inout some TextSink) throws {
        for check in checks {
            let prefix = [check.period, check.start, check.end, check.target.channel]
            var rows = ""
            CSVWriter.append(prefix + ["status:" + check.target.metric, check.status.rawValue], to: &rows)
            CSVWriter.append(prefix + ["vs_previous:" + check.target.metric, check.vsPrevious?.rawValue ?? ""], to: &rows)
            CSVWriter.append(prefix + ["vs_year_before:" + check.target.metric, check.vsYearBefore?.rawValue ?? ""], to: &rows)
            try sink.write(rows)
        }
    }

    /// A status cell: the word with a mark, coloured (the colour is never the only sign).
    static func statusCell(_ status: TargetStatus) -> String {
        let mark: String
        switch status {
        case .green: mark = "✓"
        case .amber: mark = "!"
        case .red: mark = "✗"
        case .notMeasured: mark = "–"
        }
        let name = status == .notMeasured ? "none" : status.rawValue
        return "<td class=\"rag rag-\(name)\">\(mark) \(HTMLPage.escape(statusText(status)))</td>"
    }

    /// An HTML table of `table` whose column `statusColumn` holds each row's status (`statuses`, one a row), coloured.
    static func html(_ table: TextTable, statusColumn: Int, statuses: [TargetStatus]) -> String {
        var html = HTMLPage.tableStart(header: table.header, rightAligned: table.rightAligned, className: "targets")
        for (row, status) in zip(table.rows, statuses) {
            html += "<tr>"
            for (column, cell) in row.enumerated() {
                if column == statusColumn {
                    html += statusCell(status)
                } else {
                    html += "<td\(table.rightAligned.contains(column) ? " class=\"n\"" : "")>\(HTMLPage.escape(cell))</td>"
                }
            }
            html += "</tr>\n"
        }
        return html + HTMLPage.tableEnd
    }

    /// The page's section: the summary, then the table (folded when long).
    func htmlSection(periodTitle: String = "Period", foldAbove: Int = 60) -> String {
        var html = "<section>\n<h2>Against targets</h2>\n<p>\(HTMLPage.escape(summary))</p>\n"
        let folded = checks.count > foldAbove
        if folded { html += "<details>\n<summary>The \(DisplayFormat.count(Int64(checks.count))) checks</summary>\n" }
        html += HTMLPage.scrolling(Self.html(table(periodTitle: periodTitle), statusColumn: 5, statuses: checks.map(\.status)))
        if folded { html += "</details>\n" }
        return html + "</section>\n"
    }
}

/// `--exceptions`: only the amber and red checks of a report or comparison, worst first, with target,
/// actual, gap and direction of travel; "No exceptions" said plainly when there are none.
public struct ExceptionReport: Sendable {
    public var review: TargetReview
    /// What was checked: the report's or comparison's heading.
    public var heading: String
    public var ledger: Ledger
    /// Said under the table (settings, partial periods).
    public var notes: [String]
    /// "Period" for a report, "Window" for a comparison.
    public var periodTitle: String

    public init(review: TargetReview, heading: String, ledger: Ledger, notes: [String], periodTitle: String = "Period") {
        self.review = review
        self.heading = heading
        self.ledger = ledger
        self.notes = notes
        self.periodTitle = periodTitle
    }

    var title: String { "Report by exception: " + heading }

    private var allNotes: [String] { [review.summary, ledger.summary()] + notes }

    public func table() -> String {
        let exceptions = review.exceptions
        return Escaping.visible(title) + "\n\n"
            + (exceptions.isEmpty ? review.noExceptionsText + "\n" : review.exceptionTable(periodTitle: periodTitle).plain())
            + "\n" + allNotes.map(Escaping.visible).joined(separator: "\n") + "\n"
    }

    public func markdown() -> String {
        let exceptions = review.exceptions
        return "## " + Escaping.markdownCell(title) + "\n\n"
            + (exceptions.isEmpty ? Escaping.markdownCell(review.noExceptionsText) + "\n" : review.exceptionTable(periodTitle: periodTitle).markdown())
            + "\n" + allNotes.map { "- " + Escaping.markdownCell($0) }.joined(separator: "\n") + "\n"
    }

    /// One row per exception, worst first; a header alone when there are none.
    public func csv() -> String {
        var rows = [["status", periodTitle.lowercased(), "start", "end", "channel", "metric", "bound", "target", "amber_within", "actual", "gap",
                     "previous", "vs_previous", "year_before", "vs_year_before"]]
        for check in review.exceptions {
            rows.append([check.status.rawValue, check.period, check.start, check.end, check.target.channel, check.target.metric,
                         check.target.bound.key, JSONValue.number(check.target.bound.value).csvValue,
                         JSONValue.number(check.target.amberWithin).csvValue, JSONValue.optional(check.actual).csvValue,
                         JSONValue.optional(check.gap).csvValue, JSONValue.optional(check.previous).csvValue, check.vsPrevious?.rawValue ?? "",
                         JSONValue.optional(check.yearBefore).csvValue, check.vsYearBefore?.rawValue ?? ""])
        }
        return CSVWriter.document(rows)
    }

    /// Schema `contact-metrics/exceptions/1`.
    public func json() -> JSONValue {
        let counts = review.counts
        return .object([
            ("schema", .string("contact-metrics/exceptions/1")),
            ("heading", .string(heading)),
            ("targets", .string(review.targets.name)),
            ("checks", .integer(Int64(review.checks.count))),
            ("summary", .object([TargetStatus.green, .amber, .red, .notMeasured].map { ($0.rawValue, .integer(Int64(counts[$0] ?? 0))) })),
            ("channels_without_data", .array(review.unseenChannels.map(JSONValue.string))),
            ("periods_without_data", .array(review.periodsWithoutData.map(JSONValue.string))),
            ("exceptions", .array(review.exceptions.map { TargetReview.json($0, periodKey: periodTitle.lowercased()) })),
            ("notes", .array(notes.map(JSONValue.string))),
            ("ledger", ReportJSON.ledger(ledger)),
        ])
    }

    public func html() -> String {
        let exceptions = review.exceptions
        var page = HTMLPage.head(title: title)
        if exceptions.isEmpty {
            page += "<p>\(HTMLPage.escape(review.noExceptionsText))</p>\n"
        } else {
            page += HTMLPage.scrolling(TargetReview.html(review.exceptionTable(periodTitle: periodTitle), statusColumn: 0,
                                                                 statuses: review.exceptions.map(\.status)))
        }
        return page + HTMLPage.foot(notes: allNotes)
    }
}

extension Report {
    /// The report by exception of this report's `targetReview` (nil without targets).
    public func exceptionReport() -> ExceptionReport? {
        targetReview.map { ExceptionReport(review: $0, heading: heading, ledger: ledger, notes: [options.settingsNote, partialNote].compactMap { $0 }) }
    }
}

extension Comparison {
    /// The report by exception of this comparison's `targetReview` (nil without targets).
    public func exceptionReport() -> ExceptionReport? {
        targetReview.map {
            ExceptionReport(review: $0, heading: heading, ledger: ledger, notes: [options.settingsNote].compactMap { $0 } + cautions, periodTitle: "Window")
        }
    }
}
