import Foundation
#if canImport(Glibc)
import Glibc
#endif

// A mapping config (`--config FILE.json`, DESIGN §3.4) says how to read an export that does not use
// the canonical columns of DESIGN §3.1. It is loaded and checked once, before any input is opened;
// `MappedColumns` then resolves it against each file's header into column indices and byte tables,
// so the per-row work (`MappedRowDecoder`) compares bytes and never builds a String.
//
// Every key is documented in README.md ("Mapping config"). Unknown keys and bad values are errors
// that name the key's path, e.g. `bank.json: columns.arrived_at.date_format: unknown token "YYY" in "YYYMMDD"`.

/// A problem with the config file itself; the CLI reports it as a usage error (exit status 64).
public struct MappingConfigError: Error, Equatable, CustomStringConvertible {
    /// `file.json: key.path: what is wrong` (or `file.json: what is wrong` for the whole file), with
    /// any control character of a key or value shown as an escape.
    public var description: String

    init(_ file: String, _ path: String, _ message: String) {
        description = Escaping.visible(path.isEmpty ? "\(file): \(message)" : "\(file): \(path): \(message)")
    }
}

/// How fields are separated.
public enum FieldDelimiter: Sendable, Equatable {
    /// One byte, with RFC 4180 quoting (comma, tab, pipe, semicolon).
    case byte(UInt8)
    /// Any run of spaces and tabs; no quoting, no empty fields.
    case whitespace

    static let names: [(String, FieldDelimiter)] = [
        ("comma", .byte(UInt8(ascii: ","))), ("tab", .byte(UInt8(ascii: "\t"))), ("pipe", .byte(UInt8(ascii: "|"))),
        ("semicolon", .byte(UInt8(ascii: ";"))), ("whitespace", .whitespace),
    ]

    /// `comma`, `tab`, `pipe`, `semicolon`, `whitespace` (or the byte itself for any other).
    public var name: String {
        if let named = Self.names.first(where: { $0.1 == self }) { return named.0 }
        if case .byte(let byte) = self { return String(UnicodeScalar(byte)) }  // a library caller's own byte
        return "whitespace"
    }

    /// The delimiter a name given to `--delimiter` or the config's `delimiter` stands for.
    public init?(name: String) {
        guard let found = Self.names.first(where: { $0.0 == name }) else { return nil }
        self = found.1
    }
}

/// A test on one source field (after trimming; a null token or nothing is "empty").
public indirect enum FieldTest: Sendable, Equatable {
    /// The field equals one of these values (ASCII case-insensitive).
    case oneOf([[UInt8]])
    /// The field is empty or a null token.
    case empty
    case not(FieldTest)
}

/// `column` (a source header name) passes `test`.
public struct FieldCondition: Sendable, Equatable {
    public var column: String
    public var test: FieldTest
}

/// A timestamp built from source columns.
public struct TimestampSource: Sendable, Equatable {
    public enum DateToken: Sendable, Equatable {
        case year4, year2, month2, month, day2, day
        case literal(UInt8)
    }

    public enum TimeToken: Sendable, Equatable {
        case hour2, hour, minute2, second2
        case literal(UInt8)
    }

    /// Columns tried in order; the first one that is not empty gives the value.
    public var columns: [String]
    /// With a date column: the date of the row, read with `dateFormat`; `columns` then hold times of
    /// day read with `timeFormat`.
    public var dateColumn: String?
    public var dateFormat: [DateToken] = []
    public var timeFormat: [TimeToken] = []
    /// The time-of-day column whose day `dateColumn` gives. A time more than 12 hours earlier than it
    /// is on the next day (the call crossed midnight).
    public var dateIsOf: String?
    /// An offset from another of the row's times (`arrived_at`…): `columns` then hold a duration in
    /// `offset.unit`, added to that time (or taken from it, `before`). Cloud exports give answer and
    /// abandon times so (Genesys `tAnswered` in ms), and call-detail tables give durations.
    public var offset: Offset?
    /// `wrap_up_seconds`: the unit of its duration columns (seconds when a plain column name is given).
    public var durationUnit: DurationUnit?

