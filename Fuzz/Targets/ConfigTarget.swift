import Foundation

/// The mapping config reader on arbitrary bytes: it either refuses them with a message naming the
/// file, or gives a config that resolves against a header of the columns it names (or refuses that
/// header with an input error), and that reads a row of that header without trapping.
enum ConfigTarget {
    static func run(_ input: UnsafeRawBufferPointer) {
        let config: MappingConfig
        do {
            config = try MappingConfig.parse(Data(input), name: "fuzz.json")
        } catch {
            fuzzCheck(error.description.utf8.starts(with: "fuzz.json: ".utf8), "a config error without the file name: \(error)")
            return
        }
        fuzzCheck(config.contentDigest.count == 64, "no content digest")
        var names = ["channel", "arrived_at"]
        for (_, source) in config.columns {
            names += source.columns + [source.dateColumn, source.dateIsOf].compactMap { $0 }
        }
        let header = Array(Set(names.map { $0.lowercased() })).sorted()
        var options = IngestOptions(timeZone: FuzzSupport.london, grain: .local(.month))
        options.mapping = config
        guard let layout = try? InputLayout.detect(header: header, path: "fuzz", forcedKind: nil, mapping: config) else { return }
        var row = header.map { _ in "x" }.joined(separator: ",") + "\n"
        row += header.map { _ in "2019-04-01T10:00:00Z" }.joined(separator: ",") + "\n"
        if config.delimiter == .whitespace { row = row.replacingOccurrences(of: ",", with: " ") }
        let buffer = Array(row.utf8).withUnsafeBytes(fuzzBuffer)
        var worker = BlockWorker(options: options)
        let outcome = worker.process(BlockJob(buffer: buffer, start: 0, end: row.utf8.count, sequence: 0, fileIndex: 0, path: "fuzz", layout: layout))
        let tally = outcome.tally
        fuzzCheck(tally.rowsRead == tally.accepted + tally.rejectedTotal + tally.skippedTotal, "a mapped row is not counted")
    }
}
