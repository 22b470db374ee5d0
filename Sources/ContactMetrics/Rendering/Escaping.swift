/// Text from the input (labels, file names, fields quoted in messages) escaped for where it is shown
/// (DESIGN §8): a terminal must not receive escape sequences or forged lines, a spreadsheet must not
/// run a cell as a formula, Markdown and HTML must not render it as markup.
public enum Escaping {
    /// Control characters (C0, DEL, C1), the Unicode line and paragraph separators (U+2028, U+2029) and
    /// invisible format characters (Unicode category Cf: bidirectional controls, zero-width spaces, a
    /// byte-order mark inside text), which can move the cursor, recolour the terminal, forge lines,
    /// reorder what is shown or make two labels look alike. The zero-width joiners that scripts and
    /// emoji need (U+200C, U+200D) are left alone.
    static func isInvisibleControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F: return true
        case 0..<0xA0: return false
        case 0x200C, 0x200D: return false
        case 0x2028, 0x2029: return true  // line breaks to editors, browsers' scripts and some terminals
        default: return scalar.properties.generalCategory == .format
        }
    }

    /// Whether every byte of `text` is printable ASCII (no control, no DEL) and neither of `excluded`:
    /// nothing to escape, and one column a byte. The shortcut of every writer (tables, CSV, JSON) for
    /// the text that nearly all cells hold.
    static func isPrintableASCII(_ text: String, excluding excluded: (UInt8, UInt8) = (0, 0)) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            !bytes.contains { $0 < 0x20 || $0 >= 0x7F || $0 == excluded.0 || $0 == excluded.1 }
        }
    }

    /// At most `limit` characters of `text` (with `...` when cut), for quoting input in a message.
    public static func excerpt(_ text: String, limit: Int = 60) -> String {
        text.count > limit ? String(text.prefix(limit - 3)) + "..." : text
    }

    /// `text` with every invisible control shown as an escape: `\n`, `\r`, `\t`, or `\u{1B}`.
    public static func visible(_ text: String) -> String { visible(text, lineBreaksAsSpaces: false) }

    /// A table cell: line breaks inside a label (a quoted CSV field may hold them) read as one space,
    /// every other control as an escape.
    public static func cell(_ text: String) -> String { visible(text, lineBreaksAsSpaces: true) }

    private static func visible(_ text: String, lineBreaksAsSpaces: Bool) -> String {
        if isPrintableASCII(text) { return text }  // most cells: figures, metric names, labels
        guard text.unicodeScalars.contains(where: isInvisibleControl) else { return text }
        var escaped = ""
        var afterCarriageReturn = false
        for scalar in text.unicodeScalars {
            defer { afterCarriageReturn = scalar == "\r" }
            guard isInvisibleControl(scalar) else {
                escaped.unicodeScalars.append(scalar)
                continue
            }
            // A line break (LF or CRLF) as one space; a CR alone stays visible ("a\r" must not look like "a").
            if lineBreaksAsSpaces && scalar == "\n" {
                if afterCarriageReturn { escaped.removeLast(2) }
                escaped += " "
                continue
            }
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default: escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return escaped
    }

    /// A Markdown table cell: visible controls, and whatever could make markup of a label escaped, so
    /// a label can neither link, embed HTML, show code nor break the table: `\`, `` ` ``, `<`, `>`, `&`
    /// and `|` always; `[` when the cell could make a link (`](` or `][`); `*` and `_` when there are
    /// two of them (emphasis needs a pair). Figures such as `[−1.1, +0.9]` and a lone `*` stay as they are.
    public static func markdownCell(_ text: String) -> String {
        let shown = cell(text)
        let bytes = shown.utf8
        guard bytes.contains(where: { markdownSpecial.contains($0) }) else { return shown }
        let linkable = shown.contains("](") || shown.contains("][")
        let emphasis = bytes.filter { $0 == UInt8(ascii: "*") }.count > 1, underline = bytes.filter { $0 == UInt8(ascii: "_") }.count > 1
        let characters = Array(shown)
        var escaped = ""
        for (index, character) in characters.enumerated() {
            // `_` inside a word (`invalid_arrived_at`) cannot open or close emphasis.
            let inWord = index > 0 && index + 1 < characters.count && characters[index - 1].isLetterOrDigit && characters[index + 1].isLetterOrDigit
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\\", "`", "|": escaped += "\\" + String(character)
            case "[" where linkable, "*" where emphasis: escaped += "\\" + String(character)
            case "_" where underline && !inWord: escaped += "\\" + String(character)
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static let markdownSpecial: Set<UInt8> = Set("\\`*_[<>|&".utf8)

    /// HTML text: markup characters as entities and invisible controls shown as escapes.
    public static func html(_ text: String) -> String {
        var escaped = ""
        for character in cell(text) {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            // Noncharacters XML does not allow (an SVG holding one is not well-formed): shown as escapes.
            case "\u{FFFE}": escaped += "\\u{FFFE}"
            case "\u{FFFF}": escaped += "\\u{FFFF}"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A CSV cell's text: controls shown as escapes like `visible`, but line breaks and tabs kept (CSV
    /// quoting holds them), and neutralised when a spreadsheet would run it (`spreadsheetSafe`).
    public static func csvText(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isInvisibleControl($0) && $0 != "\n" && $0 != "\t" }) else { return spreadsheetSafe(text) }
        var escaped = ""
        for scalar in text.unicodeScalars {
            if isInvisibleControl(scalar) && scalar != "\n" && scalar != "\t" {
                escaped += scalar == "\r" ? "\\r" : "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return spreadsheetSafe(escaped)
    }

    /// A CSV cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab
    /// or a carriage return, OWASP "CSV injection") gets a leading `'`; plain numbers such as `-12.5`
    /// are left alone.
    public static func spreadsheetSafe(_ text: String) -> String {
        guard let first = text.utf8.first, startsLikeFormula(first), !isPlainNumber(text) else { return text }
        return "'" + text
    }

    /// Whether a cell starting with `byte` could be run as a formula (`spreadsheetSafe`).
    static func startsLikeFormula(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
            || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// `-12`, `+3.5`, `1e-3`: a number and nothing else.
    private static func isPlainNumber(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var digits = 0, seenDot = false, seenExponent = false
        var previous: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: ".") where !seenDot && !seenExponent: seenDot = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard digits > 0, !seenExponent else { return false }
                seenExponent = true
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                guard previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E") else { return false }
            default: return false
            }
            previous = byte
        }
        return digits > 0 && previous != UInt8(ascii: "e") && previous != UInt8(ascii: "E")
    }
}

private extension Character {
    var isLetterOrDigit: Bool { isLetter || isNumber }
}
