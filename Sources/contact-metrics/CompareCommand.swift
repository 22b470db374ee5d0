import ContactMetrics

/// `contact-metrics compare`.
enum CompareCommand {
    static func run(_ words: [String]) throws {
        let arguments = try Arguments(words, command: .compare)
        if arguments.has(.help) { try Terminal.output(Usage.help(for: .compare)); return }
        func window(_ option: Option) throws(UsageError) -> ComparisonWindow {
            guard let text = arguments.value(option) else {
                throw arguments.fail("\(option.spelling) is required (e.g. \(option.spelling) \"Pre CMP=2019-04-01..2019-05-31\")")
            }
            guard let window = ComparisonWindow(parsing: text) else {
                throw arguments.fail("\(option.spelling): \(ComparisonWindow.problem(text) ?? text)")
            }
            return window
        }
        let before = try window(.before), after = try window(.after)
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
        let storePath = arguments.value(.store)
        var common = try CommonOptions(arguments, grain: .local(.day), requiresInputs: storePath == nil, storePath: storePath)
        let cube: Cube, ledger: Ledger
        if let storePath {
            // Only the days from the first window's start to the last window's end are read.
            common.ingest.fromDay = min(before.dayRange.lowerBound, after.dayRange.lowerBound)
            common.ingest.toDay = max(before.dayRange.upperBound, after.dayRange.upperBound)
            common.ingest.dayWindows = [before.dayRange, after.dayRange]
            (cube, ledger) = try StoreReading.localCube(storePath, arguments: arguments, common: common, unit: .day)
        } else {
            common.ingest.dayWindows = [before.dayRange, after.dayRange]
            let result = try runIngest(common)
            (cube, ledger) = (result.cube, result.ledger)
        }
        let comparison = Comparison(cube: cube, before: before, after: after, timeZone: common.timeZone.identifier,
                                    ledger: ledger, options: common.metrics, intervals: intervals)
        try emit(common.format.render(comparison), to: common.output)
    }
}
