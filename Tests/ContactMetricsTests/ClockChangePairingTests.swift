import Testing
@testable import ContactMetrics

/// A row's naive times read together across the clock changes (`ClockChangePairing`), in Europe/London:
/// clocks went forward at 01:00 GMT on 31 March 2019 and back at 01:00 GMT on 27 October 2019.
@Suite struct ClockChangePairingTests {
    private static let hour: Int64 = 3_600

    @Test func anAnswerInTheRepeatedHourTakesTheOccurrenceAfterTheArrival() {
        // Arrival 01:50 (first 01:xx, 00:50 UTC), answer read alone as 01:05 first occurrence (00:05 UTC).
        var row = ClockChangePairing(arrived: 3_000, answered: 300, ended: 600)
        let moved = row.resolve(shifts: (Self.hour, Self.hour, Self.hour))
        #expect(moved)
        #expect(row.arrived == 3_000 && row.answered == 300 + Self.hour && row.ended == 600 + Self.hour)
    }

    @Test func anArrivalLateInTheRepeatedHourTakesItsSecondOccurrence() {
        // Arrival 01:59:50 read alone as BST (00:59:50 UTC); answer 02:00:10 GMT (02:00:10 UTC): 1 h 20 s → 20 s.
        var row = ClockChangePairing(arrived: 3_590, answered: 7_210, ended: nil)
        let moved = row.resolve(shifts: (Self.hour, 0, 0))
        #expect(moved)
        #expect(row.answered! - row.arrived == 20)
    }

    @Test func aRowTheLoneReadingsOrderIsLeftAsItIs() {
        // Both in the repeated hour, ten minutes apart: both first occurrences, no change.
        var row = ClockChangePairing(arrived: 600, answered: 1_200, ended: 1_500)
        let moved = row.resolve(shifts: (Self.hour, Self.hour, Self.hour))
        #expect(!moved)
        #expect(row.arrived == 600 && row.answered == 1_200 && row.ended == 1_500)
        // Nothing ambiguous: nothing moves, even out of order.
        var unordered = ClockChangePairing(arrived: 600, answered: 100, ended: nil)
        let unorderedMoved = unordered.resolve(shifts: (0, 0, 0))
        #expect(!unorderedMoved)
        #expect(unordered.answered == 100)
    }

    @Test func aRowNoReadingOrdersIsLeftToBeRejected() {
        var row = ClockChangePairing(arrived: 10 * Self.hour, answered: 0, ended: nil)
        let moved = row.resolve(shifts: (Self.hour, Self.hour, 0))
        #expect(!moved)
        #expect(row.arrived == 10 * Self.hour && row.answered == 0)
    }

    /// A later time without seconds may stand up to 59 s before the time it follows (the decoder takes the
    /// wait as 0 s): that order is kept, not traded for an answer an hour later.
    @Test func aLaterTimeWithinItsMinuteKeepsItsReading() {
        // Arrival 01:30:30, answer 01:30, end 01:40, all first occurrences (00:30:30, 00:30, 00:40 UTC).
        var row = ClockChangePairing(arrived: 1_830, answered: 1_800, ended: 2_400, slack: (59, 0))
        let moved = row.resolve(shifts: (Self.hour, Self.hour, Self.hour))
        #expect(!moved)
        #expect(row.arrived == 1_830 && row.answered == 1_800 && row.ended == 2_400)
        // Without the slack the answer 30 s before the arrival was out of order, and went an hour later.
        var strict = ClockChangePairing(arrived: 1_830, answered: 1_800, ended: 2_400)
        let strictMoved = strict.resolve(shifts: (Self.hour, Self.hour, Self.hour))
        #expect(strictMoved)
        #expect(strict.answered! - strict.arrived == 3_570)
        // An abandonment's end within its minute, no answer.
        var left = ClockChangePairing(arrived: 1_830, answered: nil, ended: 1_800, slack: (0, 59))
        let leftMoved = left.resolve(shifts: (Self.hour, 0, Self.hour))
        #expect(!leftMoved)
        // 60 s before is out of the minute: the other reading is taken.
        var outside = ClockChangePairing(arrived: 1_860, answered: 1_800, ended: nil, slack: (59, 0))
        let outsideMoved = outside.resolve(shifts: (Self.hour, Self.hour, 0))
        #expect(outsideMoved && outside.answered == 1_800 + Self.hour)
    }

