import Dispatch
import Foundation
import Testing
@testable import ContactMetrics

/// Range reading maps each range (`FileMapping`) instead of copying it: the figures must be the ones
/// a copy gives, and a file cut short while it is mapped must fail the run as a short read does, not
/// stop the process with `SIGBUS`.
@Suite struct FileMappingTests {
    private func read(_ paths: [String], threads: Int, blockSize: Int, maps: Bool, config: MappingConfig? = nil) throws -> (String, [String]) {
        var options = TestSupport.options(threads: threads, blockSize: blockSize)
        options.mapsFiles = maps
        options.smallestMappedRange = 0
        options.mapping = config
        options.computeContentHash = true
        let ranges = Locked((mapped: 0, copied: 0))
        options.afterRangeRead = { _, mapped in ranges.withLock { if mapped { $0.mapped += 1 } else { $0.copied += 1 } } }
        let rejects = Locked<[String]>([])
        let result = try IngestEngine(options: options).run(inputs: paths, onReject: { row in rejects.withLock { $0.append(row.description) } })
        // Every range read the way asked for (a silent fall back to copies would compare copies with copies).
        let counts = ranges.withLock { $0 }
        #expect(maps ? counts.copied == 0 && counts.mapped > 0 : counts.mapped == 0 && counts.copied > 0)
        let json = Report(cube: result.cube, period: .month, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
            .json().serialized()
        return (json + "\n" + result.ledger.sources.map { $0.contentFingerprint ?? "none" }.joined(separator: ","), rejects.withLock { $0 })
    }

    @Test(arguments: AwkwardLog.Flaw.allCases)
    func mappedRangesGiveWhatCopiedRangesGive(flaw: AwkwardLog.Flaw) throws {
        let path = TestSupport.temporaryFile(AwkwardLog.contacts(seed: 3, rows: 150, flaw: flaw))
        let copied = try read([path], threads: 2, blockSize: 1 << 20, maps: false)
        for blockSize in [1, 97, 4096, 1 << 20] {
            let mapped = try read([path], threads: 2, blockSize: blockSize, maps: true)
            #expect(mapped == copied, "flaw \(flaw), block size \(blockSize)")
        }
    }

    /// JSON records, one per line and one after another: the second framing searches past a range's
    /// end for the place between objects, which maps a larger run of the file.
    @Test func mappedJSONRecordsGiveWhatCopiedOnesGive() throws {
        let config = try MappingConfig.load(path: TestSupport.sample("formats/amazon-connect.json"))
        for name in ["amazon-connect.jsonl", "amazon-connect-firehose.json"] {
            let path = TestSupport.sample("formats/" + name)
            let copied = try read([path], threads: 2, blockSize: 1 << 20, maps: false, config: config)
            for blockSize in [64, 1000] {
                #expect(try read([path], threads: 2, blockSize: blockSize, maps: true, config: config) == copied, "block size \(blockSize)")
            }
        }
    }

    /// A file truncated after its bytes were mapped: the pages past its new end read as zeros (instead
    /// of `SIGBUS`), and the check after decoding reports the short file as a read failure.
    @Test func aFileCutShortWhileMappedIsAReadFailure() throws {
        let page = FileMappingFaults.pageSize
        let bytes = (0..<(4 * page)).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) }
        let path = TestSupport.temporaryFile(Data(bytes), name: "cut.csv")
        let descriptor = open(path, O_RDWR)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        let mapping = try #require(FileMapping(descriptor: descriptor, offset: page + 100, count: 2 * page))
        #expect(!mapping.hasShrunk)
        #expect((0..<(2 * page)).allSatisfy { mapping.base[$0] == bytes[page + 100 + $0] })

        #expect(ftruncate(descriptor, off_t(page + 300)) == 0)
        var read = [UInt8](repeating: 0xFF, count: 2 * page)
        for index in 0..<(2 * page) { read[index] = mapping.base[index] }
        #expect(Array(read[0..<200]) == Array(bytes[(page + 100)..<(page + 300)]))
        #expect(read[200...].allSatisfy { $0 == 0 })
        #expect(mapping.hasShrunk)

