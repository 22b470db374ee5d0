#if canImport(Glibc)
import Glibc
#endif

/// Finds where a block of CSV text may be cut so that no record is split.
///
/// In RFC 4180 text a newline ends a record exactly when it stands outside quotes, and a position is
/// inside quotes exactly when an odd number of `"` bytes precede it in the record (an escaped `""`
/// adds two, so it never changes the parity). The reader always starts a block at a record start, so
/// the parity of the quote count from the block start decides every newline. Blocks without any quote
/// (the common case) are cut at the last newline without counting.
enum RecordBoundary {
    /// The index just after the last newline in `0..<count` that stands outside quotes, or nil when
    /// the block holds no complete record. Position 0 must be the start of a record.
    static func lastRecordEnd(in base: UnsafePointer<UInt8>, count: Int) -> Int? {
        guard var newline = ByteSearch.last(ASCII.newline, in: base, from: 0, to: count) else { return nil }
        let firstQuote = ByteSearch.first(ASCII.quote, in: base, from: 0, to: count)
        if firstQuote >= newline { return newline + 1 }
        var quotesBefore = countQuotes(in: base, from: firstQuote, to: newline)
        while quotesBefore & 1 == 1 {
            // This newline is inside a quoted field: step back to the previous one.
            guard let previous = ByteSearch.last(ASCII.newline, in: base, from: 0, to: newline) else { return nil }
            quotesBefore -= countQuotes(in: base, from: previous, to: newline)
            newline = previous
        }
        return newline + 1
    }

    /// Counts `"` bytes. Real exports quote a few fields, so hopping from quote to quote with the C
    /// library's vectorised `memchr` is far cheaper than looking at every word; when quotes turn out to
    /// be dense (more than one per 64 bytes so far) the rest is counted word by word instead.
    static func countQuotes(in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var total = 0
        var position = start
        while position < end {
            guard let found = memchr(base + position, Int32(ASCII.quote), end - position) else { return total }
            total += 1
            position = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
            if total > 64 && total * 64 > position - start {
                return total + ByteSearch.count(ASCII.quote, in: base, from: position, to: end)
            }
        }
        return total
    }
}
