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
        let stream = try InputOpener.open(name)
        defer { stream.close() }
        var pieces = options.computeContentHash ? PieceHasher() : nil
        var byteCount: Int64 = 0
        var buffer = pool.take()
        var filled = 0
        var consumed = 0
        var atEnd = false
        var layout: InputLayout?
        var readTarget = blockSize
        defer { pool.give(buffer) }

        while !control.isStopped {
            while !atEnd && filled - consumed < readTarget {
                buffer.grow(to: filled + min(readTarget, 1 << 20), keeping: filled)
                let count = try stream.read(into: buffer.base + filled, capacity: buffer.capacity - filled)
                if count == 0 { atEnd = true; break }
                pieces?.update(buffer.base + filled, count: count)
                filled += count
                byteCount += Int64(count)
                bytesReadInRun += Int64(count)
                onProgress?(bytesReadInRun)
            }

            if layout == nil {
                guard let header = try HeaderReader.read(UnsafePointer(buffer.base), filled: filled, atEnd: atEnd, path: path, options: options) else {
                    readTarget = (filled - consumed) + blockSize
                    continue
                }
                layout = header.layout
                consumed = header.dataStart
                collector.beginFile(index: fileIndex, path: path, kind: header.layout.kind,
                                    firstDataLineNumber: 1 + header.lineCount)
            }

            let available = filled - consumed
            if available == 0 && atEnd { break }
            let base = UnsafePointer(buffer.base)
            let longest = options.maximumRecordBytes
            var cut: Int
            if atEnd {
                cut = filled
            } else if let end = RecordBoundary.lastRecordEnd(in: base + consumed, count: available, delimiter: layout!.quotingDelimiter) {
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
               let long = RecordBoundary.firstRecord(longerThan: longest, in: base, from: consumed, to: cut == consumed ? filled : cut,
                                                     atEnd: atEnd && cut == filled, delimiter: layout!.quotingDelimiter) {
                if long > consumed {
                    cut = long
                } else {
                    // With no newline within the limit the cut falls at the limit itself, which may part
                    // a \r from its \n (the next block then starts with a blank line); the same for any
                    // block size.
                    let limit = consumed + longest
                    cut = (ByteSearch.last(ASCII.newline, in: base, from: consumed, to: limit) ?? (limit - 1)) + 1
                }
            }

            let next = pool.take()
            next.grow(to: filled - cut, keeping: 0)
            next.base.update(from: buffer.base + cut, count: filled - cut)
            queue.push(BlockJob(buffer: buffer, start: consumed, end: cut, sequence: sequence,
                                fileIndex: fileIndex, path: path, layout: layout!))
            sequence += 1
            buffer = next
            filled -= cut
            consumed = 0
            readTarget = blockSize
            if atEnd && filled == 0 { break }
        }
        if control.isStopped { return }
        if layout == nil { throw .emptyInput(path: path) }
        collector.finishFile(index: fileIndex, byteCount: byteCount, fingerprint: pieces?.finish())
    }

}
