#if canImport(Glibc)
import Glibc
#endif

/// One source's contact cells as `ingest` kept them (`CellSpill`): sorted runs in the scratch file,
/// read back merged in key order a cell at a time, so the store is written without the whole cube in
/// memory. The cells are exactly those of the cube the same run gives without a spill.
public final class SpilledContactCells: @unchecked Sendable {
    let spill: CellSpill
    let runs: [SpilledRun]
    /// Cells added at the end of the run (queue_log calls completed then), in memory.
    let added: ContactCells
    /// What `--dedupe` takes out again (`Cube.subtract`), in memory and in sorted runs of the spill:
    /// cells left with no rows are dropped.
    let removed: ContactCells
    let removedRuns: [SpilledRun]

    init(spill: CellSpill, runs: [SpilledRun], added: ContactCells = ContactCells(), removed: ContactCells = ContactCells(),
         removedRuns: [SpilledRun] = []) {
        self.spill = spill
        self.runs = runs.filter { $0.cellCount > 0 }
        self.added = added
        self.removed = removed
        self.removedRuns = removedRuns.filter { $0.cellCount > 0 }
    }

    /// Sorted runs the cells are in (a measure of how often the workers spilled).
    public var runCount: Int { runs.count }

    /// Passes every cell to `body` in ascending key order, cells of the same key in several runs added
    /// and what was removed from them taken out.
    /// - Throws: `InputError.scratchFailed` when the scratch file cannot be read, or what `body` throws.
    public func forEachCell(_ body: (CellKey, ContactCell) throws -> Void) throws {
        // Each run's reader holds a buffer: together about 8 MiB at most, however many runs.
        let bufferSize = min(256 << 10, max(4 << 10, (8 << 20) / max(1, runs.count + removedRuns.count)))
        var cursors: [CellCursor] = runs.map { SpilledRunCursor(scratch: spill.scratch, run: $0, bufferSize: bufferSize) }
        cursors.append(MemoryCellCursor(added))
        // Cursors from here on hold removed cells.
        let firstRemoved = cursors.count
        cursors += removedRuns.map { SpilledRunCursor(scratch: spill.scratch, run: $0, bufferSize: bufferSize) }
        cursors.append(MemoryCellCursor(removed))
        var heap = CursorHeap()
        for (index, cursor) in cursors.enumerated() {
            try cursor.advance()
            if cursor.key != nil { heap.push(index, cursors) }
        }
        while let first = heap.top {
            let key = cursors[first].key!
            var cell: ContactCell?, taken: ContactCell?
            while let top = heap.top, cursors[top].key == key {
                _ = heap.pop(cursors)
                if top < firstRemoved {
                    if cell == nil { cell = cursors[top].cell } else { cell!.add(cursors[top].cell) }
                } else {
                    if taken == nil { taken = cursors[top].cell } else { taken!.add(cursors[top].cell) }
                }
                try cursors[top].advance()
                if cursors[top].key != nil { heap.push(top, cursors) }
            }
            guard var cell else { continue }  // removed rows were added first: cannot happen
            if let taken {
                cell.counters.subtract(taken.counters)
                cell.answerWaits.subtract(taken.answerWaits)
                cell.abandonWaits.subtract(taken.abandonWaits)
                cell.categories.subtract(taken.categories)
                if cell.counters.received == 0 { continue }
            }
            try body(key, cell)
        }
    }
}

/// A source of cells in ascending key order: `key` is nil once it is spent.
private class CellCursor {
    var key: CellKey?
    var cell = ContactCell()
    func advance() throws {}
}

private final class MemoryCellCursor: CellCursor {
    private let cells: ContactCells
    private var next = 0

    init(_ cells: ContactCells) { self.cells = cells }

    override func advance() throws {
        guard next < cells.count else { key = nil; cell = ContactCell(); return }
        (key, cell) = (cells.keys[next], cells.values[next])
        next += 1
    }
}

/// Reads one spilled run's records (`SpillRecord`) through a buffer that is refilled from its pieces.
private final class SpilledRunCursor: CellCursor {
    private let scratch: ScratchFile
    private let run: SpilledRun
    private var piece = 0
    private var pieceOffset = 0
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0
    private var end = 0

