/// A bottom-k sketch of a source's contact (incident) ids: the `size` smallest 64-bit hashes of its distinct ids,
/// each with its row's arrival (raised) time, UTC seconds. Two sketches estimate how many ids two sources share
/// without keeping the ids (the store holds no row data): of the `size` smallest hashes of both together, the
/// fraction found in both estimates their Jaccard similarity (Broder's bottom-k estimator; about ±3 points at
/// `size` 256 for a similarity near 0.5). A source of fewer than `size` distinct ids is held whole, and compared
/// exactly.
///
/// The store keeps one per source (schema 6), so that a corrected export under its night's name is told from the
/// next night's by its ids, not by its cells alone (a correction whose times moved by an hour shares no cell with
/// the night it corrects: a review's was counted twice), and so that two sources holding the same contacts are
/// found when their cells cannot tell (an overlapping hour of one or two calls a cell). For the second, an id must
/// come with the same arrival, to the second: two systems that both number their calls 1, 2, 3… share ids, not
/// contacts (within a minute, two generated exports of the same pace matched 65 of 4,000 by chance).
public struct IdSketch: Sendable, Equatable {
    /// The hashes kept: at most `size` of the smallest, ascending, distinct.
    public private(set) var hashes: [UInt64]
    /// The arrival (raised) time of each hash's row, UTC seconds (the earliest, for an id on several rows).
    public private(set) var times: [Int64]

    /// How many hashes a sketch keeps (4 KiB stored: with 1,024 in each source's row, the second diff review's store of
    /// 2,920 nights of about a thousand calls was 67 MB against 36 MB without sketches).

    public static let size = 256
    public init(entries: [(hash: UInt64, time: Int64)] = []) {
        (hashes, times) = Self.bottom(entries)
    }

    private init(ascending hashes: [UInt64], times: [Int64]) {
        self.hashes = hashes
        self.times = times
    }

    public var isEmpty: Bool { hashes.isEmpty }

    /// Whether the sketch holds every distinct id of its source (fewer than `size`), so that counts are exact.
    public var isWhole: Bool { hashes.count < Self.size }

    /// The distinct ids of the source: exact when whole, else estimated from the `size`-th smallest hash.
    public var distinctIds: Double {
        guard !isWhole, let largest = hashes.last else { return Double(hashes.count) }
        return Double(Self.size - 1) / (Double(largest) / 0x1p64)
    }

    /// The ids `self` and `other` share, estimated (exact when both are whole); with `sameArrival`, only those whose
    /// rows arrived at the same second (the same contacts).
    public func sharedIds(with other: IdSketch, sameArrival: Bool = false) -> Double {
        guard let sample = sample(with: other, sameArrival: sameArrival) else { return 0 }
        if isWhole && other.isWhole { return Double(sample.both) }
        // Jaccard over the union's sketch, times the union's size (estimated from its own `size`-th hash).
        let union = sample.hashes
        let unionSize = union.count < Self.size ? Double(union.count) : Double(Self.size - 1) / (Double(union[union.count - 1]) / 0x1p64)
        return Double(sample.both) / Double(union.count) * unionSize
    }

    /// The ids both sources hold over the ids either holds (their Jaccard similarity): exact when both are whole,
    /// else the share of the union's `size` smallest hashes that both hold (0 when either has none).
    public func jaccard(with other: IdSketch) -> Double {
        guard let sample = sample(with: other, sameArrival: false) else { return 0 }
        return Double(sample.both) / Double(sample.hashes.count)
    }

    /// The hashes the two sketches are compared over, ascending, and how many of them both hold (at the same second,
    /// with `sameArrival`): every hash of either when both are whole (of the union's `size` smallest alone, 430 of 600
    /// shared ids were found: the diff review), else the union's `size` smallest. Nil when either is empty.
    private func sample(with other: IdSketch, sameArrival: Bool) -> (hashes: [UInt64], both: Int)? {
        guard !isEmpty && !other.isEmpty else { return nil }
        let union = isWhole && other.isWhole ? Set(hashes).union(other.hashes).sorted() : Self.bottom(entries + other.entries).hashes
        let mine = Dictionary(uniqueKeysWithValues: zip(hashes, times)), theirs = Dictionary(uniqueKeysWithValues: zip(other.hashes, other.times))
        let both = union.filter { hash in
            guard let time = mine[hash], let otherTime = theirs[hash] else { return false }
            return !sameArrival || time == otherTime
        }.count
        return (union, both)
    }

    /// For the hashes both sketches hold, how much later `self`'s row arrived than `other`'s, in seconds.
    public func arrivalShifts(from other: IdSketch) -> [Int64] {
        let theirs = Dictionary(uniqueKeysWithValues: zip(other.hashes, other.times))
        return zip(hashes, times).compactMap { hash, time in theirs[hash].map { time &- $0 } }
    }

