/// A worker's side of range reading: reads one range of a `SplitInput` into the worker's own
/// buffer and finds the whole records that belong to it, so that `BlockWorker` can decode them like
/// any block.
///
/// Records belong to the range they start in. Whether a newline ends a record depends on the quote
/// state before it (`QuoteState`), which the worker learns from the ranges before its own
/// (`QuoteStateChain`). So the range's records run from the first record start at or after its first
/// byte to the first record start at or after the next range's first byte; the reader reads a little
/// past its range to find that end, and more when a record is long. The result is exactly the
/// records a sequential scan of the file finds.
struct RangeReader {
    enum Prepared {
        /// Whole records to decode, and the fingerprint pieces that start in the range.
        case block(BlockJob, pieces: [ContentPiece])
        /// The run stopped while this worker waited.
        case stopped
        /// A record is longer than `IngestOptions.maximumRecordBytes`: the streaming reader cuts such
        /// records, so the run is handed to it.
        case giveUp
    }

    private let buffer: BlockBuffer
    /// The mapped bytes of the last `prepare`, kept until its block is decoded (`release`).
    private let shown = ShownBytes()

    private final class ShownBytes {
        var mapping: FileMapping?
        /// The end of the bytes read from it (a file offset).
        var end = 0
    }
    private let fingerprints: Bool
    /// `IngestOptions.maximumRecordBytes`; longer than a block (`IngestEngine` asks for four), so a
    /// record that long is always the last one of the range it starts in.
    private let longest: Int

    private let afterRead: (@Sendable (String, Bool) -> Void)?

    init(options: IngestOptions) {
        afterRead = options.afterRangeRead
        buffer = BlockBuffer(capacity: options.blockSize + 4096)
        fingerprints = options.computeContentHash
        longest = options.maximumRecordBytes
    }

    /// Done with the block of the last `prepare`: its bytes are unmapped.
    func release() {
        shown.mapping = nil
    }

    /// - Throws: `InputError.readFailed` when the file became shorter while the last block was read
    ///   from its mapping (`SplitInput.check`).
    func checkBytesRead(_ job: RangeJob) throws(InputError) {
        if let mapping = shown.mapping { try job.input.check(mapping, readUpTo: shown.end) }
    }

