import Foundation

/// The report page's charts: per channel over the periods, from the same figures as the tables.
extension Report {
    /// One chart: its caption (also the SVG's title) and its SVG.
    private typealias Chart = (title: String, svg: String)

    /// Volumes, answer times, abandonment, service level, the Home Office 999 bands, online categories and
    /// incidents over the periods.
    func charts() -> String {
        // Every period from the first to the last, those without data too (their volume 0, the rest not
        // measured): a chart spaces periods evenly, so a missing one left out would look like a steady line.
        guard let firstKey = periodKeys.first, let lastKey = periodKeys.last, lastKey > firstKey else { return "" }
        let span = Int(lastKey - firstKey + 1)
        guard span <= Self.chartedPeriods else {
            return "<p class=\"note\">\(DisplayFormat.count(Int64(span))) periods are too many to chart; a coarser --period gives charts.</p>\n"
        }
        var byKey: [Int64: PeriodFigures] = [:]
        for (key, figures) in zip(periodKeys, self.periods) { byKey[key] = figures }
        let keys = Array(firstKey...lastKey)
        let periods: [PeriodFigures?] = keys.map { byKey[$0] }
        let labels = zip(keys, periods).map { key, figures in figures?.displayLabel ?? period.label(key: key) }
        // Channels in report order; a chart of every channel draws the busiest few (six colours stay apart in
        // the common colour-vision deficiencies; the tables hold every channel).
        var volumes: [String: Int64] = [:]
        for figures in periods.compactMap({ $0 }) { for metrics in figures.channels { volumes[metrics.channel, default: 0] += metrics.received } }
        let allChannels = channelDisplayOrder(volumes.keys)
        // 999 and 101 always, then the busiest others.
        let ranked = allChannels.filter { ["999", "101"].contains($0) } + allChannels.filter { !["999", "101"].contains($0) }
            .sorted { (volumes[$0]!, $1) > (volumes[$1]!, $0) }
        let drawn = Set(ranked.prefix(SVGChart.colours.count))
        let channels = allChannels.filter(drawn.contains)
        let queues = channels.filter { !options.submissionChannels.contains($0) }
        let busiest = allChannels.count > channels.count ? " (999, 101 and the busiest others: \(channels.count) of \(allChannels.count) channels)" : ""
        let per = period.displayName
        // A period the inputs cover only in part would read as a fall in volume: counts leave it out.
        let partial = periods.map { $0?.isPartial == true }
        let countsNote = partial.contains(true) ? " (periods only partly covered left out)" : ""

        func line(_ name: String, _ value: (PeriodFigures?) -> Double?) -> SVGChart.Line? {
            let values = periods.map(value)
            return values.contains { $0 != nil } ? SVGChart.Line(name: name, values: values) : nil
        }
        func channelLine(_ channel: String, name: String? = nil, missingIsZero: Bool = false, isCount: Bool = false,
                         _ value: (ChannelMetrics) -> Double?) -> SVGChart.Line? {
            let values = periods.enumerated().map { index, figures in
                isCount && partial[index] ? nil : figures?.channel(channel).flatMap(value) ?? (missingIsZero ? 0 : nil)
            }
            return values.contains { $0 != nil } ? SVGChart.Line(name: name ?? channel, values: values) : nil
        }
        func describe(_ lines: [SVGChart.Line], _ unit: (Double) -> String) -> String {
            lines.map { line in
                // The first and last periods the line has a value in (not the chart's ends: a partial period is left out).
                let known = line.values.compactMap { $0 }
                let first = line.values.firstIndex { $0 != nil } ?? 0, last = line.values.lastIndex { $0 != nil } ?? 0
                return "\(line.name): from \(unit(known.first ?? 0)) in \(labels[first]) to \(unit(known.last ?? 0)) in \(labels[last]), "
                    + "lowest \(unit(known.min() ?? 0)), highest \(unit(known.max() ?? 0))"
            }.joined(separator: "; ") + "."
        }
        let count: (Double) -> String = { DisplayFormat.count(Int64($0.rounded())) }
        let percent: (Double) -> String = { String(format: "%.1f%%", $0) }
        let time: (Double) -> String = { Comparison.duration($0) }

        var charts: [Chart] = []
        func add(_ id: String, _ title: String, _ lines: [SVGChart.Line?], _ unit: @escaping (Double) -> String) {
            let lines = lines.compactMap { $0 }
            guard !lines.isEmpty else { return }
            charts.append((title, SVGChart.lines(id: id, title: title, description: describe(lines, unit), periods: labels, lines: lines, unit: unit)))
        }
        add("received", "Contacts received per \(per)\(busiest)\(countsNote)",
            channels.map { channel in channelLine(channel, missingIsZero: true, isCount: true) { Double($0.received) } }, count)
        for (index, channel) in queues.enumerated() {
            add("volumes-\(index)", "\(channel): received, answered and abandoned per \(per)\(countsNote)", [
                channelLine(channel, name: "received", missingIsZero: true, isCount: true) { Double($0.received) },
                channelLine(channel, name: "answered", isCount: true) { $0.answered.map(Double.init) },
                channelLine(channel, name: "abandoned", isCount: true) { $0.abandoned.map(Double.init) },
            ], count)
            add("times-\(index)", "\(channel): average time to answer and the 90th percentile per \(per)", [
                channelLine(channel, name: "average") { $0.asaSeconds },
                channelLine(channel, name: "90th pct") { $0.answerP90Seconds.map(Double.init) },
            ], time)
        }
        add("abandoned", "Calls abandoned per \(per)\(busiest)", queues.map { channel in channelLine(channel) { $0.abandonRate.map { $0 * 100 } } }, percent)
        let thresholds = queues.compactMap { channel in options.serviceLevelThresholds[channel].map { "\(channel) \(options.serviceLevelBoundary == .le ? "≤" : "<") \($0) s" } }
        add("service-level", "Service level per \(per)" + (thresholds.isEmpty ? "" : " (\(thresholds.joined(separator: ", ")))"),
            queues.map { channel in channelLine(channel) { $0.serviceLevel.map { $0 * 100 } } }, percent)

        // The Home Office bands of 999 answer times, as shares of each period's answered calls.
        let bands: [[Double]?] = periods.map { figures in
            guard let metrics = figures?.channel("999"), let under10 = metrics.answeredUnder10sShare,
                  let under60 = metrics.answered10To60sShare, let over60 = metrics.answered60sPlusShare else { return nil }
            return [under10, under60, over60]
        }
        if bands.contains(where: { $0 != nil }) {
            let measured = bands.compactMap { $0 }
            let title = "999 calls answered in under 10 s, in 10 to 60 s and after 60 s (Home Office bands), as shares of the calls "
                + "answered, per \(per) (the service level differs: an answer at exactly 10 s counts as within, and abandoned calls count)"
            let names = ["under 10 s", "10 to 60 s", "60 s or more"]
            let description = names.indices.map { part in
                "\(names[part]): from \(DisplayFormat.percentOneDecimal(measured.map { $0[part] }.min() ?? 0)) to \(DisplayFormat.percentOneDecimal(measured.map { $0[part] }.max() ?? 0))"
            }.joined(separator: "; ") + " of answered 999 calls across the periods."
            charts.append((title, SVGChart.stackedShares(id: "bands", title: title, description: description, periods: labels, parts: names, shares: bands)))
        }

        // The leading categories of each channel that has them (online reports: crime types, Covid), as shares.
        for (index, channel) in channels.enumerated() {
            var totals: [String: Int64] = [:]
            for figures in periods { for (category, count) in figures?.channel(channel)?.categories ?? [:] { totals[category, default: 0] += count } }
            totals = CategorySpellings.merged(totals)
            guard !totals.isEmpty else { continue }
            let leading = totals.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(4).map(\.key)
            let parts = leading + (totals.count > leading.count ? ["other"] : [])
            let shares: [[Double]?] = periods.map { figures in
                guard let metrics = figures?.channel(channel), metrics.received > 0 else { return nil }
                let counts = leading.map { Double(Comparison.categoryCount(metrics, $0)) }
                let named = counts.reduce(0, +)
                let all = Double(metrics.categories.reduce(0) { $0 + $1.value })
                guard all > 0 else { return nil }
                return (counts + (parts.count > leading.count ? [max(0, all - named)] : [])).map { $0 / all }
            }
            let title = "\(channel): leading categories, as shares of each \(per)'s contacts with a category"
            let description = leading.map { category in
                "\(category) \(DisplayFormat.percentOneDecimal(Double(totals[category]!) / Double(totals.values.reduce(0, +)))) overall"
            }.joined(separator: "; ") + "."
            charts.append((title, SVGChart.stackedShares(id: "categories-\(index)", title: title, description: description, periods: labels,
                                                         parts: parts, shares: shares)))
        }

        if hasIncidents {
            func incidentLine(_ name: String, _ value: @escaping (PeriodFigures?) -> Double?) -> SVGChart.Line? {
                line(name) { figures in figures?.isPartial == true ? nil : value(figures) }
            }
            add("incidents", "Incidents per \(per): raised, deployed and sent to partners\(countsNote)", [
                incidentLine("raised") { Double($0?.incidents?.incidents ?? 0) },
                incidentLine("deployed") { $0?.incidents?.deployed.map(Double.init) },
                incidentLine("to partners") { $0?.incidents?.referred.map(Double.init) },
            ], count)
        }
        guard !charts.isEmpty else { return "" }
        return "<section>\n<h2>Charts</h2>\n"
            + charts.map { "<figure>\n<figcaption>\(HTMLPage.escape($0.title))</figcaption>\n\($0.svg)</figure>\n" }.joined()
            + "</section>\n"
    }
}

