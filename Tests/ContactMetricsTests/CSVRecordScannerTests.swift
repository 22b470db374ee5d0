import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import ContactMetrics

/// Scans `text` record by record with the production scanner; returns each record's fields.
private func scanAll(_ text: String) -> (records: [[String]], problems: [QuotingProblem?], newlines: Int) {
    var bytes = Array(text.utf8) + Array(repeating: 0, count: 16)
    let count = bytes.count - 16
    return bytes.withUnsafeMutableBufferPointer { buffer in
        let base = UnsafePointer(buffer.baseAddress!)
        let spans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: 32)
        defer { spans.deallocate() }
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: max(count, 1))
        defer { scratch.deallocate() }
        var records: [[String]] = [], problems: [QuotingProblem?] = [], newlines = 0
        var position = 0
        while position < count {
            let record = CSVRecordScanner().scanRecord(in: base, from: position, to: count, spans: spans, capacity: 32)
            position = record.nextPosition
            newlines += record.newlineCount
            if record.isBlank { continue }
            var fields: [String] = []
            for index in 0..<record.fieldCount {
                let span = spans[index]
                if span.hasEscapedQuote {
                    let length = CSVRecordScanner.unescape(span, in: base, into: scratch)
                    fields.append(String(decoding: UnsafeBufferPointer(start: scratch, count: length), as: UTF8.self))
                } else {
                    fields.append(String(decoding: UnsafeBufferPointer(start: base + span.start, count: span.count), as: UTF8.self))
                }
            }
            records.append(fields)
            problems.append(record.problem)
        }
        return (records, problems, newlines)
    }
}

@Suite struct CSVRecordScannerTests {
    @Test func unquotedFieldsWithLFAndCRLF() {
        #expect(scanAll("a,b,c\nd,e,f\n").records == [["a", "b", "c"], ["d", "e", "f"]])
        #expect(scanAll("a,b,c\r\nd,e,f\r\n").records == [["a", "b", "c"], ["d", "e", "f"]])
        #expect(scanAll("a,b,c\r\nd,e,f").records == [["a", "b", "c"], ["d", "e", "f"]])
    }

    @Test func emptyFieldsAndTrailingDelimiter() {
        #expect(scanAll(",,\n").records == [["", "", ""]])
        #expect(scanAll("a,\n").records == [["a", ""]])
        #expect(scanAll("a,").records == [["a", ""]])
    }

    @Test func quotedFieldsHoldDelimitersNewlinesAndEscapedQuotes() {
        let result = scanAll("1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"line one\nline two\",\"\"\r\n")
        #expect(result.records == [["1", "x, y", "say \"hi\""], ["2", "line one\nline two", ""]])
        #expect(result.newlines == 3)
        #expect(result.problems == [nil, nil])
    }

    @Test func quotedLastFieldBeforeCRLF() {
        #expect(scanAll("a,\"b\"\r\nc,\"d\"\r").records == [["a", "b"], ["c", "d"]])
    }

    @Test func blankLinesAreNotRecords() {
        let result = scanAll("a,b\n\n\r\nc,d\n")
        #expect(result.records == [["a", "b"], ["c", "d"]])
        #expect(result.newlines == 4)
    }

    @Test func unterminatedQuoteIsReported() {
        let result = scanAll("a,\"never closed\nb,c\n")
        #expect(result.records.count == 1)
        #expect(result.problems == [.unterminatedQuote])
    }

    @Test func textAfterClosingQuoteIsReported() {
        let result = scanAll("a,\"b\"x,c\nd,e,f\n")
        #expect(result.records == [["a", "b", "c"], ["d", "e", "f"]])
        #expect(result.problems == [.textAfterClosingQuote(fieldIndex: 1), nil])
    }

    @Test func longFieldsCrossManyWords() {
        let long = String(repeating: "x", count: 1000)
        #expect(scanAll("\(long),\(long)\n").records == [[long, long]])
    }
}

