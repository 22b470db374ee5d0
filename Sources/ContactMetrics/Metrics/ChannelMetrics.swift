/// The metrics of one channel in one period or window (DESIGN §4). A metric that cannot be computed
/// (no answered calls, a submission channel) is nil, never 0.
public struct ChannelMetrics: Sendable, Equatable {
    public var channel: String
    public var isSubmission: Bool
    public var received: Int64
    public var answered: Int64?
    public var abandoned: Int64?
    public var shortAbandoned: Int64?
    public var other: Int64?
    /// Of `other`, the contacts whose export gives no outcome (nor an answer time): not in the rates.
    public var outcomeUnknown: Int64?
    public var abandonRate: Double?
    public var asaSeconds: Double?
    public var answerP50Seconds: Int64?
    public var answerP90Seconds: Int64?
    public var answerP95Seconds: Int64?
    public var maxWaitSeconds: Int64?
    public var serviceLevel: Double?
    public var serviceLevelThresholdSeconds: Int64?
    /// "≤" or "<": how a wait of exactly the threshold counts (`--service-level-boundary`).
    public var serviceLevelBoundarySymbol = "≤"
    /// The service level's numerator and denominator (for confidence intervals).
    public var serviceLevelCounts: ServiceLevelCounts?
    /// The waits are known to the minute only (times without seconds, or a source in whole minutes): no
    /// service level nor answer-time bands, and answer times within ±59 s.
    public var waitsInWholeMinutes = false
    public var answeredUnder10sShare: Double?
    public var answered10To60sShare: Double?
    public var answered60sPlusShare: Double?
    public var meanAbandonWaitSeconds: Double?
    public var meanHandleSeconds: Double?
    /// Mean handle time with after-call work, over answered contacts whose wrap-up time the input gives.
    public var meanHandleWithWrapUpSeconds: Double?
    /// Contacts by category, in ascending order of label (as the outputs list them): the cell's own table, not
    /// a dictionary to sort again (60,000 free-text categories a month: sorting them was a third of a report's
    /// time).
    public var categories: CategoryCounts
    /// Contacts whose export has no category column: whether they had one is not known.
    public var categoryNotGiven: Int64

    /// The contacts a category's share is of: those whose export gives categories (an empty one counts,
    /// as no category). Contacts of an export without the column would read as a fall in every share.
    public var categorised: Int64 { received - categoryNotGiven }

    /// The answer-wait sample (count, sum, sum of squares) for confidence intervals on the mean.
    public var answerWaits: WaitSummary
    /// The waits the percentiles are of: `answerWaits`, or with `--waits all` every caller's wait but short abandons'.
    public var percentileWaits: WaitSummary
    /// The handle-time sample as (count, sum, sum of squares).
    public var handleCount: Int64
    public var handleSum: Int64
    public var handleSumOfSquares: UInt64
    /// The same with after-call work added, over the contacts that have it.
    public var wrapUpCount: Int64
    public var handleWithWrapUpSum: Int64
    public var handleWithWrapUpSumOfSquares: UInt64

