import Testing
@testable import ContactMetrics

/// The worker's chunked cell storage: in-place reordering, emptying from the front with chunks freed,
/// and the merge of several workers' sorted runs, against plain arrays and a dictionary. Elements hold
/// heap storage (arrays), so a lost or doubly freed element shows under the address sanitizer.
struct ChunkedStoreTests {
    static let sizes = [0, 1, 2, ChunkedStore<[Int]>.chunkSize - 1, ChunkedStore<[Int]>.chunkSize,
                        ChunkedStore<[Int]>.chunkSize + 1, 3 * ChunkedStore<[Int]>.chunkSize + 17]

    @Test(arguments: sizes)
    func permuteMatchesAPlainReorder(count: Int) {
        var random = SplitMix64(seed: UInt64(count) + 1)
        var store = ChunkedStore<[Int]>()
        for index in 0..<count { store.append([index, index * 3]) }
        let order = (0..<count).map { Int32($0) }.shuffled(using: &random)
        var scratch = order
        store.permute(&scratch)
        #expect((0..<count).map { store.address($0).pointee } == order.map { [Int($0), Int($0) * 3] })
        var taken: [[Int]] = []
        while store.remaining > 0 { taken.append(store.takeFirst()) }
        #expect(taken == order.map { [Int($0), Int($0) * 3] })
    }

    @Test(arguments: sizes)
    func partlyTakenStoreFreesTheRest(count: Int) {
        var store = ChunkedStore<[Int]>()
        for index in 0..<count { store.append([index]) }
        for expected in 0..<(count / 2) { #expect(store.takeFirst() == [expected]) }
        #expect(store.remaining == count - count / 2)
    }

    @Test func addressesStayPutAsTheStoreGrows() {
        var store = ChunkedStore<Int>()
        let first = store.append(7)
        for index in 0..<(5 * ChunkedStore<Int>.chunkSize) { store.append(index) }
        #expect(store.address(0) == first && first.pointee == 7)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func mergedRunsEqualADictionary(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var reference: [CellKey: ContactCell] = [:]
        var runs: [SortedCellRun] = []
        for _ in 0..<Int(1 + random.next() % 4) {
            var part: [CellKey: ContactCell] = [:]
            // Enough keys that runs cross chunk boundaries.
            for _ in 0..<Int(random.next() % 6000) {
                let key = CellKey(period: Int64(random.next() % 1500),
                                  channel: ContactCellsTests.channels[Int(random.next() % UInt64(ContactCellsTests.channels.count))])
                part[key, default: ContactCell()].add(ContactCellsTests.randomCell(&random))
            }
            for (key, cell) in part { reference[key, default: ContactCell()].add(cell) }
            let sorted = part.sorted { $0.key < $1.key }
            var cells = ChunkedStore<ContactCell>()
            for (_, cell) in sorted { cells.append(cell) }
            runs.append(SortedCellRun(keys: sorted.map(\.key), cells: cells))
        }
        let merged = ContactCells(merging: runs)
        #expect(zip(merged.keys, merged.keys.dropFirst()).allSatisfy { $0 < $1 })
        #expect(Dictionary(uniqueKeysWithValues: merged.map { ($0.key, $0.value) }) == reference)
        #expect(ContactCells(merging: []).isEmpty)
    }
}
