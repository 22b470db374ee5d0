/// `generate --profile uniform`: benchmark input. Arrivals are spread evenly over 2019–2020 in time
/// order; channels, outcomes, waits and categories are mixed like a real export (≈ 100 bytes a row,
/// ~2% of rows with a quoted category holding a comma).
struct UniformProfile {
    let seed: UInt64
    let rows: Int
    let zone: TimeZoneRules
    let shape: ExportShape

    private static let start: Int64 = 1_546_300_800  // 2019-01-01T00:00:00Z
    private static let end: Int64 = 1_609_459_200  // 2021-01-01T00:00:00Z
    private static let channels = WellKnownChannels.all
    private static let channelWeights = [0.25, 0.45, 0.15, 0.15]
    private static let meanWaits = [8.0, 150.0, 0, 45.0]
    private static let categories = ["covid", "theft", "fraud", "antisocial behaviour", "criminal damage, vehicle"]
    private static let categoryWeights = [0.3, 0.25, 0.2, 0.12, 0.13]

    /// Writes the contacts in `shape.files` files (rows split evenly, in time order), then the incidents.
    func write(contactFile: (Int) throws -> SyntheticLogGenerator.Sink, incidents: @escaping SyntheticLogGenerator.Sink) throws -> SyntheticLogGenerator.Summary {
        // The shape draws from its own streams (ids, filler), never from `random`: every shape of a
        // seed holds the same contacts, and the same incidents after them.
        var random = SplitMix64(seed: seed)
        var summary = SyntheticLogGenerator.Summary()
        summary.duplicateRows = shape.duplicateRows(of: rows)
        var ids = ContactIds(style: shape.ids, seed: seed, rows: rows, duplicateRows: summary.duplicateRows)
        var writer = CSVByteWriter(zone: zone, shape: shape, sink: { _ in })
        var filler = FillerColumns(count: shape.fillerColumns, seed: seed, writer: writer)
        let channels = Self.channels.map(writer.encoded)
        let categories = Self.categories.map(writer.encoded)
        let answered = writer.encoded("answered"), abandoned = writer.encoded("abandoned"), transferred = writer.encoded("transferred")
        let step = Double(Self.end - Self.start) / Double(max(rows, 1))
        var file = -1, fileEnd = 0
        for row in 0..<rows {
            while row == fileEnd {
                if file >= 0 { try writer.flush() }
                file += 1
                fileEnd = rows * (file + 1) / shape.files
                writer = CSVByteWriter(zone: zone, shape: shape, sink: try contactFile(file))
                writer.header(contactsColumns + filler.names)
            }
            let arrived = Self.start + Int64(Double(row) * step + random.unit() * step)
            let channel = random.index(weights: Self.channelWeights)
            ids.write(arrivedUTC: arrived, to: &writer); writer.comma()
            writer.bytes(channels[channel]); writer.comma()
            writer.timestampField(utcSeconds: arrived); writer.comma()
            if Self.channels[channel] == "online" {
                writer.emptyField(); writer.comma(); writer.emptyField(); writer.comma(); writer.emptyField(); writer.comma()
                writer.bytes(categories[random.index(weights: Self.categoryWeights)])
            } else {
                let wait = Int64(random.exponential(mean: Self.meanWaits[channel]))
                let roll = random.unit()
                if roll < 0.80 {
                    writer.timestampField(utcSeconds: arrived + wait); writer.comma()
                    writer.timestampField(utcSeconds: arrived + wait + 30 + Int64(random.exponential(mean: 300))); writer.comma()
                    writer.bytes(answered); writer.comma()
                } else if roll < 0.98 {
                    writer.emptyField(); writer.comma()
                    writer.timestampField(utcSeconds: arrived + wait); writer.comma()
                    writer.bytes(abandoned); writer.comma()
                } else {
                    writer.timestampField(utcSeconds: arrived + wait); writer.comma()
                    writer.timestampField(utcSeconds: arrived + wait + 60); writer.comma()
                    writer.bytes(transferred); writer.comma()
                }
                writer.emptyField()
            }
            filler.write(to: &writer)
            try writer.endRow()
        }
        // Files left without rows (more files than rows) still get their header.
        while file + 1 < shape.files {
            try writer.flush()
            file += 1
            writer = CSVByteWriter(zone: zone, shape: shape, sink: try contactFile(file))
            writer.header(contactsColumns + filler.names)
        }
        try writer.flush()
        summary.contactRows = rows

        // Incidents take the shape's quoting, line endings and timestamps; ids, filler and files are the contacts'.
        var incidentWriter = CSVByteWriter(zone: zone, shape: shape, sink: incidents)
        incidentWriter.header(incidentsColumns)
        let yes = incidentWriter.encoded("yes"), no = incidentWriter.encoded("no")
        let referrals = ["none", "Local Authorities", "Social Services"].map(incidentWriter.encoded)
        let incidentRows = rows / 20
        let incidentStep = Double(Self.end - Self.start) / Double(max(incidentRows, 1))
        for row in 0..<incidentRows {
            incidentWriter.openField(); incidentWriter.integer(row + 1); incidentWriter.closeField(); incidentWriter.comma()
            incidentWriter.timestampField(utcSeconds: Self.start + Int64(Double(row) * incidentStep + random.unit() * incidentStep)); incidentWriter.comma()
            incidentWriter.bytes(random.unit() < 0.4 ? yes : no); incidentWriter.comma()
            let referral = random.unit()
            incidentWriter.bytes(referrals[referral < 0.9 ? 0 : referral < 0.95 ? 1 : 2])
            try incidentWriter.endRow()
        }
        try incidentWriter.flush()
        summary.incidentRows = incidentRows
        return summary
    }
}
