import Foundation
import Testing
@testable import ContactMetrics

/// Each export format in `SampleData/formats/` gives the figures of an independent recount: the file is
/// decoded here with Foundation (its own text encodings, `DateFormatter`, plain arithmetic on the
/// vendor's columns) into canonical rows, which `ReferenceModel` counts; the engine reads the file as a
/// user would, with the options and config `SampleData/README.md` gives.
@Suite struct SampleFormatTests {
    private static let london = TimeZone(identifier: "Europe/London")!

    private static func instant(_ text: String, _ format: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = london
        formatter.dateFormat = format
        return formatter.date(from: text)
    }

    private static func iso(_ date: Date?) -> String {
        guard let date else { return "" }
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: floor(date.timeIntervalSince1970)))
    }

    /// Canonical CSV for the reference model (no field of these samples holds a comma or a quote once decoded).
    private static func canonical(_ rows: [[String]]) -> String {
        (["channel,arrived_at,answered_at,ended_at,outcome,category"] + rows.map { $0.joined(separator: ",") }).joined(separator: "\n") + "\n"
    }

    private static func sample(_ name: String) throws -> Data {
        try Data(contentsOf: TestSupport.packageRoot.appendingPathComponent("SampleData/formats/\(name)"))
    }

    /// The engine's month figures for `name`, beside the reference model's.
    private static func compare(_ name: String, reference: String, configure: (inout IngestOptions) throws -> Void = { _ in }) throws {
        var options = TestSupport.options(threads: 2, blockSize: 256)
        options.judgesDateOrder = true
        try configure(&options)
        let result = try TestSupport.ingest([TestSupport.packageRoot.appendingPathComponent("SampleData/formats/\(name)").path], options)
        var metrics = MetricOptions()
        if let channels = options.mapping?.submissionChannels { metrics.submissionChannels = Set(channels) }
        let report = Report(cube: result.cube, period: .month, timeZone: "Europe/London", ledger: result.ledger, options: metrics)
        let expected = ReferenceModel.compute(reference)
        #expect(expected.rejected == 0 && result.ledger.rowsRejected == 0, "\(name)")
        #expect(result.ledger.rowsAccepted == expected.rowsRead, "\(name)")
        #expect(!report.periods.isEmpty && report.periods.map(\.label).sorted() == expected.figures.keys.sorted(), "\(name)")
        for period in report.periods {
            let figures = try #require(expected.figures[period.label], "\(name) \(period.label)")
            #expect(Set(period.channels.map(\.channel)) == Set(figures.keys), "\(name)")
            for channel in period.channels {
                let want = try #require(figures[channel.channel])
                #expect(channel.received == Int64(want.received), "\(name) \(channel.channel)")
                #expect(channel.categories.mapValues { Int($0) } == want.categories, "\(name) \(channel.channel)")
                guard !channel.isSubmission else { continue }
                #expect(channel.answered == Int64(want.answered) && channel.abandoned == Int64(want.abandoned), "\(name) \(channel.channel)")
                #expect(channel.asaSeconds == want.asaSeconds && channel.answerP90Seconds.map(Int.init) == want.p90, "\(name) \(channel.channel)")
                #expect(channel.maxWaitSeconds.map(Int.init) == want.maxWait, "\(name) \(channel.channel)")
            }
        }
    }

    private static func canonicalRows(_ text: String, separator: Character, dateFormat: String) -> [[String]] {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).dropFirst().compactMap { line in
            let fields = line.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            guard fields.contains(where: { !$0.isEmpty }) else { return nil }  // a blank row
            let (channel, arrived, answered, ended, outcome, category) = (fields[1], fields[2], fields[3], fields[4], fields[5], fields[6])
            func time(_ text: String) -> String { text.isEmpty ? "" : iso(instant(text, dateFormat)) }
            return [channel, time(arrived), time(answered), time(ended), outcome, category]
        }
    }

    @Test func excelUnicodeText() throws {
        let text = try #require(String(data: try Self.sample("excel-unicode-text.txt"), encoding: .utf16))
        try Self.compare("excel-unicode-text.txt", reference: Self.canonical(Self.canonicalRows(text, separator: "\t", dateFormat: "yyyy-MM-dd HH:mm:ss")))
    }

    @Test func windows1252() throws {
        let text = try #require(String(data: try Self.sample("windows-1252.csv"), encoding: .windowsCP1252))
        try Self.compare("windows-1252.csv", reference: Self.canonical(Self.canonicalRows(text, separator: ",", dateFormat: "yyyy-MM-dd HH:mm:ss"))) {
            $0.encoding = .windows1252
        }
    }

    @Test func semicolonWithUKDates() throws {
        let text = try #require(String(data: try Self.sample("uk-semicolon.csv"), encoding: .utf8))
        try Self.compare("uk-semicolon.csv", reference: Self.canonical(Self.canonicalRows(text, separator: ";", dateFormat: "dd/MM/yyyy HH:mm:ss")))
    }

    private static func config(_ name: String) throws -> MappingConfig {
        try MappingConfig.parse(try sample(name), name: name)
    }

    @Test func genesysInteractions() throws {
        let text = try #require(String(data: try Self.sample("genesys-interactions.csv"), encoding: .utf8))
        let records = ReferenceModel.parseCSV(text)
        let header = records[0]
        var rows: [[String]] = []
        for record in records.dropFirst() {
            let row = Dictionary(uniqueKeysWithValues: zip(header, record))
            guard row["Direction"] == "Inbound" else { continue }
            let channel = ["999 Emergency": "999", "101 Non-Emergency": "101", "Webchat": "webchat"][row["Queue"]!]!
            let arrived = try #require(Self.instant(row["Date"]!, "dd/MM/yyyy HH:mm"))
            func seconds(_ columns: String...) -> Double { floor(columns.map { Double(row[$0]!) ?? 0 }.reduce(0, +) / 1000) }
            if row["Abandoned"] == "YES" {
                rows.append([channel, Self.iso(arrived), "", Self.iso(arrived + seconds("Total Queue")), "abandoned", row["Wrap-up"]!])
            } else {
                let answered = arrived + seconds("Total Queue", "Total Alert")
                rows.append([channel, Self.iso(arrived), Self.iso(answered), Self.iso(answered + seconds("Total Handle")), "answered", row["Wrap-up"]!])
            }
        }
        try Self.compare("genesys-interactions.csv", reference: Self.canonical(rows)) {
            $0.mapping = try Self.config("genesys-interactions.json")
            $0.dateOrder = .dayFirst
        }
    }

    @Test func ciscoTerminationCallDetail() throws {
        let text = try #require(String(data: try Self.sample("cisco-tcd.csv"), encoding: .utf8))
        let records = ReferenceModel.parseCSV(text)
        let header = records[0]
        var rows: [[String]] = []
        for record in records.dropFirst() {
            let row = Dictionary(uniqueKeysWithValues: zip(header, record))
            guard ["1", "2"].contains(row["PeripheralCallType"]!) else { continue }
            let channel = ["5999": "999", "5101": "101"][row["DNIS"]!]!
            let ended = try #require(Self.instant(row["DateTime"]!, "yyyy-MM-dd HH:mm:ss.SSS"))
            func seconds(_ column: String) -> Double { Double(row[column]!)! }
            let arrived = ended - seconds("Duration")
            let disposition = Int(row["CallDisposition"]!)!
            if [13, 14].contains(disposition) {
                let answered = arrived + seconds("DelayTime") + seconds("LocalQTime") + seconds("RingTime")
                rows.append([channel, Self.iso(arrived), Self.iso(answered), Self.iso(ended), "answered", ""])
            } else {
                #expect([1, 2, 3, 4, 7].contains(disposition))
                rows.append([channel, Self.iso(arrived), "", Self.iso(ended), "abandoned", ""])
            }
        }
        try Self.compare("cisco-tcd.csv", reference: Self.canonical(rows)) { $0.mapping = try Self.config("cisco-tcd.json") }
    }
}
