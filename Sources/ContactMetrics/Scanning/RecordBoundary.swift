#if canImport(Glibc)
import Glibc
#endif

/// Where the record scanner stands before a byte, as far as record ends are concerned.
///
/// The rules are `CSVRecordScanner`'s: a `"` opens a quoted field only at the start of a field (first
/// byte of a record, or right after a delimiter); anywhere else outside quotes it is text. Inside a
/// quoted field `""` is an escaped quote and a lone `"` closes the field. A newline ends a record
/// exactly when it stands outside quotes.
enum QuoteState: UInt8, Sendable {
    case outside
    case inside
    /// Just after a `"` inside a quoted field: the next byte decides whether it closed the field or
    /// began a `""`.
    case afterQuoteInside
}

/// Finds record ends in CSV text without splitting fields: only quotes (and the byte before each)
/// are looked at, hopping from quote to quote with the C library's vectorised `memchr`, so text
/// without quotes costs one search for newlines.
///
/// Keep in step with `CSVRecordScanner`.
enum RecordBoundary {
    /// The index just after the last record end in `0..<count`, or nil when there is none. Position 0
    /// must be the start of a record. With a nil `delimiter` (no quoting) every newline ends a record.
    static func lastRecordEnd(in base: UnsafePointer<UInt8>, count: Int, delimiter: UInt8?) -> Int? {
        guard let delimiter else { return ByteSearch.last(ASCII.newline, in: base, from: 0, to: count).map { $0 + 1 } }
        var last: Int?
        _ = walk(base, from: 0, to: count, state: .outside, fieldStart: true, delimiter: delimiter) { start, end in
            if let newline = ByteSearch.last(ASCII.newline, in: base, from: start, to: end) { last = newline + 1 }
            return false
        }
        return last
    }

    /// The index just after the first record end in `from..<to`, given the state before `from` and,
    /// when that is `.outside`, whether `from` starts a field (nil when there is none before `to`).
    /// With a nil `delimiter` (no quoting) every newline ends a record.
    static func firstRecordStart(in base: UnsafePointer<UInt8>, from: Int, to: Int, state: QuoteState, fieldStart: Bool,
                                 delimiter: UInt8?) -> Int? {
        guard let delimiter else {
            let newline = ByteSearch.first(ASCII.newline, in: base, from: from, to: to)
            return newline < to ? newline + 1 : nil
        }
        var first: Int?
        _ = walk(base, from: from, to: to, state: state, fieldStart: fieldStart, delimiter: delimiter, quotesBeyondNewlines: false) { start, end in
            let newline = ByteSearch.first(ASCII.newline, in: base, from: start, to: end)
            if newline < end { first = newline + 1 }
            return first != nil
        }
        return first
    }

    /// The start of the first record in `from..<to` that is longer than `limit` bytes, or nil. `from`
    /// must start a record, and `to` must end one or be the end of the data (`atEnd`). With a nil
    /// `delimiter` every newline ends a record.
    static func firstRecord(longerThan limit: Int, in base: UnsafePointer<UInt8>, from: Int, to: Int, atEnd: Bool,
                            delimiter: UInt8?) -> Int? {
        var start = from
        while start < to {
            let window = min(to, start + limit)
            guard let next = firstRecordStart(in: base, from: start, to: window, state: .outside, fieldStart: true, delimiter: delimiter) else {
                // No end within `limit` bytes: longer, unless the data stops right there.
                return to > start + limit || (to == start + limit && !atEnd) ? start : nil
            }
            start = next
        }
        return nil
    }

    /// The state after `from..<to`, given the state before `from` (and `fieldStart` as above).
    static func state(after base: UnsafePointer<UInt8>, from: Int, to: Int, entering state: QuoteState, fieldStart: Bool,
                      delimiter: UInt8) -> QuoteState {
        walk(base, from: from, to: to, state: state, fieldStart: fieldStart, delimiter: delimiter) { _, _ in false }
    }

    /// Outside quotes, whether `position` starts a field, judged by the byte before it.
    static func isFieldStart(_ base: UnsafePointer<UInt8>, _ position: Int, delimiter: UInt8) -> Bool {
        base[position - 1] == delimiter || base[position - 1] == ASCII.newline
    }

    /// Walks `from..<to`, calling `outsideRun(start, end)` for every stretch that lies outside quotes
    /// (where each newline is a record end) until it returns true; returns the state at the end.
    /// `fieldStart` says whether a `"` at `from` would open a field. With `quotesBeyondNewlines` false,
    /// a stretch outside quotes is cut at its first newline (for a caller that stops there: the next
    /// quote may be megabytes away, and looking for it from every record made a scan quadratic; so did
    /// looking for the newline again after every quoted field of a long line).
    @inline(__always)
    private static func walk(_ base: UnsafePointer<UInt8>, from: Int, to: Int, state: QuoteState, fieldStart: Bool, delimiter: UInt8,
                             quotesBeyondNewlines: Bool = true, outsideRun: (Int, Int) -> Bool) -> QuoteState {
        var state = state
        var position = from
        var nextNewline = from - 1  // the first newline at or after `position`, once searched
        while position < to {
            switch state {
            case .afterQuoteInside:
                if base[position] == ASCII.quote {
                    state = .inside  // `""`
                    position += 1
                } else {
                    state = .outside  // the quote closed the field; this byte is outside
                }
            case .inside:
                let quote = nextQuote(base, position, to)
                if quote >= to { return .inside }
                state = .afterQuoteInside
                position = quote + 1
            case .outside:
                var searchEnd = to
                if !quotesBeyondNewlines {
                    // Searched again only once passed (inside a quoted field): each byte is looked at once.
                    if nextNewline < position { nextNewline = ByteSearch.first(ASCII.newline, in: base, from: position, to: to) }
                    searchEnd = min(to, nextNewline + 1)
                }
                let quote = nextQuote(base, position, searchEnd)
                if outsideRun(position, quote) { return .outside }
                if quote >= to { return .outside }
                let opensField = quote == from ? fieldStart : (base[quote - 1] == delimiter || base[quote - 1] == ASCII.newline)
                if opensField { state = .inside }
                position = quote + 1
            }
        }
        return state
    }

    @inline(__always)
    private static func nextQuote(_ base: UnsafePointer<UInt8>, _ position: Int, _ end: Int) -> Int {
        guard let found = memchr(base + position, Int32(ASCII.quote), end - position) else { return end }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}
