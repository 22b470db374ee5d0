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

    /// The time (epoch seconds) of the file's first plain event (`QueueLogLayout.isEvent`), when the reader takes the
    /// file for a queue_log: with `--kind queue-log`, or with no `--kind` when its first line looks like an event.
    /// Lines before it are passed over: a first line a rotation by copy and truncate cut short, junk, NULs, a line cut
    /// where its callid began (`1554073200.5|EMERGENCY|…`, whose time is that callid's). Dated by its first line, such a
    /// nightly `queue_log.1` was taken for a new version of the night before, and the calls that night left open were
    /// lost (the reviews of 7 December 2026). A first plain event more than a day before the next is one cut inside
    /// its time (`554189735|…`, 1987): the next one's time is taken. With no plain event in the first 64 MiB, the
    /// first line's time, if it looks like an event.
    static func firstEventTime(_ name: String, encoding: TextEncoding?, options: IngestOptions? = nil) throws(InputError) -> Double? {
        let stream = try InputOpener.open(name, encoding: encoding)
        defer { stream.close() }
        let reader = LineWindow(stream: stream)
        try reader.fill()
        // A UTF-8 byte-order mark (a log saved by a Windows editor), Excel's `sep=|` line and blank lines come before
        // the first event; the reader skips them, so must this.
        var start = reader.filled >= 3 && reader.bytes[0] == 0xEF && reader.bytes[1] == 0xBB && reader.bytes[2] == 0xBF ? 3 : 0
        if let (_, next) = HeaderReader.separatorHint(reader.bytes, from: start, to: reader.filled) { start = next }
        while start < reader.filled && (reader.bytes[start] == ASCII.newline || reader.bytes[start] == ASCII.carriageReturn) { start += 1 }
        let firstLooksLikeEvent = QueueLogLayout.looksLikeQueueLog(reader.bytes, from: start, to: reader.filled)
        guard options?.forcedKind == .queueLog || (options?.forcedKind == nil && firstLooksLikeEvent) else { return nil }
        var plain: [Double] = []
        var lineStart = start
        while plain.count < 2 && lineStart < reader.filled {
            let lineEnd = ByteSearch.first(ASCII.newline, in: reader.bytes, from: lineStart, to: reader.filled)
            if lineEnd == reader.filled, try reader.fillMore() { continue }  // the line goes on past the window
            if QueueLogLayout.isEvent(reader.bytes, from: lineStart, to: lineEnd), let time = Self.time(reader.bytes, from: lineStart, to: lineEnd) {
                plain.append(time)
            }
            lineStart = lineEnd + 1
        }
        if let first = plain.first { return plain.count > 1 && plain[1] - first > 86_400 ? plain[1] : first }
        guard firstLooksLikeEvent else { return nil }
        return Self.time(reader.bytes, from: start, to: ByteSearch.first(ASCII.newline, in: reader.bytes, from: start, to: reader.filled))
    }

    /// The start of a file, read 64 KiB at first, then twice as much at a time up to 64 MiB (a first line of NULs
    /// from a rotation can be long).
    private final class LineWindow {
        let stream: ByteStream
        private(set) var bytes: UnsafeMutablePointer<UInt8>
        private var capacity = 1 << 16
        private(set) var filled = 0
        private var atEnd = false
        static let limit = 1 << 26

        init(stream: ByteStream) {
            self.stream = stream
            bytes = .allocate(capacity: capacity + BlockBuffer.slack)
            bytes.initialize(repeating: 0, count: capacity + BlockBuffer.slack)
        }

        deinit { bytes.deallocate() }

        /// Reads until the window is full or the file ends.
        func fill() throws(InputError) {
            while filled < capacity && !atEnd {
                let count = try stream.read(into: bytes + filled, capacity: capacity - filled)
                if count == 0 { atEnd = true } else { filled += count }
            }
        }

        /// Doubles the window and fills it; false at the end of the file or the limit.
        func fillMore() throws(InputError) -> Bool {
            guard !atEnd && capacity < Self.limit else { return false }
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2 + BlockBuffer.slack)
            larger.initialize(repeating: 0, count: capacity * 2 + BlockBuffer.slack)
            larger.update(from: bytes, count: filled)
            bytes.deallocate()
            (bytes, capacity) = (larger, capacity * 2)
            try fill()
            return true
        }
    }

    /// The epoch time before a queue_log line's first `|`.
    private static func time(_ buffer: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Double? {
        let pipe = ByteSearch.first(ASCII.pipe, in: buffer, from: start, to: end)
        return Double(String(decoding: UnsafeBufferPointer(start: buffer + start, count: pipe - start), as: UTF8.self))
    }
}
