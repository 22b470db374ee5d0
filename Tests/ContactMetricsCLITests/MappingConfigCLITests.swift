import Foundation
import Testing
@testable import ContactMetrics

@Suite struct MappingConfigCLITests {
    @Test func aBadConfigIsAUsageErrorAndAMissingColumnAnInputError() throws {
        let config = TestSupport.temporaryFile(#"{"columns": {"arrived_at": {"date": "d", "date_format": "YYYMMDD", "time": "t"}}}"#, name: "bank.json")
        let bad = try CLI.run(["report", "--config", config, "SampleData/contacts.csv"])
        #expect(bad.status == 64)
        #expect(bad.standardError.hasPrefix("Error: bank.json: columns.arrived_at.date_format: unknown token \"YYY\" in \"YYYMMDD\""))
        let mismatch = TestSupport.temporaryFile(#"{"columns": {"channel": "type"}}"#, name: "other.json")
        let missing = try CLI.run(["report", "--config", mismatch, "SampleData/contacts.csv"])
        #expect(missing.status == 1)
        #expect(missing.standardError == "Error: SampleData/contacts.csv: the config's columns.channel names column \"type\", which is not in the header\n")
    }

    /// A config that gives the arrival's date column its format has said how dates are written: no note
    /// judging their order from the file (it said "dates like 15/08/2019 put the day first" all the same).
    @Test func aDateFormatInTheConfigNeedsNoJudging() throws {
        let config = TestSupport.temporaryFile(#"{"columns": {"arrived_at": {"date": "day", "date_format": "DD/MM/YYYY", "time": "at", "time_format": "H:MM:SS"}}}"#,
                                               name: "split.json")
        let data = TestSupport.temporaryFile("channel,day,at\n999,15/08/2019,10:00:07\n101,01/09/2019,11:00:07\n", name: "split.csv")
        let run = try CLI.run(["report", "--config", config, data, "--format", "csv"])
        #expect(run.status == 0 && run.standardError.isEmpty)
        #expect(run.standardOutput.contains("2019-08,2019-08-01,2019-08-31,999,received,1") && run.standardOutput.contains("2019-09,2019-09-01,2019-09-30,101,received,1"))
    }

    @Test func queueLogSampleThroughTheCLI() throws {
        let run = try CLI.run(["report", "--config", "SampleData/queue_log.json", "SampleData/queue_log", "--format", "csv"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("2019-04,2019-04-01,2019-04-30,999,received,1"))
        #expect(run.standardOutput.contains("all,,,ledger,open_calls,1"))
    }
}