    public init(channel: String, cell: ContactCell, options: MetricOptions) {
        self.channel = channel
        let counters = cell.counters
        isSubmission = options.submissionChannels.contains(channel)
        received = counters.received
        categories = cell.categories
        categoryNotGiven = counters.categoryNotGiven
        answerWaits = WaitSummary(cell.answerWaits)
        percentileWaits = answerWaits
        handleCount = counters.handled
        handleSum = counters.handleSeconds
        handleSumOfSquares = counters.handleSecondsSquared
        wrapUpCount = counters.wrapped
        handleWithWrapUpSum = counters.handleWithWrapUpSeconds
        handleWithWrapUpSumOfSquares = counters.handleWithWrapUpSecondsSquared
        guard !isSubmission else { return }

        let abandonWaits = WaitSummary(cell.abandonWaits)
        let short = options.shortAbandonSeconds > 0 ? abandonWaits.count(below: options.shortAbandonSeconds) : 0
        // Rates are of contacts whose outcome is known: those of an export with neither an outcome nor an
        // answer time (`outcomeUnknown`) are not counted as answered, nor as failures. With none known the
        // rate is not measured, rather than 0%.
        let offered = counters.received - short - counters.outcomeUnknown
        answered = counters.answered
        abandoned = counters.abandoned - short
        shortAbandoned = short
        other = counters.other
        outcomeUnknown = counters.outcomeUnknown
        // A period whose contacts were all `other` (transferred) has 0%, as DESIGN §4 counts it (a rule that asked
        // for an answered or abandoned contact in the period read such a day as a gap in the figures).
        abandonRate = offered > 0 ? Double(counters.abandoned - short) / Double(offered) : nil
        asaSeconds = answerWaits.mean
        if options.percentileWaits == .all {
            var waits = cell.answerWaits
            var longAbandons = WaitHistogram.Builder()
            cell.abandonWaits.forEach { seconds, count in
                if seconds >= options.shortAbandonSeconds { longAbandons.append(seconds: seconds, count: count) }
            }
            waits.add(longAbandons.histogram)
            percentileWaits = WaitSummary(waits)
        }
        answerP50Seconds = percentileWaits.percentile(0.50)
        answerP90Seconds = percentileWaits.percentile(0.90)
        answerP95Seconds = percentileWaits.percentile(0.95)
        // The longest of both kinds: where one kind has no wait at all (an export without answered_at), the
        // other's longest is not the longest wait, so it is not measured (it showed the abandons' alone).
        let oneKindUntimed = (counters.answered > 0 && cell.answerWaits.isEmpty) || (counters.abandoned > 0 && cell.abandonWaits.isEmpty)
        maxWaitSeconds = oneKindUntimed ? nil : [answerWaits.maximum, abandonWaits.maximum].compactMap { $0 }.max()

        let inWholeMinutes = Self.waitsTimedInMinutes(cell) || (options.timesInWholeMinutes && !Self.waitsShowSeconds(cell))
        waitsInWholeMinutes = inWholeMinutes && !(cell.answerWaits.isEmpty && cell.abandonWaits.isEmpty)
        if let threshold = options.serviceLevelThresholds[channel] {
            serviceLevelThresholdSeconds = threshold
            serviceLevelBoundarySymbol = options.serviceLevelBoundary == .le ? "≤" : "<"
            func within(_ waits: WaitSummary) -> Int64 {
                options.serviceLevelBoundary == .le ? waits.count(atMost: threshold) : waits.count(below: threshold)
            }
            let answeredWithin = within(answerWaits)
            // Abandons within T that are not short ones: waits from S to T, none when S is above T.
            let abandonedWithin = max(0, within(abandonWaits) - short)
            let counts: ServiceLevelCounts
            // Answered contacts without an answer time (and, where abandons are placed either side of T, abandons
            // without a wait) cannot be placed either side of T: left out of the denominator, as they are of the
            // answer-time figures, not counted as failures.
            let untimedAnswers = counters.answeredUntimed
            switch options.serviceLevelFormula {
            case .abandonsCountAgainst: counts = ServiceLevelCounts(within: answeredWithin, of: offered - untimedAnswers)
            case .ignoreAbandons: counts = ServiceLevelCounts(within: answeredWithin, of: counters.answered - untimedAnswers)
            case .abandonsInFavour:
                counts = ServiceLevelCounts(within: answeredWithin + abandonedWithin, of: offered - untimedAnswers - counters.abandonedUntimed)
            case .ignoreAbandonsWithinThreshold:
                counts = ServiceLevelCounts(within: answeredWithin,
                                            of: offered - untimedAnswers - counters.abandonedUntimed - abandonedWithin)
            }
            // Its numerator needs the waits: answered calls none of which has an answer time (an export
            // without the column) make the service level not measured, not 0%; so do abandons with no
            // wait when they are placed either side of T.
            let answersTimed = counters.answered == 0 || answerWaits.count > 0
            let abandonsTimed = counters.abandoned == 0 || abandonWaits.count > 0
            let measured = answersTimed && (!options.serviceLevelFormula.placesAbandons || abandonsTimed)
            // Whatever the threshold: a wait timed between two times cut to the minute is a whole number of minutes,
            // either side of the true one, so one of 61–119 s may read 60 s and count within a 60 s threshold (a review's
            // 101 queue showed 53.9% within 60 s for a true 42.7%, and `compare` a significant fall for no change).
            let resolvable = !inWholeMinutes
            if counts.of > 0 && measured && resolvable {
                serviceLevelCounts = counts
                serviceLevel = Double(counts.within) / Double(counts.of)
            }
        }
        let timedAnswers = answerWaits.count
        if timedAnswers > 0 && !inWholeMinutes {
            let under10 = answerWaits.count(below: 10), under60 = answerWaits.count(below: 60)
            answeredUnder10sShare = Double(under10) / Double(timedAnswers)
            answered10To60sShare = Double(under60 - under10) / Double(timedAnswers)
            answered60sPlusShare = Double(timedAnswers - under60) / Double(timedAnswers)
        }
        let longAbandons = abandonWaits.count - short
        if longAbandons > 0 {
            var shortSum: Int64 = 0
            cell.abandonWaits.forEach { seconds, count in
                if seconds < options.shortAbandonSeconds { shortSum += seconds * count }
            }
            meanAbandonWaitSeconds = Double(abandonWaits.sum - shortSum) / Double(longAbandons)
        }
        if counters.handled > 0 {
            meanHandleSeconds = Double(counters.handleSeconds) / Double(counters.handled)
        }
        if counters.wrapped > 0 {
            meanHandleWithWrapUpSeconds = Double(counters.handleWithWrapUpSeconds) / Double(counters.wrapped)
        }
    }
}

