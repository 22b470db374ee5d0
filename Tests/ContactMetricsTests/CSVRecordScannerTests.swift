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

    @Test func neverReportsAMatchAtOrPastTheEnd() {
        let bytes = Array("abc,def".utf8) + Array(repeating: UInt8(ascii: ","), count: 16)
        bytes.withUnsafeBufferPointer { buffer in
            #expect(ByteSearch.first(UInt8(ascii: "\n"), in: buffer.baseAddress!, from: 4, to: 7) == 7)
            #expect(ByteSearch.count(UInt8(ascii: ","), in: buffer.baseAddress!, from: 0, to: 7) == 1)
        }
    }
}
