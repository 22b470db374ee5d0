import Foundation

/// The whole engine on the input written to a file: one thread streaming one big block, against
/// range reading with two and three threads at small block sizes. The report, the rejected rows and
/// the content fingerprint must be the same, and the ledger must balance. An input that starts with
/// `{` is read as JSON records (`RecordsTarget.jsonConfig`): objects one after another are read in
/// ranges cut at guessed places, which a string holding `}{` makes wrong.
enum EngineTarget {
    static let path: String = {
        let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return "\(directory)/contact-metrics-fuzz-\(getpid()).csv"
    }()

    static func run(_ input: UnsafeRawBufferPointer) {
        guard input.count <= 1 << 16 else { return }
        fuzzCheck(FileManager.default.createFile(atPath: path, contents: Data(input)), "cannot write \(path)")
        let json = input.first == UInt8(ascii: "{")
        let baseline = outcome(threads: 1, blockSize: 1 << 20, ranges: false, json: json)
        for (threads, blockSize) in [(2, 7), (3, 64)] {
            let other = outcome(threads: threads, blockSize: blockSize, ranges: true, json: json)
            fuzzCheck(other == baseline, "threads \(threads), block \(blockSize) differ from one streamed block:\n\(other)\n\(baseline)")
        }
    }

    static func outcome(threads: Int, blockSize: Int, ranges: Bool, json: Bool) -> String {
        var options = IngestOptions(timeZone: FuzzSupport.london, grain: .local(.month))
        options.threads = threads
        options.blockSize = blockSize
        options.readsRanges = ranges
        options.computeContentHash = true
        options.maximumRecordBytes = 4096
        if json { options.mapping = RecordsTarget.jsonConfig }
        let rejects = Locked<[String]>([])
        do {
            let result = try IngestEngine(options: options).run(inputs: [path], onReject: { row in
                rejects.withLock { $0.append("\(row.lineNumber) \(row.reason) \(row.message) \(row.record)") }
            })
            let ledger = result.ledger
            fuzzCheck(ledger.rowsRead == ledger.rowsAccepted + ledger.rowsRejected + ledger.rowsSkipped, "the ledger does not balance")
            let report = Report(cube: result.cube, period: .month, timeZone: "Europe/London", ledger: ledger, options: MetricOptions())
            return report.json().serialized() + rejects.withLock { $0.joined(separator: "\n") } + "\(ledger.sources.map(\.contentFingerprint))"
        } catch {
            return "error: \(error)"
        }
    }
}
