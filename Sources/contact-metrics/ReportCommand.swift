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
        let common = try CommonOptions(arguments, grain: .local(period), requiresInputs: storePath == nil, storePath: storePath)
        let cube: Cube, ledger: Ledger
        if let storePath {
            (cube, ledger) = try StoreReading.localCube(storePath, arguments: arguments, common: common, unit: period)
        } else {
            let result = try runIngest(common)
            (cube, ledger) = (result.cube, result.ledger)
        }
        var report = Report(cube: cube, period: period, timeZone: common.timeZone.identifier, ledger: ledger, options: common.metrics)
        report.coveredDays = Report.coveredDays(ledger: ledger, zone: common.timeZone, from: common.ingest.fromDay, to: common.ingest.toDay)
        report.targetReview = common.targets.map { TargetReview(report: report, targets: $0) }
        if common.exceptionsOnly, let exceptions = report.exceptionReport() {
            try emit(common.format.render(exceptions), to: common.output)
            try common.settle(report.targetReview)
            return
        }
        try emit(to: common.output) { sink in
            switch common.format {
            case .table: try report.writeTable(to: &sink)
            case .markdown: try report.writeMarkdown(to: &sink)
            case .csv: try report.writeCSV(to: &sink)
            case .json: try report.writeJSON(to: &sink)
            case .html: try report.writeHTML(to: &sink)
            }
        }
        try common.settle(report.targetReview)
    }
}
