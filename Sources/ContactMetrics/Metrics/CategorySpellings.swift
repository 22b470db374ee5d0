/// Categories whose spellings differ only in case (`covid`, `Covid`, `COVID`: typed by hand, or recoded
/// between exports) are one category wherever a share or a leader is shown, so that `report` and
/// `compare` give the same figure for the same rows (found by review: 29% against 79%). Partner agencies
/// (`Social Services`, `social services`) are listed so in the tables' text too. The counts by spelling stay
/// as read in the JSON and CSV outputs.
enum CategorySpellings {
    /// `categories` with the spellings of each category added together, under the spelling most contacts
    /// have (ties: the first in string order).
    static func merged(_ categories: some Sequence<(key: String, value: Int64)>) -> [String: Int64] {
        var groups: [String: (total: Int64, spelling: String, count: Int64)] = [:]
        for (label, count) in categories {
            let key = label.lowercased()
            var group = groups[key] ?? (0, label, count)
            group.total += count
            if count > group.count || (count == group.count && label < group.spelling) { (group.spelling, group.count) = (label, count) }
            groups[key] = group
        }
        return Dictionary(uniqueKeysWithValues: groups.values.map { ($0.spelling, $0.total) })
    }

    /// The category most contacts have, spellings merged (ties: the first in string order), with its count.
    static func leading(_ categories: some Sequence<(key: String, value: Int64)>) -> (name: String, count: Int64)? {
        merged(categories).max { ($0.value, $1.key) < ($1.value, $0.key) }.map { ($0.key, $0.value) }
    }
}
