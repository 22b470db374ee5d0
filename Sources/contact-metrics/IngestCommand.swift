#if canImport(Glibc)
import Glibc
#endif
import ContactMetrics
import Foundation

/// `contact-metrics ingest --store DB FILE...`: reads each file into UTC 15-minute cells, then writes
/// them all into the store in one short transaction.
enum IngestCommand {
    /// Test-only, in debug builds only (a release binary must not let any user hold the store's write
    /// lock): `PATH[:SECONDS]` in this environment variable makes the run create PATH inside its write
    /// transaction, then hold the transaction open for SECONDS (default: until killed). The
    /// crash-safety test kills the process there; the concurrency test starts a second run meanwhile.
    static let pauseHookVariable = "CONTACT_METRICS_TEST_PAUSE_IN_TRANSACTION"

    static func testPauseHook() {
        #if DEBUG
        guard let value = ProcessInfo.processInfo.environment[pauseHookVariable] else { return }
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        _ = FileManager.default.createFile(atPath: parts[0], contents: nil)
        if parts.count == 2, let seconds = UInt32(parts[1]) {
            sleep(seconds)
        } else {
            while true { sleep(60) }
        }
        #endif
    }

    static func run(_ words: [String]) throws {
        do {
            try runOnce(words)
        } catch StoreError.changedWhileReading {
            // Nothing was written: read again, with the calls the other run left open (once; a store changed
            // as often as that is said).
            PendingRejects.discard()
            Terminal.note("another ingest changed the store while this one read its queue_log files: reading them again")
            try runOnce(words)
        }
    }

