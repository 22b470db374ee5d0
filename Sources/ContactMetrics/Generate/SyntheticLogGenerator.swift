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
        /// Contact rows that repeat an earlier row's id (`ExportShape.duplicates`).
        public var duplicateRows = 0
    }

    public typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    public let profile: Profile
    public let seed: UInt64
    public let rows: Int
    public let scale: Double
    public let shape: ExportShape

    /// - Parameters:
    ///   - rows: contact rows for `uniform` (incidents: a twentieth of that).
    ///   - scale: volume multiplier for `hampshire-cmp` (1 reproduces the published figures).
    ///   - shape: how `uniform` lays out its contacts; `hampshire-cmp` takes only the default shape.
    public init(profile: Profile, seed: UInt64 = 2020, rows: Int = 1_000_000, scale: Double = 1, shape: ExportShape = ExportShape()) {
        precondition(profile == .uniform || shape == ExportShape(), "only the uniform profile takes an export shape")
        precondition(shape.files >= 1 && shape.fillerColumns >= 0 && (0...1).contains(shape.duplicates), "not a valid export shape")
        self.profile = profile
        self.seed = seed
        self.rows = rows
        self.scale = scale
        self.shape = shape
    }

    /// Writes the contacts CSV and then the incidents CSV (a shape of one contacts file).
    public func write(contacts: @escaping Sink, incidents: @escaping Sink) throws -> Summary {
        precondition(shape.files == 1, "several contacts files need write(contactFile:incidents:)")
        return try write(contactFile: { _ in contacts }, incidents: incidents)
    }

    /// Writes the contacts, `shape.files` files in time order, then the incidents CSV.
    /// - Parameter contactFile: the sink of contacts file `index` (from 0), called as that file starts.
    public func write(contactFile: (_ index: Int) throws -> Sink, incidents: @escaping Sink) throws -> Summary {
        let london = try TimeZoneRules(identifier: "Europe/London")
        switch profile {
        case .uniform:
            return try UniformProfile(seed: seed, rows: rows, zone: london, shape: shape).write(contactFile: contactFile, incidents: incidents)
        case .hampshireCMP:
            return try HampshireProfile(seed: seed, scale: scale, zone: london).write(contacts: contactFile(0), incidents: incidents)
        }
    }
}

let contactsHeader = contactsColumns.joined(separator: ",") + "\n"
let contactsColumns = ["contact_id", "channel", "arrived_at", "answered_at", "ended_at", "outcome", "category"]
let incidentsHeader = incidentsColumns.joined(separator: ",") + "\n"
let incidentsColumns = ["incident_id", "raised_at", "deployed", "referred_to"]
