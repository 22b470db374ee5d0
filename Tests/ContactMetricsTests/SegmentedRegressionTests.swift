import Foundation
import Testing
@testable import ContactMetrics

/// OLS with Newey–West standard errors against statsmodels (`Fixtures/segmented_regression.py`).
struct SegmentedRegressionTests {
    struct Case: Decodable {
        var name: String
        var rows: [[Double]]
        var y: [Double]
        var lag: Int
        var coefficients: [Double]
        var standard_errors: [Double]
        var lower: [Double]
        var upper: [Double]
    }
    struct Fixture: Decodable { var cases: [Case] }

    @Test func agreesWithStatsmodels() throws {
        let data = try #require(FileManager.default.contents(atPath: TestSupport.fixture("segmented-regression.json")))
        let fixture = try JSONDecoder().decode(Fixture.self, from: data)
        #expect(fixture.cases.count == 3)
        for expected in fixture.cases {
            #expect(SegmentedRegression.defaultLag(observations: expected.rows.count) == expected.lag, "\(expected.name)")
            let fit = try #require(SegmentedRegression(rows: expected.rows, y: expected.y))
            func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-7 * max(1, abs(b)) }
            for index in expected.coefficients.indices {
                #expect(close(fit.coefficients[index], expected.coefficients[index]), "\(expected.name) β\(index)")
                #expect(close(fit.standardErrors[index], expected.standard_errors[index]), "\(expected.name) se\(index)")
                let interval = fit.interval(index)
                #expect(close(interval.lower, expected.lower[index]) && close(interval.upper, expected.upper[index]), "\(expected.name) ci\(index)")
            }
        }
    }

    @Test func singularDesignsAreRefused() {
        // Two identical columns.
        let rows = (0..<20).map { [1.0, Double($0), Double($0)] }
        #expect(SegmentedRegression(rows: rows, y: rows.map { $0[1] }) == nil)
        #expect(SegmentedRegression(rows: [[1.0]], y: [1]) == nil, "no residual degrees of freedom")
    }
}
