import Foundation
import Testing
@testable import ContactMetrics

/// The row decoder reads skip rules, outcome rules, null tokens and the channel map from flat tables
/// (`MappedRowTables`); these tests hold it to the rules' meaning as the config gives them.
@Suite struct MappedRowTablesTests {
    /// The meaning of a test, read from the config's own tree (not the flat tables).
    private static func passes(_ test: FieldTest, _ value: String, nulls: [String]) -> Bool {
        let field = nulls.contains { $0.lowercased() == value.lowercased() } ? "" : value
        switch test {
        case .empty: return field.isEmpty
        case .oneOf(let values): return values.contains { String(decoding: $0, as: UTF8.self).lowercased() == field.lowercased() }
        case .not(let inner): return !passes(inner, value, nulls: nulls)
        }
    }

    private static func testJSON(_ test: FieldTest) -> String {
        switch test {
        case .empty: return "null"
        case .oneOf(let values) where values.count == 1: return "\"\(String(decoding: values[0], as: UTF8.self))\""
        case .oneOf(let values): return "[" + values.map { "\"\(String(decoding: $0, as: UTF8.self))\"" }.joined(separator: ", ") + "]"
        case .not(let inner): return "{\"not\": \(testJSON(inner))}"
        }
    }

    private static func randomTest(_ generator: inout some RandomNumberGenerator, depth: Int = 0) -> FieldTest {
        let words = ["x", "X", "y", "na", "zz"]
        switch Int.random(in: 0..<(depth < 2 ? 4 : 3), using: &generator) {
        case 0: return .empty
        case 1: return .oneOf([Array(words.randomElement(using: &generator)!.utf8)])
        case 2: return .oneOf((0..<Int.random(in: 2...3, using: &generator)).map { _ in Array(words.randomElement(using: &generator)!.utf8) })
        default: return .not(randomTest(&generator, depth: depth + 1))
        }
    }

    @Test func rulesAndNullTokensAgreeWithTheirMeaning() throws {
        var generator = SeededGenerator(seed: 7)
        let values = ["x", "X", "y", "", "NA", "na", "zz", "w"]
        for round in 0..<40 {
            let nulls = round % 2 == 0 ? ["NA"] : []
            func rule() -> [(column: String, test: FieldTest)] {
                let columns = ["a", "b"].shuffled(using: &generator).prefix(Int.random(in: 1...2, using: &generator))
                return columns.map { ($0, Self.randomTest(&generator)) }
            }
            let skips = (0..<Int.random(in: 0...2, using: &generator)).map { _ in rule() }
            let outcomeNames = ["answered", "abandoned", "other"]
            let outcomes = (0..<Int.random(in: 0...3, using: &generator)).map { _ in (rule(), outcomeNames.randomElement(using: &generator)!) }
            func conditionsJSON(_ rule: [(column: String, test: FieldTest)]) -> String {
                "{" + rule.map { "\"\($0.column)\": \(Self.testJSON($0.test))" }.joined(separator: ", ") + "}"
            }
            let config = """
            {"null_values": [\(nulls.map { "\"\($0)\"" }.joined(separator: ", "))],
             "channels": {"Web": "chatline", "nine": "999", "other": "101"},
             "skip": [\(skips.map(conditionsJSON).joined(separator: ", "))],
             "outcome_rules": [\(outcomes.map { "{\"when\": \(conditionsJSON($0.0)), \"outcome\": \"\($0.1)\"}" }.joined(separator: ", "))]}
            """
            var text = "channel,arrived_at,a,b\n"
            var expected: [String: [String: Int]] = [:]  // channel → outcome → count
            var skipped = 0
            for _ in 0..<60 {
                let a = values.randomElement(using: &generator)!, b = values.randomElement(using: &generator)!
                let channel = ["Web", "web", "nine", "NINE", "Other", "OTHER"].randomElement(using: &generator)!
                text += "\(channel),2019-04-01T08:00:00Z,\(a),\(b)\n"
                let row = ["a": a, "b": b]
                func holds(_ rule: [(column: String, test: FieldTest)]) -> Bool { rule.allSatisfy { Self.passes($0.test, row[$0.column]!, nulls: nulls) } }
                if skips.contains(where: holds) { skipped += 1; continue }
                let outcome = outcomes.first { holds($0.0) }?.1 ?? "other"
                // Channel keys match in either case.
                let label = switch channel.lowercased() { case "web": "chatline"; case "nine": "999"; default: "101" }
                expected[label, default: [:]][outcome, default: 0] += 1
            }
            let report = try MappedRun.report(text, config)
            #expect(report.ledger.rowsSkipped == skipped, "round \(round): \(config)")
            for (label, counts) in expected {
                let figures = try #require(report.periods.first?.channel(label), "round \(round): no \(label)")
                #expect(figures.answered ?? 0 == Int64(counts["answered", default: 0]) && figures.abandoned ?? 0 == Int64(counts["abandoned", default: 0])
                        && figures.other ?? 0 == Int64(counts["other", default: 0]), "round \(round), \(label): \(config)")
            }
        }
    }
}
