#if canImport(Glibc)
import Glibc
#endif

/// Contact records as JSON objects (Amazon Connect's contact trace records): one object per line, or
/// objects one after another with nothing between them (as a Kinesis Firehose delivery to S3 writes
/// them). Each object is one row whose "columns" are the paths a config names: `ContactId` at the top,
/// `Queue.Name` one object down (deeper members and arrays are skipped). A string's span is its
/// content without the quotes (`hasEscapedQuote` when it holds a backslash escape, for
/// `JSONRecordScanner.unescape`); a number or `true`/`false` is its text; `null` or a missing member is
/// empty.
struct JSONRecordScanner: RecordScanning {
    /// The wanted paths, lower-cased, in column order (`InputLayout.headerNames`), one after another in
    /// one buffer (measured: an array of arrays cost a retain and release per member compared, 17% of a
    /// profile's samples).
    private let storage: PathStorage
    private let pathBytes: UnsafePointer<UInt8>
    private let pathStarts: UnsafePointer<Int>
    private let pathCount: Int
    /// One object per line (`InputLayout.isJSONLines`): a malformed record ends at its line's end, as
    /// blocks are cut at line ends; otherwise where the depth scan closes it (`objectEnd`).
    private let isLines: Bool

    init(paths: [String], isLines: Bool) {
        self.isLines = isLines
        storage = PathStorage(paths.map { Array($0.lowercased().utf8) })
        pathBytes = UnsafePointer(storage.bytes)
        pathStarts = UnsafePointer(storage.starts)
        pathCount = paths.count
    }

    /// Owns the path buffers for the scanner's lifetime.
    private final class PathStorage {
        let bytes: UnsafeMutablePointer<UInt8>
        /// `pathCount + 1` offsets: path `i` is `bytes[starts[i]..<starts[i + 1]]`.
        let starts: UnsafeMutablePointer<Int>

        init(_ paths: [[UInt8]]) {
            let total = paths.reduce(0) { $0 + $1.count }
            bytes = .allocate(capacity: max(1, total))
            starts = .allocate(capacity: paths.count + 1)
            var offset = 0
            for (index, path) in paths.enumerated() {
                starts[index] = offset
                for byte in path { bytes[offset] = byte; offset += 1 }
            }
            starts[paths.count] = offset
        }

        deinit {
            bytes.deallocate()
            starts.deallocate()
        }
    }

