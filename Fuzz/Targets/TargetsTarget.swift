import Foundation

/// The targets reader on arbitrary bytes: it refuses them with a message naming the file, or gives targets
/// whose statuses keep their order (a value further past the target is never better off) and that render
/// in every format of a small report without trapping.
enum TargetsTarget {
    static func run(_ input: UnsafeRawBufferPointer) {
        let targets: TargetSet
        do {
            targets = try TargetSet.parse(Data(input), name: "fuzz.json")
        } catch {
            fuzzCheck(error.description.utf8.starts(with: "fuzz.json: ".utf8), "a targets error without the file name: \(error)")
            return
        }
        fuzzCheck(!targets.targets.isEmpty, "targets parsed with none")
        for target in targets.targets {
            // Walking away from meeting the target, the status only worsens.
            let step = max(abs(target.bound.value), 1) / 7
            var previous = TargetStatus.green
            for index in 0...20 {
                let value: Double
                switch target.bound {
                case .atMost(let limit): value = limit + Double(index) * step
                case .atLeast(let floor): value = floor - Double(index) * step
                }
                let status = target.status(of: value)
                fuzzCheck(status != .notMeasured && status >= previous, "status \(status) after \(previous) at \(value) for \(target)")
                previous = status
            }
            fuzzCheck(target.status(of: nil) != .green, "not measured judged green")
        }
        var report = sampleReport
        report.targetReview = TargetReview(report: report, targets: targets)
        let review = report.targetReview!
        fuzzCheck(review.checks.count == report.periodCount * targets.targets.count, "a period or target left unjudged")
        _ = report.table() + report.markdown() + report.csv() + report.html() + report.json().serialized()
        let exceptions = report.exceptionReport()!
        _ = exceptions.table() + exceptions.csv() + exceptions.html() + exceptions.json().serialized()
        fuzzCheck(exceptions.review.exceptions.allSatisfy { $0.status == .amber || $0.status == .red }, "an exception that is not amber or red")
    }

    /// Two days of 101 and 999 calls and online reports.
    static let sampleReport: Report = {
        var rows = "channel,arrived_at,answered_at,category\n"
        for (index, day) in ["2019-04-01", "2019-04-02"].enumerated() {
            for minute in 0..<6 {
                rows += "101,\(day)T10:0\(minute):00Z,\(day)T10:0\(minute):\(10 + 7 * minute + index)Z,\n"
                rows += "999,\(day)T11:0\(minute):00Z,\(day)T11:0\(minute):0\(minute + index)Z,\n"
                rows += "online,\(day)T12:0\(minute):00Z,,fraud\n"
            }
        }
        let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = "\(directory)/contact-metrics-fuzz-targets-\(getpid()).csv"
        fuzzCheck(FileManager.default.createFile(atPath: path, contents: Data(rows.utf8)), "cannot write \(path)")
        let result = try! IngestEngine(options: IngestOptions(timeZone: FuzzSupport.london, grain: .local(.day))).run(inputs: [path])
        try? FileManager.default.removeItem(atPath: path)
        let cube = result.cube
        return Report(cube: cube, period: .day, timeZone: "Europe/London", ledger: Ledger(), options: MetricOptions())
    }()
}
