import Foundation

/// Reads the start of an input: a UTF-8 BOM, then either the header record (which decides the
/// layout) or, for an Asterisk queue_log, nothing (its first line is already data).
enum HeaderReader {
    struct Header {
        var layout: InputLayout
        /// Offset of the first data byte.
        var dataStart: Int
        /// Newlines inside the header record (a quoted header name may hold one).
        var lineCount: Int
    }

    /// Parses the header from the first `filled` bytes of an input, or returns nil when more bytes
    /// are needed to see all of it (`atEnd` says no more will come).
    /// - Throws: `InputError.emptyInput`, or the layout's error for a header it cannot use.
    static func read(_ base: UnsafePointer<UInt8>, filled: Int, atEnd: Bool, path: String,
                     options: IngestOptions) throws(InputError) -> Header? {
        // Past the limit, the header is read as if the input ended there: it must end by then.
        let cut = filled > maximumBytes || (filled == maximumBytes && !atEnd)
        return try parse(base, filled: min(filled, maximumBytes), atEnd: atEnd || cut, cut: cut, path: path, options: options)
    }

    /// What a file that is not text is, by its first bytes, and what to do with it; nil for anything else.
    /// A store given as an input was judged as a CSV header, with advice to run `tr` over it.
    /// A command that turns line ends of a carriage return alone into line feeds, for the input named `path`
    /// (as `InputOpener.displayName` gives it): `tr` on the bytes of a gzip file would break it.
    static func carriageReturnAdvice(path: String) -> String {
        if path == InputOpener.displayName("-") { return "COMMAND | tr '\\r' '\\n' | contact-metrics … - (for gzip data, zcat before tr)" }
        if path.lowercased().hasSuffix(".gz") { return "zcat FILE | tr '\\r' '\\n' > FIXED.csv" }
        return "tr '\\r' '\\n' < FILE > FIXED.csv"
    }

