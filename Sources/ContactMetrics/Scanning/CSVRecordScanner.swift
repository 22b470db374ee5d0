// RFC 4180 record scanner over one block of bytes.
//
// How it works: an unquoted field ends at the next delimiter or newline, found eight bytes at a time
// (ByteSearch). A field that starts with `"` is quoted: it ends at a `"` not followed by another `"`,
// and may hold delimiters and newlines; `""` inside it marks an escaped quote (the field then needs
// `unescape` before use). A `\r` before the record's `\n` is dropped from the last field, so LF and
// CRLF files read alike. Nothing is copied or allocated: fields are spans into the block.
//
// Keep in step with RecordBoundary, which finds record ends by the same quoting rules without splitting
// fields (a tested property: RecordBoundaryTests.agreesWithTheScannerFromEveryPosition).

/// Where one field lies in the block; `start..<end` excludes the surrounding quotes.
struct FieldSpan {
    var start: Int
    var end: Int
    var hasEscapedQuote: Bool
    var isQuoted: Bool

    var count: Int { end - start }
}

/// What can be wrong with a record's quoting.
enum QuotingProblem: Equatable {
    /// The input ended inside a quoted field.
    case unterminatedQuote
    /// A JSON record (`JSONRecordScanner`) that is not a well-formed object.
    case malformedJSON
    /// Text followed a closing quote before the delimiter, e.g. `"abc"x,`.
    case textAfterClosingQuote(fieldIndex: Int)
}

struct ScannedRecord {
    /// Where the next record starts.
    var nextPosition: Int
    /// Fields found (may exceed the span capacity; only the first `capacity` are stored).
    var fieldCount: Int
    /// Newlines consumed, including the record terminator and newlines inside quoted fields.
    var newlineCount: Int
    var problem: QuotingProblem?

    /// A line with nothing on it (also `\r` alone): not a record.
    var isBlank: Bool
}

struct CSVRecordScanner {
    let delimiter: UInt8

    init(delimiter: UInt8 = ASCII.comma) {
        self.delimiter = delimiter
    }

    /// Scans the record that starts at `position`, storing up to `capacity` field spans.
    /// - Parameter needed: fields after the first `needed` are only counted, not split, up to a field
    ///   that opens with a quote (an export's extra columns: one pass over them instead of one
    ///   search per field).
    /// - Complexity: O(record length).
    @inline(__always)
    func scanRecord(
        in base: UnsafePointer<UInt8>, from position: Int, to end: Int,
        spans: UnsafeMutablePointer<FieldSpan>, capacity: Int, needed: Int = .max
    ) -> ScannedRecord {
        var position = position
        let recordStart = position
        var fieldCount = 0
        var newlineCount = 0
        var problem: QuotingProblem?
        while true {
            var span: FieldSpan
            var terminator: Int
            if position < end && base[position] == ASCII.quote {
                var search = position + 1
                var escaped = false
                var closing = end
                // One search for the closing quote that also counts the (rare) newlines on the way.
                while true {
                    let found = ByteSearch.firstOfSixteenAtATime(ASCII.quote, ASCII.newline, in: base, from: search, to: end)
                    if found >= end { break }
                    if base[found] == ASCII.newline {
                        newlineCount += 1
                        search = found + 1
                        continue
                    }
                    if found + 1 < end && base[found + 1] == ASCII.quote {
                        escaped = true
                        search = found + 2
                        continue
                    }
                    closing = found
                    break
                }
                span = FieldSpan(start: position + 1, end: closing, hasEscapedQuote: escaped, isQuoted: true)
                if closing >= end {
                    problem = problem ?? .unterminatedQuote
                    terminator = end
                } else {
                    terminator = closing + 1
                    if terminator < end {
                        let next = base[terminator]
                        if next == ASCII.carriageReturn && terminator + 1 < end && base[terminator + 1] == ASCII.newline {
                            terminator += 1
                        } else if next != delimiter && next != ASCII.newline && !(next == ASCII.carriageReturn && terminator + 1 == end) {
                            problem = problem ?? .textAfterClosingQuote(fieldIndex: fieldCount)
                            terminator = ByteSearch.firstOf(delimiter, ASCII.newline, in: base, from: terminator, to: end)
                        }
                    }
                }
            } else {
                terminator = ByteSearch.firstOfSixteenAtATime(delimiter, ASCII.newline, in: base, from: position, to: end)
                var fieldEnd = terminator
                if fieldEnd > position && base[fieldEnd - 1] == ASCII.carriageReturn
                    && (terminator == end || base[terminator] == ASCII.newline) {
                    fieldEnd -= 1
                }
                span = FieldSpan(start: position, end: fieldEnd, hasEscapedQuote: false, isQuoted: false)
            }
            if fieldCount < capacity { spans[fieldCount] = span }
            fieldCount += 1
            if terminator < end && base[terminator] == delimiter {
                position = terminator + 1
                if fieldCount >= needed {  // the rest is counted, up to a quoted field
                    let rest = Self.countFields(in: base, from: position, to: end, delimiter: delimiter)
                    fieldCount += rest.fields
                    guard rest.stoppedAtQuote else {
                        let atNewline = rest.stop < end
                        return ScannedRecord(nextPosition: atNewline ? rest.stop + 1 : end, fieldCount: fieldCount,
                                             newlineCount: newlineCount + (atNewline ? 1 : 0), problem: problem, isBlank: false)
                    }
                    position = rest.stop  // a quoted field: split it in the loop, then count on
                }
                continue
            }
            if terminator < end {  // newline (or the \r of a final \r at the very end)
                newlineCount += base[terminator] == ASCII.newline ? 1 : 0
                position = terminator + 1
            } else {
                position = end
            }
            let isBlank = fieldCount == 1 && !span.isQuoted && span.count == 0 && problem == nil
                && position > recordStart
            return ScannedRecord(nextPosition: position, fieldCount: fieldCount,
                                 newlineCount: newlineCount, problem: problem, isBlank: isBlank)
        }
    }

