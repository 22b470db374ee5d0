import ContactMetrics

/// `store info`: the store's size, sources and cells, and per channel the first and last local day with
/// data and the days between them without any, so that a missing export shows instead of reading as a
/// day of no contacts.
struct StoreSummary {
    struct Channel {
        var name: String
        var firstDay: Int64
        var lastDay: Int64
        var cells: Int64
        var daysWithData: Int
        /// Runs of days inside first…last with no stored cell of the channel.
        var missing: [ClosedRange<Int64>]

        var missingDays: Int64 { missing.reduce(0) { $0 + $1.upperBound - $1.lowerBound + 1 } }
    }

    var path: String
    var schemaVersion: Int
    var bytes: Int64
    var sources: Int
    var contactCells: Int64
    var incidentCells: Int64
    var zone: String
    var channels: [Channel]
    /// Stretches with no contact stored in channels that have contacts around the clock (`ContactStore.unusualGaps`):
    /// an export that never came, which leaves no day without data when the exports are cut at UTC midnight in summer.
    var unusualGaps: [CoverageGap]
    /// Sources holding the same contacts as another (`ContactStore.sourcesCountedTwice`), which `ingest` warned of.
    var countedTwice: [SourcesCountedTwice]

    init(_ store: ContactStore, zone: TimeZoneRules) throws(StoreError) {
        path = store.path
        schemaVersion = Int(store.version)
        bytes = try store.sizeInBytes()
        sources = try store.sources().count
        let coverage = try store.coverage()
        contactCells = coverage.filter { $0.channel != "incidents" }.reduce(0) { $0 + $1.cells }
        incidentCells = coverage.first { $0.channel == "incidents" }?.cells ?? 0
        self.zone = zone.identifier
        let days = try store.daysWithData(zone: zone)
        unusualGaps = try store.unusualGaps()
        countedTwice = try store.sourcesCountedTwice()
        channels = coverage.compactMap { entry in
            guard let channelDays = days[entry.channel], let first = channelDays.first, let last = channelDays.last else { return nil }
            return Channel(name: entry.channel, firstDay: first, lastDay: last, cells: entry.cells, daysWithData: channelDays.count,
                           missing: Self.gaps(channelDays))
        }
    }

    /// The runs of days missing between consecutive days of `days` (ascending).
    static func gaps(_ days: [Int64]) -> [ClosedRange<Int64>] {
        zip(days, days.dropFirst()).compactMap { earlier, later in later > earlier + 1 ? (earlier + 1)...(later - 1) : nil }
    }

    static func day(_ day: Int64) -> String { CivilDate(daysSinceEpoch: day).description }

    static func range(_ run: ClosedRange<Int64>) -> String {
        run.count == 1 ? day(run.lowerBound) : "\(day(run.lowerBound))..\(day(run.upperBound))"
    }

    func text() -> String {
        var text = "Store \(path): schema \(schemaVersion)\(schemaVersion < ContactStore.schemaVersion ? " (brought to \(ContactStore.schemaVersion) by the next ingest)" : ""), \(DisplayFormat.count(bytes)) bytes, "
        text += "\(sources) source\(sources == 1 ? "" : "s"), \(DisplayFormat.count(contactCells)) contact cells, "
        text += "\(DisplayFormat.count(incidentCells)) incident cells\n"
        guard !channels.isEmpty else { return text + "No data yet.\n" }
        let rows = channels.map { channel -> [String] in
            var missing = channel.missing.isEmpty ? "none" : DisplayFormat.count(channel.missingDays)
            if !channel.missing.isEmpty {
                let shown = channel.missing.prefix(3).map(Self.range).joined(separator: ", ")
                missing += ": " + shown + (channel.missing.count > 3 ? ", … (\(channel.missing.count) gaps; --format json lists them)" : "")
            }
            return [channel.name, Self.day(channel.firstDay), Self.day(channel.lastDay), DisplayFormat.count(channel.cells), missing]
        }
        text += "\nCoverage (local dates, \(zone)):\n"
        text += TextTable(header: ["Channel", "First day", "Last day", "Cells", "Days without data"], rows: rows, rightAligned: [3]).plain()
        if channels.contains(where: { !$0.missing.isEmpty }) {
            text += "\nA day without data between the first and last is a missing export or a day the channel was closed; "
                + "tables leave it out, charts show it as no contacts, --targets judges it not measured.\n"
        }
        if !unusualGaps.isEmpty {
            text += "\nNo contact stored, in channels that have contacts around the clock (a missing export?):\n"
            for gap in unusualGaps {
                text += "  \(DisplayFormat.utcTime(gap.from)) to \(DisplayFormat.utcTime(gap.to)) (\(gap.length)): \(DisplayFormat.list(gap.channels))\n"
            }
        }
        if !countedTwice.isEmpty {
            text += "\nSources that hold the same contacts as another, counted twice (as ingest warned):\n"
            for pair in countedTwice {
                text += "  \(Escaping.visible(pair.name)) and \(Escaping.visible(pair.other)): \(pair.shownCount) \(pair.shared == nil ? "incidents" : "contacts")"
                    + (pair.atTheEdge ? " (exports that overlap at their edge)" : "") + "\n"
            }
            text += "Take a copy out ('contact-metrics store remove NAME --store \(path)'); exports that overlap at their edge hold other "
                + "contacts too: export one without the overlap and ingest that in its place.\n"
        }
        return text
    }

    /// `store info --format json` (schema `contact-metrics/store-info/1`).
    func json() -> JSONValue {
        .object([
            ("schema", .string("contact-metrics/store-info/1")),
            ("store", .string(path)),
            ("schema_version", .integer(Int64(schemaVersion))),
            ("bytes", .integer(bytes)),
            ("sources", .integer(Int64(sources))),
            ("contact_cells", .integer(contactCells)),
            ("incident_cells", .integer(incidentCells)),
            ("time_zone", .string(zone)),
            ("unusual_gaps", .array(unusualGaps.map { gap in
                .object([("from", .string(DisplayFormat.utcTime(gap.from))), ("to", .string(DisplayFormat.utcTime(gap.to))),
                         ("channels", .array(gap.channels.map { .string($0) }))])
            })),
            ("counted_twice", .array(countedTwice.map { pair in
                .object([("source", .string(pair.name)), ("same_contacts_as", .string(pair.other)), ("contacts", .integer(pair.contacts)),
                         ("at_the_edge", .bool(pair.atTheEdge))])
            })),
            ("channels", .array(channels.map { channel in
                .object([
                    ("channel", .string(channel.name)),
                    ("first_day", .string(Self.day(channel.firstDay))),
                    ("last_day", .string(Self.day(channel.lastDay))),
                    ("cells", .integer(channel.cells)),
                    ("days_with_data", .integer(Int64(channel.daysWithData))),
                    ("days_without_data", .integer(channel.missingDays)),
                    ("gaps", .array(channel.missing.map { run in
                        .object([("from", .string(Self.day(run.lowerBound))), ("to", .string(Self.day(run.upperBound))),
                                 ("days", .integer(Int64(run.count)))])
                    })),
                ])
            })),
        ])
    }
}
