/// Whether a parser read day-month dates (`TimestampParser.dayMonthDates`), and whether one of them had a number above
/// 12, so that it reads in one order only (`13/04/2019` day first): the order read in is then proven. Whether, not how
/// many: rows that share the row before's date are not parsed again, so a count would depend on where blocks are cut.
public struct DayMonthDatesRead: Sendable, Equatable {
    public var anyRead = false
    public var anyProving = false

    public init() {}

    @inline(__always)
    mutating func count(proving isProving: Bool) {
        anyRead = true
        if isProving { anyProving = true }
    }

    mutating func add(_ other: DayMonthDatesRead) {
        anyRead = anyRead || other.anyRead
        anyProving = anyProving || other.anyProving
    }
}