    public struct Offset: Sendable, Equatable {
        public var from: String
        public var unit: DurationUnit
        public var before: Bool
        /// Further duration columns added to the first (an empty one counts 0): a call-detail table's
        /// answer is its queue, delay and ring times after the arrival.
        public var plus: [String] = []
        /// Every empty part counts 0, the first column's too (`"empty_is_zero": true`): SQL Server writes Cisco's 0 s
        /// durations as NULL. Every part empty is 0 s for the answer time of a call whose outcome is answered (a call
        /// answered at once has every part NULL), and empty otherwise. Without the key an empty first column leaves the
        /// time empty, as an unanswered Genesys call's empty `Total Queue` must (its ring time is no answer).
        public var emptyIsZero = false
    }
}

/// How a duration column is written.
public enum DurationUnit: String, CaseIterable, Sendable {
    /// Whole milliseconds (`307958`, or `307958.0`: a fraction other than zero is refused, as seconds are
    /// written so: `307.958`).
    case milliseconds = "ms"
    /// Whole or decimal seconds.
    case seconds = "s"
    /// Whole or decimal minutes.
    case minutes = "min"
    /// `H:MM:SS` (hours of any number of digits) or `M:SS`.
    case clock = "hh:mm:ss"
}

/// The whole config.
public struct MappingConfig: Sendable, Equatable {
    public var delimiter: FieldDelimiter?
    /// Every source column the config names, once each, in a fixed order (the columns of a JSON record).
    public var namedColumns: [String] {
        var names: [String] = []
        func add(_ name: String) { if !names.contains(where: { $0.lowercased() == name.lowercased() }) { names.append(name) } }
        for key in columns.keys.sorted() {
            let source = columns[key]!
            source.columns.forEach(add)
            if let date = source.dateColumn { add(date) }
            if let reference = source.dateIsOf { add(reference) }
            source.offset?.plus.forEach(add)
        }
        for condition in skipRules.joined() { add(condition.column) }
        for rule in outcomeRules { for condition in rule.conditions { add(condition.column) } }
        return names
    }

    /// The character encoding of the export (`--encoding` overrides it).
    public var encoding: TextEncoding?
    /// The order of dates like `01/04/2019` in the export (`--date-order` overrides it; neither: judged).
    public var dateOrder: DateOrder?
    public var timeZone: String?
    public var nullValues: [[UInt8]] = []
    /// Canonical column → where its value comes from. Plain renames are `TimestampSource`s with
    /// one column and no date (also for non-time columns such as `channel`).
    public var columns: [String: TimestampSource] = [:]
    public var channelMap: [MapEntry] = []
    /// The config file's name, for messages (`parse`'s `name`).
    public var name = "the config"
    public var outcomeMap: [MapEntry] = []
    public var outcomeRules: [OutcomeRule] = []
    public var skipRules: [[FieldCondition]] = []
    public var queueMap: [MapEntry] = []
    public var queueLogOutcomes: [String: String] = [:]
    public var submissionChannels: [String]?
    public var serviceLevelSeconds: [String: Int64] = [:]
    /// Negative waits and handle times down to −clockSkewSeconds count as 0 (clock artefacts).
    public var clockSkewSeconds: Int64 = 0
    /// SHA-256 of the config file's bytes: part of the store's record of how a source was read, so
    /// that reading the same file under another config is not "unchanged".
    public var contentDigest = ""

    public struct MapEntry: Sendable, Equatable {
        public var from: [UInt8]
        public let to: String
        let toBytes: [UInt8]

        init(from: [UInt8], to: String) {
            self.from = from
            self.to = to
            toBytes = Array(to.utf8)
        }
    }

    public struct OutcomeRule: Sendable, Equatable {
        public var conditions: [FieldCondition]
        public var outcome: String
    }

    public init() {}

    /// Canonical columns a config may fill; `abandoned_at` exists only here (when an abandoned
    /// contact left the queue, if the export's `ended_at` is something else).
    /// `updated_at`: when the row was last updated (Amazon Connect's `LastUpdateTimestamp`): of rows repeating an id,
    /// `--dedupe` keeps the latest.
    static let canonicalColumns = ["contact_id", "channel", "arrived_at", "answered_at", "ended_at", "abandoned_at", "outcome", "category",
                                   "wrap_up_seconds", "updated_at"]
    static let timestampColumns: Set<String> = ["arrived_at", "answered_at", "ended_at", "abandoned_at"]
    static let queueLogEvents = ["EXITWITHTIMEOUT", "EXITWITHKEY", "EXITEMPTY"]
    /// What `outcomes`, `outcome_rules` and `queue_log_outcomes` may map to.
    static let outcomeLabels: Set<String> = ["answered", "abandoned", "other"]

