#if canImport(Glibc)
import Glibc
#endif
import ContactMetrics
import Foundation

/// Options shared by the commands that read logs.
struct CommonOptions {
    enum Format: String, CaseIterable {
        case table, markdown, csv, json, html

        /// `output` in this format.
        func render(_ output: some RenderableOutput) -> String {
            switch self {
            case .table: return output.table()
            case .markdown: return output.markdown()
            case .csv: return output.csv()
            case .json: return output.json().serialized()
            case .html: return output.html()
            }
        }
    }

    var inputs: [String]
    var timeZone: TimeZoneRules
    var ingest: IngestOptions
    /// Who gave the date order, `--date-order` or the config's `date_order`; nil when the run judges it.
    /// Either way, a run whose dates were rejected for their order says so (`dateOrderRefusal`).
    var dateOrderSource: String?
    var dateOrderWasGiven: Bool { dateOrderSource != nil }
    var metrics = MetricOptions()
    var format: Format = .table
    /// Where the report goes (standard output unless `--output`).
    var output: OutputTarget = .standardOutput
    var rejects: OutputTarget?
    /// `compare --series FILE`: where the daily series of `--trend` goes.
    var series: OutputTarget?
    var maxRejects: RejectLimit?
    var showProgress: Bool
    /// `--targets`: what each period is judged against.
    var targets: TargetSet?
    /// `--exceptions`: only the amber and red targets are written.
    var exceptionsOnly = false
    /// `--fail-on red|amber`: the least severe status that makes the exit status 3.
    var failOn: TargetStatus?

