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
        var output = ""
        write(to: &output, indent: 0)
        output.append("\n")
        return output
    }

    /// Serialized as a value nested `indent` levels deep (no final newline).
    func serialized(indent: Int) -> String {
        var output = ""
        write(to: &output, indent: indent)
        return output
    }

    static func indent(_ level: Int) -> String { indents[min(level, 15)] }

    /// Writes a top-level object member by member, as `serialized()` would; `custom` may write a
    /// member's value itself (returning true), e.g. a long array an element at a time.
    static func writeObject<Sink: TextSink>(_ members: [(String, JSONValue)], to sink: inout Sink,
                                            custom: (String, inout Sink) throws -> Bool) throws {
        try sink.write("{\n")
        for (index, (key, value)) in members.enumerated() {
            var line = indents[1]
            writeString(key, to: &line)
            line.append(": ")
            try sink.write(line)
            if try !custom(key, &sink) { try sink.write(value.serialized(indent: 1)) }
            try sink.write(index + 1 < members.count ? ",\n" : "\n")
        }
        try sink.write("}\n")
    }

    private func write(to output: inout String, indent: Int) {
        switch self {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .integer(let value): output.append(String(value))
        case .number(let value): output.append(Self.text(of: value))
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let values):
            if values.isEmpty { output.append("[]"); return }
            output.append("[\n")
            for (index, value) in values.enumerated() {
                output.append(Self.indents[min(indent + 1, 15)])
                value.write(to: &output, indent: indent + 1)
                output.append(index + 1 < values.count ? ",\n" : "\n")
            }
            output.append(Self.indents[min(indent, 15)] + "]")
        case .object(let members):
            if members.isEmpty { output.append("{}"); return }
            output.append("{\n")
            for (index, (key, value)) in members.enumerated() {
                output.append(Self.indents[min(indent + 1, 15)])
                Self.writeString(key, to: &output)
                output.append(": ")
                value.write(to: &output, indent: indent + 1)
                output.append(index + 1 < members.count ? ",\n" : "\n")
            }
            output.append(Self.indents[min(indent, 15)] + "}")
        }
    }

    /// A number as JSON writes it: whole values without ".0", others in Swift's shortest round-trip form.
    static func text(of value: Double) -> String {
        guard value.isFinite else { return "null" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static let indents = (0..<16).map { String(repeating: "  ", count: $0) }

    private static func writeString(_ value: String, to output: inout String) {
        output.append("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            // Controls and invisible format characters as \u escapes (JSON reads them back unchanged).
            case _ where scalar.value < 0x20 || Escaping.isInvisibleControl(scalar):
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                }
            default: output.unicodeScalars.append(scalar)
            }
        }
        output.append("\"")
    }
}
