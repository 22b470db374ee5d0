/// The order `ingest` reads queue_log files in: oldest first. Each file is its own source, and a call a
/// file leaves open is completed by a file read after it (`OpenQueueCall`), so a rotated set given newest
/// first (`queue_log queue_log.1 queue_log.2`, as a shell glob lists them) lost every call that crossed
/// two files: its outcome was read before its arrival (`call_without_arrival`). `report` reads all its
/// files in one run and needs no order.
public enum QueueLogFileOrder {
    /// The indices of `inputs`, oldest first by each file's first line, when every input is a regular
    /// file whose first line is a queue_log event; nil otherwise (the order given stands). Ties keep the
    /// order given.
    public static func oldestFirst(_ inputs: [String], encoding: TextEncoding?) -> [Int]? {
        var times: [Double] = []
        for name in inputs {
            guard InputOpener.isRegularFile(name), let time = try? firstEventTime(name, encoding: encoding) else { return nil }
            times.append(time)
        }
        return inputs.indices.sorted { (times[$0], $0) < (times[$1], $1) }
    }

    /// The time of the file's first line (epoch seconds), when that line is a queue_log event.
    static func firstEventTime(_ name: String, encoding: TextEncoding?) throws(InputError) -> Double? {
        let stream = try InputOpener.open(name, encoding: encoding)
        defer { stream.close() }
        let capacity = 4096
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + BlockBuffer.slack)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0, count: capacity + BlockBuffer.slack)
        var filled = 0
        while filled < capacity {
            let count = try stream.read(into: buffer + filled, capacity: capacity - filled)
            if count == 0 { break }
            filled += count
        }
        let lineEnd = ByteSearch.first(ASCII.newline, in: buffer, from: 0, to: filled)
        guard QueueLogLayout.looksLikeQueueLog(buffer, from: 0, to: lineEnd) else { return nil }
        let pipe = ByteSearch.first(ASCII.pipe, in: buffer, from: 0, to: lineEnd)
        return Double(String(decoding: UnsafeBufferPointer(start: buffer, count: pipe), as: UTF8.self))
    }
}
