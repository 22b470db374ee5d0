import Testing
@testable import ContactMetrics

/// A worker's cells do not depend on the order of its rows: rows out of time order take the batched
/// merge (`OpenWaits.pending`), rows in order the direct one, and both give the waits of a plain count.
struct OpenWaitsTests {
    /// Enough rows that the batch fills several times (`OpenWaits.pendingLimit`), over few cells whose
    /// histograms soon pass `OpenWaits.directMergeBytes`.
    static func rows(seed: UInt64) -> [ContactContribution] {
        var random = SplitMix64(seed: seed)
        return (0..<(OpenWaits.pendingLimit * 3 + 1_000)).map { _ in
            let outcome: ContactContribution.Outcome = switch random.next() % 5 {
            case 0, 1, 2: .answered
            case 3: .abandoned
            default: .other
            }
            let wait = random.next() % 10 == 0 ? -1 : Int64(random.next() % 900)
            return ContactContribution(period: Int64(random.next() % 6), channel: Int32(random.next() % 3), outcome: outcome,
                                       waitSeconds: outcome == .other ? -1 : wait, handleSeconds: -1,
                                       category: Int32(random.next() % 4) - 1)
        }
    }

    static func cells(_ rows: [ContactContribution]) -> ContactCells {
        cellsAndMerges(rows).cells
    }

    static func cellsAndMerges(_ rows: [ContactContribution]) -> (cells: ContactCells, merges: Int) {
        var accumulator = ContactAccumulator()
        for row in rows { accumulator.add(row) }
        let cells = accumulator.cells(channelLabels: ["101", "999", "online"], categoryLabels: ["a", "b", "c"])
        return (cells, accumulator.waitMerges)
    }

    /// Rows in random order over 18 cells: the cell changes at almost every row, and merging each row's
    /// wait into a month's histogram made such a file 14-35 times slower than the same rows in order.
    /// Now a cell is merged into a few dozen times while it is small, and once a batch after that.
    @Test func rowsOutOfOrderDoNotCostAMergeEach() {
        let rows = Self.rows(seed: 3)
        let merges = Self.cellsAndMerges(rows).merges
        #expect(merges < rows.count / 20, "\(merges) merges for \(rows.count) rows")
    }

    /// Visits of every length around the list's capacity (`OpenWaits.listCapacity`, after which a
    /// visit's waits move to a count table), each in a cell of its own and in one shared cell, give the
    /// waits of a plain count.
    @Test func visitsAroundTheListCapacityKeepEveryWait() {
        var random = SplitMix64(seed: 9)
        var rows: [ContactContribution] = []
        for length in 1...(OpenWaits.listCapacity * 2 + 2) {
            for shared in [false, true] {
                let period = shared ? 0 : Int64(length)
                for _ in 0..<length {
                    let answered = random.next() % 4 != 0
                    rows.append(ContactContribution(period: period, channel: Int32(random.next() % 2), outcome: answered ? .answered : .abandoned,
                                                    waitSeconds: Int64(random.next() % 50), handleSeconds: -1, category: -1))
                }
                // A wait in another cell closes channel 0's visit; channel 1's stays open into the next length.
                rows.append(ContactContribution(period: period + 1_000, channel: 0, outcome: .answered, waitSeconds: 7, handleSeconds: -1, category: -1))
            }
        }
        var answers: [CellKey: [Int64: Int64]] = [:], abandons: [CellKey: [Int64: Int64]] = [:]
        for row in rows where row.waitSeconds >= 0 {
            let key = CellKey(period: row.period, channel: ["101", "999", "online"][Int(row.channel)])
            if row.outcome == .answered { answers[key, default: [:]][row.waitSeconds, default: 0] += 1 }
            if row.outcome == .abandoned { abandons[key, default: [:]][row.waitSeconds, default: 0] += 1 }
        }
        let cells = Self.cells(rows)
        for (key, cell) in cells {
            #expect(cell.answerWaits.counts == answers[key, default: [:]], "\(key)")
            #expect(cell.abandonWaits.counts == abandons[key, default: [:]], "\(key)")
        }
        #expect(cells.reduce(0) { $0 + $1.value.answerWaits.counts.values.reduce(0, +) + $1.value.abandonWaits.counts.values.reduce(0, +) }
                == Int64(rows.filter { $0.waitSeconds >= 0 }.count))
    }

    /// Two months' cells already large, then blocks of 64 rows of one wait alternating between them
    /// (a file sorted by an id that interleaves months): a block waits in the batch as one entry, not
    /// 64, so the large cells are not rewritten at every few hundred blocks (a review measured +42%).
    @Test func repeatedWaitsOfAVisitWaitAsOneEntry() {
        var rows: [ContactContribution] = []
        func row(_ period: Int64, _ wait: Int64) -> ContactContribution {
            ContactContribution(period: period, channel: 0, outcome: .answered, waitSeconds: wait, handleSeconds: -1, category: -1)
        }
        for period in Int64(0)...1 { rows += (0..<200).map { row(period, Int64($0) * 37) } }
        for block in 0..<2_000 { rows += Array(repeating: row(Int64(block % 2), 0), count: OpenWaits.listCapacity) }
        let (cells, merges) = Self.cellsAndMerges(rows)
        #expect(merges < 6, "\(merges) merges")
        #expect(cells.values.map { $0.answerWaits.counts[0] } == [1_000 * Int64(OpenWaits.listCapacity) + 1, 1_000 * Int64(OpenWaits.listCapacity) + 1])
    }

    @Test(arguments: [UInt64(1), 2])
    func cellsDoNotDependOnTheOrderOfTheRows(seed: UInt64) {
        let rows = Self.rows(seed: seed)
        let shuffled = Self.cells(rows)
        #expect(shuffled == Self.cells(rows.sorted { ($0.period, $0.channel) < ($1.period, $1.channel) }), "in time order")
        let alternating = rows.enumerated().sorted { ($0.offset % 2, $0.element.period) < ($1.offset % 2, $1.element.period) }.map(\.element)
        #expect(shuffled == Self.cells(alternating), "two passes over the periods")
        // And the waits are the rows' own.
        var answers: [CellKey: [Int64: Int64]] = [:], abandons: [CellKey: [Int64: Int64]] = [:]
        for row in rows where row.waitSeconds >= 0 {
            let key = CellKey(period: row.period, channel: ["101", "999", "online"][Int(row.channel)])
            if row.outcome == .answered { answers[key, default: [:]][row.waitSeconds, default: 0] += 1 }
            if row.outcome == .abandoned { abandons[key, default: [:]][row.waitSeconds, default: 0] += 1 }
        }
        #expect(shuffled.count == 18)
        for (key, cell) in shuffled {
            #expect(cell.answerWaits.counts == answers[key, default: [:]], "\(key)")
            #expect(cell.abandonWaits.counts == abandons[key, default: [:]], "\(key)")
            #expect(cell.answerWaits.bytes.count > OpenWaits.directMergeBytes, "the batched merge was taken")
        }
    }
}
