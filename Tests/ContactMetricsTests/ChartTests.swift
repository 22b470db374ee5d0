import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ContactMetrics

/// The compare page's charts: each SVG is well-formed XML with one title and one description, and every
/// mark lies inside the chart's view box (the axes cover the data).
struct ChartTests {
    final class SVGCheck: NSObject, XMLParserDelegate {
        var titles = 0, descriptions = 0
        var width = 0.0, height = 0.0
        var outside: [String] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "svg":
                let box = (attributes["viewBox"] ?? "").split(separator: " ").compactMap { Double($0) }
                if box.count == 4 { width = box[2]; height = box[3] }
            case "title": titles += 1
            case "desc": descriptions += 1
            default:
                for key in ["x", "x1", "x2", "cx"] {
                    if let value = attributes[key].flatMap(Double.init), value < 0 || value > width { outside.append("\(name) \(key)=\(value)") }
                }
                for key in ["y", "y1", "y2", "cy"] {
                    if let value = attributes[key].flatMap(Double.init), value < 0 || value > height { outside.append("\(name) \(key)=\(value)") }
                }
            }
        }
    }

    static func svgs(in html: String) -> [String] {
        var result: [String] = [], rest = html[...]
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            result.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return result
    }

    @Test func compareChartsAreWellFormedAndCoverTheirData() throws {
        let comparison = try HampshireComparisonTests.comparison()
        let html = comparison.html()
        let charts = Self.svgs(in: html)
        #expect(charts.count == 13, "ASA, abandonment and service level; daily received, abandoned, ASA of 999 and of 101; answered within t, times and rates of 999 and 101")
        // Each window's value with its interval over days as whiskers, and the daily series with the windows shaded.
        #expect(charts[0].contains("101: Pre CMP 7 min 53 s (95% interval 7 min ") && charts[0].contains("<path d=\"M"))
        let daily = try #require(charts.first { $0.contains("Contacts received each day of both windows") })
        #expect(daily.contains(">Pre CMP</text>") && daily.contains(">CMP being used</text>") && daily.contains("fill=\"#eef3f8\""))
        #expect(html.contains("Sources: contacts.csv.gz (1,938,674 rows) and incidents.csv.gz (771,459 rows)."))
        for chart in charts {
            let check = SVGCheck()
            let parser = XMLParser(data: Data(chart.utf8))
            parser.delegate = check
            #expect(parser.parse(), "well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(check.titles == 1 && check.descriptions == 1)
            #expect(check.width > 0 && check.outside.isEmpty, "\(check.outside)")
        }
        #expect(html.contains("<h1>Pre CMP (Apr–May 2019) compared with CMP being used (Apr–May 2020)</h1>"))
        #expect(html.contains("<li>101 average time to answer: 5 min 49 s faster, more than chance would explain.</li>"))
        #expect(html.contains("<li>101 abandoned: 26.0 points lower, more than chance would explain.</li>"))
    }

    @Test func reportChartsAreWellFormedAndCoverTheirData() throws {
        let csv = RandomLog.contacts(seed: 12, rows: 600)
        // As the command builds a page: read at hours for the heat maps, then added up to days.
        let hours = try TestSupport.ingest([TestSupport.temporaryFile(csv)], TestSupport.options(grain: .local(.hour)))
        var report = Report(cube: hours.cube.rolledUp(toLocal: .day), period: .day, timeZone: "Europe/London", ledger: hours.ledger,
                            options: MetricOptions())
        report.weeklyProfile = WeeklyProfile(cube: hours.cube, options: report.options, coveredDays: nil)
        #expect(report.periodCount >= 2)
        let html = report.html()
        let charts = Self.svgs(in: html)
        let heatMaps = charts.filter { $0.contains("by hour of the week") }
        #expect(charts.count - heatMaps.count >= 6, "received; per queue volumes and times; abandonment; service level (and 999's bands)")
        #expect(heatMaps.count >= 4 && html.contains("<h2>When people call</h2>"), "arrivals of each channel, abandonment of each queue")
        for chart in charts {
            let check = SVGCheck()
            let parser = XMLParser(data: Data(chart.utf8))
            parser.delegate = check
            #expect(parser.parse() && check.titles == 1 && check.descriptions == 1 && check.outside.isEmpty, "\(check.outside)")
            // Every point of every line inside the plot.
            for match in chart.split(separator: "\"").filter({ $0.hasPrefix("M") }) {
                let numbers = match.split(whereSeparator: { " ML".contains($0) }).compactMap { Double($0) }
                #expect(numbers.allSatisfy { $0 >= 0 && $0 <= check.width }, "\(match.prefix(40))")
            }
        }
    }

    @Test func changesInWords() {
        func words(_ kind: Comparison.ChangeKind, _ value: Double) -> String? {
            Comparison.inWords(Comparison.Change(metric: "m", channel: nil, before: nil, after: nil, kind: kind, change: value))
        }
        #expect(words(.seconds, -349) == "5 min 49 s faster")
        #expect(words(.seconds, 0.4) == "no change")
        #expect(words(.seconds, 3725) == "1 h 2 min slower")
        #expect(words(.percentagePoints, -26) == "26.0 points lower")
        #expect(words(.relative, -0.38) == "38% fewer")
        #expect(words(.relative, 6.62) == "662% more")
    }
}

/// Periods only partly covered by the inputs are marked in every format.
struct PartialPeriodTests {
    @Test func firstAndLastPeriodsOutsideTheDataArePartial() throws {
        let result = try TestSupport.ingest([TestSupport.sample("contacts.csv")], TestSupport.options())
        var report = Report(cube: result.cube, period: .month, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
        report.coveredDays = Report.coveredDays(ledger: result.ledger, zone: TestSupport.london, from: nil, to: nil)
        let periods = report.periods
        #expect(periods.first?.isPartial == true && periods.last?.isPartial == true)
        #expect(periods.dropFirst().dropLast().allSatisfy { !$0.isPartial })
        #expect(report.table().contains("2019-03 (partial)") && report.table().contains("(partial): the inputs cover 2019-03-31 to 2020-04-01"))
        #expect(report.csv().contains("2019-03,2019-03-01,2019-03-31,all,partial,true"))
        #expect(report.json().serialized().contains("\"partial\": true"))
        // --to inside the data: the last period is cut there.
        report.coveredDays = Report.coveredDays(ledger: result.ledger, zone: TestSupport.london, from: nil,
                                                to: CivilDate(year: 2019, month: 4, day: 15).daysSinceEpoch)
        #expect(report.periods.first { $0.label == "2019-04" }?.isPartial == true)
        // Sub-day periods are never marked (their coverage cannot be told from the first and last arrival).
        var fine = Report(cube: try TestSupport.ingest([TestSupport.sample("contacts.csv")], TestSupport.options(grain: .local(.hour))).cube,
                          period: .hour, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
        fine.coveredDays = report.coveredDays
        #expect(fine.periods.allSatisfy { !$0.isPartial })
    }
}
