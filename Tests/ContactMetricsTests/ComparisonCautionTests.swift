import Testing
@testable import ContactMetrics

/// The cautions `compare` states: weekday mix, days with no contacts, overlapping windows, large volume changes.
struct ComparisonCautionTests {
    /// A cube of local days with `calls` 101 calls (half answered after 30 s) on each day of `days`.
    static func cube(_ days: [(CivilDate, Int64)]) -> Cube {
        var cube = Cube(grain: .local(.day))
        for (date, calls) in days {
            var cell = ContactCell()
            cell.counters.received = calls
            cell.counters.answered = calls / 2
            cell.counters.abandoned = calls - calls / 2
            cell.answerWaits.add(seconds: 30, count: calls / 2)
            cell.abandonWaits.add(seconds: 40, count: calls - calls / 2)
            cube.contacts[CellKey(period: date.daysSinceEpoch, channel: "101")] = cell
        }
        return cube
    }

    static func window(_ text: String) -> ComparisonWindow { ComparisonWindow(parsing: text)! }

    static func dates(_ from: CivilDate, count: Int) -> [CivilDate] {
        (0..<Int64(count)).map { CivilDate(daysSinceEpoch: from.daysSinceEpoch + $0) }
    }

    /// Sets 101 cells for `count` days from `start`: `known` contacts as `cube(_:)` makes them, and
    /// `unknown` more from exports with no outcome (counted in `other` and `outcomeUnknown`).
    static func addDays(to cube: inout Cube, from start: CivilDate, count: Int, known: Int64, unknown: Int64) {
        for date in dates(start, count: count) {
            var cell = known > 0 ? Self.cube([(date, known)]).contacts.values[0] : ContactCell()
            cell.counters.received += unknown
            cell.counters.other += unknown
            cell.counters.outcomeUnknown = unknown
            cube.contacts[CellKey(period: date.daysSinceEpoch, channel: "101")] = cell
        }
    }

