/// Counts of waits by whole second: exact percentiles, sums and threshold counts come from it, and it
/// merges by addition (so it can be stored per 15-minute cell and rolled up later).
public struct WaitHistogram: Sendable, Equatable {
    /// seconds → count; zero counts are never stored.
    public private(set) var counts: [Int64: Int64] = [:]

    public init() {}

    public init(counts: [Int64: Int64]) {
        self.counts = counts.filter { $0.value != 0 }
    }

    public mutating func add(seconds: Int64, count: Int64 = 1) {
        let updated = counts[seconds, default: 0] &+ count
        counts[seconds] = updated == 0 ? nil : updated
    }

    public mutating func add(_ other: WaitHistogram) {
        for (seconds, count) in other.counts { add(seconds: seconds, count: count) }
    }

    public var isEmpty: Bool { counts.isEmpty }

    /// The waits in ascending order with their counts.
    public var sortedEntries: [(seconds: Int64, count: Int64)] {
        counts.sorted { $0.key < $1.key }.map { (seconds: $0.key, count: $0.value) }
    }
}

/// Summary statistics of a histogram, computed once per cell for rendering.
public struct WaitSummary: Sendable, Equatable {
    public var count: Int64 = 0
    public var sum: Int64 = 0
    /// Σ wait², exact in 128 bits.
    public var sumOfSquares: UInt128 = 0
    public var maximum: Int64?
    private var sorted: [(seconds: Int64, count: Int64)] = []

    public init(_ histogram: WaitHistogram) {
        sorted = histogram.sortedEntries
        for entry in sorted {
            count &+= entry.count
            sum &+= entry.seconds &* entry.count
            sumOfSquares &+= UInt128(entry.seconds) * UInt128(entry.seconds) * UInt128(entry.count)
        }
        maximum = sorted.last?.seconds
    }

    public static func == (lhs: WaitSummary, rhs: WaitSummary) -> Bool {
        lhs.count == rhs.count && lhs.sum == rhs.sum && lhs.sumOfSquares == rhs.sumOfSquares
            && lhs.sorted.elementsEqual(rhs.sorted, by: { $0 == $1 })
    }

    public var mean: Double? { count > 0 ? Double(sum) / Double(count) : nil }

    /// Sample variance (n − 1), or nil with fewer than two values.
    public var variance: Double? {
        guard count > 1 else { return nil }
        let n = Double(count), mean = Double(sum) / Double(count)
        return max(0, (Double(sumOfSquares) - n * mean * mean) / (n - 1))
    }

    /// Nearest-rank percentile: the ⌈q·n⌉-th smallest wait (q in 0...1), exact to the second.
    public func percentile(_ quantile: Double) -> Int64? {
        guard count > 0 else { return nil }
        // ⌈q·n⌉ computed on integers where q is given in hundredths, to avoid 0.9 * 10 = 9.000000000000002.
        let hundredths = Int64((quantile * 100).rounded())
        let rank = max(1, (hundredths * count + 99) / 100)
        var seen: Int64 = 0
        for entry in sorted {
            seen += entry.count
            if seen >= rank { return entry.seconds }
        }
        return sorted.last?.seconds
    }

    /// How many waits are ≤ `seconds`.
    public func count(atMost seconds: Int64) -> Int64 {
        var total: Int64 = 0
        for entry in sorted {
            if entry.seconds > seconds { break }
            total += entry.count
        }
        return total
    }

    /// How many waits are < `seconds`.
    public func count(below seconds: Int64) -> Int64 { count(atMost: seconds - 1) }
}