        // The input's check after a block: a fault with the file as long as what was read is a page that
        // could not be read; a file shorter than what was read is that, fault or not.
        let text = AwkwardLog.contacts(seed: 1, rows: 3, flaw: .none)
        let log = TestSupport.temporaryFile(text)
        let input = try #require(try SplitInput.open(name: log, fileIndex: 0, firstSequence: 0, options: TestSupport.options(),
                                                     openFiles: DispatchSemaphore(value: 1)))
        #expect(throws: InputError.readFailed(path: log, reason: "some of its pages could not be read (an I/O error, or the file changed)")) {
            try input.check(mapping, readUpTo: 1)
        }
        let logDescriptor = open(log, O_RDWR)
        defer { close(logDescriptor) }
        let logMapping = try #require(FileMapping(descriptor: logDescriptor, offset: 0, count: text.utf8.count))
        try input.check(logMapping, readUpTo: text.utf8.count)
        #expect(ftruncate(logDescriptor, off_t(text.utf8.count - 20)) == 0)
        #expect(throws: InputError.readFailed(path: log, reason: "the file became shorter while it was read")) {
            try input.check(logMapping, readUpTo: text.utf8.count)
        }
        #expect(!logMapping.hasShrunk)
    }

    /// The engine's side: a file cut short after its first range is mapped and before it is decoded
    /// fails the run with the short-read message, mapped or copied (a copy has the bytes, but the
    /// next range's read comes up short).
    @Test(arguments: [true, false])
    func aFileCutShortDuringARunFailsIt(maps: Bool) throws {
        var text = AwkwardLog.contacts(seed: 2, rows: 40, flaw: .none)
        while text.utf8.count < 3 * FileMappingFaults.pageSize { text += text.split(separator: "\n", maxSplits: 1)[1] }
        let path = TestSupport.temporaryFile(text)
        var options = TestSupport.options(threads: 1, blockSize: 2 * FileMappingFaults.pageSize)
        options.mapsFiles = maps
        options.smallestMappedRange = 0
        options.afterRangeRead = { path, _ in
            let descriptor = open(path, O_WRONLY)
            _ = ftruncate(descriptor, off_t(FileMappingFaults.pageSize))
            close(descriptor)
        }
        #expect(throws: InputError.readFailed(path: path, reason: "the file became shorter while it was read")) {
            try IngestEngine(options: options).run(inputs: [path])
        }
    }

    /// Cut short by less than a page: the bytes past the new end read as zeros with no fault (the kernel
    /// zero-fills the page that holds it), so only the file's size tells.
    @Test func aFileCutShortByLessThanAPageFailsTheRun() throws {
        let text = AwkwardLog.contacts(seed: 6, rows: 60, flaw: .none)
        let path = TestSupport.temporaryFile(text)
        var options = TestSupport.options(threads: 1)
        options.smallestMappedRange = 0
        options.afterRangeRead = { path, _ in
            let descriptor = open(path, O_WRONLY)
            _ = ftruncate(descriptor, off_t(text.utf8.count - 20))
            close(descriptor)
        }
        #expect(throws: InputError.readFailed(path: path, reason: "the file became shorter while it was read")) {
            try IngestEngine(options: options).run(inputs: [path])
        }
    }

    /// Cut short before a later range is read: that range is zeros, in which its search for a record
    /// start finds none, until the record looks too long for range reading. Handing the run to the
    /// streaming reader would read the shorter file as if whole.
    @Test(arguments: [1, 2])
    func aFileCutShortBeforeARangeFailsTheRun(threads: Int) throws {
        var text = AwkwardLog.contacts(seed: 7, rows: 40, flaw: .none)
        while text.utf8.count < 40 * FileMappingFaults.pageSize { text += text.split(separator: "\n", maxSplits: 1)[1] }
        let path = TestSupport.temporaryFile(text)
        var options = TestSupport.options(threads: threads, blockSize: 4 * FileMappingFaults.pageSize)
        options.maximumRecordBytes = 16 * FileMappingFaults.pageSize
        let calls = Locked(0)
        options.smallestMappedRange = 0
        options.afterRangeRead = { path, _ in
            guard calls.withLock({ $0 += 1; return $0 }) == 2 else { return }
            let descriptor = open(path, O_WRONLY)
            _ = ftruncate(descriptor, off_t(5 * FileMappingFaults.pageSize + 100))
            close(descriptor)
        }
        #expect(throws: InputError.readFailed(path: path, reason: "the file became shorter while it was read")) {
            try IngestEngine(options: options).run(inputs: [path])
        }
    }

    /// Word loads past the last byte asked for stay in readable memory, at the file's end too (where a
    /// mapping's own pages end).
    @Test func theBytesAfterAMappingAreReadable() throws {
        let page = FileMappingFaults.pageSize
        for size in [1, 100, page - 1, page, page + 1, 2 * page] {
            let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: size)
            let path = TestSupport.temporaryFile(Data(bytes), name: "end.csv")
            let descriptor = open(path, O_RDONLY)
            defer { close(descriptor) }
            let mapping = try #require(FileMapping(descriptor: descriptor, offset: size - 1, count: 1))
            let slack = (0..<(1 + BlockBuffer.slack)).map { mapping.base[$0] }
            #expect(slack == [UInt8(ascii: "x")] + [UInt8](repeating: 0, count: BlockBuffer.slack), "size \(size)")
        }
    }
}
