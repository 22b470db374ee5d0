extension Report {
    var channelHeader: [String] {
        ["Period", "Channel"] + MetricDefinition.tableColumns.map(\.column!.title) + ["Top category"]
    }

    var channelRightAligned: Set<Int> { Set(2..<2 + MetricDefinition.tableColumns.count) }

    /// The per-channel table's rows, a period at a time.
    func forEachChannelRow<Failure: Error>(_ body: ([String]) throws(Failure) -> Void) throws(Failure) {
        let columns = MetricDefinition.tableColumns
        try forEachPeriod { (figures) throws(Failure) in
            for metrics in figures.channels {
                let topCategory = CategorySpellings.leading(metrics.categories).map { category in
                    "\(category.name) \(DisplayFormat.percent(Double(category.count) / Double(max(1, metrics.categorised))))"
                } ?? ""
                // A submission channel has no queue: only its volume and categories.
                let cells = columns.map { column in
                    metrics.isSubmission && column.id != MetricDefinition.received.id ? nil : column.column!.cell(metrics)
                }
                try body([figures.displayLabel, metrics.channel] + cells.map { $0 ?? DisplayFormat.dash } + [topCategory])
            }
            // Capitalised: channel labels are lower case, so no channel can look like the total.
            try body([figures.displayLabel, "All contacts", DisplayFormat.count(figures.totalContacts)])
        }
    }

    /// The per-channel table (for callers that want it whole; the renderers stream it).
    func channelTable() -> TextTable {
        var table = TextTable(header: channelHeader, rightAligned: channelRightAligned)
        forEachChannelRow { table.rows.append($0) }
        return table
    }

    var incidentHeader: [String] { ["Period", "Incidents", "Deployed", "Sent to partners", "Partners"] }

    /// The incident table's rows (none when the run read no incidents).
    func forEachIncidentRow<Failure: Error>(_ body: ([String]) throws(Failure) -> Void) throws(Failure) {
        guard hasIncidents else { return }
        try forEachPeriod { (figures) throws(Failure) in
            guard let incidents = figures.incidents else { return }
            let agencies = CategorySpellings.merged(incidents.referredByAgency).sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\($0.key) \(DisplayFormat.count($0.value))" }.joined(separator: ", ")
            try body([figures.displayLabel, DisplayFormat.count(incidents.incidents),
                      incidents.deployed.map(DisplayFormat.count) ?? DisplayFormat.notMeasured,
                      incidents.referred.map(DisplayFormat.count) ?? DisplayFormat.notMeasured, agencies])
        }
    }

    var heading: String {
        "Contact metrics by \(period.displayName), time zone \(timeZone)"
    }

    /// Writes an aligned table whose rows `rows` produces (twice: to measure, then to write).
    private func writeTable(header: [String], rightAligned: Set<Int>, style: TableLayout.Style,
                            rows: (([String]) throws -> Void) throws -> Void, to sink: inout some TextSink) throws {
        var layout = TableLayout(header: header, rightAligned: rightAligned, style: style)
        try rows { layout.measure($0) }
        try sink.write(layout.headerLines)
        try rows { try sink.write(layout.line($0)) }
    }

    private func writeTables(style: TableLayout.Style, to sink: inout some TextSink) throws {
        if hasContacts {
            try writeTable(header: channelHeader, rightAligned: channelRightAligned, style: style,
                           rows: { try forEachChannelRow($0) }, to: &sink)
        }
        if hasIncidents {
            if hasContacts { try sink.write("\n") }
            try writeTable(header: incidentHeader, rightAligned: [1, 2, 3], style: style, rows: { try forEachIncidentRow($0) }, to: &sink)
        }
        if let targetReview {
            try sink.write("\n")
            try writeTable(header: targetReview.tableHeader(), rightAligned: TargetReview.tableRightAligned, style: style,
                           rows: { try targetReview.forEachTableRow($0) }, to: &sink)
            try sink.write("\n" + (style == .plain ? Escaping.visible(targetReview.summary) : Escaping.markdownCell(targetReview.summary)) + "\n")
        }
        try sink.write("\n" + ledger.summary() + "\n")
        if let settings = options.settingsNote { try sink.write(settings + "\n") }
        if let partial = partialNote { try sink.write(partial + "\n") }
        if let unknown = outcomeUnknownNote { try sink.write(unknown + "\n") }
        if let untimed = answeredUntimedNote { try sink.write(untimed + "\n") }
        if let notGiven = categoryNotGivenNote { try sink.write(notGiven + "\n") }
        if let repeated = repeatedHourNote { try sink.write(repeated + "\n") }
        for caution in cautions { try sink.write((style == .plain ? Escaping.visible(caution) : Escaping.markdownCell(caution)) + "\n") }
    }

    /// `--format table`: aligned plain text for a terminal.
    public func writeTable(to sink: inout some TextSink) throws {
        try sink.write(heading + "\n\n")
        try writeTables(style: .plain, to: &sink)
    }

    /// `--format markdown`.
    public func writeMarkdown(to sink: inout some TextSink) throws {
        try sink.write("## " + heading + "\n\n")
        try writeTables(style: .markdown, to: &sink)
    }

    /// `--format csv`: one tidy row per figure (`period,start,end,channel,metric,value`), the ledger
    /// last with period `all` and channel `ledger`. Empty value = not measured / not computable.
    public func writeCSV(to sink: inout some TextSink) throws {
        try sink.write("period,start,end,channel,metric,value\n")
        // Each metric's field is made once, not once a row: a report at 15-minute grain has millions of rows.
        let metricFields = MetricDefinition.all.map { Array(CSVWriter.field($0.id).utf8) }
        let receivedField = Array(CSVWriter.field(MetricDefinition.received.id).utf8)
        try forEachPeriod { figures in
            // A period's rows go out together, built as UTF-8 bytes: appending to a `String` piece by piece
            // cost more than the figures.
            var document = CSVRowBytes()
            let prefix = Array(([figures.label, figures.start, figures.end].map(CSVWriter.field).joined(separator: ",") + ",").utf8)
            let all = Array(CSVWriter.field("all").utf8)
            if figures.isPartial { document.row(prefix, all, Array(CSVWriter.field("partial").utf8), "true") }
            if figures.takesInARepeatedHour { document.row(prefix, all, Array(CSVWriter.field("repeated_hour").utf8), "true") }
            for metrics in figures.channels {
                let channel = Array(CSVWriter.field(metrics.channel).utf8)
                // The members of `ReportJSON.channel`, in its order.
                if metrics.isSubmission {
                    document.row(prefix, channel, receivedField, (MetricDefinition.received.value(metrics) ?? .null).csvValue)
                } else {
                    for (index, definition) in MetricDefinition.all.enumerated() {
                        document.row(prefix, channel, metricFields[index], (definition.value(metrics) ?? .null).csvValue)
                    }
                }
                for (category, count) in metrics.categories {  // in order of label
                    document.row(prefix, channel, Array(CSVWriter.field("category:" + category).utf8), String(count))
                }
                if ReportJSON.showsCategoryNotGiven(metrics) {
                    document.row(prefix, channel, Array(CSVWriter.field(ReportJSON.categoryNotGivenKey).utf8), String(metrics.categoryNotGiven))
                }
            }
            document.row(prefix, all, Array(CSVWriter.field("total_contacts").utf8), hasContacts ? String(figures.totalContacts) : "")
            if let incidents = figures.incidents, case .object(let members) = ReportJSON.incidents(incidents) {
                let channel = Array(CSVWriter.field("incidents").utf8)
                for (metric, value) in members {
                    if case .object(let agencies) = value {
                        for (agency, count) in agencies {
                            document.row(prefix, channel, Array(CSVWriter.field("referred_to:" + agency).utf8), count.csvValue)
                        }
                    } else {
                        document.row(prefix, channel, Array(CSVWriter.field(metric).utf8), value.csvValue)
                    }
                }
            }
            try sink.write(document.text)
        }
        try targetReview?.writeReportCSVRows(to: &sink)
        var ledgerRows = ""
        for row in ledger.csvRows() { CSVWriter.append(row, to: &ledgerRows) }
        try sink.write(ledgerRows)
    }

    public func table() -> String { rendered(writeTable) }
    public func markdown() -> String { rendered(writeMarkdown) }
    public func csv() -> String { rendered(writeCSV) }

    /// A document rendered into a string (a string sink never fails, so neither does this).
    func rendered(_ write: (inout String) throws -> Void) -> String {
        var text = ""
        do { try write(&text) } catch { preconditionFailure("writing to a string failed: \(error)") }
        return text
    }
}