    /// Reads and checks a config file.
    /// - Throws: `MappingConfigError` naming the file and the key's path.
    public static func load(path: String) throws(MappingConfigError) -> MappingConfig {
        let data = try SmallFile.read(path, maximumBytes: maximumBytes, what: "config file")
        let name = FilePaths.name(of: path)
        return try parse(data, name: name)
    }

    /// The largest config file read (a config is a few kilobytes; a 100,000-entry channel map is ~3 MB).
    static let maximumBytes = 8 << 20

    /// Parses config JSON; `name` prefixes error messages.
    public static func parse(_ data: Data, name: String) throws(MappingConfigError) -> MappingConfig {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw MappingConfigError(name, "", JSONSyntax.problem(error, in: data))
        }
        if let comma = JSONSyntax.trailingComma(in: data) { throw MappingConfigError(name, "", comma) }
        if let repeated = DuplicateJSONKeys.first(in: data) { throw MappingConfigError(name, repeated, "given twice (the first would be ignored)") }
        var reader = ConfigReader(file: name)
        var config = try reader.config(root)
        config.name = name
        config.contentDigest = data.withUnsafeBytes { bytes in
            SHA256Context.digest(bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: bytes.count)
                .map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
        return config
    }
}

/// Walks the JSON tree, keeping the key path for messages.
private struct ConfigReader {
    let file: String

    func fail(_ path: String, _ message: String) -> MappingConfigError { MappingConfigError(file, path, message) }

    func object(_ value: Any, _ path: String, allowed: [String]) throws(MappingConfigError) -> [String: Any] {
        guard let dictionary = value as? [String: Any] else { throw fail(path, "expected an object\(describe(value))") }
        for key in dictionary.keys.sorted() where !allowed.contains(key) {
            var message = "unknown key \"\(Escaping.excerpt(key))\""
            if let close = allowed.min(by: { EditDistance.between(key, $0) < EditDistance.between(key, $1) }), EditDistance.between(key, close) <= 2 {
                message += "; did you mean \"\(close)\"?"
            }
            throw fail(path.isEmpty ? key : "\(path).\(key)", message)
        }
        return dictionary
    }

    func string(_ value: Any, _ path: String) throws(MappingConfigError) -> String {
        guard let text = value as? String else { throw fail(path, "expected a string\(describe(value))") }
        return text
    }

    /// A string or a non-empty list of strings.
    func strings(_ value: Any, _ path: String) throws(MappingConfigError) -> [String] {
        if let text = value as? String { return [text] }
        guard let list = value as? [Any], !list.isEmpty else { throw fail(path, "expected a string or a list of strings\(describe(value))") }
        var result: [String] = []
        for (index, item) in list.enumerated() { result.append(try string(item, "\(path)[\(index)]")) }
        return result
    }

    func seconds(_ value: Any, _ path: String) throws(MappingConfigError) -> Int64 {
        guard let number = value as? NSNumber, !isBoolean(value),
              let whole = Int64(exactly: number.doubleValue), whole >= 0 else {
            throw fail(path, "expected whole seconds (0 or more)\(describe(value))")
        }
        return whole
    }

    func isBoolean(_ value: Any) -> Bool {
        if let number = value as? NSNumber { return String(cString: number.objCType) == "c" }
        return value is Bool
    }

    func describe(_ value: Any) -> String {
        if value is NSNull { return ", found null" }
        if let dictionary = value as? [String: Any], dictionary.isEmpty { return ", found an empty object" }
        if let number = value as? NSNumber {
            return isBoolean(value) ? ", found \(number.boolValue)" : ", found \(number)"
        }
        if let text = value as? String { return ", found \"\(Escaping.excerpt(text))\"" }
        if value is [Any] { return ", found a list" }
        return ", found an object"
    }

