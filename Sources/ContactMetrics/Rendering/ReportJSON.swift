/// JSON shapes of DESIGN §4, shared by `report` and `compare`.
enum ReportJSON {
    /// The metrics a channel's object holds: a submission channel (online reports) has no queue, only
    /// its count.
    static func shownMetrics(_ metrics: ChannelMetrics) -> [MetricDefinition] {
        metrics.isSubmission ? [MetricDefinition.received] : MetricDefinition.all
    }

    /// A channel's metrics and categories (`Report.writeCSV` and `period(_:level:)` write the same
    /// members, in this order).
    static func channel(_ metrics: ChannelMetrics) -> JSONValue {
        var members = shownMetrics(metrics).map { ($0.id, $0.value(metrics) ?? .null) }
        if !metrics.categories.isEmpty { members.append(("categories", .counts(metrics.categories.dictionary))) }
        if showsCategoryNotGiven(metrics) { members.append((categoryNotGivenKey, .integer(metrics.categoryNotGiven))) }
        return .object(members)
    }

    /// The member that says how many of a channel's contacts came from exports with no category column, so
    /// that a share worked out from `categories` has the right denominator (`ChannelMetrics.categorised`).
    static let categoryNotGivenKey = "category_not_given"

    /// Given beside categories only: with none, no share is worked out.
    static func showsCategoryNotGiven(_ metrics: ChannelMetrics) -> Bool {
        !metrics.categories.isEmpty && metrics.categoryNotGiven > 0
    }

    static func incidents(_ metrics: IncidentMetrics) -> JSONValue {
        .object([
            ("incidents", .integer(metrics.incidents)),
            ("deployed", .optional(metrics.deployed)),
            ("referred", .optional(metrics.referred)),
            ("referred_by_agency", .counts(metrics.referredByAgency)),
        ])
    }

    /// Every metric's member name, made JSON once.
    private static let allMetricKeys = MetricDefinition.all.map { JSONStreamWriter.encodedKey($0.id) }

    /// A period's object, `level` levels deep, as the `JSONValue` of `Report.json()` serializes it, written
    /// as it goes.
    /// `hasContacts`: false when the run read only incidents (`total_contacts` is then null).
    static func period(_ figures: PeriodFigures, level: Int, hasContacts: Bool = true) -> String {
        var writer = JSONStreamWriter(level: level)
        writer.beginObject()
        writer.key("label"); writer.string(figures.label)
        writer.key("start"); writer.string(figures.start)
        writer.key("end"); writer.string(figures.end)
        writer.key("partial"); writer.value(.bool(figures.isPartial))
        if figures.takesInARepeatedHour { writer.key("repeated_hour"); writer.value(.bool(true)) }
        writer.key("channels")
        writer.beginObject()
        for metrics in figures.channels {
            writer.key(metrics.channel)
            writer.beginObject()
            let definitions = shownMetrics(metrics)
            // All of them, or a submission channel's count alone.
            let keys = definitions.count == MetricDefinition.all.count ? allMetricKeys : definitions.map { JSONStreamWriter.encodedKey($0.id) }
            for (definition, key) in zip(definitions, keys) {
                writer.key(encoded: key)
                writer.value(definition.value(metrics) ?? .null)
            }
            if !metrics.categories.isEmpty {
                writer.key("categories")
                writer.beginObject()
                for (label, count) in metrics.categories {  // in order of label
                    writer.key(label)
                    writer.integer(count)
                }
                writer.endObject()
            }
            if showsCategoryNotGiven(metrics) {
                writer.key(categoryNotGivenKey)
                writer.integer(metrics.categoryNotGiven)
            }
            writer.endObject()
        }
        writer.endObject()
        writer.key("total_contacts")
        if hasContacts { writer.integer(figures.totalContacts) } else { writer.value(.null) }
        if let incidents = figures.incidents {
            writer.key("incidents"); writer.value(Self.incidents(incidents))
        }
        writer.endObject()
        return writer.text
    }

