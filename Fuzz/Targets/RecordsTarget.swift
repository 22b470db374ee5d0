import Foundation

/// The header reader, record scanner and block worker on one input held in memory (contacts,
/// incidents, or mapped rows through a fixed config), at one block and at two blocks cut where the
/// streaming reader would cut: the cube and the ledger counts must be the same, and every row read is
/// accepted, rejected or skipped.
enum RecordsTarget {
    static let config = try! MappingConfig.parse(Data("""
        {"columns": {"channel": ["queue", "line"], "arrived_at": {"date": "date", "date_format": "DD/MM/YYYY", "time": "start", "time_format": "H:MM:SS"},
         "answered_at": "answered", "contact_id": "id"}, "channels": {"EMERG": "999"}, "outcomes": {"AGENT": "answered"},
         "null_values": ["0:00:00"], "skip": [{"outcome": "PHANTOM"}], "outcome_rules": [{"when": {"answered": null}, "outcome": "abandoned"}],
         "clock_skew_seconds": 2}
        """.utf8), name: "fuzz.json")

    /// JSON records (`JSONRecordScanner`): members one object down, an escaped category.
    static let jsonConfig = try! MappingConfig.parse(Data("""
        {"columns": {"contact_id": "id", "channel": "Queue.Name", "category": "a.b", "arrived_at": "Queue.In", "answered_at": "Agent.At"}}
        """.utf8), name: "fuzz-json.json")

    static func run(_ input: UnsafeRawBufferPointer) {
        var bytes = input
        var options = IngestOptions(timeZone: FuzzSupport.london, grain: .local(.day))
        switch FuzzSupport.choice(&bytes, 5) {
        case 4: options.mapping = jsonConfig
        case 1: options.mapping = config
        case 2: options.dateOrder = .dayFirst
        case 3: options.grain = .utcQuarterHour
        default: break
        }
        let buffer = fuzzBuffer(bytes)
        countingMatchesSplitting(buffer, count: bytes.count)
        guard let header = try? HeaderReader.read(UnsafePointer(buffer.base), filled: bytes.count, atEnd: true, path: "fuzz", options: options) else { return }
        if case .queueLog = header.layout.columns { return }
        let start = header.dataStart, end = bytes.count
        let whole = decode(buffer, [start..<end], header.layout, options)
        var cuts = [start..<end]
        let half = (end - start) / 2
        // Where the streaming reader would cut (`BlockReader`): JSON Lines before a line that starts with `{`.
        let cutAt = header.layout.isJSONLines ? JSONRecordLines.lastStart(in: UnsafePointer(buffer.base) + start, count: half)
            : header.layout.isJSON ? JSONRecordScanner.lastObjectEnd(in: UnsafePointer(buffer.base) + start, count: half)
            : RecordBoundary.lastRecordEnd(in: UnsafePointer(buffer.base) + start, count: half, delimiter: header.layout.quotingDelimiter)
        if let cut = cutAt {
            cuts = [start..<start + cut, start + cut..<end]
        }
        let split = decode(buffer, cuts, header.layout, options)
        fuzzCheck(whole.cube == split.cube, "the cube depends on where the block is cut")
        fuzzCheck(whole.tally == split.tally, "the ledger depends on where the block is cut: \(whole.tally) \(split.tally)")
        let (read, accepted, rejected, skipped) = whole.tally
        fuzzCheck(read == accepted + rejected + skipped, "rows read \(read) ≠ accepted \(accepted) + rejected \(rejected) + skipped \(skipped)")
    }

    /// Every record of the input scanned twice: every field split, and the fields after the first
    /// `needed` counted (what a worker does with columns it does not use). Both must agree on where
    /// the record ends, its field count, its newlines and its quoting problem, and on the spans kept.
    static func countingMatchesSplitting(_ buffer: BlockBuffer, count: Int) {
        let scanner = CSVRecordScanner()
        let base = UnsafePointer(buffer.base)
        let all = UnsafeMutablePointer<FieldSpan>.allocate(capacity: 8), some = UnsafeMutablePointer<FieldSpan>.allocate(capacity: 8)
        defer { all.deallocate(); some.deallocate() }
        var position = 0, records = 0
        while position < count && records < 64 {
            let whole = scanner.scanRecord(in: base, from: position, to: count, spans: all, capacity: 8)
            let needed = 1 + records % 4
            let counted = scanner.scanRecord(in: base, from: position, to: count, spans: some, capacity: 8, needed: needed)
            fuzzCheck(counted.nextPosition == whole.nextPosition && counted.fieldCount == whole.fieldCount
                      && counted.newlineCount == whole.newlineCount && counted.problem == whole.problem
                      && counted.isBlank == whole.isBlank, "counting unused fields differs from splitting them at \(position)")
            for index in 0..<min(needed, whole.fieldCount, 8) {
                fuzzCheck(some[index].start == all[index].start && some[index].end == all[index].end, "a kept span differs")
            }
            position = whole.nextPosition
            records += 1
        }
    }

    static func decode(_ buffer: BlockBuffer, _ ranges: [Range<Int>], _ layout: InputLayout, _ options: IngestOptions)
        -> (cube: Cube, tally: (Int, Int, Int, Int)) {
        var worker = BlockWorker(options: options)
        var tally = RowTally()
        for (sequence, range) in ranges.enumerated() {
            let job = BlockJob(buffer: buffer, start: range.lowerBound, end: range.upperBound, sequence: sequence, fileIndex: 0,
                               path: "fuzz", layout: layout)
            let outcome = worker.process(job)
            fuzzCheck(outcome.rejects.count + outcome.rowsTakenInByQuotes == outcome.tally.rejectedTotal, "a rejected row without a reject record")
            tally.add(outcome.tally)
        }
        let (contacts, incidents) = worker.cells()
        var cube = Cube(grain: options.grain)
        cube.contacts = ContactCells(merging: [contacts])
        cube.incidents = incidents
        return (cube, (tally.rowsRead, tally.accepted, tally.rejectedTotal, tally.skippedTotal))
    }
}
