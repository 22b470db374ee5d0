/// A cell's contacts by category: (label, count) pairs in one short array sorted by label.
///
/// A report at a 15-minute grain over years holds a category table for each of its online cells. As a
/// `Dictionary` five categories take a table of eight buckets and its header (about 290 bytes by its
/// layout); here they take 152 (a 32-byte array header and five 24-byte pairs). Lookups are binary searches over a handful of labels, adding
/// two tables is one merge, and the store's encoding (sorted by label) needs no sort. Labels compare as
/// `String`s do, so canonically equivalent spellings are one category, as they were as dictionary keys.
public struct CategoryCounts: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: Int64)

    /// Strictly ascending by label.
    private var entries: [Element] = []

    public init() {}

    /// The counts of `counts`, whose labels may repeat (their counts are added, under the spelling met
    /// first, as a dictionary keeps it); the table takes no more room than its labels need.
    public init<S: Sequence>(_ counts: S) where S.Element == (key: String, value: Int64) {
        let given = Array(counts)
        // Already strictly ascending (a store's BLOB, a worker's labels in order): nothing to sort.
        if zip(given, given.dropFirst()).allSatisfy({ $0.key < $1.key }) {
            entries = given
        } else {
            var sorted = Array(given.enumerated())
            // Equal labels (canonically equivalent spellings) stay in the order they came.
            sorted.sort { $0.element.key < $1.element.key || ($0.element.key == $1.element.key && $0.offset < $1.offset) }
            var kept: [Element] = []
            kept.reserveCapacity(sorted.count)
            for (_, entry) in sorted {
                if let last = kept.last, last.key == entry.key {
                    kept[kept.count - 1].value &+= entry.value
                } else {
                    kept.append(entry)
                }
            }
            entries = kept
        }
        mergeEqualLabelsApart()
        shrinkToFit()
    }

    /// The counts of a dictionary, whose labels are distinct (`==` and hashing agree): one sort, with no
    /// pass to merge equal labels (a year's cell of a store may hold tens of thousands).
    public init(_ counts: [String: Int64]) {
        entries = counts.map { ($0.key, $0.value) }
        entries.sort { $0.key < $1.key }
        shrinkToFit()
    }

    /// Counts already in the table's order, each label once (a worker's, through `CategoryRanks`, or a
    /// spilled table's): taken as they are.
    init(ordered entries: [Element]) {
        self.entries = entries
        shrinkToFit()
    }

    public init(dictionaryLiteral elements: (String, Int64)...) {
        for (label, count) in elements { self[label, default: 0] &+= count }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    /// The same counts as a dictionary (for rendering, where a cell's metrics are built one at a time).
    public var dictionary: [String: Int64] {
        Dictionary(entries.lazy.map { ($0.key, $0.value) }, uniquingKeysWith: &+)
    }

    public func makeIterator() -> IndexingIterator<[Element]> { entries.makeIterator() }

    /// Where `label` is, or where it would be inserted.
    private func position(of label: String) -> (index: Int, found: Bool) {
        var low = 0, high = entries.count
        // Labels usually arrive in ascending order (literals, merges): check the end first.
        if let last = entries.last, last.key < label { low = entries.count }
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].key < label { low = middle + 1 } else { high = middle }
        }
        if low < entries.count && entries[low].key == label { return (low, true) }
        // See `mergeEqualLabelsApart`: for text beyond ASCII the order may not have led to an equal label.
        if !Self.isASCII(label), let index = entries.firstIndex(where: { $0.key == label }) { return (index, true) }
        return (low, false)
    }

    /// Merges equal labels that are not next to each other. `String`'s `<` is not a consistent order for
    /// some text that is not in NFC (U+0F73 and U+0F71 are neither `<` nor `==` either way), so sorting and
    /// merging can leave two equal labels apart; `==` and hashing are consistent. Only tables with a
    /// label beyond ASCII are checked.
    private mutating func mergeEqualLabelsApart() {
        guard entries.count > 1, entries.contains(where: { !Self.isASCII($0.key) }) else { return }
        var firstIndex: [String: Int] = [:]
        var kept: [Element] = []
        for entry in entries {
            if let index = firstIndex[entry.key] {
                kept[index].value &+= entry.value
            } else {
                firstIndex[entry.key] = kept.count
                kept.append(entry)
            }
        }
        if kept.count != entries.count { entries = kept }
    }

    private static func isASCII(_ label: String) -> Bool { label.utf8.allSatisfy { $0 < 0x80 } }

    /// The count of `label`; setting nil removes it.
    public subscript(label: String) -> Int64? {
        get {
            let (index, found) = position(of: label)
            return found ? entries[index].value : nil
        }
        set {
            let (index, found) = position(of: label)
            switch (found, newValue) {
            case (true, let count?): entries[index].value = count
            case (true, nil): entries.remove(at: index)
            case (false, let count?): entries.insert((label, count), at: index)
            case (false, nil): break
            }
        }
    }

    public subscript(label: String, default defaultValue: @autoclosure () -> Int64) -> Int64 {
        get { self[label] ?? defaultValue() }
        set { self[label] = newValue }
    }

    /// Adds `other`'s counts, in one pass over both.
    public mutating func add(_ other: CategoryCounts) {
        if other.isEmpty { return }
        if isEmpty { self = other; return }
        var merged: [Element] = []
        merged.reserveCapacity(Self.mergedCount(entries, other.entries))
        var mine = 0, theirs = 0
        while mine < entries.count || theirs < other.entries.count {
            if theirs == other.entries.count || (mine < entries.count && entries[mine].key < other.entries[theirs].key) {
                merged.append(entries[mine])
                mine += 1
            } else if mine == entries.count || other.entries[theirs].key < entries[mine].key {
                merged.append(other.entries[theirs])
                theirs += 1
            } else {
                merged.append((entries[mine].key, entries[mine].value &+ other.entries[theirs].value))
                mine += 1
                theirs += 1
            }
        }
        entries = merged
        mergeEqualLabelsApart()
    }

    /// Takes `other`'s counts away (`--dedupe`), in one pass over both; labels left at 0 are removed.
    mutating func subtract(_ other: CategoryCounts) {
        if other.isEmpty { return }
        var negated = other
        for index in negated.entries.indices { negated.entries[index].value = 0 &- negated.entries[index].value }
        add(negated)
        entries.removeAll { $0.value == 0 }
    }

    /// How many labels two sorted tables have together.
    private static func mergedCount(_ left: [Element], _ right: [Element]) -> Int {
        var mine = 0, theirs = 0, count = 0
        while mine < left.count && theirs < right.count {
            if left[mine].key < right[theirs].key { mine += 1 } else if right[theirs].key < left[mine].key { theirs += 1 } else { mine += 1; theirs += 1 }
            count += 1
        }
        return count + (left.count - mine) + (right.count - theirs)
    }

    /// Gives back spare capacity (a table built label by label has up to twice its entries' room).
    mutating func shrinkToFit() {
        // The allocation may hold a label more than asked for: only more than that is worth a copy.
        guard entries.capacity > entries.count + 1 else { return }
        entries = Array(unsafeUninitializedCapacity: entries.count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: entries)
        }
    }

    /// Room for entries beyond the table's count (for tests of its compactness).
    static func spareCapacity(of counts: CategoryCounts) -> Int { counts.entries.capacity - counts.entries.count }

    public static func == (left: CategoryCounts, right: CategoryCounts) -> Bool {
        left.entries.elementsEqual(right.entries) { $0.key == $1.key && $0.value == $1.value }
    }
}
