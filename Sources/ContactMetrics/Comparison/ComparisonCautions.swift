/// What a careful analyst would say before a before/after change is read as the effect of the change:
/// stated in plain words in every format (`Comparison.cautions`).
extension Comparison {
    /// A relative change in a queue's volume at least this large changes who calls.
    static let mixShiftingChange = 0.20

    /// The caution for `unknown` of `received` contacts of `place` (a window, or the days `--trend`
    /// fits) that come from exports with no outcome: `rates` names whose rates they are left out of.
    static func outcomeUnknownCaution(channel: String, unknown: Int64, received: Int64, of place: String, rates: String) -> String {
        if unknown == received {
            return "\(channel): every contact of \(place) comes from exports with no outcome or answer time, "
                + "so \(rates) abandonment and service level are not measured."
        }
        return "\(channel): \(DisplayFormat.count(unknown)) of the \(DisplayFormat.count(received)) contacts of \(place) come from exports "
            + "with no outcome or answer time: \(rates) abandonment and service level are of the other \(DisplayFormat.count(received - unknown)), "
            + "which may not be like them."
    }

    /// The caution for the contacts of `metrics` (those of `place`) whose exports have no category column.
    static func categoryNotGivenCaution(_ metrics: ChannelMetrics, of place: String) -> String {
        let notGiven = metrics.categoryNotGiven, received = metrics.received
        if notGiven == received {
            return "\(metrics.channel): every contact of \(place) comes from exports with no category column, so its category shares are not measured."
        }
        return "\(metrics.channel): \(DisplayFormat.count(notGiven)) of the \(DisplayFormat.count(received)) contacts of \(place) come from exports "
            + "with no category column: its category shares are of the other \(DisplayFormat.count(received - notGiven)), which may not be like them."
    }

    /// A difference in the share of `other` outcomes between the windows at least this large is said.
    static let otherShareCaution = 0.05

    /// A channel's contacts with a known outcome that is neither answered nor abandoned (`other` holds those
    /// whose outcome is unknown too).
    static func knownOther(_ metrics: ChannelMetrics) -> Int64 { (metrics.other ?? 0) - (metrics.outcomeUnknown ?? 0) }

    /// `knownOther`'s share of the contacts with a known outcome.
    static func otherShare(_ metrics: ChannelMetrics) -> Double? {
        let known = metrics.received - (metrics.outcomeUnknown ?? 0)
        guard known > 0, metrics.other != nil else { return nil }
        return Double(knownOther(metrics)) / Double(known)
    }