extension PeriodUnit {
    /// For headings: "month", "financial year", "15 minutes".
    var displayName: String {
        switch self {
        case .fifteenMinutes: return "15 minutes"
        case .thirtyMinutes: return "30 minutes"
        case .financialYear: return "financial year"
        default: return rawValue
        }
    }
}

extension Ledger {
    /// One or two sentences for the console and the text formats.
    public func summary() -> String {
        var text = "Input: \(DisplayFormat.count(Int64(rowsRead))) \(rowsRead == 1 ? "row" : "rows") read, \(DisplayFormat.count(Int64(rowsAccepted))) accepted, "
            + "\(DisplayFormat.count(Int64(rowsRejected))) rejected"
        if !rejectedByReason.isEmpty {
            text += " (" + DisplayFormat.reasons(rejectedByReason) + ")"
        }
        text += ", \(DisplayFormat.count(Int64(rowsSkipped))) skipped"
        if !skippedByReason.isEmpty {
            text += " (" + DisplayFormat.reasons(skippedByReason) + ")"
        }
        let sourcesWithIds = sources.filter { $0.rowsAccepted > 0 }.count - sourcesWithoutIds
        if sourcesWithoutIds > 0 && sourcesWithIds <= 0 {
            // "0 duplicate ids" claimed what nobody could check.
            text += "; duplicate ids not checked (no id column)"
        } else {
            text += "; \(DisplayFormat.count(Int64(duplicateIds))) duplicate \(duplicateIds == 1 ? "id" : "ids")"
            // A store's sources were each checked on their own: "0 duplicate ids" over two copies of one
            // file claimed what nobody checked (a review).
            if idsComparedWithinSourcesOnly && Dictionary(grouping: sources.filter { $0.rowsAccepted > 0 && !$0.lacksIds }, by: \.kind).values.contains(where: { $0.count > 1 }) {
                text += " within a source (a store does not compare sources' ids)"
            }
            if sourcesWithoutIds > 0 {
                text += " (not checked in \(sourcesWithoutIds) \(sourcesWithoutIds == 1 ? "source" : "sources") with no id column)"
            }
        }
        if repeatedLocalTimes + skippedLocalTimes > 0 {
            text += "; local times in a repeated hour \(repeatedLocalTimes), in a skipped hour \(skippedLocalTimes)"
            if pairedAcrossClockChange > 0 {
                text += " (\(DisplayFormat.count(Int64(pairedAcrossClockChange))) \(pairedAcrossClockChange == 1 ? "row" : "rows") read across the clock change to keep \(pairedAcrossClockChange == 1 ? "its" : "their") times in order)"
            }
        }
        if invalidUTF8Lines > 0 {
            text += "; \(DisplayFormat.count(Int64(invalidUTF8Lines))) \(invalidUTF8Lines == 1 ? "line" : "lines") not UTF-8"
        }
        if minuteResolutionSources > 0 {
            text += "; times in whole minutes in \(minuteResolutionSources) \(minuteResolutionSources == 1 ? "source" : "sources") "
                + "(service levels not measured where their waits are timed in minutes)"
        }
        if judgedDateOrdersDiffer {
            text += "; dates read day first in some sources and month first in others, as each proves (--date-order chooses)"
        } else if let judgedDateOrder {
            text += "; dates read \(judgedDateOrder == .dayFirst ? "day" : "month") first, as the inputs prove (--date-order chooses)"
        }
        if openCalls > 0 { text += "; \(DisplayFormat.count(Int64(openCalls))) \(openCalls == 1 ? "call" : "calls") still open at the end of the input" }
        return text + "."
    }

