/// Finds a key given twice in one JSON object. `JSONSerialization` keeps the last silently, so a targets
/// file or config with `"101"` twice would lose the first's settings without a word.
enum DuplicateJSONKeys {
    /// An object or array being read, with the keys its object has had.
    private struct Frame {
        var isObject: Bool
        var keys: Set<String> = []
        var expectsKey = true
        var key: String?
    }

    /// The path (`101.abandon_rate`) of the first key repeated within its object, or nil. Keys are compared
    /// as written (escapes not decoded). Meant for text that parses as JSON; anything else gives nil.
    static func first(in bytes: some Collection<UInt8>) -> String? {
        var stack: [Frame] = []
        var iterator = bytes.makeIterator()
        func path(_ key: String) -> String { (stack.dropLast().compactMap(\.key) + [key]).joined(separator: ".") }
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "{"): stack.append(Frame(isObject: true))
            case UInt8(ascii: "["): stack.append(Frame(isObject: false))
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: ":"): if !stack.isEmpty { stack[stack.count - 1].expectsKey = false }
            case UInt8(ascii: ","): if !stack.isEmpty { stack[stack.count - 1].expectsKey = true }
            case UInt8(ascii: "\""):
                var text: [UInt8] = []
                var escaped = false
                while let next = iterator.next() {
                    if escaped { escaped = false } else if next == UInt8(ascii: "\\") { escaped = true } else if next == UInt8(ascii: "\"") { break }
                    text.append(next)
                }
                guard let top = stack.indices.last, stack[top].isObject, stack[top].expectsKey else { continue }
                let key = String(decoding: text, as: UTF8.self)
                if stack[top].keys.contains(key) { return path(key) }
                // In place: a copy of the frame would share its set and copy all of it on every insert
                // (a 100,000-entry channel map took two minutes).
                stack[top].keys.insert(key)
                stack[top].key = key
            default: continue
            }
        }
        return nil
    }
}
