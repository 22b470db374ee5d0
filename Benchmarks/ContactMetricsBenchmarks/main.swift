// ContactMetricsBenchmarks: times ingest + every metric of DESIGN §4 at 1 and N threads.
//
// Each measurement runs in a child process (this binary with `--single`), so its wall time, CPU time
// and peak RSS (from wait4) belong to that run alone. Every run prints a fingerprint of its results;
// runs must agree with each other (and with --expect-rows), so a fast wrong answer fails.
#if canImport(Glibc)
import Glibc
#endif
import ContactMetrics
import Foundation

/// Writes a line to standard error.
func warn(_ text: String, _ unused: Any? = nil) {
    FileHandle.standardError.write(Data(text.utf8))
}

struct Options {
    var file: String?
    var threads = [1, 2]
    var runs = 3
    var expectRows: Int?
    var period = PeriodUnit.month
    /// `ranges`: workers read their own ranges (the default); `stream`: one reader thread streams blocks.
    var readers = ["ranges"]
    var single = false
}

func parseOptions() -> Options {
    var options = Options()
    var words = Array(CommandLine.arguments.dropFirst())
    func usage() -> Never {
        warn("USAGE: ContactMetricsBenchmarks --file CONTACTS.csv [--threads 1,2] [--runs 3] [--expect-rows N] [--period month] [--readers ranges,stream]\n")
        exit(64)
    }
    while !words.isEmpty {
        let word = words.removeFirst()
        func value() -> String {
            if words.isEmpty { usage() }
            return words.removeFirst()
        }
        func number() -> Int {
            guard let number = Int(value()) else { usage() }
            return number
        }
        switch word {
        case "--file": options.file = value()
        case "--threads": options.threads = value().split(separator: ",").compactMap { Int($0) }
        case "--runs": options.runs = number()
        case "--expect-rows": options.expectRows = number()
        case "--period":
            guard let period = PeriodUnit(rawValue: value()) else { usage() }
            options.period = period
        case "--readers":
            options.readers = value().split(separator: ",").map(String.init)
            if options.readers.contains(where: { $0 != "ranges" && $0 != "stream" }) { usage() }
        case "--single": options.single = true
        default: usage()
        }
    }
    if options.file == nil || options.threads.isEmpty || options.readers.isEmpty { usage() }
    return options
}

/// One run in this process: ingest, build the report (every metric), print a result line.
func singleRun(_ options: Options) throws {
    var ingest = IngestOptions(timeZone: try TimeZoneRules(identifier: "Europe/London"), grain: .local(options.period))
    ingest.threads = options.threads[0]
    ingest.readsRanges = options.readers[0] == "ranges"
    let start = Date()
    let result = try IngestEngine(options: ingest).run(inputs: [options.file!])
    let report = Report(cube: result.cube, period: options.period, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
    let seconds = Date().timeIntervalSince(start)
    // Fingerprint: row counts and, per period and channel, counts, mean wait and p90.
    var fingerprint = "rows=\(result.ledger.rowsRead) accepted=\(result.ledger.rowsAccepted) rejected=\(result.ledger.rowsRejected)"
    var hash: UInt64 = 1469598103934665603
    for period in report.periods {
        for channel in period.channels {
            let line = "\(period.label)|\(channel.channel)|\(channel.received)|\(channel.answered ?? -1)|\(channel.abandoned ?? -1)|\(channel.asaSeconds ?? -1)|\(channel.answerP90Seconds ?? -1)"
            for byte in line.utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        }
    }
    fingerprint += " metrics=\(String(hash, radix: 16))"
    print("RESULT \(seconds) \(result.ledger.rowsRead) \(fingerprint)")
}

struct Measurement {
    var wallSeconds: Double
    var cpuSeconds: Double
    var peakKilobytes: Int
    var rows: Int
    var fingerprint: String
}

/// This executable's path (to re-run it as a child).
let executablePath: String = {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    return count > 0 ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
}()

/// Runs one measurement in a child started with posix_spawn, so that wait4 gives its own rusage
/// (Foundation's Process reaps children itself).
func measure(_ options: Options, threads: Int, reader: String) throws -> Measurement {
    let arguments = [executablePath, "--single", "--file", options.file!, "--threads", String(threads), "--period", options.period.rawValue,
                     "--readers", reader]
    var pipeEnds: [Int32] = [0, 0]
    guard pipe(&pipeEnds) == 0 else { warn("pipe failed\n"); exit(1) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
    posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
    var cArguments = arguments.map { strdup($0) } + [nil]
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executablePath, &actions, nil, &cArguments, environ)
    cArguments.forEach { free($0) }
    posix_spawn_file_actions_destroy(&actions)
    close(pipeEnds[1])
    guard spawned == 0 else { warn("cannot start \(executablePath)\n"); exit(1) }
    let text = String(decoding: FileHandle(fileDescriptor: pipeEnds[0], closeOnDealloc: true).readDataToEndOfFile(), as: UTF8.self)
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }) else {
        warn("benchmark run failed:\n\(text)\n")
        exit(1)
    }
    let parts = line.split(separator: " ", maxSplits: 3)
    let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return Measurement(wallSeconds: Double(parts[1])!, cpuSeconds: cpu, peakKilobytes: usage.ru_maxrss,
                       rows: Int(parts[2])!, fingerprint: String(parts[3]))
}

let options = parseOptions()
if options.single {
    do { try singleRun(options) } catch { warn("error: \(error)\n"); exit(1) }
    exit(0)
}
let bytes = ((try? FileManager.default.attributesOfItem(atPath: options.file!))?[.size] as? NSNumber)?.int64Value ?? 0
print("file: \(options.file!) (\(String(format: "%.1f", Double(bytes) / 1e6)) MB), period \(options.period.rawValue), \(options.runs) runs each, median shown")
print("reader  threads    wall s    CPU s     MB/s    Mrows/s   peak RSS MB")
var fingerprints = Set<String>()
var medians: [String: [Int: Double]] = [:]
for reader in options.readers {
    for threads in options.threads {
        var runs: [Measurement] = []
        for _ in 0..<options.runs { runs.append(try measure(options, threads: threads, reader: reader)) }
        runs.sort { $0.wallSeconds < $1.wallSeconds }
        let median = runs[runs.count / 2]
        medians[reader, default: [:]][threads] = median.wallSeconds
        runs.forEach { fingerprints.insert($0.fingerprint) }
        if let expected = options.expectRows, median.rows != expected {
            warn("FAIL: read \(median.rows) rows, expected \(expected)\n")
            exit(1)
        }
        print(reader.padding(toLength: 6, withPad: " ", startingAt: 0)
              + String(format: "  %7d  %8.3f  %7.3f  %7.0f  %9.2f  %12.1f", threads, median.wallSeconds, median.cpuSeconds,
                       Double(bytes) / 1e6 / median.wallSeconds, Double(median.rows) / 1e6 / median.wallSeconds,
                       Double(runs.map(\.peakKilobytes).max()!) / 1024))
    }
}
if fingerprints.count != 1 {
    warn("FAIL: runs disagree: \(fingerprints.sorted())\n")
    exit(1)
}
print("results agree across runs, readers and thread counts: \(fingerprints.first!)")
for reader in options.readers {
    if let one = medians[reader]?[1], let most = options.threads.max(), most > 1, let many = medians[reader]?[most] {
        print("\(reader): " + String(format: "speed-up 1 -> %d threads: %.2fx", most, one / many))
    }
}