    /// Space between objects (newlines included) is a blank record of its own, and an object's record
    /// ends at its `}`: so a block cut right after an object, or at a line end, gives the same records.
    func scanRecord(in base: UnsafePointer<UInt8>, from position: Int, to end: Int,
                    spans: UnsafeMutablePointer<FieldSpan>, capacity: Int, needed: Int) -> ScannedRecord {
        var reader = Reader(base: base, index: position, end: end)
        reader.skipSpace()
        if reader.index > position || reader.index == end {
            return ScannedRecord(nextPosition: reader.index, fieldCount: 0, newlineCount: reader.newlines, problem: nil, isBlank: true)
        }
        for column in 0..<min(pathCount, capacity) { spans[column] = FieldSpan(start: position, end: position, hasEscapedQuote: false, isQuoted: false) }
        var problem: QuotingProblem?
        if isLines {
            // One object per line: an object that runs past its line is malformed, whatever follows (blocks
            // are cut at line ends, so reading on would make the result depend on where they are cut).
            reader = Reader(base: base, index: position, end: ByteSearch.first(ASCII.newline, in: base, from: position, to: end))
        }
        if !readObject(&reader, parent: nil, spans: spans, capacity: capacity) {
            problem = .malformedJSON
            if isLines {
                reader.index = position
                while reader.index < end && base[reader.index] != ASCII.newline { reader.index += 1 }
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
        var newlines = 0

        var byte: UInt8 { index < end ? base[index] : 0 }

        mutating func skipSpace() {
            while index < end {
                switch base[index] {
                case ASCII.newline: newlines += 1
                case ASCII.space, ASCII.tab, ASCII.carriageReturn: break
                default: return
                }
                index += 1
            }
        }

        /// A string at `index` (its opening quote): the content's range and whether it holds an escape.
        /// `memchr` to the next quote, and a byte loop only for a string with a backslash (most strings of
        /// a contact record have none).
        mutating func string() -> (start: Int, end: Int, escaped: Bool)? {
            guard byte == ASCII.quote else { return nil }
            index += 1
            let start = index
            guard let quote = memchr(base + index, Int32(ASCII.quote), end - index) else { return nil }
            let close = base.distance(to: quote.assumingMemoryBound(to: UInt8.self))
            if memchr(base + start, Int32(UInt8(ascii: "\\")), close - start) == nil {
                index = close + 1
                return (start, close, false)
            }
            var escaped = false
            while index < end {
                let current = base[index]
                if current == ASCII.quote { index += 1; return (start, index - 1, escaped) }
                if current == UInt8(ascii: "\\") { escaped = true; index += 1 }
                else if current < 0x20 { return nil }  // a raw control character (a newline) in a string
                index += 1
            }
            return nil
        }

        /// Skips any value (objects and arrays whole).
        mutating func skipValue() -> Bool {
            skipSpace()
            switch byte {
            case ASCII.quote: return string() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < end {
                    switch base[index] {
                    case ASCII.quote: guard string() != nil else { return false }; continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { index += 1; return true }
                    case ASCII.newline: newlines += 1
                    default: break
                    }
                    index += 1
                }
                return false
            default:
                return literal() != nil
            }
        }

        /// A number, `true`, `false` or `null`: its text's range. Anything else is malformed (so that a
        /// record read whole ends where the depth scan ends it: `objectEnd`).
        mutating func literal() -> (start: Int, end: Int)? {
            let start = index
            if byte &- UInt8(ascii: "a") < 26 {
                for word in ["true", "false", "null"] where end - index >= word.utf8.count
                    && word.utf8.enumerated().allSatisfy({ base[index + $0.offset] == $0.element }) {
                    index += word.utf8.count
                    return (start, index)
                }
                return nil
            }
            while index < end {
                let current = base[index]
                guard current &- UInt8(ascii: "0") < 10 || current == UInt8(ascii: "-") || current == UInt8(ascii: "+")
                        || current == UInt8(ascii: ".") || current | 0x20 == UInt8(ascii: "e") else { break }
                index += 1
            }
            return index > start ? (start, index) : nil
        }
    }

    /// The object at the reader (`{` … `}`), its wanted members stored in `spans`; `parent` is the key of
    /// the member holding it (nil at the top). False when it is not well-formed JSON.
    private func readObject(_ reader: inout Reader, parent: (start: Int, end: Int)?, spans: UnsafeMutablePointer<FieldSpan>, capacity: Int) -> Bool {
        guard reader.byte == UInt8(ascii: "{") else { return false }
        reader.index += 1
        reader.skipSpace()
        if reader.byte == UInt8(ascii: "}") { reader.index += 1; return true }
        while true {
            reader.skipSpace()
            guard let key = reader.string() else { return false }
            reader.skipSpace()
            guard reader.byte == UInt8(ascii: ":") else { return false }
            reader.index += 1
            reader.skipSpace()
            let column = wantedColumn(reader.base, parent: parent, key: (key.start, key.end))
            switch reader.byte {
            case ASCII.quote:
                guard let value = reader.string() else { return false }
                if let column, column < capacity {
                    spans[column] = FieldSpan(start: value.start, end: value.end, hasEscapedQuote: value.escaped, isQuoted: true)
                }
            case UInt8(ascii: "{") where parent == nil:
                guard readObject(&reader, parent: (key.start, key.end), spans: spans, capacity: capacity) else { return false }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard reader.skipValue() else { return false }
            default:
                guard let value = reader.literal() else { return false }
                let isNull = value.end - value.start == 4 && reader.base[value.start] == UInt8(ascii: "n")
                if let column, column < capacity, !isNull {
                    spans[column] = FieldSpan(start: value.start, end: value.end, hasEscapedQuote: false, isQuoted: false)
                }
            }
            reader.skipSpace()
            switch reader.byte {
            case UInt8(ascii: ","): reader.index += 1
            case UInt8(ascii: "}"): reader.index += 1; return true
            default: return false
            }
        }
    }

    /// The column of the member `key` (inside the member `parent`), or nil when no path names it.
    private func wantedColumn(_ base: UnsafePointer<UInt8>, parent: (start: Int, end: Int)?, key: (start: Int, end: Int)) -> Int? {
        let keyCount = key.end - key.start
        let parentCount = parent.map { $0.end - $0.start + 1 } ?? 0  // with its dot
        for column in 0..<pathCount where pathStarts[column + 1] - pathStarts[column] == parentCount + keyCount {
            let path = pathBytes + pathStarts[column]
            if let parent {
                guard Self.equalsLowered(base, parent.start, parent.end, path), path[parentCount - 1] == UInt8(ascii: ".") else { continue }
            }
            if Self.equalsLowered(base, key.start, key.end, path + parentCount) { return column }
        }
        return nil
    }

    /// Whether `base[start..<end]`, lower-cased, equals as many bytes of `path`.
    private static func equalsLowered(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ path: UnsafePointer<UInt8>) -> Bool {
        for index in start..<end where lower(base[index]) != path[index - start] { return false }
        return true
    }

    private static func lower(_ byte: UInt8) -> UInt8 { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte }
}

extension JSONRecordScanner {
    /// Where the first top-level object (or array) of `count` bytes ends, one past its closer; nil when
    /// none closes in them.
    static func firstObjectEnd(in base: UnsafePointer<UInt8>, count: Int) -> Int? {
        objectEnd(in: base, count: count, last: false)
    }

    /// Where the last whole top-level object of `count` bytes ends (one past its `}`), scanning from the
    /// start (a block starts between objects); nil when none ends in them.
    static func lastObjectEnd(in base: UnsafePointer<UInt8>, count: Int) -> Int? {
        objectEnd(in: base, count: count, last: true)
    }

    /// The one depth scan both use, and the scanner's recovery from a malformed record: strings (with
    /// backslash escapes) are skipped, `{`/`[` open and `}`/`]` close, a closer at depth 0 is ignored.
    /// Records, block cuts and recoveries all end where this scan returns to depth 0, so the figures do
    /// not depend on where blocks are cut, malformed input included.
    private static func objectEnd(in base: UnsafePointer<UInt8>, count: Int, last: Bool) -> Int? {
        var depth = 0, inString = false, index = 0
        var found: Int?
        while index < count {
            let byte = base[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == ASCII.quote { inString = false }
            } else if byte == ASCII.quote {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if (byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")) && depth > 0 {
                depth -= 1
                if depth == 0 {
                    if !last { return index + 1 }
                    found = index + 1
                }
            }
            index += 1
        }
        return found
    }

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