@Suite struct RecordBoundaryTests {
    private func lastEnd(_ text: String) -> Int? {
        var bytes = Array(text.utf8) + Array(repeating: 0, count: 16)
        let count = bytes.count - 16
        return bytes.withUnsafeMutableBufferPointer { RecordBoundary.lastRecordEnd(in: UnsafePointer($0.baseAddress!), count: count, delimiter: ASCII.comma) }
    }

    @Test func cutsAfterTheLastNewlineWithoutQuotes() {
        #expect(lastEnd("a,b\nc,d\ne,f") == 8)
        #expect(lastEnd("no newline") == nil)
    }

    @Test func skipsNewlinesInsideQuotes() {
        // The last newline (index 12) is inside an open quoted field: cut after the first record.
        #expect(lastEnd("a,b\nc,\"d\ne,f\ng") == 4)
        #expect(lastEnd("\"a\nb\"") == nil)
        #expect(lastEnd("x,\"a\"\"\nb\"\n") == 10)
    }

    @Test func escapedQuotesKeepTheFieldOpen() {
        #expect(lastEnd("a,\"\"\"\"\nb") == 7)
    }

    @Test func quotesThatDoNotOpenAFieldAreText() {
        // `5" screen` is an unquoted field holding a quote; `"b"x"` has text after its closing quote.
        #expect(lastEnd("a,5\" screen\nb,\"c\nd\"\ne") == 20)
        #expect(lastEnd("a,\"b\"x\"y\nc\n") == 11)
        #expect(lastEnd("a, \"b\nc\n") == 8)
    }

    /// Looking for the first record end must not look for quotes beyond it: done from every record of
    /// a long block, that made the streaming reader's length check quadratic (minutes for a 16 MiB block).
    /// The text is followed by an unreadable page, which a search past the record end would touch.
    @Test func firstRecordStartLooksNoFurtherThanTheRecordEnd() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let memory = try #require(mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        defer { munmap(memory, 2 * page) }
        let base = memory.assumingMemoryBound(to: UInt8.self)
        base.initialize(repeating: UInt8(ascii: "x"), count: page)
        for (index, byte) in "a,b,c\n".utf8.enumerated() { base[index] = byte }
        #expect(mprotect(memory + page, page, PROT_NONE) == 0)
        let end = RecordBoundary.firstRecordStart(in: base, from: 0, to: 2 * page, state: .outside, fieldStart: true, delimiter: ASCII.comma)
        #expect(end == 6)
        #expect(RecordBoundary.firstRecord(longerThan: 100, in: base, from: 0, to: 6, atEnd: true, delimiter: ASCII.comma) == nil)
    }

    /// Record ends as `CSVRecordScanner` finds them scanning from the start. One more byte is scanned
    /// after the text, so that a quoted field still open at the end (which the scanner closes at the
    /// end of its input) does not pass for a record end.
    private func scannerRecordEnds(_ text: [UInt8]) -> Set<Int> {
        let bytes = text + Array("x".utf8) + Array(repeating: 0, count: 16)
        let spans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: 64)
        defer { spans.deallocate() }
        return bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            var ends: Set<Int> = [], position = 0
            while position <= text.count {
                let record = CSVRecordScanner().scanRecord(in: base, from: position, to: text.count + 1, spans: spans, capacity: 64)
                position = record.nextPosition
                if position <= text.count && base[position - 1] == ASCII.newline { ends.insert(position) }
            }
            return ends
        }
    }

    /// On random text of commas, quotes, newlines and CRs: from any position, with the state the walk
    /// gives there, the next record end is the scanner's, and walking in two pieces gives the state
    /// walking in one does. This is what lets ranges of a file be cut apart.
    @Test func agreesWithTheScannerFromEveryPosition() {
        var random = SeededGenerator(seed: 42)
        let alphabet = Array("a,\"\n\r".utf8)
        for _ in 0..<3000 {
            let count = Int.random(in: 1...40, using: &random)
            var bytes = (0..<count).map { _ in alphabet.randomElement(using: &random)! } + Array(repeating: 0, count: 16)
            bytes.withUnsafeMutableBufferPointer { buffer in
                let base = UnsafePointer(buffer.baseAddress!)
                let ends = scannerRecordEnds(Array(buffer.prefix(count)))
                let text = String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self).debugDescription
                #expect(RecordBoundary.lastRecordEnd(in: base, count: count, delimiter: ASCII.comma) == ends.max(), "\(text)")
                let whole = RecordBoundary.state(after: base, from: 0, to: count, entering: .outside, fieldStart: true, delimiter: ASCII.comma)
                for position in 1..<count {
                    let state = RecordBoundary.state(after: base, from: 0, to: position, entering: .outside, fieldStart: true, delimiter: ASCII.comma)
                    let fieldStart = RecordBoundary.isFieldStart(base, position, delimiter: ASCII.comma)
                    let next = RecordBoundary.firstRecordStart(in: base, from: position, to: count, state: state, fieldStart: fieldStart,
                                                               delimiter: ASCII.comma)
                    #expect(next == ends.filter { $0 > position }.min(), "\(text) from \(position)")
                    #expect((state == .outside && base[position - 1] == ASCII.newline) == ends.contains(position), "\(text) at \(position)")
                    let rest = RecordBoundary.state(after: base, from: position, to: count, entering: state, fieldStart: fieldStart,
                                                    delimiter: ASCII.comma)
                    #expect(rest == whole, "\(text) split at \(position)")
                }
            }
        }
    }
}

