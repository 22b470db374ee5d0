/// Every per-channel metric of DESIGN §4, described once: its id (JSON and CSV), its value, how a
/// table shows it and how `compare` estimates its change. JSON, CSV, the text and Markdown tables,
/// HTML and `compare` iterate over these definitions; adding a metric is a property computed in
/// `ChannelMetrics` and an entry here.
public struct MetricDefinition: Sendable {
    /// How `compare` estimates a change of the metric between two windows.
    public enum Change: Sendable {
        /// A rate: the difference in percentage points, Newcombe's interval from the counts.
        case rate(@Sendable (ChannelMetrics) -> (successes: Int64, trials: Int64)?)
        /// A mean time: the difference in seconds, Welch's interval from the sample.
        case mean(@Sendable (ChannelMetrics) -> ConfidenceIntervals.Sample?)
        /// A time of the distribution (a percentile): the difference in seconds, no interval.
        case difference
    }

    /// The id in JSON and CSV (`asa_seconds`).
    public let id: String
    /// The value, or nil when it cannot be computed (no answered calls, not measured).
    public let value: @Sendable (ChannelMetrics) -> JSONValue?
    /// The report table's column header and cell, when the table shows it.
    let column: (title: String, cell: @Sendable (ChannelMetrics) -> String?)?
    /// `compare`'s row title and display of one window's value, and how the change is estimated.
    let comparison: (title: @Sendable (MetricOptions, String) -> String, display: @Sendable (Double) -> String, change: Change)?
}

extension MetricDefinition {
    private static func integer(_ value: @escaping @Sendable (ChannelMetrics) -> Int64?) -> @Sendable (ChannelMetrics) -> JSONValue? {
        { value($0).map(JSONValue.integer) }
    }

    private static func number(_ value: @escaping @Sendable (ChannelMetrics) -> Double?) -> @Sendable (ChannelMetrics) -> JSONValue? {
        { value($0).map(JSONValue.number) }
    }

    private static func time(_ value: Int64?) -> String? { value.map { DisplayFormat.minutesSeconds(Double($0)) } }

