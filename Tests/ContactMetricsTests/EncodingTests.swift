import Foundation
import Testing
@testable import ContactMetrics

/// A stream that gives its bytes a few at a time (as a pipe may), to cut characters between reads.
private final class TricklingStream: ByteStream {
    private let bytes: [UInt8]
    private var offset = 0
    private var random: SplitMix64

    private let largest: UInt64

    init(_ bytes: [UInt8], seed: UInt64, largest: Int = 7) {
        self.bytes = bytes
        self.largest = UInt64(largest)
        random = SplitMix64(seed: seed)
    }

    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws(InputError) -> Int {
        let count = min(capacity, bytes.count - offset, 1 + Int(random.next() % largest))
        for index in 0..<count { buffer.storeBytes(of: bytes[offset + index], toByteOffset: index, as: UInt8.self) }
        offset += count
        return count
    }

    func close() {}
}

/// Transcoding to UTF-8 as inputs are read (`TranscodingStream`, `InputOpener`), and the warning for
/// bytes that are not UTF-8 (`UTF8Check`).
@Suite struct EncodingTests {
    private static func transcode(_ bytes: [UInt8], _ encoding: TextEncoding, seed: UInt64 = 1, capacity: Int = 4096,
                                  largestRead: Int = 7) throws -> [UInt8] {
        let stream = TranscodingStream(source: TricklingStream(bytes, seed: seed, largest: largestRead), encoding: encoding)
        var output: [UInt8] = []
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = try stream.read(into: buffer, capacity: capacity)
            if count == 0 { return output }
            output += UnsafeRawBufferPointer(start: buffer, count: count)
        }
    }

    /// What Swift's own decoder makes of the units (ill-formed ones become U+FFFD), and a U+FFFD for an odd last byte.
    private static func reference(_ bytes: [UInt8], bigEndian: Bool) -> [UInt8] {
        var units: [UInt16] = []
        for index in stride(from: 0, to: bytes.count - 1, by: 2) {
            let first = UInt16(bytes[index]), second = UInt16(bytes[index + 1])
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
        }
        return Array(String(decoding: units, as: UTF16.self).utf8) + (bytes.count % 2 == 1 ? [0xEF, 0xBF, 0xBD] : [])
    }

    @Test func utf16InEitherByteOrderIsUTF8AfterwardsHoweverTheReadsFall() throws {
        let text = "id,cat\r\nA,café £5 – 😀 \u{10FFFF}\r\nB,ascii only here\r\n"
        for seed in UInt64(1)...20 {
            for capacity in [1, 3, 4, 5, 7, 64, 4096] {
                let little = Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
                let big = Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
                #expect(try Self.transcode(little, .utf16LittleEndian, seed: seed, capacity: capacity) == Array(text.utf8))
                #expect(try Self.transcode(big, .utf16BigEndian, seed: seed, capacity: capacity) == Array(text.utf8))
            }
        }
    }

    /// Runs of ASCII long enough for the sixteen- and eight-character paths, broken at every offset by
    /// other characters, read in large pieces.
    @Test func longASCIIRunsTakeTheFastPathsInEitherByteOrder() throws {
        var random = SplitMix64(seed: 11)
        let others: [Character] = ["é", "£", "–", "😀", "\u{10FFFF}", "\u{80}"]
        for round in 0..<200 {
            var text = ""
            for _ in 0..<Int(1 + random.next() % 6) {
                text += String(repeating: "a1,", count: 20).prefix(Int(random.next() % 60))
                if random.next() % 3 != 0 { text.append(others[Int(random.next() % UInt64(others.count))]) }
            }
            let little = Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            let big = Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            for capacity in [4, 17, 33, 4096] {
                let seed = UInt64(round)
                #expect(try Self.transcode(little, .utf16LittleEndian, seed: seed, capacity: capacity, largestRead: 300) == Array(text.utf8))
                #expect(try Self.transcode(big, .utf16BigEndian, seed: seed, capacity: capacity, largestRead: 300) == Array(text.utf8))
            }
        }
    }

    @Test func illFormedUTF16BecomesReplacementCharacters() throws {
        var random = SplitMix64(seed: 7)
        for round in 0..<300 {
            // Units drawn mostly from the surrogate range and ASCII, so that every ill-formed case occurs.
            let length = Int(random.next() % 40)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                let unit: UInt16 = switch random.next() % 4 {
                case 0: 0xD800 + UInt16(random.next() % 0x800)
                case 1: UInt16(random.next() % 0x80)
                default: UInt16(truncatingIfNeeded: random.next())
                }
                bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            }
            if round % 3 == 0 { bytes.append(0x41) }  // an odd last byte
            #expect(try Self.transcode(bytes, .utf16LittleEndian, seed: UInt64(round)) == Self.reference(bytes, bigEndian: false), "\(bytes)")
            let swapped = stride(from: 0, to: bytes.count - 1, by: 2).flatMap { [bytes[$0 + 1], bytes[$0]] } + (bytes.count % 2 == 1 ? [bytes.last!] : [])
            #expect(try Self.transcode(swapped, .utf16BigEndian, seed: UInt64(round)) == Self.reference(swapped, bigEndian: true))
        }
    }

    @Test func latin1AndWindows1252() throws {
        let bytes: [UInt8] = Array("caf".utf8) + [0xE9, 0x2C, 0xA3, 0x80, 0x85, 0x92, 0x81, 0x9F] + Array(" plain ascii text".utf8)
        #expect(try Self.transcode(bytes, .latin1) == Array("café,£\u{80}\u{85}\u{92}\u{81}\u{9F} plain ascii text".utf8))
        #expect(try Self.transcode(bytes, .windows1252) == Array("café,£€…’\u{81}Ÿ plain ascii text".utf8))
        #expect(TextEncoding(name: "CP1252") == .windows1252 && TextEncoding(name: "ISO-8859-1") == .latin1
                && TextEncoding(name: "UTF8") == .utf8 && TextEncoding(name: "utf-16") == nil)
    }

    private static let csv = """
    contact_id,channel,arrived_at,answered_at,ended_at,outcome,category\r
    A,101,2019-04-01 10:00:00,2019-04-01 10:00:30,2019-04-01 10:05:00,answered,café\r
    B,101,2019-04-01 10:00:00,2019-04-01 10:00:30,2019-04-01 10:05:00,answered,cafè\r
    C,999,2019-04-02 10:00:00,,2019-04-02 10:01:00,abandoned,£ fraud – "quoted"\r

    """

    private static func categories(_ data: Data, threads: Int = 2, blockSize: Int = 1 << 20,
                                   configure: (inout IngestOptions) -> Void = { _ in }) throws -> ([String: Int64], Ledger) {
        var options = TestSupport.options(threads: threads, blockSize: blockSize)
        configure(&options)
        let result = try TestSupport.ingest([TestSupport.temporaryFile(data)], options)
        var categories: [String: Int64] = [:]
        for cell in result.cube.contacts.values { categories.merge(cell.categories.dictionary, uniquingKeysWith: +) }
        return (categories, result.ledger)
    }

    @Test(arguments: [(1, 1 << 20), (2, 64), (2, 4096)])
    func excelUnicodeTextReadsLikeTheUTF8File(threads: Int, blockSize: Int) throws {
        let (expected, utf8Ledger) = try Self.categories(Data(Self.csv.utf8), threads: threads, blockSize: blockSize)
        #expect(expected == ["café": 1, "cafè": 1, "£ fraud – \"quoted\"": 1] && utf8Ledger.rowsAccepted == 3)
        let little = Data([0xFF, 0xFE]) + Self.csv.data(using: .utf16LittleEndian)!
        let big = Data([0xFE, 0xFF]) + Self.csv.data(using: .utf16BigEndian)!
        for data in [little, big] {
            let (categories, ledger) = try Self.categories(data, threads: threads, blockSize: blockSize)
            #expect(categories == expected && ledger.rowsRead == 3 && ledger.rowsAccepted == 3 && ledger.invalidUTF8Lines == 0)
        }
        // Gzip of UTF-16, and UTF-16 with no mark when --encoding names it.
        let (gzipped, _) = try Self.categories(try TestSupport.gzip(little), threads: threads, blockSize: blockSize)
        #expect(gzipped == expected)
        let (unmarked, unmarkedLedger) = try Self.categories(Self.csv.data(using: .utf16LittleEndian)!, threads: threads, blockSize: blockSize) {
            $0.encoding = .utf16LittleEndian
        }
        #expect(unmarked == expected && unmarkedLedger.rowsAccepted == 3)
        // The first column's name is whole (its ids are read): a repeated id is seen in every encoding.
        let repeated = Self.csv.replacingOccurrences(of: "B,101", with: "A,101")
        for (data, encoding) in [(repeated.data(using: .utf16LittleEndian)!, TextEncoding.utf16LittleEndian),
                                 (repeated.data(using: .utf16BigEndian)!, .utf16BigEndian),
                                 (repeated.replacingOccurrences(of: "–", with: "-").data(using: .isoLatin1)!, .latin1),
                                 (Data([0xFF, 0xFE]) + repeated.data(using: .utf16LittleEndian)!, .windows1252),  // a mark wins
                                 (Data([0xEF, 0xBB, 0xBF]) + Data(repeated.utf8), .latin1)] {  // a UTF-8 mark too
            let (_, ledger) = try Self.categories(data, threads: threads, blockSize: blockSize) { $0.encoding = encoding }
            #expect(ledger.duplicateIds == 1 && ledger.rowsAccepted == 3, "\(encoding)")
        }
    }

    @Test func utf16WithNoMarkIsRefusedWithTheOptionToGive() {
        let path = TestSupport.temporaryFile(Self.csv.data(using: .utf16LittleEndian)!)
        do {
            _ = try TestSupport.ingest([path], TestSupport.options())
            Issue.record("a UTF-16 file with no mark was read as UTF-8")
        } catch let error as InputError {
            #expect(error.description == "\(path): the text looks like UTF-16LE with no byte-order mark (every other byte is 0): give --encoding utf-16le")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// A config's column in a Windows-1252 header (`Résultat`) was "not in the header", with no word of the encoding.
    @Test func aConfigColumnInAHeaderThatIsNotUTF8NamesTheEncoding() throws {
        let path = TestSupport.temporaryFile("Canal;Arrivée;Résultat\r\n101;2020-04-01 08:00:00;answered\r\n".data(using: .windowsCP1252)!)
        var options = TestSupport.options()
        options.mapping = try MappingConfig.parse(Data(#"{"delimiter": "semicolon", "columns": {"channel": "Canal", "arrived_at": "Arrivée", "outcome": "Résultat"}}"#.utf8),
                                                  name: "fr.json")
        do {
            _ = try TestSupport.ingest([path], options)
            Issue.record("read")
        } catch let error as InputError {
            #expect(error.description.contains("which is not in the header; the header is not UTF-8 text") && error.description.contains("give --encoding windows-1252"),
                    "\(error)")
        }
        options.encoding = .windows1252
        #expect(try TestSupport.ingest([path], options).ledger.rowsAccepted == 1)
    }

    /// UTF-32 with its mark, in either byte order, is said to be UTF-32 (its `FF FE` was taken for UTF-16LE's,
    /// and `00 00 FE FF` for UTF-16BE without a mark, with advice that could not work).
    @Test(arguments: [false, true])
    func utf32IsSaidToBeUTF32(bigEndian: Bool) throws {
        let data = bigEndian ? Data([0, 0, 0xFE, 0xFF]) + Self.csv.data(using: .utf32BigEndian)! : Self.csv.data(using: .utf32)!
        for path in [TestSupport.temporaryFile(data), TestSupport.temporaryFile(try TestSupport.gzip(data), name: "u32.csv.gz")] {
            for ranges in [false, true] {
                var options = TestSupport.options()
                options.readsRanges = ranges
                do {
                    _ = try TestSupport.ingest([path], options)
                    Issue.record("UTF-32 was read")
                } catch let error as InputError {
                    #expect(error.description.contains(": the text is UTF-32 (its byte-order mark says so), which is not read: convert it to UTF-8 first"), "\(error)")
                }
            }
        }
    }

    @Test(arguments: [1, 2])
    func windowsTextReadAsUTF8IsWarnedOfAndCounted(threads: Int) throws {
        let windows = Self.csv.replacingOccurrences(of: "–", with: "-").data(using: .windowsCP1252)!
        let (merged, ledger) = try Self.categories(windows, threads: threads, blockSize: 128)
        #expect(merged == ["caf\u{FFFD}": 2, "\u{FFFD} fraud - \"quoted\"": 1])
        #expect(ledger.invalidUTF8Lines == 3 && ledger.warnings.count == 1)
        #expect(ledger.warnings.first?.contains(".csv:2: bytes that are not UTF-8 (3 lines with such bytes)") == true)
        let (read, clean) = try Self.categories(windows, threads: threads, blockSize: 128) { $0.encoding = .windows1252 }
        #expect(read == ["café": 1, "cafè": 1, "£ fraud - \"quoted\"": 1] && clean.warnings.isEmpty && clean.invalidUTF8Lines == 0)
    }

    /// What transcoding could not read well is said: UTF-16 that is not text, and a UTF-8 file given a
    /// single-byte encoding (its `é` would read as `Ã©`).
    @Test func readingFaultsAreWarnedOf() throws {
        var broken = Data([0xFF, 0xFE]) + Self.csv.data(using: .utf16LittleEndian)!
        broken.insert(contentsOf: [0x00, 0xD8], at: broken.count - 4)  // a lone high surrogate before "\r\n"
        let (_, faulty) = try Self.categories(broken + Data([0x41]))  // and an odd last byte
        #expect(faulty.warnings.count == 1 && faulty.warnings[0].hasSuffix("2 code units that are not UTF-16 text (a lone surrogate or an odd last byte), read as U+FFFD"))
        let (misread, wrong) = try Self.categories(Data(Self.csv.utf8)) { $0.encoding = .windows1252 }
        #expect(misread["cafÃ©"] == 1 && wrong.warnings.count == 1)
        #expect(wrong.warnings.first?.contains("read as windows-1252, but every byte above 0x7F is part of a UTF-8 character (4 of them)") == true)
        let windows = Self.csv.replacingOccurrences(of: "–", with: "-").data(using: .windowsCP1252)!
        let (_, right) = try Self.categories(windows) { $0.encoding = .windows1252 }
        #expect(right.warnings.isEmpty)
        // Windows text read as Latin-1: its € and curly quotes became control characters without a word.
        let curly = Self.csv.replacingOccurrences(of: "\"quoted\"", with: "“quoted” €5").data(using: .windowsCP1252)!
        let (controls, latin) = try Self.categories(curly) { $0.encoding = .latin1 }
        #expect(controls["£ fraud \u{96} \u{93}quoted\u{94} \u{80}5"] == 1 && latin.warnings.count == 1)
        #expect(latin.warnings.first?.hasSuffix(": read as latin1, but 4 bytes are in 0x80–0x9F, control characters in Latin-1 that Windows-1252 "
                                                + "reads as €, ’, “ and the like: the file is probably Windows-1252; give --encoding windows-1252") == true,
                "\(latin.warnings)")
        let (_, plainLatin) = try Self.categories(Self.csv.replacingOccurrences(of: "–", with: "-").data(using: .isoLatin1)!) { $0.encoding = .latin1 }
        #expect(plainLatin.warnings.isEmpty)
    }

    @Test func utf8CheckFindsEachKindOfBadSequence() {
        func firstInvalid(_ bytes: [UInt8]) -> Int? {
            bytes.withUnsafeBufferPointer { UTF8Check.firstInvalid($0.baseAddress!, from: 0, to: bytes.count) }
        }
        #expect(firstInvalid(Array("plain text that is longer than sixteen bytes, £ € 😀 é".utf8)) == nil)
        for bad: [UInt8] in [[0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                             [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xE2, 0x82], [0xC3]] {
            #expect(firstInvalid(Array("0123456789abcdefXYZ".utf8) + bad) == 19, "\(bad)")
        }
    }
}
