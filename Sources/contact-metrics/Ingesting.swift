import ContactMetrics
import Foundation

/// Writes rejected rows as CSV (`file,line,reason,message,record`). Called serially by the engine.
final class RejectsFileWriter: @unchecked Sendable {
    private let handle: FileHandle
    let path: String

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CommandFailure.io("\(path): cannot create the rejects file")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        write(["file", "line", "reason", "message", "record"])
    }

    func write(_ fields: [String]) {
        let line = fields.map(CSVWriter.field).joined(separator: ",") + "\n"
        handle.write(Data(line.utf8))
    }

    func write(_ row: RejectedRow) {
        write([row.path, String(row.lineNumber), row.reason.rawValue, row.message, String(decoding: row.record, as: UTF8.self)])
    }

    func close() { try? handle.close() }
}

/// A failure that ends a command with a message and an exit status.
enum CommandFailure: Error {
    case io(String)
    case tooManyRejects(String)
}

/// Runs the ingest engine with the console around it: progress bar, rejects file, reject summary.
func runIngest(_ common: CommonOptions, inputs: [String]? = nil, options: IngestOptions? = nil) throws -> IngestResult {
    let engine = IngestEngine(options: options ?? common.ingest)
    let rejectsFile = try common.rejectsPath.map { try RejectsFileWriter(path: $0) }
    defer { rejectsFile?.close() }
    let progress = common.showProgress ? ProgressBar(totalBytes: common.knownInputBytes) : nil
    var onReject: (@Sendable (RejectedRow) -> Void)?
    if let rejectsFile { onReject = { rejectsFile.write($0) } }
    var onProgress: ((Int64) -> Void)?
    if let progress { onProgress = { progress.update($0) } }
    let outcome = Result { () throws(InputError) -> IngestResult in
        try engine.run(inputs: inputs ?? common.inputs, onReject: onReject, onProgress: onProgress)
    }
    progress?.finish()
    let result: IngestResult
    switch outcome {
    case .success(let value): result = value
    case .failure(let error): throw CommandFailure.io(error.description)
    }
    reportRejects(result, rejectsPath: common.rejectsPath)
    if result.ledger.exceeds(common.maxRejects) {
        throw CommandFailure.tooManyRejects(
            "\(result.ledger.rowsRejected) of \(result.ledger.rowsRead) rows rejected, over --max-rejects \(common.maxRejects!); nothing written")
    }
    return result
}

/// Prints the first rejected rows and a count on stderr (silent when nothing was rejected).
func reportRejects(_ result: IngestResult, rejectsPath: String?) {
    let rejected = result.ledger.rowsRejected
    guard rejected > 0 else { return }
    let shown = result.firstRejects.prefix(10)
    var text = shown.map { "warning: " + $0.description }.joined(separator: "\n") + "\n"
    if rejected > shown.count {
        text += "warning: ... and \(rejected - shown.count) more rejected rows"
        text += rejectsPath.map { " (all in \($0))" } ?? " (write them all with --rejects FILE)"
        text += "\n"
    }
    Terminal.error(text)
}

/// Writes a rendered report to `--output` (atomically) or standard output.
func emit(_ text: String, to outputPath: String?) throws {
    guard let outputPath else {
        Terminal.output(text)
        return
    }
    do {
        try text.write(toFile: outputPath, atomically: true, encoding: .utf8)
    } catch {
        throw CommandFailure.io("\(outputPath): cannot write: \(error.localizedDescription)")
    }
}