    /// Outcomes neither answered nor abandoned (a new word, `callback`, in the after window's exports) stay in the
    /// abandonment rate's denominator and lowered it "more than chance would explain", with no word (a review).
    /// Said when their share differs by 5 points or more; contacts of exports with no outcome are not among them.
    @Test(arguments: [(Int64(30), true), (Int64(4), false)])
    func aShareOfOtherOutcomesThatChangedIsSaid(callbacks: Int64, said: Bool) throws {
        var cube = Cube(grain: .local(.day))
        let before = Self.window("Old=2019-04-01..2019-04-28"), after = Self.window("New=2019-05-06..2019-06-02")
        Self.addDays(to: &cube, from: CivilDate(year: 2019, month: 4, day: 1), count: 28, known: 100, unknown: 40)
        for date in Self.dates(CivilDate(year: 2019, month: 5, day: 6), count: 28) {
            var cell = Self.cube([(date, 100 - callbacks)]).contacts.values[0]
            cell.counters.received += callbacks
            cell.counters.other += callbacks
            cube.contacts[CellKey(period: date.daysSinceEpoch, channel: "101")] = cell
        }
        let comparison = Comparison(cube: cube, before: before, after: after, timeZone: "Europe/London", ledger: Ledger(), options: MetricOptions())
        let caution = comparison.cautions.first { $0.contains("ended neither answered nor abandoned") }
        #expect((caution != nil) == said, "\(comparison.cautions)")
        if said {
            #expect(caution == "101: 30.0% of the calls of the New window whose outcome is known ended neither answered nor abandoned (transferred, "
                    + "callback and other words), against 0.0% of the Old window's: they count in the abandonment rate as calls not abandoned, so "
                    + "outcomes recorded another way move it with no change in the service; check the outcome words each export uses.")
        }
    }

    @Test func sameWeekdaysAndNoGapsSayNothing() {
        // Two four-week windows starting on Mondays, every day with calls, volumes within 20%.
        let before = Self.dates(CivilDate(year: 2019, month: 4, day: 1), count: 28).map { ($0, Int64(100)) }
        let after = Self.dates(CivilDate(year: 2020, month: 3, day: 30), count: 28).map { ($0, Int64(110)) }
        let comparison = Comparison(cube: Self.cube(before + after), before: Self.window("A=2019-04-01..2019-04-28"),
                                    after: Self.window("B=2020-03-30..2020-04-26"), timeZone: "Europe/London", ledger: Ledger(),
                                    options: MetricOptions())
        #expect(comparison.cautions.isEmpty)
    }

    @Test func eachCautionIsStated() {
        // 2019-04-01 is a Monday, 2020-04-01 a Wednesday; the after window misses 2020-04-05 and halves the volume.
        let before = Self.dates(CivilDate(year: 2019, month: 4, day: 1), count: 30).map { ($0, Int64(100)) }
        let after = Self.dates(CivilDate(year: 2020, month: 4, day: 1), count: 30)
            .filter { $0 != CivilDate(year: 2020, month: 4, day: 5) }.map { ($0, Int64(50)) }
        let comparison = Comparison(cube: Self.cube(before + after), before: Self.window("A=2019-04-01..2019-04-30"),
                                    after: Self.window("B=2020-04-01..2020-04-30"), timeZone: "Europe/London", ledger: Ledger(),
                                    options: MetricOptions())
        #expect(comparison.cautions.count == 3)
        #expect(comparison.cautions[0].contains("Mon 5 of 30 and 4 of 30, Tue 5 of 30 and 4 of 30, Wed 4 of 30 and 5 of 30, Thu 4 of 30 and 5 of 30"))
        #expect(comparison.cautions[1].contains("The B window has 1 day with no contacts at all (the first 2020-04-05)"))
        #expect(comparison.cautions[2].contains("101 −50%"))  // per day over the days with data: 1,450 over 29 days against 3,000 over 30
        #expect(comparison.table().contains("its volumes are per day over the others, but a missing export leaves its days out"))
        #expect(comparison.json().serialized().contains("\"cautions\": ["))
        #expect(comparison.csv().contains("caution,"))
        // Fewer than 14 days a window: intervals over days are said to be unreliable.
        let short = Comparison(cube: Self.cube(before + after), before: Self.window("A=2019-04-01..2019-04-10"),
                               after: Self.window("B=2019-04-08..2019-04-20"), timeZone: "Europe/London", ledger: Ledger(),
                               options: MetricOptions())
        #expect(short.cautions.first?.hasPrefix("The windows overlap") == true)
        // And they get no intervals: each would take the shared days as two (a review found significance marks and
        // "more than chance would explain" beside the caution).
        #expect(short.changes.allSatisfy { $0.interval == nil && $0.isSignificant == nil })
        let apart = Comparison(cube: Self.cube(before + after), before: Self.window("A=2019-04-01..2019-04-10"),
                               after: Self.window("B=2019-04-11..2019-04-20"), timeZone: "Europe/London", ledger: Ledger(),
                               options: MetricOptions())
        #expect(apart.changes.contains { $0.interval != nil })
        #expect(short.table().contains("The A window has 10 days; the B window has 13 days: with fewer than 14 days a window, intervals over days are not reliable"))
    }

    @Test func channelsMissingFromAWindowOrSomeDaysAreSaid() {
        var cube = Self.cube(Self.dates(CivilDate(year: 2019, month: 4, day: 1), count: 28).map { ($0, Int64(100)) }
                             + Self.dates(CivilDate(year: 2020, month: 3, day: 30), count: 28).map { ($0, Int64(100)) })
        // 999 only after, and missing on two of its days.
        for date in Self.dates(CivilDate(year: 2020, month: 3, day: 30), count: 28).dropFirst(2) {
            var cell = ContactCell()
            cell.counters.received = 10
            cell.counters.answered = 10
            cell.answerWaits.add(seconds: 5, count: 10)
            cube.contacts[CellKey(period: date.daysSinceEpoch, channel: "999")] = cell
        }
        let comparison = Comparison(cube: cube, before: Self.window("A=2019-04-01..2019-04-28"),
                                    after: Self.window("B=2020-03-30..2020-04-26"), timeZone: "Europe/London", ledger: Ledger(),
                                    options: MetricOptions())
        #expect(comparison.cautions.contains("999 has no contacts on 2 of the 28 days of the B window that other channels have: check that its export is complete."))
        #expect(comparison.cautions.contains { $0.hasPrefix("999 has no contacts in the A window, but has in another") })
    }

    @Test func aChangeOfExactlyTwentyPercentIsSaid() {
        let before = Self.dates(CivilDate(year: 2019, month: 4, day: 1), count: 28).map { ($0, Int64(10)) }
        let after = Self.dates(CivilDate(year: 2020, month: 3, day: 30), count: 28).map { ($0, Int64(12)) }
        let comparison = Comparison(cube: Self.cube(before + after), before: Self.window("A=2019-04-01..2019-04-28"),
                                    after: Self.window("B=2020-03-30..2020-04-26"), timeZone: "Europe/London", ledger: Ledger(),
                                    options: MetricOptions())
        #expect(comparison.cautions.contains { $0.contains("(101 +20%)") })
    }

    /// A window whose exports had no outcome (every call `outcome_unknown`) has no abandonment rate: the
    /// change is not measured, not a rise from 0% (the review saw `"before": 0, "significant": true`).
    @Test func anUnmeasuredAbandonRateIsNoChange() throws {
        var cube = Self.cube(Self.dates(CivilDate(year: 2020, month: 4, day: 1), count: 14).map { ($0, Int64(100)) })
        for date in Self.dates(CivilDate(year: 2019, month: 4, day: 1), count: 14) {
            var cell = ContactCell()
            cell.counters.received = 100
            cell.counters.other = 100
            cell.counters.outcomeUnknown = 100
            cube.contacts[CellKey(period: date.daysSinceEpoch, channel: "101")] = cell
        }
        for intervals in Comparison.IntervalMethod.allCases {
            let comparison = Comparison(cube: cube, before: Self.window("A=2019-04-01..2019-04-14"), after: Self.window("B=2020-04-01..2020-04-14"),
                                        timeZone: "Europe/London", ledger: Ledger(), options: MetricOptions(), intervals: intervals)
            let change = try #require(comparison.change("abandon_rate", channel: "101"))
            #expect(change.before == nil && change.after == 0.5, "\(intervals)")
            #expect(change.change == nil && change.interval == nil && change.isSignificant == nil, "\(intervals)")
            #expect(comparison.json().serialized().contains("\"significant\": true") == false, "\(intervals)")
        }
    }

    /// A window whose waits were timed from times without seconds: its answer times are known to ±59 s,
    /// and a change in them under a minute is said to be possibly the clock's alone (the 101 queue's
    /// median moved from 0:00 to 0:04, "significant", between an old system in minutes and a new one).
    @Test func waitsInWholeMinutesAreSaid() throws {
        var cube = Self.cube(Self.dates(CivilDate(year: 2020, month: 4, day: 1), count: 14).map { ($0, Int64(100)) })
        for date in Self.dates(CivilDate(year: 2019, month: 4, day: 1), count: 14) {
            var cell = Self.cube([(date, 100)]).contacts.values[0]
            cell.counters.minuteTimedWaits = 100
            cube.contacts[CellKey(period: date.daysSinceEpoch, channel: "101")] = cell
        }
        let comparison = Comparison(cube: cube, before: Self.window("A=2019-04-01..2019-04-14"), after: Self.window("B=2020-04-01..2020-04-14"),
                                    timeZone: "Europe/London", ledger: Ledger(), options: MetricOptions())
        let minutes = comparison.cautions.filter { $0.contains("timed in whole minutes") }
        #expect(minutes == ["101: the waits of the A window (2019-04-01..2019-04-14) are timed in whole minutes, each within ±59 s: a change in its "
                            + "answer times of less than a minute may be the clock's resolution alone, and the changes in its answer times have no "
                            + "interval."], "\(comparison.cautions)")
        // No interval, so no significance, for a change in answer times (a review found "−44 s [−44.0, −44.0] *").
        #expect(comparison.change("asa_seconds", channel: "101")?.interval == nil && comparison.change("asa_seconds", channel: "101")?.change == 0)
        // Nor a service level from minutes, whatever its threshold: a wait of 61–119 s may read 60 s (a review's 60 s
        // service level read 9.8 points lower, "significant", between a year in minutes and one with seconds).
        let level = try #require(comparison.change("service_level", channel: "101"))
        #expect(level.before == nil && level.after == 0.5 && level.interval == nil, "\(level)")
        // Nor does the page's chart of answered calls within a wait say a share within 60 s (the diff review: 56% for 38%).
        #expect(!comparison.html().contains("101: share answered within a given wait"))
    }

    /// A window some of whose exports give no outcome: its rates are of the contacts whose outcome is
    /// known. Counting the others in the denominator made a steady 50% read as a significant fall to 20%.
    @Test func contactsWithoutAnOutcomeAreLeftOutOfTheRates() throws {
        var cube = Self.cube(Self.dates(CivilDate(year: 2019, month: 4, day: 1), count: 14).map { ($0, Int64(100)) })
        Self.addDays(to: &cube, from: CivilDate(year: 2020, month: 4, day: 1), count: 14, known: 100, unknown: 150)
        for intervals in Comparison.IntervalMethod.allCases {
            let comparison = Comparison(cube: cube, before: Self.window("A=2019-04-01..2019-04-14"), after: Self.window("B=2020-04-01..2020-04-14"),
                                        timeZone: "Europe/London", ledger: Ledger(), options: MetricOptions(), intervals: intervals)
            let change = try #require(comparison.change("abandon_rate", channel: "101"))
            #expect(change.before == 0.5 && change.after == 0.5 && change.change == 0, "\(intervals)")
            #expect(change.isSignificant == false, "\(intervals)")
            let level = try #require(comparison.change("service_level", channel: "101"))
            #expect(level.before == level.after, "\(intervals)")
            #expect(comparison.cautions.contains { $0.hasPrefix("101: 2,100 of the 3,500 contacts of the B window (2020-04-01..2020-04-14) come from exports with no outcome") },
                    "\(comparison.cautions)")
        }
    }

    /// A window none of whose contacts has an outcome is said to be not measured, and so is a window a
    /// year earlier (`--baseline previous-year`) with some contacts of unknown outcome.
    @Test func windowsWithoutOutcomesAreSaidBaselinesToo() throws {
        var cube = Self.cube(Self.dates(CivilDate(year: 2020, month: 4, day: 1), count: 14).map { ($0, Int64(100)) })
        Self.addDays(to: &cube, from: CivilDate(year: 2019, month: 4, day: 1), count: 14, known: 0, unknown: 100)
        let comparison = Comparison(cube: cube, before: Self.window("A=2019-04-01..2019-04-14"), after: Self.window("B=2020-04-01..2020-04-14"),
                                    timeZone: "Europe/London", ledger: Ledger(), options: MetricOptions())
        #expect(comparison.cautions.contains("101: every contact of the A window (2019-04-01..2019-04-14) comes from exports with no outcome "
                                             + "or answer time, so its abandonment and service level are not measured."), "\(comparison.cautions)")
        var withBaseline = Self.cube(Self.dates(CivilDate(year: 2020, month: 4, day: 1), count: 14).map { ($0, Int64(100)) })
        Self.addDays(to: &withBaseline, from: CivilDate(year: 2019, month: 4, day: 2), count: 14, known: 100, unknown: 50)
        for date in Self.dates(CivilDate(year: 2019, month: 3, day: 1), count: 45) where withBaseline.contacts[CellKey(period: date.daysSinceEpoch, channel: "101")] == nil {
            withBaseline.contacts[CellKey(period: date.daysSinceEpoch, channel: "101")] = Self.cube([(date, 100)]).contacts.values[0]
        }
        let later = Comparison(cube: withBaseline, before: Self.window("A=2020-03-01..2020-03-14"), after: Self.window("B=2020-04-01..2020-04-14"),
                               timeZone: "Europe/London", ledger: Ledger(), options: MetricOptions(), previousYear: true)
        // Only the windows a year earlier hold contacts of unknown outcome.
        #expect(later.cautions.contains { $0.hasPrefix("101: 650 of the 1,950 contacts of ") && $0.contains("come from exports with no outcome") },
                "\(later.cautions)")
    }

    /// Found by a review: an incidents file with a month left out turned deployed 25k → 21k (−16%) into 13k → 21k (+63%)
    /// without a word, while a gap in the contacts was said. Days with contacts and no incident, in a window with
    /// several a day, are said; and a channel with no contact in one window has no change (it read "−100%").
    @Test func incidentGapsAndAbsentChannelsAreSaid() {
        let before = Self.dates(CivilDate(year: 2019, month: 4, day: 1), count: 28), after = Self.dates(CivilDate(year: 2020, month: 3, day: 30), count: 28)
        var cube = Self.cube((before + after).map { ($0, Int64(100)) })
        for date in before.dropFirst(7) + after {
            var cell = IncidentCell()
            cell.counters[.incidents] = 20
            cube.incidents[date.daysSinceEpoch] = cell
        }
        // 999 in the after window only.
        for date in after { cube.contacts[CellKey(period: date.daysSinceEpoch, channel: "999")] = Self.cube([(date, 10)]).contacts.values[0] }
        let comparison = Comparison(cube: cube, before: Self.window("A=2019-04-01..2019-04-28"), after: Self.window("B=2020-03-30..2020-04-26"),
                                    timeZone: "Europe/London", ledger: Ledger(), options: MetricOptions())
        #expect(comparison.cautions.contains("The A window has 7 days with contacts and no incidents at all (the first 2019-04-01), against 20 a day "
                                             + "on the others: a missing incidents export reads as days without incidents."), "\(comparison.cautions)")
        #expect(!comparison.cautions.contains { $0.hasPrefix("The B window has") && $0.contains("no incidents") })
        let received999 = comparison.changes.first { $0.metric == "received" && $0.channel == "999" }
        #expect(received999 != nil && received999?.change == nil)
        #expect(comparison.changes.first { $0.metric == "received" && $0.channel == "101" }?.change == 0)
        #expect(comparison.before.incidentDays == 28 && comparison.after.incidentDays == 28)  // the gap is said, not divided out
        // Days with neither contacts nor incidents (both exports missing) are not days with data: per day over the others.
        let gap = Set(after.prefix(4).map(\.daysSinceEpoch))
        var missing = cube
        missing.contacts = ContactCells(keys: cube.contacts.keys.filter { !gap.contains($0.period) },
                                        values: zip(cube.contacts.keys, cube.contacts.values).filter { !gap.contains($0.0.period) }.map(\.1))
        for day in gap { missing.incidents[day] = nil }
        let perDay = Comparison(cube: missing, before: Self.window("A=2019-04-01..2019-04-28"), after: Self.window("B=2020-03-30..2020-04-26"),
                                timeZone: "Europe/London", ledger: Ledger(), options: MetricOptions(),
                                coverage: after.first!.daysSinceEpoch - 400...after.last!.daysSinceEpoch,
                                incidentCoverage: after.first!.daysSinceEpoch - 400...after.last!.daysSinceEpoch)
        #expect(perDay.after.coveredDays == 24 && perDay.after.incidentDays == 24)
        #expect(perDay.changes.first { $0.metric == "received" && $0.channel == "101" }?.change == 0)
        #expect(perDay.changes.first { $0.metric == "incidents" }?.isPerDay == true)
    }

    /// Windows that reach past the inputs are judged short by their days with data: 36 nominal days with 5 of data
    /// dropped the note that intervals over so few days are not reliable, and kept their marks (found by a review).
    @Test func shortWindowsAreJudgedByTheirDaysWithData() {
        let before = Self.dates(CivilDate(year: 2019, month: 4, day: 1), count: 5), after = Self.dates(CivilDate(year: 2020, month: 4, day: 1), count: 5)
        let comparison = Comparison(cube: Self.cube((before + after).map { ($0, Int64(100)) }), before: Self.window("A=2019-03-27..2019-05-01"),
                                    after: Self.window("B=2020-03-28..2020-05-01"), timeZone: "Europe/London", ledger: Ledger(), options: MetricOptions(),
                                    coverage: before.first!.daysSinceEpoch...after.last!.daysSinceEpoch)
        #expect(comparison.table().contains("The A window has 5 days with data; the B window has 5 days with data: with fewer than 14 days a window, "
                                            + "intervals over days are not reliable"), "\(comparison.table())")
    }
}
