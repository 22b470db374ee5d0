import Foundation
import Testing
@testable import ContactMetrics

@Suite struct CivilDateTests {
    static let knownDays: [(CivilDate, Int64)] = [
        (CivilDate(year: 1970, month: 1, day: 1), 0),
        (CivilDate(year: 1969, month: 12, day: 31), -1),
        (CivilDate(year: 2000, month: 3, day: 1), 11_017),
        (CivilDate(year: 2019, month: 4, day: 1), 17_987),
        (CivilDate(year: 2020, month: 2, day: 29), 18_321),
        (CivilDate(year: 1600, month: 1, day: 1), -135_140),
        (CivilDate(year: 2400, month: 12, day: 31), 157_419),
        (CivilDate(year: 1, month: 1, day: 1), -719_162),
        (CivilDate(year: 9999, month: 12, day: 31), 2_932_896),
    ]

    @Test(arguments: knownDays)
    func knownDayNumbers(date: CivilDate, daysSinceEpoch: Int64) {
        #expect(date.daysSinceEpoch == daysSinceEpoch)
        #expect(CivilDate(daysSinceEpoch: daysSinceEpoch) == date)
    }

    /// Walks every day from 1600 to 2400 with an independent successor function, checking both conversions;
    /// every 37th day, from a seeded start, also round-trips through `description` and `init?(parsing:)`.
    @Test(.heavy, .tags(.heavy)) func everyDayFrom1600To2400MatchesAReferenceCalendar() {
        func referenceMonthLength(_ year: Int, _ month: Int) -> Int {
            let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        }
        var (year, month, day) = (1600, 1, 1)
        var dayNumber: Int64 = -135_140
        let seededStart = Int64(11)
        while year <= 2400 {
            let date = CivilDate(daysSinceEpoch: dayNumber)
            #expect(date == CivilDate(year: year, month: month, day: day), "day \(dayNumber)")
            #expect(date.daysSinceEpoch == dayNumber)
            if (dayNumber - seededStart) % 37 == 0 {
                #expect(CivilDate(parsing: date.description) == date)
            }
            day += 1
            if day > referenceMonthLength(year, month) { (day, month) = (1, month + 1) }
            if month > 12 { (month, year) = (1, year + 1) }
            dayNumber += 1
        }
        #expect(dayNumber == 157_420)  // the walk ended on 2401-01-01
    }

    static let weekdays: [(CivilDate, Int)] = [
        (CivilDate(year: 2019, month: 4, day: 1), 1),  // Monday
        (CivilDate(year: 1970, month: 1, day: 1), 4),  // Thursday
        (CivilDate(year: 2000, month: 1, day: 1), 6),  // Saturday
        (CivilDate(year: 1969, month: 12, day: 28), 7),  // Sunday
    ]

    @Test(arguments: weekdays)
    func isoWeekday(date: CivilDate, weekday: Int) {
        #expect(date.isoWeekday == weekday)
    }

    @Test func daysInMonth() {
        #expect(CivilDate.daysInMonth(year: 2020, month: 2) == 29)
        #expect(CivilDate.daysInMonth(year: 2019, month: 2) == 28)
        #expect(CivilDate.daysInMonth(year: 1900, month: 2) == 28)
        #expect(CivilDate.daysInMonth(year: 2000, month: 2) == 29)
        #expect(CivilDate.daysInMonth(year: 2019, month: 4) == 30)
        #expect(CivilDate.daysInMonth(year: 2019, month: 12) == 31)
    }

    @Test func parsingValidatesAndDescriptionPads() {
        #expect(CivilDate(parsing: "2020-02-29") == CivilDate(year: 2020, month: 2, day: 29))
        #expect(CivilDate(parsing: "0999-01-05")?.description == "0999-01-05")
        #expect(CivilDate(year: 999, month: 1, day: 5).description == "0999-01-05")
        for invalid in ["2019-02-29", "2019-13-01", "2019-00-10", "2019-04-31", "2019-4-01", "2019/04/01", "2019-04-01 ", ""] {
            #expect(CivilDate(parsing: invalid) == nil, "\(invalid)")
        }
    }