    private static func runOnce(_ words: [String]) throws {
        let arguments = try Arguments(words, command: .ingest)
        if arguments.has(.help) { try Terminal.output(Usage.help(for: .ingest)); return }
        Terminal.quiet = arguments.has(.quiet)
        guard let storePath = arguments.value(.store) else {
            throw arguments.fail("\(Option.store.spelling) DB is required" + Arguments.storeHint(arguments.positionals))
        }
        let common = try CommonOptions(arguments, grain: .utcQuarterHour, defaultMaxRejects: .percent(1), storePath: storePath)
        guard common.format == .table || common.format == .json else {
            throw arguments.fail("\(Option.format.spelling): expected table or json, found '\(common.format.rawValue)'")
        }
        var inputs = common.inputs
        var names = try sourceNames(inputs, override: arguments.value(.sourceName), arguments: arguments)
        var options = common.ingest
        // Rotated queue_logs oldest first, whatever order they were given in: a call that crosses two files
        // is completed by the later one only when the earlier was read first.
        if inputs.count > 1, let order = QueueLogFileOrder.oldestFirst(inputs, encoding: options.encoding, options: options), order != Array(inputs.indices) {
            inputs = order.map { inputs[$0] }
            names = order.map { names[$0] }
            Terminal.note("queue_log files read oldest first, so that a call that crosses two of them counts once: "
                + inputs.map(Escaping.visible).joined(separator: ", "))
        }
        // Asterisk's live log (`queue_log*` in a nightly job picks it up): after the next rotation its calls are in
        // queue_log.1, another name, and counted again with no word (a review: +7.8% received over a week).
        for input in inputs where (input as NSString).lastPathComponent == "queue_log"
            && QueueLogFileOrder.startTime(of: input, encoding: options.encoding, options: options) != nil {
            Terminal.warning("\(Escaping.visible(input)): the live Asterisk queue_log, still being written: after the next rotation its calls "
                + "are in queue_log.1, another source, and ingesting that counts them again; a nightly job ingests the rotated files only "
                + "(queue_log.1, or queue_log.1.gz with delaycompress)")
        }
        options.computeContentHash = true
        if (try? StoreRollUp.checkZone(options.timeZone)) == nil {
            Terminal.note("time zone \(options.timeZone.identifier) has had UTC offsets or clock changes since 1970 that do not fall on a quarter hour: "
                          + "its times are read exactly, but the store keeps UTC 15-minute cells, so reports from it need \(Option.tz.spelling) with another zone")
        }
        // Every file's cells wait in one scratch file until the transaction that writes them: memory stays
        // flat however many files and years are read.
        options.cellSpill = CellSpill()

        // Open an existing store first, so that a newer or foreign one is refused before the work; a new
        // one is created only when there is something to write (exit 65 must leave no file behind).
        let existingStore = FileManager.default.fileExists(atPath: storePath) ? try ContactStore(path: storePath, access: .readWrite) : nil
        if existingStore == nil && access(FilePaths.directory(of: storePath), W_OK) != 0 {
            // Said now, not after every file has been read.
            throw CommandFailure.io("\(storePath): cannot create the store: \(String(cString: strerror(errno))) (\(FilePaths.directory(of: storePath)))")
        }

        // Each file is its own source (its cells are kept apart so it can be replaced); the reject
        // limit applies to the whole run, and nothing is written when it is exceeded.
        let rejectsFile = try common.rejects.map { try RejectsFileWriter($0) }
        var onReject: (@Sendable (RejectedRow) -> Void)?
        if let rejectsFile { onReject = { rejectsFile.write($0) } }
        let progress = common.showProgress ? ProgressBar(totalBytes: common.knownInputBytes) : nil
        var sources: [StoreSourceInput] = []
        var results: [IngestResult] = []
        // queue_log calls left open by sources already in the store (but those this run replaces), then
        // by this run's earlier files: a call that crosses two files counts once.
        // The store as the calls below are read: a queue_log run is written only if no other run committed since (two
        // nights' runs at once lost every call across the rotation: the second read before the first committed).
        // Taken before they are read, so that a commit between the two is seen too.
        let readVersion = try existingStore?.dataVersion()
        var openCalls = try existingStore.map { store in
            try store.openQueueCalls(excluding: Self.sourcesThisRunMayReplace(store, inputs: inputs, names: names, options: options))
        } ?? [:]
        var offset: Int64 = 0  // the bytes of the files before, for the progress bar
        let ordersElsewhere = options.judgesDateOrder
            ? try DateOrdersElsewhere(store: existingStore, inputs: inputs, encoding: options.encoding, config: options.mapping?.contentDigest ?? "none") : nil
        for (input, name) in zip(inputs, names) {
            let result: IngestResult
            options.openQueueCalls = openCalls
            options.dateOrderElsewhere = ordersElsewhere?.order(forSourceNamed: name)
            do {
                result = try IngestEngine(options: options).run(inputs: [input], onReject: onReject,
                                                                onProgress: progress.map { bar in { bar.update(offset + $0) } })
            } catch {
                progress?.finish()
                rejectsFile?.discard()  // a failed run leaves the old file as it was
                throw CommandFailure.io(error.description)
            }
            if var refusal = headerOrderRefusal(result) ?? dateOrderRefusal(result, common) {
                // Why the store's order was not taken, for a file whose dates read both ways or a stream (not judged before its run).
                var unjudged = result.dateOrderJudgement == .none && !InputOpener.isRegularFile(input)
                if case .unproven = result.dateOrderJudgement { unjudged = true }
                if unjudged, let conflict = ordersElsewhere?.conflict { refusal += " (\(conflict))" }
                progress?.finish()
                try? rejectsFile?.finish()  // the rows are why
                for earlier in results + [result] { say(earlier.ledger) }
                reportRejects(result, rejectsPath: common.rejects?.displayPath)
                if common.format == .json {
                    // Files before it that the store holds already are `unchanged`, as when the reject limit refuses a run.
                    let held = try Self.heldSources(sources, names: names, store: existingStore)
                    try emit(outcomeJSON(names: names, ledgers: results.map(\.ledger) + [result.ledger], outcomes: [], storePath: storePath,
                                         held: held).serialized(), to: .standardOutput)
                }
                throw CommandFailure.tooManyRejects(refusal + "; the store is unchanged")
            }
            results.append(result)
            offset += result.ledger.sources.reduce(0) { $0 + $1.byteCount }
            var reading = options
            reading.dateOrder = result.dateOrder  // as the run read it, proven from the data or given
            sources.append(StoreSourceInput(name: name, cube: result.cube, ledger: result.ledger, readingOptions: reading.readingRecord,
                                            openQueueCalls: result.openQueueCalls, spilledContacts: result.spilledContacts,
                                            idSketch: result.idSketch))
            // A call this file continued: its legs as the file left them replace those before.
            for (call, legs) in Dictionary(grouping: result.openQueueCalls, by: \.call) { openCalls[call] = legs }
        }
        progress?.finish()
        try rejectsFile?.checkWritten()
        // The limit is judged on the rows this run would write: a file the store holds already is left as it is, and
        // its rows counted in made the limit weaker with every night a nightly job's glob takes in again (a review).
        let held = try Self.heldSources(sources, names: names, store: existingStore)
        var judged = Ledger()
        for (result, holder) in zip(results, held) where holder == nil { judged.add(result.ledger) }
        if judged.exceeds(common.maxRejects) {
            try rejectsFile?.finish()  // the rows are why
            for result in results {
                say(result.ledger)
                reportRejects(result, rejectsPath: common.rejects?.displayPath)
            }
            if common.format == .json {
                // Files the store holds already are `unchanged`, as in a run that writes (a review's scheduler was told `refused`).
                try emit(outcomeJSON(names: names, ledgers: results.map(\.ledger), outcomes: [], storePath: storePath, held: held).serialized(),
                         to: .standardOutput)
            }
            let ofNewFiles = held.contains { $0 != nil } ? " of the files the store does not hold already" : ""
            throw CommandFailure.tooManyRejects(
                "\(judged.rowsRejected) of \(judged.rowsRead) rows\(ofNewFiles) rejected, over \(Option.maxRejects.spelling) \(common.maxRejects!); the store is unchanged")
        }

        PendingRejects.file = rejectsFile  // put in place once the store is written, or left as it was (main)
        // The times of the sources these files may replace, to say what a replacement no longer covers.
        var storedRanges: [String: (first: Int64, last: Int64)] = [:]
        for source in sources { storedRanges[source.name] = try existingStore?.arrivalRange(ofSource: source.name) }
        var storedCells: [String: [ContactStore.SlotChannel: Int64]] = [:]
        for (name, _) in storedRanges { storedCells[name] = try existingStore?.receivedCells(ofSource: name) }
        let dispositions: [IngestDisposition]
        let readsQueueLogs = sources.contains { $0.ledger.sources.first?.kind == .queueLog }
        do {
            if let existingStore {
                dispositions = try existingStore.ingest(sources, unchangedSince: readsQueueLogs ? readVersion : nil, beforeCommit: testPauseHook)
            } else if let written = try ContactStore.ingest(sources, intoNewStoreAt: storePath, beforeCommit: testPauseHook) {
                dispositions = written
            } else {
                // Another run made the store while this one read: add to it, like to any store; not queue_logs,
                // which did not see the calls that run left open.
                if readsQueueLogs { throw StoreError.changedWhileReading(path: storePath) }
                dispositions = try ContactStore(path: storePath, access: .readWrite).ingest(sources, beforeCommit: testPauseHook)
            }
        } catch {
            if case StoreError.changedWhileReading = error {
                // Read again (`run`), unless an input cannot be: standard input or a pipe is spent (the retry found
                // "the file is empty"; found by the diff review). Nothing was written: said so.
                if !inputs.allSatisfy(InputOpener.isRegularFile) { throw CommandFailure.io("\(error)") }
                throw error
            }
            for result in results { say(result.ledger) }
            throw error
        }
        // The store is written; its pages in the write-ahead log are copied into the file now, so that a failure
        // (a full disk) is said: then the file alone is not the store.
        // Recorded after the fold only if the store's file is as this run found it whole, and no one else committed
        // meanwhile (a new store is recorded by the next run's check).
        if let problem = ContactStore.foldWriteAheadLog(at: storePath, recordingIfStill: existingStore?.filesIfNoOtherCommit()) {
            Terminal.warning(Escaping.visible("\(storePath): this run's changes are committed, but they are still in \(storePath)-wal and not yet in "
                + "the file itself (\(problem)): keep the two files together (copy the store with 'sqlite3 \(storePath) \".backup COPY\"', "
                + "not the file alone); the next run with room copies them in"))
        }
        // The store is written: its rejects go in place with it, whatever happens to the summary on stdout. One
        // that cannot be (a full disk) fails the run after the summary lines, saying the store changed: status 1
        // alone reads as "the store is unchanged".
        var rejectsFailure: OutputError?
        do { try PendingRejects.commit() } catch { rejectsFailure = error }
        // A re-run of last night's job stays quiet about what it already said (notes, warnings, rejected rows).
        for ((source, result), disposition) in zip(zip(sources, results), dispositions) {
            if case .unchanged = disposition {} else {
                say(result.ledger)
                reportRejects(result, rejectsPath: common.rejects?.displayPath)
            }
            var besideWarning: String?
            if case .storedBeside(let name, false) = disposition {
                besideWarning = Self.sameTimesWarning(source, storedAs: name, store: existingStore, storePath: storePath)
            } else if disposition == .added, let existingStore {
                // Under its own name, taken out earlier as the warning below advises, beside the night it recomputes again.
                besideWarning = try? existingStore.storedNightsBeside(source.name, touching: Int64.min...Int64.max).lazy
                    .compactMap { Self.sameArrivalsOtherWaits(source, storedAs: source.name, other: $0, store: existingStore, storePath: storePath) }.first
            }
            if !Terminal.quiet {
                Terminal.error(Escaping.visible(summary(source, disposition, storePath: storePath, spansTheNight: besideWarning != nil)))
            }
            if disposition == .replaced, let stored = storedRanges[source.name], let warning = uncoveredWarning(source, stored: stored, storedCells: storedCells[source.name], store: existingStore) {
                Terminal.warning(Escaping.visible(warning))
            }
            if let besideWarning { Terminal.warning(Escaping.visible(besideWarning)) }
        }
        let overlaps = warnOfOverlaps(zip(sources, dispositions), store: existingStore, storePath: storePath)
        warnOfGaps(zip(sources, dispositions), store: existingStore)
        if let rejectsFailure {
            let updated = dispositions.contains { if case .unchanged = $0 { false } else { true } }
            // The message points at the summary lines, which --quiet kept back (a review): they are shown now.
            if Terminal.quiet && updated {
                for (source, disposition) in zip(sources, dispositions) {
                    Terminal.error(Escaping.visible(summary(source, disposition, storePath: storePath)))
                }
            }
            if common.format == .json {  // the store's outcome, as without the failure
                try? emit(outcomeJSON(names: names, ledgers: results.map(\.ledger), outcomes: dispositions, storePath: storePath, overlaps: overlaps).serialized(),
                          to: .standardOutput)
            }
            throw CommandFailure.io("\(rejectsFailure)" + (updated ? "; the store was updated all the same (the summary lines above say how), "
                                    + "so a re-run finds these files unchanged and writes the rejected rows" : "; the store is unchanged"))
        }
        if common.format == .json {
            do {
                try emit(outcomeJSON(names: names, ledgers: results.map(\.ledger), outcomes: dispositions, storePath: storePath, overlaps: overlaps).serialized(),
                         to: .standardOutput)
            } catch let error as OutputError where !error.isClosedPipe && dispositions.contains(where: { if case .unchanged = $0 { false } else { true } }) {
                // Committed already: "the store is unchanged" (what status 1 says otherwise) would be false.
                throw CommandFailure.io("\(error); the store was updated all the same (the summary lines above say how), so a re-run finds these files unchanged")
            }
        }
    }

