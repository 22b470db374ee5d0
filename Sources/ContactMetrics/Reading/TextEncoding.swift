/// The character encoding of an input. Everything is read as UTF-8: other encodings are transcoded as
/// they are read (`TranscodingStream`).
public enum TextEncoding: String, CaseIterable, Sendable {
    case utf8 = "utf-8"
    /// Excel's "Unicode text" (with a byte-order mark `FF FE`).
    case utf16LittleEndian = "utf-16le"
    case utf16BigEndian = "utf-16be"
    /// ISO 8859-1: each byte is the code point of the same number.
    case latin1
    /// Windows' "ANSI" code page for western Europe: Latin-1 but for 0x80–0x9F (`€`, `‘`, `’`, `…`).
    case windows1252 = "windows-1252"

    /// The encoding of a name as `--encoding` and the config's `encoding` take it, in any case:
    /// `utf-8`, `utf-16le`, `utf-16be`, `latin1`, `windows-1252`, and the usual other spellings
    /// (`utf8`, `iso-8859-1`, `cp1252`…).
    public init?(name: String) {
        let plain = name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        switch plain {
        case "utf8": self = .utf8
        case "utf16le", "unicode": self = .utf16LittleEndian
        case "utf16be": self = .utf16BigEndian
        case "latin1", "iso88591", "l1": self = .latin1
        case "windows1252", "cp1252", "win1252", "ansi": self = .windows1252
        default: return nil
        }
    }

    /// The encoding a byte-order mark at the start of `prefix` names, and how many of its bytes to drop
    /// (a UTF-8 mark is kept: the header reader skips it).
    static func byteOrderMark(_ prefix: [UInt8]) -> (TextEncoding, Int)? {
        guard prefix.count >= 2 else { return nil }
        if prefix[0] == 0xFF && prefix[1] == 0xFE { return (.utf16LittleEndian, 2) }
        if prefix[0] == 0xFE && prefix[1] == 0xFF { return (.utf16BigEndian, 2) }
        if prefix.count >= 3 && prefix[0] == 0xEF && prefix[1] == 0xBB && prefix[2] == 0xBF { return (.utf8, 0) }
        return nil
    }

    /// Why text that starts with a UTF-32 byte-order mark is not read (its `FF FE` was taken for UTF-16LE's,
    /// and `00 00 FE FF` for UTF-16BE without a mark, with advice that could not work); nil for other text.
    static func utf32Refusal(_ prefix: [UInt8]) -> String? {
        guard prefix.count >= 4, prefix[..<4] == [0xFF, 0xFE, 0, 0] || prefix[..<4] == [0, 0, 0xFE, 0xFF] else { return nil }
        return "the text is UTF-32 (its byte-order mark says so), which is not read: convert it to UTF-8 first "
            + "(iconv -f UTF-32 -t UTF-8 FILE > FILE.utf8)"
    }

    /// Whether bytes look like UTF-16 without a mark: text whose every other byte is NUL (what a
    /// header line of ASCII names becomes). `.utf16LittleEndian` when the NULs are the odd bytes.
    static func looksLikeUTF16(_ bytes: UnsafeRawBufferPointer) -> TextEncoding? {
        let count = min(bytes.count, 64) & ~1
        guard count >= 8 else { return nil }
        var evenNULs = 0, oddNULs = 0
        for index in stride(from: 0, to: count, by: 2) {
            if bytes[index] == 0 { evenNULs += 1 }
            if bytes[index + 1] == 0 { oddNULs += 1 }
        }
        let units = count / 2
        if oddNULs * 4 >= units * 3 && evenNULs == 0 { return .utf16LittleEndian }
        if evenNULs * 4 >= units * 3 && oddNULs == 0 { return .utf16BigEndian }
        return nil
    }
}
