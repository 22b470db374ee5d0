/// Contact records as JSON objects (Amazon Connect's contact trace records): one object per line, or
/// objects one after another with nothing between them (as a Kinesis Firehose delivery to S3 writes
/// them). Each object is one row whose "columns" are the paths a config names: `ContactId` at the top,
/// `Queue.Name` one object down (deeper members and arrays are skipped). A string's span is its
/// content without the quotes (`hasEscapedQuote` when it holds a backslash escape, for
/// `JSONRecordScanner.unescape`); a number or `true`/`false` is its text; `null` or a missing member is
/// empty.
struct JSONRecordScanner: RecordScanning {
    /// The members the paths name (`InputLayout.headerNames`, lower-cased, in column order).
    private let names: JSONMemberNames
    /// The record before's member names, to match this record's by a compare (`JSONMemberMemory`).
    private let memory: JSONMemberMemory
    private let pathCount: Int
    /// JSON Lines (`InputLayout.isJSONLines`): a record never runs into a line that starts with `{`
    /// (`JSONRecordLines`), and a malformed one ends before the next such line, as blocks are cut there;
    /// otherwise where the depth scan closes it (`objectEnd`).
    private let isLines: Bool

    init(paths: [String], isLines: Bool) {
        self.isLines = isLines
        names = JSONMemberNames(paths: paths.map { $0.lowercased() })
        memory = JSONMemberMemory(levels: names.levelCount)
        pathCount = paths.count
    }

    /// Space between objects (newlines included) is a blank record of its own, and an object's record
    /// ends at its `}`: so a block cut right after an object, or at a line end, gives the same records.
    func scanRecord(in base: UnsafePointer<UInt8>, from position: Int, to end: Int,
                    spans: UnsafeMutablePointer<FieldSpan>, capacity: Int, needed: Int) -> ScannedRecord {
        var reader = Reader(base: base, index: position, end: end, stopsAtRecordLine: isLines)
        reader.skipSpaceBetweenRecords()
        if reader.index > position || reader.index == end {
            return ScannedRecord(nextPosition: reader.index, fieldCount: 0, newlineCount: reader.newlines, problem: nil, isBlank: true)
        }
        for column in 0..<min(pathCount, capacity) { spans[column] = FieldSpan(start: position, end: position, hasEscapedQuote: false, isQuoted: false) }
        var problem: QuotingProblem?
        // JSON Lines: an object that runs into the next record line is malformed, whatever follows (blocks
        // are cut before those lines, so reading on would make the result depend on where they are cut).
        // The reader stops there (`stopsAtRecordLine`), so a bad record (a line cut short) costs its own length.
        if !readObject(&reader, level: 0, spans: spans, capacity: capacity) {
            problem = .malformedJSON
            if isLines {
                reader.index = JSONRecordLines.endOfRecord(in: base, from: position, to: end)
            } else {
                let close = Self.firstObjectEnd(in: base + position, count: end - position)
                reader.index = position + max(1, close ?? (end - position))
            }
            reader.newlines = ByteSearch.count(ASCII.newline, in: base, from: position, to: reader.index)
        }
        return ScannedRecord(nextPosition: reader.index, fieldCount: pathCount, newlineCount: reader.newlines, problem: problem, isBlank: false)
    }

    private struct Reader {
        let base: UnsafePointer<UInt8>
        var index: Int
        let end: Int
        /// JSON Lines: a line end before a `{` (the next record's line, `JSONRecordLines`) or before the
        /// block's end is where reading stops (the object is then malformed), not space.
        let stopsAtRecordLine: Bool
        var newlines = 0

        init(base: UnsafePointer<UInt8>, index: Int, end: Int, stopsAtRecordLine: Bool) {
            self.base = base
            self.index = index
            self.end = end
            self.stopsAtRecordLine = stopsAtRecordLine
        }

        /// At a line end: whether it ends the record's reading (see `stopsAtRecordLine`).
        @inline(__always)
        func isBeforeRecordLine() -> Bool {
            stopsAtRecordLine && (index + 1 >= end || base[index + 1] == UInt8(ascii: "{"))
        }

        var byte: UInt8 { index < end ? base[index] : 0 }

