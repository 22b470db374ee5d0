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
        let gzip = arguments.has(.gzip)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure.io("\(directory): cannot create the directory: \(error.localizedDescription)")
        }
        let suffix = gzip ? ".csv.gz" : ".csv"
        let contacts = try GzipOutputWriter(path: "\(directory)/contacts\(suffix)", gzip: gzip)
        let incidents = try GzipOutputWriter(path: "\(directory)/incidents\(suffix)", gzip: gzip)
        let start = Date()
        let generator = SyntheticLogGenerator(profile: profile, seed: seed, rows: rows, scale: scale)
        let summary = try generator.write(contacts: { try contacts.write($0) }, incidents: { try incidents.write($0) })
        try contacts.close()
        try incidents.close()
        Terminal.error(String(format: "generate: %@ (seed %llu): %@ contacts to %@, %@ incidents to %@ (%d bad rows on purpose), %.1f s",
                              profile.rawValue, seed, DisplayFormat.count(Int64(summary.contactRows)), contacts.path,
                              DisplayFormat.count(Int64(summary.incidentRows)), incidents.path, summary.badRows, Date().timeIntervalSince(start)))
    }
}