    /// Reads the options of `arguments` that its command accepts (`Option.accepted(by:)`).
    /// - Parameter storePath: the command's `--store`, which no output may write over.
    init(_ arguments: Arguments, grain: CellGrain, defaultMaxRejects: RejectLimit? = nil,
         requiresInputs: Bool = true, storePath: String? = nil) throws(UsageError) {
        let fail = arguments.fail
        inputs = arguments.positionals
        guard !inputs.isEmpty || !requiresInputs else { throw fail("no input files (give one or more files, or - for standard input)") }
        var mapping: MappingConfig?
        if let configPath = arguments.value(.config) {
            do { mapping = try MappingConfig.load(path: configPath) } catch { throw fail(error.description) }
        }
        let zoneName = arguments.value(.tz) ?? mapping?.timeZone ?? "Europe/London"
        do { timeZone = try TimeZoneRules(identifier: zoneName) } catch { throw fail("\(Option.tz.spelling): \(error)") }
        ingest = IngestOptions(timeZone: timeZone, grain: grain)
        ingest.mapping = mapping
        ingest.encoding = mapping?.encoding
        if let name = arguments.value(.encoding) {
            guard let encoding = TextEncoding(name: name) else {
                throw fail("\(Option.encoding.spelling): expected \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")), found '\(name)'")
            }
            ingest.encoding = encoding
        }
        if let name = arguments.value(.delimiter) {
            guard let delimiter = FieldDelimiter(name: name), delimiter != .whitespace else {
                throw fail("\(Option.delimiter.spelling): expected comma, semicolon, tab or pipe, found '\(name)'")
            }
            ingest.delimiter = delimiter
        }
        // A config whose arrivals are a date column with its own format has said how its dates are written:
        // nothing to judge (a day-month timestamp read whole elsewhere in the row is still refused, naming --date-order).
        ingest.judgesDateOrder = !arguments.has(.dateOrder) && mapping?.dateOrder == nil && mapping?.columns["arrived_at"]?.dateColumn == nil
        if let order = mapping?.dateOrder {
            ingest.dateOrder = order
            dateOrderSource = "the config's date_order"
        }
        if let order = arguments.value(.dateOrder) {
            guard let parsed = DateOrder(rawValue: order) else { throw fail("\(Option.dateOrder.spelling): expected ymd, dmy or mdy, found '\(order)'") }
            ingest.dateOrder = parsed
            dateOrderSource = Option.dateOrder.spelling
        }
        if let kind = arguments.value(.kind) {
            guard let parsed = InputKind(rawValue: kind) else {
                throw fail("\(Option.kind.spelling): expected \(InputKind.allCases.map(\.rawValue).joined(separator: ", ")), found '\(kind)'")
            }
            ingest.forcedKind = parsed
        }
        for (option, keyPath) in [(Option.from, \IngestOptions.fromDay), (Option.to, \IngestOptions.toDay)] {
            if let text = arguments.value(option) {
                guard let date = CivilDate(parsing: text) else { throw fail("\(option.spelling): \(CivilDate.problem(text))") }
                ingest[keyPath: keyPath] = date.daysSinceEpoch
            }
        }
        if let from = ingest.fromDay, let to = ingest.toDay, from > to { throw fail("\(Option.from.spelling) is after \(Option.to.spelling)") }
        ingest.dedupe = arguments.has(.dedupe)
        if let text = arguments.value(.maxPlausibleWait) {
            guard let seconds = Int64(text), (1...86_400).contains(seconds) else {
                throw fail("\(Option.maxPlausibleWait.spelling): expected whole seconds from 1 to 86400, found '\(text)'")
            }
            ingest.longestWaitSeconds = seconds
            metrics.plausibleWaitSeconds = seconds
        }
        if let threads = arguments.value(.threads) {
            guard let count = Int(threads), (1...256).contains(count) else {
                throw fail("\(Option.threads.spelling): expected a number from 1 to 256, found '\(threads)'")
            }
            ingest.threads = count
        }
        if let blockSize = arguments.value(.blockSize) {
            guard let bytes = Self.byteCount(blockSize), (4096...(256 << 20)).contains(bytes) else {
                throw fail("\(Option.blockSize.spelling): expected 4096 to 268435456 bytes (4K to 256M), found '\(blockSize)'")
            }
            ingest.blockSize = bytes
        }
        if let seconds = arguments.value(.shortAbandon) {
            guard let value = Int64(seconds), value >= 0 else { throw fail("\(Option.shortAbandon.spelling): expected whole seconds, found '\(seconds)'") }
            metrics.shortAbandonSeconds = value
        }
        if let mapping {
            metrics.serviceLevelThresholds.merge(mapping.serviceLevelSeconds) { $1 }
            if let channels = mapping.submissionChannels { metrics.submissionChannels = Set(channels) }
        }
        if let list = arguments.value(.serviceLevel) {
            guard let thresholds = MetricOptions.parseThresholds(list) else {
                let channels = list.split(separator: ",").map { $0.split(separator: "=").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "" }
                if let twice = channels.first(where: { channel in !channel.isEmpty && channels.filter { $0 == channel }.count > 1 }) {
                    throw fail("\(Option.serviceLevel.spelling): \(twice) is given twice in '\(list)'")
                }
                throw fail("\(Option.serviceLevel.spelling): expected CHANNEL=SECONDS[,CHANNEL=SECONDS...], found '\(list)'")
            }
            metrics.serviceLevelThresholds.merge(thresholds) { $1 }
        }
        if let formula = arguments.value(.serviceLevelFormula) {
            guard let parsed = ServiceLevelFormula(rawValue: formula) else {
                throw fail("\(Option.serviceLevelFormula.spelling): expected one of \(ServiceLevelFormula.allCases.map(\.rawValue).joined(separator: ", ")), found '\(formula)'")
            }
            metrics.serviceLevelFormula = parsed
        }
        if let text = arguments.value(.waits) {
            guard let parsed = PercentileWaits(rawValue: text) else {
                throw fail("\(Option.waits.spelling): expected answered or all, found '\(text)'")
            }
            metrics.percentileWaits = parsed
        }
        if let boundary = arguments.value(.serviceLevelBoundary) {
            guard let parsed = ServiceLevelBoundary(rawValue: boundary) else {
                throw fail("\(Option.serviceLevelBoundary.spelling): expected le or lt, found '\(boundary)'")
            }
            metrics.serviceLevelBoundary = parsed
        }
        if let list = arguments.value(.submissionChannels) {
            metrics.submissionChannels = Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        }
        ingest.submissionChannels = metrics.submissionChannels
        if let format = arguments.value(.format) {
            guard let parsed = Format(rawValue: format) else {
                throw fail("\(Option.format.spelling): expected one of \(Format.allCases.map(\.rawValue).joined(separator: ", ")), found '\(format)'")
            }
            self.format = parsed
        }
        maxRejects = defaultMaxRejects
        if let limit = arguments.value(.maxRejects) {
            guard let parsed = RejectLimit(parsing: limit) else {
                throw fail("\(Option.maxRejects.spelling): expected a count or a percentage like 1%, found '\(limit)'")
            }
            maxRejects = parsed
        }
        if let name = arguments.value(.targets) {
            do { targets = try TargetSet.load(path: name) } catch { throw fail("\(Option.targets.spelling) \(error.description)") }
        }
        exceptionsOnly = arguments.has(.exceptions)
        if let text = arguments.value(.failOn) {
            guard let status = TargetStatus(rawValue: text), status == .red || status == .amber else {
                throw fail("\(Option.failOn.spelling): expected red or amber, found '\(text)'")
            }
            failOn = status
        }
        for option in [Option.exceptions, .failOn] where arguments.has(option) && targets == nil {
            throw fail("\(option.spelling) needs \(Option.targets.spelling) FILE (or \(Option.targets.spelling) home-office-999)")
        }
        showProgress = arguments.has(.progress) || (!arguments.has(.noProgress) && Terminal.standardErrorIsTerminal)
        if inputs.filter({ $0 == "-" }).count > 1 { throw fail("standard input ('-') can be read only once") }
        // The same file twice would be counted twice.
        var seen: [FileIdentity: String] = [:]
        for input in inputs {
            // `-` is what the shell opened for standard input: `report calls.csv - < calls.csv` counted it twice.
            guard let identity = input == "-" ? FileIdentity(descriptor: 0) : FileIdentity(path: input) else { continue }
            if let first = seen[identity] { throw fail("\(first) and \(input) are the same file; give it once") }
            seen[identity] = input
        }
        for option in [Option.rejects, .series] where arguments.value(option) == "-" {
            throw fail("\(option.spelling) -: standard output carries only the report; give a file")
        }
        for option in [Option.output, .rejects, .series] {
            guard let path = arguments.value(option) else { continue }
            do {
                let target = try OutputTarget(path: path)
                switch option {
                case .output: output = target
                case .rejects: rejects = target
                default: series = target
                }
            } catch {
                throw fail("\(option.spelling) \(error)")
            }
        }
        // An output written over an input, the store or the config would destroy it before (or while)
        // it is read; two outputs in one file would lose one of them.
        var protected = inputs.map { ("the input", $0) }
        if let storePath {
            // The store's write-ahead log and journal hold committed data too.
            protected += ["", "-wal", "-shm", "-journal"].map { ("the store", storePath + $0) }
        }
        if let configPath = arguments.value(.config) { protected.append(("the config", configPath)) }
        if let targetsPath = arguments.value(.targets), TargetSet.presets[targetsPath] == nil { protected.append(("the targets file", targetsPath)) }
        for (option, target) in [(Option.output, Optional(output)), (.rejects, rejects), (.series, series)] {
            guard let target else { continue }
            if let (what, path) = protected.first(where: { target.wouldOverwrite($0.1) }) {
                let named = path == "-" ? "read as standard input ('-')" : path
                throw fail("\(option.spelling) \(target.displayPath) is \(what) \(named); choose another file")
            }
        }
        if let rejects, output.wouldOverwrite(rejects.path) {
            throw fail("\(Option.output.spelling) and \(Option.rejects.spelling) name the same file \(rejects.displayPath); choose two files")
        }
        // A second output that is the file standard output writes to would be replaced under the report.
        if case .standardOutput = output.kind {
            for (option, target) in [(Option.rejects, rejects), (.series, series)] {
                guard let target, FileIdentity(path: target.path).map({ $0 == FileIdentity(descriptor: 1) }) == true else { continue }
                throw fail("\(option.spelling) \(target.displayPath) is where standard output goes, which carries the report; give another file")
            }
        }
        if let series, output.wouldOverwrite(series.path) || rejects?.wouldOverwrite(series.path) == true {
            throw fail("\(Option.series.spelling) \(series.displayPath) is also another output; choose another file")
        }
    }

    /// Total bytes of the inputs when all are plain files (for the progress bar's ETA), else nil.
    var knownInputBytes: Int64? {
        var total: Int64 = 0
        for input in inputs {
            guard input != "-", !input.hasSuffix(".gz"),
                  let size = (try? FileManager.default.attributesOfItem(atPath: input))?[.size] as? NSNumber else { return nil }
            total += size.int64Value
        }
        return total
    }
}

