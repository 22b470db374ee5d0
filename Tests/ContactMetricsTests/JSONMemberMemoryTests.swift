import Testing
@testable import ContactMetrics

/// `JSONMemberMemory` is only a shortcut: a block's records read with it (each record's members matched
/// against the record before) give exactly what each record read alone gives.
@Suite struct JSONMemberMemoryTests {
    private static let paths = ["id", "queue.name", "queue.in", "agent.at", "attrs.kind", "wait"]

    /// Members that repeat, vary, or nearly repeat: numbers that are prefixes of each other, strings with
    /// and without escapes, names that share a prefix, `null` against an object, space in odd places.
    private static let members: [[String]] = [
        [#""id":"a1""#, #""id":"a1\"x""#, #""id":"a2""#, #""id" : "a1""#, #""ID":"a1""#, #""id":12"#, #""id":123"#],
        [#""Queue":{"Name":"101","In":"2020-04-01T08:00:00Z"}"#, #""Queue":{"Name":"999","In":"2020-04-01T08:00:00Z"}"#,
         #""Queue":{"In":"2020-04-01T08:00:00Z","Name":"101"}"#, #""Queue":{"Name":"101","Inx":"2020-04-01T08:00:00Z"}"#,
         #""Queue":null"#, #""Queue":{"Name":"101\\","In":"2020-04-01T08:00:01Z"}"#],
        [#""Agent":{"At":"2020-04-01T08:00:30Z"}"#, #""Agent":null"#, #""Agent":{"At":null}"#, #""Agent":{"At":"2020-04-01T08:00:3"}"#],
        [#""wait":4"#, #""wait":45"#, #""wait":45.5"#, #""wait":true"#, #""wait":"45""#, #""wait":-4"#, "\"wait\"\n:4"],
        [#""skip":{"a":[1,2,{"b":"}"}]}"#, #""skip":{"a":[1,2,{"b":"]"}]}"#, #""skip":[]"#, #""skip":"{""#, "\"skip\":{\n\"a\":[1]}"],
        [#""Attrs":{"kind":"noise"}"#, #""Attrs":{"kind":"noise","x":1}"#, #""Attrs":{"x":1,"kind":"noise"}"#, #""Attrs":{}"#],
        [#""bad":tru"#, #""bad":"unterminated"#, #""bad""#],
    ]

    private static func record(_ random: inout SplitMix64) -> String {
        var chosen = members.indices.filter { index in index < 6 || random.next() % 8 == 0 }.map { members[$0] }
        if random.next() % 4 == 0 { chosen.swapAt(Int(random.next() % UInt64(chosen.count)), Int(random.next() % UInt64(chosen.count))) }
        // Mostly the first form of each member (records that repeat), sometimes another.
        let parts = chosen.map { forms in random.next() % 3 == 0 ? forms[Int(random.next() % UInt64(forms.count))] : forms[0] }
        return "{" + parts.joined(separator: random.next() % 10 == 0 ? ", " : ",") + "}"
    }

    private static func scanAll(_ bytes: [UInt8], isLines: Bool, freshScannerPerRecord: Bool) -> [String] {
        var padded = bytes + Array(repeating: 0, count: BlockBuffer.slack)
        return padded.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafePointer(buffer.baseAddress!)
            let spans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: paths.count)
            defer { spans.deallocate() }
            var scanner = JSONRecordScanner(paths: paths, isLines: isLines)
            var lines: [String] = []
            var position = 0
            while position < bytes.count {
                if freshScannerPerRecord { scanner = JSONRecordScanner(paths: paths, isLines: isLines) }
                let record = scanner.scanRecord(in: base, from: position, to: bytes.count, spans: spans, capacity: paths.count, needed: paths.count)
                var line = "\(position) next \(record.nextPosition) newlines \(record.newlineCount) problem \(String(describing: record.problem)) blank \(record.isBlank)"
                if !record.isBlank && record.problem == nil {
                    for column in 0..<paths.count {
                        let span = spans[column]
                        line += " | \(span.start)..<\(span.end) \(span.hasEscapedQuote) \(span.isQuoted)"
                    }
                }
                lines.append(line)
                position = record.nextPosition
            }
            return lines
        }
    }

    @Test(arguments: [true, false])
    func recordsReadAfterOthersAreReadAsIfAlone(isLines: Bool) {
        var random = SplitMix64(seed: isLines ? 7 : 11)
        for _ in 0..<40 {
            var text = ""
            for _ in 0..<60 {
                text += Self.record(&random)
                // One per line, or concatenated (sometimes with a line end or space between).
                text += isLines ? "\n" : ["", "", "\n", " "][Int(random.next() % 4)]
            }
            let bytes = Array(text.utf8)
            let together = Self.scanAll(bytes, isLines: isLines, freshScannerPerRecord: false)
            let alone = Self.scanAll(bytes, isLines: isLines, freshScannerPerRecord: true)
            if let first = together.indices.first(where: { $0 >= alone.count || together[$0] != alone[$0] }) ?? (together.count < alone.count ? together.count : nil) {
                let start = Int(alone[min(first, alone.count - 1)].prefix { $0 != " " }) ?? 0
                let shown = String(decoding: bytes[start..<min(bytes.count, start + 300)], as: UTF8.self)
                Issue.record("record \(first), from \(shown): \(first < together.count ? together[first] : "none") read after others, \(first < alone.count ? alone[first] : "none") alone")
                return
            }
        }
    }
}
