/// Intervals for the change in answer-time percentiles, by resampling days.
///
/// A percentile has no variance formula worth trusting on waits that bunch by day, so each window's days
/// are drawn again with replacement (as many as it has), the percentile of the drawn days' waits taken,
/// and the change's 2.5th and 97.5th percentiles over the draws are the interval (the percentile
/// bootstrap, resampling days as the clustered intervals treat them). The generator's seed is fixed, so
/// the same data always give the same interval.
public enum DayBootstrap {
    /// How many resamples: the interval's ends move by about a second between seeds on the samples.
    public static let resamples = 2000
    /// Days with waits a window needs for an interval: n days give at most C(2n − 1, n) distinct draws (3 for
    /// two days, 1,716 for seven), and a percentile bootstrap on fewer ends at the few values they give, marked
    /// significant on four calls.
    public static let minimumDays = 7
    static let seed: UInt64 = 0x5EED_DA75

    /// One window's days: each day's answer waits as (seconds, count) in ascending order of seconds.
    public typealias Days = [[(seconds: Int64, count: Int64)]]

    /// For each of `quantiles` (0…1, in hundredths), the interval of the change `after − before` of the
    /// nearest-rank percentile, or nil when a window has fewer than `minimumDays` days with waits.
    public static func percentileDifferences(before: Days, after: Days, quantiles: [Double],
                                             level: Double = 0.95) -> [ConfidenceInterval?] {
        percentileContrasts([(before, -1), (after, 1)], quantiles: quantiles, level: level)
    }

    /// For each of `quantiles`, the interval of Σ weight · percentile over windows (a difference in
    /// differences is four windows weighted −1, +1, +1, −1), each window's days drawn in turn; nil when a
    /// window has fewer than `minimumDays` days with waits. `dates` (each window's calendar days, in `windows`'
    /// order): when windows share days (a window a year earlier overlapping one compared), calendar days
    /// are drawn instead, once for all windows, so that a shared day is one draw, not two independent ones.
    public static func percentileContrasts(_ windows: [(days: Days, weight: Int64)], quantiles: [Double],
                                           level: Double = 0.95, dates: [[Int64]]? = nil) -> [ConfidenceInterval?] {
        percentileContrasts(windows, quantiles: quantiles, level: level, dates: dates, tableLimit: Window.tableLimit)
    }

    /// `tableLimit`: the largest days × distinct waits kept as a table (tests lower it to try the other way).
    static func percentileContrasts(_ windows: [(days: Days, weight: Int64)], quantiles: [Double],
                                    level: Double, dates: [[Int64]]? = nil, tableLimit: Int) -> [ConfidenceInterval?] {
        // Days without waits are left out, with their dates.
        let kept = windows.indices.map { index in windows[index].days.indices.filter { !windows[index].days[$0].isEmpty } }
        let prepared = windows.indices.compactMap { index in
            Window(kept[index].map { windows[index].days[$0] }, tableLimit: tableLimit).map { ($0, windows[index].weight) }
        }
        guard !windows.isEmpty, prepared.count == windows.count else { return quantiles.map { _ in nil } }
        let keptDates = dates.map { dates in windows.indices.map { index in kept[index].map { dates[index][$0] } } }
        let shared = keptDates.map { Set($0.flatMap { $0 }).count < $0.reduce(0) { $0 + $1.count } } ?? false
        let hundredths = quantiles.map { Int64(($0 * 100).rounded()) }
        var random = SplitMix64(seed: seed)
        var contrasts = [[Int64]](repeating: [], count: quantiles.count)
        var drawn = prepared.map { [Int](repeating: 0, count: $0.0.dayCount) }
        // Calendar days, when windows share some: each window's days by calendar day.
        let calendar = shared ? Array(Set(keptDates!.flatMap { $0 })).sorted() : []
        let dayOfWindow: [[Int64: Int]] = shared ? keptDates!.map { Dictionary(uniqueKeysWithValues: $0.enumerated().map { ($1, $0) }) } : []
        for _ in 0..<resamples {
            if shared {
                // Draw calendar days until every window has at least one (almost always the first time).
                repeat {
                    for index in drawn.indices { drawn[index].removeAll(keepingCapacity: true) }
                    for _ in calendar.indices {
                        let date = calendar[Int(random.next() % UInt64(calendar.count))]
                        for index in drawn.indices { if let day = dayOfWindow[index][date] { drawn[index].append(day) } }
                    }
                } while drawn.contains(where: \.isEmpty)
            } else {
                for (index, (window, _)) in prepared.enumerated() {
                    for day in drawn[index].indices { drawn[index][day] = Int(random.next() % UInt64(window.dayCount)) }
                }
            }
            var sums = [Int64](repeating: 0, count: quantiles.count)
            for (index, (window, weight)) in prepared.enumerated() {
                for (position, value) in window.percentiles(hundredths, days: drawn[index]).enumerated() { sums[position] += weight * value }
            }
            for index in quantiles.indices { contrasts[index].append(sums[index]) }
        }
        let tail = (1 - level) / 2
        return contrasts.map { values in
            let sorted = values.sorted()
            // The ⌈share·n⌉-th smallest; share·n rounded to millionths first (0.025 · 2000 is 50.000000000000004).
            func at(_ share: Double) -> Double {
                let rank = Int(((share * Double(sorted.count) * 1_000_000).rounded() / 1_000_000).rounded(.up))
                return Double(sorted[max(0, min(sorted.count - 1, rank - 1))])
            }
            return ConfidenceInterval(lower: at(tail), upper: at(1 - tail))
        }
    }

