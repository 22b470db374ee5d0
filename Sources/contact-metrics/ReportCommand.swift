import ContactMetrics

/// `contact-metrics report`.
enum ReportCommand {
    static func run(_ words: [String]) throws {
        let arguments = try Arguments(words, command: .report)
        if arguments.has(.help) { try Terminal.output(Usage.help(for: .report)); return }
        let periodText = arguments.value(.period) ?? "month"
        guard let period = PeriodUnit(rawValue: periodText) else {
            throw arguments.fail("\(Option.period.spelling): expected one of \(PeriodUnit.allCases.map(\.rawValue).joined(separator: ", ")), found '\(periodText)'")
        }
        let storePath = arguments.value(.store)
        var common = try CommonOptions(arguments, grain: .local(period), requiresInputs: storePath == nil, storePath: storePath)
        if let storePath { try StoreReading.adoptReading(of: storePath, arguments: arguments, common: &common) }
        // The page's hour-of-week heat maps need cells of an hour or less: read at that grain, then add up.
        let readUnit = common.format == .html ? WeeklyProfile.grain(for: period) : period
        var cube: Cube, ledger: Ledger
        if let storePath {
            (cube, ledger) = try StoreReading.localCube(storePath, arguments: arguments, common: common, unit: readUnit)
        } else {
            var reading = common
            reading.ingest.grain = .local(readUnit)
            let result = try runIngest(reading)
            (cube, ledger) = (result.cube, result.ledger)
        }
        let coveredDays = Report.coveredDays(ledger: ledger, zone: common.timeZone, from: common.ingest.fromDay, to: common.ingest.toDay)
        var report = Report(cube: cube.rolledUp(toLocal: period), period: period, timeZone: common.timeZone.identifier, ledger: ledger,
                            options: common.metrics)
        report.coveredDays = coveredDays
        report.madeBy = Usage.madeBy()
        if common.format == .html { report.weeklyProfile = WeeklyProfile(cube: cube, options: report.options, coveredDays: coveredDays) }
        if let storePath, let coveredDays {
            report.cautions = try Self.storeCautions(StoreReading.store(storePath), days: coveredDays, zone: common.timeZone)
            // CSV is figures alone: said on stderr.
            if common.format == .csv { report.cautions.forEach { Terminal.warning(Escaping.visible($0)) } }
        }
        cube = Cube(grain: cube.grain)  // the fine cells are no longer needed
        if let targets = common.targets {
            let context = try storePath.flatMap { try Self.travelContext($0, report: report, arguments: arguments, common: common) }
            report.targetReview = TargetReview(report: report, targets: targets, fromDay: common.ingest.fromDay, toDay: common.ingest.toDay,
                                               context: context)
        }
        try StoreReading.closeAll()  // read: the store is not held while the output is written (a slow reader, Ctrl-C)
        if common.exceptionsOnly, let exceptions = report.exceptionReport() {
            try common.settle(report.targetReview) { try emit(common.format.render(exceptions), to: common.output) }
            return
        }
        try common.settle(report.targetReview) {
            try emit(to: common.output) { sink in
                switch common.format {
                case .table: try report.writeTable(to: &sink)
                case .markdown: try report.writeMarkdown(to: &sink)
                case .csv: try report.writeCSV(to: &sink)
                case .json: try report.writeJSON(to: &sink)
                case .html: try report.writeHTML(to: &sink)
                }
            }
        }
    }

    /// What the store lacks over the report's days, which makes figures too low, as `compare --store` says it of its
    /// windows: days with no contact at all, and stretches of 6 hours or more with none where the store's channels have
    /// them around the clock (an export that never came). `ingest` warned of them once; a review's month with ten
    /// nights missing read as whole, with no word.
    static func storeCautions(_ store: ContactStore, days: ClosedRange<Int64>, zone: TimeZoneRules) throws -> [String] {
        let start = days.lowerBound * 86_400, end = (days.upperBound + 1) * 86_400
        let (from, to) = (start - zone.offsetSeconds(atUTC: start), end - zone.offsetSeconds(atUTC: end))
        // Runs of up to 14 days with no contact at all (of any channel, or incident) between days that have some (longer: a
        // store of separate windows, as April to May of two years), within the report's days, in a store with contacts on
        // at least 4 days in 5 of the others from its first day to its last: a sample's few days a year are not said, nor
        // a quiet channel's days while the others have contacts (the second diff review's bank holidays of a counter and
        // quiet days online were said to be missing exports; `store info` lists every channel's runs).
        let storeDays = try store.daysWithAnyData(zone: zone)
        // Days of the week the store usually has no contact on (a desk shut on Sundays: every Sunday was said, the third
        // diff review): under half of those weekdays from its first day to its last have some.
        func weekday(_ day: Int64) -> Int { Int((day % 7 + 7) % 7) }
        var weekdays = [Int](repeating: 0, count: 7), weeks = [Int](repeating: 0, count: 7)
        if let first = storeDays.first, let last = storeDays.last {
            for day in first...last { weeks[weekday(day)] += 1 }
            for day in storeDays { weekdays[weekday(day)] += 1 }
        }
        let runs = StoreSummary.gaps(storeDays).filter { run in
            guard let first = storeDays.first, let last = storeDays.last, run.count <= 14, run.overlaps(days),
                  run.contains(where: { weekdays[weekday($0)] * 2 >= weeks[weekday($0)] }) else { return false }
            return storeDays.count * 5 >= (Int(last - first) + 1 - run.count) * 4
        }
        let missing = runs.map { run in
            let within = run.clamped(to: days)
            return "No contact is stored for \(run.count == 1 ? "the day" : "the \(DisplayFormat.count(Int64(run.count))) days") \(StoreSummary.range(run)), "
                + "between days that have some\(within == run ? "" : " (\(DisplayFormat.count(Int64(within.count))) of them in this report)"): "
                + "an export may be missing, and the figures of the periods over \(run.count == 1 ? "it" : "them") too low."
        }
        // Stretches of hours in channels with contacts around the clock, but those inside days said above.
        let gaps = try store.unusualGaps(overlapping: from...to - 1).filter { gap in
            min(gap.to, to) - max(gap.from, from) >= 6 * 3600
                && !runs.contains { $0.overlaps(floorDivide(gap.from, 86_400) - 1...floorDivide(gap.to, 86_400) + 1) }
        }.map { gap in
            "\(gap.stretch(beginsSentence: true)), \(gap.aroundTheClock): an export may be missing, and the figures of the periods over it too low."
        }
        // Sources that hold the same contacts are not looked for here: comparing every pair of a store's nights took a
        // 2,920-night store's monthly report from 0.6 s to 6 s (the second diff review); `ingest` warns of them, and
        // `store info` and `compare --store` say them.
        return missing + gaps
    }

    /// From a store, a report limited by `--from` still has the period before it and the same periods a
    /// year earlier to judge the direction of travel by: those days are read too, into a report of their own.
    static func travelContext(_ storePath: String, report: Report, arguments: Arguments, common: CommonOptions) throws -> Report? {
        guard let windows = report.travelContextDays(fromDay: common.ingest.fromDay, toDay: common.ingest.toDay) else { return nil }
        var context = common
        context.ingest.fromDay = windows.map(\.lowerBound).min()
        context.ingest.toDay = windows.map(\.upperBound).max()
        context.ingest.dayWindows = windows
        let (cube, ledger) = try StoreReading.localCube(storePath, arguments: arguments, common: context, unit: report.period)
        return Report(cube: cube, period: report.period, timeZone: common.timeZone.identifier, ledger: ledger, options: common.metrics)
    }
}