    /// The cautions for these two windows, in a fixed order.
    static func cautions(_ before: WindowFigures, _ after: WindowFigures, changes: [Change], baseline: Baseline? = nil) -> [String] {
        var cautions: [String] = []
        if before.window.dayRange.overlaps(after.window.dayRange) {
            cautions.append("The windows overlap (\(before.window.from)..\(before.window.to) and \(after.window.from)..\(after.window.to)): "
                            + "their shared days count in both, so no intervals are given (they would take the windows as separate days).")
        }
        // Volumes and rates differ by weekday, so windows with another mix of weekdays differ for that reason alone.
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        func weekdays(_ side: WindowFigures) -> [Int] {
            var counts = [Int](repeating: 0, count: 7)
            for day in side.window.dayRange { counts[CivilDate(daysSinceEpoch: day).isoWeekday - 1] += 1 }
            return counts
        }
        let beforeDays = weekdays(before), afterDays = weekdays(after)
        // Shares, so that windows of different lengths compare; a point of difference is one day in 100.
        let differing = (0..<7).filter { abs(Double(beforeDays[$0]) / Double(before.days) - Double(afterDays[$0]) / Double(after.days)) > 0.01 }
        if !differing.isEmpty {
            cautions.append("The windows have different mixes of weekdays (\(differing.map { "\(names[$0]) \(beforeDays[$0]) of \(before.days) and \(afterDays[$0]) of \(after.days)" }.joined(separator: ", "))): "
                            + "figures that differ by weekday differ between the windows for that reason too.")
        }
        for side in [before, after] + (baseline.map { [$0.before, $0.after] } ?? []) {
            if side.isPartial, let covered = side.coveredDayRange {
                let outside = side.days - side.spanDays
                cautions.append("The \(side.window.label) window reaches beyond the inputs, which cover \(CivilDate(daysSinceEpoch: covered.lowerBound)) to "
                                + "\(CivilDate(daysSinceEpoch: covered.upperBound)) of it: \(outside) of its \(side.days) days have no data, so its totals "
                                + "are of the other \(side.spanDays) and its volumes per day are over those with contacts.")
            }
            if side.daysWithContacts.isEmpty {
                // Incidents alone are compared; contacts are not.
                cautions.append("The \(side.window.label) window (\(side.window.from)..\(side.window.to)) has no contacts: "
                                + (side.hasIncidents ? "only its incidents can be compared." : "nothing can be compared with it."))
                continue
            }
            let missing = (side.coveredDayRange ?? side.window.dayRange).filter { !side.daysWithContacts.contains($0) }
            guard let first = missing.first else { continue }
            cautions.append("The \(side.window.label) window has \(missing.count) day\(missing.count == 1 ? "" : "s") with no contacts at all "
                            + "(the first \(CivilDate(daysSinceEpoch: first))): its volumes are per day over the others, but a missing export "
                            + "leaves its days out of the daily figures and the intervals, and its totals short.")
        }
        // Days with contacts and no incident, in a window with several incidents a day: an incidents export missing
        // (a review's April left out turned 25k → 21k deployed, −16%, into 13k → 21k, +63%, without a word).
        // The windows a year earlier too: their incident changes are set beside these (a review found +1463%).
        for side in [before, after] + (baseline.map { [$0.before, $0.after] } ?? []) where side.hasIncidents {
            // Inside the incidents' own span: days after their export ends are not counted per day already.
            let span = side.incidentDayRange ?? side.coveredDayRange ?? side.window.dayRange
            let missing = side.daysWithContacts.subtracting(side.daysWithIncidents).filter { span.contains($0) }.sorted()
            let perDay = Double(side.figures.incidents?.incidents ?? 0) / Double(max(1, side.daysWithIncidents.count))
            guard let first = missing.first, perDay >= 5 else { continue }
            cautions.append("The \(side.window.label) window has \(missing.count) day\(missing.count == 1 ? "" : "s") with contacts and no incidents at all "
                            + "(the first \(CivilDate(daysSinceEpoch: first))), against \(DisplayFormat.count(Int64(perDay.rounded()))) a day on the others: a missing incidents "
                            + "export reads as days without incidents.")
        }
        // An incidents export that ends (or starts) inside the window's days with contacts: its figures are per day
        // over its own days, which only the long note said (a review: a month left out at the end read −19% per day).
        for side in [before, after] + (baseline.map { [$0.before, $0.after] } ?? []) where side.hasIncidents && !side.daysWithContacts.isEmpty {
            guard let span = side.incidentDayRange else { continue }
            let outside = side.daysWithContacts.filter { !span.contains($0) }.count
            guard outside > 0 else { continue }
            cautions.append("The incidents of the \(side.window.label) window cover \(CivilDate(daysSinceEpoch: span.lowerBound)) to "
                            + "\(CivilDate(daysSinceEpoch: span.upperBound)) only, \(side.incidentDays) of its \(side.coveredDays) days with data "
                            + "(\(outside) day\(outside == 1 ? "" : "s") with contacts outside them): its incidents are per day over those days, "
                            + "and its incident totals are of them alone.")
        }
        // A field recorded for some incidents only (`referred_to` filled in from one month on): the count is of those
        // alone, over all the window's days (a review: 14 sent to partners read 0.038 a day over 366 days, 335 of
        // them unrecorded). Said with how many.
        for side in [before, after] + (baseline.map { [$0.before, $0.after] } ?? []) {
            guard let incidents = side.figures.incidents, incidents.incidents > 0 else { continue }
            for (what, field, measured) in [("Deployed incidents", "deployed", incidents.deployedMeasured),
                                            ("Incidents sent to partners", "referred_to", incidents.referralMeasured)]
            where measured > 0 && measured < incidents.incidents {
                cautions.append("\(what) in the \(side.window.label) window are counted among the \(DisplayFormat.count(measured)) of its "
                                + "\(DisplayFormat.count(incidents.incidents)) incidents whose \(field) is given: the others are not known either way.")
            }
        }
        // A channel missing on days when others have contacts: one export of several missing, or a channel that ended.
        let sides = [before, after] + (baseline.map { [$0.before, $0.after] } ?? [])
        for side in sides {
            for (channel, days) in side.daily.sorted(by: { $0.key < $1.key }) {
                let missing = side.daysWithContacts.count - days.count
                guard missing > 0, !days.isEmpty else { continue }
                cautions.append("\(channel) has no contacts on \(missing) of the \(side.daysWithContacts.count) days of the \(side.window.label) window "
                                + "that other channels have: check that its export is complete.")
            }
        }
        let channels = channelDisplayOrder(Array(Set(sides.flatMap(\.daily.keys))))
        for channel in channels {
            let absent = sides.filter { $0.daily[channel] == nil && !$0.daysWithContacts.isEmpty }
            guard !absent.isEmpty else { continue }
            cautions.append("\(channel) has no contacts in the \(absent.map { "\($0.window.label) window" }.joined(separator: " or the ")), but has in "
                            + "another: a channel renamed, added or dropped between them changes what the totals hold.")
        }
        if let baseline {
            let compared = [before.window.dayRange, after.window.dayRange]
            let shared = [baseline.before.window, baseline.after.window].reduce(0) { sum, window in
                sum + window.dayRange.filter { day in compared.contains { $0.contains(day) } }.count
            }
            if shared > 0 {
                cautions.append("The windows a year earlier share \(shared) day\(shared == 1 ? "" : "s") with the windows compared (they are a year "
                                + "apart too): in the intervals a shared day is one day, not two.")
            }
            if baseline.volumesLeftOut {
                cautions.append("Volumes are not set against a year earlier: a window has days with no contacts at all, which would read as days without calls.")
            }
        }
        // Rates are of the contacts whose outcome is known: say when some exports of a window give none.
        for side in sides {
            for metrics in side.figures.channels {
                guard let unknown = metrics.outcomeUnknown, unknown > 0 else { continue }
                cautions.append(outcomeUnknownCaution(channel: metrics.channel, unknown: unknown, received: metrics.received,
                                                      of: "the \(side.window.label) window (\(side.window.from)..\(side.window.to))", rates: "its"))
            }
        }
        // Category shares are of the contacts whose exports give categories (`ChannelMetrics.categorised`): say when
        // some exports of a window give none (a review: an export without the column halved the Covid share, marked `*`).
        for side in sides {
            for metrics in side.figures.channels where metrics.categoryNotGiven > 0 {
                guard !metrics.categories.isEmpty || sides.contains(where: { !($0.figures.channel(metrics.channel)?.categories.isEmpty ?? true) })
                else { continue }
                cautions.append(categoryNotGivenCaution(metrics, of: "the \(side.window.label) window (\(side.window.from)..\(side.window.to))"))
            }
        }
        // Outcomes that are neither answered nor abandoned (`other`: transferred, callback) stay in the abandonment
        // rate's denominator: a new word in one window's exports lowered it with no change in service, read as a
        // fall "more than chance would explain" (a review: 101 abandoned 30% → 10%, 30% of the calls "callback").
        for channel in channels {
            guard let old = before.figures.channel(channel), let new = after.figures.channel(channel), !old.isSubmission,
                  let oldShare = otherShare(old), let newShare = otherShare(new),
                  abs(newShare - oldShare) >= otherShareCaution, max(knownOther(old), knownOther(new)) >= 10 else { continue }
            cautions.append("\(channel): \(DisplayFormat.percentOneDecimal(newShare)) of the calls of the \(after.window.label) window whose outcome "
                            + "is known ended neither answered nor abandoned (transferred, callback and other words), against "
                            + "\(DisplayFormat.percentOneDecimal(oldShare)) of the \(before.window.label) window's: they count in the abandonment rate "
                            + "as calls not abandoned, so outcomes recorded another way move it with no change in the service; check the "
                            + "outcome words each export uses.")
        }
        // Waits known to the minute only: their percentiles and means move by up to a minute for that reason alone.
        for side in [before, after] {
            for metrics in side.figures.channels where metrics.waitsInWholeMinutes {
                cautions.append("\(metrics.channel): the waits of the \(side.window.label) window (\(side.window.from)..\(side.window.to)) are timed "
                                + "in whole minutes, each within ±59 s: a change in its answer times of less than a minute may be the clock's "
                                + "resolution alone, and the changes in its answer times have no interval.")
            }
        }
        // Handle time with wrap-up is over the contacts whose input gives wrap-up times: say when that is not all of them.
        for side in [before, after] {
            for metrics in side.figures.channels where metrics.wrapUpCount > 0 && metrics.wrapUpCount < metrics.handleCount {
                cautions.append("\(metrics.channel): handle time with wrap-up in the \(side.window.label) window is over the "
                                + "\(DisplayFormat.count(metrics.wrapUpCount)) of \(DisplayFormat.count(metrics.handleCount)) handled contacts "
                                + "whose input gives wrap-up times.")
            }
        }
        let shifted = changes.filter { change in
            change.metric == MetricDefinition.received.id && change.channel != nil && abs(change.change ?? 0) >= mixShiftingChange - 1e-9
                && before.figures.channel(change.channel!)?.isSubmission == false
        }
        if !shifted.isEmpty {
            let list = shifted.map { "\($0.channel!) \(($0.change! > 0 ? "+" : "−") + DisplayFormat.relativePercent($0.change!))" }
            cautions.append("Volumes changed a lot (\(list.joined(separator: ", "))): when this many more or fewer people call, who calls "
                            + "changes too, and waits and rates move with that mix as well as with the service.")
        }
        return cautions
    }
}
