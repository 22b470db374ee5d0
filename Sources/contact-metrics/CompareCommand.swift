import ContactMetrics

/// `contact-metrics compare`.
enum CompareCommand {
    static func run(_ words: [String]) throws {
        let arguments = try Arguments(words, command: .compare)
        if arguments.has(.help) { try Terminal.output(Usage.help(for: .compare)); return }
        func window(_ option: Option) throws(UsageError) -> ComparisonWindow {
            guard let text = arguments.value(option) else {
                let example = option == .before ? "Pre CMP=2019-04-01..2019-05-31" : "CMP being used=2020-04-01..2020-05-31"
                throw arguments.fail("\(option.spelling) is required (e.g. \(option.spelling) \"\(example)\")")
            }
            guard let window = ComparisonWindow(parsing: text) else {
                throw arguments.fail("\(option.spelling): \(ComparisonWindow.problem(text) ?? text)")
            }
            return window
        }
        let before = try window(.before), after = try window(.after)
        if before.dayRange == after.dayRange {
            throw arguments.fail("\(Option.before.spelling) and \(Option.after.spelling) are the same days (\(before.from)..\(before.to)): nothing to compare")
        }
        if before.label.lowercased() == after.label.lowercased() {
            throw arguments.fail("\(Option.before.spelling) and \(Option.after.spelling) have the same label, '\(before.label)': their columns could not be told apart; give each its own (LABEL=FROM..TO)")
        }
        var intervals = Comparison.IntervalMethod.days
        if let text = arguments.value(.intervals) {
            guard let method = Comparison.IntervalMethod(rawValue: text) else {
                throw arguments.fail("\(Option.intervals.spelling): expected one of \(Comparison.IntervalMethod.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
            }
            intervals = method
        }
        if before.dayRange.overlaps(after.dayRange) {
            Terminal.warning("the \(Option.before.spelling) and \(Option.after.spelling) windows overlap (\(before.from)..\(before.to) and \(after.from)..\(after.to)): their shared days count in both")
        }
        if after.dayRange.upperBound < before.dayRange.lowerBound {
            Terminal.warning("the \(Option.after.spelling) window (\(after.from)..\(after.to)) is earlier than the \(Option.before.spelling) window (\(before.from)..\(before.to)): changes are read from \(before.label) to \(after.label), as given")
        }
        let span = min(before.dayRange.lowerBound, after.dayRange.lowerBound)...max(before.dayRange.upperBound, after.dayRange.upperBound)
        let trend = arguments.has(.trend)
        for option in [Option.changeDate, .event, .series] where arguments.has(option) && !trend {
            throw arguments.fail("\(option.spelling) needs \(Option.trend.spelling)")
        }
        var changeDate = after.from
        if let text = arguments.value(.changeDate) {
            guard let date = CivilDate(parsing: text) else { throw arguments.fail("\(Option.changeDate.spelling): \(CivilDate.problem(text))") }
            changeDate = date
        }
        // A level and a trend on each side need days on each side: at least a week. (Compared, not made a
        // range: a span under 14 days would make one whose bounds are the wrong way round, a trap.)
        let change = changeDate.daysSinceEpoch
        let spanText = "\(CivilDate(daysSinceEpoch: span.lowerBound))..\(CivilDate(daysSinceEpoch: span.upperBound))"
        if trend && span.upperBound - span.lowerBound < 13 {
            throw arguments.fail("\(Option.trend.spelling) needs at least 14 days from the first window's start to the last one's end, a week each side of the change; "
                + "the windows span \(span.upperBound - span.lowerBound + 1) days (\(spanText)): widen them")
        }
        if trend && !span.contains(change) {
            throw arguments.fail("\(Option.changeDate.spelling) \(changeDate) is outside the span of the windows, \(spanText)")
        }
        if trend && !(change - span.lowerBound >= 7 && span.upperBound - change >= 6) {
            throw arguments.fail("the change date \(changeDate) must leave at least 7 days of the span \(CivilDate(daysSinceEpoch: span.lowerBound))..\(CivilDate(daysSinceEpoch: span.upperBound)) on each side (give \(Option.changeDate.spelling))")
        }
        var events: [TrendAnalysis.Event] = []
        for item in (arguments.value(.event) ?? "").split(separator: ",") {
            guard let event = TrendAnalysis.Event(parsing: String(item)) else {
                throw arguments.fail("\(Option.event.spelling): expected LABEL=YYYY-MM-DD[,LABEL=YYYY-MM-DD...], found '\(item)'")
            }
            guard span.lowerBound < event.date.daysSinceEpoch && event.date.daysSinceEpoch <= span.upperBound, event.date != changeDate else {
                throw arguments.fail("\(Option.event.spelling) \(event.label)=\(event.date): the date must be after the first day of the span of the windows and not the change date")
            }
            if events.contains(where: { $0.date == event.date || $0.label == event.label }) || event.label.lowercased() == "change" {
                throw arguments.fail("\(Option.event.spelling): each break needs its own label and date (and 'change' is the change's)")
            }
            events.append(event)
        }
        var previousYear = false
        if let text = arguments.value(.baseline) {
            guard text == "previous-year" else { throw arguments.fail("\(Option.baseline.spelling): expected previous-year, found '\(text)'") }
            previousYear = true
        }
        // The series runs over every day between the windows too; the baseline needs the windows a year earlier.
        var windows = trend ? [span] : [before.dayRange, after.dayRange]
        if previousYear { windows += [Comparison.yearEarlier(before).dayRange, Comparison.yearEarlier(after).dayRange] }
        let storePath = arguments.value(.store)
        var common = try CommonOptions(arguments, grain: .local(.day), requiresInputs: storePath == nil, storePath: storePath)
        let cube: Cube, ledger: Ledger
        var storeGaps: [CoverageGap] = []
        var countedTwice: [SourcesCountedTwice] = []
        var storedBeforeCategories = 0
        if let storePath {
            try StoreReading.adoptReading(of: storePath, arguments: arguments, common: &common)
            // Only the days from the first window's start to the last window's end are read.
            common.ingest.fromDay = windows.map(\.lowerBound).min()!
            common.ingest.toDay = windows.map(\.upperBound).max()!
            common.ingest.dayWindows = windows
            (cube, ledger) = try StoreReading.localCube(storePath, arguments: arguments, common: common, unit: .day)
            // The windows' days, a day either side for the zone.
            let firstDay: Int64 = windows.map(\.lowerBound).min()!, lastDay: Int64 = windows.map(\.upperBound).max()!
            let store = try StoreReading.store(storePath), near = (firstDay - 1) * 86_400...(lastDay + 2) * 86_400
            storeGaps = try store.unusualGaps(overlapping: near)
            countedTwice = try store.sourcesCountedTwice(overlapping: near)
            // Those with contacts in or near the windows (a source of another year says nothing of these shares).
            storedBeforeCategories = StoreReading.storedBeforeCategories(store, try store.sources()).filter { source in
                guard let first = source.ledger.firstArrivalUTC, let last = source.ledger.lastArrivalUTC else { return false }
                return first <= near.upperBound && last >= near.lowerBound
            }.count
            try StoreReading.closeAll()  // read: the store is not held while the output is written
        } else {
            common.ingest.dayWindows = windows
            let result = try runIngest(common)
            (cube, ledger) = (result.cube, result.ledger)
        }
        // The contacts' days where there are contacts: an incidents export that runs on hid a contacts export
        // that had ended (adding incidents changed the contact volumes per day).
        var coverageLedger = ledger, incidentLedger = ledger
        var incidentCoverage: ClosedRange<Int64>?
        if ledger.sources.contains(where: { $0.kind != .incidents && $0.firstArrivalUTC != nil }) {
            coverageLedger.sources = ledger.sources.filter { $0.kind != .incidents }
            // Incidents per day over their own days.
            incidentLedger.sources = ledger.sources.filter { $0.kind == .incidents }
            incidentCoverage = Report.coveredDays(ledger: incidentLedger, zone: common.timeZone, from: nil, to: nil)
        }
        let coverage = Report.coveredDays(ledger: coverageLedger, zone: common.timeZone, from: nil, to: nil)
        var comparison = Comparison(cube: cube, before: before, after: after, timeZone: common.timeZone.identifier,
                                    ledger: ledger, options: common.metrics, intervals: intervals, previousYear: previousYear, coverage: coverage,
                                    incidentCoverage: incidentCoverage)
        // A window with nothing in it (a typo in its year, an export not yet there) shows "No data", and one
        // that runs past the data is per day over the days it has: said on stderr too, for a nightly job that
        // reads only the status and the log.
        let inputsRun = coverage.map { "the inputs run from \(CivilDate(daysSinceEpoch: $0.lowerBound)) to \(CivilDate(daysSinceEpoch: $0.upperBound))" }
        var windowsWithoutData: [String] = []
        for (option, figures) in [(Option.before, comparison.before), (Option.after, comparison.after)] {
            if figures.daysWithContacts.isEmpty && figures.figures.incidents.map({ $0.incidents == 0 }) ?? true {
                Terminal.warning("the \(option.spelling) window \(figures.window.labelWithDates) holds no contacts\(inputsRun.map { "; " + $0 } ?? "")")
                windowsWithoutData.append(figures.window.label)
            } else if figures.isPartial, let inputsRun {
                Terminal.warning("the \(option.spelling) window \(figures.window.labelWithDates) reaches beyond the data (\(inputsRun)): "
                                 + "its figures are of its \(figures.coveredDays) \(figures.coveredDays == 1 ? "day" : "days") with data, its volumes per day over those")
            }
        }
        // The published table has rows for them: said, so that a table pasted into a panel paper is not short of
        // two rows without a word.
        if comparison.before.figures.incidents == nil {
            Terminal.note("no incidents among the inputs, so the table has no rows for deployed incidents or incidents sent to partners "
                          + "(give the incidents file too)")
        }
        if trend {
            let analysis = TrendAnalysis(cube: cube, from: CivilDate(daysSinceEpoch: span.lowerBound), to: CivilDate(daysSinceEpoch: span.upperBound),
                                         changeDate: changeDate, events: events, options: comparison.options)
            comparison.trend = analysis
            comparison.cautions += analysis.cautions
            for window in [before, after] where window.dayRange.contains(changeDate.daysSinceEpoch) && changeDate != window.from {
                comparison.cautions.append("The change date \(changeDate) is inside the \(window.label) window (\(window.from)..\(window.to)): "
                                           + "that window holds days before and after the change.")
            }
            if let series = common.series { try emit(analysis.seriesCSV(), to: series) }
        }
        comparison.cautions += Self.gapCautions(storeGaps, windows: [before, after], zone: common.timeZone)
        comparison.cautions += Self.countedTwiceCautions(countedTwice, windows: [before, after], zone: common.timeZone)
        // In the output itself, not only on stderr (a diff review: an upgraded store's share moved 25% → 60%, marked `*`).
        if storedBeforeCategories > 0, [comparison.before, comparison.after].contains(where: { $0.figures.channels.contains { !$0.categories.isEmpty } }) {
            comparison.cautions.append("\(storedBeforeCategories) of the store's sources \(storedBeforeCategories == 1 ? "was" : "were") stored before "
                + "contacts from exports with no category column were counted apart (schema 7, 7 December 2026): any such contacts count in the category shares "
                + "as contacts with no category; ingest those files again to read them anew.")
        }
        comparison.madeBy = Usage.madeBy()
        comparison.targetReview = common.targets.map { TargetReview(comparison: comparison, targets: $0) }
        // A window without data fails --fail-on, as a report's period without data does.
        comparison.targetReview?.periodsWithoutData = windowsWithoutData
        try common.settle(comparison.targetReview) {
            if common.exceptionsOnly, let exceptions = comparison.exceptionReport() {
                try emit(common.format.render(exceptions), to: common.output)
            } else {
                try emit(common.format.render(comparison), to: common.output)
            }
        }
    }

    /// A window's start and end (UTC seconds): its first local midnight, and the midnight after its last day.
    static func utcBounds(of window: ComparisonWindow, zone: TimeZoneRules) -> (from: Int64, to: Int64) {
        let start = window.from.daysSinceEpoch * 86_400, end = (window.to.daysSinceEpoch + 1) * 86_400
        return (start - zone.offsetSeconds(atUTC: start), end - zone.offsetSeconds(atUTC: end))
    }

    /// A caution for each pair of stored sources that hold the same contacts in a window (`ContactStore.sourcesCountedTwice`):
    /// `ingest` warned of them once, and a review's `compare` read +9% for +7% with no word.
    static func countedTwiceCautions(_ pairs: [SourcesCountedTwice], windows: [ComparisonWindow], zone: TimeZoneRules) -> [String] {
        pairs.compactMap { pair in
            let within = windows.filter { window in
                guard let shared = pair.shared else { return true }
                let (from, to) = utcBounds(of: window, zone: zone)
                return shared.lowerBound < to && shared.upperBound >= from
            }.map(\.label)
            guard !within.isEmpty else { return nil }
            let what = pair.shared == nil ? "incidents" : "contacts"
            return "The stored sources \(pair.name) and \(pair.other) hold the same \(pair.shownCount) \(what) (as ingest warned), "
                + "counted twice in the \(DisplayFormat.list(within)) \(within.count == 1 ? "window: its" : "windows: their") volumes are too high until "
                + "one is taken out ('contact-metrics store remove') or replaced by an export without the overlap"
        }
    }

    /// A caution for each stretch with no contact stored that is unusual for the store (`ContactStore.unusualGaps`)
    /// and takes up 6 hours or more of a window: an export that never came, whose window's volumes are too low (a
    /// review's −8% had no word). A stretch beside a window, or between two windows a year apart, is not one.
    static func gapCautions(_ gaps: [CoverageGap], windows: [ComparisonWindow], zone: TimeZoneRules) -> [String] {
        gaps.compactMap { gap in
            let within = windows.filter { window in
                let (from, to) = utcBounds(of: window, zone: zone)
                return min(gap.to, to) - max(gap.from, from) >= 6 * 3600
            }.map(\.label)
            guard !within.isEmpty else { return nil }
            return "\(gap.stretch(beginsSentence: true)), in the \(DisplayFormat.list(within)) \(within.count == 1 ? "window" : "windows"), "
                + "\(gap.aroundTheClock): an export may be missing, and the volumes there too low."
        }
    }
}