@Suite struct ByteSearchTests {
    @Test func findsFirstLastAndCounts() {
        for length in 0..<40 {
            for position in 0..<length {
                var bytes = Array(repeating: UInt8(ascii: "a"), count: length) + Array(repeating: 0, count: 16)
                bytes[position] = UInt8(ascii: ",")
                bytes.withUnsafeBufferPointer { buffer in
                    let base = buffer.baseAddress!
                    #expect(ByteSearch.first(UInt8(ascii: ","), in: base, from: 0, to: length) == position)
                    #expect(ByteSearch.last(UInt8(ascii: ","), in: base, from: 0, to: length) == position)
                    #expect(ByteSearch.count(UInt8(ascii: ","), in: base, from: 0, to: length) == 1)
                    #expect(ByteSearch.first(UInt8(ascii: ","), in: base, from: 0, to: position) == position)
                }
            }
        }
    }

    /// Delimiters before a line's end, and where it ends, in one pass: as `first` and `count` give them, for random
    /// bytes (commas, newlines and others, past the end too) and every start and end.
    @Test func countsBeforeAStopAsFirstAndCountDo() {
        var random = SplitMix64(seed: 3)
        for _ in 0..<400 {
            let length = Int(random.next() % 48)
            let alphabet: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "a"), UInt8(ascii: "\""), 0x80, 0xFF]
            let bytes = (0..<(length + 16)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            bytes.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress!
                for start in 0...length {
                    let end = start + Int(random.next() % UInt64(length - start + 1))
                    let stop = ByteSearch.first(UInt8(ascii: "\n"), in: base, from: start, to: end)
                    let expected = (ByteSearch.count(UInt8(ascii: ","), in: base, from: start, to: stop), stop)
                    let found = ByteSearch.count(UInt8(ascii: ","), before: UInt8(ascii: "\n"), in: base, from: start, to: end)
                    #expect(found == expected, "\(bytes[start..<end]) from \(start) to \(end)")
                }
            }
        }
    }

    @Test func neverReportsAMatchAtOrPastTheEnd() {
        let bytes = Array("abc,def".utf8) + Array(repeating: UInt8(ascii: ","), count: 16)
        bytes.withUnsafeBufferPointer { buffer in
            #expect(ByteSearch.first(UInt8(ascii: "\n"), in: buffer.baseAddress!, from: 4, to: 7) == 7)
            #expect(ByteSearch.count(UInt8(ascii: ","), in: buffer.baseAddress!, from: 0, to: 7) == 1)
        }
    }
}

