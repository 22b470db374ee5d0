import Testing
@testable import ContactMetrics

@Suite struct PeriodTests {
    static let london = try! TimeZoneRules(identifier: "Europe/London")

    func day(_ text: String) -> Int64 { CivilDate(parsing: text)!.daysSinceEpoch }

    static let isoWeeksCases: [(String, String, String, String)] = [
        ("2019-12-30", "2020-W01", "2019-12-30", "2020-01-05"),
        ("2021-01-03", "2020-W53", "2020-12-28", "2021-01-03"),
        ("2018-12-31", "2019-W01", "2018-12-31", "2019-01-06"),
        ("2019-04-01", "2019-W14", "2019-04-01", "2019-04-07"),
        ("2019-04-07", "2019-W14", "2019-04-01", "2019-04-07"),
        ("1969-12-31", "1970-W01", "1969-12-29", "1970-01-04"),
        ("2016-01-03", "2015-W53", "2015-12-28", "2016-01-03"),
    ]

    @Test(arguments: isoWeeksCases)
    func isoWeeks(date: String, label: String, start: String, end: String) {
        let key = PeriodUnit.week.key(localDay: day(date))
        #expect(PeriodUnit.week.label(key: key) == label)
        #expect(PeriodUnit.week.start(key: key) == start)
        #expect(PeriodUnit.week.end(key: key) == end)
    }

    static let calendarPeriodsCases: [(PeriodUnit, String, String, String, String)] = [
        (.financialYear, "2019-04-01", "2019-20", "2019-04-01", "2020-03-31"),
        (.financialYear, "2020-03-31", "2019-20", "2019-04-01", "2020-03-31"),
        (.financialYear, "2019-03-31", "2018-19", "2018-04-01", "2019-03-31"),
        (.financialYear, "1999-04-01", "1999-00", "1999-04-01", "2000-03-31"),
        (.financialYear, "2000-03-31", "1999-00", "1999-04-01", "2000-03-31"),
        (.quarter, "2019-04-01", "2019-Q2", "2019-04-01", "2019-06-30"),
        (.quarter, "2019-03-31", "2019-Q1", "2019-01-01", "2019-03-31"),
        (.quarter, "2019-12-31", "2019-Q4", "2019-10-01", "2019-12-31"),
        (.month, "2019-04-15", "2019-04", "2019-04-01", "2019-04-30"),
        (.month, "2020-02-10", "2020-02", "2020-02-01", "2020-02-29"),
        (.month, "2019-12-31", "2019-12", "2019-12-01", "2019-12-31"),
        (.month, "1969-12-31", "1969-12", "1969-12-01", "1969-12-31"),
        (.year, "2019-07-04", "2019", "2019-01-01", "2019-12-31"),
        (.day, "2019-04-01", "2019-04-01", "2019-04-01", "2019-04-01"),
    ]

    @Test(arguments: calendarPeriodsCases)
    func calendarPeriods(unit: PeriodUnit, date: String, label: String, start: String, end: String) {
        let key = unit.key(localDay: day(date))
        #expect(unit.label(key: key) == label)
        #expect(unit.start(key: key) == start)
        #expect(unit.end(key: key) == end)
        #expect(unit.firstLocalDay(key: key) == day(start))
        #expect(unit.lastLocalDay(key: key) == day(end))
        #expect(unit.localSecondsRange(key: key) == day(start) * 86_400..<(day(end) + 1) * 86_400)
        #expect(unit.key(localSeconds: day(date) * 86_400 + 86_399) == key)
    }