    /// What a replacement no longer counts: the earlier version's arrivals before this one's first or after
    /// its last. A rolling export that repeats one contact of the night before was taken for a correction of
    /// that night, and four of its five contacts went without a word.
    /// What a source's rows are, in messages: "incidents" or "contacts".
    static func rowsNamed(_ source: StoreSourceInput) -> String {
        source.ledger.sources.first?.kind == .incidents ? "incidents" : "contacts"
    }

    /// For a file stored beside the night of its name that shares that night's times and slots but not its cells
    /// (`ContactStore.corrects`): the store cannot tell another site's export under the same name from a
    /// correction that changed most of it, and took it for a new night; said, with how to make it a correction.
    static func sameTimesWarning(_ source: StoreSourceInput, storedAs name: String, store: ContactStore?, storePath: String) -> String? {
        guard let store, let ledgerSource = source.ledger.sources.first, let first = ledgerSource.firstArrivalUTC, let last = ledgerSource.lastArrivalUTC else { return nil }
        // The night under the name itself, or the one beside it that its first arrival names (another site's night
        // whose first call came in the same second: this file then has a name of its own).
        // Any night beside the name, too: a part of a night re-sent (one channel, a filtered export) begins later than it.
        let beside = (try? store.storedNightsBeside(source.name, touching: min(first, last)...max(first, last))) ?? []
        let candidates = ([source.name, ContactStore.besideName(source.name, firstArrivalUTC: first)] + beside).filter { $0 != name }
        guard let other = candidates.first(where: { candidate in
            guard let stored = try? store.arrivalRange(ofSource: candidate) else { return false }
            return ContactStore.correctsNight((first, last), stored: stored)
                && (try? store.sharesMostSlots(name, with: candidate)) == true
        }) else { return nil }
        let rows = rowsNamed(source)
        // Only where most of its cells are the night's own: another site's smaller export under the same name is not a
        // part of that night, and was told to be taken out (the diff review).
        if let mine = try? store.rowTotal(ofSource: name), let theirs = try? store.rowTotal(ofSource: other), ContactStore.isPart(mine, of: theirs),
           let identical = try? store.identicalRows(of: name, with: other), identical * 2 >= mine {
            // Most of its cells may be the night's own: a part of that night re-sent replaced it whole (found by a review).
            return "\(source.name): it spans the times of the source \(other) but holds \(DisplayFormat.count(mine)) \(rows) to its "
                + "\(DisplayFormat.count(theirs)), so it was stored as a new night (\(name)), not as a correction that would have taken the "
                + "others out: if it is a part of that night sent again (one channel, a filtered export), its \(rows) are now counted twice; "
                + "take it out with 'contact-metrics store remove \(name) --store \(storePath)'. If it does replace that night, take both out "
                + "and ingest this file again"
        }
        if let warning = sameArrivalsOtherWaits(source, storedAs: name, other: other, store: store, storePath: storePath) { return warning }
        return "\(source.name): it spans the times of the source \(other), but fewer than half of its \(rowsNamed(source)) are in cells "
            + "identical to that source's, so it was stored as a new night (\(name)), not as a correction of it: another site's export "
            + "under the same name is counted beside it, as it should be; if it is a part of that night sent again (a filtered export), "
            + "its contacts are counted twice: take it out ('contact-metrics store remove \(name) --store \(storePath)'); if it corrects that night instead, take both out "
            + "('contact-metrics store remove NAME --store \(storePath)' with each name) and ingest this file again"
    }