    static func binaryKind(_ base: UnsafePointer<UInt8>, filled: Int) -> String? {
        func starts(with magic: [UInt8]) -> Bool { filled >= magic.count && magic.indices.allSatisfy { base[$0] == magic[$0] } }
        if starts(with: ContactStore.fileHeader) {
            return "this is an SQLite database, not a CSV file; a contact-metrics store is read with --store"
        }
        if starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return "this is a zip archive, such as an Excel workbook (.xlsx), not a CSV file; save the sheet as CSV (or unzip the archive)"
        }
        if starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return "this is an Excel 97-2003 workbook (.xls), not a CSV file; save the sheet as CSV"
        }
        return nil
    }

    /// The longest header read (or first line of a queue_log): an input with no line break that early
    /// (`/dev/zero`, a binary file) is refused instead of being read into memory to its end.
    static let maximumBytes = 1 << 20

    private static func parse(_ base: UnsafePointer<UInt8>, filled: Int, atEnd: Bool, cut: Bool, path: String,
                              options: IngestOptions) throws(InputError) -> Header? {
        let tooLong = InputError.unsupported(path: path, reason: "no header line in the first \(maximumBytes >> 20) MiB (is this a CSV file or an Asterisk queue_log?)")
        var start = 0
        if filled >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }  // UTF-8 BOM
        if filled == start {
            if atEnd { throw .emptyInput(path: path) }
            return nil
        }
        if let refusal = TextEncoding.utf32Refusal((0..<min(4, filled)).map { base[$0] }) { throw .unsupported(path: path, reason: refusal) }
        if let what = Self.binaryKind(base, filled: filled) { throw .unsupported(path: path, reason: what) }
        switch try jsonLayout(base, from: start, to: filled, atEnd: atEnd, cut: cut, path: path, options: options) {
        case .records(let layout): return Header(layout: layout, dataStart: start, lineCount: 0)
        case .needsMore: return nil
        case .notJSON: break
        }
        // UTF-16 read as bytes (no byte-order mark, no --encoding): every other byte is NUL.
        if let encoding = TextEncoding.looksLikeUTF16(UnsafeRawBufferPointer(start: base + start, count: filled - start)) {
            throw .unsupported(path: path, reason: "the text looks like \(encoding == .utf16LittleEndian ? "UTF-16LE" : "UTF-16BE") with no byte-order mark "
                + "(every other byte is 0): give --encoding \(encoding.rawValue)")
        }
        // Empty lines before the header (an SSRS or sqlcmd export, a file begun with `echo >>`) are skipped, as blank
        // lines are everywhere else: the empty first line was taken for the header (found by the exports review).
        var blankLines = 0
        while start < filled, base[start] == ASCII.newline || (base[start] == ASCII.carriageReturn && start + 1 < filled && base[start + 1] == ASCII.newline) {
            start += base[start] == ASCII.newline ? 1 : 2
            blankLines += 1
        }
        if start == filled && !atEnd { return nil }
        // Excel's delimiter hint: a first line `sep=;` names the delimiter, and is not the header.
        var hinted: FieldDelimiter?
        var hintLines = blankLines
        if let (byte, next) = Self.separatorHint(base, from: start, to: filled) {
            (hinted, start, hintLines) = (.byte(byte), next, 1)
        }
        if options.forcedKind == .queueLog || (options.forcedKind == nil && QueueLogLayout.looksLikeQueueLog(base, from: start, to: filled)) {
            // queue_log has no header: its first line is data. Decide once the first line is whole.
            let newline = ByteSearch.first(ASCII.newline, in: base, from: start, to: filled)
            if newline >= filled && cut { throw tooLong }
            if newline >= filled && !atEnd { return nil }
            let layout = InputLayout(columns: .queueLog(QueueLogLayout(mapping: options.mapping)), columnCount: 0, headerNames: [],
                                     delimiter: .byte(ASCII.pipe))
            return Header(layout: layout, dataStart: start, lineCount: hintLines)
        }
        var capacity = 4096
        var spans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: capacity)
        defer { spans.deallocate() }
        let chosen = options.delimiter ?? options.mapping?.delimiter ?? hinted
        let delimiter = chosen ?? Self.delimiter(judgedFrom: base, from: start, to: filled)
        var record = RecordSplitter(delimiter).scanRecord(in: base, from: start, to: filled, spans: spans, capacity: capacity)
        if record.fieldCount > capacity {
            // A header of more names than that, read again whole: its names past the first 4,096 were dropped, and
            // a file whose needed columns came after them was refused, or every row rejected (the review).
            spans.deallocate()
            capacity = record.fieldCount
            spans = .allocate(capacity: capacity)
            record = RecordSplitter(delimiter).scanRecord(in: base, from: start, to: filled, spans: spans, capacity: capacity)
        }
        let terminated = record.nextPosition < filled || base[record.nextPosition - 1] == ASCII.newline
        if cut && (!terminated || record.problem == .unterminatedQuote) { throw tooLong }
        if !atEnd && (!terminated || record.problem == .unterminatedQuote) { return nil }
        if record.problem == .unterminatedQuote {  // else the whole file would be one header and no rows
            throw .unsupported(path: path, reason: "the header line opens a quoted name that never closes, so the file has no rows")
        }
        if let (field, lines) = Self.nameHoldingRows(base, from: start, record: record, spans: spans, capacity: capacity, delimiter: delimiter) {
            let firstLine = UnsafeBufferPointer(start: base + spans[field].start,
                                                count: ByteSearch.first(ASCII.newline, in: base, from: spans[field].start, to: spans[field].start + spans[field].count) - spans[field].start)
            var name = String(decoding: firstLine.prefix(40), as: UTF8.self)
            if name.hasSuffix("\r") { name.removeLast() }
            throw .unsupported(path: path, reason: "the header's name \(field + 1), starting \(Escaping.visible("\"" + name)), opens a quote that runs over the "
                + "\(lines) \(lines == 1 ? "line after it, which holds a row of its own" : "lines after it, which hold rows of their own") (a stray quote in the header?): "
                + "they would be read as part of the header; fix or remove the quote")
        }
        // Lines that end in a carriage return alone (classic Mac OS) make the whole file one header line
        // with no rows, which would report an empty table with status 0.
        let bareCarriageReturn = (0..<min(record.fieldCount, capacity)).contains { index in
            !spans[index].isQuoted && spans[index].count > 0
                && memchr(base + spans[index].start, Int32(ASCII.carriageReturn), spans[index].count) != nil
        }
        if bareCarriageReturn {
            throw .unsupported(path: path, reason: "the header line holds a carriage return with no line feed after it: lines that end "
                + "in a carriage return alone (classic Mac OS) are not read; convert them first, e.g. " + Self.carriageReturnAdvice(path: path))
        }
        var names: [String] = []
        for index in 0..<min(record.fieldCount, capacity) {
            let span = spans[index]
            var text = String(decoding: UnsafeBufferPointer(start: base + span.start, count: span.count), as: UTF8.self)
            if span.hasEscapedQuote { text = text.replacingOccurrences(of: "\"\"", with: "\"") }
            names.append(text)
        }
        var layout = try InputLayout.detect(header: names, path: path, forcedKind: options.forcedKind, mapping: options.mapping,
                                            delimiter: delimiter)
        layout.delimiterWasJudged = chosen == nil && delimiter != .byte(ASCII.comma)
        return Header(layout: layout, dataStart: record.nextPosition, lineCount: hintLines + record.newlineCount)
    }

    /// A quoted header name that runs over lines one of which looks like a row inside the quotes
    /// (`BlockWorker.looksLikeARow`: a row's delimiters and a field that starts like a time; a real name
    /// across lines, as a spreadsheet cell with a line break, has no such line): the field's index and
    /// how many lines it runs over.
    static func nameHoldingRows(_ base: UnsafePointer<UInt8>, from headerStart: Int, record: ScannedRecord, spans: UnsafeMutablePointer<FieldSpan>,
                                capacity: Int, delimiter: FieldDelimiter) -> (Int, Int)? {
        guard BlockWorker.runsOverLines(record.newlineCount, base, end: record.nextPosition), case .byte(let byte) = delimiter else { return nil }
        // A row has as many delimiters as the header's first line, or as the record when fewer (the
        // record counts the fields of a row the quote took in too).
        let firstLineEnd = ByteSearch.first(ASCII.newline, in: base, from: headerStart, to: record.nextPosition)
        let delimitersPerRow = max(1, min(record.fieldCount - 1, ByteSearch.count(byte, in: base, from: headerStart, to: firstLineEnd)))
        for index in 0..<min(record.fieldCount, capacity) where spans[index].isQuoted {
            let start = spans[index].start, end = start + spans[index].count
            var lineStart = ByteSearch.first(ASCII.newline, in: base, from: start, to: end) + 1
            guard lineStart <= end else { continue }
            let lines = ByteSearch.count(ASCII.newline, in: base, from: start, to: end)
            while lineStart <= end {
                // The name's last line is checked to the end of its line: a row the quote closed in is
                // mostly after the closing quote.
                var lineEnd = ByteSearch.first(ASCII.newline, in: base, from: lineStart, to: end)
                if lineEnd == end { lineEnd = ByteSearch.first(ASCII.newline, in: base, from: lineStart, to: record.nextPosition) }
                if BlockWorker.looksLikeARow(base, from: lineStart, to: lineEnd, delimiter: byte, delimitersPerRow: delimitersPerRow) {
                    return (index, lines)
                }
                lineStart = lineEnd + 1
            }
        }
        return nil
    }

    /// A first line `sep=X` (any case; X a comma, semicolon, tab or pipe; then a line end), as Excel writes
    /// and reads it: X, and where the next line starts.
    static func separatorHint(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> (UInt8, Int)? {
        guard end - start >= 6, base[start] | 0x20 == UInt8(ascii: "s"), base[start + 1] | 0x20 == UInt8(ascii: "e"),
              base[start + 2] | 0x20 == UInt8(ascii: "p"), base[start + 3] == UInt8(ascii: "=") else { return nil }
        let byte = base[start + 4]
        guard [ASCII.comma, UInt8(ascii: ";"), ASCII.tab, ASCII.pipe].contains(byte) else { return nil }
        var index = start + 5
        if index < end && base[index] == ASCII.carriageReturn { index += 1 }
        guard index < end && base[index] == ASCII.newline else { return nil }
        return (byte, index + 1)
    }

    /// The delimiter of a header line nobody named one for: a comma when the line has one outside quotes
    /// (or has none of the others), else whichever of semicolon, tab and pipe it has most of (European
    /// spreadsheets write `;`, "Unicode text" exports a tab).
    static func delimiter(judgedFrom base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> FieldDelimiter {
        let candidates: [UInt8] = [ASCII.comma, UInt8(ascii: ";"), UInt8(ascii: "\t"), ASCII.pipe]
        var counts = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        var index = start
        while index < end && (quoted || base[index] != ASCII.newline) {
            let byte = base[index]
            if byte == ASCII.quote {
                quoted.toggle()
            } else if !quoted, let which = candidates.firstIndex(of: byte) {
                counts[which] += 1
            }
            index += 1
        }
        guard counts[0] == 0, let most = counts.indices.dropFirst().max(by: { counts[$0] < counts[$1] }), counts[most] > 0 else {
            return .byte(ASCII.comma)
        }
        return .byte(candidates[most])
    }

    private enum JSONJudgement {
        case records(InputLayout)
        /// The bytes read so far end before the first object, or right after it: whether a line end
        /// follows it is not known yet.
        case needsMore
        case notJSON
    }

    /// JSON records (the first byte that is not space is `{`): no header line, their columns are the
    /// paths the config names (`Queue.Name`).
    /// - Parameters:
    ///   - atEnd: no more bytes will come (the input's end, or `maximumBytes` read).
    ///   - cut: `maximumBytes` were read, and the input goes on.
    /// - Throws: `InputError.unsupported` for JSON with no config to read it by.
    private static func isJSONSpace(_ byte: UInt8) -> Bool {
        byte == ASCII.space || byte == ASCII.tab || byte == ASCII.newline || byte == ASCII.carriageReturn
    }

    private static func jsonLayout(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, atEnd: Bool, cut: Bool, path: String,
                                   options: IngestOptions) throws(InputError) -> JSONJudgement {
        var index = start
        while index < end, base[index] == ASCII.space || base[index] == ASCII.tab || base[index] == ASCII.newline || base[index] == ASCII.carriageReturn {
            index += 1
        }
        // Space only so far: the first byte that is not space decides (a file of JSON records after 64 KiB of
        // blank lines was judged on range reading's first 64 KiB, as a CSV header).
        if index == end && !atEnd { return .needsMore }
        if index == end && !cut && end > start { throw .blankInput(path: path) }
        // An array of records (`[{…}, {…}]`, as a JSON export of a query gives them): said as such, with or
        // without a config (with one, its columns were reported missing from a "header").
        if index < end && base[index] == UInt8(ascii: "["),
           let first = (index + 1..<end).first(where: { !Self.isJSONSpace(base[$0]) }), base[first] == UInt8(ascii: "{") {
            throw .unknownKind(path: path, header: ["["])
        }
        guard index < end, base[index] == UInt8(ascii: "{") else { return .notJSON }
        guard let mapping = options.mapping else {
            throw .unsupported(path: path, reason: "JSON records need a config naming their members, such as SampleData/formats/amazon-connect.json "
                + "for Amazon Connect contact records: give --config")
        }
        // The fields' own names are read too where the config maps nothing to them, as a CSV header's are
        // (`answered_at` in a record was ignored, and the contacts read as unanswered).
        let named = mapping.namedColumns.map { $0.lowercased() }
        let names = named + MappedColumns.standardNames.filter { mapping.columns[$0] == nil && !named.contains($0) }
        let columns = try MappedColumns(mapping: mapping, headerNames: names, path: path)
        var layout = InputLayout(columns: .mapped(columns), columnCount: names.count, headerNames: names)
        layout.isJSON = true
        // JSON Lines: the first object starts a line and a newline (or the end) follows it; records may run over
        // lines (`JSONRecordLines`: `jq .` output, or a `jq .` day after a `jq -c` one), each beginning with `{` in
        // the first column. (Read as objects one after another, a pretty-printed file with one record cut short lost
        // every record after it: found by the diff review.) Judged
        // on the first object and what follows it only, never on how many bytes were read (a block that
        // ended right after the object once made a file of objects one after another JSON Lines); a first
        // object longer than `maximumBytes` makes them objects one after another.
        guard let objectEnd = JSONRecordScanner.firstObjectEnd(in: base + index, count: end - index) else {
            return atEnd ? .records(layout) : .needsMore
        }
        var after = index + objectEnd
        while after < end, base[after] == ASCII.space || base[after] == ASCII.tab || base[after] == ASCII.carriageReturn { after += 1 }
        if after == end && !atEnd { return .needsMore }
        // At `maximumBytes` with more to come, what follows the object is not known: not JSON Lines.
        // Not when it is indented: blocks are cut only before a `{` that starts a line.
        let startsLine = index == start || base[index - 1] == ASCII.newline
        // Pretty-printed with no indent (`json.dumps(indent=0)`), the objects inside a record begin or end in the first
        // column too, which JSON Lines would take for records (a review's 50 records read as 150 rows, 100 rejected):
        // such a file is read as objects one after another, which counts braces. Its members begin lines too (`"Key":`),
        // which tells it when the first record holds no object (the second diff review). Judged on the first record
        // alone, as the rest is, whatever the bytes read.
        let inner = UnsafeRawBufferPointer(start: base + index, count: max(0, objectEnd - 1))
        let nestsInFirstColumn = zip(inner, inner.dropFirst()).contains { newline, next in
            newline == ASCII.newline && (next == UInt8(ascii: "{") || next == UInt8(ascii: "}") || next == UInt8(ascii: "\""))
        }
        layout.isJSONLines = startsLine && !nestsInFirstColumn && (after == end ? !cut : base[after] == ASCII.newline)
        let read = mapping.namedColumns + ["channel", "arrived_at"].filter { mapping.columns[$0] == nil }
        layout.absentMembers = JSONMemberSample.absent(read.sorted(), in: UnsafeRawBufferPointer(start: base + index, count: end - index)) ?? []
        return .records(layout)
    }
}