        /// Space between records, line ends included in either framing. Kept apart from `skipSpace`
        /// (measured: one function with a flag for the line ends cost 650 instructions a record).
        mutating func skipSpaceBetweenRecords() {
            while index < end {
                switch base[index] {
                case ASCII.newline: newlines += 1
                case ASCII.space, ASCII.tab, ASCII.carriageReturn: break
                default: return
                }
                index += 1
            }
        }

        /// Space between tokens; in JSON Lines a line end before the next record's line stops it. Exports rarely put space
        /// between tokens: one compare settles that case (measured: 480 instructions a record less).
        @inline(__always)
        mutating func skipSpace() {
            if index < end && base[index] > ASCII.space { return }
            skipSpaceFound()
        }

        private mutating func skipSpaceFound() {
            while index < end {
                switch base[index] {
                case ASCII.newline:
                    if isBeforeRecordLine() { return }
                    newlines += 1
                case ASCII.space, ASCII.tab, ASCII.carriageReturn: break
                default: return
                }
                index += 1
            }
        }

        /// A string at `index` (its opening quote): the content's range and whether it holds an escape.
        /// Eight bytes a step to the next quote, backslash or control character; a raw control character
        /// (a newline, a tab) in a string is malformed JSON.
        @inline(__always)
        mutating func string() -> (start: Int, end: Int, escaped: Bool)? {
            guard byte == ASCII.quote else { return nil }
            let start = index + 1
            var position = start, escaped = false
            while true {
                position = JSONBytes.firstStringStop(in: base, from: position, to: end)
                guard position < end else { return nil }
                switch base[position] {
                case ASCII.quote:
                    index = position + 1
                    return (start, position, escaped)
                case JSONBytes.backslash:
                    // Past the escaped byte, unless it is a control character (a line end): JSON has no
                    // such escape, and stepping over it would join two lines into one record.
                    guard position + 1 < end, base[position + 1] >= 0x20 else { return nil }
                    escaped = true
                    position += 2
                default:
                    return nil
                }
            }
        }

        /// Skips any value (objects and arrays whole, by their depth only: what they hold is not checked).
        mutating func skipValue() -> Bool {
            skipSpace()
            switch byte {
            case ASCII.quote: return string() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while true {
                    index = JSONBytes.firstStructural(in: base, from: index, to: end)
                    guard index < end else { return false }
                    switch base[index] {
                    case ASCII.quote: guard string() != nil else { return false }; continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { index += 1; return true }
                    case ASCII.newline:
                        if isBeforeRecordLine() { return false }
                        newlines += 1
                    default: break  // a letter the word test lets through
                    }
                    index += 1
                }
            default:
                return literal() != nil
            }
        }

        /// A number, `true`, `false` or `null`: its text's range. Anything else is malformed (so that a
        /// record read whole ends where the depth scan ends it: `objectEnd`).
        mutating func literal() -> (start: Int, end: Int)? {
            let start = index
            // The three words by one load (the block's slack covers it): "true", "null", "false".
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let four = word & 0xFFFF_FFFF
            let length = four == 0x6575_7274 || four == 0x6C6C_756E ? 4 : word & 0xFF_FFFF_FFFF == 0x65_736C_6166 ? 5 : 0
            if length > 0 {
                guard end - index >= length else { return nil }
                index += length
                return (start, index)
            }
            if byte &- UInt8(ascii: "a") < 26 { return nil }  // a word that is not one of the three
            while index < end {
                let current = base[index]
                guard current &- UInt8(ascii: "0") < 10 || current == UInt8(ascii: "-") || current == UInt8(ascii: "+")
                        || current == UInt8(ascii: ".") || current | 0x20 == UInt8(ascii: "e") else { break }
                index += 1
            }
            return index > start ? (start, index) : nil
        }
    }

