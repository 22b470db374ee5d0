import ContactMetrics
import Foundation

/// `contact-metrics store info|sources|remove SOURCE --store DB`.
enum StoreCommand {
    static let actions = ["info", "sources", "remove"]

    static func run(_ words: [String]) throws {
        let arguments = try Arguments(words, command: .store)
        if arguments.has(.help) { try Terminal.output(Usage.help(for: .store)); return }
        let fail = arguments.fail
        guard let action = arguments.positionals.first else { throw fail("expected info, sources or remove") }
        guard let storePath = arguments.value(.store) else { throw fail("\(Option.store.spelling) DB is required") }
        let operands = Array(arguments.positionals.dropFirst())
        switch action {
        case "info":
            guard operands.isEmpty else { throw fail("info takes no arguments") }
            let zoneName = arguments.value(.tz) ?? "Europe/London"
            let zone: TimeZoneRules
            do { zone = try TimeZoneRules(identifier: zoneName) } catch { throw fail("\(Option.tz.spelling): \(error)") }
            try Terminal.output(try info(ContactStore(path: storePath, access: .readOnly), zone: zone))
        case "sources":
            guard operands.isEmpty else { throw fail("sources takes no arguments") }
            try Terminal.output(try sources(ContactStore(path: storePath, access: .readOnly)))
        case "remove":
            guard operands.count == 1 else { throw fail("remove needs one SOURCE name (see 'contact-metrics store sources')") }
            try ContactStore(path: storePath, access: .readWrite).remove(source: operands[0])
            Terminal.error(Escaping.visible("store: removed \(operands[0]) from \(storePath)"))
        default:
            var message = "unknown store action '\(action)' (expected info, sources or remove)"
            if let suggestion = Arguments.suggestion(for: action, among: actions) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw fail(message)
        }
    }

    /// Size, sources, cells and, per channel, the first and last local date with data.
    static func info(_ store: ContactStore, zone: TimeZoneRules) throws -> String {
        let coverage = try store.coverage()
        let sourceCount = try store.sources().count
        let cells = coverage.filter { $0.channel != "incidents" }.reduce(0) { $0 + $1.cells }
        var text = "Store \(store.path): schema \(store.version)\(store.version < ContactStore.schemaVersion ? " (brought to \(ContactStore.schemaVersion) by the next ingest)" : ""), \(DisplayFormat.count(try store.sizeInBytes())) bytes, "
        text += "\(sourceCount) source\(sourceCount == 1 ? "" : "s"), \(DisplayFormat.count(cells)) contact cells, "
        text += "\(DisplayFormat.count(coverage.first { $0.channel == "incidents" }?.cells ?? 0)) incident cells\n"
        guard !coverage.isEmpty else { return text + "No data yet.\n" }
        func day(_ slot: Int64) -> String {
            let seconds = slot * 900
            let localSeconds = seconds + zone.offsetSeconds(atUTC: seconds)
            return CivilDate(daysSinceEpoch: floorDivide(localSeconds, 86_400)).description
        }
        let rows = coverage.map { [$0.channel, day($0.firstSlot), day($0.lastSlot), DisplayFormat.count($0.cells)] }
        text += "\nCoverage (local dates, \(zone.identifier)):\n"
        text += TextTable(header: ["Channel", "First day", "Last day", "Cells"], rows: rows, rightAligned: [3]).plain()
        return text
    }

    /// One line per source: name, kind, rows, rejects, arrivals (UTC), when it was ingested.
    static func sources(_ store: ContactStore) throws -> String {
        func time(_ seconds: Int64?) -> String {
            guard let seconds else { return "—" }
            // Proleptic Gregorian, like the rest of the tool (Foundation's formatter is Julian before 1582).
            let day = floorDivide(seconds, 86_400)
            let second = Int(seconds - day * 86_400)
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
            return "\(CivilDate(daysSinceEpoch: day))T\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60))Z"
        }
        let rows = try store.sources().map { source in
            [source.name, source.ledger.kind.rawValue, DisplayFormat.count(Int64(source.ledger.rowsRead)),
             DisplayFormat.count(Int64(source.ledger.rowsAccepted)), DisplayFormat.count(Int64(source.ledger.rowsRejected)),
             time(source.ledger.firstArrivalUTC), time(source.ledger.lastArrivalUTC), source.ingestedAt]
        }
        return TextTable(header: ["Source", "Kind", "Rows", "Accepted", "Rejected", "First arrival (UTC)", "Last arrival (UTC)", "Ingested at"],
                         rows: rows, rightAligned: [2, 3, 4]).plain()
    }
}
