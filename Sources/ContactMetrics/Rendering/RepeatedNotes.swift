/// Notes and warnings that many inputs give alike, said for the first few and counted for the rest: a run
/// over 730 daily files printed 730 lines that differed only in the file's name and a count (found by the
/// performance review). Two messages are alike when they differ only in the input path they start with and
/// in their numbers.
public enum RepeatedNotes {
    /// Messages of one kind said in full before the rest are counted.
    static let shownInFull = 3

    /// `messages` in order, each kind's messages after the first `shownInFull` replaced by one line at the
    /// place of the last, which names the inputs (the first three, and how many more) and repeats the message
    /// with `N` for its numbers: `d4.csv, d5.csv, d6.csv and 2 more inputs likewise: N rows' outcomes are …`.
    /// Kinds with at most one message more than `shownInFull` are left whole.
    /// - Parameter paths: the run's input paths, which messages start with (`PATH: …`).
    public static func condensed(_ messages: [String], paths: [String]) -> [String] {
        let kinds = messages.map { kind(of: $0, paths: paths) }
        var total: [String: Int] = [:]
        for case let kind? in kinds { total[kind.key, default: 0] += 1 }
        var seen: [String: Int] = [:]
        var counted: [String: [String]] = [:]
        var result: [String] = []
        for (message, kind) in zip(messages, kinds) {
            guard let kind, let count = total[kind.key], count > shownInFull + 1 else {
                result.append(message)
                continue
            }
            seen[kind.key, default: 0] += 1
            let index = seen[kind.key]!
            if index <= shownInFull {
                result.append(message)
                continue
            }
            counted[kind.key, default: []].append(kind.path)
            if index == count {
                let names = DisplayFormat.list(counted[kind.key]!, shown: shownInFull, more: "more inputs")
                result.append("\(names) likewise: " + kind.key.replacingOccurrences(of: "#", with: "N"))
            }
        }
        return result
    }

    /// The input path a message starts with, and the message without it, each run of digits (and their
    /// separators) as `#`; nil for a message that names no input first.
    private static func kind(of message: String, paths: [String]) -> (path: String, key: String)? {
        guard let path = paths.filter({ message.hasPrefix($0 + ": ") }).max(by: { $0.count < $1.count }) else { return nil }
        var key = ""
        var inNumber = false
        for character in message.dropFirst(path.count + 2) {
            if character.isNumber || (inNumber && (character == "," || character == ".")) {
                if !inNumber { key.append("#") }
                inNumber = true
            } else {
                key.append(character)
                inNumber = false
            }
        }
        return (path, key)
    }
}
