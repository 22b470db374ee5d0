/// Deterministic synthetic logs (`contact-metrics generate`): the same profile, seed and size always
/// give byte-identical files.
public struct SyntheticLogGenerator: Sendable {
    public enum Profile: String, CaseIterable, Sendable {
        /// Contacts and incidents, April 2019 – May 2020, calibrated to the published Hampshire table.
        case hampshireCMP = "hampshire-cmp"
        /// `rows` contacts spread evenly over 2019–2020, for benchmarks (≈ 100 bytes a row).
        case uniform
    }

    /// What was written.
    public struct Summary: Sendable {
        public var contactRows = 0
        public var incidentRows = 0
        /// Rows written to be rejected (bad dates, missing fields…): realistic noise, not in any figure.
        public var badRows = 0
    }

    public typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    public let profile: Profile
    public let seed: UInt64
    public let rows: Int
    public let scale: Double

    /// - Parameters:
    ///   - rows: contact rows for `uniform` (incidents: a twentieth of that).
    ///   - scale: volume multiplier for `hampshire-cmp` (1 reproduces the published figures).
    public init(profile: Profile, seed: UInt64 = 2020, rows: Int = 1_000_000, scale: Double = 1) {
        self.profile = profile
        self.seed = seed
        self.rows = rows
        self.scale = scale
    }

    /// Writes the contacts CSV and then the incidents CSV.
    public func write(contacts: @escaping Sink, incidents: @escaping Sink) throws -> Summary {
        let london = try TimeZoneRules(identifier: "Europe/London")
        switch profile {
        case .uniform:
            return try UniformProfile(seed: seed, rows: rows, zone: london).write(contacts: contacts, incidents: incidents)
        case .hampshireCMP:
            return try HampshireProfile(seed: seed, scale: scale, zone: london).write(contacts: contacts, incidents: incidents)
        }
    }
}

let contactsHeader = "contact_id,channel,arrived_at,answered_at,ended_at,outcome,category\n"
let incidentsHeader = "incident_id,raised_at,deployed,referred_to\n"