    /// Of a source that replaced its earlier version, the times that version held and it does not, unless
    /// sources that end before it begins (or begin after it ends) hold exactly as many contacts in each of the
    /// slots and channels it held there: a 25-hour export cut to its own night, as the overlap warning advises, was
    /// told its first hour was no longer counted, which the night before holds (a review). Another site's export
    /// over the same times, or its night before, holds other counts, and hid a real loss with "as many or more"
    /// (the diff reviews).
    /// - Parameter storedCells: the earlier version's contacts by slot and channel.
    /// The same arrivals to the second and counts in every cell as `other`, other waits: a correction that recomputed
    /// them (a clock fixed), or two sites' calls on a schedule; the store cannot tell, so both are kept and it is said
    /// (a review; a second correction under the name freed as it advises was kept without a word: the diff review).
    static func sameArrivalsOtherWaits(_ source: StoreSourceInput, storedAs name: String, other: String, store: ContactStore,
                                       storePath: String) -> String? {
        guard let mine = try? store.arrivalRange(ofSource: name), let theirs = try? store.arrivalRange(ofSource: other),
              mine.first == theirs.first && mine.last == theirs.last,
              let myCells = try? store.receivedCells(ofSource: name), !myCells.isEmpty, myCells == (try? store.receivedCells(ofSource: other)) else { return nil }
        return "\(source.name): it holds as many \(rowsNamed(source)) as the source \(other) in every 15-minute slot and channel, from "
            + "the same first to the same last arrival, but other waits, so it was stored as a new night\(name == source.name ? "" : " (\(name))"): "
            + "if it corrects that night (its waits recomputed), they are now counted twice; take the earlier out ('contact-metrics store remove "
            + "\(other) --store \(storePath)'). If it is another site's export (calls on a schedule), it is counted beside it, as it should be"
    }