    /// The members every period or window object shares: channels, total_contacts, incidents.
    static func figures(_ figures: PeriodFigures) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("channels", .object(figures.channels.map { ($0.channel, channel($0)) })),
            ("total_contacts", .integer(figures.totalContacts)),
        ]
        if let incidents = figures.incidents { members.append(("incidents", Self.incidents(incidents))) }
        return members
    }

    static func ledger(_ ledger: Ledger) -> JSONValue {
        .object([
            ("rows_read", .integer(Int64(ledger.rowsRead))),
            ("rows_accepted", .integer(Int64(ledger.rowsAccepted))),
            ("rows_rejected", .integer(Int64(ledger.rowsRejected))),
            ("rows_skipped", .integer(Int64(ledger.rowsSkipped))),
            ("rejected_by_reason", .counts(ledger.rejectedByReason)),
            ("skipped_by_reason", .counts(ledger.skippedByReason)),
            ("duplicate_ids", .integer(Int64(ledger.duplicateIds))),
            ("sources_without_ids", .integer(Int64(ledger.sourcesWithoutIds))),
            ("blank_lines", .integer(Int64(ledger.blankLines))),
            ("repeated_local_times", .integer(Int64(ledger.repeatedLocalTimes))),
            ("skipped_local_times", .integer(Int64(ledger.skippedLocalTimes))),
            ("paired_across_clock_change", .integer(Int64(ledger.pairedAcrossClockChange))),
            ("invalid_utf8_lines", .integer(Int64(ledger.invalidUTF8Lines))),
            ("minute_resolution_sources", .integer(Int64(ledger.minuteResolutionSources))),
            ("date_order_judged", ledger.judgedDateOrdersDiffer ? .string("mixed") : ledger.judgedDateOrder.map { .string($0.rawValue) } ?? .null),
            ("open_calls", .integer(Int64(ledger.openCalls))),
            ("sources", .array(ledger.sources.map { source in
                .object([
                    ("path", .string(source.path)),
                    ("kind", .string(source.kind.rawValue)),
                    ("rows_read", .integer(Int64(source.rowsRead))),
                    ("rows_accepted", .integer(Int64(source.rowsAccepted))),
                    ("rows_rejected", .integer(Int64(source.rowsRejected))),
                    ("rows_skipped", .integer(Int64(source.rowsSkipped))),
                ])
            })),
        ])
    }

    static func options(_ options: MetricOptions) -> JSONValue {
        .object([
            ("short_abandon_seconds", .integer(options.shortAbandonSeconds)),
            ("service_level_formula", .string(options.serviceLevelFormula.rawValue)),
            ("service_level_boundary", .string(options.serviceLevelBoundary.rawValue)),
            ("percentile_waits", .string(options.percentileWaits.rawValue)),
            ("max_plausible_wait_seconds", options.plausibleWaitSeconds.map(JSONValue.integer) ?? .null),
            ("service_level_thresholds", .counts(options.serviceLevelThresholds)),
            ("submission_channels", .array(options.submissionChannels.sorted().map(JSONValue.string))),
        ])
    }
}

extension Report {
    /// `--format json` (schema `contact-metrics/report/1`), written a period at a time.
    public func writeJSON(to sink: inout some TextSink) throws {
        let head: [(String, JSONValue)] = [
            ("schema", .string("contact-metrics/report/1")),
            ("time_zone", .string(timeZone)),
            ("period", .string(period.rawValue)),
            ("options", ReportJSON.options(options)),
        ]
        let targets: [(String, JSONValue)] = targetReview == nil ? [] : [("targets", .null)]
        let cautions: [(String, JSONValue)] = self.cautions.isEmpty ? [] : [("cautions", .array(self.cautions.map(JSONValue.string)))]
        try JSONValue.writeObject(head + [("periods", .array([]))] + targets + [("ledger", ReportJSON.ledger(ledger))] + cautions, to: &sink) { key, sink in
            // The periods and the targets' checks are written element by element in place of their placeholders.
            if key == "targets", let targetReview {
                try targetReview.writeJSON(to: &sink)
                return true
            }
            guard key == "periods" else { return false }
            guard periodCount > 0 else { try sink.write("[]"); return true }
            try sink.write("[\n")
            var index = 0
            try forEachPeriod { figures in
                index += 1
                try sink.write(JSONValue.indent(2) + ReportJSON.period(figures, level: 2, hasContacts: hasContacts) + (index < periodCount ? ",\n" : "\n"))
            }
            try sink.write(JSONValue.indent(1) + "]")
            return true
        }
    }

    /// The whole JSON document as a value (tests; `writeJSON` streams the same text).
    public func json() -> JSONValue {
        .object([
            ("schema", .string("contact-metrics/report/1")),
            ("time_zone", .string(timeZone)),
            ("period", .string(period.rawValue)),
            ("options", ReportJSON.options(options)),
            ("periods", .array(periods.map { figures in
                .object([("label", .string(figures.label)), ("start", .string(figures.start)), ("end", .string(figures.end)),
                         ("partial", .bool(figures.isPartial))] + ReportJSON.figures(figures))
            })),
        ] + (targetReview.map { [("targets", $0.json())] } ?? []) + [
            ("ledger", ReportJSON.ledger(ledger)),
        ])
    }
}