    /// The sketch of two sources' ids together.
    public func merged(with other: IdSketch) -> IdSketch { IdSketch(entries: entries + other.entries) }

    var entries: [(hash: UInt64, time: Int64)] { zip(hashes, times).map { ($0, $1) } }

    /// The hashes and times as stored (little-endian, 8 bytes each, a hash then its time).
    public var encoded: [UInt8] {
        zip(hashes, times).flatMap { hash, time in
            (0..<8).map { UInt8(truncatingIfNeeded: hash >> ($0 * 8)) } + (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: time) >> ($0 * 8)) }
        }
    }

    /// A stored sketch; nil when the bytes are not one (a damaged or crafted store: compared as no sketch).
    public init?(encoded bytes: UnsafeRawBufferPointer) {
        guard bytes.count % 16 == 0, bytes.count / 16 <= Self.size else { return nil }
        let count = bytes.count / 16
        var hashes = [UInt64](repeating: 0, count: count), times = [Int64](repeating: 0, count: count)
        for index in 0..<count {
            hashes[index] = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 16, as: UInt64.self))
            times[index] = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 16 + 8, as: Int64.self))
        }
        // As stored (ascending, distinct); a crafted one is put in order (a store of thousands of nights read each sketch
        // once per pair of nights, sorted: the second diff review's `report --store` took 12 times as long).
        if zip(hashes, hashes.dropFirst()).allSatisfy({ $0 < $1 }) {
            self.init(ascending: hashes, times: times)
        } else {
            self.init(entries: zip(hashes, times).map { ($0, $1) })
        }
    }

    /// The `size` smallest distinct hashes, ascending, each with the earliest time it came with.
    static func bottom(_ entries: [(hash: UInt64, time: Int64)]) -> (hashes: [UInt64], times: [Int64]) {
        var hashes: [UInt64] = [], times: [Int64] = []
        for entry in entries.sorted(by: { ($0.hash, $0.time) < ($1.hash, $1.time) }) where hashes.last != entry.hash {
            if hashes.count == size { break }
            hashes.append(entry.hash)
            times.append(entry.time)
        }
        return (hashes, times)
    }

    /// The hash of an id's code: the low word spread (SplitMix64's finaliser, a bijection), the high word folded in, and
    /// spread again (codes of short and numeric ids are the ids' bytes, not yet spread). Folding the two words together
    /// before spreading (tried) gave 2 collisions among 300 ids like `agent-12`. Stored in the store: it must not change.
    @inline(__always)
    static func hash(_ code: IdCode) -> UInt64 {
        spread(spread(code.low) ^ code.high)
    }

    @inline(__always)
    private static func spread(_ word: UInt64) -> UInt64 {
        var value = word &+ 0x9E37_79B9_7F4A_7C15
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// A worker's `IdSketch` as it reads. Until it has seen twice `size` distinct ids it keeps each id's earliest time by
/// hash (a file of a few hundred ids repeated over millions of rows sorted its buffer every thousand rows: 1.2× the
/// run's CPU, the diff review); then a hash below the largest kept is appended, and the buffer cut back to the `size`
/// smallest when it holds twice as many. Most rows then cost one compare.
struct IdSketchBuilder {
    private var few: [UInt64: Int64] = [:]
    private var buffer: [(hash: UInt64, time: Int64)] = []
    private var threshold = UInt64.max
    private var hasMany = false

    @inline(__always)
    mutating func add(_ code: IdCode, time: Int64) {
        let hash = IdSketch.hash(code)
        if hasMany {
            if hash <= threshold { append(hash, time) }  // equal: the same id, perhaps at an earlier time
        } else {
            addFew(hash, time)
        }
    }

    @inline(never)
    private mutating func addFew(_ hash: UInt64, _ time: Int64) {
        if let known = few[hash] {
            if time < known { few[hash] = time }
            return
        }
        few[hash] = time
        if few.count >= 2 * IdSketch.size {
            hasMany = true
            buffer = few.map { ($0.key, $0.value) }
            few = [:]
            compact()
        }
    }

    @inline(never)
    private mutating func append(_ hash: UInt64, _ time: Int64) {
        buffer.append((hash, time))
        if buffer.count >= 2 * IdSketch.size { compact() }
    }

    private mutating func compact() {
        let (hashes, times) = IdSketch.bottom(buffer)
        buffer = zip(hashes, times).map { ($0, $1) }
        if hashes.count == IdSketch.size, let largest = hashes.last { threshold = largest }
    }

    var sketch: IdSketch { IdSketch(entries: hasMany ? buffer : few.map { ($0.key, $0.value) }) }
}
