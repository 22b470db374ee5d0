import Foundation
import Testing
@testable import ContactMetrics

/// The sketch of a source's ids (`IdSketch`) that the store compares nights by.
@Suite struct IdSketchTests {
    static func codes(_ ids: some Sequence<String>) -> [IdCode] {
        ids.map { id in Array(id.utf8).withUnsafeBytes { IdCode($0, kind: .contact) } }
    }

    /// The ids' sketch, each id arriving at `time` (UTC seconds).
    static func sketch(_ ids: some Sequence<String>, time: Int64 = 1_554_103_200) -> IdSketch {
        var builder = IdSketchBuilder()
        for code in codes(ids) { builder.add(code, time: time) }
        return builder.sketch
    }

    @Test func aSmallSourceIsHeldWholeAndComparedExactly() {
        let night = Self.sketch((0..<600).map { "CL-\($0)" } + ["CL-1", "CL-2"])  // repeats count once
        let correction = Self.sketch((100..<700).map { "CL-\($0)" })
        #expect(night.isWhole && night.distinctIds == 600)
        #expect(night.sharedIds(with: correction) == 500)
        #expect(night.containment(with: correction) == 500.0 / 600)
        #expect(night.sharedIds(with: Self.sketch(["other"])) == 0)
        #expect(night.containment(with: IdSketch()) == 0)
        // The same ids at other times are the same ids, not the same contacts; at the same second they are both.
        let later = Self.sketch((100..<700).map { "CL-\($0)" }, time: 1_554_103_201)
        #expect(night.sharedIds(with: later) == 500 && night.sharedIds(with: later, sameArrival: true) == 0)
        let same = Self.sketch((100..<700).map { "CL-\($0)" })
        #expect(night.sharedIds(with: same, sameArrival: true) == 500)
    }

    /// An id on several rows keeps its earliest time, whatever the order the rows came in.
    @Test func anIdKeepsItsEarliestTime() {
        var first = IdSketchBuilder(), second = IdSketchBuilder()
        let code = Self.codes(["CL-1"])[0]
        first.add(code, time: 10)
        first.add(code, time: 5)
        second.add(code, time: 5)
        second.add(code, time: 10)
        #expect(first.sketch == second.sketch && first.sketch.times == [5])
    }

    /// Beyond `size` ids the counts are estimates: within a few percent at these sizes, and the same whatever the
    /// order the ids came in or how they were split among workers.
    @Test func aLargeSourceIsEstimated() {
        let ids = (0..<200_000).map { "a8f3c2d1-\($0)-4e5f-9a0b-\($0 * 7)" }
        let whole = Self.sketch(ids)
        #expect(!whole.isWhole && abs(whole.distinctIds / 200_000 - 1) < 0.1, "\(whole.distinctIds)")
        let halves = Self.sketch(ids[..<100_000].reversed()).merged(with: Self.sketch(ids[100_000...]))
        #expect(halves == whole)
        let overlapping = Self.sketch(ids[150_000...] + (0..<150_000).map { "b-\($0)" })
        #expect(abs(whole.sharedIds(with: overlapping) / 50_000 - 1) < 0.15, "\(whole.sharedIds(with: overlapping))")
        #expect(abs(whole.containment(with: overlapping) - 0.25) < 0.05)
        // Numbers and short ids are spread by the hash like long ones.
        let numbers = Self.sketch((0..<100_000).map(String.init)), sameNumbers = Self.sketch((50_000..<150_000).map(String.init))
        #expect(abs(numbers.containment(with: sameNumbers) - 0.5) < 0.06, "\(numbers.containment(with: sameNumbers))")
    }

    @Test func storedBytesReadBackAndOthersAreRefused() {
        let sketch = Self.sketch((0..<2_000).map { "id\($0)" })
        #expect(sketch.hashes.count == IdSketch.size)
        #expect(IdSketch(encoded: sketch.encoded) == sketch)
        #expect(IdSketch(encoded: [1, 2, 3]) == nil)
        #expect(IdSketch(encoded: [UInt8](repeating: 7, count: 8 * (IdSketch.size + 1))) == nil)
        #expect(IdSketch(encoded: []) == IdSketch())
    }

    /// The run's sketch does not depend on threads or block size, and only the store's runs make one.
    @Test func aRunsSketchIsTheSameForAnyThreadsAndBlocks() throws {
        let path = TestSupport.temporaryFile(RandomLog.contacts(seed: 41, rows: 3_000, timeOrdered: false))
        let expected = try TestSupport.ingest([path], TestSupport.options(grain: .utcQuarterHour, threads: 1, blockSize: 1 << 20)).idSketch
        #expect(!expected.isEmpty && !expected.isWhole)
        for (threads, blockSize) in [(2, 4096), (3, 97)] where TestSupport.threadCounts([1, 2, 3]).contains(threads) {
            let result = try TestSupport.ingest([path], TestSupport.options(grain: .utcQuarterHour, threads: threads, blockSize: blockSize))
            #expect(result.idSketch == expected, "threads \(threads), block size \(blockSize)")
        }
        #expect(try TestSupport.ingest([path], TestSupport.options(grain: .local(.month), threads: 1, blockSize: 1 << 20)).idSketch.isEmpty)
    }
}
