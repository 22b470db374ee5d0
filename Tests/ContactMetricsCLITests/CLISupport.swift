import Foundation
@testable import ContactMetrics

/// Temporary files, sample paths and library runs for the CLI tests.
enum TestSupport {
    static let london = try! TimeZoneRules(identifier: "Europe/London")

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func sample(_ name: String) -> String {
        packageRoot.appendingPathComponent("SampleData/\(name)").path
    }

    /// One directory per test process for every file the tests write, removed when the process exits
    /// (the suite wrote about a thousand directories into /tmp per run and left them there).
    static let temporaryRoot: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("contact-metrics-cli-tests-\(getpid())")
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
        let directory = TestSupport.temporaryRoot.appendingPathComponent("cm-cli-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try! contents.write(to: url)
        return url.path
    }

    static func options(grain: CellGrain = .local(.month), threads: Int = 2, blockSize: Int = 1 << 20) -> IngestOptions {
        var options = IngestOptions(timeZone: london, grain: grain)
        options.threads = threads
        options.blockSize = blockSize
        return options
    }

    static func ingest(_ paths: [String], _ options: IngestOptions) throws -> IngestResult {
        try IngestEngine(options: options).run(inputs: paths)
    }

    /// A contacts file of `rows` rows from the uniform generator (a different one for each seed).
    static func contactsFile(seed: UInt64, rows: Int) throws -> String {
        let directory = TestSupport.temporaryRoot.appendingPathComponent("cm-cli-logs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let contacts = try GzipOutputWriter(path: directory + "/contacts.csv", gzip: false)
        let incidents = try GzipOutputWriter(path: directory + "/incidents.csv", gzip: false)
        _ = try SyntheticLogGenerator(profile: .uniform, seed: seed, rows: rows).write(contacts: { try contacts.write($0) },
                                                                                      incidents: { try incidents.write($0) })
        try contacts.close()
        try incidents.close()
        return directory + "/contacts.csv"
    }
}

/// Stores for the CLI tests.
enum StoreSupport {
    static func temporaryStorePath() -> String {
        TestSupport.temporaryRoot.appendingPathComponent("cm-store-\(UUID().uuidString).db").path
    }

    /// Ingests `paths` into `store` through the library, as `ingest` would.
    static func ingest(_ paths: [String], into store: ContactStore) throws -> [IngestDisposition] {
        var options = IngestOptions(timeZone: TestSupport.london, grain: .utcQuarterHour)
        options.threads = 2
        options.computeContentHash = true
        return try store.ingest(paths.map { path in
            let result = try IngestEngine(options: options).run(inputs: [path])
            return StoreSourceInput(name: path, cube: result.cube, ledger: result.ledger, readingOptions: options.readingRecord)
        })
    }

    /// Everything in a store, for "exactly as before" checks.
    static func snapshot(_ store: ContactStore) throws -> (Cube, [StoredSource], Ledger) {
        (try store.cube(), try store.sources(), try store.ledger())
    }
}