    @Test func theOtherReadingShiftOfEachClockChange() throws {
        let rules = try TimeZoneRules(identifier: "Europe/London")
        var parser = TimestampParser(rules: rules)
        func parsed(_ text: String) -> ParsedTimestamp? { text.utf8CString.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0.dropLast())) } }
        let repeated = try #require(parsed("2019-10-27 01:30:00"))
        #expect(repeated.kind == .repeated && rules.otherReadingShift(ofUTC: repeated.utcSeconds, kind: repeated.kind) == Self.hour)
        let skipped = try #require(parsed("2019-03-31 01:30:00"))
        #expect(skipped.kind == .skipped && rules.otherReadingShift(ofUTC: skipped.utcSeconds, kind: skipped.kind) == -Self.hour)
        let unique = try #require(parsed("2019-10-27 02:30:00"))
        #expect(rules.otherReadingShift(ofUTC: unique.utcSeconds, kind: unique.kind) == 0)
    }

    /// Naive times in a plain contacts file across both 2019 clock changes.
    @Test(arguments: [1, 2])
    func plainRowsAcrossBothClockChanges(threads: Int) throws {
        let csv = """
        contact_id,channel,arrived_at,answered_at,ended_at,outcome
        A1,101,2019-10-27 01:50:00,2019-10-27 01:05:00,2019-10-27 01:09:00,answered
        A2,101,2019-10-27 01:59:50,2019-10-27 02:00:10,2019-10-27 02:03:10,answered
        A3,101,2019-10-27 01:10:00,2019-10-27 01:20:00,2019-10-27 01:25:00,answered
        A4,101,2019-10-27 01:59:00,,2019-10-27 01:01:00,abandoned
        S1,999,2019-03-31 00:59:50,2019-03-31 01:00:10,2019-03-31 02:05:00,answered
        S2,999,2019-03-31 01:30:00,2019-03-31 02:10:00,2019-03-31 02:20:00,answered

        """
        var options = TestSupport.options(grain: .local(.day), threads: threads, blockSize: 4096)
        options.threads = threads
        let result = try TestSupport.ingest([TestSupport.temporaryFile(csv)], options)
        let report = Report(cube: result.cube, period: .day, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
        #expect(report.ledger.rowsRejected == 0 && report.ledger.rowsAccepted == 6)
        #expect(report.ledger.repeatedLocalTimes == 9 && report.ledger.skippedLocalTimes == 2)
        // A1 (answer after the change), A2 (arrival before it), A4 (abandonment after it), S2 (arrival read as BST)
        #expect(report.ledger.pairedAcrossClockChange == 4)
        let days = Dictionary(uniqueKeysWithValues: report.periods.map { ($0.label, $0) })
        let autumn = try #require(days["2019-10-27"]?.channel("101"))
        // waits: A1 15 min, A2 20 s, A3 10 min; A4 abandoned after 2 min
        #expect(autumn.answered == 3 && autumn.asaSeconds == Double(900 + 20 + 600) / 3 && autumn.maxWaitSeconds == 900)
        #expect(autumn.meanAbandonWaitSeconds == 120)
        let spring = try #require(days["2019-03-31"]?.channel("999"))
        // S1: 01:00:10 does not exist, read as 02:00:10 BST: 20 s; S2: arrival 01:30 read as BST (00:30 UTC): 40 min
        #expect(spring.answered == 2 && spring.asaSeconds == Double(20 + 2_400) / 2)
    }

    /// An arrival with seconds answered in its own minute by a time without them (an ACD's arrival, a desk
    /// system's answer), in the repeated hour: a wait of 0 s, as on any other night (it was 59 min 30 s).
    @Test(arguments: [1, 2])
    func anAnswerWithoutSecondsInTheArrivalsMinute(threads: Int) throws {
        let csv = """
        contact_id,channel,arrived_at,answered_at,ended_at,outcome
        M5,101,25/10/2020 01:30:30,25/10/2020 01:30,25/10/2020 01:40,answered
        M6,999,25/10/2020 01:30:30,,25/10/2020 01:30,abandoned
        M7,999,25/10/2020 01:30:30,25/10/2020 01:30,25/10/2020 01:30:50,answered
        M8,999,25/10/2020 01:59:30,25/10/2020 01:00,25/10/2020 01:01,answered

        """
        var options = TestSupport.options(grain: .local(.day), threads: threads, blockSize: 64)
        options.dateOrder = .dayFirst
        let result = try TestSupport.ingest([TestSupport.temporaryFile(csv)], options)
        let report = Report(cube: result.cube, period: .day, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
        #expect(report.ledger.rowsRejected == 0 && report.ledger.rowsAccepted == 4)
        // M8 alone: its answer at 01:00 is in the repeated hour after an arrival at 01:59:30 (a wait of 30 s).
        #expect(report.ledger.pairedAcrossClockChange == 1)
        let day = try #require(report.periods.first)
        let nonEmergency = try #require(day.channel("101"))
        #expect(nonEmergency.asaSeconds == 0 && nonEmergency.meanHandleSeconds == 600)
        let emergency = try #require(day.channel("999"))
        #expect(emergency.answered == 2 && emergency.asaSeconds == 15 && emergency.maxWaitSeconds == 30)
        #expect(emergency.meanAbandonWaitSeconds == 0)
    }

    @Test func mappedRowsWithAnAbandonmentColumn() throws {
        let text = """
        queue;start;pickup;left;finish;result
        101;2019-10-27 01:58:00;;2019-10-27 01:00:30;;gone
        101;2019-10-27 01:40:00;2019-10-27 01:02:00;;2019-10-27 01:12:00;talked

        """
        let report = try MappedRun.report(text, """
        {"delimiter": "semicolon",
         "columns": {"channel": "queue", "arrived_at": "start", "answered_at": "pickup", "ended_at": "finish",
                     "abandoned_at": "left", "outcome": "result"},
         "outcomes": {"gone": "abandoned", "talked": "answered"}}
        """, period: .day)
        #expect(report.ledger.rowsRejected == 0 && report.ledger.pairedAcrossClockChange == 2)
        let day = try #require(report.periods.first?.channel("101"))
        #expect(day.meanAbandonWaitSeconds == 150 && day.asaSeconds == 1_320 && day.meanHandleSeconds == 600)
    }

    /// A mapped answer without seconds in its arrival's minute, and one within the config's clock skew,
    /// in the repeated hour: waits of 0 s.
    @Test func mappedTimesWithinTheirMinuteOrTheSkew() throws {
        let text = """
        queue,start,pickup,finish
        101,2020-10-25 01:30:30,2020-10-25 01:30,2020-10-25 01:40
        101,2020-10-25 01:30:30,2020-10-25 01:30:28,2020-10-25 01:40:30

        """
        let report = try MappedRun.report(text, """
        {"clock_skew_seconds": 5,
         "columns": {"channel": "queue", "arrived_at": "start", "answered_at": "pickup", "ended_at": "finish"}}
        """, period: .day)
        #expect(report.ledger.rowsRejected == 0 && report.ledger.pairedAcrossClockChange == 0)
        let day = try #require(report.periods.first?.channel("101"))
        #expect(day.answered == 2 && day.asaSeconds == 0 && day.maxWaitSeconds == 0)
    }

    /// Times a fraction of a second out of order in the repeated hour: waits of 0 s, as on any other day (judged
    /// on whole seconds, the answer took its other reading and the wait became 3,599 s: the review of 7 December 2026).
    @Test func timesAFractionOfASecondApartKeepTheirReadings() throws {
        let csv = """
            contact_id,channel,arrived_at,answered_at,ended_at,outcome
            A1,999,2019-10-27 01:30:01.100,2019-10-27 01:30:00.900,2019-10-27 01:35:00.000,answered
            A2,999,2019-10-27 01:30:01.100,,2019-10-27 01:30:00.900,abandoned
            A3,101,2019-10-27 01:30:01.100,2019-10-27 01:30:00.900,2019-10-27 01:30:00.950,answered

            """
        let report = try TestSupport.report(csv, period: .day)
        #expect(report.ledger.rowsRejected == 0 && report.ledger.pairedAcrossClockChange == 0)
        let emergency = try #require(report.periods.first?.channel("999")), calls = try #require(report.periods.first?.channel("101"))
        #expect(emergency.maxWaitSeconds == 0 && calls.maxWaitSeconds == 0 && calls.meanHandleSeconds == 0)
        let mapped = try MappedRun.report(csv.replacingOccurrences(of: "arrived_at", with: "start"),
                                          #"{"columns": {"arrived_at": "start"}}"#, period: .day)
        #expect(mapped.ledger.pairedAcrossClockChange == 0 && mapped.periods.first?.channel("999")?.maxWaitSeconds == 0)
    }
}

/// Times in whole minutes (`01/04/2019 08:15`): a wait is known to ±59 s, so no service level is measured
/// from them (`Ledger.minuteResolutionSources`).
@Suite struct MinuteResolutionTests {
    private static func report(_ csv: String, threads: Int = 2) throws -> Report {
        var options = TestSupport.options(threads: threads, blockSize: 128)
        options.dateOrder = .dayFirst
        let result = try TestSupport.ingest([TestSupport.temporaryFile(csv)], options)
        return Report(cube: result.cube, period: .month, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
    }

    @Test(arguments: [1, 2])
    func serviceLevelsFromMinutesAreNotMeasured(threads: Int) throws {
        let report = try Self.report("""
        channel,arrived_at,answered_at,ended_at,outcome
        999,01/04/2019 08:15,01/04/2019 08:15,01/04/2019 08:20,answered
        999,01/04/2019 08:16,01/04/2019 08:17,01/04/2019 08:20,answered
        101,01/04/2019 09:00,01/04/2019 09:01,,answered
        101,01/04/2019 09:00,01/04/2019 09:05,,answered

        """, threads: threads)
        #expect(report.ledger.minuteResolutionSources == 1 && report.ledger.notes.count == 1)
        #expect(report.ledger.notes.first?.hasSuffix("times in whole minutes (no seconds); waits timed from them are whole minutes, each within ±59 s (a p50 of 00:00 "
                                                        + "is a wait under a minute); service levels (whatever their threshold) and the answer-time "
                                                        + "bands are not measured where its contacts are") == true)
        let emergency = try #require(report.periods.first?.channel("999"))
        #expect(emergency.serviceLevel == nil && emergency.serviceLevelThresholdSeconds == 10 && emergency.asaSeconds == 30)
        #expect(emergency.answeredUnder10sShare == nil)
        let nonEmergency = try #require(report.periods.first?.channel("101"))
        // Nor 60 s: a wait read as 1 minute may be 61–119 s (a review's 101 queue read 53.9% within 60 s for a true 42.7%).
        #expect(nonEmergency.serviceLevel == nil && nonEmergency.serviceLevelThresholdSeconds == 60 && nonEmergency.asaSeconds == 180)
    }

    /// A run with an input in whole minutes and one with seconds: the periods only the second covers keep
    /// their service level (before, one input in minutes blanked it everywhere), and a period with more than
    /// a tenth of its waits from the first does not.
    @Test func periodsWithSecondsKeepTheirServiceLevel() throws {
        var options = TestSupport.options(threads: 2, blockSize: 128)
        options.dateOrder = .dayFirst
        let minutes = TestSupport.temporaryFile("""
        channel,arrived_at,answered_at
        999,01/03/2019 08:15,01/03/2019 08:16
        999,01/03/2019 08:20,01/03/2019 08:20
        999,30/04/2019 08:20,30/04/2019 08:21

        """)
        var rows = ["channel,arrived_at,answered_at"]
        for month in [4, 5] {
            for day in 1...20 {
                let date = String(format: "%02d/%02d/2019", day, month)
                rows.append("999,\(date) 09:00:00,\(date) 09:00:\(day % 2 == 0 ? "05" : "25")")
            }
        }
        let seconds = TestSupport.temporaryFile(rows.joined(separator: "\n") + "\n")
        let result = try TestSupport.ingest([minutes, seconds], options)
        let report = Report(cube: result.cube, period: .month, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
        #expect(report.ledger.minuteResolutionSources == 1)
        // March: minutes only. April: 20 waits with seconds and one of a whole minute (1 in 21, within a tenth).
        // May: seconds only.
        let levels = report.periods.map { $0.channel("999")?.serviceLevel }
        #expect(levels == [nil, 10.0 / 21, 0.5], "\(levels)")
        var mixed = ContactCell()
        mixed.answerWaits.add(seconds: 5, count: 8)
        mixed.answerWaits.add(seconds: 60, count: 2)
        #expect(!ChannelMetrics.waitsShowSeconds(mixed))  // 2 of 10 in whole minutes
        mixed.answerWaits.add(seconds: 7, count: 10)
        mixed.abandonWaits.add(seconds: 0, count: 50)
        #expect(ChannelMetrics.waitsShowSeconds(mixed))  // 2 of 20 (waits of 0 s tell nothing)
        var zeros = ContactCell()
        zeros.answerWaits.add(seconds: 0, count: 5)
        #expect(!ChannelMetrics.waitsShowSeconds(zeros))
    }

    /// A system that keeps minutes and writes seconds 00 on every time is in whole minutes too; a file
    /// with round arrivals answered a few seconds later is not.
    @Test func secondsOfZeroOnEveryTimeAreWholeMinutes() throws {
        let zeros = try Self.report("""
        channel,arrived_at,answered_at
        999,2019-04-01 08:15:00,2019-04-01 08:15:00
        999,2019-04-01 08:16:00,2019-04-01 08:17:00

        """)
        #expect(zeros.ledger.minuteResolutionSources == 1 && zeros.periods.first?.channel("999")?.serviceLevel == nil)
        #expect(zeros.ledger.notes.first?.contains("times in whole minutes (seconds 00 on every time)") == true, "\(zeros.ledger.notes)")
        let round = try Self.report("""
        channel,arrived_at,answered_at,ended_at
        999,2019-04-01 08:15:00,2019-04-01 08:15:05,2019-04-01 08:20:00
        999,2019-04-01 08:16:00,2019-04-01 08:16:30,2019-04-01 08:20:00

        """)
        #expect(round.ledger.minuteResolutionSources == 0 && round.periods.first?.channel("999")?.serviceLevel == 0.5)
        var times = MinuteTimes()
        for second in 0..<60 { times.countSeconds(onTheMinute: second == 0) }
        #expect(!times.areWholeMinutes(rows: 20))
        for _ in 0..<600 { times.countSeconds(onTheMinute: true) }
        #expect(times.areWholeMinutes(rows: 300) && !times.areWholeMinutes(rows: 700))
    }

    @Test func timesWithSecondsAreNotFlagged() throws {
        let report = try Self.report("""
        channel,arrived_at,answered_at
        999,01/04/2019 08:15:00,01/04/2019 08:15:05
        999,01/04/2019 08:16,01/04/2019 08:16:30

        """)
        // The file is not in whole minutes; but half the cell's waits are timed from a time without seconds.
        #expect(report.ledger.minuteResolutionSources == 0 && report.periods.first?.channel("999")?.serviceLevel == nil)
    }

    /// Arrivals without seconds and answers with them: every wait looks like seconds (7 s, 45 s) but is
    /// known to ±59 s only. Each such row marks its wait (`ContactCounters.minuteTimedWaits`), so its cell
    /// shows no service level under a minute, and cells of other inputs with seconds, waits of 0 s
    /// included, keep theirs. Before, the first showed 60% ≤ 10 s and the second `—`.
    @Test(arguments: [1, 2])
    func waitsTimedFromTimesWithoutSecondsAreMarkedRowByRow(threads: Int) throws {
        var options = TestSupport.options(threads: threads, blockSize: 128)
        options.dateOrder = .dayFirst
        let minuteArrivals = TestSupport.temporaryFile("""
        channel,arrived_at,answered_at
        999,01/04/2019 08:15,01/04/2019 08:15:07
        999,01/04/2019 08:16,01/04/2019 08:16:45
        999,01/04/2019 08:17,01/04/2019 08:17:05

        """)
        let zeroWaits = TestSupport.temporaryFile("""
        channel,arrived_at,answered_at
        999,01/05/2019 08:15:03,01/05/2019 08:15:03
        999,01/05/2019 08:16:01,01/05/2019 08:16:01

        """)
        let result = try TestSupport.ingest([minuteArrivals, zeroWaits], options)
        let report = Report(cube: result.cube, period: .month, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
        #expect(report.ledger.minuteResolutionSources == 1 && report.ledger.minuteSourcesWithoutRowMarks == 0)
        let april = try #require(report.periods.first?.channel("999")), may = try #require(report.periods.last?.channel("999"))
        #expect(april.serviceLevel == nil && april.answeredUnder10sShare == nil && april.asaSeconds == 19)
        #expect(may.serviceLevel == 1 && may.answeredUnder10sShare == 1)
        let cells = result.cube.contacts.values.map(\.counters.minuteTimedWaits).sorted()
        #expect(cells == [0, 3])
    }

    /// An answer or end without seconds in the minute of the time before it (arrived 08:15:30, answered
    /// 08:15) is any second of that minute, that time's or after: the wait or handle time is 0, timed in
    /// minutes. Before, the row was rejected as a negative wait. A minute before that minute, or a time
    /// with seconds before an arrival without them, is still before it.
    @Test(arguments: [1, 2])
    func aTimeWithoutSecondsInTheMinuteBeforeItIsNotBeforeIt(threads: Int) throws {
        let report = try Self.report("""
        channel,arrived_at,answered_at,ended_at,outcome
        999,01/04/2019 08:15:30,01/04/2019 08:15,01/04/2019 08:20,answered
        999,01/04/2019 08:16:59,,01/04/2019 08:16,abandoned
        999,01/04/2019 08:17:40,01/04/2019 08:17:50,01/04/2019 08:17,answered
        999,01/04/2019 08:18:30,01/04/2019 08:17,,answered
        999,01/04/2019 08:19,01/04/2019 08:18:30,,answered
        999,01/04/2019 08:20:30,01/04/2019 08:20:40,01/04/2019 08:19,answered

        """, threads: threads)
        #expect(report.ledger.rowsAccepted == 3 && report.ledger.rejectedByReason == ["negative_wait": 2, "negative_handle_time": 1],
                "\(report.ledger.rejectedByReason)")
        let emergency = try #require(report.periods.first?.channel("999"))
        #expect(emergency.answered == 2 && emergency.abandoned == 1 && emergency.asaSeconds == 5 && emergency.meanAbandonWaitSeconds == 0)
        #expect(emergency.meanHandleSeconds == 150)  // 08:15 to 08:20, and 0

        let mapped = try MappedRun.report("""
        line,date,start,pickup,gone,outcome
        999,20190401,08:15:30,08:15,,answered
        999,20190401,08:16:59,,08:16,abandoned
        999,20190401,08:18:30,08:17,,answered

        """, """
        {"columns": {"channel": "line", "outcome": "outcome",
                     "arrived_at": {"date": "date", "date_format": "YYYYMMDD", "time": "start", "time_format": "HH:MM:SS"},
                     "answered_at": {"date": "date", "date_format": "YYYYMMDD", "time": "pickup", "time_format": "HH:MM"},
                     "abandoned_at": {"date": "date", "date_format": "YYYYMMDD", "time": "gone", "time_format": "HH:MM"}}}
        """)
        #expect(mapped.ledger.rowsAccepted == 2 && mapped.ledger.rejectedByReason == ["negative_wait": 1], "\(mapped.ledger.rejectedByReason)")
        let mappedEmergency = try #require(mapped.periods.first?.channel("999"))
        #expect(mappedEmergency.asaSeconds == 0 && mappedEmergency.meanAbandonWaitSeconds == 0)
        // Times written whole in one column each.
        let whole = try MappedRun.report("""
        line,start,pickup,outcome
        999,2019-04-01 08:15:30,2019-04-01 08:15,answered
        999,2019-04-01 08:18:30,2019-04-01 08:17,answered
        999,2019-04-01 08:19,2019-04-01 08:18:30,answered

        """, #"{"columns": {"channel": "line", "outcome": "outcome", "arrived_at": "start", "answered_at": "pickup"}}"#)
        #expect(whole.ledger.rowsAccepted == 1 && whole.ledger.rejectedByReason == ["negative_wait": 2], "\(whole.ledger.rejectedByReason)")
    }

    @Test func aSplitTimeFormatWithoutSecondsIsInWholeMinutes() throws {
        let report = try MappedRun.report("""
        line,date,start,pickup
        999,20190401,08:15,08:16

        """, """
        {"columns": {"channel": "line",
                     "arrived_at": {"date": "date", "date_format": "YYYYMMDD", "time": "start", "time_format": "HH:MM"},
                     "answered_at": {"date": "date", "date_format": "YYYYMMDD", "time": "pickup", "time_format": "HH:MM"}}}
        """)
        #expect(report.ledger.minuteResolutionSources == 1 && report.periods.first?.channel("999")?.serviceLevel == nil)
    }

    /// Arrivals in whole minutes with the answer given as seconds after the arrival, and the end after the
    /// answer (so not every wait is a duration): an answered contact's wait is exact, so its row is not
    /// marked, the file gets no note, and the 10-second service level is measured (it was `—`).
    @Test func anAnswerGivenAsAnOffsetFromAMinuteArrivalIsExact() throws {
        let report = try MappedRun.report("""
        queue,d,t_in,wait_s,talk
        999,01/04/2019,08:15,7,300
        999,01/04/2019,08:16,45,300
        999,01/04/2019,08:17,5,300

        """, """
        {"columns": {"channel": "queue",
                     "arrived_at": {"date": "d", "date_format": "DD/MM/YYYY", "time": "t_in", "time_format": "HH:MM"},
                     "answered_at": {"offset_from": "arrived_at", "column": "wait_s", "unit": "s"},
                     "ended_at": {"offset_from": "answered_at", "column": "talk", "unit": "s"}}}
        """)
        #expect(report.ledger.minuteResolutionSources == 0 && report.ledger.notes.isEmpty, "\(report.ledger.notes)")
        let emergency = try #require(report.periods.first?.channel("999"))
        #expect(emergency.serviceLevel == 2.0 / 3 && emergency.answeredUnder10sShare == 2.0 / 3)
        // Cisco's way: the end in minutes, the arrival that less the duration, the answer a delay after it.
        let cisco = try MappedRun.report("""
        queue,end,duration,delay
        999,2019-04-01 08:20,300,7
        999,2019-04-01 08:21,300,45
        999,2019-04-01 08:22,20,20

        """, """
        {"columns": {"channel": "queue", "ended_at": "end",
                     "arrived_at": {"offset_from": "ended_at", "column": "duration", "unit": "s", "before": true},
                     "answered_at": {"offset_from": "arrived_at", "column": "delay", "unit": "s"}}}
        """)
        #expect(cisco.ledger.notes.isEmpty && cisco.periods.first?.channel("999")?.serviceLevel == 1.0 / 3, "\(cisco.ledger.notes)")
    }

    /// An answered contact's wait is of its arrival and answer: an end time without seconds (a handle time
    /// in minutes) does not mark it; an abandoned contact's is of its arrival and end, and does. A file with
    /// a few such waits says so in a note (a period where they are many shows `—`).
    @Test func anEndTimeWithoutSecondsMarksOnlyAnAbandonsWait() throws {
        let report = try Self.report("""
        channel,arrived_at,answered_at,ended_at,outcome
        999,01/04/2019 08:15:00,01/04/2019 08:15:05,01/04/2019 08:20,answered
        999,01/04/2019 08:16:00,01/04/2019 08:16:30,01/04/2019 08:20,answered
        999,01/05/2019 08:16:00,,01/05/2019 08:17,abandoned
        999,01/05/2019 08:18:00,01/05/2019 08:18:04,01/05/2019 08:20:00,answered

        """)
        #expect(report.ledger.minuteResolutionSources == 0)
        #expect(report.ledger.notes == [report.ledger.sources[0].path + ": 1 wait is timed from a time without seconds (within ±59 s); service levels "
                                        + "(whatever their threshold) and the answer-time bands are not measured in a period and channel where such "
                                        + "waits are more than 1 in 20"], "\(report.ledger.notes)")
        let levels = report.periods.map { $0.channel("999")?.serviceLevel }
        #expect(levels == [0.5, nil], "\(levels)")
    }
}
