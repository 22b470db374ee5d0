/// RFC 4180 output: fields quoted when they hold a comma, quote, CR or LF; CRLF-free (LF) lines.
/// Controls are shown escaped and a cell a spreadsheet would run as a formula is neutralised
/// (`Escaping.csvText`).
public enum CSVWriter {
    public static func field(_ text: String) -> String {
        if isPlain(text) { return text }
        let text = Escaping.csvText(text)
        if text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
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
