import Foundation

/// How an ingest run reads and accumulates its inputs.
public struct IngestOptions: Sendable {
    /// Worker threads (`--threads`). They read uncompressed files themselves, so this is the number of
    /// busy threads; gzip files and standard input are streamed to them by the calling thread.
    public var threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Bytes read per block (cut back to the last whole record). 1 MiB stays in L2 (DESIGN §9).
    public var blockSize: Int = 1 << 20
    /// Let the workers read uncompressed regular files in ranges (see `IngestEngine`); false streams
    /// every input through the calling thread. The figures are the same either way.
    public var readsRanges = true
    /// Range reading maps the file (`FileMapping`) rather than copying each range. Internal: tests
    /// compare both ways.
    var mapsFiles = true
    /// Ranges shorter than this are copied even so: mapping one costs a few system calls and a page
    /// table, which a small copy does not (`--block-size 4096` over a large file makes hundreds of
    /// thousands of ranges). Internal: tests map tiny ranges.
    var smallestMappedRange = 256 << 10
    /// Called with each range's path, and whether it was mapped, once it is read and before it is
    /// decoded. Internal: tests cut the file short there.
    var afterRangeRead: (@Sendable (String, Bool) -> Void)?
    /// A record longer than this with no end in sight is cut at its last newline (an unbalanced
    /// quote would otherwise make the reader hold the rest of the file). Internal: tests lower it.
    var maximumRecordBytes = 16 << 20
    /// Distinct labels of one kind a run may hold (`LabelLimit`). Internal: tests lower it.
    var labelLimit = LabelLimit.labels
    /// Memory for duplicate detection's ids, all workers together: half for the workers' logs
    /// (`IdLog`), half for the search at the end (`DuplicateFinder`); what does not fit goes to a
    /// scratch file. nil: 16 MiB, or 4 MiB a worker if more. Internal: tests set tiny budgets (chunks
    /// of four records that spill at once, a search in many passes).
    var idMemoryBudget: Int?
    var effectiveIdMemoryBudget: Int { idMemoryBudget ?? max(16 << 20, max(1, threads) * (4 << 20)) }
    /// Where the scratch file goes (nil: `$TMPDIR`, else `/tmp`). Internal: tests.
    var scratchDirectory: String?
    /// queue_log call legs held before settled ones are let go (`QueueCallJoiner`). Internal: tests lower it.
    var queueLegsHeld = 1 << 16
    /// How ids are spread over buckets and slots. Internal: tests crowd them (`IdMixing.crowded`).
    var idMixing = IdMixing.spread
    /// The report time zone: naive timestamps are read in it, and local periods are its periods.
    public var timeZone: TimeZoneRules
    /// Waits above this many seconds are rejected as `implausible_wait` (`--max-plausible-wait`); nil:
    /// only waits over a day are (`implausible_duration`).
    public var longestWaitSeconds: Int64?
    public var dateOrder: DateOrder = .yearFirst
    /// Judge the date order from the inputs before reading them (`DateOrderScan`): a date such as
    /// `13/04/2019` proves day first, and the run reads with that order (stated in the ledger's notes).
    /// The CLI sets this when `--date-order` is not given.
    public var judgesDateOrder = false
    /// With `judgesDateOrder`: an order known from elsewhere (`ingest`: the store's source of the same name, the
    /// store's sources, the run's other files), and whose it is, for a warning; taken by an input whose dates all read
    /// both ways. A UK system's nightly export of the 1st to the 12th of a month proves nothing alone, and was refused.
    public var dateOrderElsewhere: (order: DateOrder, whose: String)?
    public var grain: CellGrain
    /// Inclusive local-date filter (days since 1970-01-01); rows outside are skipped, not rejected.
    public var fromDay: Int64?
    public var toDay: Int64?
    /// Inclusive local-day windows (compare's before and after); when not empty, rows outside every
    /// window are skipped like rows outside `fromDay...toDay`.
    public var dayWindows: [ClosedRange<Int64>] = []
    /// Channels that are submissions (received and categories only, no queue metrics).
    public var submissionChannels: Set<String> = ["online"]
    /// Leave out rows whose id repeats an earlier row's id (they are counted as skipped).
    public var dedupe = false
    /// Read every input as this kind instead of detecting it from the header.
    public var forcedKind: InputKind?
    /// Compute a content hash of each input (the store uses it to recognise re-ingested sources).
    public var computeContentHash = false
    /// Keep the contact cells in this spill rather than in memory (`ingest`, at the store's grain): the
    /// result's `spilledContacts` holds them and its cube holds none.
    public var cellSpill: CellSpill?
    /// queue_log call legs that earlier sources left open, by callid code (`OpenQueueCall.call`), each call's
    /// oldest first: this run's events complete them (the store's nightly runs; used at the `.utcQuarterHour`
    /// grain only).
    public var openQueueCalls: [UInt64: [OpenQueueCall]] = [:]
    /// How to read exports that do not use the canonical columns, and the queue_log queue map (`--config`).
    public var mapping: MappingConfig?
    /// `--dedupe` with a config that maps `updated_at`: of rows repeating an id, the latest updated is kept.
    var keepsLatestUpdate: Bool { dedupe && mapping?.columns["updated_at"] != nil }
    /// The field delimiter chosen by the user (`--delimiter`), over the config's; nil: the config's, else
    /// judged from each file's header line (`HeaderReader.delimiter(judgedFrom:)`).
    public var delimiter: FieldDelimiter?
    /// The inputs' character encoding (`--encoding`, over the config's); nil: UTF-8, or UTF-16 where a
    /// file starts with its byte-order mark. Other encodings are streamed through `TranscodingStream`.
    public var encoding: TextEncoding?
    /// Whether inputs in `encoding` must be transcoded (so read by the streaming reader, not in ranges).
    var transcodes: Bool { encoding.map { $0 != .utf8 } ?? false }

    /// How the inputs are read, as the store records it with each source: everything that changes what
    /// the same bytes give (the zone of naive times, date order, kind, dedupe, submission channels and
    /// the config's content), and nothing that does not (threads, block size), so that reading a source
    /// again another way replaces it instead of being "unchanged".
    public var readingRecord: String {
        [
            "tz=\(timeZone.identifier)", "date-order=\(dateOrder.rawValue)", "kind=\(forcedKind?.rawValue ?? "auto")",
            "dedupe=\(dedupe)", "submission-channels=\(submissionChannels.sorted().joined(separator: ","))",
            "config=\(mapping?.contentDigest ?? "none")",
        ].joined(separator: ";")
            // Only when chosen, so that sources read before the option existed keep their record.
            + (delimiter.map { ";delimiter=\($0.name)" } ?? "")
            + (encoding.map { ";encoding=\($0.rawValue)" } ?? "")
            + (longestWaitSeconds.map { ";max-plausible-wait=\($0)" } ?? "")
            // How `empty_is_zero` reads an answered call's answer of empty parts changed (0 s, not untimed): a store's
            // sources read with such a config before then are read again, not "unchanged" (found by the diff review).
            + (mapping?.columns.values.contains { $0.offset?.emptyIsZero == true } == true ? ";empty-is-zero=2" : "")
    }

    public init(timeZone: TimeZoneRules, grain: CellGrain) {
        self.timeZone = timeZone
        self.grain = grain
    }
}