/// `QuoteExits` (the three walks at once, over quote masks) against `RecordBoundary.state(after:)`
/// (one walk from quote to quote), on random quote-heavy text long enough to span several 64-byte
/// windows, from every start and for every entry state.
@Suite struct QuoteExitsTests {
    @Test func agreesWithTheWalkForEveryEntryState() {
        var random = SeededGenerator(seed: 7)
        let alphabets = [Array("a,\"\n\r".utf8), Array("\"\",,ab\n".utf8), Array("abcdefgh,\"\n".utf8), Array("\"".utf8)]
        for round in 0..<1500 {
            let alphabet = alphabets[round % alphabets.count]
            let count = Int.random(in: 1...200, using: &random)
            var bytes = (0..<count).map { _ in alphabet.randomElement(using: &random)! } + Array(repeating: UInt8(ascii: "\""), count: 16)
            bytes.withUnsafeMutableBufferPointer { buffer in
                let base = UnsafePointer(buffer.baseAddress!)
                for from in stride(from: 0, to: count, by: max(1, count / 13)) {
                    for fieldStart in [true, false] {
                        let fast = QuoteExits.exits(in: base, from: from, to: count, fieldStart: fieldStart, delimiter: ASCII.comma)
                        let walked = [QuoteState.outside, .inside, .afterQuoteInside].map {
                            RecordBoundary.state(after: base, from: from, to: count, entering: $0, fieldStart: fieldStart, delimiter: ASCII.comma)
                        }
                        let text = String(decoding: UnsafeBufferPointer(start: base + from, count: count - from), as: UTF8.self).debugDescription
                        #expect([fast.0, fast.1, fast.2] == walked, "\(text) fieldStart \(fieldStart)")
                    }
                }
            }
        }
    }

    /// Well-formed CSV whose fields are mostly quoted (with `""` and line breaks inside), now and then a
    /// stray quote in an unquoted field: long stretches take the parity path, the strays the walk.
    @Test func agreesWithTheWalkOnQuotedExports() {
        var random = SeededGenerator(seed: 11)
        let pieces = ["abc", "12", "", "a,b", "say \"\"hi\"\"", "two\nlines", "\"\"", "x"]
        for round in 0..<400 {
            var text = ""
            while text.utf8.count < 300 {
                for field in 0..<5 {
                    if field > 0 { text += "," }
                    let piece = pieces.randomElement(using: &random)!
                    if Int.random(in: 0..<10, using: &random) < 8 {
                        text += "\"" + piece + "\""
                    } else {
                        text += piece.contains("\"") || piece.contains(",") || piece.contains("\n") ? "y" : piece
                        if round % 7 == 0 && Int.random(in: 0..<20, using: &random) == 0 { text += "5\" screen" }
                    }
                }
                text += Int.random(in: 0..<2, using: &random) == 0 ? "\n" : "\r\n"
            }
            var bytes = Array(text.utf8) + Array(repeating: UInt8(ascii: "\""), count: 16)
            let count = bytes.count - 16
            bytes.withUnsafeMutableBufferPointer { buffer in
                let base = UnsafePointer(buffer.baseAddress!)
                for from in stride(from: 0, to: count, by: 17) {
                    let fieldStart = from == 0 || RecordBoundary.isFieldStart(base, from, delimiter: ASCII.comma)
                    let fast = QuoteExits.exits(in: base, from: from, to: count, fieldStart: fieldStart, delimiter: ASCII.comma)
                    let walked = [QuoteState.outside, .inside, .afterQuoteInside].map {
                        RecordBoundary.state(after: base, from: from, to: count, entering: $0, fieldStart: fieldStart, delimiter: ASCII.comma)
                    }
                    #expect([fast.0, fast.1, fast.2] == walked, "\(text.debugDescription) from \(from)")
                }
            }
        }
    }
}