    /// The fields from `position` (a field start) to the end of its record, counted by their delimiters
    /// and not split, sixteen bytes at a time. Counting stops at the record's newline (`stop`, or `end`).
    /// A quoted field on the way is passed over when it closes cleanly (its closing quote followed by a
    /// delimiter or the line end) and holds no newline. Any other quoted field (a newline inside it, text
    /// after its closing quote, or no closing quote before `end`) stops the count at its opening quote
    /// (`stop`, `stoppedAtQuote`; `fields` then counts the fields before it), so that the field-by-field
    /// walk splits it, counts its lines and reports its problems as it would have. A quote inside an
    /// unquoted field is text, as it is to that walk.
    @inline(never)  // once a record at most, usually: kept out of the field loop
    static func countFields(in base: UnsafePointer<UInt8>, from position: Int, to end: Int,
                            delimiter: UInt8) -> (fields: Int, stop: Int, stoppedAtQuote: Bool) {
        let newlines = SIMD16<UInt8>(repeating: ASCII.newline), quotes = SIMD16<UInt8>(repeating: ASCII.quote)
        let delimiters = SIMD16<UInt8>(repeating: delimiter)
        var counted = 0
        var offset = position
        // The index arithmetic cannot overflow (offsets stay within the block): `&+` keeps the loop free
        // of overflow checks.
        scanning: while true {
            // Sixteen bytes at a time while they hold no newline and no quote; a lane counts up to 255. The
            // chunk that holds one is read by its lanes: where the first is, and the delimiters before it.
            var lanes = SIMD16<UInt8>()
            var chunks = 0
            while offset &+ 16 <= end {
                let chunk = UnsafeRawPointer(base + offset).loadUnaligned(as: SIMD16<UInt8>.self)
                let special = SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: (chunk .== newlines) .| (chunk .== quotes))
                let delimiterLanes = SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: chunk .== delimiters)
                let (low, high) = Self.halves(special)
                if low | high != 0 {
                    // The first newline or quote, and the delimiters before it, from the lanes' bytes.
                    let (delimitersLow, delimitersHigh) = Self.halves(delimiterLanes)
                    let index: Int, before: Int
                    if low != 0 {
                        index = low.trailingZeroBitCount &>> 3
                        before = Self.byteSum(delimitersLow & Self.bytesBelow(index))
                    } else {
                        let inHigh = high.trailingZeroBitCount &>> 3
                        index = 8 &+ inHigh
                        before = Self.byteSum(delimitersLow) &+ Self.byteSum(delimitersHigh & Self.bytesBelow(inHigh))
                    }
                    counted &+= Self.laneSum(lanes)
                    counted &+= before
                    offset &+= index
                    if base[offset] == ASCII.newline { return (counted &+ 1, offset, false) }
                    if base[offset &- 1] == delimiter {  // a quote that opens a field (counting starts after a delimiter)
                        if let done = Self.skipQuotedFields(in: base, from: &offset, to: end, delimiter: delimiter, counted: &counted) { return done }
                    } else {
                        offset &+= 1  // a quote inside an unquoted field: text
                    }
                    continue scanning
                }
                lanes &+= delimiterLanes
                offset &+= 16
                chunks &+= 1
                if chunks == 255 {
                    counted &+= Self.laneSum(lanes)
                    lanes = SIMD16()
                    chunks = 0
                }
            }
            counted &+= Self.laneSum(lanes)
            // The last few bytes of the block, byte by byte.
            while offset < end {
                let byte = base[offset]
                if byte == ASCII.newline { return (counted &+ 1, offset, false) }
                if byte == ASCII.quote && base[offset &- 1] == delimiter {
                    if let done = Self.skipQuotedFields(in: base, from: &offset, to: end, delimiter: delimiter, counted: &counted) { return done }
                    continue
                }
                if byte == delimiter { counted &+= 1 }
                offset &+= 1
            }
            return (counted &+ 1, end, false)
        }
    }

    /// Counts the quoted field opening at `offset`, and the quoted fields right after it, one after another (every
    /// field quoted, as SQL Server and Excel write them: the chunk scan that found each opening quote first was 53%
    /// of the instructions of a review's 60 quoted filler columns); `offset` ends after the last one's delimiter.
    /// Returns `countFields`' result when the record ends in them or one is not clean (the walk's to read).
    @inline(__always)
    private static func skipQuotedFields(in base: UnsafePointer<UInt8>, from offset: inout Int, to end: Int, delimiter: UInt8,
                                         counted: inout Int) -> (fields: Int, stop: Int, stoppedAtQuote: Bool)? {
        repeat {
            guard let after = cleanQuotedFieldEnd(in: base, openingAt: offset, to: end, delimiter: delimiter) else {
                return (counted, offset, true)
            }
            if base[after] != delimiter { return (counted &+ 1, after, false) }  // the line's newline
            counted &+= 1
            offset = after &+ 1
        } while offset < end && base[offset] == ASCII.quote
        return nil
    }

    /// Where the quoted field opening at `quote` is followed by the delimiter or the newline that ends
    /// it (for `\r\n`, the `\n`); nil when the field holds a newline (the walk counts the record's
    /// lines), does not close before `end`, or text follows its closing quote (the walk's problems).
    @inline(__always)
    private static func cleanQuotedFieldEnd(in base: UnsafePointer<UInt8>, openingAt quote: Int, to end: Int, delimiter: UInt8) -> Int? {
        var search = quote &+ 1
        while true {
            let found = ByteSearch.firstOf(ASCII.quote, ASCII.newline, in: base, from: search, to: end)
            if found >= end || base[found] == ASCII.newline { return nil }
            let after = found &+ 1
            guard after < end else { return nil }
            let next = base[after]
            if next == ASCII.quote {  // `""`
                search = after &+ 1
                continue
            }
            if next == delimiter || next == ASCII.newline { return after }
            return next == ASCII.carriageReturn && after &+ 1 < end && base[after &+ 1] == ASCII.newline ? after &+ 1 : nil
        }
    }

    /// The two 8-byte halves of a vector.
    @inline(__always)
    private static func halves(_ vector: SIMD16<UInt8>) -> (UInt64, UInt64) {
        unsafeBitCast(vector, to: (UInt64, UInt64).self)
    }

    /// A word whose `count` (0–7) low bytes are all ones.
    @inline(__always)
    private static func bytesBelow(_ count: Int) -> UInt64 {
        (1 &<< UInt64(truncatingIfNeeded: count &* 8)) &- 1
    }

    /// The sum of a word's eight bytes, each at most 1 (a lane mask's bytes).
    @inline(__always)
    private static func byteSum(_ word: UInt64) -> Int {
        Int((word &* 0x0101_0101_0101_0101) >> 56)
    }

    /// The sum of the sixteen lanes (each at most 255), by word arithmetic.
    @inline(__always)
    private static func laneSum(_ vector: SIMD16<UInt8>) -> Int {
        let (low, high) = halves(vector)
        let pairs = (low & 0x00FF_00FF_00FF_00FF) &+ ((low >> 8) & 0x00FF_00FF_00FF_00FF)
            &+ (high & 0x00FF_00FF_00FF_00FF) &+ ((high >> 8) & 0x00FF_00FF_00FF_00FF)  // four 16-bit sums ≤ 1,020
        return Int((pairs &* 0x0001_0001_0001_0001) >> 48)
    }

    /// Copies a quoted field's content into `scratch` with each `""` reduced to `"`; returns the length.
    static func unescape(_ span: FieldSpan, in base: UnsafePointer<UInt8>, into scratch: UnsafeMutablePointer<UInt8>) -> Int {
        var length = 0
        var position = span.start
        while position < span.end {
            let byte = base[position]
            scratch[length] = byte
            length += 1
            position += (byte == ASCII.quote && position + 1 < span.end && base[position + 1] == ASCII.quote) ? 2 : 1
        }
        return length
    }
}