    func csvRows() -> [[String]] {
        var rows: [[String]] = []
        guard case .object(let members) = ReportJSON.ledger(self) else { return rows }
        for (metric, value) in members {
            switch value {
            case .object(let reasons):
                for (reason, count) in reasons { rows.append(["all", "", "", "ledger", "\(metric):\(reason)", count.csvValue]) }
            case .array:
                continue
            default:
                rows.append(["all", "", "", "ledger", metric, value.csvValue])
            }
        }
        return rows
    }
}

extension JSONValue {
    /// The value as a CSV cell: numbers as JSON writes them, null as empty.
    var csvValue: String {
        switch self {
        case .null: return ""
        case .string(let text): return text
        case .integer(let value): return String(value)
        case .number(let value): return JSONValue.text(of: value)
        case .bool(let value): return value ? "true" : "false"
        case .array, .object: return serialized().trimmingCharacters(in: .newlines)
        }
    }
}

/// A period's CSV rows.
private struct CSVRowBytes: ~Copyable {
    private var buffer = ByteBuffer()

    /// `prefix` (the period's fields and a comma), `channel,metric,value` and a line break; the fields
    /// already written as CSV fields, the value as it is (a figure).
    mutating func row(_ prefix: [UInt8], _ channel: [UInt8], _ metric: [UInt8], _ value: String) {
        buffer.append(prefix)
        buffer.append(channel)
        buffer.append(UInt8(ascii: ","))
        buffer.append(metric)
        buffer.append(UInt8(ascii: ","))
        buffer.append(value)
        buffer.append(UInt8(ascii: "\n"))
    }

    var text: String { buffer.text }
}
