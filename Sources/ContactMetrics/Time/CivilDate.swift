/// A day in the proleptic Gregorian calendar, with no time of day and no time zone.
///
/// Conversions to and from a day number use Howard Hinnant's `days_from_civil` and
/// `civil_from_days` algorithms (<https://howardhinnant.github.io/date_algorithms.html>): integer
/// arithmetic only, exact for every year an `Int64` day number can reach.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    /// 1 = January … 12 = December.
    public var month: Int
    /// 1-based day of the month.
    public var day: Int

    /// Creates a date from its components without validating them; see `isValid`.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Creates the date that lies `daysSinceEpoch` days after 1970-01-01 (negative days lie before it).
    public init(daysSinceEpoch: Int64) {
        let shifted = daysSinceEpoch + 719_468  // count from 0000-03-01, so the leap day ends each year
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let marchBasedMonth = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * marchBasedMonth + 2) / 5 + 1)
        month = Int(marchBasedMonth < 10 ? marchBasedMonth + 3 : marchBasedMonth - 9)
        year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
    }

    /// Why `text` is not a date `CivilDate(parsing:)` takes, for a message: `2019-04-31` has the form and
    /// no such day ("expected YYYY-MM-DD" did not say what was wrong with it).
    public static func problem(_ text: String) -> String {
        guard let date = shaped(text) else { return "expected a date YYYY-MM-DD, found '\(text)'" }
        guard (1...12).contains(date.month) else { return "'\(text)' has no month \(date.month) (YYYY-MM-DD)" }
        guard date.day > 0 else { return "'\(text)' is not a day of the calendar: days are numbered from 01" }
        return "'\(text)' is not a day of the calendar: \(text.prefix(7)) has \(daysInMonth(year: date.year, month: date.month)) days"
    }

    /// Parses exactly `YYYY-MM-DD`, rejecting dates that do not exist (such as `2019-02-29`).
    public init?(parsing text: String) {
        guard let date = Self.shaped(text), date.isValid else { return nil }
        self = date
    }

    /// The components of `text` when it has the form `YYYY-MM-DD`, whether or not they make a day.
    private static func shaped(_ text: String) -> CivilDate? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte &- UInt8(ascii: "0") < 10 else { return nil }
                value = value * 10 + Int(byte &- UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }

    /// Days from 1970-01-01 to this date; negative before it.
    public var daysSinceEpoch: Int64 {
        CivilDate.daysSinceEpoch(year: year, month: month, day: day)
    }

    /// ISO 8601 weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        Int(floorModulo(daysSinceEpoch + 3, 7)) + 1
    }

    /// Whether the month is 1–12 and the day exists in that month.
    public var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= CivilDate.daysInMonth(year: year, month: month)
    }

    /// `YYYY-MM-DD`, the year padded to four digits.
    public var description: String {
        "\(year.zeroPadded(width: 4))-\(month.zeroPadded(width: 2))-\(day.zeroPadded(width: 2))"
    }

    public static func < (left: CivilDate, right: CivilDate) -> Bool {
        (left.year, left.month, left.day) < (right.year, right.month, right.day)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days in `month` (1–12) of `year`.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the given components, which are not validated. Allocation-free, for hot paths.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let marchBasedYear = Int64(year) - (month <= 2 ? 1 : 0)
        let era = (marchBasedYear >= 0 ? marchBasedYear : marchBasedYear - 399) / 400
        let yearOfEra = marchBasedYear - era * 400
        let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// `value` divided by `divisor`, rounded towards minus infinity (`divisor` > 0).
@inline(__always)
public func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    // One division either way (the hot path takes a day and a slot of every row), and no overflow at Int64.min.
    value >= 0 ? value / divisor : -1 - (-1 - value) / divisor
}

/// The remainder of `floorDivide`, always in `0..<divisor`.
func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
    let remainder = value % divisor
    return remainder < 0 ? remainder + divisor : remainder
}

extension Int {
    /// Decimal digits padded with leading zeros to `width`; a minus sign precedes the padding.
    func zeroPadded(width: Int) -> String {
        let digits = String(magnitude)
        let padding = String(repeating: "0", count: Swift.max(0, width - digits.count))
        return (self < 0 ? "-" : "") + padding + digits
    }
}
