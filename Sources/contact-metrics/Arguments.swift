import ContactMetrics
import Foundation

/// A usage error: printed with the command's usage line, exit status 64.
struct UsageError: Error {
    var message: String
    var command: Command?
}

/// Parsed command-line words: options (with their values) and positional arguments.
struct Arguments {
    let command: Command
    private(set) var values: [Option: [String]] = [:]
    private(set) var positionals: [String] = []

    /// Parses `words` against the options `command` accepts (`Option.accepted(by:)`); `--name value`
    /// and `--name=value` both work; `--` ends options; a lone `-` is a positional (standard input).
    init(_ words: [String], command: Command) throws(UsageError) {
        self.command = command
        let accepted = Option.accepted(by: command)
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
            if name == "-h" { name = Option.help.spelling }
            guard let option = accepted.first(where: { $0.spelling == name }) else {
                var message = "unknown option '\(name)'"
                // A letter (`-o`) stands for the long options it begins: by spelling it was nearest to `--to`.
                let initial = name.count == 2 && name != "--" ? accepted.map(\.spelling).filter { $0.hasPrefix("-" + name) } : []
                if !initial.isEmpty && initial.count <= 3 {
                    message += "; did you mean " + initial.map { "'\($0)'" }.joined(separator: " or ") + "? (options are spelt in full)"
                } else if let suggestion = Self.suggestion(for: name, among: accepted.map(\.spelling)) {
                    message += "; did you mean '\(suggestion)'?"
                }
                if command == .store && !word.hasPrefix("--") && word.count > 2 {
                    // A source's name, not a path: './' would change it (a review followed the file hint to "no source").
                    message += "; a source name that begins with '-' is given after '--', with every option before it "
                        + "(contact-metrics store remove --store DB -- \(word))"
                } else if FileManager.default.fileExists(atPath: word) {
                    message += "; a file whose name begins with '-' is given as './\(word)', or after '--' with every option before it"
                }
                throw UsageError(message: message, command: command)
            }
            if option.value != nil {
                // Given twice, which one was meant is a guess: say so instead of taking the last.
                if values[option] != nil { throw UsageError(message: "option '\(name)' is given more than once", command: command) }
                if let inlineValue {
                    values[option, default: []].append(inlineValue)
                } else {
                    guard index < words.count else { throw UsageError(message: "option '\(name)' needs a value", command: command) }
                    values[option, default: []].append(words[index])
                    index += 1
                }
            } else {
                if inlineValue != nil { throw UsageError(message: "option '\(name)' takes no value", command: command) }
                values[option, default: []].append("")
            }
        }
        // A store path that cannot name a file: said as usage, not as a missing store or a failed create.
        if let store = values[.store]?.last {
            if store.isEmpty { throw UsageError(message: "\(Option.store.spelling) '': an empty path", command: command) }
            if store.hasSuffix("/") {
                throw UsageError(message: "\(Option.store.spelling) '\(store)' names a directory; give the store's file, such as \(store)metrics.db", command: command)
            }
        }
    }

    func has(_ option: Option) -> Bool { values[option] != nil }

    /// `; did you mean --store metrics.db?` when one of `operands` looks like a store (a `.db` name, or an
    /// SQLite file): given without `--store`, it was only "--store DB is required".
    /// - Parameter existingOnly: only a file that exists (a store to read, not one `ingest` would make).
    static func storeHint<Operands: Sequence<String>>(_ operands: Operands, existingOnly: Bool = false) -> String {
        for operand in operands {
            if existingOnly && !FileManager.default.fileExists(atPath: operand) { continue }
            let isStore = operand.lowercased().hasSuffix(".db") || operand.lowercased().hasSuffix(".sqlite")
                || ContactStore.isSQLiteFile(atPath: operand)
            if isStore { return "; did you mean \(Option.store.spelling) \(operand)?" }
        }
        return ""
    }

    /// The last value given for `option`.
    func value(_ option: Option) -> String? { values[option]?.last }

    /// The first of `options` that was given.
    func first(of options: [Option]) -> Option? { options.first(where: has) }

    /// A usage error of this command.
    func fail(_ message: String) -> UsageError { UsageError(message: message, command: command) }

    /// The closest word within edit distance 2 (for "did you mean").
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, EditDistance.between(word, $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }
}
