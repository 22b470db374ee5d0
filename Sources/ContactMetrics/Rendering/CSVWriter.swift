/// RFC 4180 output: fields quoted when they hold a comma, quote, CR or LF; CRLF-free (LF) lines.
/// Controls are shown escaped and a cell a spreadsheet would run as a formula is neutralised
/// (`Escaping.csvText`).
public enum CSVWriter {
    public static func field(_ text: String) -> String {
        if isPlain(text) { return text }
        var bytes: [UInt8] = []
        appendField(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `field(text)`'s bytes, appended to `bytes`: quotes doubled a byte at a time. Foundation's
    /// `replacingOccurrences` went through `NSString` for every rejected row, and `--rejects` on a file of
    /// 30% bad rows took 20 times as long as the run without it.
    public static func appendField(_ text: String, to bytes: inout [UInt8]) {
        if isPlain(text) { bytes.append(contentsOf: text.utf8); return }
        let text = Escaping.csvText(text)
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else {
            bytes.append(contentsOf: text.utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Printable ASCII with no comma or quote, not starting like a formula: written as it is (metric
    /// names and most labels; a 15-minute report writes millions of them).
    private static func isPlain(_ text: String) -> Bool {
        guard let first = text.utf8.first, !Escaping.startsLikeFormula(first) else { return false }
        return Escaping.isPrintableASCII(text, excluding: (UInt8(ascii: ","), UInt8(ascii: "\"")))
    }

    public static func document(_ rows: [[String]]) -> String {
        var document = ""
        for row in rows { append(row, to: &document) }
        return document
    }

    /// Appends one row and its line break.
    public static func append(_ row: [String], to document: inout String) {
        for (index, text) in row.enumerated() {
            if index > 0 { document.append(",") }
            document.append(field(text))
        }
        document.append("\n")
    }
}

import Foundation
