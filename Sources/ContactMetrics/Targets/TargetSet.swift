import Foundation

/// A performance target of one metric of one channel (`--targets`): the value it must stay at or below
/// (or at or above), and how far past it a value is amber rather than red.
public struct Target: Sendable, Equatable {
    /// Which side of the target value meets it.
    public enum Bound: Sendable, Equatable {
        case atMost(Double)
        case atLeast(Double)

        public var value: Double {
            switch self {
            case .atMost(let value), .atLeast(let value): value
            }
        }

        /// `at_most` or `at_least`, as the targets file spells it.
        public var key: String {
            switch self {
            case .atMost: "at_most"
            case .atLeast: "at_least"
            }
        }
    }

    public var channel: String
    /// A metric id of DESIGN §4 (`abandon_rate`).
    public var metric: String
    public var bound: Bound
    /// A miss by at most this much is amber; by more, red. 0: no amber band.
    public var amberWithin: Double
    /// The status of a period in which the metric cannot be computed (never green).
    public var whenNotMeasured: TargetStatus

    public init(channel: String, metric: String, bound: Bound, amberWithin: Double = 0, whenNotMeasured: TargetStatus = .notMeasured) {
        self.channel = channel
        self.metric = metric
        self.bound = bound
        self.amberWithin = amberWithin
        self.whenNotMeasured = whenNotMeasured
    }

    /// How far `value` misses the target in the bad direction (0 or less: it meets it).
    public func shortfall(_ value: Double) -> Double {
        switch bound {
        case .atMost(let limit): value - limit
        case .atLeast(let floor): floor - value
        }
    }

    /// The status of a period whose value is `value` (nil: not measured). Exactly at the target is green,
    /// exactly at the amber edge amber: the comparisons allow for the rounding of decimal fractions
    /// (0.1 + 0.02 is not 0.12 in binary).
    public func status(of value: Double?) -> TargetStatus {
        guard let value, value.isFinite else { return whenNotMeasured }
        let gap = shortfall(value)
        let slack = 1e-9 * max(1, abs(bound.value), abs(value))
        if gap <= slack { return .green }
        return gap <= amberWithin + slack ? .amber : .red
    }
}

/// A period's standing against a target. The order is severity: red is worst.
public enum TargetStatus: String, Sendable, CaseIterable, Comparable {
    case green
    case amber
    case red
    case notMeasured = "not measured"

    var severity: Int {
        switch self {
        case .green: 0
        case .notMeasured: 1
        case .amber: 2
        case .red: 3
        }
    }

    public static func < (left: TargetStatus, right: TargetStatus) -> Bool { left.severity < right.severity }
}

/// The targets of a run (`--targets FILE.json` or a built-in preset), in the order the file gives them.
public struct TargetSet: Sendable, Equatable {
    public var targets: [Target]
    /// The file's name or the preset's (said with the figures).
    public var name: String

    public init(targets: [Target], name: String) {
        self.targets = targets
        self.name = name
    }

    /// The built-in presets `--targets` accepts by name.
    public static let presets: [String: TargetSet] = [
        // The national standard for 999 call handling: 90% of calls answered within 10 seconds.
        "home-office-999": TargetSet(targets: [
            Target(channel: "999", metric: MetricDefinition.answeredUnder10s.id, bound: .atLeast(0.90)),
        ], name: "home-office-999 (90% of 999 calls answered in under 10 s)"),
    ]

    /// The largest targets file read (a targets file is a few hundred bytes).
    static let maximumBytes = 1 << 20

    /// Reads a targets file, or a preset when `path` is a preset's name and no such file exists.
    public static func load(path: String) throws(MappingConfigError) -> TargetSet {
        if let preset = presets[path], !FileManager.default.fileExists(atPath: path) { return preset }
        let data = try SmallFile.read(path, maximumBytes: maximumBytes, what: "targets file",
                                      missingHint: " (built-in targets: \(presets.keys.sorted().joined(separator: ", ")))")
        let name = FilePaths.name(of: path)
        return try parse(data, name: name)
    }

    /// The metric ids a target may name: every per-channel metric with a numeric value.
    static var metricIds: [String] { MetricDefinition.all.map(\.id).filter { $0 != MetricDefinition.serviceLevelThreshold.id } }

