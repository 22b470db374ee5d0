import ContactMetrics

/// Reading a report's cube from `--store DB` instead of files (`report --store`, and `compare --store`).
enum StoreReading {
    /// Options that act while rows are read: with a store they were fixed at ingest time.
    static let readingOptions = ["kind", "date-order", "dedupe", "rejects", "max-rejects"]

    /// The store's cells rolled up to `unit` in `--tz`, limited to `--from`/`--to`, with the ledger.
    /// - Throws: `UsageError` for FILE arguments or reading options beside `--store`, or a zone the
    ///   store cannot report in; `StoreError` for the store itself.
    static func localCube(_ storePath: String, arguments: Arguments, common: CommonOptions, unit: PeriodUnit,
                          command: String) throws -> (cube: Cube, ledger: Ledger) {
        guard common.inputs.isEmpty else {
            throw UsageError(message: "give FILE arguments or --store, not both", command: command)
        }
        if let option = readingOptions.first(where: arguments.has) {
            throw UsageError(message: "--\(option) applies while files are read; with --store give it to 'ingest'", command: command)
        }
        do {
            try StoreRollUp.checkZone(common.timeZone)
        } catch {
            throw UsageError(message: "--tz: \(error)", command: command)
        }
        let store = try ContactStore(path: storePath, access: .readOnly)
        return try store.localCube(unit: unit, zone: common.timeZone, fromDay: common.ingest.fromDay, toDay: common.ingest.toDay,
                                   dayWindows: common.ingest.dayWindows)
    }
}
