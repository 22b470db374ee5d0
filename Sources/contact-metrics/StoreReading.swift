import ContactMetrics

/// Reading a report's cube from `--store DB` instead of files (`report --store`, and `compare --store`).
enum StoreReading {
    /// The store's cells rolled up to `unit` in `--tz`, limited to `--from`/`--to`, with the ledger.
    /// - Throws: `UsageError` for FILE arguments or options that act while files are read
    ///   (`Option.readsFiles`) beside `--store`, or a zone the store cannot report in; `StoreError` for
    ///   the store itself.
    static func localCube(_ storePath: String, arguments: Arguments, common: CommonOptions,
                          unit: PeriodUnit) throws -> (cube: Cube, ledger: Ledger) {
        guard common.inputs.isEmpty else {
            throw arguments.fail("give FILE arguments or \(Option.store.spelling), not both")
        }
        if let option = arguments.first(of: Option.accepted(by: arguments.command).filter(\.readsFiles)) {
            throw arguments.fail("\(option.spelling) applies while files are read; with \(Option.store.spelling) give it to 'ingest'")
        }
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
}
