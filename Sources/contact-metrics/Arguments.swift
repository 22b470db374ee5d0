import ContactMetrics

/// A usage error: printed with the command's usage line, exit status 64.
struct UsageError: Error {
    var message: String
    var command: String?
}

/// Parsed command-line words: options (with their values) and positional arguments.
struct Arguments {
    struct OptionSpec {
        var name: String
        var takesValue: Bool
    }

    private(set) var values: [String: [String]] = [:]
    private(set) var positionals: [String] = []

    /// Parses `words` against the options `specs` allows; `--name value` and `--name=value` both work;
    /// `--` ends options; a lone `-` is a positional (standard input).
    init(_ words: [String], specs: [OptionSpec], command: String) throws(UsageError) {
        var index = 0
        var optionsEnded = false
        while index < words.count {
            let word = words[index]
            index += 1
            if optionsEnded || !word.hasPrefix("-") || word == "-" {
                positionals.append(word)
                continue
            }
            if word == "--" { optionsEnded = true; continue }
            var name = word
            var inlineValue: String?
            if let equals = word.firstIndex(of: "="), word.hasPrefix("--") {
                name = String(word[..<equals])
                inlineValue = String(word[word.index(after: equals)...])
            }
            if name == "-h" { name = "--help" }
            guard let spec = specs.first(where: { "--" + $0.name == name }) else {
                var message = "unknown option '\(name)'"
                if let suggestion = Self.suggestion(for: name, among: specs.map { "--" + $0.name }) {
                    message += "; did you mean '\(suggestion)'?"
                }
                throw UsageError(message: message, command: command)
            }
            if spec.takesValue {
                // Given twice, which one was meant is a guess: say so instead of taking the last.
                if values[spec.name] != nil { throw UsageError(message: "option '\(name)' is given more than once", command: command) }
                if let inlineValue {
                    values[spec.name, default: []].append(inlineValue)
                } else {
                    guard index < words.count else { throw UsageError(message: "option '\(name)' needs a value", command: command) }
                    values[spec.name, default: []].append(words[index])
                    index += 1
                }
            } else {
                if inlineValue != nil { throw UsageError(message: "option '\(name)' takes no value", command: command) }
                values[spec.name, default: []].append("")
            }
        }
    }

    func has(_ name: String) -> Bool { values[name] != nil }

    /// The last value given for `name`.
    func value(_ name: String) -> String? { values[name]?.last }

    func allValues(_ name: String) -> [String] { values[name] ?? [] }

    /// The closest option name within edit distance 2 (for "did you mean").
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, EditDistance.between(word, $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }
}