    static func uncoveredWarning(_ source: StoreSourceInput, stored: (first: Int64, last: Int64), storedCells: [ContactStore.SlotChannel: Int64]?,
                                 store: ContactStore?) -> String? {
        guard let ledgerSource = source.ledger.sources.first, let first = ledgerSource.firstArrivalUTC, let last = ledgerSource.lastArrivalUTC else { return nil }
        // The slots wholly outside this version's times: those the earlier version's contacts there are in.
        let covered = { (slots: ClosedRange<Int64>) -> Bool in
            guard let store, let storedCells, slots.lowerBound <= slots.upperBound,
                  let others = try? store.receivedCells(in: slots, besides: source.name, outside: first...last) else { return false }
            return storedCells.allSatisfy { cell, count in !slots.contains(cell.slot) || others[cell, default: 0] == count }
        }
        let (firstSlot, lastSlot) = (floorDivide(first, 900), floorDivide(last, 900))
        var spans: [String] = []
        if stored.first < first && !(floorDivide(stored.first, 900) < firstSlot && covered(floorDivide(stored.first, 900)...firstSlot - 1)) {
            spans.append("from \(DisplayFormat.utcTime(stored.first)) to before \(DisplayFormat.utcTime(first))")
        }
        if stored.last > last && !(floorDivide(stored.last, 900) > lastSlot && covered(lastSlot + 1...floorDivide(stored.last, 900))) { spans.append("after \(DisplayFormat.utcTime(last)) to \(DisplayFormat.utcTime(stored.last))") }
        guard !spans.isEmpty else { return nil }
        return "\(source.name): the earlier version it replaces held \(rowsNamed(source)) \(spans.joined(separator: " and ")), which this one does not: "
            + "they are no longer counted. If this is the next export of a rolling window, not a correction, give each export its own "
            + "name (dated file names, or \(Option.sourceName.spelling)) and re-ingest the earlier one"
    }

