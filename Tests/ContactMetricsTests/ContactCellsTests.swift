import Testing
@testable import ContactMetrics

/// The cube's sorted cell arrays against a plain dictionary: inserts, removals, merges and
/// `--dedupe`'s subtraction give the same cells, and the keys stay strictly ascending.
struct ContactCellsTests {
    static let channels = ["999", "101", "online", "émail", "Zulu", "a"]

    static func randomCell(_ random: inout SplitMix64) -> ContactCell {
        var cell = ContactCell()
        cell.counters.received = Int64(random.next() % 5) + 1
        cell.counters.answered = Int64(random.next() % 2)
        cell.answerWaits.add(seconds: Int64(random.next() % 50))
        if random.unit() < 0.3 { cell.categories["c\(random.next() % 3)"] = 1 }
        return cell
    }

    static func randomKey(_ random: inout SplitMix64) -> CellKey {
        CellKey(period: Int64(random.next() % 40) - 10, channel: channels[Int(random.next() % UInt64(channels.count))])
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func agreeWithADictionary(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var cells = ContactCells(), reference: [CellKey: ContactCell] = [:]
        for _ in 0..<400 {
            let key = Self.randomKey(&random)
            if random.unit() < 0.15 {
                cells[key] = nil
                reference[key] = nil
            } else {
                let cell = Self.randomCell(&random)
                cells[key, default: ContactCell()].add(cell)
                reference[key, default: ContactCell()].add(cell)
            }
            #expect(zip(cells.keys, cells.keys.dropFirst()).allSatisfy { $0 < $1 })
        }
        #expect(Dictionary(uniqueKeysWithValues: cells.map { ($0.key, $0.value) }) == reference)
        for (key, cell) in reference { #expect(cells[key] == cell) }
        #expect(cells[CellKey(period: 999, channel: "999")] == nil)
    }

    @Test(arguments: [UInt64(4), 5, 6])
    func mergeAndSubtractLikeADictionary(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var parts: [[CellKey: ContactCell]] = [[:], [:]]
        for _ in 0..<300 {
            parts[Int(random.next() % 2)][Self.randomKey(&random), default: ContactCell()].add(Self.randomCell(&random))
        }
        // Unsorted input order, as the store may return rows.
        let tables = parts.map { part in
            let shuffled = part.shuffled(using: &random)
            return ContactCells(keys: shuffled.map(\.key), values: shuffled.map(\.value))
        }
        var merged = tables[0]
        merged.add(tables[1])
        var reference = parts[0]
        for (key, cell) in parts[1] { reference[key, default: ContactCell()].add(cell) }
        #expect(merged.count == reference.count)
        #expect(Dictionary(uniqueKeysWithValues: merged.map { ($0.key, $0.value) }) == reference)
        #expect(zip(merged.keys, merged.keys.dropFirst()).allSatisfy { $0 < $1 })

        // Taking the second part away again leaves the first (cells emptied by it are gone).
        var cube = Cube(grain: .utcQuarterHour)
        cube.contacts = merged
        var removed = Cube(grain: .utcQuarterHour)
        removed.contacts = tables[1]
        cube.subtract(removed)
        #expect(cube.contacts == tables[0])
    }
}
