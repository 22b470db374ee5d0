import Foundation
import Testing
@testable import ContactMetrics

/// The README's main job: the comparison of the shipped Hampshire-calibrated sample must reproduce
/// every figure of the published table (shared/reference/README.md, hampshire-cmp-2020.json).
@Suite struct HampshireComparisonTests {
    static let before = ComparisonWindow(parsing: "Pre CMP=2019-04-01..2019-05-31")!
    static let after = ComparisonWindow(parsing: "CMP being used=2020-04-01..2020-05-31")!

    /// Read once for the suite (about 1.5M rows; seconds in a debug build).
    static let shared = Result { try readSample() }

    static func comparison() throws -> Comparison { try shared.get() }

    static func readSample() throws -> Comparison {
        var options = TestSupport.options(grain: .local(.day), threads: 2)
        options.dayWindows = [before.dayRange, after.dayRange]
        let result = try TestSupport.ingest([TestSupport.sample("hampshire/contacts.csv.gz"), TestSupport.sample("hampshire/incidents.csv.gz")], options)
        return Comparison(cube: result.cube, before: before, after: after, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
    }

    @Test(.heavy, .tags(.heavy)) func everyPublishedFigureIsReproduced() throws {
        let comparison = try Self.comparison()
        let rows = comparison.headlineTable().rows
        func row(_ title: String) -> [String] { rows.first { $0[0] == title } ?? [] }
        // Published: before | after
        #expect(Array(row("101 calls received").dropFirst().prefix(2)) == ["106k", "65k"])
        #expect(Array(row("999 calls received").dropFirst().prefix(2)) == ["47k", "38k"])
        #expect(Array(row("Online reports").dropFirst().prefix(2)) == ["4k", "30k (of which Covid 53%)"])
        #expect(Array(row("Total contacts").dropFirst().prefix(2)) == ["157k", "134k"])
        #expect(Array(row("Total deployed incidents").dropFirst().prefix(2)) == ["25k", "21k"])
        #expect(Array(row("Incidents sent to partners").dropFirst().prefix(2)) == ["Not measured", "1.4k"])
        #expect(Array(row("Average time to answer").dropFirst().prefix(2)) == ["999 = 00:09 / 101 = 07:53", "999 = 00:08 / 101 = 02:04"])
        #expect(Array(row("101 calls abandoned").dropFirst().prefix(2)) == ["42%", "16%"])
        // 134k comes from exact counts, not from 65k + 38k + 30k = 133k.
        #expect(comparison.after.figures.totalContacts >= 133_500)
        // The agencies of the published table.
        #expect(Set(comparison.after.figures.incidents?.referredByAgency.keys ?? [:].keys) == ["Local Authorities", "Social Services"])
        // Every row read is counted or rejected with a reason; the twelve planted bad rows are rejected.
        let ledger = comparison.ledger
        #expect(ledger.rowsRejected == 12)
        #expect(ledger.rowsRead == ledger.rowsAccepted + ledger.rowsRejected + ledger.rowsSkipped)
    }

    /// The README's trend example: every day of April 2019 – May 2020, the platform live on 2 March 2020 and the
    /// first lockdown on 23 March 2020 as a further break.
    @Test func trendGolden() throws {
        var options = TestSupport.options(grain: .local(.day), threads: 2)
        options.dayWindows = [Self.before.dayRange.lowerBound...Self.after.dayRange.upperBound]
        let result = try TestSupport.ingest([TestSupport.sample("hampshire/contacts.csv.gz")], options)
        let trend = TrendAnalysis(cube: result.cube, from: Self.before.from, to: Self.after.to, changeDate: CivilDate(year: 2020, month: 3, day: 2),
                                  events: [TrendAnalysis.Event(parsing: "Lockdown=2020-03-23")!], options: MetricOptions())
        #expect(trend.fits.count == 9, "received, abandonment, ASA and service level of 999 and 101; received of online")
        try Golden.check(trend.table().markdown() + "\n" + trend.note + "\n", named: "compare-hampshire-trend.md")
        try Golden.check(trend.json().serialized(), named: "compare-hampshire-trend.json")
    }

    @Test func comparisonTableGolden() throws {
        var comparison = try Self.comparison()
        comparison.ledger.sources = []
        try Golden.check(comparison.markdown(), named: "compare-hampshire.md")
        try Golden.check(comparison.json().serialized(), named: "compare-hampshire.json")
        try Golden.check(comparison.html(), named: "compare-hampshire.html")
    }
}

@Suite struct GeneratorTests {
    private func generate(_ generator: SyntheticLogGenerator) throws -> (contacts: Data, incidents: Data, summary: SyntheticLogGenerator.Summary) {
        let contacts = Locked(Data()), incidents = Locked(Data())
        let summary = try generator.write(contacts: { bytes in contacts.withLock { $0.append(contentsOf: bytes) } },
                                          incidents: { bytes in incidents.withLock { $0.append(contentsOf: bytes) } })
        return (contacts.withLock { $0 }, incidents.withLock { $0 }, summary)
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let first = try generate(SyntheticLogGenerator(profile: .hampshireCMP, seed: 7, scale: 0.02))
        let again = try generate(SyntheticLogGenerator(profile: .hampshireCMP, seed: 7, scale: 0.02))
        let other = try generate(SyntheticLogGenerator(profile: .hampshireCMP, seed: 8, scale: 0.02))
        #expect(first.contacts == again.contacts && first.incidents == again.incidents)
        #expect(first.contacts != other.contacts)
        let uniform = try generate(SyntheticLogGenerator(profile: .uniform, seed: 1, rows: 5_000))
        #expect(uniform.contacts == (try generate(SyntheticLogGenerator(profile: .uniform, seed: 1, rows: 5_000))).contacts)
        #expect(uniform.summary.contactRows == 5_000 && uniform.summary.incidentRows == 250)
    }