    /// A window's days, for drawing. Short windows keep each day's cumulative counts over the window's
    /// distinct waits: the count of drawn days' waits at or below a value is a sum over the drawn days, so
    /// a percentile is a binary search, not a merge. That table is days × distinct waits, which years of
    /// waits spread to the second would make gigabytes of. Above `tableLimit` cells the table is kept for
    /// runs of `bucketWidth` distinct waits only (at most `buckets` of them): a percentile finds its run by
    /// the table, then counts the drawn days' waits in that run alone. (Each draw added every drawn day's
    /// waits into one count per distinct wait and walked it: a compare of 3M contacts with waits spread over
    /// hours took 16.5 s against 0.9 s; found by the performance review.)
    private struct Window {
        static let tableLimit = 1 << 21
        static let buckets = 1024
        let values: [Int64]
        let dayCount: Int
        /// Day d's count of waits ≤ values[v], at d · values.count + v (short windows); for long windows,
        /// d's count of waits in runs 0…b, at d · runCount + b.
        let cumulative: [Int64]
        /// Long windows: distinct waits a run, and how many runs.
        let bucketWidth: Int
        let runCount: Int
        /// Each day's waits as (index into `values`, count), ascending (long windows).
        let entries: [[(index: Int32, count: Int64)]]

        init?(_ days: Days, tableLimit: Int) {
            guard days.count >= DayBootstrap.minimumDays else { return nil }
            values = Array(Set(days.flatMap { $0.map(\.seconds) })).sorted()
            dayCount = days.count
            if days.count * values.count <= tableLimit {
                var cumulative = [Int64](repeating: 0, count: days.count * values.count)
                for (day, entries) in days.enumerated() {
                    var next = 0, running: Int64 = 0
                    for (position, value) in values.enumerated() {
                        while next < entries.count && entries[next].seconds <= value { running += entries[next].count; next += 1 }
                        cumulative[day * values.count + position] = running
                    }
                }
                self.cumulative = cumulative
                entries = []
                (bucketWidth, runCount) = (1, values.count)
            } else {
                let values = values
                entries = days.map { day in
                    var position = 0
                    return day.map { entry in
                        while values[position] < entry.seconds { position += 1 }  // both ascending
                        return (Int32(position), entry.count)
                    }
                }
                let width = (values.count + Self.buckets - 1) / Self.buckets
                let runs = (values.count + width - 1) / width
                var cumulative = [Int64](repeating: 0, count: days.count * runs)
                for (day, waits) in entries.enumerated() {
                    for wait in waits { cumulative[day * runs + Int(wait.index) / width] += wait.count }
                    for run in stride(from: 1, to: runs, by: 1) { cumulative[day * runs + run] += cumulative[day * runs + run - 1] }
                }
                self.cumulative = cumulative
                (bucketWidth, runCount) = (width, runs)
            }
        }

        /// Long windows: the nearest-rank percentiles, each found by its run (`cumulative`), then within the run
        /// by the drawn days' waits in it. A day drawn more than once counts as often.
        private func percentilesByRuns(_ hundredths: [Int64], days: [Int]) -> [Int64] {
            var times: [Int: Int64] = [:]
            for day in days { times[day, default: 0] += 1 }
            let drawn = Array(times)
            func atOrBelow(run: Int) -> Int64 {
                var total: Int64 = 0
                for (day, count) in drawn { total += count * cumulative[day * runCount + run] }
                return total
            }
            let total = atOrBelow(run: runCount - 1)
            var inRun = [Int64](repeating: 0, count: bucketWidth)
            return hundredths.map { hundredth in
                let rank = max(1, (hundredth * total + 99) / 100)
                var low = 0, high = runCount - 1
                while low < high {
                    let middle = (low + high) / 2
                    if atOrBelow(run: middle) >= rank { high = middle } else { low = middle + 1 }
                }
                var seen = low > 0 ? atOrBelow(run: low - 1) : 0
                let first = low * bucketWidth, last = min(values.count, first + bucketWidth)
                for index in inRun.indices { inRun[index] = 0 }
                for (day, count) in drawn {
                    let waits = entries[day]
                    var start = 0, end = waits.count  // the day's first wait at or after the run's first
                    while start < end {
                        let middle = (start + end) / 2
                        if Int(waits[middle].index) < first { start = middle + 1 } else { end = middle }
                    }
                    while start < waits.count && Int(waits[start].index) < last {
                        inRun[Int(waits[start].index) - first] += count * waits[start].count
                        start += 1
                    }
                }
                for offset in 0..<(last - first) {
                    seen += inRun[offset]
                    if seen >= rank { return values[first + offset] }
                }
                return values[last - 1]
            }
        }

        /// How many of the drawn days' waits are ≤ values[position].
        private func count(atOrBelow position: Int, days: [Int]) -> Int64 {
            var total: Int64 = 0
            for day in days { total += cumulative[day * values.count + position] }
            return total
        }

        /// The nearest-rank percentiles (as `WaitSummary.percentile`) of the drawn days' waits.
        func percentiles(_ hundredths: [Int64], days: [Int]) -> [Int64] {
            guard entries.isEmpty else { return percentilesByRuns(hundredths, days: days) }
            let total = count(atOrBelow: values.count - 1, days: days)
            return hundredths.map { hundredth in
                let rank = max(1, (hundredth * total + 99) / 100)
                var low = 0, high = values.count - 1
                while low < high {
                    let middle = (low + high) / 2
                    if count(atOrBelow: middle, days: days) >= rank { high = middle } else { low = middle + 1 }
                }
                return values[low]
            }
        }
    }
}
