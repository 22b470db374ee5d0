/// Where records begin in JSON Lines (`InputLayout.isJSONLines`): at a line whose first byte is `{`.
///
/// `jq -c` writes a record a line, and `jq .` one over many lines, each closing `}` and opening `{` in the
/// first column and everything inside indented: a file that joins the two (a day of each) holds both. So
/// a block may be cut before any `{` that starts a line, and never elsewhere; the scanner reads a record
/// over its line ends but never past such a line (`JSONRecordScanner`'s `stopsAtRecordLine`), so the
/// records do not depend on where blocks are cut. (Cut at every newline, as a record a line, a record
/// over lines later in a file was read as one rejected row a line, and its contact lost.)
enum JSONRecordLines {
    /// Whether a record line starts at `position`: `{` right after a newline. Reads `base[position - 1]`.
    @inline(__always)
    static func startsRecord(_ base: UnsafePointer<UInt8>, at position: Int) -> Bool {
        base[position] == UInt8(ascii: "{") && base[position - 1] == ASCII.newline
    }

    /// The first record line's start (its `{`) in `from..<to`, or nil. Reads `base[from - 1]`.
    static func firstStart(in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var position = from
        while position < to {
            if startsRecord(base, at: position) { return position }
            let newline = ByteSearch.first(ASCII.newline, in: base, from: position, to: to)
            guard newline + 1 < to else { return nil }
            position = newline + 1
        }
        return nil
    }

    /// The last record line's start in `1..<count`, or nil.
    static func lastStart(in base: UnsafePointer<UInt8>, count: Int) -> Int? {
        var end = count
        while let newline = ByteSearch.last(ASCII.newline, in: base, from: 0, to: end) {
            if newline + 1 < count && base[newline + 1] == UInt8(ascii: "{") { return newline + 1 }
            end = newline
        }
        return nil
    }

    /// The newline before the first record line after `position`'s own (`position` itself is not one),
    /// or `end`: where a malformed record ends.
    static func endOfRecord(in base: UnsafePointer<UInt8>, from position: Int, to end: Int) -> Int {
        guard let next = firstStart(in: base, from: position + 1, to: end) else { return end }
        return next - 1
    }

    /// The start of the first record in `from..<to` that runs more than `limit` bytes to the next record
    /// line, or nil (`RecordBoundary.firstRecord(longerThan:)` for JSON Lines). `from` must start a
    /// record and `to` end one or be the end of the data (`atEnd`).
    static func firstRecord(longerThan limit: Int, in base: UnsafePointer<UInt8>, from: Int, to: Int, atEnd: Bool) -> Int? {
        var start = from
        while start < to {
            let window = min(to, start + limit)
            guard let next = firstStart(in: base, from: start + 1, to: window) else {
                return to > start + limit || (to == start + limit && !atEnd) ? start : nil
            }
            start = next
        }
        return nil
    }
}