    /// Parses `{"CHANNEL": {"METRIC": {"at_most"|"at_least": N, "amber_within": N, "not_measured": "red"}}}`;
    /// errors name the key's path (`101.abandon_rate.amber_within`).
    public static func parse(_ data: Data, name: String) throws(MappingConfigError) -> TargetSet {
        func fail(_ path: String, _ message: String) -> MappingConfigError { MappingConfigError(name, path, message) }
        guard data.contains(where: { !(" \t\r\n" as String).utf8.contains($0) }) else { throw fail("", "is empty") }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw fail("", JSONSyntax.problem(error, in: data))
        }
        if let comma = JSONSyntax.trailingComma(in: data) { throw fail("", comma) }
        guard let channels = root as? [String: Any] else {
            throw fail("", "expected an object of channels, e.g. {\"101\": {\"abandon_rate\": {\"at_most\": 0.10}}}")
        }
        if let repeated = DuplicateJSONKeys.first(in: data) { throw fail(repeated, "given twice (the first would be ignored)") }
        // Larger than any count, time or tolerance a target could mean (and than a figure can be shown as).
        let largest = 1e12
        func number(_ value: Any, _ path: String) throws(MappingConfigError) -> Double {
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c", number.doubleValue.isFinite else {
                throw fail(path, "expected a number" + describe(value))
            }
            guard abs(number.doubleValue) <= largest else { throw fail(path, "expected at most 10^12, found \(number)") }
            return number.doubleValue
        }
        var targets: [Target] = []
        var channelKeys: [String: String] = [:]
        // Sorted, so that the order (and the first error) does not depend on the dictionary's.
        for channelKey in channels.keys.sorted(by: channelOrder) where channelKey != "comment" {
            // As the data's labels are read: a stray space in "999 " made its targets read "not measured".
            let channel = LabelInterner.trimmingBlanks(channelKey).trimmingASCIISpaces().lowercased()
            guard !channel.isEmpty else { throw fail("\"\(Escaping.excerpt(channelKey))\"", "an empty channel name") }
            if let other = channelKeys.updateValue(channelKey, forKey: channel) {
                throw fail("\"\(Escaping.excerpt(channelKey))\"", "names the same channel as \"\(Escaping.excerpt(other))\" (channels are read without case and spaces around them)")
            }
            guard let metrics = channels[channelKey] as? [String: Any], !metrics.isEmpty else {
                throw fail(channelKey, "expected an object of metrics, e.g. {\"abandon_rate\": {\"at_most\": 0.10}}" + describe(channels[channelKey]!))
            }
            for metric in metrics.keys.sorted() where metric != "comment" {
                let path = "\(channelKey).\(metric)"
                guard metricIds.contains(metric) else {
                    var message = "unknown metric \"\(Escaping.excerpt(metric))\""
                    if let close = metricIds.min(by: { EditDistance.between(metric, $0) < EditDistance.between(metric, $1) }),
                       EditDistance.between(metric, close) <= 3 {
                        message += "; did you mean \"\(close)\"?"
                    } else {
                        message += " (one of \(metricIds.joined(separator: ", ")))"
                    }
                    throw fail(path, message)
                }
                guard let spec = metrics[metric] as? [String: Any] else {
                    throw fail(path, "expected an object like {\"at_most\": 0.10, \"amber_within\": 0.02}" + describe(metrics[metric]!))
                }
                let allowed = ["at_most", "at_least", "amber_within", "not_measured", "comment"]
                for key in spec.keys.sorted() where !allowed.contains(key) {
                    var message = "unknown key \"\(Escaping.excerpt(key))\""
                    if let close = allowed.min(by: { EditDistance.between(key, $0) < EditDistance.between(key, $1) }), EditDistance.between(key, close) <= 2 {
                        message += "; did you mean \"\(close)\"?"
                    }
                    throw fail("\(path).\(key)", message)
                }
                let bound: Target.Bound
                switch (spec["at_most"], spec["at_least"]) {
                case (let most?, nil): bound = .atMost(try number(most, "\(path).at_most"))
                case (nil, let least?): bound = .atLeast(try number(least, "\(path).at_least"))
                case (.some, .some): throw fail(path, "give at_most or at_least, not both")
                case (nil, nil): throw fail(path, "needs at_most or at_least")
                }
                if isShare(metric) && !(0...1).contains(bound.value) {
                    throw fail("\(path).\(bound.key)", "a rate or share is a fraction from 0 to 1 (10% is 0.10), found \(bound.value)")
                }
                if !isShare(metric) && bound.value < 0 { throw fail("\(path).\(bound.key)", "expected 0 or more, found \(bound.value)") }
                var amber = 0.0
                if let value = spec["amber_within"] {
                    amber = try number(value, "\(path).amber_within")
                    guard amber >= 0 else { throw fail("\(path).amber_within", "expected 0 or more, found \(amber)") }
                    if isShare(metric) && amber > 1 {
                        throw fail("\(path).amber_within", "a rate or share's tolerance is a fraction (5 points is 0.05), found \(amber)")
                    }
                }
                var whenNotMeasured = TargetStatus.notMeasured
                if let value = spec["not_measured"] {
                    guard let text = value as? String, let status = TargetStatus(rawValue: text), status != .green else {
                        throw fail("\(path).not_measured", "expected \"amber\", \"red\" or \"not measured\" (never green)" + describe(value))
                    }
                    whenNotMeasured = status
                }
                targets.append(Target(channel: channel, metric: metric, bound: bound, amberWithin: amber, whenNotMeasured: whenNotMeasured))
            }
        }
        guard !targets.isEmpty else { throw fail("", "no targets (expected e.g. {\"101\": {\"abandon_rate\": {\"at_most\": 0.10}}})") }
        return TargetSet(targets: targets, name: name)
    }

    /// The well-known channels first, in report order, then the rest alphabetically.
    private static func channelOrder(_ left: String, _ right: String) -> Bool {
        let known = WellKnownChannels.all
        switch (known.firstIndex(of: left.lowercased()), known.firstIndex(of: right.lowercased())) {
        case (let l?, let r?): return l != r ? l < r : left < right
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return left < right
        }
    }

    private static func describe(_ value: Any) -> String {
        if value is NSNull { return ", found null" }
        if let number = value as? NSNumber {
            return String(cString: number.objCType) == "c" ? ", found \(number.boolValue)" : ", found \(number)"
        }
        if let text = value as? String { return ", found \"\(Escaping.excerpt(text))\"" }
        if value is [Any] { return ", found a list" }
        if let object = value as? [String: Any], object.isEmpty { return ", found an empty object" }
        return ", found an object"
    }
}

