/// `generate --profile uniform`: benchmark input. Arrivals are spread evenly over 2019–2020 in time
/// order; channels, outcomes, waits and categories are mixed like a real export (≈ 100 bytes a row,
/// ~2% of rows with a quoted category holding a comma).
struct UniformProfile {
    let seed: UInt64
    let rows: Int
    let zone: TimeZoneRules

    private static let start: Int64 = 1_546_300_800  // 2019-01-01T00:00:00Z
    private static let end: Int64 = 1_609_459_200  // 2021-01-01T00:00:00Z
    private static let channels = WellKnownChannels.all
    private static let channelWeights = [0.25, 0.45, 0.15, 0.15]
    private static let meanWaits = [8.0, 150.0, 0, 45.0]
    private static let categories = ["covid", "theft", "fraud", "antisocial behaviour", "criminal damage, vehicle"]
    private static let categoryWeights = [0.3, 0.25, 0.2, 0.12, 0.13]

    func write(contacts: @escaping SyntheticLogGenerator.Sink, incidents: @escaping SyntheticLogGenerator.Sink) throws -> SyntheticLogGenerator.Summary {
        var random = SplitMix64(seed: seed)
        var summary = SyntheticLogGenerator.Summary()
        var writer = CSVByteWriter(zone: zone, sink: contacts)
        writer.text(contactsHeader)
        let step = Double(Self.end - Self.start) / Double(max(rows, 1))
        for row in 0..<rows {
            let arrived = Self.start + Int64(Double(row) * step + random.unit() * step)
            let channel = random.index(weights: Self.channelWeights)
            writer.integer(row + 1); writer.comma()
            writer.text(Self.channels[channel]); writer.comma()
            writer.timestamp(utcSeconds: arrived); writer.comma()
            if Self.channels[channel] == "online" {
                writer.comma(); writer.comma(); writer.comma()
                writer.field(Self.categories[random.index(weights: Self.categoryWeights)])
            } else {
                let wait = Int64(random.exponential(mean: Self.meanWaits[channel]))
                let roll = random.unit()
                if roll < 0.80 {
                    writer.timestamp(utcSeconds: arrived + wait); writer.comma()
                    writer.timestamp(utcSeconds: arrived + wait + 30 + Int64(random.exponential(mean: 300))); writer.comma()
                    writer.text("answered"); writer.comma()
                } else if roll < 0.98 {
                    writer.comma()
                    writer.timestamp(utcSeconds: arrived + wait); writer.comma()
                    writer.text("abandoned"); writer.comma()
                } else {
                    writer.timestamp(utcSeconds: arrived + wait); writer.comma()
                    writer.timestamp(utcSeconds: arrived + wait + 60); writer.comma()
                    writer.text("transferred"); writer.comma()
                }
            }
            try writer.endRow()
        }
        try writer.flush()
        summary.contactRows = rows

        var incidentWriter = CSVByteWriter(zone: zone, sink: incidents)
        incidentWriter.text(incidentsHeader)
        let incidentRows = rows / 20
        let incidentStep = Double(Self.end - Self.start) / Double(max(incidentRows, 1))
        for row in 0..<incidentRows {
            incidentWriter.integer(row + 1); incidentWriter.comma()
            incidentWriter.timestamp(utcSeconds: Self.start + Int64(Double(row) * incidentStep + random.unit() * incidentStep)); incidentWriter.comma()
            incidentWriter.text(random.unit() < 0.4 ? "yes" : "no"); incidentWriter.comma()
            let referral = random.unit()
            incidentWriter.text(referral < 0.9 ? "none" : referral < 0.95 ? "Local Authorities" : "Social Services")
            try incidentWriter.endRow()
        }
        try incidentWriter.flush()
        summary.incidentRows = incidentRows
        return summary
    }
}
