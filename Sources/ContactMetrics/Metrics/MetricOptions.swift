/// How service level treats abandoned calls (DESIGN §4).
public enum ServiceLevelFormula: String, Sendable, CaseIterable {
    /// answered within T ÷ (received − short abandoned)
    case abandonsCountAgainst = "abandons-count-against"
    /// answered within T ÷ answered
    case ignoreAbandons = "ignore-abandons"
    /// (answered within T + abandoned within T) ÷ (received − short abandoned)
    case abandonsInFavour = "abandons-in-favour"
    /// answered within T ÷ (received − short abandoned − abandoned within T): Cisco UCCE's "ignore
    /// abandoned calls", which leaves out only the abandons within the threshold
    case ignoreAbandonsWithinThreshold = "ignore-abandons-within-threshold"

    /// Whether abandons must have known waits to be placed either side of T.
    var placesAbandons: Bool { self == .abandonsInFavour || self == .ignoreAbandonsWithinThreshold }
}

/// Whose waits the wait percentiles describe (`--waits`).
public enum PercentileWaits: String, Sendable, CaseIterable {
    /// Answered contacts' waits (the default: "answer time").
    case answered
    /// Every caller's wait, abandons (but not short abandons) included: what a caller experiences.
    case all
}

/// Whether a wait of exactly T seconds is within the service-level threshold T.
public enum ServiceLevelBoundary: String, Sendable, CaseIterable {
    /// wait ≤ T (the default, as Genesys Cloud and Amazon Connect count it)
    case le
    /// wait < T
    case lt
}

/// Report-time choices: none of them changes what is accumulated, so a store can answer any of them.
public struct MetricOptions: Sendable, Equatable {
    /// Abandons with a wait below this many seconds are short abandons (0 = none).
    public var shortAbandonSeconds: Int64 = 0
    /// Service-level threshold T per channel, in seconds; channels without one have no service level.
    public var serviceLevelThresholds: [String: Int64] = ["999": 10, "101": 60, "webchat": 60]
    public var serviceLevelFormula: ServiceLevelFormula = .abandonsCountAgainst
    public var serviceLevelBoundary: ServiceLevelBoundary = .le
    public var percentileWaits: PercentileWaits = .answered
    /// `--max-plausible-wait` of the run that read the inputs, to be stated with the figures (it is applied
    /// when reading, `IngestOptions.longestWaitSeconds`).
    public var plausibleWaitSeconds: Int64?
    /// Channels that are submissions (received and categories only).
    public var submissionChannels: Set<String> = ["online"]
    /// Some input's times are in whole minutes and its rows do not say so one by one
    /// (`Ledger.minuteSourcesWithoutRowMarks`): a wait is then known to ±59 s, so service levels (whatever
    /// their threshold) and the answer-time bands are not measured in the cells whose waits do not
    /// show seconds (`ChannelMetrics.waitsShowSeconds`). Waits timed from times without seconds are
    /// counted per cell and need no such judgement (`ChannelMetrics.waitsTimedInMinutes`).
    public var timesInWholeMinutes = false

    /// These options as the inputs of `ledger` allow: a source in whole minutes cannot tell waits under
    /// a minute (`timesInWholeMinutes`).
    func allowed(by ledger: Ledger) -> MetricOptions {
        var options = self
        if ledger.minuteSourcesWithoutRowMarks > 0 { options.timesInWholeMinutes = true }
        return options
    }

    public init() {}

    /// The options that differ from the defaults, in words (nil when none do), so that every table says
    /// how its figures were made.
    public var settingsNote: String? {
        let defaults = MetricOptions()
        var parts: [String] = []
        if serviceLevelFormula != defaults.serviceLevelFormula { parts.append("service level formula \(serviceLevelFormula.rawValue)") }
        if serviceLevelBoundary != defaults.serviceLevelBoundary { parts.append("within the threshold means a wait < T") }
        if shortAbandonSeconds > 0 { parts.append("abandons under \(shortAbandonSeconds) s are short abandons, left out of rates") }
        if percentileWaits != defaults.percentileWaits { parts.append("percentiles of every caller's wait, abandons included") }
        if let seconds = plausibleWaitSeconds { parts.append("waits over \(seconds) s rejected as implausible") }
        return parts.isEmpty ? nil : "Figures made with: " + parts.joined(separator: "; ") + "."
    }

    /// Parses `999=10,101=60` into thresholds (merged over the defaults).
    public static func parseThresholds(_ text: String) -> [String: Int64]? {
        var result: [String: Int64] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let seconds = Int64(parts[1].trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
            let channel = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
            guard !channel.isEmpty, result[channel] == nil else { return nil }  // a channel given twice: which did they mean?
            result[channel] = seconds
        }
        return result.isEmpty ? nil : result
    }
}

import Foundation
