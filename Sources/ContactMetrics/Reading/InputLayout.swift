/// What an input file holds.
public enum InputKind: String, Sendable, CaseIterable {
    case contacts
    case incidents
    case queueLog = "queue-log"
}

/// Column positions of a contacts CSV (DESIGN §3.1); optional columns are nil when absent.
struct ContactColumns: Sendable, Equatable {
    var contactId: Int?
    var channel: Int
    var arrivedAt: Int
    var answeredAt: Int?
    var endedAt: Int?
    var outcome: Int?
    var category: Int?
    /// After-call work in seconds (optional; AHT with wrap-up).
    var wrapUpSeconds: Int? = nil
}

/// Column positions of an incidents CSV (DESIGN §3.2).
struct IncidentColumns: Sendable, Equatable {
    var incidentId: Int?
    var raisedAt: Int
    var deployed: Int?
    var referredTo: Int?
}

/// The shape of one CSV input, decided from its header.
struct InputLayout: Sendable, Equatable {
    enum Columns: Sendable, Equatable {
        case contacts(ContactColumns)
        case incidents(IncidentColumns)
        /// Contacts read through a mapping config (`--config`).
        case mapped(MappedColumns)
        /// Asterisk queue_log lines (no header).
        case queueLog(QueueLogLayout)
    }

    var columns: Columns
    var columnCount: Int
    var headerNames: [String]
    var delimiter: FieldDelimiter = .byte(ASCII.comma)
    /// Whether `delimiter` was judged from the header line (not a comma, not chosen): the run says so.
    var delimiterWasJudged = false
    /// JSON records: the config's members that none of the file's first records has (`JSONMemberSample`).
    var absentMembers: [String] = []
    /// JSON records (`JSONRecordScanner`), whose `headerNames` are the paths the config names.
    var isJSON = false
    /// JSON records one per line (JSON Lines; a later one may run over lines, `JSONRecordLines`): blocks
    /// may be cut before any line that starts with `{`. Otherwise (objects one after another, or spread
    /// over lines from the first) blocks end after a whole object: range reading guesses where
    /// (`RangeReader`, checked by the decoder), the streaming reader finds it
    /// (`JSONRecordScanner.lastObjectEnd`).
    var isJSONLines = false

    /// Whether the file has no id column (`contact_id`, `incident_id`, or none mapped), so that a row given twice
    /// cannot be found: the run says so rather than claim no duplicate.
    var lacksIdColumn: Bool {
        switch columns {
        case .contacts(let columns): return columns.contactId == nil
        case .incidents(let columns): return columns.incidentId == nil
        case .mapped(let columns): return columns.contactId.isEmpty
        case .queueLog: return false
        }
    }

    var kind: InputKind {
        switch columns {
        case .contacts, .mapped: return .contacts
        case .incidents: return .incidents
        case .queueLog: return .queueLog
        }
    }

    /// One past the last column the decoder reads: the scanner only counts the fields after it.
    var neededFieldCount: Int {
        switch columns {
        case .contacts(let c):
            return 1 + [c.contactId, c.channel, c.arrivedAt, c.answeredAt, c.endedAt, c.outcome, c.category, c.wrapUpSeconds].compactMap { $0 }.max()!
        case .incidents(let c):
            return 1 + [c.incidentId, c.raisedAt, c.deployed, c.referredTo].compactMap { $0 }.max()!
        case .mapped(let columns):
            return columns.usedColumnCount
        case .queueLog:
            return columnCount
        }
    }

    /// No quoted newlines: records end at every newline (JSON Lines: before every line that starts with
    /// `{`, `JSONRecordLines`).
    var isLineBased: Bool {
        if case .queueLog = columns { return true }
        if isJSON { return isJSONLines }
        return delimiter == .whitespace
    }

