/// A note on channel values that a config's `channels` map (or, for queue_logs, `queues` map) does not
/// name: they are kept as channels of their own, as documented, but a key misspelt (`"999 Emergancy"`)
/// did so without a word and took the 999 line out of its service level and targets (found by a review).
enum UnmappedChannels {
    /// Whether `key` may be a misspelling of `value`: they differ in letters, not only in digits and separators
    /// (DNIS `2001` and `5101`, overflow queues `emergency2` and `Emergency 2` beside `emergency`: other queues,
    /// found by the diff reviews), and the key has 4 characters or more.
    static func mayBeMisspelt(_ key: String, as value: String) -> Bool {
        key.count >= 4 && key.filter(\.isLetter) != value.filter(\.isLetter)
    }

    /// - Parameters:
    ///   - labels: the channels the run's workers met (lower case, as counted).
    /// - Returns: nil when the config has neither map, or they name every value met (or map it to itself); a
    ///   warning when a value is within two letters of a key (`mayBeMisspelt`), else a note (values left as
    ///   they are on purpose).
    static func message(labels: Set<String>, config: MappingConfig) -> (text: String, isWarning: Bool)? {
        let map = config.channelMap + config.queueMap
        guard !map.isEmpty else { return nil }
        let mapName = config.channelMap.isEmpty ? "queues" : config.queueMap.isEmpty ? "channels" : "channels and queues maps"
        let configName = config.name
        let keys = map.map { String(decoding: $0.from, as: UTF8.self) }
        let known = Set(map.map(\.to)).union(keys.map { $0.lowercased() }).union(WellKnownChannels.all)
        let unnamed = labels.subtracting(known).sorted()
        guard !unnamed.isEmpty else { return nil }
        var misspelt = false
        let described = unnamed.map { label -> String in
            let near = keys.filter { Self.mayBeMisspelt($0.lowercased(), as: label) }
                .map { ($0, EditDistance.between(label, $0.lowercased())) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }
            misspelt = misspelt || near != nil
            return "\"\(Escaping.excerpt(label))\"" + (near.map { " (the key \"\(Escaping.excerpt($0.0))\" misspelt?)" } ?? "")
        }
        let what = config.channelMap.isEmpty ? (unnamed.count == 1 ? "a queue" : "queues") : (unnamed.count == 1 ? "a channel value" : "channel values")
        let text = "\(configName): \(what) its \(mapName.hasSuffix("maps") ? mapName : "\"\(mapName)\" map") does not name, "
            + "kept as \(unnamed.count == 1 ? "a channel" : "channels") of \(unnamed.count == 1 ? "its" : "their") own (in lower case): "
            + DisplayFormat.list(described, shown: 5)
        return (text, misspelt)
    }
}