    @Test func uniformFilesReadCleanlyAtAboutAHundredBytesARow() throws {
        let generated = try generate(SyntheticLogGenerator(profile: .uniform, seed: 3, rows: 20_000))
        #expect(generated.contacts.count / 20_000 > 80 && generated.contacts.count / 20_000 < 120)
        let result = try TestSupport.ingest([TestSupport.temporaryFile(generated.contacts)], TestSupport.options(threads: 2))
        #expect(result.ledger.rowsRead == 20_000 && result.ledger.rowsRejected == 0 && result.ledger.duplicateIds == 0)
        let channels = Set(result.cube.contacts.keys.map(\.channel))
        #expect(channels == ["999", "101", "online", "webchat"])
    }

    @Test func hampshireShapeAtSmallScale() throws {
        // The calibration targets rates and times, which hold at any scale; volumes scale.
        let generated = try generate(SyntheticLogGenerator(profile: .hampshireCMP, seed: 2020, scale: 0.05))
        var options = TestSupport.options(grain: .local(.day), threads: 2)
        options.dayWindows = [HampshireComparisonTests.before.dayRange, HampshireComparisonTests.after.dayRange]
        let result = try TestSupport.ingest([TestSupport.temporaryFile(generated.contacts), TestSupport.temporaryFile(generated.incidents, name: "incidents.csv")], options)
        let comparison = Comparison(cube: result.cube, before: HampshireComparisonTests.before, after: HampshireComparisonTests.after,
                                    timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
        let before101 = try #require(comparison.before.figures.channel("101")), after101 = try #require(comparison.after.figures.channel("101"))
        #expect(before101.received == 5_304)  // 106,080 × 0.05
        #expect(abs(before101.abandonRate! - 0.42) < 0.001 && abs(after101.abandonRate! - 0.16) < 0.001)
        #expect(abs(before101.asaSeconds! - 473) < 0.5 && abs(after101.asaSeconds! - 124) < 0.5)
        // Abandonment rises with wait: abandoners held on longer, before hanging up, than the median answered caller waited.
        #expect(before101.meanAbandonWaitSeconds! > Double(before101.answerP50Seconds!))
        #expect(comparison.before.figures.incidents?.referred == nil)
        #expect(result.ledger.rowsRejected == generated.summary.badRows)
    }
}
