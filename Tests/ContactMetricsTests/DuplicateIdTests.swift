import Foundation
import Testing
@testable import ContactMetrics

/// Duplicate detection (`IdLog`, `SmallIdBitmap`, `DuplicateFinder`) against a plain set of the ids'
/// bytes in input order (not `Set<String>`: Swift's `==` on strings is canonical equivalence, so the
/// NFC and NFD spellings of `café` would be one id, where to the system that wrote them they are two): the count of rows whose id appeared earlier, and with `--dedupe` the figures
/// of the input with those rows removed. Thread counts, block sizes, memory budgets (tiny ones spill
/// every chunk and search in many passes) and crowded buckets must change nothing.
struct DuplicateIdTests {
    /// Ids of every form `IdCode` has: small and large numbers, leading zeros, 15- and 16-byte strings,
    /// UUIDs, 19 digits, quoting, non-ASCII.
    static let idPool: [String] = [
        "7", "007", "0", "65535", "65536", "67108863", "67108864", "123456789012345678", "1234567890123456789",
        "CL-00013414c1", "cl-00013414c1", "1554103200.123", "abcdefghijklmno", "abcdefghijklmnop", "abcdefghijklmnoq",
        "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "3F2504E0-4F89-41D3-9A0C-0305E82C3301", "a,\"b", "café", "cafe\u{301}",
        "x", "X", " x", "999999999999999999", "0000000000000000001",
    ]

    struct Log {
        var text: String
        /// Rows with their ids, in file order, and whether each is valid (rejected rows record no id).
        var rows: [(line: String, id: String, valid: Bool)]
    }

