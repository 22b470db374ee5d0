import Testing
@testable import ContactMetrics

/// A worker's category ids ranked as a `CategoryCounts` table orders their labels: a cell's counts
/// sorted by rank are the table `CategoryCounts(_:)` builds from them by comparing text.
struct CategoryRanksTests {
    static let labels = ["theft", "Covid", "caf\u{E9}", "", "antisocial behaviour", "cafe\u{301}", "Z", "£ fraud", "covid"]

    @Test func ranksFollowTheTablesOrder() {
        let ranks = CategoryRanks(Self.labels)
        let table = CategoryCounts(Self.labels.enumerated().map { (key: $0.element, value: Int64($0.offset + 1)) })
        // One entry a rank, in the table's order and spelling, with the counts of every id of that rank.
        var byRank: [Int: Int64] = [:]
        for id in Self.labels.indices { byRank[Int(ranks.rank(of: id)), default: 0] += Int64(id + 1) }
        let ranked = byRank.keys.sorted().map { (key: ranks.label(ofRank: $0), value: byRank[$0]!) }
        #expect(ranked.map { Array($0.key.utf8) } == table.map { Array($0.key.utf8) })
        #expect(ranked.map(\.value) == table.map(\.value))
        #expect(ranks.rank(of: 2) == ranks.rank(of: 5), "canonically equivalent spellings share a rank")
        #expect(Array(ranks.label(ofRank: Int(ranks.rank(of: 5))).utf8) == Array("caf\u{E9}".utf8), "under the spelling met first")
        #expect(CategoryCounts(ordered: ranked) == table)
    }

    /// A worker's cells get the same category tables whether they are built by rank (fewer labels than
    /// counts) or by each cell's text (more labels than counts: free text as categories).
    @Test(arguments: [3, 5_000])
    func bothWaysGiveTheSameTables(labelCount: Int) {
        let labels = (0..<labelCount).map { "label \($0 % 7 == 0 ? "é" : "")\(String(repeating: "x", count: $0 % 3))\($0)" }
        var random = SplitMix64(seed: UInt64(labelCount))
        var accumulator = ContactAccumulator()
        var expected: [CellKey: [String: Int64]] = [:]
        for _ in 0..<400 {
            let period = Int64(random.next() % 50), category = Int32(random.next() % UInt64(min(labelCount, 40)))
            accumulator.add(ContactContribution(period: period, channel: 0, outcome: .other, waitSeconds: -1, handleSeconds: -1, category: category))
            expected[CellKey(period: period, channel: "101"), default: [:]][labels[Int(category)], default: 0] += 1
        }
        let cells = accumulator.cells(channelLabels: ["101"], categoryLabels: labels)
        #expect(cells.count == expected.count)
        for (key, cell) in cells {
            #expect(cell.categories == CategoryCounts(expected[key] ?? [:]), "\(key)")
        }
    }
}