/// What `report` and `compare` produce: one result, several formats.
protocol RenderableOutput {
    func table() -> String
    func markdown() -> String
    func csv() -> String
    func json() -> JSONValue
    func html() -> String
}

extension Report: RenderableOutput {}
extension Comparison: RenderableOutput {}
extension ExceptionReport: RenderableOutput {}

extension CommonOptions {
    /// Says on stderr what a reader would otherwise miss (a target's channel without data), and fails the run
    /// with status 3 under `--fail-on` when a target is at that status or worse. Called after the output is written.
    func settle(_ review: TargetReview?) throws {
        try settle(review, after: {})
    }

    /// Writes with `write`, then settles `review`: a reader that stops early (`| head`) ends the output
    /// quietly, but not the judgement, so `--fail-on` still gives its status.
    func settle(_ review: TargetReview?, after write: () throws -> Void) throws {
        do {
            try write()
        } catch let error as OutputError where error.isClosedPipe {
            try judge(review)
            throw error
        }
        try judge(review)
    }

    private func judge(_ review: TargetReview?) throws {
        guard let review else { return }
        if !review.unseenChannels.isEmpty {
            Terminal.warning("no data for \(review.unseenChannels.map { "'\($0)'" }.joined(separator: ", ")) named by \(Option.targets.spelling) \(review.targets.name): read as not measured")
        }
        for target in review.neverMeasured {
            Terminal.warning("\(Option.targets.spelling): \(target.channel) \(target.metric) is never measured in these inputs")
        }
        guard let failOn else { return }
        // A period without any data, or a run with nothing to judge, fails too: a missing export must not pass
        // as a quiet night.
        let failing = review.failing(failOn), red = review.failing(.red), missing = review.periodsWithoutData.count
        let nothing = review.measuredCount == 0
        guard failing > 0 || missing > 0 || nothing else { return }
        var parts = [red > 0 ? "\(red) red" : nil, failOn == .amber && failing > red ? "\(failing - red) amber" : nil].compactMap { $0 }
        var message = parts.isEmpty ? "" : "\(parts.joined(separator: " and ")) of \(review.checks.count) target checks"
        parts = []
        if missing > 0 { parts.append("\(missing) \(missing == 1 ? "period" : "periods") without any data") }
        if nothing { parts.append("nothing measured") }
        if !parts.isEmpty { message += (message.isEmpty ? "" : "; ") + parts.joined(separator: ", ") }
        throw CommandFailure.targetsMissed(message + " (\(Option.failOn.spelling) \(failOn.rawValue))")
    }

    /// A byte count as written on the command line: digits, optionally followed by `K` or `KiB` (× 1024) or
    /// `M` or `MiB` (× 1024²), in any case. Nil for anything else, or a count that overflows.
    static func byteCount(_ text: String) -> Int? {
        let lowered = text.lowercased()
        for (suffix, scale) in [("kib", 1 << 10), ("k", 1 << 10), ("mib", 1 << 20), ("m", 1 << 20)] where lowered.hasSuffix(suffix) {
            guard let number = Int(lowered.dropLast(suffix.count)), number >= 0 else { return nil }
            let (bytes, overflow) = number.multipliedReportingOverflow(by: scale)
            return overflow ? nil : bytes
        }
        return Int(text)
    }
}
