/// The order `ingest` reads queue_log files in: oldest first. Each file is its own source, and a call a
/// file leaves open is completed by a file read after it (`OpenQueueCall`), so a rotated set given newest
/// first (`queue_log queue_log.1 queue_log.2`, as a shell glob lists them) lost every call that crossed
/// two files: its outcome was read before its arrival (`call_without_arrival`). `report` reads all its
/// files in one run and needs no order.
public enum QueueLogFileOrder {
    /// The indices of `inputs` with the queue_log files among them oldest first, by each file's first
    /// event; every other input (a CSV, standard input, a file that does not start with a queue_log event)
    /// keeps its place. Nil when fewer than two inputs are queue_log files. Ties keep the order given.
    /// `options` as `startTime`'s.
    public static func oldestFirst(_ inputs: [String], encoding: TextEncoding?, options: IngestOptions? = nil) -> [Int]? {
        var places: [Int] = []
        var times: [Double] = []
        for (index, name) in inputs.enumerated() {
            guard let time = startTime(of: name, encoding: encoding, options: options) else { continue }
            places.append(index)
            times.append(time)
        }
        guard places.count > 1 else { return nil }
        let oldestFirst = places.indices.sorted { (times[$0], $0) < (times[$1], $1) }
        var order = Array(inputs.indices)
        for (place, rank) in zip(places, oldestFirst) { order[place] = places[rank] }
        return order
    }

    /// The time of the first event (epoch seconds) of `name`, when it is a regular file that starts with
    /// a queue_log event (standard input and pipes are not read ahead). With the run's `options`, as the reader
    /// tells a file's kind: none with `--kind` other than queue-log; a first line cut short is passed over only
    /// with `--kind queue-log` (without it, the reader refuses such a file as of unknown kind), and not when a
    /// delimiter is given or the line reads as a header (`QueueLogLayout.firstEvent`).
    public static func startTime(of name: String, encoding: TextEncoding?, options: IngestOptions? = nil) -> Double? {
        guard InputOpener.isRegularFile(name), options?.forcedKind == nil || options?.forcedKind == .queueLog else { return nil }
        return (try? firstEventTime(name, encoding: encoding, options: options)) ?? nil
    }

    /// The time of the file's first line (epoch seconds), when that line is a queue_log event, or else of its second
    /// when the lines after the first are events (`QueueLogLayout.firstEventLine`: a first line cut short, as a
    /// rotation by copy and truncate can leave it: read as no queue_log, a nightly `queue_log.1` was taken for a
    /// new version of the night before, and every call that night left open was lost: the review of 7 December
    /// 2026). A first event more than a day before the next is one cut inside its time (`554189735|…`, 1987): the
    /// next one's time is taken. So is one that is no event plainly (`QueueLogLayout.isEvent`: cut where its callid
    /// began, `1554073200.5|EMERGENCY|…`, whose time is that callid's), when the lines after it are.
    static func firstEventTime(_ name: String, encoding: TextEncoding?, options: IngestOptions? = nil) throws(InputError) -> Double? {
        let stream = try InputOpener.open(name, encoding: encoding)
        defer { stream.close() }
        // As far as the reader looks to tell the kind (a cut first line of 4 KiB or more left a night undated, and
        // taken for a new version of the one before: the third diff review).
        let capacity = 1 << 16
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + BlockBuffer.slack)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0, count: capacity + BlockBuffer.slack)
        var filled = 0
        while filled < capacity {
            let count = try stream.read(into: buffer + filled, capacity: capacity - filled)
            if count == 0 { break }
            filled += count
        }
        // A UTF-8 byte-order mark (a log saved by a Windows editor) and Excel's `sep=|` line come before
        // the first event; the reader skips both, so must this.
        var lineStart = filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0
        var allowsCutFirstLine = options?.forcedKind == .queueLog && options?.delimiter == nil
        if let (_, next) = HeaderReader.separatorHint(buffer, from: lineStart, to: filled) { (lineStart, allowsCutFirstLine) = (next, false) }
        // Blank lines before the first event, as the reader skips them.
        while lineStart < filled && (buffer[lineStart] == ASCII.newline || buffer[lineStart] == ASCII.carriageReturn) { lineStart += 1 }
        // A first line that is not plainly an event (cut where its callid began, its time is a callid's) is passed over.
        func firstEvent(strictly: Bool) -> Int? {
            QueueLogLayout.firstEvent(buffer, from: lineStart, to: filled, strictly: strictly, mapping: options?.mapping, path: name,
                                      allowsCutFirstLine: allowsCutFirstLine)
        }
        guard let eventStart = firstEvent(strictly: true) ?? firstEvent(strictly: false) else { return nil }
        let lineEnd = ByteSearch.first(ASCII.newline, in: buffer, from: eventStart, to: filled)
        guard let first = Self.time(buffer, from: eventStart, to: lineEnd) else { return nil }
        let nextEnd = lineEnd < filled ? ByteSearch.first(ASCII.newline, in: buffer, from: lineEnd + 1, to: filled) : filled
        if nextEnd < filled, QueueLogLayout.looksLikeQueueLog(buffer, from: lineEnd + 1, to: nextEnd),
           let next = Self.time(buffer, from: lineEnd + 1, to: nextEnd), next - first > 86_400 {
            return next
        }
        return first
    }

    /// The epoch time before a queue_log line's first `|`.
    private static func time(_ buffer: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Double? {
        let pipe = ByteSearch.first(ASCII.pipe, in: buffer, from: start, to: end)
        return Double(String(decoding: UnsafeBufferPointer(start: buffer + start, count: pipe - start), as: UTF8.self))
    }
}
