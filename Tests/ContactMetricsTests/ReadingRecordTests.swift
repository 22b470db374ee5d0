import Foundation
import Testing
@testable import ContactMetrics

/// The store keeps `IngestOptions.readingRecord` with each source and treats a source read again with a
/// different record as changed. So every option that changes what the same bytes give must change the
/// record, and the options that only change how fast they are read must not.
struct ReadingRecordTests {
    private static func baseOptions() throws -> IngestOptions {
        IngestOptions(timeZone: try TimeZoneRules(identifier: "Europe/London"), grain: .utcQuarterHour)
    }

    @Test func everyOptionThatChangesTheFiguresChangesTheRecord() throws {
        let base = try Self.baseOptions().readingRecord
        let changes: [(String, (inout IngestOptions) throws -> Void)] = [
            ("time zone", { $0.timeZone = try TimeZoneRules(identifier: "America/New_York") }),
            ("date order", { $0.dateOrder = .dayFirst }),
            ("forced kind", { $0.forcedKind = .contacts }),
            ("dedupe", { $0.dedupe = true }),
            ("submission channels", { $0.submissionChannels = ["online", "webchat"] }),
            ("config", { $0.mapping = try MappedRun.config(#"{"columns": {"channel": "queue"}}"#) }),
            ("delimiter", { $0.delimiter = .byte(UInt8(ascii: ";")) }),
        ]
        var seen: Set<String> = [base]
        for (name, change) in changes {
            var options = try Self.baseOptions()
            try change(&options)
            #expect(seen.insert(options.readingRecord).inserted, "changing the \(name) leaves the reading record as it was")
        }
    }

    @Test func configsThatDifferOnlyInContentGiveDifferentRecords() throws {
        var first = try Self.baseOptions(), second = try Self.baseOptions()
        first.mapping = try MappedRun.config(#"{"columns": {"channel": "queue"}}"#)
        second.mapping = try MappedRun.config(#"{"columns": {"channel": "line"}}"#)
        #expect(first.readingRecord != second.readingRecord)
    }

    /// A config whose offsets read empty parts as 0 s is marked with the version of that reading: sources a store read
    /// with it before an answered call's empty parts counted 0 s are read again, not "unchanged" (the diff review's
    /// store kept the old figures). Other configs keep their record.
    @Test func emptyIsZeroIsMarkedWithItsReading() throws {
        var marked = try Self.baseOptions(), plain = try Self.baseOptions()
        marked.mapping = try MappedRun.config(#"{"columns": {"answered_at": {"offset_from": "arrived_at", "column": "a", "plus": ["b"], "empty_is_zero": true, "unit": "s"}}}"#)
        plain.mapping = try MappedRun.config(#"{"columns": {"answered_at": {"offset_from": "arrived_at", "column": "a", "plus": ["b"], "unit": "s"}}}"#)
        #expect(marked.readingRecord.hasSuffix(";empty-is-zero=2") && !plain.readingRecord.contains("empty-is-zero"))
    }

    @Test func speedOptionsLeaveTheRecordAlone() throws {
        let base = try Self.baseOptions().readingRecord
        var options = try Self.baseOptions()
        options.threads = 7
        options.blockSize = 4096
        options.readsRanges = false
        options.computeContentHash = true
        #expect(options.readingRecord == base)
        options.submissionChannels = ["online"]  // the default, spelled again
        #expect(options.readingRecord == base)
    }
}