extension Report {
    /// A heat map's count per hour: a small average keeps two decimals, so that a year of a few calls
    /// (0.02 a week) is not shown as 0.0 beside the hours that had none (0).
    static func averageCount(_ value: Double) -> String {
        switch value {
        case 0: "0"
        case ..<0.005: "<0.01"
        case ..<0.095: String(format: "%.2f", value)
        case ..<10: String(format: "%.1f", value)
        default: DisplayFormat.count(Int64(value.rounded()))
        }
    }

    /// Calls below this many in an hour of the week (over the whole report) give no abandonment rate there.
    static let fewestForAHeatMapRate: Int64 = 20

    /// The hour-of-week heat maps of `weeklyProfile`: arrivals of every channel, abandonment of each queue,
    /// each with its values in a folded table (the colours are never the only way to read them).
    func heatMaps() -> String {
        guard let profile = weeklyProfile, !profile.channels.isEmpty else { return "" }
        let perWeek = profile.weekdayCounts.allSatisfy { $0 > 0 }
        func hourName(_ index: Int) -> String {
            let hour = index % 24
            return "\(WeeklyProfile.weekdayNames[index / 24]) \(hour < 10 ? "0" : "")\(hour):00"
        }
        func table(_ values: [Double?], _ text: (Double) -> String) -> String {
            var html = "<details class=\"values\">\n<summary>The values</summary>\n<div class=\"scroll\">\n<table>\n<thead><tr><th></th>"
            for hour in 0..<24 { html += "<th class=\"n\">\(hour < 10 ? "0" : "")\(hour)</th>" }
            html += "</tr></thead>\n<tbody>\n"
            for weekday in 0..<7 {
                html += "<tr><th>\(WeeklyProfile.weekdayNames[weekday])</th>"
                for hour in 0..<24 { html += "<td class=\"n\">\(values[weekday * 24 + hour].map { HTMLPage.escape(text($0)) } ?? DisplayFormat.dash)</td>" }
                html += "</tr>\n"
            }
            return html + "</tbody>\n</table>\n</div>\n</details>\n"
        }
        func figure(_ id: String, _ title: String, _ values: [Double?], _ text: @escaping (Double) -> String, what: String) -> String {
            let indexed = values.enumerated().compactMap { index, value in value.map { (index, $0) } }
            guard let most = indexed.max(by: { ($0.1, $1.0) < ($1.1, $0.0) }), let least = indexed.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return "" }
            let description = "\(what) by hour of the week. Highest: \(hourName(most.0)), \(text(most.1)); lowest: \(hourName(least.0)), \(text(least.1))"
                + (indexed.count < values.count ? "; \(values.count - indexed.count) hours have too few calls to say." : ".")
            return "<figure>\n<figcaption>\(HTMLPage.escape(title))</figcaption>\n"
                + SVGChart.heatMap(id: id, title: title, description: description, values: values, scale: text)
                + table(values, text) + "</figure>\n"
        }
        var html = "<section>\n<h2>When people call</h2>\n<p class=\"note\">Local time, \(HTMLPage.escape(timeZone)); every hour of the "
            + "report\(perWeek ? ", as an average week" : ""). Darker is more; a grey cell with a cross has too few calls to give a rate.</p>\n"
        for (index, channel) in profile.channels.enumerated() {
            let received: [Double?] = channel.received.enumerated().map { hour, count in
                perWeek ? Double(count) / Double(profile.weekdayCounts[hour / 24]) : Double(count)
            }
            let unit = perWeek ? "average per week" : "in all"
            html += figure("arrivals-\(index)", "\(channel.name): contacts received by hour of the week (\(unit))", received,
                           Self.averageCount, what: "\(channel.name) contacts received \(unit)")
            guard !channel.isSubmission, channel.abandoned.contains(where: { $0 > 0 }) else { continue }
            let rates: [Double?] = zip(channel.abandoned, channel.offered).map { abandoned, offered in
                offered >= Self.fewestForAHeatMapRate ? Double(abandoned) / Double(offered) * 100 : nil
            }
            let decimals = (rates.compactMap { $0 }.max() ?? 0) < 10 ? 1 : 0  // 999's rates are a few per cent
            html += figure("abandonment-\(index)", "\(channel.name): share of calls abandoned by hour of the week", rates,
                           { String(format: "%.\(decimals)f%%", $0) }, what: "\(channel.name) calls abandoned")
        }
        return html + "</section>\n"
    }
}