/// Counting the fields after the `needed` first ones instead of splitting them changes nothing the
/// decoder sees: on random records (quoted or not, CRLF, empty fields, stray and escaped quotes, no
/// final newline, quoted fields the count passes over or stops at), every `needed` gives the full
/// scan's record end, field count, newlines, problem and the spans of the first `needed` fields.
@Suite struct NeededFieldsTests {
    @Test func countingTheRestGivesWhatSplittingGives() {
        var random = SeededGenerator(seed: 21)
        let pieces = ["", "a", "12", "x y", "\"q\"", "\"a,b\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "5\" screen", "\r", "a longer unquoted field", "\"a longer, quoted field\"", "x\"\"y",
                      "\"ab\"c", "\"x\"\r", "\"\"", "\"crlf\r\nin it, \"\"q\"\"\"", "\"a longer quoted field, long enough to span a sixteen-byte chunk\""]
        for _ in 0..<3000 {
            var text = ""
            for record in 0..<Int.random(in: 1...4, using: &random) {
                if record > 0 { text += Bool.random(using: &random) ? "\n" : "\r\n" }
                text += (0..<Int.random(in: 1...9, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined(separator: ",")
            }
            if Bool.random(using: &random) { text += "\n" }
            Self.expectCountingAgreesWithSplitting(Array(text.utf8), needed: 1...6, capacity: 16)
        }
    }

    /// The same on random bytes of the characters that matter, so that a newline, a quote or a
    /// delimiter falls at every place of a sixteen-byte chunk (the count reads a chunk's lanes).
    @Test func countingTheRestAgreesOnRandomBytes() {
        var random = SeededGenerator(seed: 22)
        let alphabet = Array("aaaaaaaaaaaaaaaaaa,,,,,\"\"\n\r".utf8)
        for _ in 0..<4000 {
            let bytes = (0..<Int.random(in: 1...120, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            Self.expectCountingAgreesWithSplitting(bytes, needed: 1...3, capacity: 64)
        }
    }

    /// Scans `text` record by record, whole and counting the rest at each of `needed`, and expects the
    /// same records, line counts and problems, and the same spans for the fields split.
    private static func expectCountingAgreesWithSplitting(_ text: [UInt8], needed: ClosedRange<Int>, capacity: Int) {
        let count = text.count, context = String(decoding: text, as: UTF8.self).debugDescription
        var bytes = text + Array(repeating: 0, count: 16)
        bytes.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafePointer(buffer.baseAddress!)
            let full = UnsafeMutablePointer<FieldSpan>.allocate(capacity: capacity), partial = UnsafeMutablePointer<FieldSpan>.allocate(capacity: capacity)
            defer { full.deallocate(); partial.deallocate() }
            var position = 0
            while position < count {
                let whole = CSVRecordScanner().scanRecord(in: base, from: position, to: count, spans: full, capacity: capacity)
                for needed in needed {
                    let counted = CSVRecordScanner().scanRecord(in: base, from: position, to: count, spans: partial, capacity: capacity, needed: needed)
                    #expect(counted.nextPosition == whole.nextPosition && counted.fieldCount == whole.fieldCount
                            && counted.newlineCount == whole.newlineCount && counted.problem == whole.problem
                            && counted.isBlank == whole.isBlank, "\(context) from \(position), needed \(needed)")
                    for index in 0..<min(needed, whole.fieldCount, capacity) {
                        #expect(partial[index].start == full[index].start && partial[index].end == full[index].end
                                && partial[index].hasEscapedQuote == full[index].hasEscapedQuote, "\(context) from \(position), field \(index)")
                    }
                }
                position = whole.nextPosition
            }
        }
    }

    /// More than 255 sixteen-byte chunks of delimiters (each lane counts to 255 before it is summed).
    @Test func longLinesAreCountedInFull() {
        let text = "a," + String(repeating: "x,", count: 5000) + "\"q,\"," + String(repeating: ",", count: 4500) + "end\r\nnext"
        var bytes = Array(text.utf8) + Array(repeating: 0, count: 16)
        let count = bytes.count - 16
        bytes.withUnsafeMutableBufferPointer { buffer in
            let spans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: 4)
            defer { spans.deallocate() }
            let counted = CSVRecordScanner().scanRecord(in: UnsafePointer(buffer.baseAddress!), from: 0, to: count,
                                                        spans: spans, capacity: 4, needed: 1)
            #expect(counted.fieldCount == 1 + 5000 + 1 + 4500 + 1)
            #expect(counted.nextPosition == count - 4 && counted.newlineCount == 1)
        }
    }
}
