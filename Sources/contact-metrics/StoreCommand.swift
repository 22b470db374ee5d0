import ContactMetrics
import Foundation

/// `contact-metrics store info|sources|check|remove SOURCE --store DB`.
enum StoreCommand {
    static let actions = ["info", "sources", "check", "remove"]

    static func run(_ words: [String]) throws {
        let arguments = try Arguments(words, command: .store)
        if arguments.has(.help) { try Terminal.output(Usage.help(for: .store)); return }
        let fail = arguments.fail
        guard let action = arguments.positionals.first else { throw fail("expected info, sources, check or remove") }
        guard let storePath = arguments.value(.store) else {
            throw fail("\(Option.store.spelling) DB is required" + Arguments.storeHint(arguments.positionals.dropFirst(), existingOnly: true))
        }
        let operands = Array(arguments.positionals.dropFirst())
        var json = false
        if let format = arguments.value(.format) {
            guard format == "table" || format == "json" else { throw fail("\(Option.format.spelling): expected table or json, found '\(format)'") }
            guard action != "remove" && action != "check" else { throw fail("\(Option.format.spelling) is for info and sources") }
            json = format == "json"
        }
        switch action {
        case "info":
            guard operands.isEmpty else { throw fail("info takes no arguments") }
            // Days in the zone the sources were read in, as `report --store` gives them (else Europe/London).
            // Its zone and counts from one state of the store, whatever a nightly ingest commits meanwhile;
            // the store is closed before the output is written.
            let summary = try { () throws -> StoreSummary in
                let store = try StoreReading.store(storePath)
                let zoneName = try arguments.value(.tz) ?? StoredSource.readingZone(of: store.sources()) ?? "Europe/London"
                let zone: TimeZoneRules
                do { zone = try TimeZoneRules(identifier: zoneName) } catch { throw fail("\(Option.tz.spelling): \(error)") }
                return try StoreSummary(store, zone: zone)
            }()
            try StoreReading.closeAll()
            try Terminal.output(json ? summary.json().serialized() : summary.text())
        case "sources":
            guard operands.isEmpty else { throw fail("sources takes no arguments") }
            let store = try ContactStore(path: storePath, access: .readOnly)
            let listed = json ? try sourcesJSON(store).serialized() : try sources(store)
            try store.confirmUnchanged()
            try Terminal.output(listed)
        case "check":
            guard operands.isEmpty else { throw fail("check takes no arguments") }
            // Every page read, whatever the record of the last check says (a run skips the check when the files are as
            // a run left them).
            let store = try ContactStore(path: storePath, access: .readOnly)
            try store.checkWhole()
            try store.confirmUnchanged()
            try Terminal.output("\(storePath): whole (SQLite's integrity_check read every page and index, and found nothing wrong)\n")
        case "remove":
            guard operands.count == 1 else { throw fail("remove needs one SOURCE name (see 'contact-metrics store sources')") }
            let holders = try ContactStore(path: storePath, access: .readWrite).remove(source: operands[0])
            Terminal.error(Escaping.visible("store: removed \(operands[0]) from \(storePath)"))
            for (holder, calls) in holders {
                let count = DisplayFormat.count(calls)
                Terminal.warning("\(storePath): \(operands[0]) left \(calls == 1 ? "a call" : "up to \(count) calls") unfinished "
                    + "that \(holder) most likely continued (it holds cells at \(calls == 1 ? "its time" : "their times"), before its own first "
                    + "arrival): what \(holder) read of \(calls == 1 ? "it stays" : "them stays") (an outcome, or a handle time with no call counted), "
                    + "in periods of calls no longer stored; ingest \(operands[0]) again, or remove \(holder) and ingest it again")
            }
        default:
            var message = "unknown store action '\(action)' (expected info, sources, check or remove)"
            if let suggestion = Arguments.suggestion(for: action, among: actions) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw fail(message)
        }
    }

    /// `store sources --format json`.
    static func sourcesJSON(_ store: ContactStore) throws -> JSONValue {
        .object([
            ("schema", .string("contact-metrics/store-sources/1")),
            ("store", .string(store.path)),
            ("sources", .array(try store.sources().map { source in
                .object([
                    ("name", .string(source.name)), ("kind", .string(source.ledger.kind.rawValue)),
                    ("rows_read", .integer(Int64(source.ledger.rowsRead))), ("rows_accepted", .integer(Int64(source.ledger.rowsAccepted))),
                    ("rows_rejected", .integer(Int64(source.ledger.rowsRejected))), ("rows_skipped", .integer(Int64(source.ledger.rowsSkipped))),
                    ("first_arrival_utc", source.ledger.firstArrivalUTC.map { .string(DisplayFormat.utcTime($0)) } ?? .null),
                    ("last_arrival_utc", source.ledger.lastArrivalUTC.map { .string(DisplayFormat.utcTime($0)) } ?? .null),
                    ("ingested_at", .string(source.ingestedAt)),
                ])
            })),
        ])
    }

    /// One line per source: name, kind, rows, rejects, arrivals (UTC), when it was ingested.
    static func sources(_ store: ContactStore) throws -> String {
        func time(_ seconds: Int64?) -> String { seconds.map(DisplayFormat.utcTime) ?? "—" }
        let rows = try store.sources().map { source in
            [source.name, source.ledger.kind.rawValue, DisplayFormat.count(Int64(source.ledger.rowsRead)),
             DisplayFormat.count(Int64(source.ledger.rowsAccepted)), DisplayFormat.count(Int64(source.ledger.rowsRejected)),
             time(source.ledger.firstArrivalUTC), time(source.ledger.lastArrivalUTC), source.ingestedAt]
        }
        return TextTable(header: ["Source", "Kind", "Rows", "Accepted", "Rejected", "First arrival (UTC)", "Last arrival (UTC)", "Ingested at"],
                         rows: rows, rightAligned: [2, 3, 4]).plain()
    }
}
