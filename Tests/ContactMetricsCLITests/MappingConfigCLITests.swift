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

    @Test func queueLogSampleThroughTheCLI() throws {
        let run = try CLI.run(["report", "--config", "SampleData/queue_log.json", "SampleData/queue_log", "--format", "csv"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("2019-04,2019-04-01,2019-04-30,999,received,1"))
        #expect(run.standardOutput.contains("all,,,ledger,open_calls,1"))
    }
}