    static func csvField(_ value: String) -> String {
        value.contains(",") || value.contains("\"") ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    static func contactsLog(seed: UInt64, rows: Int, poolSize: Int) -> Log {
        var random = SplitMix64(seed: seed)
        var extra: [String] = []
        for index in 0..<poolSize { extra.append(index % 3 == 0 ? "\(index * 7919)" : "REF-\(index)-\(index % 11)") }
        let pool = idPool + extra
        var log = Log(text: "contact_id,channel,arrived_at,answered_at,ended_at,outcome,category\n", rows: [])
        let channels = ["999", "101", "online", "webchat"]
        for _ in 0..<rows {
            let id = random.unit() < 0.05 ? "" : pool[Int(random.next() % UInt64(pool.count))]
            let channel = channels[Int(random.next() % 4)]
            let arrived = 1_546_300_800 + Int(random.next() % 31_000_000)
            let valid = random.unit() > 0.03
            var line = csvField(id) + "," + channel + "," + (valid ? TestSupport.iso8601(arrived) : "not a time") + ","
            if channel == "online" {
                line += ",,," + ["covid", "theft"][Int(random.next() % 2)]
            } else if random.unit() < 0.7 {
                let wait = Int(random.next() % 600)
                line += TestSupport.iso8601(arrived + wait) + "," + TestSupport.iso8601(arrived + wait + 60 + Int(random.next() % 900)) + ",answered,"
            } else {
                line += "," + TestSupport.iso8601(arrived + Int(random.next() % 300)) + ",abandoned,"
            }
            log.text += line + "\n"
            log.rows.append((line, id, valid))
        }
        return log
    }

    static func incidentsLog(seed: UInt64, rows: Int) -> Log {
        var random = SplitMix64(seed: seed)
        var log = Log(text: "incident_id,raised_at,deployed,referred_to\n", rows: [])
        for _ in 0..<rows {
            let id = idPool[Int(random.next() % UInt64(idPool.count))]
            let line = csvField(id) + "," + TestSupport.iso8601(1_546_300_800 + Int(random.next() % 31_000_000)) + ","
                + (random.unit() < 0.5 ? "yes" : "no") + "," + ["none", "Social Services", ""][Int(random.next() % 3)]
            log.text += line + "\n"
            log.rows.append((line, id, true))
        }
        return log
    }

    /// The reference: how many valid rows repeat an earlier valid row's id, and the log without them.
    static func reference(_ log: Log) -> (duplicates: Int, firstOccurrences: String) {
        var seen = Set<[UInt8]>(), duplicates = 0
        var kept = String(log.text.prefix(while: { $0 != "\n" })) + "\n"
        for row in log.rows {
            // Fields are read with surrounding spaces and tabs trimmed, ids too (` x` is the id `x`).
            let id = Array(row.id.utf8.drop(while: { $0 == 32 || $0 == 9 }).reversed().drop(while: { $0 == 32 || $0 == 9 }).reversed())
            if row.valid && !id.isEmpty && !seen.insert(id).inserted {
                duplicates += 1
                continue
            }
            kept += row.line + "\n"
        }
        return (duplicates, kept)
    }

    static func run(_ paths: [String], threads: Int, blockSize: Int, budget: Int?, mixing: IdMixing, dedupe: Bool,
                    ranges: Bool = true, scratchDirectory: String? = nil, days: ClosedRange<Int64>? = nil) throws -> IngestResult {
        var options = TestSupport.options(threads: threads, blockSize: blockSize)
        options.fromDay = days?.lowerBound
        options.toDay = days?.upperBound
        options.idMemoryBudget = budget
        options.idMixing = mixing
        options.dedupe = dedupe
        options.readsRanges = ranges
        options.scratchDirectory = scratchDirectory
        return try TestSupport.ingest(paths, options)
    }

    static let settings: [(threads: Int, blockSize: Int, budget: Int?, mixing: IdMixing, ranges: Bool)] = [
        (1, 1 << 20, nil, .spread, true), (2, 4096, nil, .spread, true), (3, 97, 0, .spread, true),
        (2, 1000, 0, .crowded, false), (4, 333, 5000, .spread, true), (1, 64, 0, .crowded, true),
    ]

    @Test(arguments: [UInt64(1), 2, 3])
    func countsAgreeWithASetOfStrings(seed: UInt64) throws {
        let contacts = Self.contactsLog(seed: seed, rows: 3000, poolSize: 600)
        let incidents = Self.incidentsLog(seed: seed &+ 100, rows: 500)
        let paths = [TestSupport.temporaryFile(contacts.text, name: "contacts.csv"), TestSupport.temporaryFile(incidents.text, name: "incidents.csv")]
        let expected = Self.reference(contacts).duplicates + Self.reference(incidents).duplicates
        #expect(expected > 1000)
        var cubes: [Cube] = []
        for setting in Self.settings {
            let result = try Self.run(paths, threads: setting.threads, blockSize: setting.blockSize, budget: setting.budget,
                                      mixing: setting.mixing, dedupe: false, ranges: setting.ranges)
            #expect(result.ledger.duplicateIds == expected, "\(setting)")
            #expect(result.ledger.rowsRead == result.ledger.rowsAccepted + result.ledger.rowsRejected + result.ledger.rowsSkipped)
            cubes.append(result.cube)
        }
        let allEqual = cubes.allSatisfy { $0 == cubes[0] }
        #expect(allEqual)
    }

    @Test(arguments: [UInt64(4), 5])
    func dedupeGivesTheFiguresOfTheFirstOccurrences(seed: UInt64) throws {
        let contacts = Self.contactsLog(seed: seed, rows: 2500, poolSize: 400)
        let incidents = Self.incidentsLog(seed: seed &+ 100, rows: 400)
        let paths = [TestSupport.temporaryFile(contacts.text, name: "contacts.csv"), TestSupport.temporaryFile(incidents.text, name: "incidents.csv")]
        let (contactDuplicates, keptContacts) = Self.reference(contacts)
        let (incidentDuplicates, keptIncidents) = Self.reference(incidents)
        let expected = try Self.run([TestSupport.temporaryFile(keptContacts, name: "contacts.csv"), TestSupport.temporaryFile(keptIncidents, name: "incidents.csv")],
                                    threads: 1, blockSize: 1 << 20, budget: nil, mixing: .spread, dedupe: false)
        #expect(expected.ledger.duplicateIds == 0)
        for setting in Self.settings {
            let result = try Self.run(paths, threads: setting.threads, blockSize: setting.blockSize, budget: setting.budget,
                                      mixing: setting.mixing, dedupe: true, ranges: setting.ranges)
            let sameFigures = result.cube == expected.cube
            #expect(sameFigures, "\(setting)")
            #expect(result.ledger.duplicateIds == contactDuplicates + incidentDuplicates, "\(setting)")
            #expect(result.ledger.sources.map(\.rowsAccepted) == expected.ledger.sources.map(\.rowsAccepted), "\(setting)")
            #expect(result.ledger.skippedByReason["duplicate_id"] == contactDuplicates + incidentDuplicates)
            #expect(result.ledger.rowsRead == result.ledger.rowsAccepted + result.ledger.rowsRejected + result.ledger.rowsSkipped)
        }
    }

    /// With a config that maps `updated_at` (Amazon Connect's `LastUpdateTimestamp`: a record is delivered again when
    /// it is updated), `--dedupe` keeps each id's latest updated row, the first in input order of those updated last
    /// (a row with no update time is older than any with one), whatever the threads, blocks, budget and buckets.
    @Test(arguments: [UInt64(7), 8])
    func dedupeKeepsTheLatestUpdatedOccurrence(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let pool = Self.idPool + (0..<300).map { "C-\($0)" }
        var rows: [(line: String, id: String, updated: Int64)] = []
        for index in 0..<2000 {
            let id = pool[Int(random.next() % UInt64(pool.count))]
            let arrived = 1_546_300_800 + Int(random.next() % 31_000_000)
            // Few distinct update times, so that ties are common; an empty one a tenth of the time.
            let updated: Int64? = random.unit() < 0.1 ? nil : 1_600_000_000 + Int64(random.next() % 5) * 60
            let category = "k\(index % 7)"
            let line = Self.csvField(id) + ",101," + TestSupport.iso8601(arrived) + "," + TestSupport.iso8601(arrived + Int(random.next() % 300))
                + ",answered," + category + "," + (updated.map { TestSupport.iso8601(Int($0)) } ?? "")
            rows.append((line, id, updated.map { $0 * 1000 } ?? RemovableRow.noUpdateTime))
        }
        let header = "id,queue,start,answer,result,kind,last_update\n"
        // The reference: per id, the first of the rows updated last.
        var keptIndex: [[UInt8]: Int] = [:]
        for (index, row) in rows.enumerated() {
            let id = Array(row.id.utf8.drop(while: { $0 == 32 || $0 == 9 }).reversed().drop(while: { $0 == 32 || $0 == 9 }).reversed())
            if let kept = keptIndex[id], rows[kept].updated >= row.updated { continue }
            keptIndex[id] = index
        }
        let kept = Set(keptIndex.values)
        let config = try MappingConfig.parse(Data(#"{"columns": {"contact_id": "id", "channel": "queue", "arrived_at": "start", "answered_at": "answer", "outcome": "result", "category": "kind", "updated_at": "last_update"}}"#.utf8), name: "latest.json")
        func run(_ text: String, _ setting: (threads: Int, blockSize: Int, budget: Int?, mixing: IdMixing, ranges: Bool), dedupe: Bool) throws -> IngestResult {
            var options = TestSupport.options(threads: setting.threads, blockSize: setting.blockSize)
            options.mapping = config
            options.idMemoryBudget = setting.budget
            options.idMixing = setting.mixing
            options.dedupe = dedupe
            options.readsRanges = setting.ranges
            return try TestSupport.ingest([TestSupport.temporaryFile(text, name: "latest.csv")], options)
        }
        let keptText = header + rows.indices.filter(kept.contains).map { rows[$0].line + "\n" }.joined()
        let expected = try run(keptText, Self.settings[0], dedupe: false)
        #expect(expected.ledger.duplicateIds == 0 && rows.count - kept.count > 1000)
        let allText = header + rows.map { $0.line + "\n" }.joined()
        for setting in Self.settings {
            let result = try run(allText, setting, dedupe: true)
            let sameFigures = result.cube == expected.cube
            #expect(sameFigures, "\(setting)")
            #expect(result.ledger.duplicateIds == rows.count - kept.count && result.ledger.skippedByReason["duplicate_id"] == rows.count - kept.count)
            #expect(result.ledger.rowsRead == result.ledger.rowsAccepted + result.ledger.rowsRejected + result.ledger.rowsSkipped)
        }
        // The first occurrences' figures differ (else the test could not fail).
        let first = try run(allText, Self.settings[0], dedupe: false)
        #expect(first.cube != expected.cube)
    }

    /// With `--from`/`--to`, duplicates are judged over the whole input before the date filter, as
    /// `report --store --from` judges them: a row whose id first appeared before the window is left out,
    /// and a row outside the window that repeats an earlier id is a duplicate, not a row outside.
    @Test func dedupeJudgesDuplicatesBeforeTheDateFilter() throws {
        let contacts = Self.contactsLog(seed: 6, rows: 2500, poolSize: 400)
        let incidents = Self.incidentsLog(seed: 106, rows: 400)
        let paths = [TestSupport.temporaryFile(contacts.text, name: "contacts.csv"), TestSupport.temporaryFile(incidents.text, name: "incidents.csv")]
        let (contactDuplicates, keptContacts) = Self.reference(contacts)
        let (incidentDuplicates, keptIncidents) = Self.reference(incidents)
        let window: ClosedRange<Int64> = 17_987...18_139  // 2019-04-01 to 2019-08-31, local days
        let expected = try Self.run([TestSupport.temporaryFile(keptContacts, name: "contacts.csv"), TestSupport.temporaryFile(keptIncidents, name: "incidents.csv")],
                                    threads: 1, blockSize: 1 << 20, budget: nil, mixing: .spread, dedupe: false, days: window)
        let outside = expected.ledger.skippedByReason["outside_date_range"] ?? 0
        #expect(outside > 100 && expected.ledger.rowsAccepted > 100, "\(outside) outside, \(expected.ledger.rowsAccepted) accepted")
        for setting in Self.settings.prefix(4) {
            let result = try Self.run(paths, threads: setting.threads, blockSize: setting.blockSize, budget: setting.budget,
                                      mixing: setting.mixing, dedupe: true, ranges: setting.ranges, days: window)
            let sameFigures = result.cube == expected.cube
            #expect(sameFigures, "\(setting)")
            #expect(result.ledger.sources.map(\.rowsAccepted) == expected.ledger.sources.map(\.rowsAccepted), "\(setting)")
            #expect(result.ledger.skippedByReason["duplicate_id"] == contactDuplicates + incidentDuplicates, "\(setting)")
            #expect(result.ledger.skippedByReason["outside_date_range"] == outside, "\(setting)")
            #expect(result.ledger.rowsRead == result.ledger.rowsAccepted + result.ledger.rowsRejected + result.ledger.rowsSkipped)
        }
    }

    @Test func standardInputIsDedupedLikeAFile() throws {
        let contacts = Self.contactsLog(seed: 9, rows: 1500, poolSize: 300)
        let path = TestSupport.temporaryFile(contacts.text)
        let fromFile = try Self.run([path], threads: 2, blockSize: 512, budget: 0, mixing: .spread, dedupe: true)
        let streamed = try Self.run([path], threads: 2, blockSize: 512, budget: 0, mixing: .spread, dedupe: true, ranges: false)
        let same = fromFile.cube == streamed.cube && fromFile.ledger.duplicateIds == streamed.ledger.duplicateIds
        #expect(same)
    }

    /// The same export given twice (`week.csv` and `week.csv.gz`) doubled every figure with only the ledger's count
    /// to say so (found by a review): one row in a hundred or more with an id seen before is said on stderr. An id
    /// now and then repeated is not. Under `--dedupe`, which counts each id once, a tenth of a file's rows or more left
    /// out gets a note (a review's two systems numbering calls 1…500 lost a whole channel without a word); fewer do not.
    @Test func manyRepeatedIdsAreSaid() throws {
        let rows = (0..<150).map { "c\($0),101,2019-04-01T10:00:00Z,2019-04-01T10:00:09Z,,answered," }
        let header = "contact_id,channel,arrived_at,answered_at,ended_at,outcome,category\n"
        let week = TestSupport.temporaryFile(header + rows.joined(separator: "\n") + "\n")
        func ledger(_ paths: [String], dedupe: Bool = false) throws -> Ledger {
            var options = TestSupport.options()
            options.dedupe = dedupe
            return try TestSupport.ingest(paths, options).ledger
        }
        #expect(try ledger([week, week]).warnings == ["150 rows have ids an earlier row has (50.0% of the rows read; the same export given twice?): counted again; --dedupe counts each id once"])
        let deduplicated = try ledger([week, week], dedupe: true)
        #expect(deduplicated.warnings == [])
        #expect(deduplicated.notes == ["\(week): --dedupe left out 150 rows whose id another row has (100.0% of its rows; of each id the first row is kept, "
                                       + "or the last updated where the config maps updated_at): right for exports that overlap; "
                                       + "if they are other contacts under the same ids (two systems that number calls alike, ids a spreadsheet rounded), run without --dedupe"])
        let once = TestSupport.temporaryFile(header + (rows + [rows[0]]).joined(separator: "\n") + "\n")
        #expect(try ledger([once]).warnings == [])
        let fewRepeats = TestSupport.temporaryFile(header + (rows + rows[..<14]).joined(separator: "\n") + "\n")
        #expect(try ledger([fewRepeats], dedupe: true).notes == [], "14 of 164 rows: under a tenth")
        // One file of ten whose rows all repeat another's ids: said of that file, though under a tenth of the run.
        let nights = (0..<10).map { night in
            TestSupport.temporaryFile(header + (0..<150).map { "n\(night)-\($0),101,2019-04-01T10:00:00Z,2019-04-01T10:00:09Z,,answered," }.joined(separator: "\n") + "\n")
        }
        let joined = TestSupport.temporaryFile(header + rows.prefix(100).joined(separator: "\n") + "\n")
        #expect(try ledger([week] + nights + [joined], dedupe: true).notes.filter { $0.contains("--dedupe left out") }.count == 1)
    }

    /// A tiny budget sends ids to the scratch file; the file never has a name in the directory, during
    /// the run or after it, whether the run succeeds or fails.
    @Test func theScratchFileLeavesNothingBehind() throws {
        let directory = TestSupport.temporaryRoot.appendingPathComponent("cm-scratch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let contacts = Self.contactsLog(seed: 11, rows: 4000, poolSize: 3000)
        let path = TestSupport.temporaryFile(contacts.text)
        for dedupe in [false, true] {
            let result = try Self.run([path], threads: 2, blockSize: 4096, budget: 0, mixing: .spread, dedupe: dedupe, scratchDirectory: directory)
            #expect(result.idScratchBytes > 10_000)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        }
        // A failing run (the second input does not exist) after the first input spilled.
        #expect(throws: InputError.self) {
            _ = try Self.run([path, directory + "/missing.csv"], threads: 2, blockSize: 4096, budget: 0, mixing: .spread, dedupe: true,
                             scratchDirectory: directory)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func aScratchDirectoryThatCannotBeWrittenFailsTheRun() throws {
        let contacts = Self.contactsLog(seed: 12, rows: 2000, poolSize: 1500)
        let path = TestSupport.temporaryFile(contacts.text)
        let missing = TestSupport.temporaryRoot.appendingPathComponent("cm-no-such-\(UUID().uuidString)").path
        #expect(throws: InputError.scratchFailed(directory: missing, reason: "No such file or directory")) {
            _ = try Self.run([path], threads: 2, blockSize: 4096, budget: 0, mixing: .spread, dedupe: false, scratchDirectory: missing)
        }
        // Within the default budget nothing is written, so the same directory does no harm.
        let result = try Self.run([path], threads: 2, blockSize: 4096, budget: nil, mixing: .spread, dedupe: false, scratchDirectory: missing)
        #expect(result.idScratchBytes == 0)
    }

    @Test func codesOfDifferentIdsDiffer() {
        var codes: [String: (UInt64, UInt64)] = [:]
        for id in Self.idPool + (0..<2000).map({ "REF-\($0)" }) + (0..<2000).map({ String(repeating: "z", count: $0 % 40 + 1) + "\($0)" }) {
            let code = Array(id.utf8).withUnsafeBytes { IdCode($0, kind: .contact) }
            if let other = codes.first(where: { $0.value == (code.high, code.low) }) { Issue.record("\(id) and \(other.key) share a code") }
            codes[id] = (code.high, code.low)
            let incident = Array(id.utf8).withUnsafeBytes { IdCode($0, kind: .incident) }
            #expect(incident != code && incident.high != 0 && code.high != 0)
        }
    }

    /// An id of up to 15 bytes is its own code: the bytes, little-endian in two words, and their count.
    @Test func shortIdsArePackedExactly() {
        var random = SplitMix64(seed: 5)
        for count in 1...15 {
            for _ in 0..<50 {
                let bytes = (0..<count).map { _ in UInt8(ascii: "a") + UInt8(random.next() % 26) }
                var low: UInt64 = 0, high: UInt64 = 0
                for (index, byte) in bytes.enumerated() {
                    if index < 8 { low |= UInt64(byte) << (8 * UInt64(index)) } else { high |= UInt64(byte) << (8 * UInt64(index - 8)) }
                }
                let code = bytes.withUnsafeBytes { IdCode($0, kind: .contact) }
                #expect(code.low == low && code.high == IdCode.shortTag | UInt64(count) << 56 | high, "\(bytes)")
            }
        }
    }

    /// The table doubles at half full while the doubled table fits its budget, and at 70% past that
    /// (the load `DuplicateFinder` plans its passes for); what it holds is the same either way.
    @Test func theIdTableGrowsAtHalfWithinItsBudget() {
        var table = IdTable(recordSize: IdRecord.codeOnlySize, mixing: .spread)
        table.removeAll(keepingAtMost: 64 << 10)  // 4,096 slots of 16 bytes
        var inserted = 0
        func insert(upTo count: Int) {
            while inserted < count {
                var code = IdCode(high: IdCode.numericTag, low: UInt64(inserted))
                #expect(withUnsafeBytes(of: &code) { table.insert($0.baseAddress!) } == nil)
                inserted += 1
            }
        }
        insert(upTo: 512)
        #expect(table.byteCount == 16 << 10)
        insert(upTo: 513)
        #expect(table.byteCount == 32 << 10)
        insert(upTo: 1025)
        #expect(table.byteCount == 64 << 10)
        insert(upTo: 2867)  // 70% of 4,096: doubling again would pass the budget
        #expect(table.byteCount == 64 << 10)
        insert(upTo: 2868)
        #expect(table.byteCount == 128 << 10)
        for value in stride(from: 0, to: 2868, by: 97) {
            var code = IdCode(high: IdCode.numericTag, low: UInt64(value))
            #expect(withUnsafeBytes(of: &code) { table.insert($0.baseAddress!) } != nil)
        }
        #expect(table.count == 2868)
    }

    /// The last bytes of an id after its whole words are one zero-padded word, however it is read:
    /// for each length from 1 to 40 and each start of the tail, the byte-by-byte `ByteWords.tail` and
    /// (from 8 bytes) `ByteWords.lastBytes`, which `IdCode.hash128` reads the last word whole with, give
    /// the word a reading byte by byte gives; the bytes just outside the id change neither the word nor
    /// the id's code.
    @Test func theTailOfAHashedIdIsItsLastBytes() {
        var random = SplitMix64(seed: 17)
        for count in 1...40 {
            for _ in 0..<20 {
                // The id sits between random bytes, which a read outside it would pick up.
                let padded = (0..<(count + 16)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                let id = Array(padded[8..<(8 + count)])
                padded.withUnsafeBytes { all in
                    let bytes = UnsafeRawBufferPointer(rebasing: all[8..<(8 + count)])
                    for offset in max(0, count - 7)...count {
                        var expected: UInt64 = 0
                        for (index, byte) in id[offset...].enumerated() { expected |= UInt64(byte) << (8 * UInt64(index)) }
                        #expect(ByteWords.tail(bytes, from: offset) == expected, "\(count) bytes from \(offset)")
                        if count >= 8 { #expect(ByteWords.lastBytes(bytes, from: offset) == expected, "\(count) bytes from \(offset)") }
                    }
                    let inPlace = IdCode(bytes, kind: .contact), alone = id.withUnsafeBytes { IdCode($0, kind: .contact) }
                    #expect(inPlace == alone, "\(count) bytes")
                }
            }
        }
    }

    /// Each 32-bit slice of the 125 hashed bits behaves like a random function on look-alike ids: the
    /// collisions among 200,000 of them are close to the n²/2³³ ≈ 4.7 expected of random bits.
    @Test func hashedCodesSpreadLikeRandomBits() {
        let count = 200_000
        var slices: [[UInt32]] = Array(repeating: [], count: 4)
        for index in 0..<count {
            let id = "3f2504e0-4f89-41d3-9a0c-\(String(format: "%012d", index))"
            let code = Array(id.utf8).withUnsafeBytes { IdCode($0, kind: .contact) }
            #expect(code.high >> 62 == 3)
            slices[0].append(UInt32(truncatingIfNeeded: code.low))
            slices[1].append(UInt32(truncatingIfNeeded: code.low >> 32))
            slices[2].append(UInt32(truncatingIfNeeded: code.high))
            slices[3].append(UInt32(truncatingIfNeeded: code.high >> 29))
        }
        for slice in slices {
            let collisions = count - Set(slice).count
            #expect(collisions <= 20, "\(collisions) collisions in 32 bits among \(count) ids")
        }
    }
}
