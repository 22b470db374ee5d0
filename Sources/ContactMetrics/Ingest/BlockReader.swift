/// The reader side of the pipeline: fills buffers from one input after another, reads each header,
/// and queues blocks of whole records. Runs on the caller's thread.
struct BlockReader {
    let blockSize: Int
    let pool: BufferPool
    let queue: JobQueue
    let collector: OrderedCollector
    let options: IngestOptions
    private var sequence = 0
    private var bytesReadInRun: Int64 = 0

    init(blockSize: Int, pool: BufferPool, queue: JobQueue, collector: OrderedCollector, options: IngestOptions) {
        self.blockSize = blockSize
        self.pool = pool
        self.queue = queue
        self.collector = collector
        self.options = options
    }

    mutating func read(name: String, fileIndex: Int, onProgress: ((Int64) -> Void)?) throws(InputError) {
        let path = InputOpener.displayName(name)
        let stream = try InputOpener.open(name)
        defer { stream.close() }
        var fingerprint = options.computeContentHash ? ContentFingerprint() : nil
        var byteCount: Int64 = 0
        var buffer = pool.take()
        var filled = 0
        var consumed = 0
        var atEnd = false
        var layout: InputLayout?
        var readTarget = blockSize
        defer { pool.give(buffer) }

        while true {
            while !atEnd && filled - consumed < readTarget {
                buffer.grow(to: filled + min(readTarget, 1 << 20), keeping: filled)
                let count = try stream.read(into: buffer.base + filled, capacity: buffer.capacity - filled)
                if count == 0 { atEnd = true; break }
                fingerprint?.update(buffer.base + filled, count: count)
                filled += count
                byteCount += Int64(count)
                bytesReadInRun += Int64(count)
                onProgress?(bytesReadInRun)
            }

            if layout == nil {
                guard let header = try readHeader(buffer, filled: filled, atEnd: atEnd, path: path) else {
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
            var cut: Int
            if atEnd {
                cut = filled
            } else if layout!.isLineBased, let newline = ByteSearch.last(ASCII.newline, in: base, from: consumed, to: filled) {
                cut = newline + 1  // no quoting: every newline ends a record
            } else if let end = RecordBoundary.lastRecordEnd(in: base + consumed, count: available) {
                cut = consumed + end
            } else if available >= IngestEngine.maximumRecordBytes {
                let limit = consumed + IngestEngine.maximumRecordBytes
                cut = (ByteSearch.last(ASCII.newline, in: base, from: consumed, to: limit) ?? (limit - 1)) + 1
            } else {
                readTarget = available + blockSize
                continue
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
        if layout == nil { throw .emptyInput(path: path) }
        collector.finishFile(index: fileIndex, byteCount: byteCount, fingerprint: fingerprint?.hexDigest)
    }

    private struct Header {
        var layout: InputLayout
        var dataStart: Int
        var lineCount: Int
    }

    /// Parses the header record, or returns nil when more bytes are needed to see all of it.
    private func readHeader(_ buffer: BlockBuffer, filled: Int, atEnd: Bool, path: String) throws(InputError) -> Header? {
        let base = UnsafePointer(buffer.base)
        var start = 0
        if filled >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }  // UTF-8 BOM
        if filled == start {
            if atEnd { throw .emptyInput(path: path) }
            return nil
        }
        if options.forcedKind == .queueLog || (options.forcedKind == nil && QueueLogLayout.looksLikeQueueLog(base, from: start, to: filled)) {
            // queue_log has no header: its first line is data. Decide once the first line is whole.
            let newline = ByteSearch.first(ASCII.newline, in: base, from: start, to: filled)
            if newline >= filled && !atEnd { return nil }
            let layout = InputLayout(columns: .queueLog(QueueLogLayout(mapping: options.mapping)), columnCount: 0, headerNames: [],
                                     delimiter: .byte(ASCII.pipe))
            return Header(layout: layout, dataStart: start, lineCount: 0)
        }
        let capacity = 4096
        let spans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: capacity)
        defer { spans.deallocate() }
        let record = RecordSplitter(options.mapping?.delimiter ?? .byte(ASCII.comma)).scanRecord(in: base, from: start, to: filled, spans: spans, capacity: capacity)
        let terminated = record.nextPosition < filled || base[record.nextPosition - 1] == ASCII.newline
        if !atEnd && (!terminated || record.problem == .unterminatedQuote) { return nil }
        var names: [String] = []
        for index in 0..<min(record.fieldCount, capacity) {
            let span = spans[index]
            var text = String(decoding: UnsafeBufferPointer(start: base + span.start, count: span.count), as: UTF8.self)
            if span.hasEscapedQuote { text = text.replacingOccurrences(of: "\"\"", with: "\"") }
            names.append(text)
        }
        let layout = try InputLayout.detect(header: names, path: path, forcedKind: options.forcedKind, mapping: options.mapping)
        return Header(layout: layout, dataStart: record.nextPosition, lineCount: record.newlineCount)
    }
}

import Foundation