    /// Warns of each source written whose cells match another source's over the times they share
    /// (`ContactStore.overlappingSources`): a re-saved copy of an export, or two exports that overlap, whose
    /// shared contacts are now counted twice. The store is written already, so a failed check is a warning too.
    /// - Returns: by input name, the stored sources it overlaps (for `--format json`).
    @discardableResult
    static func warnOfOverlaps<Written: Sequence<(StoreSourceInput, IngestDisposition)>>(_ written: Written, store: ContactStore?,
                                                                                        storePath: String) -> [String: [OverlappingSource]] {
        var said = Set<[String]>()
        var overlaps: [String: [OverlappingSource]] = [:]
        do {
            let store = try store ?? ContactStore(path: storePath, access: .readOnly)
            for (source, disposition) in written {
                let name: String
                switch disposition {
                case .unchanged: continue
                case .added, .replaced: name = source.name
                case .storedBeside(let storedAs, _): name = storedAs
                }
                let found = try store.overlappingSources(of: name)
                if !found.isEmpty { overlaps[source.name] = found }
                let rows = source.ledger.sources.first?.kind == .incidents ? "incidents" : "contacts"
                for other in found where said.insert([name, other.name].sorted()).inserted {
                    let cells = rows == "incidents" ? "slots it shares with \(other.name) are in cells identical to that source's (counts and agencies alike)"
                        : other.atTheEdge ? "times it shares with \(other.name) at the edge of both (the one's end is the other's start) are in cells "
                            + "with the same counts by outcome as that source's"
                        : "slots and channels it shares with \(other.name) are in cells identical to that source's (counts, and waits where there are any, alike)"
                    // Exports that overlap at their edge hold other contacts too: taking one out would lose those.
                    let remedy = other.atTheEdge ? "export without the overlap, and ingest that in its place"
                        : "take a copy out with 'contact-metrics store remove NAME --store \(storePath)', or export without the overlap"
                    if other.byIds {
                        Terminal.warning(Escaping.visible("\(name): \(other.isEstimate ? "about " : "")\(DisplayFormat.count(other.matchedContacts)) of its \(rows) "
                            + "have ids that \(other.name) holds too: if they are the same \(rows) (a re-saved copy, or exports that overlap), they are now "
                            + "counted twice (\(remedy))"))
                        continue
                    }
                    Terminal.warning(Escaping.visible("\(name): \(DisplayFormat.count(other.matchedContacts)) of its \(DisplayFormat.count(other.sharedContacts)) "
                        + "\(rows) in the \(cells): if they are the same \(rows) (a re-saved copy, or exports that overlap), they are now "
                        + "counted twice (\(remedy))"))
                }
            }
        } catch {
            Terminal.warning("could not check the store for sources holding the same contacts: \(error)")
        }
        return overlaps
    }

    /// Warns of what the nightly job may have missed beside each source written to a store that was there before
    /// the run: a stretch with no contact stored beside its own, in channels that have contacts around the clock
    /// (an export that never came), and, for a new queue_log night that left calls open, later queue_log nights
    /// stored before it, whose ends of those calls were not joined with it.
    static func warnOfGaps<Written: Sequence<(StoreSourceInput, IngestDisposition)>>(_ written: Written, store: ContactStore?) {
        // A store this run made holds only what it read: nothing of another night to be missing beside.
        guard let store else { return }
        let stored = written.compactMap { source, disposition -> (StoreSourceInput, String, isNew: Bool)? in
            switch disposition {
            case .unchanged: nil
            case .added: (source, source.name, true)
            case .replaced: (source, source.name, false)
            case .storedBeside(let storedAs, let replaced): (source, storedAs, !replaced)
            }
        }
        guard !stored.isEmpty else { return }
        do {
            let sameRun = Set(stored.map(\.1))
            var said: [CoverageGap] = []
            for (source, name, isNew) in stored {
                if let ledger = source.ledger.sources.first, ledger.kind != .incidents, let first = ledger.firstArrivalUTC, let last = ledger.lastArrivalUTC {
                    for gap in try store.unusualGaps(overlapping: min(first, last) - 900...max(first, last) + 900) where !said.contains(gap) {
                        said.append(gap)
                        Terminal.warning(Escaping.visible("\(source.name): \(gap.stretch()), beside this file's contacts, \(gap.aroundTheClock): "
                            + "if an export is missing, ingest it; until then the figures of those days are too low"))
                    }
                }
                // A night that replaces its earlier version: the later nights were joined with that one's calls.
                // By call, not by leg (a store keeps each leg): a call with a leg still open is open, else answered.
                let openCalls = Set(source.openQueueCalls.filter { $0.state == .open }.map(\.call))
                let open = openCalls.count
                let answered = Set(source.openQueueCalls.filter { $0.state == .answered && !openCalls.contains($0.call) }.map(\.call)).count
                guard isNew, source.ledger.sources.first?.kind == .queueLog, open + answered > 0 else { continue }
                let later = try store.laterQueueLogSources(than: name, sameRun: sameRun)
                guard !later.isEmpty else { continue }
                Terminal.warning(Escaping.visible("\(source.name): the store already holds later queue_log nights (\(DisplayFormat.list(later, shown: 3))), ingested before this one: "
                    + Self.unfinishedCalls(open: open, answered: answered) + ". Take the later "
                    + "nights out ('contact-metrics store remove NAME --store \(store.path)') and ingest them again, oldest first"))
            }
        } catch {
            Terminal.warning("could not check the store for missing nights: \(error)")
        }
    }

    /// What a queue_log night ingested after a later one lost: its calls still open at its end (their
    /// outcomes), and those answered with no handle time yet (their handle times; found by a review).
    static func unfinishedCalls(open: Int, answered: Int) -> String {
        let count = { (calls: Int) in "\(DisplayFormat.count(Int64(calls))) \(calls == 1 ? "call" : "calls")" }
        let were = { (calls: Int) in calls == 1 ? "was" : "were" }
        let them = { (calls: Int) in calls == 1 ? "it" : "them" }
        if answered == 0 {
            return "the \(count(open)) still open at this file's end \(were(open)) not joined with what those nights hold of \(them(open)), so the figures miss "
                + (open == 1 ? "it if it ended there" : "those that ended there")
        }
        if open == 0 {
            return "the \(count(answered)) answered at this file's end with no handle time yet \(were(answered)) not joined with what those nights hold of "
                + "\(them(answered)), so the figures miss \(answered == 1 ? "its handle time" : "their handle times")"
        }
        return "the \(count(open + answered)) unfinished at this file's end (\(DisplayFormat.count(Int64(open))) still open, \(DisplayFormat.count(Int64(answered))) "
            + "answered with no handle time yet) were not joined with what those nights hold of them, so the figures miss the open ones that ended "
            + "there and the answered ones' handle times"
    }

