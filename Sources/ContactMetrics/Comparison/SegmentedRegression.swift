import Foundation

/// Ordinary least squares with Newey–West (HAC) standard errors, for the interrupted time series of
/// `compare --trend`: a daily series has autocorrelated errors (a bad week is bad for days on end), so
/// the ordinary standard errors would be too small. Matches statsmodels'
/// `OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L}, use_t=True)` (`SegmentedRegressionTests`).
public struct SegmentedRegression: Sendable {
    /// The coefficients, one per column of the design.
    public let coefficients: [Double]
    /// Their Newey–West standard errors.
    public let standardErrors: [Double]
    /// Observations and the Bartlett kernel's lag.
    public let observations: Int
    public let lag: Int

    /// Degrees of freedom of the t intervals: observations − coefficients.
    public var degreesOfFreedom: Int { observations - coefficients.count }

    /// The lag of the Newey–West (1994) rule, ⌊4·(n/100)^(2/9)⌋.
    public static func defaultLag(observations: Int) -> Int {
        Int((4 * pow(Double(observations) / 100, 2.0 / 9.0)).rounded(.down))
    }

    /// Fits `y ≈ X·β` (rows in time order, no gaps assumed between rows for the kernel); nil when the
    /// design is singular or has no residual degrees of freedom.
    public init?(rows: [[Double]], y: [Double], lag: Int? = nil) {
        let n = rows.count, k = rows.first?.count ?? 0
        guard n == y.count, k > 0, n > k, rows.allSatisfy({ $0.count == k }) else { return nil }
        var xtx = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        var xty = [Double](repeating: 0, count: k)
        for (row, value) in zip(rows, y) {
            for i in 0..<k {
                xty[i] += row[i] * value
                for j in 0..<k { xtx[i][j] += row[i] * row[j] }
            }
        }
        guard let inverse = Self.inverse(xtx) else { return nil }
        let beta = (0..<k).map { i in (0..<k).reduce(0) { $0 + inverse[i][$1] * xty[$1] } }
        let residuals = zip(rows, y).map { row, value in value - zip(row, beta).reduce(0) { $0 + $1.0 * $1.1 } }
        let lag = lag ?? Self.defaultLag(observations: n)
        // The meat: Σ_t u_t² x_t x_tᵀ + Σ_l w_l Σ_t u_t u_{t−l} (x_t x_{t−l}ᵀ + x_{t−l} x_tᵀ), Bartlett weights.
        var meat = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for shift in 0...min(lag, n - 1) {
            let weight = shift == 0 ? 1 : 1 - Double(shift) / Double(lag + 1)
            for t in shift..<n {
                let scale = weight * residuals[t] * residuals[t - shift]
                for i in 0..<k {
                    for j in 0..<k {
                        let term = rows[t][i] * rows[t - shift][j] + (shift == 0 ? 0 : rows[t - shift][i] * rows[t][j])
                        meat[i][j] += scale * term
                    }
                }
            }
        }
        // No n / (n − k) factor: statsmodels applies none to HAC by default, and the t quantile already
        // widens the interval for few days.
        var errors: [Double] = []
        for i in 0..<k {
            var variance = 0.0
            for a in 0..<k { for b in 0..<k { variance += inverse[i][a] * meat[a][b] * inverse[b][i] } }
            errors.append(max(0, variance).squareRoot())
        }
        coefficients = beta
        standardErrors = errors
        observations = n
        self.lag = lag
    }

    /// The 95% (or `level`) t interval of coefficient `index`.
    public func interval(_ index: Int, level: Double = 0.95) -> ConfidenceInterval {
        let t = ConfidenceIntervals.studentTQuantile(probability: 1 - (1 - level) / 2, degreesOfFreedom: Double(degreesOfFreedom))
        return ConfidenceInterval(lower: coefficients[index] - t * standardErrors[index], upper: coefficients[index] + t * standardErrors[index])
    }

    /// Gauss–Jordan with partial pivoting; nil when a pivot vanishes (relative to the matrix's scale).
    static func inverse(_ matrix: [[Double]]) -> [[Double]]? {
        let k = matrix.count
        var a = matrix
        var result = (0..<k).map { i in (0..<k).map { $0 == i ? 1.0 : 0.0 } }
        let scale = matrix.flatMap { $0 }.map(abs).max() ?? 0
        for column in 0..<k {
            guard let pivot = (column..<k).max(by: { abs(a[$0][column]) < abs(a[$1][column]) }),
                  abs(a[pivot][column]) > scale * 1e-12 else { return nil }
            a.swapAt(column, pivot)
            result.swapAt(column, pivot)
            let divisor = a[column][column]
            for j in 0..<k { a[column][j] /= divisor; result[column][j] /= divisor }
            for row in 0..<k where row != column {
                let factor = a[row][column]
                if factor == 0 { continue }
                for j in 0..<k { a[row][j] -= factor * a[column][j]; result[row][j] -= factor * result[column][j] }
            }
        }
        return result
    }
}
