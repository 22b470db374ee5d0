import ContactMetrics

/// Reading a report's cube from `--store DB` instead of files (`report --store`, and `compare --store`).
enum StoreReading {
    /// The store's cells rolled up to `unit` in `--tz`, limited to `--from`/`--to`, with the ledger.
    /// - Throws: `UsageError` for FILE arguments or options that act while files are read
    ///   (`Option.readsFiles`) beside `--store`, or a zone the store cannot report in; `StoreError` for
    ///   the store itself.
    static func localCube(_ storePath: String, arguments: Arguments, common: CommonOptions,
                          unit: PeriodUnit) throws -> (cube: Cube, ledger: Ledger) {
        try refuseFileOptions(arguments: arguments, common: common)
        do {
            try StoreRollUp.checkZone(common.timeZone)
        } catch {
            throw arguments.fail("\(Option.tz.spelling): \(error)")
        }
        let store = try ContactStore(path: storePath, access: .readOnly)
        let result = try store.localCube(unit: unit, zone: common.timeZone, fromDay: common.ingest.fromDay, toDay: common.ingest.toDay,
                                         dayWindows: common.ingest.dayWindows)
        returnFreedMemory()
        return result
    }

    /// - Throws: `UsageError` for FILE arguments, or options that act while files are read, beside `--store`.
    static func refuseFileOptions(arguments: Arguments, common: CommonOptions) throws {
        guard common.inputs.isEmpty else {
            throw arguments.fail("give FILE arguments or \(Option.store.spelling), not both")
        }
        if let option = arguments.first(of: Option.accepted(by: arguments.command).filter(\.readsFiles)) {
            throw arguments.fail("\(option.spelling) applies while files are read; with \(Option.store.spelling) give it to 'ingest'")
        }
    }

    /// Without `--tz`, a store reports in the zone its sources were read in (the `tz=` each records,
    /// from `--tz` or a config's `time_zone` at ingest) when they all agree; when they differ, in the
    /// default zone, said in a note. With `--tz`, in that zone.
    static func adoptZone(of storePath: String, arguments: Arguments, common: inout CommonOptions) throws {
        try refuseFileOptions(arguments: arguments, common: common)
        guard arguments.value(.tz) == nil else { return }
        let store = try ContactStore(path: storePath, access: .readOnly)
        let zones = Set(try store.sources().compactMap { source in
            source.readingOptions.split(separator: ";").first { $0.hasPrefix("tz=") }.map { String($0.dropFirst(3)) }
        })
        guard zones.count <= 1 else {
            Terminal.note("the store's sources were read in the time zones \(zones.sorted().joined(separator: ", ")); reporting in \(common.timeZone.identifier) (give \(Option.tz.spelling) to choose)")
            return
        }
        guard let zone = zones.first, zone != common.timeZone.identifier else { return }
        do {
            common.timeZone = try TimeZoneRules(identifier: zone)
            common.ingest.timeZone = common.timeZone
        } catch {
            throw arguments.fail("the store's sources were read in the time zone \(zone), which this system does not know: give \(Option.tz.spelling)")
        }
    }
}
