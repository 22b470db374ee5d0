/// Counts of waits by whole second: exact percentiles, sums and threshold counts come from it, and it
/// merges by addition (so it can be stored per 15-minute cell and rolled up later).
///
/// Kept compact, since a report at a 15-minute grain over years holds hundreds of thousands of them:
/// the (seconds, count) pairs in ascending order of seconds, as the varints of `CellEncoding` (the
/// store keeps these very bytes), about two bytes a distinct wait, and nothing else: one reference,
/// eight bytes in a cell. Adding waits merges, in time linear in the histogram's size; waits known in
/// ascending order are built with a `Builder`. Zero counts are never kept.
public struct WaitHistogram: Sendable, Equatable {
    /// The encoded pairs: (seconds − previous seconds, count), zigzag varints, the first from 0.
    private(set) var bytes: [UInt8] = []

    public init() {}

    public init(counts: [Int64: Int64]) {
        var builder = Builder()
        for (seconds, count) in counts.sorted(by: { $0.key < $1.key }) { builder.append(seconds: seconds, count: count) }
        self = builder.histogram
    }

    /// A histogram whose encoded pairs are `bytes`, as `CellEncoding` checked them (minimal varints).
    init(encoded bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The histogram of checked pairs whose varints may be longer than needed, in minimal form.
    init(rebuilding encoded: UnsafeRawBufferPointer) {
        var builder = Builder()
        encoded.withMemoryRebound(to: UInt8.self) { bytes in
            var reader = Reader(bytes: bytes)
            var seconds: Int64 = 0
            while !reader.isAtEnd {
                seconds &+= reader.next()
                builder.append(seconds: seconds, count: reader.next())
            }
        }
        self = builder.histogram
    }

    /// The histogram of single waits, one element each, in ascending order with repeats side by side
    /// (the seconds are each element's low 32 bits): its bytes are counted first and reserved at once.
    init(sortedWaits waits: UnsafeBufferPointer<UInt64>) {
        guard !waits.isEmpty else { return }
        // Calls `body` with each distinct wait and its count.
        func forEachWait(_ body: (_ seconds: Int64, _ count: Int64) -> Void) {
            var index = 0
            while index < waits.count {
                let seconds = waits[index] & 0xFFFF_FFFF
                var end = index &+ 1
                while end < waits.count && waits[end] & 0xFFFF_FFFF == seconds { end &+= 1 }
                body(Int64(seconds), Int64(end &- index))
                index = end
            }
        }
        // Steps and counts are positive and below 2³³: their zigzag varints hold twice the value.
        func length(_ value: Int64) -> Int { value < 1 << 6 ? 1 : value < 1 << 13 ? 2 : value < 1 << 20 ? 3 : value < 1 << 27 ? 4 : 5 }
        var size = 0, previous: Int64 = 0
        forEachWait { seconds, count in
            size &+= length(seconds &- previous) &+ length(count)
            previous = seconds
        }
        // Reserved, not allocated uninitialized: Swift's `Array(unsafeUninitializedCapacity:)` looked up
        // the array's type metadata at every call, 700 instructions a histogram under `callgrind`.
        var builder = Builder()
        builder.reserveCapacity(size)
        forEachWait { builder.append(seconds: $0, count: $1) }
        self = builder.histogram
    }

    /// Builds a histogram from waits given in ascending order of seconds, in time linear in their number.
    struct Builder {
        private(set) var histogram = WaitHistogram()
        /// The largest seconds appended (`Int64.min` before the first).
        private var largest = Int64.min

        /// Appends `count` waits of `seconds`, which must be above every wait appended before.
        @inline(__always)
        mutating func append(seconds: Int64, count: Int64) {
            guard count != 0 else { return }
            precondition(seconds > largest, "waits appended in ascending order")
            CellEncoding.appendVarint(seconds &- (largest == .min ? 0 : largest), to: &histogram.bytes)
            CellEncoding.appendVarint(count, to: &histogram.bytes)
            largest = seconds
        }

        mutating func reserveCapacity(_ byteCount: Int) { histogram.bytes.reserveCapacity(byteCount) }
    }

    /// seconds → count (a dictionary built on each call: for tests and small histograms).
    public var counts: [Int64: Int64] {
        var result: [Int64: Int64] = [:]
        forEach { result[$0] = $1 }
        return result
    }

    public var isEmpty: Bool { bytes.isEmpty }

    /// Adds `count` waits of `seconds` (a merge: linear in the histogram's size).
    public mutating func add(seconds: Int64, count: Int64 = 1) {
        guard count != 0 else { return }
        var single = Builder()
        single.append(seconds: seconds, count: count)
        add(single.histogram)
    }

    public mutating func add(_ other: WaitHistogram) {
        if other.isEmpty { return }
        if isEmpty { self = other; return }
        self = Self.merged(self, other, sign: 1)
    }

    /// The sum of `histograms`, in time linear in their sizes (and the largest wait, when the waits
    /// are at most 2²⁰ s): a few are merged pair by pair, many are counted in one array by second.
    public init(summing histograms: some Collection<WaitHistogram>) {
        let nonEmpty = histograms.filter { !$0.isEmpty }
        guard nonEmpty.count > 4 else {
            for histogram in nonEmpty { add(histogram) }
            return
        }
        let largest = nonEmpty.compactMap(\.last).max() ?? 0
        let smallest = nonEmpty.compactMap(\.first).min() ?? 0
        var builder = Builder()
        defer { self = builder.histogram }
        if smallest >= 0 && largest < 1 << 20 {
            var counts = [Int64](repeating: 0, count: Int(largest) + 1)
            for histogram in nonEmpty { histogram.forEach { counts[Int($0)] &+= $1 } }
            for (seconds, count) in counts.enumerated() where count != 0 { builder.append(seconds: Int64(seconds), count: count) }
        } else {
            var entries: [(seconds: Int64, count: Int64)] = []
            for histogram in nonEmpty { histogram.forEach { entries.append(($0, $1)) } }
            entries.sort { $0.seconds < $1.seconds }
            var index = 0
            while index < entries.count {
                var total: Int64 = 0
                let seconds = entries[index].seconds
                while index < entries.count && entries[index].seconds == seconds { total &+= entries[index].count; index += 1 }
                builder.append(seconds: seconds, count: total)
            }
        }
    }

    /// The smallest seconds held.
    private var first: Int64? {
        var result: Int64?
        bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer)
            if !reader.isAtEnd { result = reader.next() }
        }
        return result
    }

    /// The largest seconds held (a pass over the bytes).
    private var last: Int64? {
        var result: Int64?
        forEach { seconds, _ in result = seconds }
        return result
    }

    /// Gives back spare capacity: a histogram built by appending has up to twice its bytes, and a
    /// 15-minute report over years holds half a million of them.
    mutating func shrinkToFit() {
        // An array's capacity is what its allocation holds, a few bytes over its count: only spare room
        // beyond that is worth a copy.
        guard bytes.capacity > bytes.count + 32 else { return }
        bytes = bytes.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: source.count) { target, initialized in
                initialized = target.initialize(fromContentsOf: source)
            }
        }
    }

    /// Takes `other`'s counts away (`--dedupe`).
    mutating func subtract(_ other: WaitHistogram) {
        if other.isEmpty { return }
        self = Self.merged(self, other, sign: -1)
    }

    /// The waits in ascending order with their counts.
    public var sortedEntries: [(seconds: Int64, count: Int64)] {
        var entries: [(seconds: Int64, count: Int64)] = []
        forEach { entries.append(($0, $1)) }
        return entries
    }

    /// Calls `body` with each (seconds, count) in ascending order of seconds.
    @inline(__always)
    public func forEach(_ body: (Int64, Int64) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer)
            var seconds: Int64 = 0
            while !reader.isAtEnd {
                seconds &+= reader.next()
                body(seconds, reader.next())
            }
        }
    }

    private static func merged(_ left: WaitHistogram, _ right: WaitHistogram, sign: Int64) -> WaitHistogram {
        var result = Builder()
        result.reserveCapacity(left.bytes.count + right.bytes.count)
        left.bytes.withUnsafeBufferPointer { leftBytes in
            right.bytes.withUnsafeBufferPointer { rightBytes in
                var a = Reader(bytes: leftBytes), b = Reader(bytes: rightBytes)
                var aSeconds: Int64 = 0, bSeconds: Int64 = 0
                var aCount: Int64?, bCount: Int64?
                func nextA() { if a.isAtEnd { aCount = nil } else { aSeconds &+= a.next(); aCount = a.next() } }
                func nextB() { if b.isAtEnd { bCount = nil } else { bSeconds &+= b.next(); bCount = b.next() &* sign } }
                nextA()
                nextB()
                while true {
                    switch (aCount, bCount) {
                    case (nil, nil):
                        return
                    case (let count?, nil):
                        result.append(seconds: aSeconds, count: count)
                        nextA()
                    case (nil, let count?):
                        result.append(seconds: bSeconds, count: count)
                        nextB()
                    case (let countA?, let countB?):
                        if aSeconds < bSeconds {
                            result.append(seconds: aSeconds, count: countA)
                            nextA()
                        } else if bSeconds < aSeconds {
                            result.append(seconds: bSeconds, count: countB)
                            nextB()
                        } else {
                            result.append(seconds: aSeconds, count: countA &+ countB)
                            nextA()
                            nextB()
                        }
                    }
                }
            }
        }
        return result.histogram
    }

    /// Reads the varints of well-formed bytes (what `append` wrote).
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        var isAtEnd: Bool { offset >= bytes.count }

        @inline(__always)
        mutating func next() -> Int64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
        }
    }
}

/// Sums many histograms into one as they come (a month of stored 15-minute cells): they are summed
/// 64 at a time (`WaitHistogram(summing:)`), not merged into the total one by one.
struct WaitHistogramSum {
    private var total = WaitHistogram()
    private var pending: [WaitHistogram] = []

    mutating func add(_ histogram: WaitHistogram) {
        guard !histogram.isEmpty else { return }
        // A cell with one stored histogram (every cell of a 15-minute report) needs no pending list.
        if total.isEmpty && pending.isEmpty { total = histogram; return }
        pending.append(histogram)
        if pending.count == 64 { settle() }
    }

    private mutating func settle() {
        pending.append(total)
        total = WaitHistogram(summing: pending)
        pending.removeAll(keepingCapacity: true)
    }

    mutating func finish() -> WaitHistogram {
        if !pending.isEmpty { settle() }
        return total
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

    /// The waits in ascending order of seconds with their counts.
    public var entries: [(seconds: Int64, count: Int64)] { sorted }

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
