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
        let night = Self.sketch((0..<200).map { "CL-\($0)" } + ["CL-1", "CL-2"])  // repeats count once
        let correction = Self.sketch((50..<250).map { "CL-\($0)" })
        #expect(night.isWhole && night.distinctIds == 200)
        #expect(night.sharedIds(with: correction) == 150)
        #expect(night.jaccard(with: correction) == 150.0 / 250)
        #expect(night.sharedIds(with: Self.sketch(["other"])) == 0)
        #expect(night.jaccard(with: IdSketch()) == 0)
        // The same ids at other times are the same ids, not the same contacts; at the same second they are both.
        let later = Self.sketch((50..<250).map { "CL-\($0)" }, time: 1_554_103_201)
        #expect(night.sharedIds(with: later) == 150 && night.sharedIds(with: later, sameArrival: true) == 0)
        let same = Self.sketch((50..<250).map { "CL-\($0)" })
        #expect(night.sharedIds(with: same, sameArrival: true) == 150)
    }

    /// Two whole sketches whose ids together are more than a sketch holds are still compared exactly (the diff review's
    /// 1,000-id night and its correction keeping 600 read as 0.44 of 0.60).
    @Test func wholeSketchesAreComparedExactlyWhateverTheirUnion() {
        let night = Self.sketch((0..<250).map { "n\($0)" }), correction = Self.sketch((100..<350).map { "n\($0)" })
        #expect(night.isWhole && correction.isWhole)
        #expect(night.jaccard(with: correction) == 150.0 / 350)
        #expect(night.sharedIds(with: correction) == 150)
    }

    /// The store's judgement of the same contacts by ids (`ContactStore.sameContactsByIds`), on the diff review's cases.
    @Test func theSameContactsByTheirIds() {
        let ids = (0..<800).map { "CL-\($0)" }
        func sketch(_ ids: [String], times: (Int) -> Int64) -> IdSketch {
            var builder = IdSketchBuilder()
            for (index, code) in Self.codes(ids).enumerated() { builder.add(code, time: times(index)) }
            return builder.sketch
        }
        let night = sketch(ids) { 1_554_076_800 + Int64($0) * 97 }
        let moved = sketch(ids) { 1_554_076_800 + Int64($0) * 97 + 3_600 }  // its clock fixed by an hour
        let fewer = sketch(Array(ids[..<640])) { 1_554_076_800 + Int64($0) * 97 }  // a fifth taken out
        let otherSite = sketch(Array(ids[..<700])) { 1_554_076_800 + Int64(($0 * 7_919) % 700) * 113 }  // rows numbered alike
        let half = sketch(ids.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)) { 1_554_076_800 + Int64($0 * 2) * 97 }
        #expect(ContactStore.sameContactsByIds(moved, rows: 800, night, rows: 800))
        #expect(ContactStore.sameContactsByIds(fewer, rows: 640, night, rows: 800))
        #expect(!ContactStore.sameContactsByIds(otherSite, rows: 700, night, rows: 800), "shifts all different")
        #expect(!ContactStore.sameContactsByIds(half, rows: 400, night, rows: 800), "half of the ids either holds")
        let placeholder = sketch(Array(repeating: "N/A", count: 800)) { 1_554_076_800 + Int64($0) * 97 }
        #expect(!ContactStore.sameContactsByIds(placeholder, rows: 800, sketch(["N/A"]) { _ in 1_554_076_800 }, rows: 800), "one id for every row")
        #expect(!ContactStore.sameContactsByIds(night, rows: 8_000, moved, rows: 800), "ids on a tenth of the rows")
        let small = sketch(Array(ids[..<6])) { 1_554_076_800 + Int64($0) * 97 }
        #expect(!ContactStore.sameContactsByIds(small, rows: 6, small, rows: 6), "too few ids to judge")
    }

    /// A file of a few ids over many rows keeps them whole, with each one's earliest time.
    @Test func fewIdsOverManyRowsAreKeptWhole() {
        var builder = IdSketchBuilder()
        let codes = Self.codes((0..<200).map { "agent-\($0)" })
        for round in 0..<50 { for (index, code) in codes.enumerated() { builder.add(code, time: Int64(1_000 - round + index)) } }
        #expect(builder.sketch.hashes.count == 200 && builder.sketch.isWhole)
        #expect(Set(builder.sketch.times) == Set((0..<200).map { Int64(951 + $0) }), "the last round's, the earliest")
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

    /// Ids that differ in a byte or in length never share a hash here (folding a short id's two words together first
    /// gave 2 collisions among 300 ids like `agent-12`).
    @Test func nearIdsHaveTheirOwnHashes() {
        let ids = (0..<200_000).map { "agent-\($0)" } + (0..<200_000).map(String.init) + (0..<50_000).map { "CL-000\($0)" }
        #expect(Set(Self.codes(ids).map(IdSketch.hash)).count == ids.count)
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
        #expect(abs(whole.sharedIds(with: overlapping) / 50_000 - 1) < 0.3, "\(whole.sharedIds(with: overlapping))")
        #expect(abs(whole.jaccard(with: overlapping) - 50.0 / 350) < 0.03, "\(whole.jaccard(with: overlapping))")
        // Numbers and short ids are spread by the hash like long ones.
        let numbers = Self.sketch((0..<100_000).map(String.init)), sameNumbers = Self.sketch((50_000..<150_000).map(String.init))
        #expect(abs(numbers.jaccard(with: sameNumbers) - 1.0 / 3) < 0.05, "\(numbers.jaccard(with: sameNumbers))")
    }

    @Test func storedBytesReadBackAndOthersAreRefused() {
        let sketch = Self.sketch((0..<2_000).map { "id\($0)" })
        #expect(sketch.hashes.count == IdSketch.size)
        func decoded(_ bytes: [UInt8]) -> IdSketch? { bytes.withUnsafeBytes { IdSketch(encoded: $0) } }
        #expect(decoded(sketch.encoded) == sketch)
        #expect(decoded([1, 2, 3]) == nil)
        #expect(decoded([UInt8](repeating: 7, count: 16 * (IdSketch.size + 1))) == nil)
        #expect(decoded([]) == IdSketch())
        // Out of order (a crafted store): put in order, duplicates dropped.
        let entries = Array(sketch.encoded[0..<32]), swapped = Array(entries[16..<32] + entries[0..<16] + entries[16..<32])
        #expect(decoded(swapped) == decoded(entries))
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
