/// The waits of the cell each channel's rows are in, held per channel until its rows move to another
/// cell, then appended to that cell's histograms in order of seconds (a cell met again later merges).
///
/// Logs are mostly in time order, so at a 15-minute grain a channel stays in a cell for a few dozen
/// waits. Those are listed as they come (`listCapacity` a channel: no hashing), sorted when the cell
/// closes and written as its histograms at their exact size (`WaitHistogram(sortedWaits:)`). A visit
/// with more waits (at a month grain, a month's) moves them to the channel's count table, whose distinct
/// waits are few beside its rows, and the table is sorted and merged at the close.
///
/// A merge is linear in the cell's histogram, so rows out of time order (an export sorted by id, or
/// the rows `--dedupe` takes out, which come in hash order) would merge into a month's thousands of
/// waits at almost every row: a shuffled 1M-row file took 26 times as long as the same rows in
/// order. So the waits of a cell that already has more than a few go to `pending`, and a batch of
/// those is sorted by cell and merged once per cell.
struct OpenWaits: ~Copyable {
    /// Waits listed for a channel's visit to a cell before its count table takes over.
    static let listCapacity = 64
    /// Each channel's list: `listCapacity` keys from `slot * listCapacity`.
    private var lists: UnsafeMutablePointer<UInt64>
    /// Keys in each channel's list; `listCapacity + 1` once they moved to its table.
    private var listed: UnsafeMutablePointer<Int>
    private var tables: UnsafeMutablePointer<CountTable>
    private var openCells: UnsafeMutablePointer<UnsafeMutablePointer<ContactCell>?>
    private var capacity = 0
    /// Sorted entries of the table being flushed (kept to reuse its memory).
    private var entries: [(key: UInt64, count: UInt64)] = []
    /// Waits on their way to cells whose histograms are larger than `directMergeBytes`.
    private var pending: [(cell: UnsafeMutablePointer<ContactCell>, key: UInt64, count: UInt64)] = []
    /// A cell whose two histograms take at most this many bytes is merged into at once (the merge is
    /// as cheap as sorting the waits into a batch).
    static let directMergeBytes = 64
    /// Waits held in `pending` before they are merged (24 bytes each).
    static let pendingLimit = 1 << 15
    /// Visits merged into cells so far.
    private(set) var merges = 0

    init() {
        lists = .allocate(capacity: 1)
        listed = .allocate(capacity: 1)
        tables = .allocate(capacity: 1)
        openCells = .allocate(capacity: 1)
    }

    deinit {
        tables.deinitialize(count: capacity)
        tables.deallocate()
        lists.deallocate()
        listed.deallocate()
        openCells.deallocate()
    }

    /// Counts a wait (`kind << 32 | seconds`, kind 1 for an abandon) of cell `cell`, channel `channel`.
    @inline(__always)
    mutating func add(_ key: UInt64, cell: UnsafeMutablePointer<ContactCell>, channel: Int32) {
        let slot = Int(channel)
        if slot >= capacity { grow(to: slot + 1) }
        if openCells[slot] != cell {
            flush(slot)
            openCells[slot] = cell
        }
        let count = listed[slot]
        if count < Self.listCapacity {
            lists[slot &* Self.listCapacity &+ count] = key
            listed[slot] = count &+ 1
            return
        }
        if count == Self.listCapacity {
            let list = lists + slot * Self.listCapacity
            for index in 0..<count { tables[slot].add(list[index]) }
            listed[slot] = count + 1
        }
        tables[slot].add(key)
    }

    /// Appends every open visit's waits, and every pending wait, to its cell; the cells may move afterwards.
    mutating func flushAll() {
        for slot in 0..<capacity {
            flush(slot)
            openCells[slot] = nil
        }
        mergePending()
    }