    /// A file's notes and warnings on stderr.
    static func say(_ ledger: Ledger) {
        for note in ledger.notes { Terminal.note(note) }
        for warning in ledger.warnings { Terminal.warning(warning) }
    }

    /// The stored source that holds each of `sources`' content already, or nil: itself, or another source of the store.
    /// Another source this run replaces holds it no longer once written (a diff review: a copy of a night's old content
    /// beside its correction was written with 10% of its rows rejected); one it leaves unchanged does.
    static func heldSources(_ sources: [StoreSourceInput], names: [String], store: ContactStore?) throws -> [String?] {
        let holders = try sources.map { source in try store?.sourceHoldingTheSameContent(as: source) }
        let unchangedNames = Set(zip(holders, names).compactMap { holder, name in holder == name ? name : nil })
        return holders.map { holder in holder.map { names.contains($0) && !unchangedNames.contains($0) } == false ? holder : nil }
    }

    /// `ingest --format json` (schema `contact-metrics/ingest/1`): each file's outcome and counts. Without
    /// `outcomes` the run was refused (too many rejects): every file read is `refused` and the store unchanged.
    /// - Parameter held: for a run that writes nothing, the stored source holding each file's content (nil: none).
    static func outcomeJSON(names: [String], ledgers: [Ledger], outcomes: [IngestDisposition], storePath: String,
                            overlaps: [String: [OverlappingSource]] = [:], held: [String?] = []) -> JSONValue {
        var totals = Ledger()
        for ledger in ledgers { totals.add(ledger) }
        let sources: [JSONValue] = names.enumerated().map { index, name in
            guard index < ledgers.count else { return .object([("name", .string(name)), ("outcome", .string("not read"))]) }
            let ledger = ledgers[index]
            var outcome = "refused", sameAs: String?, storedAs = name
            if index < held.count, let holder = held[index] {
                outcome = "unchanged"
                sameAs = holder
            }
            if index < outcomes.count {
                switch outcomes[index] {
                case .added: outcome = "added"
                case .replaced: outcome = "replaced"
                case .unchanged(let other): outcome = "unchanged"; sameAs = other
                case .storedBeside(let beside, let replaced): outcome = replaced ? "replaced" : "added"; storedAs = beside
                }
            }
            return .object([
                ("name", .string(name)), ("outcome", .string(outcome)), ("stored_as", .string(storedAs)),
                ("same_content_as", sameAs.map(JSONValue.string) ?? .null),
                ("rows_read", .integer(Int64(ledger.rowsRead))), ("rows_accepted", .integer(Int64(ledger.rowsAccepted))),
                ("rows_rejected", .integer(Int64(ledger.rowsRejected))), ("rows_skipped", .integer(Int64(ledger.rowsSkipped))),
                ("rejected_by_reason", .object(ledger.rejectedByReason.sorted { $0.key < $1.key }.map { ($0.key, .integer(Int64($0.value))) })),
                ("skipped_by_reason", .object(ledger.skippedByReason.sorted { $0.key < $1.key }.map { ($0.key, .integer(Int64($0.value))) })),
                // Stored sources whose cells it matches (the warning on stderr), for a scheduler to see.
                ("same_contacts_as", .array((overlaps[name] ?? []).map { other in
                    .object([("source", .string(other.name)), ("matched_contacts", .integer(other.matchedContacts)),
                             ("shared_contacts", .integer(other.sharedContacts)), ("at_the_edge", .bool(other.atTheEdge)),
                             ("by_ids", .bool(other.byIds))])
                })),
            ])
        }
        func count(_ outcome: String) -> JSONValue {
            .integer(Int64(sources.filter { if case .object(let members) = $0 { members.contains { $0.0 == "outcome" && $0.1 == .string(outcome) } } else { false } }.count))
        }
        return .object([
            ("schema", .string("contact-metrics/ingest/1")),
            ("store", .string(storePath)),
            ("store_changed", .bool(outcomes.contains { if case .unchanged = $0 { false } else { true } })),
            ("added", count("added")), ("replaced", count("replaced")), ("unchanged", count("unchanged")), ("refused", count("refused")),
            ("rows_read", .integer(Int64(totals.rowsRead))), ("rows_accepted", .integer(Int64(totals.rowsAccepted))),
            ("rows_rejected", .integer(Int64(totals.rowsRejected))), ("rows_skipped", .integer(Int64(totals.rowsSkipped))),
            ("sources", .array(sources)),
        ])
    }