    public static let received = MetricDefinition(id: "received", value: integer { $0.received },
                                                  column: ("Received", { DisplayFormat.count($0.received) }), comparison: nil)
    public static let answered = MetricDefinition(id: "answered", value: integer(\.answered),
                                                  column: ("Answered", { $0.answered.map(DisplayFormat.count) }), comparison: nil)
    public static let abandoned = MetricDefinition(id: "abandoned", value: integer(\.abandoned),
                                                   column: ("Abandoned", { $0.abandoned.map(DisplayFormat.count) }), comparison: nil)
    public static let shortAbandoned = MetricDefinition(id: "short_abandoned", value: integer(\.shortAbandoned), column: nil, comparison: nil)
    public static let other = MetricDefinition(id: "other", value: integer(\.other), column: nil, comparison: nil)
    public static let outcomeUnknown = MetricDefinition(id: "outcome_unknown", value: integer(\.outcomeUnknown), column: nil, comparison: nil)
    public static let abandonRate = MetricDefinition(
        id: "abandon_rate", value: number(\.abandonRate),
        column: ("Aband. %", { $0.abandonRate.map(DisplayFormat.percentOneDecimal) }),
        comparison: ({ _, _ in "Abandoned" }, DisplayFormat.percentOneDecimal, .rate { metrics in
            // Not measured (no contact with a known outcome): no counts, not a rate of 0.
            guard metrics.abandonRate != nil, let abandoned = metrics.abandoned, let short = metrics.shortAbandoned else { return nil }
            return (abandoned, metrics.received - short - (metrics.outcomeUnknown ?? 0))
        }))
    public static let asa = MetricDefinition(
        id: "asa_seconds", value: number(\.asaSeconds),
        column: ("ASA", { $0.asaSeconds.map(DisplayFormat.minutesSeconds) }),
        comparison: ({ _, _ in "Average time to answer" }, DisplayFormat.minutesSeconds, .mean { metrics in
            let waits = metrics.answerWaits
            guard waits.count > 0 else { return nil }
            return .init(count: Double(waits.count), sum: Double(waits.sum), sumOfSquares: Double(waits.sumOfSquares))
        }))
    public static let answerP50 = MetricDefinition(
        id: "answer_p50_seconds", value: integer(\.answerP50Seconds), column: ("p50", { time($0.answerP50Seconds) }),
        comparison: ({ options, _ in options.percentileWaits == .all ? "Wait (all callers), median" : "Answer time, median" }, DisplayFormat.minutesSeconds, .difference))
    public static let answerP90 = MetricDefinition(
        id: "answer_p90_seconds", value: integer(\.answerP90Seconds), column: ("p90", { time($0.answerP90Seconds) }),
        comparison: ({ options, _ in options.percentileWaits == .all ? "Wait (all callers), 90th percentile" : "Answer time, 90th percentile" }, DisplayFormat.minutesSeconds, .difference))
    public static let answerP95 = MetricDefinition(
        id: "answer_p95_seconds", value: integer(\.answerP95Seconds), column: ("p95", { time($0.answerP95Seconds) }),
        comparison: ({ options, _ in options.percentileWaits == .all ? "Wait (all callers), 95th percentile" : "Answer time, 95th percentile" }, DisplayFormat.minutesSeconds, .difference))
    public static let maxWait = MetricDefinition(id: "max_wait_seconds", value: integer(\.maxWaitSeconds),
                                                 column: ("Max wait", { time($0.maxWaitSeconds) }), comparison: nil)
    public static let serviceLevel = MetricDefinition(
        id: "service_level", value: number(\.serviceLevel),
        column: ("Service level", { metrics in
            metrics.serviceLevel.map {
                "\(DisplayFormat.percentOneDecimal($0)) \(metrics.serviceLevelBoundarySymbol)\(metrics.serviceLevelThresholdSeconds ?? 0)s"
            }
        }),
        comparison: ({ options, channel in "Service level" + (options.serviceLevelThresholds[channel].map { " (\(options.serviceLevelBoundary == .le ? "≤" : "<") \($0) s)" } ?? "") },
                     DisplayFormat.percentOneDecimal, .rate { $0.serviceLevelCounts.map { ($0.within, $0.of) } }))
    public static let serviceLevelThreshold = MetricDefinition(id: "service_level_threshold_seconds",
                                                               value: integer(\.serviceLevelThresholdSeconds), column: nil, comparison: nil)
    public static let answeredUnder10s = MetricDefinition(id: "answered_under_10s_share", value: number(\.answeredUnder10sShare),
                                                          column: nil, comparison: nil)
    public static let answered10To60s = MetricDefinition(id: "answered_10_to_60s_share", value: number(\.answered10To60sShare),
                                                         column: nil, comparison: nil)
    public static let answered60sPlus = MetricDefinition(id: "answered_60s_plus_share", value: number(\.answered60sPlusShare),
                                                         column: nil, comparison: nil)
    public static let meanAbandonWait = MetricDefinition(id: "mean_abandon_wait_seconds", value: number(\.meanAbandonWaitSeconds),
                                                         column: nil, comparison: nil)
    public static let meanHandle = MetricDefinition(
        id: "mean_handle_seconds", value: number(\.meanHandleSeconds),
        column: ("Handle", { $0.meanHandleSeconds.map(DisplayFormat.minutesSeconds) }),
        comparison: ({ _, _ in "Handle time, mean" }, DisplayFormat.minutesSeconds, .mean { metrics in
            guard metrics.handleCount > 0 else { return nil }
            return .init(count: Double(metrics.handleCount), sum: Double(metrics.handleSum), sumOfSquares: Double(metrics.handleSumOfSquares))
        }))

    public static let meanHandleWithWrapUp = MetricDefinition(
        id: "mean_handle_with_wrap_up_seconds", value: number(\.meanHandleWithWrapUpSeconds), column: nil,
        comparison: ({ _, _ in "Handle time with wrap-up, mean" }, DisplayFormat.minutesSeconds, .mean { metrics in
            guard metrics.wrapUpCount > 0 else { return nil }
            return .init(count: Double(metrics.wrapUpCount), sum: Double(metrics.handleWithWrapUpSum),
                         sumOfSquares: Double(metrics.handleWithWrapUpSumOfSquares))
        }))

    /// The queue metrics, in the order JSON and CSV give them (a submission channel has only `received`
    /// and its categories).
    public static let all: [MetricDefinition] = [
        received, answered, abandoned, shortAbandoned, other, outcomeUnknown, abandonRate, asa, answerP50, answerP90, answerP95, maxWait,
        serviceLevel, serviceLevelThreshold, answeredUnder10s, answered10To60s, answered60sPlus, meanAbandonWait, meanHandle,
        meanHandleWithWrapUp,
    ]

    /// The report table's columns, in order.
    static let tableColumns: [MetricDefinition] = [
        received, answered, abandoned, abandonRate, asa, answerP50, answerP90, answerP95, maxWait, serviceLevel, meanHandle,
    ]

    /// The metrics `compare` estimates a change of per channel, in the order it lists them.
    static let compared: [MetricDefinition] = [asa, abandonRate, serviceLevel, answerP50, answerP90, answerP95, meanHandle, meanHandleWithWrapUp]

    /// The definition of metric `id`.
    public static func named(_ id: String) -> MetricDefinition? { all.first { $0.id == id } }
}
