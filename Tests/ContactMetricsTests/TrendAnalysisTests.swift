import Testing
@testable import ContactMetrics

/// `compare --trend` on series made to a known shape: the fit gives back the level, trend and changes.
struct TrendAnalysisTests {
    /// 101 calls a day: 100 + 0.5·t, +10 on Saturdays, +20 and +1 a day more from `change`, +7 from `event`;
    /// every call answered after 30 s on days before the change and 20 s after it.
    static func cube(from: CivilDate, days: Int, change: Int, event: Int?) -> Cube {
        var cube = Cube(grain: .local(.day))
        for t in 0..<days {
            let date = CivilDate(daysSinceEpoch: from.daysSinceEpoch + Int64(t))
            var calls = 100 + Double(t) / 2 + (date.isoWeekday == 6 ? 10 : 0)
            if t >= change { calls += 20 + Double(t - change) }
            if let event, t >= event { calls += 7 }
            var cell = ContactCell()
            cell.counters.received = Int64(calls.rounded())
            cell.counters.answered = cell.counters.received
            cell.answerWaits.add(seconds: t >= change ? 20 : 30, count: cell.counters.received)
            cube.contacts[CellKey(period: date.daysSinceEpoch, channel: "101")] = cell
        }
        return cube
    }

    @Test func recoversAKnownShape() throws {
        let from = CivilDate(year: 2019, month: 4, day: 2)  // t even on every day, so no rounding
        let cube = Self.cube(from: from, days: 120, change: 80, event: 60)
        let analysis = TrendAnalysis(cube: cube, from: from, to: CivilDate(daysSinceEpoch: from.daysSinceEpoch + 119),
                                     changeDate: CivilDate(daysSinceEpoch: from.daysSinceEpoch + 80),
                                     events: [TrendAnalysis.Event(label: "Event", date: CivilDate(daysSinceEpoch: from.daysSinceEpoch + 60))],
                                     options: MetricOptions())
        let received = try #require(analysis.fits.first { $0.metric == "received" })
        // Half-integer volumes are rounded to even or odd days alike, so allow for it.
        #expect(abs(received.levelChange.value - 20) < 0.6)
        #expect(abs(received.trendChangePer30Days.value - 30) < 0.3)
        #expect(abs(received.trendBeforePer30Days.value - 15) < 0.3)
        #expect(abs(received.eventChanges[0].value - 7) < 0.6)
        #expect(received.days == 120)
        let asa = try #require(analysis.fits.first { $0.metric == "asa_seconds" })
        #expect(abs(asa.levelChange.value + 10) < 1e-9 && abs(asa.trendChangePer30Days.value) < 1e-9)
        #expect(abs(asa.levelBefore - 30) < 1e-9)
        #expect(analysis.series.count == 120)
        let csv = analysis.seriesCSV()
        #expect(csv.hasPrefix("date,weekday,channel,received,abandon_rate,asa_seconds,service_level,days_since_start,after_change,after_Event\r\n")
                || csv.hasPrefix("date,weekday,channel,received,abandon_rate,asa_seconds,service_level,days_since_start,after_change,after_Event\n"))
        #expect(csv.contains("2019-04-02,Tue,101,100,"))
    }

    @Test func daysWithNoContactsAreLeftOutNotZero() throws {
        let from = CivilDate(year: 2019, month: 4, day: 2)
        var cube = Self.cube(from: from, days: 60, change: 30, event: nil)
        cube.contacts[CellKey(period: from.daysSinceEpoch + 10, channel: "101")] = nil
        let analysis = TrendAnalysis(cube: cube, from: from, to: CivilDate(daysSinceEpoch: from.daysSinceEpoch + 59),
                                     changeDate: CivilDate(daysSinceEpoch: from.daysSinceEpoch + 30), events: [], options: MetricOptions())
        #expect(analysis.fits.first { $0.metric == "received" }?.days == 59)
        #expect(analysis.series.count == 59)
    }

    /// Days between the windows whose contacts come from exports with no outcome are said, like a window's.
    @Test func contactsOfUnknownOutcomeInTheFittedDaysAreSaid() {
        let from = CivilDate(year: 2019, month: 4, day: 2)
        var cube = Self.cube(from: from, days: 60, change: 30, event: nil)
        #expect(TrendAnalysis(cube: cube, from: from, to: CivilDate(daysSinceEpoch: from.daysSinceEpoch + 59),
                              changeDate: CivilDate(daysSinceEpoch: from.daysSinceEpoch + 30), events: [], options: MetricOptions()).cautions.isEmpty)
        for day in 20..<25 {
            let key = CellKey(period: from.daysSinceEpoch + Int64(day), channel: "101")
            cube.contacts[key]!.counters.received += 40
            cube.contacts[key]!.counters.other += 40
            cube.contacts[key]!.counters.outcomeUnknown = 40
        }
        let analysis = TrendAnalysis(cube: cube, from: from, to: CivilDate(daysSinceEpoch: from.daysSinceEpoch + 59),
                                     changeDate: CivilDate(daysSinceEpoch: from.daysSinceEpoch + 30), events: [], options: MetricOptions())
        let received = cube.contacts.values.reduce(0) { $0 + $1.counters.received }
        #expect(analysis.cautions == ["101: 200 of the \(DisplayFormat.count(received)) contacts of the days the trend fits (2019-04-02..2019-05-31) come from "
                                      + "exports with no outcome or answer time: their daily abandonment and service level are of the other "
                                      + "\(DisplayFormat.count(received - 200)), which may not be like them."])
    }

    @Test func eventsParse() {
        #expect(TrendAnalysis.Event(parsing: "Lockdown=2020-03-23") == TrendAnalysis.Event(label: "Lockdown", date: CivilDate(year: 2020, month: 3, day: 23)))
        #expect(TrendAnalysis.Event(parsing: "=2020-03-23") == nil)
        #expect(TrendAnalysis.Event(parsing: "Lockdown=2020-02-30") == nil)
        #expect(TrendAnalysis.Event(parsing: "Lockdown") == nil)
    }

    @Test func noTrendAcrossMonthsWithoutData() {
        let from = CivilDate(year: 2019, month: 1, day: 1)
        var cube = Self.cube(from: from, days: 300, change: 270, event: nil)
        for day in 31..<270 { cube.contacts[CellKey(period: from.daysSinceEpoch + Int64(day), channel: "101")] = nil }
        let analysis = TrendAnalysis(cube: cube, from: from, to: CivilDate(daysSinceEpoch: from.daysSinceEpoch + 299),
                                     changeDate: CivilDate(daysSinceEpoch: from.daysSinceEpoch + 270), events: [], options: MetricOptions())
        #expect(analysis.fits.isEmpty && analysis.daysWithContacts == 61)
        #expect(analysis.note.contains("No trend is fitted: only 61 of the 300 days"))
    }
}