    private mutating func flush(_ slot: Int) {
        let count = listed[slot]
        guard let cell = openCells[slot], count > 0 else { return }
        listed[slot] = 0
        let list = lists + slot * Self.listCapacity
        let isListed = count <= Self.listCapacity
        if cell.pointee.answerWaits.bytes.count + cell.pointee.abandonWaits.bytes.count > Self.directMergeBytes {
            if isListed {
                // One entry a distinct wait: a wait a row filled the batch up to 64 times sooner, and each
                // batch rewrites every large cell it touches (rows out of order at a month grain: +42%).
                Self.sort(list, count: count)
                var index = 0
                while index < count {
                    var end = index + 1
                    while end < count && list[end] == list[index] { end += 1 }
                    pending.append((cell, list[index], UInt64(end - index)))
                    index = end
                }
            } else {
                tables[slot].forEach { pending.append((cell, $0, $1)) }
                tables[slot].removeAll()
            }
            if pending.count >= Self.pendingLimit { mergePending() }
            return
        }
        merges += 1
        if isListed {
            Self.sort(list, count: count)
            // Answers (kind 0) sort before abandons (kind 1).
            var answers = 0
            while answers < count && list[answers] >> 32 == 0 { answers += 1 }
            cell.pointee.answerWaits.add(WaitHistogram(sortedWaits: UnsafeBufferPointer(start: list, count: answers)))
            cell.pointee.abandonWaits.add(WaitHistogram(sortedWaits: UnsafeBufferPointer(start: list + answers, count: count - answers)))
            return
        }
        entries.removeAll(keepingCapacity: true)
        tables[slot].forEach { entries.append(($0, $1)) }
        tables[slot].removeAll()
        entries.sort { $0.key < $1.key }
        Self.merge(entries[...], into: cell)
    }

    /// Sorts a visit's few keys in place (an insertion sort: at most `listCapacity` of them, and a
    /// cell's waits in time order are already partly in order).
    @inline(__always)
    private static func sort(_ keys: UnsafeMutablePointer<UInt64>, count: Int) {
        var index = 1
        while index < count {
            let key = keys[index]
            var target = index
            while target > 0 && keys[target - 1] > key {
                keys[target] = keys[target - 1]
                target -= 1
            }
            keys[target] = key
            index += 1
        }
    }

    /// Merges the pending waits, sorted by cell and wait, once per cell.
    private mutating func mergePending() {
        guard !pending.isEmpty else { return }
        pending.sort { $0.cell != $1.cell ? $0.cell < $1.cell : $0.key < $1.key }
        var start = 0
        while start < pending.count {
            let cell = pending[start].cell
            entries.removeAll(keepingCapacity: true)
            var end = start
            while end < pending.count && pending[end].cell == cell {
                // The same wait from two visits of the cell: one entry.
                if let last = entries.last, last.key == pending[end].key {
                    entries[entries.count - 1].count += pending[end].count
                } else {
                    entries.append((pending[end].key, pending[end].count))
                }
                end += 1
            }
            Self.merge(entries[...], into: cell)
            merges += 1
            start = end
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Adds waits (`kind << 32 | seconds`, ascending, each once) to the cell's histograms.
    private static func merge(_ entries: ArraySlice<(key: UInt64, count: UInt64)>, into cell: UnsafeMutablePointer<ContactCell>) {
        var answer = WaitHistogram.Builder(), abandon = WaitHistogram.Builder()
        for (key, count) in entries {
            if key >> 32 == 0 {
                answer.append(seconds: Int64(key & 0xFFFF_FFFF), count: Int64(count))
            } else {
                abandon.append(seconds: Int64(key & 0xFFFF_FFFF), count: Int64(count))
            }
        }
        var answerWaits = answer.histogram, abandonWaits = abandon.histogram
        answerWaits.shrinkToFit()
        abandonWaits.shrinkToFit()
        cell.pointee.answerWaits.add(answerWaits)
        cell.pointee.abandonWaits.add(abandonWaits)
    }

    private mutating func grow(to count: Int) {
        let newCapacity = max(count, capacity * 2, 4)
        let newTables = UnsafeMutablePointer<CountTable>.allocate(capacity: newCapacity)
        newTables.moveInitialize(from: tables, count: capacity)
        for slot in capacity..<newCapacity { (newTables + slot).initialize(to: CountTable(initialCapacity: 64)) }
        tables.deallocate()
        tables = newTables
        let newLists = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity * Self.listCapacity)
        newLists.moveInitialize(from: lists, count: capacity * Self.listCapacity)
        lists.deallocate()
        lists = newLists
        let newListed = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        newListed.moveInitialize(from: listed, count: capacity)
        (newListed + capacity).initialize(repeating: 0, count: newCapacity - capacity)
        listed.deallocate()
        listed = newListed
        let newCells = UnsafeMutablePointer<UnsafeMutablePointer<ContactCell>?>.allocate(capacity: newCapacity)
        newCells.moveInitialize(from: openCells, count: capacity)
        (newCells + capacity).initialize(repeating: nil, count: newCapacity - capacity)
        openCells.deallocate()
        openCells = newCells
        capacity = newCapacity
    }
}