    mutating func config(_ root: Any) throws(MappingConfigError) -> MappingConfig {
        let keys = ["delimiter", "encoding", "date_order", "time_zone", "null_values", "columns", "channels", "outcomes", "outcome_rules", "skip",
                    "queues", "queue_log_outcomes", "submission_channels", "service_level", "clock_skew_seconds", "comment"]
        let top = try object(root, "", allowed: keys)
        var config = MappingConfig()
        if let value = top["delimiter"] {
            let name = try string(value, "delimiter")
            guard let delimiter = FieldDelimiter(name: name.lowercased()) else {
                throw fail("delimiter", "expected one of comma, tab, pipe, semicolon, whitespace, found \"\(name)\"")
            }
            config.delimiter = delimiter
        }
        if let value = top["encoding"] {
            let name = try string(value, "encoding")
            guard let encoding = TextEncoding(name: name) else {
                throw fail("encoding", "expected one of \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(name)\"")
            }
            config.encoding = encoding
        }
        if let value = top["date_order"] {
            let name = try string(value, "date_order")
            guard let order = DateOrder(rawValue: name.lowercased()) else {
                throw fail("date_order", "expected ymd, dmy or mdy, found \"\(name)\"")
            }
            config.dateOrder = order
        }
        if let value = top["time_zone"] {
            let zone = try string(value, "time_zone")
            if let problem = ZoneNames.problem(with: zone) { throw fail("time_zone", problem.description) }
            config.timeZone = zone
        }
        if let value = top["null_values"] {
            guard let list = value as? [Any] else { throw fail("null_values", "expected a list of strings\(describe(value))") }
            for (index, item) in list.enumerated() {
                config.nullValues.append(Array(try string(item, "null_values[\(index)]").utf8))
            }
        }
        if let value = top["columns"] {
            let columns = try object(value, "columns", allowed: MappingConfig.canonicalColumns)
            for (canonical, spec) in columns {
                config.columns[canonical] = canonical == "wrap_up_seconds"
                    ? try durationSource(spec, "columns.\(canonical)")
                    : try columnSource(spec, "columns.\(canonical)", isTimestamp: MappingConfig.timestampColumns.contains(canonical))
            }
            try checkOffsets(config.columns)
        }
        config.channelMap = try valueMap(top["channels"], "channels", lowercaseTargets: true)
        config.outcomeMap = try valueMap(top["outcomes"], "outcomes", lowercaseTargets: true, outcomes: MappingConfig.outcomeLabels)
        config.queueMap = try valueMap(top["queues"], "queues", lowercaseTargets: true)
        if let value = top["outcome_rules"] {
            guard let list = value as? [Any] else { throw fail("outcome_rules", "expected a list of rules\(describe(value))") }
            for (index, item) in list.enumerated() {
                let path = "outcome_rules[\(index)]"
                let rule = try object(item, path, allowed: ["when", "outcome"])
                guard let when = rule["when"] else { throw fail(path, "missing key \"when\"") }
                guard let outcome = rule["outcome"] else { throw fail(path, "missing key \"outcome\"") }
                let written = try string(outcome, "\(path).outcome"), label = written.lowercased()
                guard MappingConfig.outcomeLabels.contains(label) else {
                    throw fail("\(path).outcome", "expected answered, abandoned or other, found \"\(Escaping.excerpt(written))\"")
                }
                config.outcomeRules.append(MappingConfig.OutcomeRule(conditions: try conditions(when, "\(path).when"), outcome: label))
            }
        }
        if let value = top["skip"] {
            guard let list = value as? [Any] else { throw fail("skip", "expected a list of conditions\(describe(value))") }
            for (index, item) in list.enumerated() {
                config.skipRules.append(try conditions(item, "skip[\(index)]"))
            }
        }
        if let value = top["queue_log_outcomes"] {
            let events = try object(value, "queue_log_outcomes", allowed: MappingConfig.queueLogEvents)
            for (event, outcome) in events {
                let written = try string(outcome, "queue_log_outcomes.\(event)"), label = written.lowercased()
                guard MappingConfig.outcomeLabels.contains(label) else {
                    throw fail("queue_log_outcomes.\(event)", "expected answered, abandoned or other, found \"\(Escaping.excerpt(written))\"")
                }
                config.queueLogOutcomes[event] = label
            }
        }
        if let value = top["submission_channels"] {
            guard let list = value as? [Any] else { throw fail("submission_channels", "expected a list of channels\(describe(value))") }
            var channels: [String] = []
            for (index, item) in list.enumerated() { channels.append(try string(item, "submission_channels[\(index)]").lowercased()) }
            config.submissionChannels = channels
        }
        if let value = top["service_level"] {
            guard let thresholds = value as? [String: Any] else { throw fail("service_level", "expected an object of channel: seconds\(describe(value))") }
            // Sorted: the first error does not depend on the dictionary's order.
            for (channel, seconds) in thresholds.sorted(by: { $0.key < $1.key }) {
                let name = channel.trimmingASCIISpaces().lowercased()
                guard !name.isEmpty else { throw fail("service_level.\"\(channel)\"", "an empty channel name") }
                // A channel as the export spells it, which `channels` renames, is never a report's channel: its
                // threshold was ignored without a word.
                if let entry = config.channelMap.first(where: { String(decoding: $0.from, as: UTF8.self).lowercased() == name }), entry.to != name {
                    throw fail("service_level.\(channel)", "\"\(Escaping.excerpt(channel))\" is what the export says; channels maps it to \"\(entry.to)\", "
                        + "the name service levels go by: give \"\(entry.to)\"")
                }
                config.serviceLevelSeconds[name] = try self.seconds(seconds, "service_level.\(channel)")
            }
        }
        if let value = top["clock_skew_seconds"] {
            config.clockSkewSeconds = try seconds(value, "clock_skew_seconds")
        }
        return config
    }

