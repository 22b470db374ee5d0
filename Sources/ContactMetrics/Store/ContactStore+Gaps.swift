import Foundation

// What a nightly store is missing: a night's export that never came, and queue_log nights taken in out of order.

/// A stretch of time in which some channels that have contacts around the clock have none stored (UTC seconds,
/// on 15-minute slot boundaries).
public struct CoverageGap: Sendable, Equatable {
    public var from: Int64
    public var to: Int64
    public var channels: [String]

    public init(from: Int64, to: Int64, channels: [String]) {
        self.from = from
        self.to = to
        self.channels = channels
    }

    /// "24 hours", or "3 days" from 48 hours on.
    public var length: String {
        let hours = Double(to - from) / 3600
        return hours < 48 ? "\(Int(hours.rounded())) hours" : "\(Int((hours / 24).rounded())) days"
    }

    /// `no contact of 101 and 999 is stored from 2019-04-12T23:45:00Z to 2019-04-14T00:00:00Z (24 hours)` (with
    /// `No` to begin a sentence), for the messages that say it: `ingest`'s warning and `compare`'s caution.
    public func stretch(beginsSentence: Bool = false) -> String {
        "\(beginsSentence ? "No" : "no") contact of \(DisplayFormat.list(channels)) is stored from \(DisplayFormat.utcTime(from)) to "
            + "\(DisplayFormat.utcTime(to)) (\(length))"
    }

    /// `though it has contacts around the clock` (`they have`, for channels).
    public var aroundTheClock: String { "though \(channels.count == 1 ? "it has" : "they have") contacts around the clock" }
}

extension ContactStore {
    /// The shortest stretch without contacts that is unusual for a channel with contacts around the clock.
    static let shortestUnusualGapSlots: Int64 = 24  // 6 hours
    /// A channel has contacts around the clock when on most of its days with contacts the longest stretch
    /// without any is 6 hours or less: 999 and 101 lines, a small force's with quiet nights (the third diff review's
    /// 999 line of 0.3 calls an hour at night went unjudged at 4 hours); not a helpline closed at night or at weekends.
    static let aroundTheClockSlots: Int64 = 24
    /// A stretch is unusual when it is this many times as long as the channel's usual longest stretch of a day:
    /// a missing night (23 hours and more) still is at the largest usual stretch, 6 hours.
    static let unusualMultiple: Int64 = 4
    /// The longest: a longer one is a store of separate windows (April–May 2019 and April–May 2020), not a
    /// night's export that never came.
    static let longestUnusualGapSlots: Int64 = 14 * 96
    /// −ln of the odds of a stretch by chance below which it is said (`unusualGaps`).
    static let unusualByChance = 17.0
    /// How far around the times asked about the slots are read, to judge what is usual for each channel.
    static let gapContextSeconds: Int64 = 28 * 86_400

    /// The stretches of 6 hours to 14 days in which channels that have contacts around the clock have none stored,
    /// and at least 4 times as long as the channel's median longest stretch of a day (a small force's quiet nights),
    /// that overlap `range` (UTC seconds): an export that never came (DESIGN §7). Missing nights do not make
    /// themselves usual, as long as they are fewer than half the days (a rule of "rare" long stretches went quiet
    /// after three missing nights in four weeks: the diff review). Judged per channel, so that
    /// another channel's source over the same night (an online-reports export beside the calls') does not hide it,
    /// and from the slots within 28 days of `range`. A review's store of nightly exports cut at UTC midnight
    /// lacked one and said nothing (the night kept the hour of summer time the file before held, so no day was
    /// without data), and `compare` read −8%. Stretches that overlap are one, with their channels.
    public func unusualGaps(overlapping range: ClosedRange<Int64>) throws(StoreError) -> [CoverageGap] {
        try check {
            let slots = try channelSlots(from: floorDivide(range.lowerBound - Self.gapContextSeconds, 900),
                                         to: floorDivide(range.upperBound + Self.gapContextSeconds, 900))
            return Self.unusualGaps(in: slots).filter { $0.to >= range.lowerBound && $0.from <= range.upperBound }
        }
    }

    /// Every such stretch in the store (`store info`).
    public func unusualGaps() throws(StoreError) -> [CoverageGap] {
        try check { Self.unusualGaps(in: try channelSlots(from: .min, to: .max)) }
    }

