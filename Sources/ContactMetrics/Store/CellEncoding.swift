/// The store's compact BLOB encodings of a cell's histograms and label counts.
///
/// Integers are LEB128 varints (7 bits per byte, low group first, high bit = more follows) of the
/// zigzag-mapped value (0, -1, 1, -2 … → 0, 1, 2, 3 …), so small magnitudes of either sign take one byte.
/// - Wait histogram: pairs (seconds − previous seconds, count) in ascending order of seconds, the first
///   pair's "previous" being 0. A typical 15-minute cell of 50 calls takes about 100 bytes.
/// - Label counts (categories, agencies): triples (UTF-8 byte length, UTF-8 bytes, count), sorted by label.
/// An empty histogram or table is an empty BLOB. Changing any of this needs a new schema version.
enum CellEncoding {
    /// A histogram's encoding is the one it keeps in memory (`WaitHistogram`).
    static func encode(_ histogram: WaitHistogram) -> [UInt8] {
        histogram.bytes
    }

    static func encode(_ labels: [String: Int64]) -> [UInt8] {
        encode(CategoryCounts(labels))
    }

    static func encode(_ labels: CategoryCounts) -> [UInt8] {
        var bytes: [UInt8] = []
        append(labels, to: &bytes)
        return bytes
    }

    /// Appends the encoding of `labels` to `bytes` (a buffer reused from cell to cell).
    static func append(_ labels: CategoryCounts, to bytes: inout [UInt8]) {
        for (label, count) in labels {
            appendVarint(Int64(label.utf8.count), to: &bytes)
            bytes.append(contentsOf: label.utf8)
            appendVarint(count, to: &bytes)
        }
    }

    /// Adds the encoded histogram's counts into `histogram`, and its count and wait sum to `totals`
    /// (numbers `total` and `total + 1`).
    /// - Throws: `CellEncodingError` for a truncated or malformed BLOB, or values out of bounds
    ///   (`StoredValues`): waits not ascending within 0…2³²−1, counts not positive.
    static func decode(_ bytes: UnsafeRawBufferPointer, into histogram: inout WaitHistogram,
                       totals: inout StoreTotals, total: Int) throws(CellEncodingError) {
        var reader = VarintReader(bytes: bytes)
        var seconds: Int64 = 0
        var first = true
        while !reader.isAtEnd {
            let step = try reader.next()
            guard first ? step >= 0 : step > 0, step <= StoredValues.waitSeconds.upperBound - seconds else { throw CellEncodingError() }
            seconds += step
            first = false
            let count = try StoredValues.count(try reader.next())
            guard count > 0 else { throw CellEncodingError() }
            try totals.add(count, to: total)
            try totals.add(seconds: seconds, times: count, to: total + 1)
        }
        // Checked, the BLOB is the histogram's own form (minimal varints: anything else is rebuilt),
        // so it is taken as it is, in an array of its size.
        if !bytes.isEmpty {
            histogram.add(reader.allMinimal ? WaitHistogram(encoded: Array(bytes)) : WaitHistogram(rebuilding: bytes))
        }
    }

    /// Adds the encoded label counts into `labels`, and their sum to total number `total` of `totals`.
    static func decode(_ bytes: UnsafeRawBufferPointer, into labels: inout CategoryCounts,
                       totals: inout StoreTotals, total: Int, shared: inout SharedLabels) throws(CellEncodingError) {
        // The BLOB's labels are gathered, then added as one table (built once at its size: inserting them
        // one by one into a sorted table costs labels² when a BLOB is not in order).
        var decoded: [CategoryCounts.Element] = []
        try forEachLabel(in: bytes, totals: &totals, total: total, shared: &shared) { decoded.append(($0, $1)) }
        labels.add(CategoryCounts(decoded))
    }

    /// The same with no labels shared between calls.
    static func decode(_ bytes: UnsafeRawBufferPointer, into labels: inout CategoryCounts,
                       totals: inout StoreTotals, total: Int) throws(CellEncodingError) {
        var shared = SharedLabels()
        try decode(bytes, into: &labels, totals: &totals, total: total, shared: &shared)
    }

    /// The same for a dictionary (incidents' partner agencies; a store cell that meets many rows).
    static func decode(_ bytes: UnsafeRawBufferPointer, into labels: inout [String: Int64],
                       totals: inout StoreTotals, total: Int, shared: inout SharedLabels) throws(CellEncodingError) {
        try forEachLabel(in: bytes, totals: &totals, total: total, shared: &shared) { labels[$0, default: 0] += $1 }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, into labels: inout [String: Int64],
                       totals: inout StoreTotals, total: Int) throws(CellEncodingError) {
        var shared = SharedLabels()
        try decode(bytes, into: &labels, totals: &totals, total: total, shared: &shared)
    }

    private static func forEachLabel(in bytes: UnsafeRawBufferPointer, totals: inout StoreTotals, total: Int,
                                     shared: inout SharedLabels, _ body: (String, Int64) -> Void) throws(CellEncodingError) {
        var reader = VarintReader(bytes: bytes)
        while !reader.isAtEnd {
            let label = shared.label(try reader.string(byteCount: Int(try StoredValues.count(try reader.next()))))
            let count = try StoredValues.count(try reader.next())
            guard count > 0 else { throw CellEncodingError() }
            try totals.add(count, to: total)
            body(label, count)
        }
    }

    static func appendVarint(_ value: Int64, to bytes: inout [UInt8]) {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while zigzag >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: zigzag) | 0x80)
            zigzag >>= 7
        }
        bytes.append(UInt8(zigzag))
    }
}

/// The labels read from a store, shared between the cells that hold them: a label longer than 15 UTF-8
/// bytes is a heap string, and a read of years of 15-minute cells would otherwise hold a copy of it per
/// cell. Only the same bytes are shared: canonically equivalent spellings are equal `String`s, and a store
/// written before labels were normalised keeps each cell's own spelling.
struct SharedLabels {
    private var byBytes: Set<LabelBytes> = []

    mutating func label(_ text: String) -> String {
        // Up to 15 bytes a `String` holds its bytes inline: there is nothing to share.
        guard text.utf8.count > 15 else { return text }
        if let known = byBytes.firstIndex(of: LabelBytes(text: text)) { return byBytes[known].text }
        if byBytes.count < 1 << 16 { byBytes.insert(LabelBytes(text: text)) }
        return text
    }

    /// A label hashed and compared by its UTF-8 bytes (no normalisation: cheaper, and exact).
    private struct LabelBytes: Hashable {
        let text: String

        static func == (left: LabelBytes, right: LabelBytes) -> Bool {
            var left = left.text, right = right.text
            return left.withUTF8 { leftBytes in right.withUTF8 { leftBytes.elementsEqual($0) } }
        }

        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }
}

/// A BLOB that does not decode: the store is damaged or was written by other software.
struct CellEncodingError: Error, CustomStringConvertible {
    var description: String { "a stored cell is malformed (the store may be damaged)" }
}

/// Reads zigzag varints from a byte buffer.
private struct VarintReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    /// Whether every varint read so far took no more bytes than its value needs.
    private(set) var allMinimal = true

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func next() throws(CellEncodingError) -> Int64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw CellEncodingError() }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                if byte == 0 && shift > 0 { allMinimal = false }
                break
            }
            shift += 7
        }
        return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    mutating func string(byteCount: Int) throws(CellEncodingError) -> String {
        guard byteCount >= 0, byteCount <= bytes.count - offset else { throw CellEncodingError() }
        defer { offset += byteCount }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + byteCount]), as: UTF8.self)
    }
}