    /// The entries of a `"export value": "label"` object; with `outcomes`, each label must be one of them
    /// in any case (the message quotes it as written).
    func valueMap(_ value: Any?, _ path: String, lowercaseTargets: Bool,
                  outcomes: Set<String>? = nil) throws(MappingConfigError) -> [MappingConfig.MapEntry] {
        guard let value else { return [] }
        guard let dictionary = value as? [String: Any] else { throw fail(path, "expected an object of \"export value\": \"label\"\(describe(value))") }
        var entries: [MappingConfig.MapEntry] = []
        var folded: [String: String] = [:]
        for key in dictionary.keys.sorted() {
            // Keys match values in either case, so two that differ only in case would be one key.
            let fold = key.lowercased().precomposedStringWithCanonicalMapping
            if let other = folded[fold] { throw fail(path, "keys \"\(Escaping.excerpt(other))\" and \"\(Escaping.excerpt(key))\" differ only in case; keep one") }
            folded[fold] = key
            let target = try string(dictionary[key]!, "\(path).\(key)")
            guard !target.isEmpty else { throw fail("\(path).\(key)", "empty label") }
            if let outcomes, !outcomes.contains(target.lowercased()) {
                // A misspelt outcome (`answerd`) would count every row it maps as `other`, without a word.
                throw fail("\(path).\(Escaping.excerpt(key))", "expected answered, abandoned or other, found \"\(Escaping.excerpt(target))\"")
            }
            entries.append(MappingConfig.MapEntry(from: Array(key.utf8), to: lowercaseTargets ? target.lowercased() : target))
        }
        return entries
    }

    func conditions(_ value: Any, _ path: String) throws(MappingConfigError) -> [FieldCondition] {
        guard let dictionary = value as? [String: Any], !dictionary.isEmpty else {
            throw fail(path, "expected an object of column: value conditions\(describe(value))")
        }
        var result: [FieldCondition] = []
        for column in dictionary.keys.sorted() {
            result.append(FieldCondition(column: column, test: try test(dictionary[column]!, "\(path).\(column)")))
        }
        return result
    }

    /// `"VALUE"`, `["A", "B"]`, `null` (empty or a null token), or `{"not": test}`.
    func test(_ value: Any, _ path: String) throws(MappingConfigError) -> FieldTest {
        if value is NSNull { return .empty }
        if let text = value as? String { return .oneOf([Array(text.utf8)]) }
        if let list = value as? [Any], !list.isEmpty {
            var values: [[UInt8]] = []
            for (index, item) in list.enumerated() { values.append(Array(try string(item, "\(path)[\(index)]").utf8)) }
            return .oneOf(values)
        }
        if let dictionary = value as? [String: Any] {
            let negated = try object(dictionary, path, allowed: ["not"])
            guard let inner = negated["not"] else { throw fail(path, "missing key \"not\"") }
            return .not(try test(inner, "\(path).not"))
        }
        throw fail(path, "expected a value, a list of values, null or {\"not\": ...}\(describe(value))")
    }

