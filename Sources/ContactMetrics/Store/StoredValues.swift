/// What a store may hold. A value outside these bounds (a damaged file, or one written by other
/// software) is "a stored cell is malformed", never a trap or a wrapped sum further on.
///
/// Counts are bounded one by one and, through `StoreTotals`, summed over everything a read takes
/// in, so that every figure derived from them stays exact (below 2⁵³, as a Double holds it) and no
/// sum, product of a wait by its count, or percentile rank can overflow.
enum StoredValues {
    /// UTC instants the timestamp parser accepts (years 0001–9999), and their 15-minute slots.
    static let instants = TimestampParser.earliestUTC...TimestampParser.latestUTC
    static let slots = floorDivide(TimestampParser.earliestUTC, 900)...floorDivide(TimestampParser.latestUTC, 900)
    /// Waits and handle times the decoder accepts.
    static let waitSeconds: ClosedRange<Int64> = 0...Int64(UInt32.max)
    static let maximumCount: Int64 = 1 << 53

    static func slot(_ value: Int64) throws(CellEncodingError) -> Int64 {
        guard slots.contains(value) else { throw CellEncodingError() }
        return value
    }

    static func instant(_ value: Int64?) throws(CellEncodingError) -> Int64? {
        guard let value else { return nil }
        guard instants.contains(value) else { throw CellEncodingError() }
        return value
    }

    static func count(_ value: Int64) throws(CellEncodingError) -> Int64 {
        guard value >= 0 && value <= maximumCount else { throw CellEncodingError() }
        return value
    }
}

/// Running sums, with overflow and the `StoredValues.maximumCount` bound checked at every step.
struct StoreTotals {
    private var totals: [Int64] = []

    /// Total number `index` so far.
    subscript(index: Int) -> Int64 { index < totals.count ? totals[index] : 0 }

    /// Adds `value` to total number `index`.
    mutating func add(_ value: Int64, to index: Int) throws(CellEncodingError) {
        while totals.count <= index { totals.append(0) }
        let (sum, overflow) = totals[index].addingReportingOverflow(value)
        guard !overflow, sum >= 0, sum <= StoredValues.maximumCount else { throw CellEncodingError() }
        totals[index] = sum
    }

    /// Adds `seconds × count` to total number `index` (wait and handle sums: up to 2⁶² in all).
    mutating func add(seconds: Int64, times count: Int64, to index: Int) throws(CellEncodingError) {
        let (product, overflow) = seconds.multipliedReportingOverflow(by: count)
        guard !overflow else { throw CellEncodingError() }
        while totals.count <= index { totals.append(0) }
        let (sum, overflowed) = totals[index].addingReportingOverflow(product)
        guard !overflowed, sum >= 0, sum <= 1 << 62 else { throw CellEncodingError() }
        totals[index] = sum
    }
}