    @Test func subDayPeriods() {
        let localSeconds = day("2019-04-01") * 86_400 + 8 * 3600 + 20 * 60 + 7  // 08:20:07
        let expectations: [(PeriodUnit, String, String, String)] = [
            (.fifteenMinutes, "2019-04-01T08:15", "2019-04-01T08:15:00", "2019-04-01T08:29:59"),
            (.thirtyMinutes, "2019-04-01T08:00", "2019-04-01T08:00:00", "2019-04-01T08:29:59"),
            (.hour, "2019-04-01T08:00", "2019-04-01T08:00:00", "2019-04-01T08:59:59"),
        ]
        for (unit, label, start, end) in expectations {
            let key = unit.key(localSeconds: localSeconds)
            #expect(unit.label(key: key) == label)
            #expect(unit.start(key: key) == start)
            #expect(unit.end(key: key) == end)
            #expect(unit.firstLocalDay(key: key) == day("2019-04-01"))
            #expect(unit.lastLocalDay(key: key) == day("2019-04-01"))
        }
        #expect(PeriodUnit.fifteenMinutes.key(localSeconds: 0) == 0)
        #expect(PeriodUnit.fifteenMinutes.key(localSeconds: -1) == -1)
        #expect(PeriodUnit.hour.key(localDay: 1) == 24)
        #expect(PeriodUnit.fifteenMinutes.localSecondsRange(key: 4) == 3600..<4500)
    }

    /// 15-minute keys of UTC instants, taken through the London offset, around both 2019 changes.
    @Test func fifteenMinuteKeysAroundTheClockChanges() {
        var cursor = ZoneCursor(rules: Self.london)
        func label(utc: Int64) -> String {
            let unit = PeriodUnit.fifteenMinutes
            return unit.label(key: unit.key(localSeconds: utc + cursor.offsetSeconds(atUTC: utc)))
        }
        let spring: Int64 = 1_553_994_000  // 2019-03-31T01:00Z
        #expect(label(utc: spring - 1) == "2019-03-31T00:45")
        #expect(label(utc: spring) == "2019-03-31T02:00")  // 01:00–01:59 local never happen
        let autumn: Int64 = 1_572_138_000  // 2019-10-27T01:00Z
        #expect(label(utc: autumn - 1800) == "2019-10-27T01:30")  // 00:30Z = 01:30 BST
        #expect(label(utc: autumn + 1800) == "2019-10-27T01:30")  // 01:30Z = 01:30 GMT: same local key
        #expect(label(utc: autumn + 3600) == "2019-10-27T02:00")
        let hour = PeriodUnit.hour
        #expect(hour.key(localSeconds: autumn - 1800 + 3600) == hour.key(localSeconds: autumn + 1800))
    }

    /// Local days are 23 or 25 hours of UTC instants where the clocks change.
    static let britishSummerTimeDayLengthsCases: [(String, Int64)] = [("2019-03-31", 23), ("2019-10-27", 25), ("2020-03-29", 23), ("2020-10-25", 25), ("2019-04-01", 24)]

    @Test(arguments: britishSummerTimeDayLengthsCases)
    func britishSummerTimeDayLengths(date: String, hours: Int64) {
        let range = PeriodUnit.day.localSecondsRange(key: PeriodUnit.day.key(localDay: day(date)))
        let utcStart = Self.london.resolve(localSeconds: range.lowerBound).utcSeconds
        let utcEnd = Self.london.resolve(localSeconds: range.upperBound).utcSeconds
        #expect(utcEnd - utcStart == hours * 3600)
    }

    /// Keys never decrease and never jump by more than one period from one day to the next.
    @Test func keysAreMonotone() {
        for unit in PeriodUnit.allCases where unit.subDaySeconds == nil {
            var previous = unit.key(localDay: day("1899-12-31"))
            for localDay in day("1900-01-01")...day("2101-01-01") {
                let key = unit.key(localDay: localDay)
                #expect(key == previous || key == previous + 1, "\(unit) day \(localDay)")
                previous = key
            }
        }
    }

    @Test func rawValuesMatchTheCommandLine() {
        #expect(PeriodUnit.allCases.map(\.rawValue) == ["15min", "30min", "hour", "day", "week", "month", "quarter", "year", "fy"])
    }
}