    init(scratch: ScratchFile, run: SpilledRun, bufferSize: Int) {
        self.scratch = scratch
        self.run = run
        capacity = bufferSize
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    override func advance() throws {
        guard try fill(4) else { key = nil; cell = ContactCell(); return }
        let length = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
        start += 4
        guard try fill(length) else { throw corrupt() }
        var reader = RecordReader(base: buffer + start, end: length)
        start += length
        guard let period = reader.u64(), let channel = reader.text() else { throw corrupt() }
        var cell = ContactCell()
        guard reader.copy(into: &cell.counters),
              let answers = reader.field(), let abandons = reader.field(), let categoryCount = reader.u32() else { throw corrupt() }
        cell.answerWaits = WaitHistogram(encoded: answers)
        cell.abandonWaits = WaitHistogram(encoded: abandons)
        var categories: [(key: String, value: Int64)] = []
        categories.reserveCapacity(Int(categoryCount))
        for _ in 0..<categoryCount {
            guard let label = reader.text(), let count = reader.u64() else { throw corrupt() }
            categories.append((label, Int64(bitPattern: count)))
        }
        cell.categories = CategoryCounts(ordered: categories)  // written from a table: in its order, each label once
        key = CellKey(period: Int64(bitPattern: period), channel: channel)
        self.cell = cell
    }

    /// Makes `count` bytes from `start` available; false when the run ends before any of them.
    private func fill(_ count: Int) throws -> Bool {
        if end - start >= count { return true }
        if start > 0 {
            (buffer).copyMemory(from: buffer + start, byteCount: end - start)
            end -= start
            start = 0
        }
        if count > capacity {
            let larger = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 16)
            larger.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = larger
            capacity = count
        }
        while end < count {
            guard piece < run.pieces.count else {
                if end == 0 { return false }
                throw corrupt()
            }
            let (offset, byteCount) = run.pieces[piece]
            let take = min(capacity - end, byteCount - pieceOffset)
            try scratch.read(into: buffer + end, count: take, at: offset + Int64(pieceOffset))
            end += take
            pieceOffset += take
            if pieceOffset == byteCount { piece += 1; pieceOffset = 0 }
        }
        return true
    }

    private func corrupt() -> InputError {
        .scratchFailed(directory: scratch.directory, reason: "a spilled run of cells reads back damaged", contents: scratch.contents)
    }
}

/// Fields of one record, bounds-checked.
private struct RecordReader {
    let base: UnsafeMutableRawPointer
    let end: Int
    var position = 0

    init(base: UnsafeMutableRawPointer, end: Int) {
        self.base = base
        self.end = end
    }

    mutating func u32() -> UInt32? {
        guard end - position >= 4 else { return nil }
        defer { position += 4 }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    }

    mutating func u64() -> UInt64? {
        guard end - position >= 8 else { return nil }
        defer { position += 8 }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    mutating func field() -> [UInt8]? {
        guard let count = u32().map(Int.init), end - position >= count else { return nil }
        defer { position += count }
        return Array(UnsafeRawBufferPointer(start: base + position, count: count))
    }

    mutating func text() -> String? {
        guard let count = u32().map(Int.init), end - position >= count else { return nil }
        defer { position += count }
        return String(decoding: UnsafeRawBufferPointer(start: base + position, count: count), as: UTF8.self)
    }

    mutating func copy(into counters: inout ContactCounters) -> Bool {
        let size = SpillRecord.countersSize
        guard end - position >= size else { return false }
        withUnsafeMutableBytes(of: &counters) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base + position, count: size)) }
        position += size
        return true
    }
}

/// A binary min-heap of cursor indexes, ordered by their cursors' current keys.
private struct CursorHeap {
    private var items: [Int] = []

    var top: Int? { items.first }

    mutating func push(_ index: Int, _ cursors: [CellCursor]) {
        items.append(index)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard cursors[items[child]].key! < cursors[items[parent]].key! else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop(_ cursors: [CellCursor]) -> Int? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if items.isEmpty { return first }
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && cursors[items[left]].key! < cursors[items[smallest]].key! { smallest = left }
            if right < items.count && cursors[items[right]].key! < cursors[items[smallest]].key! { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
