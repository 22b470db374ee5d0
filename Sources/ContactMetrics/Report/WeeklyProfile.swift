/// Contacts by hour of the week (Monday 00:00 to Sunday 24:00, local wall-clock time) over a whole report:
/// when people call, and when they give up. Built from cells of an hour or finer.
public struct WeeklyProfile: Sendable, Equatable {
    /// One channel's counts per hour of the week (index `weekday × 24 + hour`, Monday = 0).
    public struct Channel: Sendable, Equatable {
        public var name: String
        public var received: [Int64]
        /// Abandoned, short abandons left out; and the calls they are a share of (received less short abandons).
        public var abandoned: [Int64]
        public var offered: [Int64]
        /// A submission channel has no queue: its abandonment is not shown.
        public var isSubmission: Bool
    }

    public var channels: [Channel]
    /// How many Mondays, Tuesdays … the report covers (for averages per week); all zero when not known.
    public var weekdayCounts: [Int]

    public static let hoursInWeek = 168
    public static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// The profile of `cube`, whose grain is local periods of an hour or less.
    public init(cube: Cube, options: MetricOptions, coveredDays: ClosedRange<Int64>?) {
        guard case .local(let unit) = cube.grain, let length = unit.subDaySeconds else {
            preconditionFailure("a weekly profile needs cells of an hour or less")
        }
        var byChannel: [String: Channel] = [:]
        for (key, cell) in cube.contacts {
            let localSeconds = key.period * length
            let day = floorDivide(localSeconds, 86_400)
            let index = Int(floorModulo(day + 3, 7)) * 24 + Int(floorModulo(localSeconds, 86_400) / 3600)  // 1970-01-01 was a Thursday
            let isSubmission = options.submissionChannels.contains(key.channel)
            var channel = byChannel[key.channel] ?? Channel(name: key.channel, received: .init(repeating: 0, count: Self.hoursInWeek),
                                                            abandoned: .init(repeating: 0, count: Self.hoursInWeek),
                                                            offered: .init(repeating: 0, count: Self.hoursInWeek), isSubmission: isSubmission)
            var short: Int64 = 0
            if options.shortAbandonSeconds > 0 {
                cell.abandonWaits.forEach { seconds, count in if seconds < options.shortAbandonSeconds { short += count } }
            }
            channel.received[index] += cell.counters.received
            channel.abandoned[index] += cell.counters.abandoned - short
            channel.offered[index] += cell.counters.received - short
            byChannel[key.channel] = channel
        }
        channels = channelDisplayOrder(byChannel.keys).map { byChannel[$0]! }
        weekdayCounts = Array(repeating: 0, count: 7)
        if let coveredDays {
            for day in coveredDays { weekdayCounts[Int(floorModulo(day + 3, 7))] += 1 }
        }
    }
}

extension WeeklyProfile {
    /// The grain a report at `unit` is read at to have a profile: `unit` itself when it is an hour or
    /// less, else hours (rolled up to `unit` afterwards with `Cube.rolledUp(toLocal:)`).
    public static func grain(for unit: PeriodUnit) -> PeriodUnit { unit.isSubDay ? unit : .hour }
}

extension Cube {
    /// This cube (at `unit` already, or of local sub-day cells) with its cells added up into local `unit` periods: the cube a
    /// direct read at `unit` gives (periods are wall-clock ranges, so an hour lies in one day, week, month …).
    public func rolledUp(toLocal unit: PeriodUnit) -> Cube {
        if grain == .local(unit) { return self }
        guard case .local(let fine) = grain, let length = fine.subDaySeconds else { preconditionFailure("a cube of local sub-day cells") }
        return rolledUp(to: .local(unit)) { unit.key(localSeconds: $0 * length) }
    }
}