/// How a metric's values read: a share (shown as a percentage), a time in seconds or a count.
enum MetricUnit: Equatable {
    case share, seconds, count

    init(metric: String) {
        if isShare(metric) { self = .share } else if metric.hasSuffix("_seconds") { self = .seconds } else { self = .count }
    }

    /// A value for people: `10.0%`, `02:00`, `1,234`.
    func display(_ value: Double) -> String {
        switch self {
        case .share: DisplayFormat.percentOneDecimal(value)
        case .seconds: DisplayFormat.minutesSeconds(value)
        case .count: DisplayFormat.count(Int64(exactly: value.rounded()) ?? 0)
        }
    }

    /// `value` for people, with more decimals where it would otherwise look the same as `other` (10.02%
    /// against a target of 10.0%, not 10.0% and 10.0%).
    func display(_ value: Double, apartFrom other: Double) -> String {
        guard value != other else { return display(value) }
        switch self {
        case .share:
            for decimals in 1...4 {
                let text = String(format: "%.\(decimals)f%%", value * 100)
                if text != String(format: "%.\(decimals)f%%", other * 100) { return text }
            }
        case .seconds:
            if display(value) == display(other) { return display(value) + String(format: " (%.1f s)", value) }
        case .count: break
        }
        return display(value)
    }

    /// A gap for people: `2.3 points`, `00:45`, `120`.
    func displayGap(_ gap: Double) -> String {
        switch self {
        case .share: abs(gap) * 100 >= 0.05 ? String(format: "%.1f points", abs(gap) * 100) : String(format: "%.2g points", abs(gap) * 100)
        case .seconds: abs(gap) >= 0.5 ? DisplayFormat.minutesSeconds(abs(gap)) : String(format: "%.2g s", abs(gap))
        case .count: DisplayFormat.count(Int64(exactly: abs(gap).rounded()) ?? 0)
        }
    }
}

/// Rates and shares (fractions from 0 to 1).
func isShare(_ metric: String) -> Bool {
    metric.hasSuffix("_rate") || metric.hasSuffix("_share") || metric == MetricDefinition.serviceLevel.id
}