    /// The object at the reader (`{` … `}`), its wanted members stored in `spans`; `level` is the
    /// `JSONMemberNames` level of its members (0 at the top). False when it is not well-formed JSON.
    private func readObject(_ reader: inout Reader, level: Int, spans: UnsafeMutablePointer<FieldSpan>, capacity: Int) -> Bool {
        guard reader.byte == UInt8(ascii: "{") else { return false }
        reader.index += 1
        reader.skipSpace()
        if reader.byte == UInt8(ascii: "}") { reader.index += 1; return true }
        var ordinal = 0
        while true {
            reader.skipSpace()
            let slot = memory.slot(level: level, ordinal: ordinal)
            ordinal += 1
            let column: Int, child: Int
            var nameRepeats = false
            // The name and its colon, as in the record before or read the long way.
            if let length = memory.recallName(slot: slot, base: reader.base, at: reader.index, end: reader.end) {
                reader.index += length
                (column, child) = memory.named(slot: slot)
                nameRepeats = true
            } else {
                let nameStart = reader.index, newlines = reader.newlines
                guard let key = reader.string() else { return false }
                let entry = names.entry(level: level, named: reader.base, from: key.start, to: key.end)
                column = Int(entry?.column ?? -1)
                child = Int(entry?.child ?? -1)
                reader.skipSpace()
                guard reader.byte == UInt8(ascii: ":") else { return false }
                reader.index += 1
                // A name with a line end before its colon is not remembered: a repeat would skip the line end uncounted.
                memory.rememberName(slot: slot, start: nameStart, length: reader.newlines == newlines ? reader.index - nameStart : -1,
                                    column: column, child: child)
            }
            reader.skipSpace()
            let valueStart = reader.index
            // The value, as in the record before (not an object to enter) or read the long way.
            if nameRepeats && child < 0, let value = memory.recallValue(slot: slot, base: reader.base, at: valueStart, end: reader.end) {
                reader.index += value.length
                if column >= 0, column < capacity {
                    switch value.kind {
                    case .string, .escapedString:
                        spans[column] = FieldSpan(start: valueStart + 1, end: reader.index - 1, hasEscapedQuote: value.kind == .escapedString, isQuoted: true)
                    case .literal:
                        spans[column] = FieldSpan(start: valueStart, end: reader.index, hasEscapedQuote: false, isQuoted: false)
                    case .nothing, .none: break
                    }
                }
            } else {
                let newlines = reader.newlines
                var kind = JSONMemberMemory.ValueKind.nothing
                switch reader.byte {
                case ASCII.quote:
                    guard let value = reader.string() else { return false }
                    kind = value.escaped ? .escapedString : .string
                    if column >= 0, column < capacity {
                        spans[column] = FieldSpan(start: value.start, end: value.end, hasEscapedQuote: value.escaped, isQuoted: true)
                    }
                case UInt8(ascii: "{") where child > 0:
                    guard readObject(&reader, level: child, spans: spans, capacity: capacity) else { return false }
                    kind = .none
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard reader.skipValue() else { return false }
                default:
                    guard let value = reader.literal() else { return false }
                    let isNull = value.end - value.start == 4 && reader.base[value.start] == UInt8(ascii: "n")
                    if !isNull { kind = .literal }
                    if column >= 0, column < capacity, !isNull {
                        spans[column] = FieldSpan(start: value.start, end: value.end, hasEscapedQuote: false, isQuoted: false)
                    }
                }
                memory.rememberValue(slot: slot, start: valueStart, length: reader.index - valueStart,
                                     kind: reader.newlines == newlines ? kind : .none)
            }
            reader.skipSpace()
            switch reader.byte {
            case UInt8(ascii: ","): reader.index += 1
            case UInt8(ascii: "}"): reader.index += 1; return true
            default: return false
            }
        }
    }
}

