import Foundation

extension Comparison.Change {
    /// The change as the tables and the page's words give it: the change itself (not the difference of the
    /// rounded values beside it), rounded half away from zero to whole seconds or tenths of a point, as the
    /// values are. The table rounded half to even (+0.5 s read 0 s, −2.5 s −2 s) and the page's words half away
    /// (1 s, 3 s); the difference of the shown values (tried) then disagreed with the JSON, the CSV and the
    /// year-earlier table, which give the change. As in published statistics, a change may differ by a unit
    /// from the difference of the rounded values beside it (07:14 → 07:16, +1 s).
    var shownChange: Double? {
        guard let change else { return nil }
        switch kind {
        case .seconds: return Self.roundedHalfAway(change)
        case .percentagePoints: return Self.roundedHalfAway(change * 10) / 10
        case .relative: return change
        }
    }

    /// `value` rounded half away from zero, a half that floating point left a hair short counted as a half:
    /// 1001/2000 − 1000/2000 is 0.04999999999999449 points, and printed "0.0 pp" and "no change".
    static func roundedHalfAway(_ value: Double) -> Double {
        (value + (value < 0 ? -1 : 1) * 1e-9 * max(1, abs(value))).rounded()
    }
}

extension Comparison {
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Apr–May 2019` for whole months, else `1 Apr 2019 – 15 May 2019`.
    static func describe(_ window: ComparisonWindow) -> String {
        let from = window.from, to = window.to
        let wholeMonths = from.day == 1 && to.day == CivilDate.daysInMonth(year: to.year, month: to.month)
        if wholeMonths {
            let first = monthNames[from.month - 1], last = monthNames[to.month - 1]
            if from.year == to.year { return from.month == to.month ? "\(first) \(from.year)" : "\(first)–\(last) \(from.year)" }
            return "\(first) \(from.year)–\(last) \(to.year)"
        }
        func day(_ date: CivilDate) -> String { "\(date.day) \(monthNames[date.month - 1]) \(date.year)" }
        return from == to ? day(from) : "\(day(from)) – \(day(to))"
    }

    private var isPerDay: Bool { before.coveredDays != after.coveredDays }

    private func volumeCell(_ value: Int64?, days: Int64, perDay: Bool? = nil) -> String {
        guard let value else { return DisplayFormat.notMeasured }
        let text = DisplayFormat.volume(value)
        return perDay ?? isPerDay ? "\(text) (\(Self.perDay(Double(value) / Double(days)))/day)" : text
    }

    /// A daily volume: whole numbers from 10 a day, two significant figures below (a small window's
    /// 1 contact in 30 days is 0.033/day, not 0/day).
    static func perDay(_ value: Double) -> String {
        if value >= 9.5 || value == 0 { return DisplayFormat.count(Int64(value.rounded())) }
        return String(format: "%.2g", value)
    }

    private func relative(_ change: Change?) -> String {
        guard let value = change?.change else { return DisplayFormat.dash }
        let percent = Int64((value * 100).rounded())
        return (percent > 0 ? "+" : percent < 0 ? "−" : "") + DisplayFormat.relativePercent(value) + (change?.isPerDay == true ? " per day" : "")
    }

    /// `value` with its sign, rounded half away from zero (`String(format:)` alone rounds half to even).
    private static func signed(_ value: Double, decimals: Int) -> String {
        let scale = pow(10, Double(decimals))
        let text = String(format: "%.\(decimals)f", (abs(value) * scale).rounded() / scale)
        let isZero = Double(text) == 0
        return (isZero ? "" : value > 0 ? "+" : "−") + text
    }

    private static func points(_ change: Change?) -> String {
        guard let value = change?.shownChange else { return DisplayFormat.dash }
        return signed(value, decimals: 1) + " pp"
    }

    private static func seconds(_ change: Change?) -> String {
        guard let value = change?.shownChange else { return DisplayFormat.dash }
        return signed(value, decimals: 0) + " s"
    }

    private static func interval(_ change: Change) -> String {
        guard let interval = change.interval else { return DisplayFormat.dash }
        // One decimal, or as many as it takes for an end that is not zero not to read as 0.0 (an interval that
        // excludes zero must not look as if it touched it).
        func shown(_ value: Double) -> String {
            var decimals = 1
            while decimals < 4 && value != 0 && abs(value) < 0.5 * pow(10, -Double(decimals)) { decimals += 1 }
            return signed(value, decimals: decimals)
        }
        return "[\(shown(interval.lower)), \(shown(interval.upper))]"
    }

    /// The design effect, when the interval is over days (`×25.9`: days vary 25.9 times more than contacts would).
    private static func designEffect(_ change: Change) -> String {
        guard let effect = change.designEffect, change.interval != nil else { return "" }
        return "×" + (effect >= 10 ? String(format: "%.0f", effect) : String(format: "%.1f", effect))
    }

    private static func mark(_ change: Change) -> String {
        guard let significant = change.isSignificant else { return "" }
        return significant ? "*" : "n.s."
    }

    /// A window without a single contact: its volumes are not zero but unknown (no export for those days).
    static let noData = "No data"

    /// A channel's volume in `side`: nil when neither window has the channel (not measured), "No data" when the
    /// window has no contact at all.
    private func channelVolume(_ side: WindowFigures, _ channel: String) -> String {
        if side.daysWithContacts.isEmpty { return Self.noData }
        let seen = before.figures.channel(channel) != nil || after.figures.channel(channel) != nil
        // A channel with contacts in the other window and none in this one (a missing export, a channel added or
        // renamed; a caution says so) has no data here: "0 (0/day)" read as a measured nought (a review).
        if seen && side.figures.channel(channel) == nil { return Self.noData }
        return volumeCell(seen ? side.figures.channel(channel)?.received ?? 0 : nil, days: side.coveredDays)
    }

    private func onlineCell(_ side: WindowFigures) -> String {
        let online = side.figures.channel("online")
        var text = channelVolume(side, "online")
        if let online, let leading = Comparison.leadingCategory(online), online.categorised > 0 {
            let category = Comparison.categoryName(leading, in: [before.figures.channel("online"), after.figures.channel("online")])
            let share = DisplayFormat.percent(Double(Comparison.categoryCount(online, category)) / Double(online.categorised))
            text += " (of which \(Self.capitalized(category)) \(share))"
        }
        return text
    }

    /// `covid` as `Covid`; a label with a capital of its own (`eBay fraud`, `ASB`) as it is.
    static func capitalized(_ label: String) -> String {
        label == label.lowercased() ? label.prefix(1).uppercased() + label.dropFirst() : label
    }

    private func answerTimes(_ side: WindowFigures) -> String {
        if side.daysWithContacts.isEmpty { return Self.noData }
        // A channel that has an average in either window is named in both: 999's 00:05 beside 101's 02:04
        // read as one measure that had changed.
        let times = ["999", "101"].compactMap { channel -> String? in
            guard let time = side.figures.channel(channel)?.asaSeconds else {
                let elsewhere = [before, after].contains { $0.figures.channel(channel)?.asaSeconds != nil }
                return elsewhere ? "\(channel) = \(DisplayFormat.notMeasured)" : nil
            }
            return "\(channel) = \(DisplayFormat.minutesSeconds(time))"
        }
        return times.isEmpty ? DisplayFormat.notMeasured : times.joined(separator: " / ")
    }

    /// The reference table's rows (DESIGN §6), in its order and wording.
    public func headlineTable() -> TextTable {
        func column(_ side: WindowFigures) -> String {
            "\(Comparison.describe(side.window)) (\(side.window.label)\(side.isPartial ? ", partial" : ""))"
        }
        var table = TextTable(header: ["", column(before), column(after), "Change"])
        func volumeRow(_ title: String, _ metric: String, channel: String?, ofIncidents: Bool = false, _ value: (WindowFigures) -> Int64?) {
            func cell(_ side: WindowFigures) -> String {
                // A window with nothing of its kind has no data; a 0 of a window that has some is measured.
                let hasData = ofIncidents ? side.hasIncidents : !side.daysWithContacts.isEmpty
                if !hasData && value(side).map({ $0 == 0 }) != false { return Self.noData }
                guard ofIncidents else { return volumeCell(value(side), days: side.coveredDays) }
                return volumeCell(value(side), days: side.incidentDays, perDay: before.incidentDays != after.incidentDays)
            }
            table.rows.append([title, cell(before), cell(after), relative(change(metric, channel: channel))])
        }
        table.rows.append(["101 calls received", channelVolume(before, "101"), channelVolume(after, "101"),
                           relative(change(MetricDefinition.received.id, channel: "101"))])
        table.rows.append(["999 calls received", channelVolume(before, "999"), channelVolume(after, "999"),
                           relative(change(MetricDefinition.received.id, channel: "999"))])
        table.rows.append(["Online reports", onlineCell(before), onlineCell(after), relative(change(MetricDefinition.received.id, channel: "online"))])
        // The total holds every channel: those the reference table has no row for get one, so that the rows add up
        // (webchat's contacts were in the total and nowhere else).
        let shown: Set<String> = ["101", "999", "online"]
        let others = channelDisplayOrder((before.figures.channels + after.figures.channels).map(\.channel).filter { !shown.contains($0) })
        if !others.isEmpty {
            func sum(_ side: WindowFigures) -> Int64 { others.reduce(0) { $0 + (side.figures.channel($1)?.received ?? 0) } }
            // None of them in a window that has contacts: no data there, and no change (it showed 0 and −100%; the diff review).
            func present(_ side: WindowFigures) -> Bool { others.contains { side.figures.channel($0) != nil } }
            var combined = Comparison.volumeChange("received", nil, before: before, after: after, sum(before), sum(after))
            if !present(before) || !present(after) { combined.change = nil }
            func cell(_ side: WindowFigures) -> String {
                side.daysWithContacts.isEmpty || !present(side) ? Self.noData : volumeCell(sum(side), days: side.coveredDays)
            }
            table.rows.append(["Other contacts (\(others.joined(separator: ", ")))", cell(before), cell(after), relative(combined)])
        }
        volumeRow("Total contacts", "total_contacts", channel: nil) { $0.figures.totalContacts }
        if before.figures.incidents != nil {
            volumeRow("Total deployed incidents", "deployed", channel: nil, ofIncidents: true) { $0.figures.incidents?.deployed }
            volumeRow("Incidents sent to partners", "referred", channel: nil, ofIncidents: true) { $0.figures.incidents?.referred }
        }
        var asaChanges: [String] = []
        for channel in ["999", "101"] {
            if let asa = change(MetricDefinition.asa.id, channel: channel), asa.change != nil {
                asaChanges.append("\(channel) \(Comparison.seconds(asa))")
            }
        }
        let asaChange = asaChanges.joined(separator: " / ")
        table.rows.append(["Average time to answer", answerTimes(before), answerTimes(after), asaChange.isEmpty ? DisplayFormat.dash : asaChange])
        func rateCell(_ side: WindowFigures) -> String {
            if side.daysWithContacts.isEmpty { return Self.noData }
            guard let calls = side.figures.channel("101") else { return DisplayFormat.dash }
            return calls.abandonRate.map(DisplayFormat.percent) ?? DisplayFormat.notMeasured  // no outcome in the exports
        }
        table.rows.append(["101 calls abandoned", rateCell(before), rateCell(after), Comparison.points(change(MetricDefinition.abandonRate.id, channel: "101"))])
        return table
    }

    /// Service level, answer-time percentiles and handle time, with confidence intervals.
    public func detailTable() -> TextTable {
        let overDays = intervals == .days
        var table = TextTable(header: ["Measure", "Channel", before.window.label, after.window.label, "Change", "95% CI"]
                                  + (overDays ? ["Day effect"] : []) + ["Sig."],
                              rightAligned: overDays ? [2, 3, 4, 5, 6] : [2, 3, 4, 5])
        for change in changes {
            guard let channel = change.channel else { continue }
            let title: String
            let format: (Double) -> String
            if let definition = MetricDefinition.named(change.metric)?.comparison {
                title = definition.title(options, channel)
                format = definition.display
            } else if change.metric.hasPrefix("category_share:") {
                title = "Share \(Self.capitalized(String(change.metric.dropFirst("category_share:".count))))"
                format = DisplayFormat.percentOneDecimal
            } else {
                continue
            }
            if change.before == nil && change.after == nil { continue }
            let changeText = change.kind == .percentagePoints ? Comparison.points(change) : Comparison.seconds(change)
            table.rows.append([title, channel, change.before.map(format) ?? DisplayFormat.dash, change.after.map(format) ?? DisplayFormat.dash,
                               changeText, Comparison.interval(change)] + (overDays ? [Comparison.designEffect(change)] : []) + [Comparison.mark(change)])
        }
        return table
    }

    /// A window with too few days for intervals over days, said first among the cautions in every format (JSON and
    /// CSV lacked it, and said `significant` with no word; a review).
    var shortWindowCaution: String? {
        // By the days with data: a window reaching past the inputs lost the caution (36 days, 5 of them with data).
        // A window with no data has no intervals at all (a caution says it has no contacts).
        let short = [before, after].filter { $0.coveredDays < Comparison.reliableDays && $0.coveredDays > 0 }
        guard intervals == .days, !short.isEmpty else { return nil }
        return short.enumerated().map { side in
            let days = side.element.coveredDays
            return "\(side.offset == 0 ? "The" : "the") \(side.element.window.label) window has \(days) day\(days == 1 ? "" : "s")\(days < side.element.days ? " with data" : "")"
        }.joined(separator: "; ")
            + ": with fewer than \(Comparison.reliableDays) days a window, intervals over days are not reliable "
            + "(with fewer than 2, the per-contact interval is given; answer-time percentiles get none with fewer than "
            + "\(DayBootstrap.minimumDays) days with answers)."
    }

    /// `cautions`, after the short-window caution when there is one: what every format says.
    var allCautions: [String] { (shortWindowCaution.map { [$0] } ?? []) + cautions }

    var notes: [String] {
        let method = intervals == .days
            ? "95% CI over days: days, not contacts, are the independent units (a contact centre has good and bad days), "
                + "cluster-robust with t on days − 1 degrees of freedom, never narrower than the per-contact interval "
                + "(Newcombe's for rates, Welch's for mean times); day effect = how many times the change's variance "
                + "exceeds what independent contacts would give (the interval is √ of it times wider)"
            : "95% CI per contact (every contact an independent draw: too narrow when days differ; --intervals days): "
                + "Newcombe's hybrid score interval for rates, Welch's interval for mean times"
        var lengths = isPerDay ? " per day (the windows have data for \(before.coveredDays) and \(after.coveredDays) days)" : ""
        // Incidents are per day over their own days (`Comparison.volumeChange`): said where those are not the contacts'.
        if before.figures.incidents != nil, before.incidentDays != after.incidentDays,
           !isPerDay || before.incidentDays != before.coveredDays || after.incidentDays != after.coveredDays {
            lengths += ", incidents per day over their own \(before.incidentDays) and \(after.incidentDays) days"
        }
        var notes = ["Changes: volumes relative\(lengths); "
                     + "rates in percentage points; times in seconds. \(method); * = significant (the interval excludes zero), n.s. = not significant."]
        if let short = shortWindowCaution { notes.append(short) }
        if let settings = options.settingsNote { notes.append(settings) }
        notes += cautions
        if let baseline {
            notes.append("Against a year earlier: \(baseline.before.window.labelWithDates) and "
                         + "\(baseline.after.window.labelWithDates), 52 weeks before each window so that "
                         + "weekdays line up; the difference is this year's change less that year's (for volumes, the ratio of the two "
                         + "changes), so what moved both years alike (the season) drops out. Intervals as above, over the days of all four windows.")
        }
        if let trend { notes.append(trend.note) }
        for (category, spellings) in leadingCategorySpellings {
            notes.append("\(Self.capitalized(category)) counts the categories \(spellings.map { "\"\($0)\"" }.joined(separator: ", ")) together: they differ only in case.")
        }
        for side in [before, after] {
            if let spelt = side.figures.incidents?.referredByAgency, case let agencies = CategorySpellings.merged(spelt), !agencies.isEmpty {
                notes.append("Incidents sent to partners, \(side.window.label): "
                             + agencies.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \(DisplayFormat.count($0.value))" }.joined(separator: ", ") + ".")
            }
        }
        if let targetReview { notes.append(targetReview.summary) }
        notes.append(ledger.summary())
        return notes
    }

    var heading: String {
        "\(before.window.labelWithDates) compared with \(after.window.labelWithDates), time zone \(timeZone)"
    }

    /// The comparison's tables: the published one, the detail, and the baseline and trend when asked for.
    var tables: [TextTable] {
        [headlineTable(), detailTable()] + (baseline?.differences.isEmpty == false ? [baselineTable()] : [])
            + (trend.flatMap { $0.fits.isEmpty ? nil : [$0.table()] } ?? [])
            + (targetReview.map { [$0.table(periodTitle: "Window")] } ?? [])
    }

    /// Each change against the same change a year earlier (`--baseline previous-year`).
    public func baselineTable() -> TextTable {
        let overDays = intervals == .days
        var table = TextTable(header: ["Against a year earlier", "Channel", "Change", "A year earlier", "Difference", "95% CI"]
                                  + (overDays ? ["Day effect"] : []) + ["Sig."],
                              rightAligned: overDays ? [2, 3, 4, 5, 6] : [2, 3, 4, 5])
        for difference in baseline?.differences ?? [] {
            let title: String
            if let definition = MetricDefinition.named(difference.metric)?.comparison {
                title = definition.title(options, difference.channel ?? "")
            } else if difference.metric == MetricDefinition.received.id {
                title = "Received"
            } else if difference.metric.hasPrefix("category_share:") {
                title = "Share \(Self.capitalized(String(difference.metric.dropFirst("category_share:".count))))"
            } else {
                title = difference.metric.prefix(1).uppercased() + difference.metric.dropFirst().replacingOccurrences(of: "_", with: " ")
            }
            func value(_ number: Double?) -> String {
                guard let number else { return DisplayFormat.dash }
                switch difference.kind {
                case .relative: return Self.signed(number * 100, decimals: 0) + "%"
                case .percentagePoints: return Self.signed(number, decimals: 1) + " pp"
                case .seconds: return Self.signed(number, decimals: 0) + " s"
                }
            }
            table.rows.append([title, difference.channel ?? "", value(difference.after), value(difference.before), value(difference.change),
                               Comparison.interval(difference)] + (overDays ? [Comparison.designEffect(difference)] : [])
                              + [Comparison.mark(difference)])
        }
        return table
    }

    public func table() -> String {
        Escaping.visible(heading) + "\n\n" + tables.map { $0.plain() + "\n" }.joined()
            + notes.map(Escaping.visible).joined(separator: "\n") + "\n"
    }

    public func markdown() -> String {
        "## " + Escaping.markdownCell(heading) + "\n\n" + tables.map { $0.markdown() + "\n" }.joined()
            + notes.map { "- " + Escaping.markdownCell($0) }.joined(separator: "\n") + "\n"
    }

    /// `--format csv`: one row per change, then the ledger rows.
    public func csv() -> String {
        var rows: [[String]] = [["metric", "channel", "before", "after", "change", "change_kind", "ci_lower", "ci_upper", "ci_method",
                                 "design_effect", "significant", "note"]]
        // The windows, so that the file says what its columns are (a volume's change per day beside totals read as wrong).
        func windowRow(_ name: String, _ value: (WindowFigures) -> String) -> [String] {
            [name, "", value(before), value(after)] + Array(repeating: "", count: 8)
        }
        rows.append(windowRow("window_label") { $0.window.label })
        rows.append(windowRow("window_dates") { "\($0.window.from)..\($0.window.to)" })
        rows.append(windowRow("window_days_covered") { String($0.coveredDays) })
        // Incidents per day are over their own days: without them a change per day could not be checked (a review).
        if before.figures.incidents != nil || after.figures.incidents != nil {
            rows.append(windowRow("window_incident_days") { String($0.hasIncidents ? $0.incidentDays : 0) })
        }
        for change in changes {
            rows.append([change.metric, change.channel ?? "", JSONValue.optional(change.before).csvValue, JSONValue.optional(change.after).csvValue,
                         JSONValue.optional(change.change).csvValue, change.kind.rawValue,
                         JSONValue.optional(change.interval?.lower).csvValue, JSONValue.optional(change.interval?.upper).csvValue,
                         change.interval == nil ? "" : change.intervalMethod?.rawValue ?? "",
                         JSONValue.optional(change.designEffect).csvValue,
                         change.isSignificant.map { $0 ? "true" : "false" } ?? "", change.isPerDay ? "per day" : ""])
        }
        // Incidents sent to each partner agency, as the table's note and the JSON give them (the CSV left them out;
        // found by the newcomer review).
        let beforeAgencies = before.figures.incidents?.referredByAgency ?? [:], afterAgencies = after.figures.incidents?.referredByAgency ?? [:]
        for agency in Set(beforeAgencies.keys).union(afterAgencies.keys).sorted() {
            func count(_ side: WindowFigures, _ agencies: [String: Int64]) -> String {
                side.figures.incidents?.referred == nil ? "" : String(agencies[agency] ?? 0)  // not measured: empty
            }
            rows.append(["referred_by_agency", agency, count(before, beforeAgencies), count(after, afterAgencies)] + Array(repeating: "", count: 8))
        }
        for difference in baseline?.differences ?? [] {
            rows.append(["difference_in_differences:" + difference.metric, difference.channel ?? "", JSONValue.optional(difference.before).csvValue,
                         JSONValue.optional(difference.after).csvValue, JSONValue.optional(difference.change).csvValue, difference.kind.rawValue,
                         JSONValue.optional(difference.interval?.lower).csvValue, JSONValue.optional(difference.interval?.upper).csvValue,
                         difference.interval == nil ? "" : difference.intervalMethod?.rawValue ?? "",
                         JSONValue.optional(difference.designEffect).csvValue,
                         difference.isSignificant.map { $0 ? "true" : "false" } ?? "", ""])
        }
        rows += trend?.csvRows() ?? []
        // A target's status in each window: before and after hold the status words, change the direction of travel.
        for target in targetReview?.targets.targets ?? [] {
            let checks = targetReview!.checks.filter { $0.target == target }
            guard checks.count == 2 else { continue }
            rows.append(["target_status:" + target.metric, target.channel, checks[0].status.rawValue, checks[1].status.rawValue,
                         checks[1].vsPrevious?.rawValue ?? "", "", "", "", "", "", "", TargetReview.targetText(target)])
        }
        rows += allCautions.map { ["caution", "", "", "", "", "", "", "", "", "", "", $0] }
        rows += ledger.csvRows().map { ["ledger:" + $0[4], "", "", "", $0[5], "", "", "", "", "", "", ""] }
        return CSVWriter.document(rows)
    }

    /// A change (or a difference in differences: `before` is the earlier change, `after` this one) as JSON.
    private static func json(_ change: Change) -> JSONValue {
        .object([
            ("metric", .string(change.metric)),
            ("channel", change.channel.map(JSONValue.string) ?? .null),
            ("before", .optional(change.before)),
            ("after", .optional(change.after)),
            ("change", .optional(change.change)),
            ("change_kind", .string(change.kind.rawValue)),
            ("per_day", .bool(change.isPerDay)),
            ("confidence_interval", change.interval.map { interval in
                .object([("lower", .number(interval.lower)), ("upper", .number(interval.upper)),
                         ("method", change.intervalMethod.map { .string($0.rawValue) } ?? .null)])
            } ?? .null),
            ("design_effect", .optional(change.designEffect)),
            ("significant", change.isSignificant.map(JSONValue.bool) ?? .null),
        ])
    }

    /// `--format json` (schema `contact-metrics/compare/1`).
    public func json() -> JSONValue {
        func side(_ side: WindowFigures) -> JSONValue {
            .object([("label", .string(side.window.label)), ("from", .string(side.window.from.description)),
                     ("to", .string(side.window.to.description)), ("days", .integer(side.days)),
                     ("covered_days", .integer(side.coveredDays))]
                    + (side.figures.incidents == nil ? [] : [("incident_days", .integer(side.hasIncidents ? side.incidentDays : 0))])
                    + [("partial", .bool(side.isPartial))] + ReportJSON.figures(side.figures))
        }
        return .object([
            ("schema", .string("contact-metrics/compare/1")),
            ("time_zone", .string(timeZone)),
            ("options", ReportJSON.options(options)),
            ("intervals", .string(intervals.rawValue)),
            ("before", side(before)),
            ("after", side(after)),
            ("changes", .array(changes.map(Self.json))),
            ("baseline", baseline.map { baseline in
                .object([("before", side(baseline.before)), ("after", side(baseline.after)),
                         ("differences", .array(baseline.differences.map(Self.json)))])
            } ?? .null),
            ("trend", trend?.json() ?? .null),
            ("cautions", .array(allCautions.map(JSONValue.string))),
        ] + (targetReview.map { [("targets", $0.json(periodKey: "window"))] } ?? []) + [
            ("ledger", ReportJSON.ledger(ledger)),
        ])
    }
}
