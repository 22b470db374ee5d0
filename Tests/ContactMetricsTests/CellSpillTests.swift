import Foundation
import Testing
@testable import ContactMetrics

/// `ingest`'s cells kept in a scratch file (`CellSpill`) and read back merged (`SpilledContactCells`):
/// they must be exactly the cells the same run keeps in memory, however often the workers spill.
@Suite struct CellSpillTests {
    private static func options(threads: Int, blockSize: Int, dedupe: Bool = false, spill: CellSpill? = nil) -> IngestOptions {
        var options = TestSupport.options(grain: .utcQuarterHour, threads: threads, blockSize: blockSize)
        options.dedupe = dedupe
        options.cellSpill = spill
        return options
    }

    private static func cells(_ spilled: SpilledContactCells?) throws -> ContactCells {
        var keys: [CellKey] = [], values: [ContactCell] = []
        try spilled?.forEachCell { key, cell in
            keys.append(key)
            values.append(cell)
        }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 }, "cells in strictly ascending key order")
        return ContactCells(keys: keys, values: values)
    }

    @Test(arguments: [(UInt64(31), false), (32, true), (33, true)])
    func spilledCellsAreTheCubesCells(seed: UInt64, timeOrdered: Bool) throws {
        let path = TestSupport.temporaryFile(RandomLog.contacts(seed: seed, rows: 700, timeOrdered: timeOrdered))
        for dedupe in [false, true] {
            let expected = try TestSupport.ingest([path], Self.options(threads: 1, blockSize: 1 << 20, dedupe: dedupe))
            #expect(expected.cube.contacts.count > 100)
            for (threads, blockSize) in [(1, 1 << 20), (2, 512), (3, 97)] where TestSupport.threadCounts([1, 2, 3]).contains(threads) {
                for cellsPerWorker in [1, 7, 16_384] {
                    let spill = CellSpill(cellsPerWorker: cellsPerWorker)
                    let result = try TestSupport.ingest([path], Self.options(threads: threads, blockSize: blockSize, dedupe: dedupe, spill: spill))
                    let context = "dedupe \(dedupe), threads \(threads), block size \(blockSize), \(cellsPerWorker) cells a worker"
                    #expect(result.cube.contacts.isEmpty, "\(context)")
                    #expect(try Self.cells(result.spilledContacts) == expected.cube.contacts, "\(context)")
                    #expect(result.cube.incidents == expected.cube.incidents, "\(context)")
                    #expect(result.ledger == expected.ledger, "\(context)")
                    // A worker spills after a block, so small blocks give many runs to merge.
                    if cellsPerWorker == 1 && blockSize < 1024 { #expect(result.spilledContacts!.runCount > 50, "\(context)") }
                    // What --dedupe takes out goes to the spill too (`RemovedRows`): 1.8M duplicates over two
                    // years of 15-minute cells took 110 MB more than without --dedupe.
                    if dedupe && cellsPerWorker == 1 {
                        #expect(result.ledger.duplicateIds > 10 && !result.spilledContacts!.removedRuns.isEmpty, "\(context)")
                    }
                    // Read twice: the runs stay in the scratch file until the spill goes.
                    #expect(try Self.cells(result.spilledContacts) == expected.cube.contacts, "\(context), read again")
                }
            }
        }
    }

    /// A cell whose record is larger than a spill piece (1 MiB: categories of long free text) grows the
    /// writer's buffer and reads back whole, with the cells around it.
    @Test func aRecordLargerThanAPieceComesBackWhole() throws {
        var text = "channel,arrived_at,answered_at,category\n"
        for row in 0..<40 {
            let label = String(repeating: "free text \(row % 7) ", count: row % 10 == 3 ? 100_000 : 2) + "é"
            text += "101,2019-04-01T10:\(10 + row / 4):00Z,2019-04-01T10:\(10 + row / 4):0\(row % 10)Z,\"\(label)\"\n"
        }
        let path = TestSupport.temporaryFile(text)
        let expected = try TestSupport.ingest([path], Self.options(threads: 1, blockSize: 1 << 20))
        for cellsPerWorker in [1, 16_384] {
            let result = try TestSupport.ingest([path], Self.options(threads: 2, blockSize: 1 << 20, spill: CellSpill(cellsPerWorker: cellsPerWorker)))
            let cells = try Self.cells(result.spilledContacts)
            #expect(cells == expected.cube.contacts, "\(cellsPerWorker) cells a worker")
            #expect(cells.values.contains { $0.categories.contains { $0.key.utf8.count > 1 << 20 } }, "a label over a piece")
        }
    }

    @Test func queueLogCallsCompletedAtTheEndAreMergedIn() throws {
        let path = TestSupport.sample("queue_log")
        let expected = try TestSupport.ingest([path], Self.options(threads: 2, blockSize: 1 << 20))
        #expect(!expected.cube.contacts.isEmpty)
        for cellsPerWorker in [1, 16_384] {
            let result = try TestSupport.ingest([path], Self.options(threads: 2, blockSize: 4096, spill: CellSpill(cellsPerWorker: cellsPerWorker)))
            #expect(try Self.cells(result.spilledContacts) == expected.cube.contacts, "\(cellsPerWorker) cells a worker")
            #expect(result.openQueueCalls == expected.openQueueCalls)
        }
    }

    @Test func aStoreWrittenFromTheSpillIsTheSameStore() throws {
        let first = TestSupport.temporaryFile(RandomLog.contacts(seed: 41, rows: 500, timeOrdered: true))
        let second = TestSupport.temporaryFile(RandomLog.contacts(seed: 42, rows: 500))
        func store(spill: CellSpill?) throws -> (Cube, [StoredSource], Ledger) {
            let store = try ContactStore(path: StoreSupport.temporaryStorePath(), create: true)
            var inputs: [StoreSourceInput] = []
            for path in [first, second] {
                var options = Self.options(threads: 2, blockSize: 700, spill: spill)
                options.computeContentHash = true
                let result = try TestSupport.ingest([path], options)
                inputs.append(StoreSourceInput(name: path, cube: result.cube, ledger: result.ledger, readingOptions: "",
                                               spilledContacts: result.spilledContacts))
            }
            _ = try store.ingest(inputs, ingestedAt: Date(timeIntervalSince1970: 0))
            return try StoreSupport.snapshot(store)
        }
        let (expectedCube, expectedSources, expectedLedger) = try store(spill: nil)
        // One spill for both sources, as the command uses it.
        let (cube, sources, ledger) = try store(spill: CellSpill(cellsPerWorker: 5))
        #expect(cube == expectedCube)
        #expect(sources == expectedSources)
        #expect(ledger == expectedLedger)
    }

    @Test func aSpillThatCannotBeWrittenFailsTheRun() throws {
        let path = TestSupport.temporaryFile(RandomLog.contacts(seed: 51, rows: 100))
        let missing = TestSupport.temporaryRoot.appendingPathComponent("cm-no-such-dir-\(UUID().uuidString)").path
        let expected = InputError.scratchFailed(directory: missing, reason: "No such file or directory", contents: "the cells read for the store")
        #expect(expected.description == "cannot write temporary data (the cells read for the store) in \(missing): No such file or directory; "
            + "set TMPDIR to a writable directory with room for it")
        for cellsPerWorker in [1, 16_384] {
            #expect(throws: expected) {
                try TestSupport.ingest([path], Self.options(threads: 2, blockSize: 512, spill: CellSpill(cellsPerWorker: cellsPerWorker, directory: missing)))
            }
        }
    }
}
