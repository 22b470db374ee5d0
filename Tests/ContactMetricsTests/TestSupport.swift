import Foundation
@testable import ContactMetrics

/// Shared helpers: temporary files, running the engine on text, fixture paths.
enum TestSupport {
    static let london = try! TimeZoneRules(identifier: "Europe/London")

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func fixture(_ name: String) -> String {
        packageRoot.appendingPathComponent("Tests/ContactMetricsTests/Fixtures/\(name)").path
    }

    static func sample(_ name: String) -> String {
        packageRoot.appendingPathComponent("SampleData/\(name)").path
    }

    /// One directory per test process for every file the tests write, removed when the process exits
    /// (the suite wrote about a thousand directories into /tmp per run and left them there).
    static let temporaryRoot: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("contact-metrics-tests-\(getpid())")
        try? FileManager.default.removeItem(at: root)
        try! FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestSupport.temporaryRoot) }
        return root
    }()

    /// Writes `contents` to a new temporary file and returns its path.
    static func temporaryFile(_ contents: String, name: String = "input.csv") -> String {
        temporaryFile(Data(contents.utf8), name: name)
    }

    static func temporaryFile(_ contents: Data, name: String = "input.csv") -> String {
        let directory = TestSupport.temporaryRoot.appendingPathComponent("cm-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try! contents.write(to: url)
        return url.path
    }

    /// `2019-04-01T08:15:02Z`, or with `+01:00` and the local time when `offsetHours` is 1: what
    /// `ISO8601DateFormatter` writes, without building a formatter per timestamp (which made the
    /// random-log helpers half of the suite's time).
    static func iso8601(_ seconds: Int, offsetHours: Int = 0) -> String {
        let local = Int64(seconds + offsetHours * 3600)
        let day = floorDivide(local, 86_400), second = Int(local - day * 86_400)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let zone = offsetHours == 0 ? "Z" : (offsetHours > 0 ? "+" : "-") + two(abs(offsetHours)) + ":00"
        return "\(CivilDate(daysSinceEpoch: day))T\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60))" + zone
    }

    /// `data` compressed by the system's `gzip` (an independent writer of the format).
    static func gzip(_ data: Data) throws -> Data {
        let input = temporaryFile(data, name: "plain.csv")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-k", "-f", input]
        try process.run()
        process.waitUntilExit()
        return try Data(contentsOf: URL(fileURLWithPath: input + ".gz"))
    }

    /// The thread counts a sweep runs: all of them, except under ThreadSanitizer (CI sets
    /// `CONTACT_METRICS_THREAD_SANITIZER=1`), where a run with one worker is left out when the sweep has
    /// others. ThreadSanitizer looks for races, not wrong figures: a run with more workers gives it every
    /// handoff a run with one does, and each run costs it ten times the plain one. The plain and
    /// AddressSanitizer runs keep the whole sweep.
    static func threadCounts(_ counts: [Int]) -> [Int] {
        guard ProcessInfo.processInfo.environment["CONTACT_METRICS_THREAD_SANITIZER"] == "1" else { return counts }
        let several = counts.filter { $0 > 1 }
        return several.isEmpty ? counts : several
    }

    /// The comparison of windows `before` and `after` (`LABEL=FROM..TO`) of contacts `csv`, read with two workers.
    static func comparison(_ csv: String, before: String, after: String, timeZone: String = "Europe/London") throws -> Comparison {
        var options = options(grain: .local(.day), threads: 2)
        options.timeZone = try TimeZoneRules(identifier: timeZone)
        let before = ComparisonWindow(parsing: before)!, after = ComparisonWindow(parsing: after)!
        options.dayWindows = [before.dayRange, after.dayRange]
        let result = try ingest([temporaryFile(csv)], options)
        return Comparison(cube: result.cube, before: before, after: after, timeZone: timeZone, ledger: result.ledger, options: MetricOptions())
    }

    static func options(grain: CellGrain = .local(.month), threads: Int = 1, blockSize: Int = 1 << 20) -> IngestOptions {
        var options = IngestOptions(timeZone: london, grain: grain)
        options.threads = threads
        options.blockSize = blockSize
        return options
    }

    static func ingest(_ paths: [String], _ options: IngestOptions) throws -> IngestResult {
        try IngestEngine(options: options).run(inputs: paths)
    }

    /// Report of `csv` text at `period` grain.
    static func report(_ csv: String, period: PeriodUnit = .month, metricOptions: MetricOptions = MetricOptions(),
                       configure: (inout IngestOptions) -> Void = { _ in }) throws -> Report {
        var options = options(grain: .local(period))
        configure(&options)
        let result = try ingest([temporaryFile(csv)], options)
        return Report(cube: result.cube, period: period, timeZone: "Europe/London", ledger: result.ledger, options: metricOptions)
    }
}
