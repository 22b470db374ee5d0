import Foundation

/// What is wrong with a config's or targets file's JSON, said by line and column: Foundation says "around
/// character 85", which an analyst has to count to, and accepts trailing commas (`{"at_most": 0.1,}`),
/// which other JSON readers refuse, so a file that works here would fail elsewhere.
enum JSONSyntax {
    /// Why `data` is not JSON, for `error` from `JSONSerialization`: `not valid JSON at line 2, column 6 (…)`.
    static func problem(_ error: Error, in data: Data) -> String {
        let detail = (error as NSError).userInfo["NSDebugDescription"] as? String ?? "syntax error"
        guard let range = detail.range(of: #"around character (\d+)"#, options: .regularExpression),
              let offset = Int(detail[range].split(separator: " ").last ?? "") else {
            // No place given (the file ends inside an object): a trailing comma is said first, then the brace or bracket
            // left open (a review's config had both, and was told only "Unexpected end of file").
            if let comma = trailingComma(in: data) { return comma }
            if let open = lastUnclosed(in: data) {
                let (line, column) = place(ofByte: open.offset, in: data)
                return "not valid JSON: the '\(Character(Unicode.Scalar(open.byte)))' at line \(line), column \(column) is never closed (\(detail))"
            }
            return "not valid JSON (\(detail))"
        }
        // Foundation's offset does not count a byte order mark.
        let mark = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let (line, column) = place(ofByte: min(offset + mark, data.count), in: data)
        let reason = detail.replacingCharacters(in: range, with: "").trimmingCharacters(in: CharacterSet(charactersIn: " ."))
        return "not valid JSON at line \(line), column \(column) (\(reason))"
    }

    /// `not valid JSON at line 3, column 12 (a comma before '}')` for the first trailing comma, or nil.
    static func trailingComma(in data: Data) -> String? {
        var inString = false, escaped = false, comma: Int?
        for (offset, byte) in data.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true; comma = nil
            case UInt8(ascii: ","): comma = offset
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let comma {
                    let (line, column) = place(ofByte: comma, in: data)
                    return "not valid JSON at line \(line), column \(column) (a comma before '\(Character(Unicode.Scalar(byte)))')"
                }
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
            default: comma = nil
            }
        }
        return nil
    }

    /// The innermost `{` or `[` outside strings that the file leaves open, or nil.
    private static func lastUnclosed(in data: Data) -> (offset: Int, byte: UInt8)? {
        var inString = false, escaped = false, open: [(offset: Int, byte: UInt8)] = []
        for (offset, byte) in data.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): open.append((offset, byte))
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if !open.isEmpty { open.removeLast() }
            default: break
            }
        }
        return open.last
    }

    /// Line and column (from 1, in characters) of byte `offset` (Foundation's "character" is a byte).
    private static func place(ofByte offset: Int, in data: Data) -> (Int, Int) {
        let before = data.prefix(offset)
        let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? data.startIndex
        let text = String(decoding: data[lineStart..<offset], as: UTF8.self).unicodeScalars
        return (line, text.count - (text.first == "\u{FEFF}" ? 1 : 0) + 1)
    }
}
