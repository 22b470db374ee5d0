/// How many terminal columns text takes, for aligned tables: a character (grapheme cluster) takes two
/// when it is East Asian wide or an emoji shown as a picture, else one. (Unicode's East Asian Width
/// property is not in the standard library: the wide blocks are listed below; a rare character in
/// another block may be misjudged by one column, which only shifts the rest of its row.)
enum DisplayWidth {
    static func of(_ text: String) -> Int {
        if Escaping.isPrintableASCII(text) { return text.utf8.count }
        var width = 0
        for character in text {
            width += isWide(character) ? 2 : 1
        }
        return width
    }

    private static func isWide(_ character: Character) -> Bool {
        guard let first = character.unicodeScalars.first else { return false }
        if first.value < 0x1100 { return false }  // Latin, Greek, Cyrillic… and ASCII: the common case
        // An emoji shown as a picture, by default or by its variation selector.
        if first.properties.isEmojiPresentation || character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return true }
        return wideRanges.contains { $0.contains(first.value) }
    }

    /// East Asian Wide and Fullwidth blocks (Unicode 15, UAX #11), merged into ranges.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
