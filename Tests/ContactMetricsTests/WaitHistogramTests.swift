import Testing
@testable import ContactMetrics

/// The compact histogram against a plain dictionary of counts: adds in any order, merges and
/// subtractions give the same counts, equal contents give equal values, and the bytes are the store's
/// encoding (so a histogram read back from the store equals the one written).
struct WaitHistogramTests {
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func agreesWithADictionary(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var histogram = WaitHistogram(), other = WaitHistogram()
        var reference: [Int64: Int64] = [:], otherReference: [Int64: Int64] = [:]
        for _ in 0..<2000 {
            let seconds = Int64(random.next() % (random.unit() < 0.5 ? 40 : 90_000))
            let count = Int64(random.next() % 3) + 1
            if random.unit() < 0.7 {
                histogram.add(seconds: seconds, count: count)
                reference[seconds, default: 0] += count
            } else {
                other.add(seconds: seconds, count: count)
                otherReference[seconds, default: 0] += count
            }
        }
        #expect(histogram.counts == reference && other.counts == otherReference)
        #expect(histogram.sortedEntries.map(\.seconds) == reference.keys.sorted())
        var merged = histogram
        merged.add(other)
        #expect(merged.counts == reference.merging(otherReference, uniquingKeysWith: +))
        merged.subtract(other)
        #expect(merged == histogram, "subtracting what was added gives the same value, zero counts dropped")
        #expect(WaitHistogram(counts: reference) == histogram)
        let bytes = CellEncoding.encode(histogram)
        var decoded = WaitHistogram()
        var totals = StoreTotals()
        #expect(throws: Never.self) {
            try bytes.withUnsafeBytes { try CellEncoding.decode($0, into: &decoded, totals: &totals, total: 0) }
        }
        #expect(decoded == histogram)
    }

    /// A histogram written from a sorted list of single waits (a cell's visit, `OpenWaits`) has the
    /// bytes of one built a wait at a time: steps and counts of every varint length from one byte to
    /// five, and the kind in the high bits ignored.
    @Test(arguments: [UInt64(1), 2, 3])
    func sortedWaitsGiveTheBuiltBytes(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let limit: UInt64 = [40, 9_000, 2_000_000, 300_000_000, 1 << 32][Int(random.next() % 5)]
            var waits: [UInt64] = []
            for _ in 0..<Int(random.next() % 40) {
                let seconds = random.next() % limit
                let repeats = random.next() % 8 == 0 ? Int(random.next() % 9_000) : 1  // counts past one byte
                waits += Array(repeating: 1 << 32 | seconds, count: repeats)
            }
            waits.sort()
            let expected = WaitHistogram(counts: waits.reduce(into: [:]) { $0[Int64($1 & 0xFFFF_FFFF), default: 0] += 1 })
            let written = waits.withUnsafeBufferPointer { WaitHistogram(sortedWaits: $0) }
            #expect(written == expected)
            #expect(written.bytes.capacity - written.bytes.count < 32, "no spare room to keep")
        }
    }

    /// Summing many histograms at once (the dense path, and the sorted path for waits beyond its
    /// range) equals adding them one by one.
    @Test(arguments: [Int64(600), 5_000_000])
    func summingManyEqualsAddingOneByOne(range: Int64) {
        var random = SplitMix64(seed: UInt64(range))
        var parts: [WaitHistogram] = []
        var expected = WaitHistogram()
        for _ in 0..<50 {
            var part = WaitHistogram()
            for _ in 0..<Int(random.next() % 30) { part.add(seconds: Int64(random.next() % UInt64(range)), count: Int64(random.next() % 4) + 1) }
            parts.append(part)
            expected.add(part)
        }
        #expect(WaitHistogram(summing: parts) == expected)
        #expect(WaitHistogram(summing: parts.prefix(3)) == parts.prefix(3).reduce(into: WaitHistogram()) { $0.add($1) })
    }

    @Test func zeroCountsVanishAndNegativeOnesStay() {
        var histogram = WaitHistogram()
        histogram.add(seconds: 5, count: 2)
        histogram.add(seconds: 5, count: -2)
        #expect(histogram.isEmpty && histogram == WaitHistogram())
        histogram.add(seconds: 7, count: -1)
        histogram.add(seconds: 3)
        #expect(histogram.counts == [3: 1, 7: -1])
    }
}
