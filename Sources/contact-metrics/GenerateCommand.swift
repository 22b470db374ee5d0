import ContactMetrics
import Foundation

/// `contact-metrics generate`.
enum GenerateCommand {
    static func run(_ words: [String]) throws {
        let arguments = try Arguments(words, command: .generate)
        if arguments.has(.help) { try Terminal.output(Usage.help(for: .generate)); return }
        let fail = arguments.fail
        guard arguments.positionals.isEmpty else { throw fail("unexpected argument '\(arguments.positionals[0])'") }
        guard let profileName = arguments.value(.profile) else {
            throw fail("\(Option.profile.spelling) is required (\(SyntheticLogGenerator.Profile.allCases.map(\.rawValue).joined(separator: " or ")))")
        }
        guard let profile = SyntheticLogGenerator.Profile(rawValue: profileName) else {
            throw fail("\(Option.profile.spelling): expected \(SyntheticLogGenerator.Profile.allCases.map(\.rawValue).joined(separator: " or ")), found '\(profileName)'")
        }
        guard let directory = arguments.value(.out) else { throw fail("\(Option.out.spelling) DIR is required") }
        var rows = 1_000_000
        if let text = arguments.value(.rows) {
            guard let value = Int(text.replacingOccurrences(of: "_", with: "")), value >= 0 else {
                throw fail("\(Option.rows.spelling): expected a count, found '\(text)'")
            }
            rows = value
        }
        var scale = 1.0
        if let text = arguments.value(.scale) {
            guard let value = Double(text), value > 0, value <= 100 else { throw fail("\(Option.scale.spelling): expected a positive number, found '\(text)'") }
            scale = value
        }
        var seed: UInt64 = 2020
        if let text = arguments.value(.seed) {
            guard let value = UInt64(text) else { throw fail("\(Option.seed.spelling): expected a whole number, found '\(text)'") }
            seed = value
        }
        let shape = try exportShape(arguments)
        let shapeGiven = shapeOptions.filter(arguments.has)
        guard profile == .uniform || shapeGiven.isEmpty else {
            throw fail("\(shapeGiven.map(\.spelling).joined(separator: ", ")): only for \(Option.profile.spelling) uniform")
        }
        let gzip = arguments.has(.gzip)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure.io("\(directory): cannot create the directory: \(error.localizedDescription)")
        }
        let suffix = gzip ? ".csv.gz" : ".csv"
        // contacts.csv, or contacts-0001.csv … padded so that they sort in time order.
        let width = max(4, String(shape.files).count)
        func contactsPath(_ index: Int) -> String {
            guard shape.files > 1 else { return "\(directory)/contacts\(suffix)" }
            let number = String(index + 1)
            return "\(directory)/contacts-\(String(repeating: "0", count: width - number.count))\(number)\(suffix)"
        }
        let incidents = try GzipOutputWriter(path: "\(directory)/incidents\(suffix)", gzip: gzip)
        try replaceEarlierRun(in: directory, writing: (0..<shape.files).map { FilePaths.name(of: contactsPath($0)) } + ["incidents" + suffix])
        let start = Date()
        let generator = SyntheticLogGenerator(profile: profile, seed: seed, rows: rows, scale: scale, shape: shape)
        // One contacts file open at a time: each is finished as the next starts.
        var contacts: GzipOutputWriter?
        let summary = try generator.write(contactFile: { index in
            try contacts?.close()
            let file = try GzipOutputWriter(path: contactsPath(index), gzip: gzip)
            contacts = file
            return { try file.write($0) }
        }, incidents: { try incidents.write($0) })
        try contacts?.close()
        try incidents.close()
        let written = shape.files == 1 ? contactsPath(0) : "\(contactsPath(0)) … \(contactsPath(shape.files - 1))"
        let repeats = summary.duplicateRows > 0 ? " (\(DisplayFormat.count(Int64(summary.duplicateRows))) repeating an earlier id)" : ""
        Terminal.error(String(format: "generate: %@ (seed %llu): %@ contacts%@ to %@, %@ incidents to %@ (%d bad rows on purpose), %.1f s",
                              profile.rawValue, seed, DisplayFormat.count(Int64(summary.contactRows)), repeats, written,
                              DisplayFormat.count(Int64(summary.incidentRows)), incidents.path, summary.badRows, Date().timeIntervalSince(start)))
    }

    /// Where a run lists the files it wrote, so that the next run into the same directory removes only those.
    static let listName = ".contact-metrics-generated"

    /// Removes the files an earlier run listed as written to `directory` that this one does not write
    /// (`contacts-0003.csv` of a run with more `--files`, `.csv` beside `.csv.gz`: left there, `report
    /// DIR/contacts-*.csv` read them too), then lists this run's. Files it did not list (an export named
    /// `contacts-201904.csv`) are never touched.
    private static func replaceEarlierRun(in directory: String, writing: [String]) throws {
        let list = "\(directory)/\(listName)"
        let listed = ((try? String(contentsOfFile: list, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        let earlier = listed.filter { !writing.contains($0) && !$0.contains("/") && !$0.hasPrefix(".") }
        var removed: [String] = []
        for name in earlier {
            if unlink("\(directory)/\(name)") == 0 { removed.append(name); continue }
            if errno == ENOENT || errno == EISDIR || errno == EPERM { continue }  // gone, or not a file it wrote
            throw CommandFailure.io("\(directory)/\(name): cannot remove this file of an earlier run: \(String(cString: strerror(errno)))")
        }
        do {
            try (writing.joined(separator: "\n") + "\n").write(toFile: list, atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure.io("\(list): cannot write the list of generated files: \(error.localizedDescription)")
        }
        if !removed.isEmpty {
            Terminal.note("generate: removed \(removed.count == 1 ? removed[0] : "\(removed.count) files (\(removed[0]) …)") that an earlier run wrote to \(directory)")
        }
    }

    private static let shapeOptions: [Option] = [.ids, .duplicates, .timestamps, .quote, .lineEndings, .filler, .files]

    /// The export shape from --ids, --duplicates, --timestamps, --quote, --line-endings, --filler and --files.
    private static func exportShape(_ arguments: Arguments) throws -> ExportShape {
        let fail = arguments.fail
        func choice<Value: RawRepresentable & CaseIterable>(_ option: Option, _ default: Value) throws -> Value where Value.RawValue == String {
            guard let text = arguments.value(option) else { return `default` }
            guard let value = Value(rawValue: text) else {
                throw fail("\(option.spelling): expected \(Value.allCases.map(\.rawValue).joined(separator: " | ")), found '\(text)'")
            }
            return value
        }
        func count(_ option: Option, _ range: ClosedRange<Int>, _ default: Int) throws -> Int {
            guard let text = arguments.value(option) else { return `default` }
            guard let value = Int(text.replacingOccurrences(of: "_", with: "")), range.contains(value) else {
                throw fail("\(option.spelling): expected a whole number from \(range.lowerBound) to \(range.upperBound), found '\(text)'")
            }
            return value
        }
        var shape = ExportShape()
        shape.ids = try choice(.ids, shape.ids)
        shape.timestamps = try choice(.timestamps, shape.timestamps)
        shape.quoting = try choice(.quote, shape.quoting)
        shape.lineEnding = try choice(.lineEndings, shape.lineEnding)
        shape.fillerColumns = try count(.filler, 0...1000, 0)
        shape.files = try count(.files, 1...100_000, 1)
        if let text = arguments.value(.duplicates) {
            guard let value = Double(text), value >= 0, value <= 1 else {
                throw fail("\(Option.duplicates.spelling): expected a fraction from 0 to 1, found '\(text)'")
            }
            shape.duplicates = value
        }
        return shape
    }
}