    /// The stored sources this run may replace, whose open queue_log calls must not feed it: each one
    /// named as an input or stored beside that name (`name@…`, `IngestDisposition.storedBeside`), but
    /// those whose last arrival comes before the input's first event: an earlier night of a log rotated
    /// to the same name, whose open calls the input completes; and quiet nights (`noContactsName`), which only
    /// their own content replaces: one that advanced a call (its CONNECT, between the night of its arrival and
    /// the night of its end) was left out, and the next night completed the call from its arrival again,
    /// counting it twice (found by the store review).
    static func sourcesThisRunMayReplace(_ store: ContactStore, inputs: [String], names: [String],
                                         options: IngestOptions) throws(StoreError) -> Set<String> {
        let stored = try store.sources()
        // Each stored source under the input names it is, or is stored beside (`name@…`): found by the name and
        // its prefixes before an `@`, not by comparing every input with every source (6,000 daily files in one
        // run spent 29% of their time here; found by the performance review).
        var inputsNamed: [String: [Int]] = [:]
        for (index, name) in names.enumerated() { inputsNamed[name, default: []].append(index) }
        var firstEvents: [Int: Double?] = [:]
        var replaceable = Set<String>()
        for source in stored {
            let name = source.name
            var owners = inputsNamed[name] ?? []
            for at in name.indices where name[at] == "@" { owners += inputsNamed[String(name[..<at])] ?? [] }
            for index in owners {
                if firstEvents[index] == nil { firstEvents[index] = QueueLogFileOrder.startTime(of: inputs[index], encoding: options.encoding, options: options) }
                if let firstEvent = firstEvents[index]!, let last = source.ledger.lastArrivalUTC, Double(last) < firstEvent { continue }
                if ContactStore.isNoContactsName(name, of: names[index]) { continue }
                replaceable.insert(name)
            }
        }
        return replaceable
    }

    /// A source's name is the path as given (nightly exports often share a file name, so the basename
    /// would make one night replace another), or `--source-name` for a single input or standard input.
    static func sourceNames(_ inputs: [String], override: String?, arguments: Arguments) throws(UsageError) -> [String] {
        let option = Option.sourceName.spelling
        if let override {
            guard inputs.count == 1 else { throw arguments.fail("\(option) names one input; give one FILE") }
            guard !override.isEmpty else { throw arguments.fail("\(option): empty name") }
            return [override]
        }
        if inputs.contains("-") {
            throw arguments.fail("standard input has no name to record; give \(option) NAME")
        }
        return inputs
    }

    /// `ingest: calls.csv: 12,345 rows (12,340 accepted, 5 rejected) → store.db`, with the skipped rows by
    /// reason when there are any.
    /// - Parameter spansTheNight: stored beside a night whose times it spans (`sameTimesWarning` says why): not
    ///   "holds other times", which the warning after it contradicted (the diff review).
    static func summary(_ source: StoreSourceInput, _ disposition: IngestDisposition, storePath: String, spansTheNight: Bool = false) -> String {
        let ledger = source.ledger
        switch disposition {
        case .unchanged(let other):
            return "ingest: \(source.name): unchanged (" + (other == source.name ? "already ingested" : "same content as \(other)") + ")"
        case .added, .replaced, .storedBeside:
            var counts = "\(DisplayFormat.count(Int64(ledger.rowsAccepted))) accepted, \(DisplayFormat.count(Int64(ledger.rowsRejected))) rejected"
            if ledger.rowsSkipped > 0 {
                // Why, as `report`'s input line says it: a call whose outcome came without its arrival
                // (`call_without_arrival`) began in a file not read yet, which is worth seeing.
                counts += ", \(DisplayFormat.count(Int64(ledger.rowsSkipped))) skipped: " + DisplayFormat.reasons(ledger.skippedByReason)
            }
            var replaced = disposition == .replaced ? " (replaces the earlier version)" : ""
            if case .storedBeside(let name, let again) = disposition {
                let why = ContactStore.isNoContactsName(name, of: source.name)
                    ? "it holds no \(rowsNamed(source)); the source \(source.name) keeps its own"
                    : spansTheNight ? "not a correction of the night it spans: see the warning"
                    // The name may be free (its own night taken out): what it replaces is the night it corrects.
                    : again ? "the night it corrects" : "the source \(source.name) holds other times"
                replaced = " as \(name) (\(why)\(again ? "; replaces the earlier version" : ""))"
            }
            return "ingest: \(source.name): \(DisplayFormat.count(Int64(ledger.rowsRead))) \(ledger.rowsRead == 1 ? "row" : "rows") (\(counts)) → \(storePath)\(replaced)"
        }
    }
}
