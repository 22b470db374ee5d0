/// A worker's category labels ranked in the order a `CategoryCounts` table keeps them (ascending by
/// `String`'s `<`), so that a cell's counts keyed by rank come out of one integer sort in that order.
/// Labels equal as `String`s (canonically equivalent spellings, distinct as bytes) share a rank, under
/// the spelling met first, as a table keeps it.
struct CategoryRanks {
    /// Each label id's rank.
    private let ranks: [UInt32]
    /// Each rank's label.
    private let labels: [String]

    init(_ labels: [String]) {
        var firstId: [String: Int] = [:]
        var sameAs = [Int](repeating: 0, count: labels.count)
        var distinct: [Int] = []
        for (id, label) in labels.enumerated() {
            if let first = firstId[label] {
                sameAs[id] = first
            } else {
                firstId[label] = id
                sameAs[id] = id
                distinct.append(id)
            }
        }
        distinct.sort { labels[$0] < labels[$1] }
        var rankOfDistinct = [UInt32](repeating: 0, count: labels.count)
        for (rank, id) in distinct.enumerated() { rankOfDistinct[id] = UInt32(rank) }
        ranks = sameAs.map { rankOfDistinct[$0] }
        self.labels = distinct.map { labels[$0] }
    }

    func rank(of id: Int) -> UInt32 { ranks[id] }

    func label(ofRank rank: Int) -> String { labels[rank] }
}