    /// A duration: `"column"` or `["first", "fallback"]` in seconds, or `{"column": ..., "unit": "ms|s|min|hh:mm:ss"}`.
    func durationSource(_ value: Any, _ path: String) throws(MappingConfigError) -> TimestampSource {
        guard value is [String: Any] else {
            var source = TimestampSource(columns: try strings(value, path))
            source.durationUnit = .seconds
            return source
        }
        let spec = try object(value, path, allowed: ["column", "unit"])
        guard let column = spec["column"] else { throw fail(path, "missing key \"column\" (the duration column)") }
        guard let unitValue = spec["unit"] else { throw fail(path, "missing key \"unit\" (ms, s, min or hh:mm:ss)") }
        let unitName = try string(unitValue, "\(path).unit")
        guard let unit = DurationUnit(rawValue: unitName.lowercased()) else {
            throw fail("\(path).unit", "expected one of \(DurationUnit.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(unitName)\"")
        }
        var source = TimestampSource(columns: try strings(column, "\(path).column"))
        source.durationUnit = unit
        return source
    }

    /// `"column"`, `["first", "fallback"]`, or for timestamps `{"date": ..., "time": ..., ...}` / `{"column": ...}`.
    func columnSource(_ value: Any, _ path: String, isTimestamp: Bool) throws(MappingConfigError) -> TimestampSource {
        if !(value is [String: Any]) { return TimestampSource(columns: try strings(value, path)) }
        guard isTimestamp else { throw fail(path, "expected a column name or a list of column names\(describe(value))") }
        let spec = try object(value, path, allowed: ["column", "date", "date_format", "time", "time_format", "date_is_of",
                                                     "offset_from", "unit", "before", "plus", "empty_is_zero"])
        if let from = spec["offset_from"] {
            for key in ["date", "date_format", "time", "time_format", "date_is_of"] where spec[key] != nil {
                throw fail("\(path).\(key)", "not allowed with \"offset_from\" (the column holds a duration)")
            }
            let canonical = try string(from, "\(path).offset_from")
            guard MappingConfig.timestampColumns.contains(canonical) else {
                throw fail("\(path).offset_from", "expected one of \(MappingConfig.timestampColumns.sorted().joined(separator: ", ")), found \"\(canonical)\"")
            }
            guard let column = spec["column"] else { throw fail(path, "missing key \"column\" (the duration column)") }
            // No default: a millisecond column read as seconds would give waits a thousand times too long.
            guard let unitValue = spec["unit"] else { throw fail(path, "missing key \"unit\" (ms, s, min or hh:mm:ss)") }
            let unitName = try string(unitValue, "\(path).unit")
            guard let unit = DurationUnit(rawValue: unitName.lowercased()) else {
                throw fail("\(path).unit", "expected one of \(DurationUnit.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(unitName)\"")
            }
            var before = false
            if let value = spec["before"] {
                guard let flag = value as? Bool else {
                    throw fail("\(path).before", "expected true or false\(describe(value))")
                }
                before = flag
            }
            var source = TimestampSource(columns: try strings(column, "\(path).column"))
            source.offset = TimestampSource.Offset(from: canonical, unit: unit, before: before)
            if let plus = spec["plus"] { source.offset!.plus = try strings(plus, "\(path).plus") }
            if let value = spec["empty_is_zero"] {
                guard let flag = value as? Bool else { throw fail("\(path).empty_is_zero", "expected true or false\(describe(value))") }
                guard !source.offset!.plus.isEmpty else { throw fail("\(path).empty_is_zero", "only with \"plus\" (a sum whose parts may be empty)") }
                source.offset!.emptyIsZero = flag
            }
            return source
        }
        for key in ["unit", "before", "plus", "empty_is_zero"] where spec[key] != nil { throw fail("\(path).\(key)", "only with \"offset_from\"") }
        if let column = spec["column"] {
            for key in ["date", "date_format", "time", "time_format", "date_is_of"] where spec[key] != nil {
                throw fail("\(path).\(key)", "not allowed with \"column\" (use \"date\" and \"time\" for a split timestamp)")
            }
            return TimestampSource(columns: try strings(column, "\(path).column"))
        }
        guard let date = spec["date"] else { throw fail(path, "expected \"column\", or \"date\" and \"time\"") }
        guard let time = spec["time"] else { throw fail(path, "missing key \"time\"") }
        var source = TimestampSource(columns: try strings(time, "\(path).time"))
        source.dateColumn = try string(date, "\(path).date")
        source.dateFormat = try dateFormat(try string(spec["date_format"] ?? "YYYY-MM-DD", "\(path).date_format"), "\(path).date_format")
        source.timeFormat = try timeFormat(try string(spec["time_format"] ?? "HH:MM:SS", "\(path).time_format"), "\(path).time_format")
        if let reference = spec["date_is_of"] { source.dateIsOf = try string(reference, "\(path).date_is_of") }
        return source
    }

