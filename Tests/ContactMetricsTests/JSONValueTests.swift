import Foundation
import Testing
@testable import ContactMetrics

/// The JSON writer (bytes, with a fast path for plain ASCII text): exact escapes, and any text read
/// back unchanged by Foundation's decoder.
struct JSONValueTests {
    @Test func escapesQuotesBackslashesControlsAndInvisibleCharacters() {
        let value = JSONValue.object([("k\"ey", .string("a\"b\\c\n\r\t\u{1}\u{7F}é£\u{200B}🙂")), ("n", .null),
                                      ("list", .array([.integer(-3), .number(2.5), .bool(true)])), ("empty", .object([]))])
        let expected = """
            {
              "k\\"ey": "a\\"b\\\\c\\n\\r\\t\\u0001\\u007fé£\\u200b🙂",
              "n": null,
              "list": [
                -3,
                2.5,
                true
              ],
              "empty": {}
            }

            """
        #expect(value.serialized() == expected)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func anyTextReadsBackUnchanged(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let pieces = ["a", "Z", " ", "\"", "\\", "\n", "\u{0}", "\u{1F}", "\u{7F}", "é", "\u{200B}", "\u{FEFF}", "🙂", "/", "999"]
        for _ in 0..<200 {
            let text = (0..<Int(random.next() % 12)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            let json = JSONValue.array([.string(text)]).serialized()
            #expect(try JSONDecoder().decode([String].self, from: Data(json.utf8)) == [text], "\(text.debugDescription)")
        }
    }
}

/// CSV fields: the plain-text shortcut gives what the full escaping gives.
struct CSVFieldTests {
    static func reference(_ text: String) -> String {
        let escaped = Escaping.csvText(text)
        guard escaped.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else {
            return escaped
        }
        return "\"" + escaped.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func plainShortcutAgreesWithFullEscaping(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let pieces = ["a", "9", " ", ",", "\"", "=", "+", "-", "@", "\t", "\r", "\n", "\u{1}", "\u{7F}", "é", "\u{200B}", "1.5", "e"]
        for _ in 0..<500 {
            let text = (0..<Int(random.next() % 6)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            #expect(CSVWriter.field(text) == Self.reference(text), "\(text.debugDescription)")
        }
        #expect(CSVWriter.field("abandon_rate") == "abandon_rate")
        #expect(CSVWriter.field("=1+1") == "'=1+1")
        #expect(CSVWriter.field("-12.5") == "-12.5")
    }
}

/// Table cells: the printable-ASCII shortcut keeps widths and escapes as the scalar-by-scalar path gives them.
struct TableCellShortcutTests {
    @Test func printableASCIIIsOneColumnAByteAndNeedsNoEscape() {
        for text in ["", "abandon_rate", "07:53", "  -12.5 %", "~!@#$%^&*()_+{}|:<>?`"] {
            #expect(DisplayWidth.of(text) == text.count)
            #expect(Escaping.cell(text) == text && Escaping.visible(text) == text)
        }
        // Outside the shortcut: controls escaped, wide characters two columns, CRLF one character.
        #expect(Escaping.visible("a\u{7F}b") == "a\\u{7F}b" && Escaping.cell("a\r\nb") == "a b")
        #expect(Escaping.cell("a\u{2028}b\u{2029}") == "a\\u{2028}b\\u{2029}")  // line and paragraph separators
        #expect(DisplayWidth.of("日本") == 4 && DisplayWidth.of("é") == 1 && DisplayWidth.of("\r\n") == 1)
    }
}
