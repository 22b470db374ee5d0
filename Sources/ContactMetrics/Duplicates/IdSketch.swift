/// A bottom-k sketch of a source's contact (incident) ids: the `size` smallest 64-bit hashes of its distinct
/// ids. Two sketches estimate how many ids two sources share without keeping the ids (the store holds no row
/// data): of the `size` smallest hashes of both together, the fraction found in both estimates their Jaccard
/// similarity (Broder's bottom-k estimator; about ±1.5 points at `size` 1,024 for a similarity near 0.5).
/// A source of at most `size` distinct ids is held whole, and compared exactly.
///
/// The store keeps one per source (schema 6), so that a corrected export under its night's name is told from
/// the next night's by its ids, not by its cells alone: a correction whose times moved by an hour shares no
/// cell with the night it corrects (a review's corrected night was counted twice).
public struct IdSketch: Sendable, Equatable {
    /// The hashes kept: at most `size` of the smallest, ascending, distinct.
    public private(set) var hashes: [UInt64]

    /// How many hashes a sketch keeps (8 KiB stored).
    public static let size = 1024

    public init(hashes: [UInt64] = []) {
        self.hashes = Self.bottom(hashes)
    }

    public var isEmpty: Bool { hashes.isEmpty }

    /// Whether the sketch holds every distinct id of its source (fewer than `size`), so that counts are exact.
    public var isWhole: Bool { hashes.count < Self.size }

    /// The distinct ids of the source: exact when whole, else estimated from the `size`-th smallest hash.
    public var distinctIds: Double {
        guard !isWhole, let largest = hashes.last else { return Double(hashes.count) }
        return Double(Self.size - 1) / (Double(largest) / 0x1p64)
    }

    /// The ids `self` and `other` share, estimated (exact when both are whole).
    public func sharedIds(with other: IdSketch) -> Double {
        guard !isEmpty && !other.isEmpty else { return 0 }
        let union = Self.bottom(hashes + other.hashes)
        let mine = Set(hashes), theirs = Set(other.hashes)
        let both = union.filter { mine.contains($0) && theirs.contains($0) }.count
        if isWhole && other.isWhole { return Double(both) }
        // Jaccard over the union's sketch, times the union's size (estimated from its own `size`-th hash).
        let unionSize = union.count < Self.size ? Double(union.count) : Double(Self.size - 1) / (Double(union[union.count - 1]) / 0x1p64)
        return Double(both) / Double(union.count) * unionSize
    }

    /// The share of the smaller source's ids that the other holds too (0 when either has none).
    public func containment(with other: IdSketch) -> Double {
        let smaller = min(distinctIds, other.distinctIds)
        return smaller > 0 ? min(1, sharedIds(with: other) / smaller) : 0
    }

    /// The sketch of two sources' ids together.
    public func merged(with other: IdSketch) -> IdSketch { IdSketch(hashes: hashes + other.hashes) }

    /// The hashes as stored (little-endian, 8 bytes each).
    public var encoded: [UInt8] {
        hashes.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
    }

    /// A stored sketch; nil when the bytes are not one (a damaged or crafted store: compared as no sketch).
    public init?(encoded bytes: [UInt8]) {
        guard bytes.count % 8 == 0, bytes.count / 8 <= Self.size else { return nil }
        let values = stride(from: 0, to: bytes.count, by: 8).map { start in
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[start + $1]) << ($1 * 8) }
        }
        hashes = Self.bottom(values)
    }

    static func bottom(_ values: [UInt64]) -> [UInt64] {
        var sorted = values.sorted()
        var kept = 0
        for value in sorted where kept == 0 || sorted[kept - 1] != value {
            if kept == size { break }
            sorted[kept] = value
            kept += 1
        }
        return Array(sorted.prefix(kept))
    }

    /// The hash of an id's code (a 64-bit finaliser of both words: codes of short and numeric ids are the ids'
    /// bytes, not yet spread).
    @inline(__always)
    static func hash(_ code: IdCode) -> UInt64 {
        var value = code.high ^ (code.low &* 0x9E37_79B9_7F4A_7C15)
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// A worker's `IdSketch` as it reads: a hash below the largest kept is appended, and the buffer cut back to the
/// `size` smallest when it holds twice as many. Most rows cost one compare once the threshold has fallen.
struct IdSketchBuilder {
    private var buffer: [UInt64] = []
    private var threshold = UInt64.max

    @inline(__always)
    mutating func add(_ code: IdCode) {
        let hash = IdSketch.hash(code)
        if hash < threshold { append(hash) }
    }

    @inline(never)
    private mutating func append(_ hash: UInt64) {
        buffer.append(hash)
        if buffer.count >= 2 * IdSketch.size {
            buffer = IdSketch.bottom(buffer)
            if buffer.count == IdSketch.size, let largest = buffer.last { threshold = largest }
        }
    }

    var sketch: IdSketch { IdSketch(hashes: buffer) }
}