/// A service level's numerator and denominator.
public struct ServiceLevelCounts: Sendable, Equatable {
    public var within: Int64
    public var of: Int64
}

/// The incident figures of one period or window; nil = not measured (DESIGN §3.2).
public struct IncidentMetrics: Sendable, Equatable {
    public var incidents: Int64
    public var deployed: Int64?
    public var referred: Int64?
    public var referredByAgency: [String: Int64]
    /// The incidents whose `deployed` (`referred_to`) is given: `deployed` (`referred`) counts among them alone.
    public var deployedMeasured: Int64
    public var referralMeasured: Int64

    public init(cell: IncidentCell) {
        incidents = cell.counters.incidents
        deployedMeasured = cell.counters.deployedMeasured
        referralMeasured = cell.counters.referralMeasured
        deployed = cell.counters.deployedMeasured > 0 ? cell.counters.deployed : nil
        referred = cell.counters.referralMeasured > 0 ? cell.counters.referred : nil
        referredByAgency = cell.referredByAgency.dictionary
    }
}

/// The well-known channels first (in their order), then the rest alphabetically.
public func channelDisplayOrder(_ channels: some Sequence<String>) -> [String] {
    let all = Set(channels)
    return WellKnownChannels.all.filter(all.contains) + all.subtracting(WellKnownChannels.all).sorted()
}

/// The channels DESIGN §3.1 names, in the order reports list them. Every worker's label table starts
/// with them, so they have ids 0–3 everywhere and the decoder recognises them without a lookup
/// (`BlockWorker.channelId`'s fast path, which must list them in this order).
public enum WellKnownChannels {
    public static let all = ["999", "101", "online", "webchat"]
}

extension ChannelMetrics {
    /// Whether more than one in 20 of a cell's waits were timed from a time written without seconds
    /// (`ContactCounters.minuteTimedWaits`): each such wait is known to ±59 s, so the cell cannot tell a
    /// wait under a minute. Counted per row, this holds wherever those rows are, and nowhere else.
    static func waitsTimedInMinutes(_ cell: ContactCell) -> Bool {
        let counters = cell.counters, minuteTimed = counters.minuteTimedWaits
        let waits = counters.answered - counters.answeredUntimed + counters.abandoned - counters.abandonedUntimed
        return minuteTimed > 0 && minuteTimed * 20 > waits
    }

    /// Whether a cell's waits were measured to the second although some input of the run is in whole
    /// minutes (`MetricOptions.timesInWholeMinutes`): at most one in ten of its waits above 0 s is a whole
    /// number of minutes (one in 60 is, by chance, in times with seconds; every one is in times without).
    /// So a period that only inputs with seconds cover keeps its service level, and one with more than a
    /// tenth of its waits from an input in minutes does not. A cell with no wait above 0 s cannot tell.
    static func waitsShowSeconds(_ cell: ContactCell) -> Bool {
        var waits: Int64 = 0, wholeMinutes: Int64 = 0
        for histogram in [cell.answerWaits, cell.abandonWaits] {
            histogram.forEach { seconds, count in
                guard seconds > 0 else { return }
                waits += count
                if seconds % 60 == 0 { wholeMinutes += count }
            }
        }
        return waits > 0 && wholeMinutes * 10 <= waits
    }
}
