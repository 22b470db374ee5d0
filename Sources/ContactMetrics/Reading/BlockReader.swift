/// The reader side of the pipeline: fills buffers from one input after another, reads each header,
/// and queues blocks of whole records. Runs on the caller's thread.
struct BlockReader {
    let blockSize: Int
    let pool: BufferPool
    let queue: JobQueue
    let collector: OrderedCollector
    let options: IngestOptions
    let control: RunControl
    /// The sequence number of the next block (shared with range reading, see `IngestEngine`).
    var sequence = 0
    /// Blocks of JSON objects one after another may end at a guessed place between objects
    /// (`JSONRecordScanner.lastPlaceBetweenObjects`, checked by the decoder) instead of one the depth
    /// scan proves: only when the run can be read again if a guess is wrong.
    var guessesObjectEnds = false
    private var bytesReadInRun: Int64 = 0

    init(blockSize: Int, pool: BufferPool, queue: JobQueue, collector: OrderedCollector, options: IngestOptions, control: RunControl) {
        self.blockSize = blockSize
        self.pool = pool
        self.queue = queue
        self.collector = collector
        self.options = options
        self.control = control
    }

    mutating func read(name: String, fileIndex: Int, onProgress: ((Int64) -> Void)?) throws(InputError) {
        let path = InputOpener.displayName(name)
        let stream = try InputOpener.open(name, encoding: options.encoding)
        defer { stream.close() }
        var pieces = options.computeContentHash ? PieceHasher() : nil
        var byteCount: Int64 = 0
        var buffer = pool.take()
        var filled = 0
        var consumed = 0
        var atEnd = false
        var layout: InputLayout?
        var readTarget = blockSize
        var tooLong = false
        var droppedNewlines = 0, neverCloses = false
        defer { pool.give(buffer) }

        /// Reads what follows into the buffer at `filled`; false at the end of the input.
        func readMore(upTo target: Int) throws(InputError) -> Bool {
            buffer.grow(to: filled + min(target, 1 << 20), keeping: filled)
            let count = try stream.read(into: buffer.base + filled, capacity: buffer.capacity - filled)
            if count == 0 { return false }
            pieces?.update(buffer.base + filled, count: count)
            filled += count
            byteCount += Int64(count)
            bytesReadInRun += Int64(count)
            onProgress?(bytesReadInRun)
            return true
        }

        /// For an object at `start` longer than the limit: keeps its first bytes (for the rejects file), reads
        /// and drops the rest to the object's end (or the input's), and moves what follows it right after the
        /// kept bytes. Returns where the kept record ends, the line breaks dropped with the rest, and whether
        /// the object never closed.
        func dropRestOfObject(from start: Int) throws(InputError) -> (cut: Int, droppedNewlines: Int, neverCloses: Bool) {
            let kept = start + min(RecordTooLong.keptBytes, options.maximumRecordBytes)
            var search = JSONRecordScanner.ObjectEndSearch(stopsAtRecordLine: layout?.isJSONLines == true)
            var end = search.end(in: UnsafePointer(buffer.base), from: start, to: filled)
            var dropped = 0
            while end == nil && !atEnd {
                dropped += ByteSearch.count(ASCII.newline, in: UnsafePointer(buffer.base), from: kept, to: filled)
                filled = kept
                if try !readMore(upTo: blockSize) { atEnd = true }
                end = search.end(in: UnsafePointer(buffer.base), from: kept, to: filled)
            }
            let resume = end ?? filled
            dropped += ByteSearch.count(ASCII.newline, in: UnsafePointer(buffer.base), from: kept, to: resume)
            (buffer.base + kept).update(from: buffer.base + resume, count: filled - resume)
            filled = kept + (filled - resume)
            return (kept, dropped, end == nil)
        }

        while !control.isStopped {
            while !atEnd && filled - consumed < readTarget {
                if try !readMore(upTo: readTarget) { atEnd = true }
            }

            if layout == nil {
                guard let header = try HeaderReader.read(UnsafePointer(buffer.base), filled: filled, atEnd: atEnd, path: path, options: options) else {
                    readTarget = (filled - consumed) + blockSize
                    continue
                }
                layout = header.layout
                consumed = header.dataStart
                collector.beginFile(index: fileIndex, path: path, kind: header.layout.kind,
                                    firstDataLineNumber: 1 + header.lineCount, firstSequence: sequence,
                                    judgedDelimiter: header.layout.delimiterWasJudged ? header.layout.delimiter : nil,
                                    absentMembers: header.layout.absentMembers, lacksIds: header.layout.lacksIdColumn)
            }

            let available = filled - consumed
            if available == 0 && atEnd { break }
            let base = UnsafePointer(buffer.base)
            let longest = options.maximumRecordBytes
            var cut: Int
            var cutIsGuessed = false
            if atEnd {
                cut = filled
            } else if guessesObjectEnds && layout!.isJSON && !layout!.isJSONLines,
                      let end = JSONRecordScanner.lastPlaceBetweenObjects(in: base + consumed, count: available) {
                // Measured: the depth scan was 3,200 instructions of an Amazon Connect record's 23,200 on a
                // gzipped Firehose file, on the thread that also inflates it.
                cut = consumed + end
                cutIsGuessed = true
            } else if let end = layout!.isJSONLines ? JSONRecordLines.lastStart(in: base + consumed, count: available)
                        : layout!.isJSON ? JSONRecordScanner.lastObjectEnd(in: base + consumed, count: available)
                        : RecordBoundary.lastRecordEnd(in: base + consumed, count: available, delimiter: layout!.quotingDelimiter) {
                cut = consumed + end
            } else if available > longest {
                cut = consumed  // one record longer than the limit: cut below
            } else {
                readTarget = available + blockSize
                continue
            }
            // A record longer than the limit (a quote that never closes swallows everything after it)
            // is cut at its last newline within the limit, and reading goes on from there as from a
            // record start. Decided by the record's own length, so that the result does not depend on
            // the block size; range reading gives the file to this reader when it meets one.
            if cut == consumed || cut - consumed > longest,
               let long = layout!.isJSONLines
                   ? JSONRecordLines.firstRecord(longerThan: longest, in: base, from: consumed, to: cut == consumed ? filled : cut,
                                                 atEnd: atEnd && cut == filled)
                   : layout!.isJSON
                   ? JSONRecordScanner.firstObject(longerThan: longest, in: base, from: consumed, to: cut == consumed ? filled : cut,
                                                   atEnd: atEnd && cut == filled)
                   : RecordBoundary.firstRecord(longerThan: longest, in: base, from: consumed, to: cut == consumed ? filled : cut,
                                                atEnd: atEnd && cut == filled, delimiter: layout!.quotingDelimiter) {
                cutIsGuessed = false  // the cut below is proved (or is a line end of a record too long)
                if long > consumed {
                    cut = long
                } else if layout!.isJSON {
                    // Objects one after another: the rest of the file may have no line break at all (a
                    // Firehose delivery), and a line end inside the object is no place to go on from (nor in
                    // JSON Lines written pretty-printed). The object is one rejected record to its own end (or,
                    // in JSON Lines, the next line that starts with `{`); the next record is read as usual.
                    (cut, droppedNewlines, neverCloses) = try dropRestOfObject(from: consumed)
                    tooLong = true
                } else if let newline = ByteSearch.last(ASCII.newline, in: base, from: consumed, to: consumed + longest) {
                    cut = newline + 1
                } else {
                    // One line longer than the limit with no line break in it: one rejected record, to its
                    // line break or the end of the input. Only its first bytes are kept (for the rejects
                    // file); the rest is read and dropped, so memory stays bounded however long it is.
                    let kept = consumed + min(RecordTooLong.keptBytes, longest)
                    var lineEnd = ByteSearch.first(ASCII.newline, in: base, from: consumed + longest, to: filled)
                    while lineEnd >= filled && !atEnd {
                        filled = kept
                        if try !readMore(upTo: blockSize) { atEnd = true }
                        lineEnd = ByteSearch.first(ASCII.newline, in: UnsafePointer(buffer.base), from: kept, to: filled)
                    }
                    if lineEnd < filled {
                        // Keep the line break and what follows it right after the kept bytes.
                        (buffer.base + kept).update(from: buffer.base + lineEnd, count: filled - lineEnd)
                        filled = kept + (filled - lineEnd)
                        cut = kept + 1
                    } else {
                        filled = kept
                        cut = kept
                    }
                    tooLong = true
                }
            }

            let next = pool.take()
            next.grow(to: filled - cut, keeping: 0)
            next.base.update(from: buffer.base + cut, count: filled - cut)
            queue.push(BlockJob(buffer: buffer, start: consumed, end: cut, sequence: sequence,
                                fileIndex: fileIndex, path: path, layout: layout!, recordTooLong: tooLong,
                                endIsGuessed: cutIsGuessed, droppedNewlines: droppedNewlines, recordNeverCloses: neverCloses))
            tooLong = false
            (droppedNewlines, neverCloses) = (0, false)
            sequence += 1
            buffer = next
            filled -= cut
            consumed = 0
            readTarget = blockSize
            if atEnd && filled == 0 { break }
        }
        if control.isStopped { return }
        if layout == nil { throw .emptyInput(path: path) }
        collector.finishFile(index: fileIndex, byteCount: byteCount, fingerprint: pieces?.finish(),
                             warning: (stream as? TranscodingStream)?.warning(path: path))
    }

}