    /// The delimiter of a layout whose fields may be quoted (RFC 4180); nil when every newline ends a record.
    var quotingDelimiter: UInt8? {
        if isLineBased { return nil }
        if case .byte(let byte) = delimiter { return byte }
        return nil
    }

    /// Matches header names case-insensitively in any order; extra columns are ignored.
    /// - Throws: `InputError.unknownKind` or `.missingColumns`.
    static func detect(header: [String], path: String, forcedKind: InputKind?,
                       mapping: MappingConfig? = nil, delimiter: FieldDelimiter? = nil) throws(InputError) -> InputLayout {
        // A second byte order mark (a tool that wrote one before text that began with one) is not part of the name.
        let names = header.map { name in
            var name = Substring(name.trimmingASCIISpaces())
            while name.hasPrefix("\u{FEFF}") { name.removeFirst() }
            return String(name).trimmingASCIISpaces().lowercased()
        }
        let used: Set<String> = ["contact_id", "channel", "arrived_at", "answered_at", "ended_at", "outcome", "category",
                                 "incident_id", "raised_at", "deployed", "referred_to"]
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted && used.contains(name) && mapping == nil {
            throw .unsupported(path: path, reason: "the header names column \(name) twice; which one holds the data is ambiguous")
        }
        func index(_ name: String) -> Int? { names.firstIndex(of: name) }
        let delimiter = delimiter ?? mapping?.delimiter ?? .byte(ASCII.comma)
        if let mapping, forcedKind != .incidents, forcedKind == .contacts || index("raised_at") == nil {
            let columns = try MappedColumns(mapping: mapping, headerNames: names, path: path)
            return InputLayout(columns: .mapped(columns), columnCount: names.count, headerNames: names, delimiter: delimiter)
        }
        let kind: InputKind
        if let forcedKind {
            kind = forcedKind
        } else if index("arrived_at") != nil || index("channel") != nil {
            kind = .contacts
        } else if index("raised_at") != nil {
            kind = .incidents
        } else {
            throw .unknownKind(path: path, header: header)
        }
        switch kind {
        case .contacts:
            let missing = ["channel", "arrived_at"].filter { index($0) == nil }
            guard missing.isEmpty, let channel = index("channel"), let arrivedAt = index("arrived_at") else {
                throw .missingColumns(path: path, kind: "contacts", columns: missing)
            }
            let columns = ContactColumns(
                contactId: index("contact_id"), channel: channel, arrivedAt: arrivedAt,
                answeredAt: index("answered_at"), endedAt: index("ended_at"),
                outcome: index("outcome"), category: index("category"), wrapUpSeconds: index("wrap_up_seconds"))
            return InputLayout(columns: .contacts(columns), columnCount: names.count, headerNames: names, delimiter: delimiter)
        case .incidents:
            guard let raisedAt = index("raised_at") else {
                throw .missingColumns(path: path, kind: "incidents", columns: ["raised_at"])
            }
            let columns = IncidentColumns(
                incidentId: index("incident_id"), raisedAt: raisedAt,
                deployed: index("deployed"), referredTo: index("referred_to"))
            return InputLayout(columns: .incidents(columns), columnCount: names.count, headerNames: names, delimiter: delimiter)
        case .queueLog:
            throw .unsupported(path: path, reason: "this file does not look like a queue_log (expected lines like 1554103200|1554103200.1|QUEUE|NONE|ENTERQUEUE|...)")
        }
    }
}

extension String {
    /// Without the spaces, tabs and line breaks around it.
    func trimmingASCIISpaces() -> String {
        var scalars = Substring(self)
        // Line breaks too: a spreadsheet cell "channel" with a trailing line break names the channel.
        while let first = scalars.first, Self.isASCIISpace(first) { scalars.removeFirst() }
        while let last = scalars.last, Self.isASCIISpace(last) { scalars.removeLast() }
        return String(scalars)
    }

    private static func isASCIISpace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\n" || character == "\r" || character == "\r\n"
    }
}
