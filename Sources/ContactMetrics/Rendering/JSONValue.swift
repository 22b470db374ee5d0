/// A JSON value with ordered object keys, so output is byte-for-byte deterministic.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.serialized() == rhs.serialized()
    }

    /// A number's value (integers included), or nil.
    var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    static func optional(_ value: Int64?) -> JSONValue { value.map(JSONValue.integer) ?? .null }
    static func optional(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
    static func counts(_ counts: [String: Int64]) -> JSONValue {
        .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })
    }
    static func counts(_ counts: [String: Int]) -> JSONValue {
        .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .integer(Int64($0.value))) })
    }

    /// Pretty-printed with two-space indentation and a final newline.
    public func serialized() -> String {
        var output: [UInt8] = []
        write(to: &output, indent: 0)
        output.append(UInt8(ascii: "\n"))
        return String(decoding: output, as: UTF8.self)
    }

    /// Serialized as a value nested `indent` levels deep (no final newline).
    func serialized(indent: Int) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(1024)  // a period's object: no regrowth while it is written
        write(to: &output, indent: indent)
        return String(decoding: output, as: UTF8.self)
    }

    static func indent(_ level: Int) -> String { String(repeating: "  ", count: min(level, 15)) }

    /// Writes a top-level object member by member, as `serialized()` would; `custom` may write a
    /// member's value itself (returning true), e.g. a long array an element at a time.
    static func writeObject<Sink: TextSink>(_ members: [(String, JSONValue)], to sink: inout Sink,
                                            custom: (String, inout Sink) throws -> Bool) throws {
        try sink.write("{\n")
        for (index, (key, value)) in members.enumerated() {
            var line = Array(indent(1).utf8)
            writeString(key, to: &line)
            line.append(contentsOf: ": ".utf8)
            try sink.write(String(decoding: line, as: UTF8.self))
            if try !custom(key, &sink) { try sink.write(value.serialized(indent: 1)) }
            try sink.write(index + 1 < members.count ? ",\n" : "\n")
        }
        try sink.write("}\n")
    }

    // Written as UTF-8 bytes: a 15-minute report over years is 280,000 periods of objects, and appending
    // to a `String` a scalar at a time was most of its run time.
    private func write(to output: inout [UInt8], indent: Int) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): output.append(contentsOf: String(value).utf8)
        case .number(let value): output.append(contentsOf: Self.text(of: value).utf8)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let values):
            if values.isEmpty { output.append(contentsOf: "[]".utf8); return }
            output.append(contentsOf: "[\n".utf8)
            for (index, value) in values.enumerated() {
                Self.writeIndent(indent + 1, to: &output)
                value.write(to: &output, indent: indent + 1)
                output.append(contentsOf: (index + 1 < values.count ? ",\n" : "\n").utf8)
            }
            Self.writeIndent(indent, to: &output)
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { output.append(contentsOf: "{}".utf8); return }
            output.append(contentsOf: "{\n".utf8)
            for (index, (key, value)) in members.enumerated() {
                Self.writeIndent(indent + 1, to: &output)
                Self.writeString(key, to: &output)
                output.append(contentsOf: ": ".utf8)
                value.write(to: &output, indent: indent + 1)
                output.append(contentsOf: (index + 1 < members.count ? ",\n" : "\n").utf8)
            }
            Self.writeIndent(indent, to: &output)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Two spaces a level, at most 15 levels.
    private static func writeIndent(_ level: Int, to output: inout [UInt8]) {
        output.append(contentsOf: spaces[..<(2 * min(level, 15))])
    }

    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 30)

    /// A number as JSON writes it: whole values without ".0", others in Swift's shortest round-trip form.
    static func text(of value: Double) -> String {
        guard value.isFinite else { return "null" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static func writeString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Printable ASCII other than quote and backslash goes out as it is (labels and keys nearly always).
        if Escaping.isPrintableASCII(value, excluding: (UInt8(ascii: "\""), UInt8(ascii: "\\"))) {
            output.append(contentsOf: value.utf8)
            output.append(UInt8(ascii: "\""))
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output.append(contentsOf: "\\\"".utf8)
            case "\\": output.append(contentsOf: "\\\\".utf8)
            case "\n": output.append(contentsOf: "\\n".utf8)
            case "\r": output.append(contentsOf: "\\r".utf8)
            case "\t": output.append(contentsOf: "\\t".utf8)
            // Controls and invisible format characters as \u escapes (JSON reads them back unchanged).
            case _ where scalar.value < 0x20 || Escaping.isInvisibleControl(scalar):
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    output.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                }
            default: output.append(contentsOf: String(scalar).utf8)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