extension JSONRecordScanner {
    /// Writes a JSON string's content with its escapes decoded (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`,
    /// `\t`, `\uXXXX` with surrogate pairs; a malformed escape is kept as it is) to `destination`, which
    /// has room for the span's length; returns the length written (never longer: every escape is at
    /// least as long as what it stands for).
    static func unescape(_ span: FieldSpan, in base: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<UInt8>) -> Int {
        var read = span.start, written = 0
        func hex(_ at: Int) -> UInt32? {
            guard at + 4 <= span.end else { return nil }
            var value: UInt32 = 0
            for index in at..<at + 4 {
                let byte = base[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while read < span.end {
            let byte = base[read]
            guard byte == UInt8(ascii: "\\"), read + 1 < span.end else {
                destination[written] = byte
                written += 1
                read += 1
                continue
            }
            let code = base[read + 1]
            var scalar: UInt32?
            var length = 2
            switch code {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalar = UInt32(code)
            case UInt8(ascii: "b"): scalar = 0x08
            case UInt8(ascii: "f"): scalar = 0x0C
            case UInt8(ascii: "n"): scalar = 0x0A
            case UInt8(ascii: "r"): scalar = 0x0D
            case UInt8(ascii: "t"): scalar = 0x09
            case UInt8(ascii: "u"):
                if let unit = hex(read + 2) {
                    length = 6
                    scalar = unit
                    if unit & 0xFC00 == 0xD800, read + 12 <= span.end, base[read + 6] == UInt8(ascii: "\\"), base[read + 7] == UInt8(ascii: "u"),
                       let low = hex(read + 8), low & 0xFC00 == 0xDC00 {
                        scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        length = 12
                    } else if unit & 0xF800 == 0xD800 {
                        scalar = 0xFFFD  // a lone surrogate
                    }
                }
            default: break
            }
            guard let scalar, let character = Unicode.Scalar(scalar) else {
                destination[written] = byte  // a malformed escape: kept as written
                written += 1
                read += 1
                continue
            }
            for unit in String(character).utf8 {
                destination[written] = unit
                written += 1
            }
            read += length
        }
        return written
    }
}

/// The word-at-a-time searches of the JSON scanner (`ByteSearch`'s bit tricks; the same 8 bytes of
/// slack past `end`).
enum JSONBytes {
    static let backslash = UInt8(ascii: "\\")

    /// The first quote, backslash or control character (below 0x20) in `start..<end`, or `end`: where
    /// a string's content stops being plain. Sixteen bytes a step (reads up to 15 bytes past `end`: a
    /// block's slack is 16).
    ///
    /// Measured: SSE2 compares (`any` of a `SIMDMask` in this loop compiles to one `pmovmskb`) took 138
    /// instructions a record fewer than eight bytes a step by bit tricks (11,898 to 11,760).
    @inline(__always)
    static func firstStringStop(in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        let quotes = SIMD16<UInt8>(repeating: ASCII.quote), backslashes = SIMD16<UInt8>(repeating: backslash)
        let spaces = SIMD16<UInt8>(repeating: ASCII.space)
        var position = start
        while position < end {
            let bytes = UnsafeRawPointer(base + position).loadUnaligned(as: SIMD16<UInt8>.self)
            let stops = (bytes .== quotes) .| (bytes .== backslashes) .| (bytes .< spaces)
            if any(stops) {
                // A true lane is all ones: the first one is the lowest set bit of the two halves.
                let halves = unsafeBitCast(stops, to: SIMD2<UInt64>.self)
                let offset = halves[0] != 0 ? halves[0].trailingZeroBitCount >> 3 : 8 + halves[1].trailingZeroBitCount >> 3
                return min(position + offset, end)
            }
            position += 16
        }
        return end
    }

    /// The first quote, bracket, brace or newline in `start..<end`, or `end`; it may also stop at
    /// `Y`, `_`, `y` or DEL (one masked compare finds the four brackets), which callers pass over.
    /// Sixteen bytes a step, as `firstStringStop` (reads up to 15 bytes past `end`).
    @inline(__always)
    static func firstStructural(in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        // `{` 7B, `}` 7D, `[` 5B, `]` 5D differ only in the bits of 0x26.
        let bracketBits = SIMD16<UInt8>(repeating: 0xD9), brackets = SIMD16<UInt8>(repeating: 0x59)
        let quotes = SIMD16<UInt8>(repeating: ASCII.quote), newlines = SIMD16<UInt8>(repeating: ASCII.newline)
        var position = start
        while position < end {
            let bytes = UnsafeRawPointer(base + position).loadUnaligned(as: SIMD16<UInt8>.self)
            let stops = (bytes & bracketBits .== brackets) .| (bytes .== quotes) .| (bytes .== newlines)
            if any(stops) {
                let halves = unsafeBitCast(stops, to: SIMD2<UInt64>.self)
                let offset = halves[0] != 0 ? halves[0].trailingZeroBitCount >> 3 : 8 + halves[1].trailingZeroBitCount >> 3
                return min(position + offset, end)
            }
            position += 16
        }
        return end
    }
}
