import Foundation

/// The store's cell decoding on arbitrary BLOBs: a BLOB either decodes within the bounds of
/// `StoredValues` or is refused; what decodes encodes back to the same values, and the metrics and
/// every rendering made of it neither trap nor show an impossible figure.
enum StoreCellsTarget {
    static func run(_ input: UnsafeRawBufferPointer) {
        var bytes = input
        let split = FuzzSupport.choice(&bytes, 3)
        let third = bytes.count / 3
        let parts = [UnsafeRawBufferPointer(rebasing: bytes[..<third]), UnsafeRawBufferPointer(rebasing: bytes[third..<2 * third]),
                     UnsafeRawBufferPointer(rebasing: bytes[(2 * third)...])]
        var totals = StoreTotals()
        var cell = ContactCell()
        do {
            try CellEncoding.decode(parts[0], into: &cell.answerWaits, totals: &totals, total: 0)
            try CellEncoding.decode(parts[1], into: &cell.abandonWaits, totals: &totals, total: 2)
            try CellEncoding.decode(parts[2], into: &cell.categories, totals: &totals, total: 4)
        } catch {
            return
        }
        for histogram in [cell.answerWaits, cell.abandonWaits] {
            var again = StoreTotals(), decoded = WaitHistogram()
            let encoded = CellEncoding.encode(histogram)
            fuzzCheck((try? encoded.withUnsafeBytes { try CellEncoding.decode($0, into: &decoded, totals: &again, total: 0) }) != nil, "re-encoding fails")
            fuzzCheck(decoded == histogram, "a histogram does not round-trip")
        }
        let answered = cell.answerWaits.counts.values.reduce(0, +), abandoned = cell.abandonWaits.counts.values.reduce(0, +)
        cell.counters.answered = answered
        cell.counters.abandoned = abandoned
        cell.counters.other = Int64(split)
        cell.counters.outcomeUnknown = split == 1 ? 1 : 0  // of `other`: out of the rates' denominators
        cell.counters.received = answered + abandoned + Int64(split)
        var options = MetricOptions()
        options.shortAbandonSeconds = Int64(split) * 7
        let metrics = ChannelMetrics(channel: ["999", "101", "online"][split], cell: cell, options: options)
        for share in [metrics.abandonRate, metrics.serviceLevel, metrics.answeredUnder10sShare, metrics.answered60sPlusShare].compactMap({ $0 }) {
            fuzzCheck(share >= 0 && share <= 1, "a share of \(share)")
        }
        if let p50 = metrics.answerP50Seconds, let p95 = metrics.answerP95Seconds, let maximum = metrics.maxWaitSeconds {
            fuzzCheck(p50 <= p95 && p95 <= maximum, "percentiles out of order")
        }
        var cube = Cube(grain: .local(.day))
        cube.contacts[CellKey(period: 18_000, channel: metrics.channel)] = cell
        cube.contacts[CellKey(period: 18_400, channel: metrics.channel)] = cell
        let report = Report(cube: cube, period: .day, timeZone: "Europe/London", ledger: Ledger(), options: options)
        _ = (report.table(), report.csv(), report.markdown(), report.html(), report.json().serialized())
        let comparison = Comparison(cube: cube, before: ComparisonWindow(parsing: "a=2019-04-14..2019-04-15")!,
                                    after: ComparisonWindow(parsing: "b=2020-05-18..2020-05-20")!, timeZone: "Europe/London",
                                    ledger: Ledger(), options: options)
        _ = (comparison.table(), comparison.csv(), comparison.json().serialized(), comparison.html())
    }
}