    /// Each offset names a time the config or the header gives, and no chain of offsets comes back to where it began.
    func checkOffsets(_ columns: [String: TimestampSource]) throws(MappingConfigError) {
        for canonical in MappingConfig.timestampColumns.sorted() {
            var seen = [canonical]
            var current = canonical
            while let from = columns[current]?.offset?.from {
                guard !seen.contains(from) else {
                    throw fail("columns.\(canonical).offset_from", "the offsets go round in a circle (\((seen + [from]).joined(separator: " → ")))")
                }
                seen.append(from)
                current = from
            }
        }
    }

    /// Splits a format into runs of one letter (tokens) and single other characters (literals).
    func runs(_ format: String) -> [(isLetter: Bool, text: String)] {
        var result: [(Bool, String)] = []
        for character in format {
            if character.isLetter, let last = result.last, last.0, last.1.last == character {
                result[result.count - 1].1.append(character)
            } else {
                result.append((character.isLetter, String(character)))
            }
        }
        return result
    }

    func dateFormat(_ format: String, _ path: String) throws(MappingConfigError) -> [TimestampSource.DateToken] {
        let tokens = try formatTokens(format, path, known: ["YYYY": .year4, "YY": .year2, "MM": .month2, "M": .month, "DD": .day2, "D": .day],
                                      expected: "YYYY, YY, MM, M, DD, D", literal: TimestampSource.DateToken.literal)
        for (kind, members) in [("year", [TimestampSource.DateToken.year4, .year2]), ("month", [.month2, .month]), ("day", [.day2, .day])] {
            guard tokens.filter({ members.contains($0) }).count == 1 else { throw fail(path, "\"\(format)\" needs exactly one \(kind) token") }
        }
        return tokens
    }

    func timeFormat(_ format: String, _ path: String) throws(MappingConfigError) -> [TimestampSource.TimeToken] {
        let tokens = try formatTokens(format, path, known: ["HH": .hour2, "H": .hour, "MM": .minute2, "SS": .second2],
                                      expected: "HH, H, MM, SS", literal: TimestampSource.TimeToken.literal)
        guard tokens.filter({ $0 == .hour2 || $0 == .hour }).count == 1, tokens.filter({ $0 == .minute2 }).count == 1 else {
            throw fail(path, "\"\(format)\" needs an hour (HH or H) and minutes (MM)")
        }
        return tokens
    }

    /// Splits a date or time format into its letter tokens (from `known`) and one-byte literals.
    private func formatTokens<Token>(_ format: String, _ path: String, known: [String: Token], expected: String,
                                     literal: (UInt8) -> Token) throws(MappingConfigError) -> [Token] {
        var tokens: [Token] = []
        for run in runs(format) {
            if run.isLetter {
                guard let token = known[run.text] else { throw fail(path, "unknown token \"\(run.text)\" in \"\(format)\" (expected \(expected))") }
                tokens.append(token)
            } else {
                guard let byte = run.text.utf8.first, run.text.utf8.count == 1 else { throw fail(path, "unexpected \"\(run.text)\" in \"\(format)\"") }
                tokens.append(literal(byte))
            }
        }
        return tokens
    }
}
