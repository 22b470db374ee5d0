import Foundation

/// A small, fast, seedable generator (Steele, Lea & Flood's SplitMix64): the same seed always gives
/// the same synthetic logs, on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1): never 0, so logarithms are safe.
    public mutating func unit() -> Double {
        (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0
    }

    /// Exponential with the given mean.
    public mutating func exponential(mean: Double) -> Double { -mean * log(unit()) }

    /// Log-normal with the given mean and shape σ (of the underlying normal).
    public mutating func logNormal(mean: Double, sigma: Double) -> Double {
        let normal = (-2 * log(unit())).squareRoot() * cos(2 * Double.pi * unit())
        return mean * exp(sigma * normal - sigma * sigma / 2)
    }

    /// An index drawn with probability proportional to `weights`.
    public mutating func index(weights: [Double]) -> Int {
        var target = unit() * weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target <= 0 { return index }
        }
        return weights.count - 1
    }
}
