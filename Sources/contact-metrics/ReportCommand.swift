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