    /// Reads range `job.index` and cuts it to whole records.
    /// - Throws: `InputError.readFailed`.
    func prepare(_ job: RangeJob) throws(InputError) -> Prepared {
        let input = job.input
        let nominal = input.nominalRange(job.index)
        let isFirst = job.index == 0, isLast = nominal.upperBound == input.size
        // One byte before the range, to see whether the range starts a field or a record; the first
        // range of a fingerprinted file reads its header too (its first piece holds it).
        let origin = isFirst ? (fingerprints ? 0 : nominal.lowerBound) : nominal.lowerBound - 1
        var filled = min(input.size, nominal.upperBound + min(4096, max(256, input.blockSize))) - origin
        if let mapping = input.map(offset: origin, count: filled) {
            shown.mapping = mapping
            shown.end = origin + filled
            buffer.show(mapping.base)
        } else {
            shown.mapping = nil
            buffer.grow(to: filled, keeping: 0)
            try input.read(into: buffer.base, offset: origin, count: filled)
        }

        afterRead?(input.path, shown.mapping != nil)
        let start = nominal.lowerBound - origin, end = nominal.upperBound - origin
        let pieces = fingerprints ? try input.pieces(ofRange: job.index, bytes: buffer.base, origin: origin, count: filled) : []

        /// The first record start at or after `position` (the file's end when there is none). Nil when
        /// there is none within `longest` bytes: the record around `position` is then longer than that.
        func recordStart(atOrAfter position: Int, state: QuoteState) throws(InputError) -> Int? {
            if input.layout.isJSONLines {
                if position < filled && JSONRecordLines.startsRecord(buffer.base, at: position) { return position }
                return try search(from: position) { base, limit in JSONRecordLines.firstStart(in: base, from: position, to: limit) ?? limit + 1 }
            }
            if state == .outside && buffer.base[position - 1] == ASCII.newline { return position }
            let delimiter = input.quotingDelimiter
            let fieldStart = delimiter.map { RecordBoundary.isFieldStart(buffer.base, position, delimiter: $0) } ?? true
            return try search(from: position) { base, limit in
                RecordBoundary.firstRecordStart(in: base, from: position, to: limit, state: state, fieldStart: fieldStart, delimiter: delimiter)
                    ?? limit + 1
            }
        }

        /// Runs `find` on the bytes read so far, up to `longest` bytes from `position` (it answers more
        /// than its limit for "not found"), reading more until it succeeds or the file ends.
        func search(from position: Int, _ find: (UnsafePointer<UInt8>, Int) -> Int) throws(InputError) -> Int? {
            while true {
                let limit = min(filled, position + longest)
                let found = find(buffer.base, limit)
                if found <= limit { return found }
                if limit == position + longest { return nil }
                if origin + filled == input.size { return filled }
                let more = min(input.size - origin, filled * 2, position + longest) - filled
                if let mapped = shown.mapping {
                    // What was searched is checked before the mapping that shows it goes.
                    try input.check(mapped, readUpTo: shown.end)
                    if let larger = input.map(offset: origin, count: filled + more) {
                        shown.mapping = larger
                        shown.end = origin + filled + more
                        buffer.show(larger.base)
                        filled += more
                        continue
                    }
                    // Copied from here on.
                    buffer.grow(to: filled + more, keeping: 0)
                    buffer.base.update(from: mapped.base, count: filled)
                    try input.check(mapped, readUpTo: shown.end)
                    shown.mapping = nil
                } else {
                    buffer.grow(to: filled + more, keeping: filled)
                }
                try input.read(into: buffer.base + filled, offset: origin + filled, count: more)
                filled += more
            }
        }

        if input.layout.isJSON && !input.layout.isJSONLines {
            // Whether an object starts in the range is known from the bytes read (256 past it), so that the
            // ranges inside an object larger than a range cost their own length, not the object's.
            let firstInRange = isFirst ? start
                : JSONRecordScanner.firstPlaceBetweenObjects(in: buffer.base, from: start,
                                                             to: min(filled, end + JSONRecordScanner.maximumSpaceBetweenObjects + 1))
            guard let first = firstInRange, first < end else {
                return .block(BlockJob(buffer: buffer, start: start, end: start, sequence: job.sequence, fileIndex: input.fileIndex,
                                       path: input.path, layout: input.layout), pieces: pieces)
            }
            return try jsonObjects(job, origin: origin, first: first, end: end, isLast: isLast, pieces: pieces) {
                position throws(InputError) in
                try search(from: position) { base, limit in
                    JSONRecordScanner.firstPlaceBetweenObjects(in: base, from: position, to: limit) ?? limit + 1
                }
            }
        }

        var entry = QuoteState.outside, exit = QuoteState.outside
        if let delimiter = input.quotingDelimiter {
            let fieldStart = isFirst || RecordBoundary.isFieldStart(buffer.base, start, delimiter: delimiter)
            let exits = QuoteExits.exits(in: buffer.base, from: start, to: end, fieldStart: fieldStart, delimiter: delimiter)
            input.quoteStates.publish(range: job.index, exits: exits)
            guard let state = input.quoteStates.entryState(range: job.index) else { return .stopped }
            entry = state
            exit = state == .outside ? exits.0 : state == .inside ? exits.1 : exits.2
        }
        guard let first = isFirst ? start : try recordStart(atOrAfter: start, state: entry),
              let last = isLast ? end : try recordStart(atOrAfter: end, state: exit) else { return .giveUp }
        if last - first > longest && first < end {
            // Only the range's last record can be that long: find where it starts.
            let lastStart = (input.layout.isJSONLines ? JSONRecordLines.lastStart(in: buffer.base + first, count: end - first)
                : RecordBoundary.lastRecordEnd(in: buffer.base + first, count: end - 1 - first, delimiter: input.quotingDelimiter))
                .map { first + $0 } ?? first
            if last - lastStart > longest { return .giveUp }
        }
        let block = BlockJob(buffer: buffer, start: first, end: max(first, last), sequence: job.sequence, fileIndex: input.fileIndex,
                             path: input.path, layout: input.layout)
        return .block(block, pieces: pieces)
    }

    /// JSON objects one after another (a Firehose delivery): the range's objects run from the first place
    /// between objects (`JSONRecordScanner.firstPlaceBetweenObjects`) at or after its first byte, `first`,
    /// to the first at or after the next range's (found by `placeAtOrAfter`). Those places are guessed, not
    /// proved: the decoder proves each block's end (`BlockOutcome.endsInsideObject`), and one wrong
    /// guess hands the run to the streaming reader, whose depth scan is exact. A guess is only wrong
    /// when a string holds `}` and `{` with only space between them.
    private func jsonObjects(_ job: RangeJob, origin: Int, first: Int, end: Int, isLast: Bool, pieces: [ContentPiece],
                             placeAtOrAfter: (Int) throws(InputError) -> Int?) throws(InputError) -> Prepared {
        guard let last = isLast ? end : try placeAtOrAfter(end) else { return .giveUp }
        // An object longer than the streaming reader's limit is cut by it (`RecordTooLong`): rather than
        // find out whether one is, hand over any range whose objects span more than the limit.
        if last - first > longest { return .giveUp }
        var block = BlockJob(buffer: buffer, start: first, end: max(first, last), sequence: job.sequence, fileIndex: job.input.fileIndex,
                             path: job.input.path, layout: job.input.layout)
        block.endIsGuessed = origin + last < job.input.size
        return .block(block, pieces: pieces)
    }
}
