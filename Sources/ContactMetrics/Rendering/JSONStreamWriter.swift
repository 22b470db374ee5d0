/// Writes a JSON object member by member, laid out as `JSONValue.serialized` lays it out (two spaces a
/// level, one member a line, `"key": value`, `{}` when empty), without building it as a `JSONValue`
/// first: a report at 15-minute grain writes hundreds of thousands of period objects, and making and
/// freeing their trees of values took more than writing them.
struct JSONStreamWriter: ~Copyable {
    private(set) var buffer = ByteBuffer()
    /// The open objects: the indent level of their braces, and whether a member has been written.
    private var open: [(level: Int, isEmpty: Bool)] = []
    /// The indent level of the outermost object's braces.
    private let baseLevel: Int

    /// An object whose braces sit `level` levels deep (its members one deeper).
    init(level: Int) { baseLevel = level }

    var text: String { buffer.text }

    mutating func beginObject() {
        buffer.append(UInt8(ascii: "{"))
        open.append((open.last.map { $0.level + 1 } ?? baseLevel, true))
    }

    /// Starts a member of the innermost open object: its value is written next.
    mutating func key(_ name: String) { key(encoded: Self.encodedKey(name)) }

    /// `key(name)` for a name made JSON once (`encodedKey`): a report writes each metric's name at every
    /// channel of every period.
    mutating func key(encoded name: [UInt8]) {
        let last = open.count - 1
        buffer.append(open[last].isEmpty ? newline : commaNewline)
        open[last].isEmpty = false
        indent(open[last].level + 1)
        buffer.append(name)
    }

    /// A member name as `key(_:)` writes it after its indent: the JSON string and `: `.
    static func encodedKey(_ name: String) -> [UInt8] {
        var writer = JSONStreamWriter(level: 0)
        writer.string(name)
        writer.buffer.append(colonSpace)
        return Array(writer.text.utf8)
    }

    mutating func endObject() {
        let object = open.removeLast()
        if !object.isEmpty {
            buffer.append(UInt8(ascii: "\n"))
            indent(object.level)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// A member's value (an array or object as `JSONValue` writes it at this depth).
    mutating func value(_ value: JSONValue) {
        switch value {
        case .null: buffer.append(nullText)
        case .bool(let flag): buffer.append(flag ? trueText : falseText)
        case .integer(let number): integer(number)
        case .number(let number): buffer.append(JSONValue.text(of: number))
        case .string(let text): string(text)
        case .array, .object: buffer.append(value.serialized(indent: (open.last?.level ?? baseLevel - 1) + 1))
        }
    }

    mutating func integer(_ number: Int64) { buffer.append(String(number)) }

    mutating func string(_ text: String) {
        // Printable ASCII other than quote and backslash goes out as it is (keys and labels nearly always).
        if Escaping.isPrintableASCII(text, excluding: (UInt8(ascii: "\""), UInt8(ascii: "\\"))) {
            buffer.append(UInt8(ascii: "\""))
            buffer.append(text)
            buffer.append(UInt8(ascii: "\""))
        } else {
            buffer.append(JSONValue.string(text).serialized(indent: 0))
        }
    }

    private mutating func indent(_ level: Int) { buffer.appendSpaces(2 * min(level, 15)) }
}

private let newline = Array("\n".utf8), commaNewline = Array(",\n".utf8), colonSpace = Array(": ".utf8)
private let nullText = Array("null".utf8), trueText = Array("true".utf8), falseText = Array("false".utf8)
