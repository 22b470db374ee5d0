/// Picks the record scanner for a file's delimiter: the RFC 4180 scanner for a one-byte delimiter,
/// or the whitespace splitter (fields are runs of anything but spaces and tabs; no quoting). Both
/// fill the same `FieldSpan`s and `ScannedRecord`, so the decoders do not care which one ran.
/// Scans one record into field spans (the row loop is generic over it, so each scanner gets its own
/// specialised loop).
protocol RecordScanning {
    /// Scans one record; fields after the first `needed` may be counted without being split.
    func scanRecord(in base: UnsafePointer<UInt8>, from position: Int, to end: Int,
                    spans: UnsafeMutablePointer<FieldSpan>, capacity: Int, needed: Int) -> ScannedRecord
}

/// The RFC 4180 scanner with the comma as a compile-time constant (the common case).
struct CommaRecordScanner: RecordScanning {
    @inline(__always)
    func scanRecord(in base: UnsafePointer<UInt8>, from position: Int, to end: Int,
                    spans: UnsafeMutablePointer<FieldSpan>, capacity: Int, needed: Int) -> ScannedRecord {
        CSVRecordScanner(delimiter: ASCII.comma).scanRecord(in: base, from: position, to: end, spans: spans, capacity: capacity,
                                                            needed: needed)
    }
}

struct RecordSplitter: RecordScanning {
    let delimiter: FieldDelimiter
    private let csv: CSVRecordScanner

    init(_ delimiter: FieldDelimiter) {
        self.delimiter = delimiter
        if case .byte(let byte) = delimiter { csv = CSVRecordScanner(delimiter: byte) } else { csv = CSVRecordScanner() }
    }

    @inline(__always)
    func scanRecord(
        in base: UnsafePointer<UInt8>, from position: Int, to end: Int,
        spans: UnsafeMutablePointer<FieldSpan>, capacity: Int, needed: Int = .max
    ) -> ScannedRecord {
        if case .whitespace = delimiter {
            return Self.scanWhitespaceRecord(in: base, from: position, to: end, spans: spans, capacity: capacity)
        }
        return csv.scanRecord(in: base, from: position, to: end, spans: spans, capacity: capacity, needed: needed)
    }

    /// One line split at runs of spaces and tabs; a `\r` before the newline is dropped. A line with
    /// no fields is blank.
    static func scanWhitespaceRecord(
        in base: UnsafePointer<UInt8>, from position: Int, to end: Int,
        spans: UnsafeMutablePointer<FieldSpan>, capacity: Int
    ) -> ScannedRecord {
        let newline = ByteSearch.first(ASCII.newline, in: base, from: position, to: end)
        var lineEnd = newline
        if lineEnd > position && base[lineEnd - 1] == ASCII.carriageReturn { lineEnd -= 1 }
        var index = position
        var fieldCount = 0
        while index < lineEnd {
            while index < lineEnd && (base[index] == ASCII.space || base[index] == ASCII.tab) { index += 1 }
            if index == lineEnd { break }
            let start = index
            while index < lineEnd && base[index] != ASCII.space && base[index] != ASCII.tab { index += 1 }
            if fieldCount < capacity { spans[fieldCount] = FieldSpan(start: start, end: index, hasEscapedQuote: false, isQuoted: false) }
            fieldCount += 1
        }
        let next = newline < end ? newline + 1 : end
        return ScannedRecord(nextPosition: next, fieldCount: fieldCount, newlineCount: newline < end ? 1 : 0,
                             problem: nil, isBlank: fieldCount == 0 && next > position)
    }
}
