extension Report {
    /// The per-channel table, as rows for `TextTable`.
    func channelTable() -> TextTable {
        let columns = MetricDefinition.tableColumns
        var table = TextTable(header: ["Period", "Channel"] + columns.map(\.column!.title) + ["Top category"],
                              rightAligned: Set(2..<2 + columns.count))
        for figures in periods {
            for metrics in figures.channels {
                let topCategory = metrics.categories.max { ($0.value, $1.key) < ($1.value, $0.key) }.map { category in
                    "\(category.key) \(DisplayFormat.percent(Double(category.value) / Double(max(1, metrics.received))))"
                } ?? ""
                // A submission channel has no queue: only its volume and categories.
                let cells = columns.map { column in
                    metrics.isSubmission && column.id != MetricDefinition.received.id ? nil : column.column!.cell(metrics)
                }
                table.rows.append([figures.label, metrics.channel] + cells.map { $0 ?? DisplayFormat.dash } + [topCategory])
            }
            // Capitalised: channel labels are lower case, so no channel can look like the total.
            table.rows.append([figures.label, "All contacts", DisplayFormat.count(figures.totalContacts)])
        }
        return table
    }

    func incidentTable() -> TextTable? {
        guard periods.contains(where: { $0.incidents != nil }) else { return nil }
        var table = TextTable(header: ["Period", "Incidents", "Deployed", "Sent to partners", "Partners"], rightAligned: [1, 2, 3])
        for figures in periods {
            guard let incidents = figures.incidents else { continue }
            let agencies = incidents.referredByAgency.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\($0.key) \(DisplayFormat.count($0.value))" }.joined(separator: ", ")
            table.rows.append([figures.label, DisplayFormat.count(incidents.incidents),
                               incidents.deployed.map(DisplayFormat.count) ?? DisplayFormat.notMeasured,
                               incidents.referred.map(DisplayFormat.count) ?? DisplayFormat.notMeasured, agencies])
        }
        return table
    }

    var heading: String {
        "Contact metrics by \(period.displayName), time zone \(timeZone)"
    }

    /// `--format table`: aligned plain text for a terminal.
    public func table() -> String {
        var output = heading + "\n\n" + channelTable().plain()
        if let incidents = incidentTable() { output += "\n" + incidents.plain() }
        return output + "\n" + ledger.summary() + "\n"
    }

    /// `--format markdown`.
    public func markdown() -> String {
        var output = "## " + heading + "\n\n" + channelTable().markdown()
        if let incidents = incidentTable() { output += "\n" + incidents.markdown() }
        return output + "\n" + ledger.summary() + "\n"
    }

    /// `--format csv`: one tidy row per figure (`period,start,end,channel,metric,value`), the ledger
    /// last with period `all` and channel `ledger`. Empty value = not measured / not computable.
    public func csv() -> String {
        var document = "period,start,end,channel,metric,value\n"
        for figures in periods {
            // Written straight into one string: a report at 15-minute grain has millions of rows.
            let prefix = [figures.label, figures.start, figures.end].map(CSVWriter.field).joined(separator: ",") + ","
            func row(_ channel: String, _ metric: String, _ value: String) {
                document.append(prefix)
                document.append(CSVWriter.field(channel))
                document.append(",")
                document.append(CSVWriter.field(metric))
                document.append(",")
                document.append(value)
                document.append("\n")
            }
            for metrics in figures.channels {
                guard case .object(let members) = ReportJSON.channel(metrics) else { continue }
                for (metric, value) in members {
                    if case .object(let categories) = value {
                        for (category, count) in categories { row(metrics.channel, "category:" + category, count.csvValue) }
                    } else {
                        row(metrics.channel, metric, value.csvValue)
                    }
                }
            }
            row("all", "total_contacts", String(figures.totalContacts))
            if let incidents = figures.incidents, case .object(let members) = ReportJSON.incidents(incidents) {
                for (metric, value) in members {
                    if case .object(let agencies) = value {
                        for (agency, count) in agencies { row("incidents", "referred_to:" + agency, count.csvValue) }
                    } else {
                        row("incidents", metric, value.csvValue)
                    }
                }
            }
        }
        for row in ledger.csvRows() { CSVWriter.append(row, to: &document) }
        return document
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
        var text = "Input: \(DisplayFormat.count(Int64(rowsRead))) rows read, \(DisplayFormat.count(Int64(rowsAccepted))) accepted, "
            + "\(DisplayFormat.count(Int64(rowsRejected))) rejected"
        if !rejectedByReason.isEmpty {
            text += " (" + rejectedByReason.sorted { $0.key < $1.key }.map { "\($0.key) \(DisplayFormat.count(Int64($0.value)))" }
                .joined(separator: ", ") + ")"
        }
        text += ", \(DisplayFormat.count(Int64(rowsSkipped))) skipped"
        if !skippedByReason.isEmpty {
            text += " (" + skippedByReason.sorted { $0.key < $1.key }.map { "\($0.key) \(DisplayFormat.count(Int64($0.value)))" }
                .joined(separator: ", ") + ")"
        }
        text += "; \(DisplayFormat.count(Int64(duplicateIds))) duplicate \(duplicateIds == 1 ? "id" : "ids")"
        if repeatedLocalTimes + skippedLocalTimes > 0 {
            text += "; local times in a repeated hour \(repeatedLocalTimes), in a skipped hour \(skippedLocalTimes)"
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
