import Testing
@testable import ContactMetrics

struct CountTableTests {
    /// Adds, clears and reads in random order, against a dictionary.
    @Test func countsMatchADictionaryThroughGrowingAndClearing() {
        var random = SplitMix64(seed: 7)
        var table = CountTable(initialCapacity: 16)
        var model: [UInt64: UInt64] = [:]
        var shrinks = 0
        for step in 0..<20_000 {
            if random.next() % 100 == 0 {
                let capacity = table.capacity
                table.removeAll()
                model.removeAll()
                if table.capacity < capacity { shrinks += 1 }
            }
            // Bursts of many keys, then stretches of few, so the table both grows and shrinks.
            let keyRange: UInt64 = (step / 2_000) % 2 == 0 ? 5_000 : 3
            let key = random.next() % keyRange
            table.add(key)
            model[key, default: 0] += 1
            #expect(table.count == model.count)
        }
        var seen: [UInt64: UInt64] = [:]
        table.forEach { seen[$0] = $1 }
        #expect(seen == model)
        for (key, count) in model { #expect(table.value(for: key) == count) }
        #expect(table.value(for: 1 << 40) == nil)
        #expect(shrinks > 0)
    }

    /// Clearing costs the capacity, so a table that grew once and then holds a key or two between
    /// clears must not keep its largest size: that made rows in time order followed by rows out of
    /// order (one channel's waits) 15-30 times slower than either alone. But a table that alternates
    /// between many keys and few keeps its size (regrowing it each time cost more than the clears).
    @Test func aMostlyEmptyTableShrinksAfterSeveralClears() {
        var table = CountTable(initialCapacity: 64)
        for key in UInt64(0)..<10_000 { table.add(key) }
        let grown = table.capacity
        #expect(grown >= 20_000)
        table.removeAll()
        #expect(table.capacity == grown, "a full table keeps its size for the next cell")
        // Few keys, then many, then few: no shrink.
        for round in 0..<3 {
            for _ in 1..<CountTable.shrinkAfter {
                table.add(1)
                table.add(2)
                table.removeAll()
            }
            #expect(table.capacity == grown, "round \(round)")
            for key in UInt64(0)..<10_000 { table.add(key) }
            table.removeAll()
        }
        // Few keys clear after clear: back to the initial size, and it stays there.
        for _ in 0..<CountTable.shrinkAfter {
            #expect(table.capacity == grown)
            table.add(1)
            table.add(2)
            table.removeAll()
        }
        #expect(table.capacity == 64)
        for key in UInt64(0)..<10 { table.add(key) }
        table.removeAll()
        #expect(table.capacity == 64)
        #expect(table.count == 0 && table.value(for: 1) == nil)
    }

    /// A table that starts below the 16-slot floor (the category table is made again at 1) grows and
    /// shrinks like any other.
    @Test func aTinyTableGrowsAndShrinks() {
        var table = CountTable(initialCapacity: 1)
        #expect(table.capacity == 16)
        for key in UInt64(0)..<100 { table.add(key, key + 1) }
        #expect(table.capacity == 256 && table.value(for: 99) == 100)
        for _ in 0..<CountTable.shrinkAfter {
            table.removeAll()
            table.add(7)
        }
        table.removeAll()
        #expect(table.capacity == 16 && table.count == 0)
        table.add(7, 3)
        #expect(table.value(for: 7) == 3)
    }
}
