import Foundation
import Testing
@testable import ContactMetrics

/// JSON Lines whose later records run over lines (a `jq .` day after a `jq -c` one): found by a review,
/// where each line of such a record was a rejected row ("not a well-formed JSON object") and its contact
/// was lost. Records begin at a line that starts with `{` (`JSONRecordLines`); the figures must be those of
/// the same records one a line, whatever the threads, block size or reader.
@Suite struct JSONLinesOverLinesTests {
    private static let config = #"""
    {"columns": {"contact_id": "id", "channel": "Queue.Name", "arrived_at": "Queue.In", "answered_at": "Agent.At"}}
    """#

    /// Record `index`: on one line, or pretty-printed as `jq .` does (two spaces a level, an array of
    /// objects whose `{` starts an indented line).
    private static func record(_ index: Int, pretty: Bool) -> String {
        let queue = ["999", "101", "online"][index % 3]
        let arrival = "2020-04-01T0\(index % 10):\(10 + index % 50):0\(index % 10)Z"
        let answer = "2020-04-01T0\(index % 10):\(10 + index % 50):3\(index % 10)Z"
        guard pretty else {
            return #"{"id":"c\#(index)","Queue":{"Name":"\#(queue)","In":"\#(arrival)"},"Agent":{"At":"\#(answer)"},"Media":[{"Type":"VOICE"}]}"#
        }
        return """
        {
          "id": "c\(index)",
          "Queue": {
            "Name": "\(queue)",
            "In": "\(arrival)"
          },
          "Agent": {
            "At": "\(answer)"
          },
          "Media": [
            {
              "Type": "VOICE"
            }
          ]
        }
        """
    }

    private static func read(_ path: String, threads: Int, blockSize: Int, ranges: Bool) throws -> (cube: Cube, ledger: Ledger, rejects: [String]) {
        var options = TestSupport.options(threads: threads, blockSize: blockSize)
        options.mapping = try MappingConfig.parse(Data(config.utf8), name: "config.json")
        options.readsRanges = ranges
        options.maximumRecordBytes = 1 << 14
        let rejects = Locked<[String]>([])
        let result = try IngestEngine(options: options).run(inputs: [path], onReject: { row in rejects.withLock { $0.append(row.description) } })
        var ledger = result.ledger
        for index in ledger.sources.indices {
            ledger.sources[index].path = "FILE"
            ledger.sources[index].byteCount = 0
        }
        return (result.cube, ledger, rejects.withLock { $0.map { $0.replacingOccurrences(of: path, with: "FILE") } })
    }

    @Test func recordsOverLinesAfterRecordsOnOneAreRead() throws {
        let count = 90
        // Every third record from the 40th pretty-printed, with CRLF on some lines.
        let mixed = (0..<count).map { Self.record($0, pretty: $0 >= 40 && $0 % 3 != 0) }
            .enumerated().map { $0.offset % 7 == 0 ? $0.element.replacingOccurrences(of: "\n", with: "\r\n") : $0.element }
            .joined(separator: "\n") + "\n"
        let oneALine = (0..<count).map { Self.record($0, pretty: false) }.joined(separator: "\n") + "\n"
        let mixedPath = TestSupport.temporaryFile(mixed, name: "mixed.jsonl")
        let expected = try Self.read(TestSupport.temporaryFile(oneALine, name: "lines.jsonl"), threads: 1, blockSize: 1 << 20, ranges: false)
        #expect(expected.ledger.rowsRead == count && expected.ledger.rowsAccepted == count)
        let gzip = TestSupport.temporaryFile(try TestSupport.gzip(Data(mixed.utf8)), name: "mixed.jsonl.gz")
        for (threads, blockSize) in [(1, 1 << 20), (1, 64), (2, 150), (3, 701), (2, 4096)] {
            for ranges in [false, true] {
                for path in [mixedPath, gzip] {
                    let actual = try Self.read(path, threads: threads, blockSize: blockSize, ranges: ranges)
                    #expect(actual.cube == expected.cube, "\(threads) threads, \(blockSize)-byte blocks, ranges \(ranges), \(path)")
                    #expect(actual.ledger.rowsRead == count && actual.ledger.rowsAccepted == count && actual.rejects.isEmpty,
                            "\(threads) threads, \(blockSize)-byte blocks, ranges \(ranges): \(actual.rejects.prefix(3))")
                }
            }
        }
    }

    /// A line cut short (inside a string, or after a comma) costs itself only, and a record over lines cut
    /// short costs itself only: the records after each are read, whatever the blocks.
    @Test func aRecordCutShortCostsItselfOnly() throws {
        let pretty = Self.record(5, pretty: true)
        let lines = [
            Self.record(0, pretty: false),
            #"{"id":"cut1","Queue":{"Name":"99"#,              // cut inside a string
            Self.record(1, pretty: false),
            #"{"id":"cut2","Queue":{"Name":"999","#,           // cut after a comma
            Self.record(2, pretty: false),
            String(pretty.prefix(60)),                          // a record over lines cut short
            Self.record(3, pretty: true),
            "not json at all",                                 // line 26: the pretty record above is 15 lines
            Self.record(4, pretty: false),
        ]
        let path = TestSupport.temporaryFile(lines.joined(separator: "\n") + "\n", name: "cut.jsonl")
        let expected = try Self.read(path, threads: 1, blockSize: 1 << 20, ranges: false)
        #expect(expected.ledger.rowsAccepted == 5)
        #expect(expected.ledger.rowsRejected == 4, "\(expected.rejects)")
        #expect(expected.rejects.map { $0.prefix(7) } == ["FILE:2:", "FILE:4:", "FILE:6:", "FILE:26"], "\(expected.rejects)")
        for (threads, blockSize) in [(1, 64), (2, 100), (3, 257)] {
            for ranges in [false, true] {
                let actual = try Self.read(path, threads: threads, blockSize: blockSize, ranges: ranges)
                #expect(actual.cube == expected.cube && actual.ledger == expected.ledger && actual.rejects == expected.rejects,
                        "\(threads) threads, \(blockSize)-byte blocks, ranges \(ranges): \(actual.rejects)")
            }
        }
    }

    /// Every record pretty-printed (`jq .`), one cut short: JSON Lines too, so the cut record costs itself only
    /// (read as objects one after another, the records after it were lost: found by the diff review).
    @Test func prettyPrintedRecordsWithOneCutShort() throws {
        var records = (0..<40).map { Self.record($0, pretty: true) }
        records[10] = String(records[10].prefix(70))
        let path = TestSupport.temporaryFile(records.joined(separator: "\n") + "\n", name: "pretty.json")
        for (threads, blockSize) in [(1, 1 << 20), (2, 150), (3, 701)] {
            for ranges in [false, true] {
                let actual = try Self.read(path, threads: threads, blockSize: blockSize, ranges: ranges)
                #expect(actual.ledger.rowsRead == 40 && actual.ledger.rowsAccepted == 39 && actual.ledger.rowsRejected == 1,
                        "\(threads) threads, \(blockSize)-byte blocks, ranges \(ranges): \(actual.ledger.rowsRead) \(actual.rejects)")
            }
        }
    }

    /// Records pretty-printed with no indent (`json.dumps(indent=0)`): the objects inside them open and close in
    /// the first column, so they are read as objects one after another, with the figures of the same records one a
    /// line. As JSON Lines a review's 50 records read as 150 rows, 100 of them rejected.
    @Test func recordsPrettyPrintedWithNoIndentAreRead() throws {
        let count = 40
        let unindented = (0..<count).map { index in
            Self.record(index, pretty: true).split(separator: "\n").map { $0.drop { $0 == " " } }.joined(separator: "\n")
        }.joined(separator: "\n") + "\n"
        #expect(unindented.contains("\n}\n") && unindented.contains("\n{\n"))
        let expected = try Self.read(TestSupport.temporaryFile((0..<count).map { Self.record($0, pretty: false) }.joined(separator: "\n") + "\n",
                                                               name: "lines.jsonl"), threads: 1, blockSize: 1 << 20, ranges: false)
        let path = TestSupport.temporaryFile(unindented, name: "indent0.json")
        // Also when the first record holds no object: its members begin lines.
        let flatFirst = TestSupport.temporaryFile("{\n\"id\": \"flat\",\n\"Media\": []\n}\n" + unindented, name: "indent0-flat.json")
        for (threads, blockSize) in [(1, 1 << 20), (2, 150), (3, 701)] {
            for ranges in [false, true] {
                let actual = try Self.read(path, threads: threads, blockSize: blockSize, ranges: ranges)
                #expect(actual.cube == expected.cube && actual.ledger.rowsRead == count && actual.ledger.rowsAccepted == count,
                        "\(threads) threads, \(blockSize)-byte blocks, ranges \(ranges): \(actual.ledger.rowsRead) \(actual.rejects.prefix(2))")
                let flat = try Self.read(flatFirst, threads: threads, blockSize: blockSize, ranges: ranges)
                #expect(flat.cube == expected.cube && flat.ledger.rowsRead == count + 1 && flat.ledger.rowsAccepted == count,
                        "\(threads) threads, \(blockSize)-byte blocks, ranges \(ranges): \(flat.ledger.rowsRead) \(flat.rejects.prefix(2))")
            }
        }
    }

    /// The first record indented: not JSON Lines (blocks are cut only before a `{` in the first column),
    /// read as objects one after another.
    @Test func anIndentedFirstRecordIsNotJSONLines() throws {
        let text = (0..<20).map { "  " + Self.record($0, pretty: false) }.joined(separator: "\n") + "\n"
        let path = TestSupport.temporaryFile(text, name: "indented.jsonl")
        for (threads, blockSize) in [(1, 1 << 20), (2, 150)] {
            let actual = try Self.read(path, threads: threads, blockSize: blockSize, ranges: true)
            #expect(actual.ledger.rowsRead == 20 && actual.ledger.rowsAccepted == 20, "\(threads) threads, \(blockSize)-byte blocks")
        }
    }
}