    /// The slots with contacts of each channel from `from` to `to`, ascending (in the table's key order).
    private func channelSlots(from: Int64, to: Int64) throws -> [String: [Int64]] {
        let statement = try connection.prepare("SELECT slot, channel FROM contact_cells WHERE slot >= ?1 AND slot <= ?2 AND received > 0 ORDER BY slot, channel")
        try statement.bind([from, to])
        var slots: [String: [Int64]] = [:]
        while try statement.step() {
            let slot = statement.int64(0)
            let channel = statement.string(1)
            if slots[channel]?.last != slot { slots[channel, default: []].append(slot) }  // two sources in a slot
        }
        return slots
    }

    /// `unusualGaps` of channels' ascending slots with contacts.
    static func unusualGaps(in slots: [String: [Int64]]) -> [CoverageGap] {
        var found: [CoverageGap] = []
        for (channel, slots) in slots where slots.count > 96 {
            // Each day's longest stretch without contacts (one that begins on it), over the days with contacts.
            var longestOfDay: [Int64: Int64] = [:]
            for (earlier, later) in zip(slots, slots.dropFirst()) {
                let day = floorDivide(earlier, 96)
                longestOfDay[day] = max(longestOfDay[day] ?? 0, later - earlier - 1)
            }
            let longest = longestOfDay.values.sorted()
            guard longest.count >= 7 else { continue }  // a week at least, to know what is usual
            let usual = longest[longest.count / 2]
            guard usual <= aroundTheClockSlots else { continue }
            let shortest = max(shortestUnusualGapSlots, unusualMultiple * usual)
            // And one that chance alone would seldom make: a queue of a few calls a day spread over it (a review's 7 on a
            // quiet day) went 22 hours without one, and was said to be missing an export on 4 of 927 nights. With a
            // fraction `p` of the channel's slots holding contacts, k empty slots in a row come by chance with odds
            // about (1 − p)^k: said from e^−17 (4 in 10⁸), so that a year of nights of 40 such queues says none by chance.
            let occupied = Double(slots.count) / Double(slots[slots.count - 1] - slots[0] + 1)
            let perEmptySlot = occupied < 1 ? -log(1 - occupied) : .infinity
            for (earlier, later) in zip(slots, slots.dropFirst()) where later - earlier - 1 >= shortest && later - earlier - 1 <= longestUnusualGapSlots
                && Double(later - earlier - 1) * perEmptySlot >= Self.unusualByChance {
                found.append(CoverageGap(from: (earlier + 1) * 900, to: later * 900, channels: [channel]))
            }
        }
        // Stretches that overlap, of different channels, are one.
        var merged: [CoverageGap] = []
        for gap in found.sorted(by: { ($0.from, $0.to) < ($1.from, $1.to) }) {
            if let last = merged.last, gap.from < last.to {
                merged[merged.count - 1].to = max(last.to, gap.to)
                merged[merged.count - 1].channels = (last.channels + gap.channels).sorted()
            } else {
                merged.append(gap)
            }
        }
        return merged
    }

    /// The queue_log sources stored whose first call came after the first of the source named `name` and that
    /// skipped lines of calls whose arrival they did not hold (`call_without_arrival`), other than those named in
    /// `sameRun` (read with it, oldest first, so its calls were joined with theirs): nights ingested before an
    /// earlier one, whose ends of calls that began in the earlier night were not joined with it. A later night
    /// that skipped no such line (another site's, or one ingested after this night's first version) lost nothing.
    public func laterQueueLogSources(than name: String, sameRun: Set<String>) throws(StoreError) -> [String] {
        try check {
            let statement = try connection.prepare("""
                SELECT name, ledger_details FROM sources WHERE kind = ?1 AND name <> ?2
                  AND first_arrival_utc > (SELECT first_arrival_utc FROM sources WHERE name = ?2) ORDER BY first_arrival_utc
                """)
            try statement.bind(1, InputKind.queueLog.rawValue)
            try statement.bind(2, name)
            var names: [String] = []
            while try statement.step() {
                guard !sameRun.contains(statement.string(0)) else { continue }
                var ledger = Ledger(), totals = StoreTotals()
                try LedgerDetails.add(statement.string(1), to: &ledger, totals: &totals)
                if ledger.skippedByReason[SkipReason.callWithoutArrival.rawValue, default: 0] > 0 { names.append(statement.string(0)) }
            }
            return names
        }
    }
}