    @Test func ordering() {
        #expect(CivilDate(year: 2019, month: 12, day: 31) < CivilDate(year: 2020, month: 1, day: 1))
        #expect(CivilDate(year: 2020, month: 1, day: 31) < CivilDate(year: 2020, month: 2, day: 1))
        #expect(!(CivilDate(year: 2020, month: 2, day: 1) < CivilDate(year: 2020, month: 2, day: 1)))
    }
}

@Suite struct FloorDivisionTests {
    @Test func roundsTowardsMinusInfinityWithoutOverflow() {
        for (value, divisor, expected) in [(Int64(7), Int64(2), Int64(3)), (-7, 2, -4), (-8, 2, -4), (0, 900, 0), (-1, 86_400, -1),
                                           (-86_400, 86_400, -1), (-86_401, 86_400, -2), (.min, 900, .min / 900 - 1), (.max, 900, .max / 900)] {
            #expect(floorDivide(value, divisor) == expected, "\(value) / \(divisor)")
            #expect(floorDivide(value, divisor) == Int64((Double(value) / Double(divisor)).rounded(.down)) || value.magnitude > 1 << 52)
        }
    }
}

@Suite struct TestTimestampTests {
    /// The test helper writes what ISO8601DateFormatter writes.
    @Test func helperMatchesFoundation() {
        let utc = ISO8601DateFormatter(), plusOne = ISO8601DateFormatter()
        plusOne.timeZone = TimeZone(secondsFromGMT: 3600)
        for seconds in [0, 1_554_109_202, 1_572_141_599, -86_401, 1_609_459_199] {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(TestSupport.iso8601(seconds) == utc.string(from: date))
            #expect(TestSupport.iso8601(seconds, offsetHours: 1) == plusOne.string(from: date))
        }
    }

    /// A period's start and end as text (`PeriodUnit.localDateTime`, written in place) against Foundation's
    /// formatting of the same second read as UTC, from 1600 (Foundation's calendar is Julian before 1582;
    /// ours is proleptic Gregorian) to 9999; years outside four digits keep the general form.
    @Test func localDateTimesAreFoundationsText() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.calendar = Calendar(identifier: .iso8601)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        var random = SplitMix64(seed: 12)
        let first = CivilDate(year: 1600, month: 1, day: 1).daysSinceEpoch * 86_400
        let last = CivilDate(year: 9999, month: 12, day: 31).daysSinceEpoch * 86_400 + 86_399
        let seconds = [first, last, 0, -1, 86_399, 1_554_076_800] + (0..<2_000).map { _ in first + Int64(random.next() % UInt64(last - first + 1)) }
        for second in seconds {
            #expect(PeriodUnit.localDateTime(localSeconds: second) == formatter.string(from: Date(timeIntervalSince1970: TimeInterval(second))), "\(second)")
        }
        #expect(PeriodUnit.localDateTime(localSeconds: last + 1) == "10000-01-01T00:00:00")
        #expect(PeriodUnit.localDateTime(localSeconds: CivilDate(year: 1, month: 1, day: 1).daysSinceEpoch * 86_400 + 3_723) == "0001-01-01T01:02:03")
        #expect(PeriodUnit.localDateTime(localSeconds: CivilDate(year: 1, month: 1, day: 1).daysSinceEpoch * 86_400 - 1) == "0000-12-31T23:59:59")
        #expect(PeriodUnit.localDateTime(localSeconds: CivilDate(year: 0, month: 1, day: 1).daysSinceEpoch * 86_400 - 1) == "-0001-12-31T23:59:59")
    }

    /// A date of the right form that is not a day says so (it read "expected a date YYYY-MM-DD, found
    /// '2019-04-31'", which is that form).
    @Test func whyATextIsNotADate() {
        #expect(CivilDate.problem("2019-04-31") == "'2019-04-31' is not a day of the calendar: 2019-04 has 30 days")
        #expect(CivilDate.problem("2019-02-29") == "'2019-02-29' is not a day of the calendar: 2019-02 has 28 days")
        #expect(CivilDate.problem("2019-13-01") == "'2019-13-01' has no month 13 (YYYY-MM-DD)")
        #expect(CivilDate.problem("2019-04-00") == "'2019-04-00' is not a day of the calendar: days are numbered from 01")
        #expect(CivilDate.problem("01/04/2019") == "expected a date YYYY-MM-DD, found '01/04/2019'")
        #expect(CivilDate.problem("2019-4-1") == "expected a date YYYY-MM-DD, found '2019-4-1'")
    }
}
