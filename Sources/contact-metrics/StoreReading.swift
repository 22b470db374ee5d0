import ContactMetrics

/// Reading a report's cube from `--store DB` instead of files (`report --store`, and `compare --store`).
enum StoreReading {
    /// The store of each path this run reads, opened once, in one read transaction until `closeAll`: the
    /// reading options, the cells, the ledger and the periods a target review looks back on all come from
    /// one state of it, whatever a nightly `ingest` commits meanwhile. Commands close it once they have read
    /// it, before they write their output. The command runs on one thread.
    nonisolated(unsafe) private static var opened: [String: ContactStore] = [:]

    /// Ends the read transactions and closes the stores (before the process exits).
    /// - Throws: `StoreError.writtenWhileRead` when a store read as an immutable file changed meanwhile (what
    ///   was read may mix two states: the output is not written).
    static func closeAll() throws {
        defer { opened = [:] }
        for store in opened.values { try store.confirmUnchanged() }
    }

    static func store(_ path: String) throws -> ContactStore {
        if let store = opened[path] { return store }
        let store = try ContactStore(path: path, access: .readOnly)
        try store.holdOneState()
        opened[path] = store
        return store
    }

    /// The store's cells rolled up to `unit` in `--tz`, limited to `--from`/`--to`, with the ledger.
    /// - Throws: `UsageError` for FILE arguments or options that act while files are read
    ///   (`Option.readsFiles`) beside `--store`, or a zone the store cannot report in; `StoreError` for
    ///   the store itself.
    static func localCube(_ storePath: String, arguments: Arguments, common: CommonOptions,
                          unit: PeriodUnit) throws -> (cube: Cube, ledger: Ledger) {
        try refuseFileOptions(arguments: arguments, common: common)
        try checkZone(common.timeZone, arguments: arguments)
        let store = try store(storePath)
        let result = try store.localCube(unit: unit, zone: common.timeZone, fromDay: common.ingest.fromDay, toDay: common.ingest.toDay,
                                         dayWindows: common.ingest.dayWindows)
        returnFreedMemory()
        return result
    }

    /// - Throws: `UsageError` for a zone the store's UTC quarter-hour cells cannot be reported in.
    private static func checkZone(_ zone: TimeZoneRules, arguments: Arguments) throws {
        do {
            try StoreRollUp.checkZone(zone)
        } catch {
            throw arguments.fail("\(Option.tz.spelling): \(error)")
        }
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

    /// The sources of `sources` (the store's) stored before contacts from exports with no category column were
    /// counted apart (schema 7): their such contacts count in category shares' denominators.
    static func storedBeforeCategories(_ store: ContactStore, _ sources: [StoredSource]) -> [StoredSource] {
        store.version < 7 ? sources : sources.filter(\.storedBeforeVersion7)
    }

    /// What a report from a store takes from how its sources were read:
    /// - without `--tz`, the zone its sources were read in (the `tz=` each records, from `--tz` or a
    ///   config's `time_zone` at ingest) when they all agree; when they differ, the default zone, said in
    ///   a note. With `--tz`, that zone.
    /// - the submission channels its sources were read with (a submission's contacts were stored as
    ///   received only, so a report cannot make one a queue, nor a queue one); a config's other
    ///   `submission_channels` are said and not used.
    static func adoptReading(of storePath: String, arguments: Arguments, common: inout CommonOptions) throws {
        try refuseFileOptions(arguments: arguments, common: common)
        if arguments.value(.tz) != nil { try checkZone(common.timeZone, arguments: arguments) }  // a usage error before the store's
        let store = try store(storePath)
        let sources = try store.sources()
        let stale = store.version < 4 ? sources.count : sources.filter(\.storedBeforeVersion4).count
        if stale > 0 {
            Terminal.note("\(stale) of the store's \(sources.count) sources \(stale == 1 ? "was" : "were") stored before contacts with no outcome were "
                          + "counted apart (schema 4): any such contacts of \(stale == 1 ? "its" : "theirs") are in the abandonment and "
                          + "service-level denominators; ingest \(stale == 1 ? "that file" : "those files") again to read \(stale == 1 ? "it" : "them") anew")
        }
        let beforeCategories = Self.storedBeforeCategories(store, sources).count
        if beforeCategories > 0 {
            Terminal.note("\(beforeCategories) of the store's \(sources.count) sources \(beforeCategories == 1 ? "was" : "were") stored before contacts from "
                          + "exports with no category column were counted apart (schema 7): any such contacts of \(beforeCategories == 1 ? "its" : "theirs") "
                          + "are in category shares' denominators; ingest \(beforeCategories == 1 ? "that file" : "those files") again to read "
                          + "\(beforeCategories == 1 ? "it" : "them") anew")
        }
        let stored = Set(sources.compactMap { $0.readingValue("submission-channels") }
            .flatMap { $0.split(separator: ",").map(String.init) })
        if !sources.isEmpty && stored != common.metrics.submissionChannels {
            if common.ingest.mapping?.submissionChannels != nil {
                Terminal.note("the config's submission_channels (\(Self.list(common.metrics.submissionChannels))) are not those the store's sources "
                              + "were read with (\(Self.list(stored))): the store's apply")
            }
            common.metrics.submissionChannels = stored
        }
        let zones = StoredSource.readingZones(of: sources)
        guard arguments.value(.tz) == nil else {
            // A review found `report --store --tz UTC` and `report FILE --tz UTC` differ for an export of local times:
            // the store has instants, fixed when the file was read.
            let others = zones.subtracting([common.timeZone.identifier])
            if !others.isEmpty {
                Terminal.note("the store's sources were read in the time zone\(zones.count == 1 ? "" : "s") \(zones.sorted().joined(separator: ", ")): "
                              + "their times written without a UTC offset (if any) were read as local times there, and stay so; \(Option.tz.spelling) "
                              + "\(common.timeZone.identifier) sets only the periods' zone (a report on the files with it would read those times in it)")
            }
            return
        }
        guard zones.count <= 1 else {
            Terminal.note("the store's sources were read in the time zones \(zones.sorted().joined(separator: ", ")); reporting in \(common.timeZone.identifier) (give \(Option.tz.spelling) to choose)")
            return
        }
        guard let zone = zones.first else { return }
        if zone != common.timeZone.identifier {
            do {
                common.timeZone = try TimeZoneRules(identifier: zone)
                common.ingest.timeZone = common.timeZone
            } catch {
                throw arguments.fail("the store's sources were read in the time zone \(zone), which this system does not know: give \(Option.tz.spelling)")
            }
        }
        // Said as the store's zone (a config's time_zone may name it too), not as a --tz the user did not give.
        guard (try? StoreRollUp.checkZone(common.timeZone)) != nil else {
            throw arguments.fail("the store's sources were read in the time zone \(zone), which has had UTC offsets or clock changes since 1970 "
                                 + "that do not fall on a quarter hour; the store keeps UTC 15-minute cells, so it cannot report in that zone: "
                                 + "give \(Option.tz.spelling) with another (UTC, for one)")
        }
    }

    private static func list(_ channels: Set<String>) -> String { channels.isEmpty ? "none" : channels.sorted().joined(separator: ", ") }
}
