/// One worker's id occurrences, on their way to `DuplicateFinder` (DESIGN §5, duplicate ids).
///
/// Each id first meets a small cache of the ids this worker recorded last: a hit is a repeat the
/// worker can settle at once (it read the earlier occurrence itself, and a worker takes blocks in
/// input order), which keeps a file of one row repeated a million times from costing a million
/// records. Otherwise the occurrence is appended to one of `bucketCount` buckets chosen by its code;
/// a bucket's full chunk is kept in memory while the worker is within its budget and appended to the
/// run's `ScratchFile` after that. So memory stays within the budget whatever the number of ids, and
/// the finder can take one bucket at a time, on every core.
struct IdLog: ~Copyable {
    static let bucketCount = 256
    static let recentCount = 4096

    let recordSize: Int
    let chunkBytes: Int
    private let recordsPerChunk: Int32
    private let buffers: UnsafeMutableRawPointer
    private let fill: UnsafeMutablePointer<Int32>
    private let recent: UnsafeMutablePointer<IdCode>
    private var chunks: [[IdChunk]]
    private var keptBytes = 0
    private let keptBudget: Int
    private let scratch: ScratchFile
    private let mixing: IdMixing
    /// Whether a repeat this worker recorded before is settled at once (the later is the duplicate); not when
    /// the latest updated occurrence is kept (`RemovableRow.updatedAt`), which the finder judges.
    private let settlesRepeats: Bool
    /// Set when the scratch file could not be written: the run must stop.
    private(set) var failure: InputError?

    /// - Parameters:
    ///   - recordSize: `IdRecord.codeOnlySize`, or `withRowSize` for `--dedupe`.
    ///   - budget: this worker's share of the memory budget for ids (its buffers included).
    init(recordSize: Int, budget: Int, scratch: ScratchFile, mixing: IdMixing, settlesRepeats: Bool = true) {
        self.settlesRepeats = settlesRepeats
        self.recordSize = recordSize
        // A chunk per bucket in the buffers, as many again kept: chunks of up to 16 KiB (of four
        // records under a tiny budget: tests, which want chunks to spill).
        chunkBytes = min(16 << 10, max(4 * recordSize, budget / (2 * Self.bucketCount))) / recordSize * recordSize
        recordsPerChunk = Int32(chunkBytes / recordSize)
        keptBudget = max(0, budget - chunkBytes * Self.bucketCount)
        buffers = .allocate(byteCount: chunkBytes * Self.bucketCount, alignment: 16)
        fill = .allocate(capacity: Self.bucketCount)
        fill.initialize(repeating: 0, count: Self.bucketCount)
        recent = .allocate(capacity: Self.recentCount)
        recent.initialize(repeating: IdCode(high: 0, low: 0), count: Self.recentCount)
        chunks = Array(repeating: [], count: Self.bucketCount)
        self.scratch = scratch
        self.mixing = mixing
    }

    deinit {
        buffers.deallocate()
        fill.deallocate()
        recent.deallocate()
    }

    /// Records one occurrence of `code`; returns false, recording nothing, when this worker recorded
    /// the same code before (the occurrence repeats an earlier one).
    @inline(__always)
    mutating func record(_ code: IdCode, position: UInt64, row: RemovableRow) -> Bool {
        let mixed = mixing.mix(code)
        let slot = Int(truncatingIfNeeded: mixed) & (Self.recentCount - 1)
        if recent[slot] == code && settlesRepeats { return false }
        recent[slot] = code
        let bucket = Int(truncatingIfNeeded: mixed >> 56)
        let count = fill[bucket]
        IdRecord.store(code: code, position: position, row: row, size: recordSize,
                       at: buffers + bucket * chunkBytes + Int(count) * recordSize)
        fill[bucket] = count + 1
        if count + 1 == recordsPerChunk { flush(bucket) }
        return true
    }

    /// Moves bucket `bucket`'s full buffer to a kept chunk, or to the scratch file past the budget.
    private mutating func flush(_ bucket: Int) {
        let bytes = UnsafeRawBufferPointer(start: buffers + bucket * chunkBytes, count: Int(fill[bucket]) * recordSize)
        fill[bucket] = 0
        if keptBytes + bytes.count <= keptBudget {
            keptBytes += bytes.count
            chunks[bucket].append(.memory(IdChunkMemory(copying: bytes), records: bytes.count / recordSize))
            return
        }
        guard failure == nil else { return }
        do {
            let offset = try scratch.append(bytes)
            chunks[bucket].append(.file(offset: offset, records: bytes.count / recordSize))
        } catch {
            failure = error
        }
    }

    /// Everything recorded, for the finder (the log's memory moves with it).
    consuming func finish() -> IdLogContents {
        var buckets: [[IdChunk]] = chunks
        chunks = Array(repeating: [], count: Self.bucketCount)
        for bucket in 0..<Self.bucketCount where fill[bucket] > 0 {
            let bytes = UnsafeRawBufferPointer(start: buffers + bucket * chunkBytes, count: Int(fill[bucket]) * recordSize)
            buckets[bucket].append(.memory(IdChunkMemory(copying: bytes), records: Int(fill[bucket])))
        }
        return IdLogContents(buckets: buckets, recordSize: recordSize, chunkBytes: chunkBytes)
    }
}

/// A run of records of one bucket: in memory, or in the scratch file.
enum IdChunk: Sendable {
    case memory(IdChunkMemory, records: Int)
    case file(offset: Int64, records: Int)

    var records: Int {
        switch self {
        case .memory(_, let records), .file(_, let records): return records
        }
    }
}

/// A chunk's records in memory, freed with the last reference to it.
final class IdChunkMemory: @unchecked Sendable {
    let bytes: UnsafeMutableRawPointer

    init(copying source: UnsafeRawBufferPointer) {
        bytes = .allocate(byteCount: max(1, source.count), alignment: 16)
        bytes.copyMemory(from: source.baseAddress!, byteCount: source.count)
    }

    deinit { bytes.deallocate() }
}

/// A finished `IdLog`: its chunks by bucket.
final class IdLogContents: @unchecked Sendable {
    let buckets: [[IdChunk]]
    let recordSize: Int
    let chunkBytes: Int

    init(buckets: [[IdChunk]], recordSize: Int, chunkBytes: Int) {
        self.buckets = buckets
        self.recordSize = recordSize
        self.chunkBytes = chunkBytes
    }
}

/// How codes are spread over buckets and table slots. Tests choose `.crowded`, which sends every
/// code to a few buckets and slots, to check that crowding changes nothing but the time.
enum IdMixing: Sendable {
    case spread
    case crowded

    @inline(__always)
    func mix(_ code: IdCode) -> UInt64 {
        switch self {
        case .spread: return code.mixed
        case .crowded: return (code.mixed & 3) << 56 | (code.mixed & 3)
        }
    }
}
