import Testing
@testable import ContactMetrics

private let header = "contact_id,channel,arrived_at,answered_at,ended_at,outcome,category\n"

/// Ten 101 calls on one day, waits chosen by hand:
/// answered with waits 5, 20, 30, 60, 61, 120, 400 (handle 100 s each); abandoned after 3 and 90 s; one transferred.
private let tenCalls = header + """
1,101,2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,2019-04-01T10:01:45Z,answered,
2,101,2019-04-01T10:00:00Z,2019-04-01T10:00:20Z,2019-04-01T10:02:00Z,answered,
3,101,2019-04-01T10:00:00Z,2019-04-01T10:00:30Z,2019-04-01T10:02:10Z,answered,
4,101,2019-04-01T10:00:00Z,2019-04-01T10:01:00Z,2019-04-01T10:02:40Z,answered,
5,101,2019-04-01T10:00:00Z,2019-04-01T10:01:01Z,2019-04-01T10:02:41Z,answered,
6,101,2019-04-01T10:00:00Z,2019-04-01T10:02:00Z,2019-04-01T10:03:40Z,answered,
7,101,2019-04-01T10:00:00Z,2019-04-01T10:06:40Z,2019-04-01T10:08:20Z,answered,
8,101,2019-04-01T10:00:00Z,,2019-04-01T10:00:03Z,abandoned,
9,101,2019-04-01T10:00:00Z,,2019-04-01T10:01:30Z,abandoned,
10,101,2019-04-01T10:00:00Z,2019-04-01T10:00:10Z,2019-04-01T10:05:00Z,transferred,

"""

@Suite struct MetricsTests {
    @Test func volumesRatesAndWaits() throws {
        let report = try TestSupport.report(tenCalls)
        let calls = try #require(report.periods.first?.channel("101"))
        #expect(calls.received == 10)
        #expect(calls.answered == 7)
        #expect(calls.abandoned == 2)
        #expect(calls.other == 1)
        #expect(calls.shortAbandoned == 0)
        #expect(calls.abandonRate == 0.2)
        // (5 + 20 + 30 + 60 + 61 + 120 + 400) / 7 = 696 / 7
        #expect(calls.asaSeconds == 696.0 / 7.0)
        // nearest rank over 7 waits: p50 = 4th (60), p90 = ⌈6.3⌉ = 7th (400), p95 = 7th
        #expect(calls.answerP50Seconds == 60)
        #expect(calls.answerP90Seconds == 400)
        #expect(calls.answerP95Seconds == 400)
        #expect(calls.maxWaitSeconds == 400)
        #expect(calls.meanHandleSeconds == 100)
        // (3 + 90) / 2
        #expect(calls.meanAbandonWaitSeconds == 46.5)
    }

    /// Without answer times (no answered_at column) the longest wait is not the abandons' longest (it showed 00:30).
    @Test func maxWaitNeedsWaitsOfBothKinds() throws {
        let noAnswerTimes = "contact_id,channel,arrived_at,outcome,ended_at\n1,999,2020-04-01 08:00:01,answered,2020-04-01 08:05:01\n"
            + "2,999,2020-04-01 08:10:01,abandoned,2020-04-01 08:10:31\n"
        let untimed = try #require(try TestSupport.report(noAnswerTimes).periods.first?.channel("999"))
        #expect(untimed.maxWaitSeconds == nil && untimed.abandoned == 1)
        let abandonsOnly = "contact_id,channel,arrived_at,outcome,ended_at\n2,999,2020-04-01 08:10:01,abandoned,2020-04-01 08:10:31\n"
        #expect(try TestSupport.report(abandonsOnly).periods.first?.channel("999")?.maxWaitSeconds == 30)
    }

    @Test func serviceLevelFormulas() throws {
        // T = 60 for 101: answered within 60 s = 5, 20, 30, 60 → 4; abandoned within 60 s: the 3 s one.
        var options = MetricOptions()
        #expect(try TestSupport.report(tenCalls, metricOptions: options).periods[0].channel("101")?.serviceLevel == 0.4)
        options.serviceLevelFormula = .ignoreAbandons
        #expect(try TestSupport.report(tenCalls, metricOptions: options).periods[0].channel("101")?.serviceLevel == 4.0 / 7.0)
        options.serviceLevelFormula = .abandonsInFavour
        #expect(try TestSupport.report(tenCalls, metricOptions: options).periods[0].channel("101")?.serviceLevel == 0.5)
    }

    /// Five 999 calls checked by hand, T = 10 s: answered after 3, 8 and 40 s; abandoned after 15 and 30 s.
    @Test func serviceLevelDefinitionsOfTheVendors() throws {
        let fiveCalls = header + """
            1,999,2019-04-01T10:00:00Z,2019-04-01T10:00:03Z,2019-04-01T10:01:00Z,answered,
            2,999,2019-04-01T10:00:00Z,2019-04-01T10:00:08Z,2019-04-01T10:01:00Z,answered,
            3,999,2019-04-01T10:00:00Z,2019-04-01T10:00:40Z,2019-04-01T10:01:00Z,answered,
            4,999,2019-04-01T10:00:00Z,,2019-04-01T10:00:15Z,abandoned,
            5,999,2019-04-01T10:00:00Z,,2019-04-01T10:00:30Z,abandoned,

            """
        func level(_ formula: ServiceLevelFormula, short: Int64 = 0, threshold: Int64 = 10, boundary: ServiceLevelBoundary = .le) throws -> Double? {
            var options = MetricOptions()
            options.serviceLevelFormula = formula
            options.shortAbandonSeconds = short
            options.serviceLevelThresholds["999"] = threshold
            options.serviceLevelBoundary = boundary
            return try TestSupport.report(fiveCalls, metricOptions: options).periods[0].channel("999")?.serviceLevel
        }
        // A short-abandon limit above T (20 s): the 15 s abandon is short and leaves the denominator (4 calls);
        // no abandon is both long and within T, so 2 of 4 are within T in favour. (It gave 25%: every short
        // abandon was taken off the abandons within T, of which there were none.)
        #expect(try level(.abandonsInFavour, short: 20) == 0.5)
        #expect(try level(.abandonsInFavour, short: 0, threshold: 20) == 0.6)   // 2 answered + the 15 s abandon, of 5
        #expect(try level(.abandonsInFavour, short: 10, threshold: 20) == 0.6)  // the 15 s abandon is not short
        // Cisco's "ignore abandoned calls": only abandons within T leave the denominator.
        #expect(try level(.ignoreAbandonsWithinThreshold, threshold: 20) == 2.0 / 4.0)
        #expect(try level(.ignoreAbandonsWithinThreshold) == 2.0 / 5.0)         // both abandons after T count against
        #expect(try level(.ignoreAbandons, threshold: 20) == 2.0 / 3.0)         // every abandon leaves
        #expect(try level(.abandonsCountAgainst, threshold: 20) == 2.0 / 5.0)
        // A wait of exactly T: within for ≤ (the default), not for <.
        #expect(try level(.abandonsCountAgainst, threshold: 8) == 2.0 / 5.0)
        #expect(try level(.abandonsCountAgainst, threshold: 8, boundary: .lt) == 1.0 / 5.0)
        #expect(try level(.abandonsInFavour, threshold: 15, boundary: .lt) == 2.0 / 5.0)
    }

    /// `--max-plausible-wait`: a 14.5-hour abandon is rejected with its own reason, not taken as the longest wait.
    @Test func implausibleWaitsAreRejected() throws {
        let csv = header + """
            1,101,2019-04-01T10:00:00Z,2019-04-01T10:30:00Z,2019-04-01T10:35:00Z,answered,
            2,101,2019-04-01T10:00:00Z,,2019-04-02T00:30:00Z,abandoned,
            3,101,2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,2019-04-01T10:01:00Z,answered,
            4,101,2019-04-01T10:00:00Z,2019-04-02T10:00:01Z,2019-04-02T10:01:00Z,answered,

            """
        let plain = try TestSupport.report(csv)
        #expect(plain.ledger.rejectedByReason == ["implausible_duration": 1])
        #expect(plain.periods[0].channel("101")?.maxWaitSeconds == 52_200)
        let limited = try TestSupport.report(csv) { $0.longestWaitSeconds = 3600 }
        #expect(limited.ledger.rejectedByReason == ["implausible_wait": 1, "implausible_duration": 1])
        let calls = try #require(limited.periods[0].channel("101"))
        #expect(calls.received == 2 && calls.maxWaitSeconds == 1800)
        #expect(limited.ledger.rowsRead == limited.ledger.rowsAccepted + limited.ledger.rowsRejected)
    }

    /// `--waits all`: the percentiles of every caller's wait, abandons included, short abandons not.
    @Test func percentilesOfAllCallers() throws {
        let csv = header + """
            1,101,2019-04-01T10:00:00Z,2019-04-01T10:00:10Z,2019-04-01T10:05:00Z,answered,
            2,101,2019-04-01T10:00:00Z,2019-04-01T10:00:20Z,2019-04-01T10:05:00Z,answered,
            3,101,2019-04-01T10:00:00Z,,2019-04-01T10:01:40Z,abandoned,
            4,101,2019-04-01T10:00:00Z,,2019-04-01T10:03:20Z,abandoned,
            5,101,2019-04-01T10:00:00Z,,2019-04-01T10:05:00Z,abandoned,

            """
        func p50(_ waits: PercentileWaits, short: Int64 = 0) throws -> Int64? {
            var options = MetricOptions()
            options.percentileWaits = waits
            options.shortAbandonSeconds = short
            return try TestSupport.report(csv, metricOptions: options).periods[0].channel("101")?.answerP50Seconds
        }
        #expect(try p50(.answered) == 10)            // 10, 20
        #expect(try p50(.all) == 100)                // 10, 20, 100, 200, 300
        #expect(try p50(.all, short: 150) == 20)     // 10, 20, 200, 300: the 100 s abandon is short
        var options = MetricOptions()
        options.percentileWaits = .all
        #expect(try TestSupport.report(csv, metricOptions: options).periods[0].channel("101")?.asaSeconds == 15, "ASA stays the answered mean")
    }

    /// A wait is the whole seconds of the difference of the two exact times (DESIGN §4), not the difference of
    /// their whole seconds: 9.002 s came out as 10 s (out of the Home Office's under-10 s band) and the same
    /// 10.4 s as 10 s or 11 s by the times' fractions (the review of 7 December 2026). The same through a
    /// config whose answer time is an offset in milliseconds from an arrival with a fraction.
    @Test func waitsAreTheWholeSecondsOfTheExactDifference() throws {
        let csv = """
            contact_id,channel,arrived_at,answered_at,ended_at,outcome
            1,999,2019-04-01T08:00:00.000Z,2019-04-01T08:00:10.400Z,2019-04-01T08:01:10.399Z,answered
            2,999,2019-04-01T09:00:00.700Z,2019-04-01T09:00:11.100Z,2019-04-01T09:01:11.100Z,answered
            3,999,2019-04-01T10:00:00.999Z,2019-04-01T10:00:10.001Z,2019-04-01T10:00:11.000Z,answered
            4,999,2019-04-01T11:00:00.900Z,,2019-04-01T11:00:05.100Z,abandoned
            5,999,2019-04-01T12:00:00.600Z,2019-04-01T12:00:00.100Z,,answered

            """
        let calls = try #require(try TestSupport.report(csv).periods[0].channel("999"))
        // Waits 10, 10, 9 and 0 (row 5's -0.5 s truncates to 0, as a wait of 0.5 s would); handle 59, 60, 0.
        #expect(calls.asaSeconds == 29.0 / 4.0 && calls.answeredUnder10sShare == 0.5 && calls.maxWaitSeconds == 10)
        #expect(calls.meanHandleSeconds == 119.0 / 3.0 && calls.meanAbandonWaitSeconds == 4)
        let offsets = """
            id,queue,start,tAnswered,tAbandon
            1,999,2019-04-01T08:00:00.700Z,10400,
            2,999,2019-04-01T09:00:00.999Z,9002,
            3,999,2019-04-01T10:00:00.500Z,,4600

            """
        let config = #"{"columns": {"contact_id": "id", "channel": "queue", "arrived_at": "start", "#
            + #""answered_at": {"offset_from": "arrived_at", "column": "tAnswered", "unit": "ms"}, "#
            + #""ended_at": {"offset_from": "arrived_at", "column": "tAbandon", "unit": "ms"}}}"#
        let mapped = try #require(try MappedRun.report(offsets, config).periods[0].channel("999"))
        #expect(mapped.asaSeconds == 9.5 && mapped.answeredUnder10sShare == 0.5 && mapped.meanAbandonWaitSeconds == 4)
        // Handle time and wrap-up add up as their exact sum does: 100.6 s + 20.6 s is 121 s, not 100 + 20 (and a
        // handle time of -0.5 s, 0 s, adds none of its own).
        let wrapped = """
            contact_id,channel,arrived_at,answered_at,ended_at,outcome,wrap_up_seconds
            1,101,2019-04-01T08:15:00Z,2019-04-01T08:15:05Z,2019-04-01T08:16:45.600Z,answered,20.6
            2,101,2019-04-01T08:15:00Z,2019-04-01T08:15:05.500Z,2019-04-01T08:15:05Z,answered,1.9

            """
        let wrappedCalls = try #require(try TestSupport.report(wrapped).periods[0].channel("101"))
        #expect(wrappedCalls.meanHandleSeconds == 50 && wrappedCalls.meanHandleWithWrapUpSeconds == 61)
    }

    /// After-call work: handle time with wrap-up (AHT as the vendors count it) over the answered contacts that
    /// give it, from a plain `wrap_up_seconds` column and from a config's duration column in milliseconds.
    @Test func handleTimeWithWrapUp() throws {
        let csv = """
            contact_id,channel,arrived_at,answered_at,ended_at,outcome,wrap_up_seconds
            1,101,2019-04-01T10:00:00Z,2019-04-01T10:00:10Z,2019-04-01T10:05:00Z,answered,60
            2,101,2019-04-01T10:00:00Z,2019-04-01T10:00:20Z,2019-04-01T10:10:00Z,answered,
            3,101,2019-04-01T10:00:00Z,2019-04-01T10:00:20Z,2019-04-01T10:02:00Z,answered,30.5
            4,101,2019-04-01T10:00:00Z,,2019-04-01T10:02:00Z,abandoned,99
            5,101,2019-04-01T10:00:00Z,2019-04-01T10:00:20Z,2019-04-01T10:02:00Z,answered,soon

            """
        let report = try TestSupport.report(csv)
        let calls = try #require(report.periods[0].channel("101"))
        // Handle 290 + 60 and 100 + 30 (fractions truncated); row 2 has no wrap-up, row 4 is not answered.
        #expect(calls.meanHandleWithWrapUpSeconds == 240 && calls.wrapUpCount == 2)
        let meanHandle: Double = (290.0 + 580.0 + 100.0) / 3.0
        #expect(calls.meanHandleSeconds == meanHandle)
        #expect(report.ledger.rejectedByReason == ["invalid_field": 1])
        // The same through a config, the duration in milliseconds.
        var milliseconds = csv.replacingOccurrences(of: "wrap_up_seconds", with: "tAcw")
        milliseconds = milliseconds.replacingOccurrences(of: ",60\n", with: ",60000\n")
        milliseconds = milliseconds.replacingOccurrences(of: ",30.5\n", with: ",30500\n")
        let mapped = try MappedRun.report(milliseconds, #"{"columns": {"wrap_up_seconds": {"column": "tAcw", "unit": "ms"}}}"#)
        #expect(mapped.periods[0].channel("101")?.meanHandleWithWrapUpSeconds == 240)
        // --dedupe takes a repeated row's wrap-up out with the rest of it.
        let repeated = csv.replacingOccurrences(of: "5,101,2019-04-01T10:00:00Z,2019-04-01T10:00:20Z,2019-04-01T10:02:00Z,answered,soon",
                                                with: "1,101,2019-04-01T10:00:00Z,2019-04-01T10:00:10Z,2019-04-01T10:01:00Z,answered,500")
        let deduped = try TestSupport.report(repeated) { $0.dedupe = true }
        #expect(deduped.periods[0].channel("101")?.meanHandleWithWrapUpSeconds == 240)
        #expect(try TestSupport.report(repeated).periods[0].channel("101")?.wrapUpCount == 3)
    }

    @Test func shortAbandonsLeaveTheDenominators() throws {
        var options = MetricOptions()
        options.shortAbandonSeconds = 5
        let calls = try #require(try TestSupport.report(tenCalls, metricOptions: options).periods[0].channel("101"))
        #expect(calls.shortAbandoned == 1)
        #expect(calls.abandoned == 1)
        #expect(calls.received == 10)
        #expect(calls.abandonRate == 1.0 / 9.0)
        #expect(calls.serviceLevel == 4.0 / 9.0)
        #expect(calls.meanAbandonWaitSeconds == 90)
        // received = answered + abandoned + short + other
        #expect(calls.received == calls.answered! + calls.abandoned! + calls.shortAbandoned! + calls.other!)
    }

    @Test func homeOfficeBands() throws {
        let report = try TestSupport.report(tenCalls)
        let calls = try #require(report.periods[0].channel("101"))
        // under 10 s: 5 → 1; 10 to < 60: 20, 30 → 2; 60 +: 60, 61, 120, 400 → 4
        #expect(calls.answeredUnder10sShare == 1.0 / 7.0)
        #expect(calls.answered10To60sShare == 2.0 / 7.0)
        #expect(calls.answered60sPlusShare == 4.0 / 7.0)
    }

    @Test func outcomeDerivedFromTimestampsWhenAbsent() throws {
        let csv = "channel,arrived_at,answered_at,ended_at\n"
            + "999,2019-04-01T10:00:00Z,2019-04-01T10:00:08Z,2019-04-01T10:05:00Z\n"
            + "999,2019-04-01T10:00:00Z,,2019-04-01T10:00:30Z\n"
        let calls = try #require(try TestSupport.report(csv).periods[0].channel("999"))
        #expect(calls.answered == 1)
        #expect(calls.abandoned == 1)
        #expect(calls.asaSeconds == 8)
        #expect(calls.serviceLevel == 0.5)
    }

    @Test func outcomeLabelsIgnoreCaseAndSurroundingSpaces() throws {
        let rows = ["Answered", "ANSWERED", " answered ", "Abandoned", "ABANDONED", "abandonedx", "answere", "abandone",
                    "answerex", "abandonex", "transferred"]
        var csv = header
        for (index, label) in rows.enumerated() {
            csv += "\(index),999,2019-04-01T10:00:00Z,2019-04-01T10:00:08Z,2019-04-01T10:05:00Z,\(label),\n"
        }
        let calls = try #require(try TestSupport.report(csv).periods[0].channel("999"))
        #expect(calls.answered == 3)
        #expect(calls.abandoned == 2)
        #expect(calls.other == 6)
    }

    @Test func submissionsHaveReceivedAndCategoriesOnly() throws {
        let csv = header + "1,online,2020-04-01T10:00:00+01:00,,,,covid\n2,online,2020-04-02T10:00:00+01:00,,,,covid\n3,Online,2020-04-03T10:00:00+01:00,,,,theft\n"
        let report = try TestSupport.report(csv)
        let online = try #require(report.periods[0].channel("online"))
        #expect(online.isSubmission)
        #expect(online.received == 3)
        #expect(online.categories == ["covid": 2, "theft": 1])
        #expect(online.answered == nil)
        #expect(online.asaSeconds == nil)
        #expect(report.periods[0].totalContacts == 3)
    }

    /// An export without answer times (no `answered_at` column): the service level cannot be known, so it is
    /// nil under every formula (it was 0%); all calls abandoned with their waits known is a real 0%.
    @Test func serviceLevelWithoutAnswerTimesIsNotMeasured() throws {
        let noAnswerTimes = "contact_id,channel,arrived_at,ended_at,outcome\n"
            + "1,101,2019-04-01T10:00:00Z,2019-04-01T10:05:00Z,answered\n2,101,2019-04-01T10:00:00Z,2019-04-01T10:00:40Z,abandoned\n"
        for formula in ServiceLevelFormula.allCases {
            var options = MetricOptions()
            options.serviceLevelFormula = formula
            let calls = try #require(try TestSupport.report(noAnswerTimes, metricOptions: options).periods[0].channel("101"))
            #expect(calls.answered == 1 && calls.serviceLevel == nil && calls.serviceLevelCounts == nil && calls.asaSeconds == nil, "\(formula)")
            let allAbandoned = header + "1,101,2019-04-01T10:00:00Z,,2019-04-01T10:01:30Z,abandoned,\n"
            let abandonedCalls = try #require(try TestSupport.report(allAbandoned, metricOptions: options).periods[0].channel("101"))
            #expect(abandonedCalls.serviceLevel == (formula == .ignoreAbandons ? nil : 0), "\(formula)")
            // Abandons with no end time have no wait: they count against (0.5) or are ignored (1.0), but
            // cannot count in favour.
            let untimedAbandon = header + "1,101,2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,2019-04-01T10:02:00Z,answered,\n"
                + "2,101,2019-04-01T10:00:00Z,,,abandoned,\n"
            let mixedCalls = try #require(try TestSupport.report(untimedAbandon, metricOptions: options).periods[0].channel("101"))
            let expected: Double? = switch formula {
            case .abandonsCountAgainst: 0.5
            case .ignoreAbandons: 1
            case .abandonsInFavour, .ignoreAbandonsWithinThreshold: nil
            }
            #expect(mixedCalls.serviceLevel == expected, "\(formula)")
        }
    }

    /// An export with neither an outcome nor an answer time cannot tell answered from abandoned: its
    /// contacts are `other`, and abandonment and the service level are not measured (not 100% and 0%), in
    /// the plain and the mapped reader and every format.
    @Test func withNeitherOutcomeNorAnswerTimeNothingIsMeasuredAsZero() throws {
        let csv = "contact_id,channel,arrived_at,ended_at\n1,101,2019-04-01T10:00:00Z,2019-04-01T10:05:00Z\n2,999,2019-04-01T10:01:00Z,\n"
        let plain = try TestSupport.report(csv)
        let mapped = try MappedRun.report(csv.replacingOccurrences(of: "channel", with: "line"), #"{"columns": {"channel": "line"}}"#)
        for report in [plain, mapped] {
            for channel in ["101", "999"] {
                let calls = try #require(report.periods[0].channel(channel))
                #expect(calls.received == 1 && calls.other == 1 && calls.answered == 0 && calls.abandoned == 0)
                #expect(calls.abandonRate == nil && calls.serviceLevel == nil && calls.asaSeconds == nil && calls.meanAbandonWaitSeconds == nil)
            }
            let json = report.json().serialized()
            #expect(json.contains("\"abandon_rate\": null") && json.contains("\"service_level\": null") && !json.contains("\"service_level\": 0"))
        }
    }

    /// A period whose calls were all transferred (`other`) has abandonment and a service level of 0, as DESIGN
    /// §4 counts them, whatever the report's other periods hold: judged by whether any contact of the period was
    /// answered or abandoned, the day read as not measured (and a target on it went unjudged), and judged over
    /// the report, as 0% or not measured by the dates around it.
    @Test func aPeriodOfOtherOutcomesOnlyIsMeasured() throws {
        let csv = header + "1,101,2024-05-01T10:00:00Z,,2024-05-01T10:03:00Z,transferred,\n"
            + "2,101,2024-05-01T10:00:00Z,,2024-05-01T10:03:00Z,transferred,\n"
            + "3,101,2024-05-02T10:00:00Z,,2024-05-02T10:03:00Z,transferred,\n"
            + "4,101,2024-05-02T10:00:00Z,,2024-05-02T10:00:30Z,abandoned,\n"
        for from in [nil, "2024-05-01"] as [String?] {
            let report = try TestSupport.report(csv, period: .day) { options in
                options.fromDay = from.flatMap(CivilDate.init(parsing:))?.daysSinceEpoch
            }
            let first = try #require(report.periods[0].channel("101"))
            #expect(first.abandonRate == 0 && first.serviceLevel == 0, "\(from ?? "all")")
        }
        let alone = try TestSupport.report(csv, period: .day) { $0.toDay = CivilDate(year: 2024, month: 5, day: 1).daysSinceEpoch }
        #expect(alone.periods.count == 1 && alone.periods[0].channel("101")?.abandonRate == 0)
        let second = try #require(try TestSupport.report(csv, period: .day).periods[1].channel("101"))
        #expect(second.abandonRate == 0.5 && second.serviceLevel == 0)
    }

    /// Answered contacts without an answer time are left out of the service level's denominator, as they are
    /// of ASA and the answer-time bands, instead of counting as answered too late.
    @Test func serviceLevelLeavesOutAnswersWithoutATime() throws {
        let csv = header + "1,101,2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,2019-04-01T10:02:00Z,answered,\n"
            + "2,101,2019-04-01T10:00:00Z,,2019-04-01T10:02:00Z,answered,\n"
            + "3,101,2019-04-01T10:00:00Z,,2019-04-01T10:01:30Z,abandoned,\n"
        let expected: [ServiceLevelFormula: Double] = [.abandonsCountAgainst: 0.5, .ignoreAbandons: 1, .abandonsInFavour: 0.5,
                                                       .ignoreAbandonsWithinThreshold: 0.5]
        for (formula, level) in expected {
            var options = MetricOptions()
            options.serviceLevelFormula = formula
            let calls = try #require(try TestSupport.report(csv, metricOptions: options).periods[0].channel("101"))
            #expect(calls.answered == 2 && calls.serviceLevel == level && calls.answeredUnder10sShare == 1, "\(formula)")
        }
    }

    @Test func metricsWithoutDataAreNilNotZero() throws {
        let csv = header + "1,101,2019-04-01T10:00:00Z,,2019-04-01T10:01:00Z,abandoned,\n"
        let calls = try #require(try TestSupport.report(csv).periods[0].channel("101"))
        #expect(calls.asaSeconds == nil)
        #expect(calls.answerP90Seconds == nil)
        #expect(calls.answeredUnder10sShare == nil)
        #expect(calls.meanHandleSeconds == nil)
        #expect(calls.abandonRate == 1)
    }

    @Test func contactsBelongToTheLocalPeriodOfTheirArrival() throws {
        // 23:30 UTC on 30 April 2019 is 00:30 BST on 1 May; 23:30 UTC on 31 Dec is still 31 Dec in GMT.
        let csv = header + "1,999,2019-04-30T23:30:00Z,2019-04-30T23:30:05Z,,answered,\n2,999,2019-12-31T23:30:00Z,2019-12-31T23:30:05Z,,answered,\n"
        let report = try TestSupport.report(csv)
        #expect(report.periods.map(\.label) == ["2019-05", "2019-12"])
        let byDay = try TestSupport.report(csv, period: .day)
        #expect(byDay.periods.map(\.label) == ["2019-05-01", "2019-12-31"])
    }

    @Test func incidentsAndNotMeasured() throws {
        let csv = "incident_id,raised_at,deployed,referred_to\n"
            + "1,2019-04-01T10:00:00Z,yes,\n2,2019-04-02T10:00:00Z,no,\n"
            + "3,2020-04-01T10:00:00Z,yes,none\n4,2020-04-01T11:00:00Z,no,Social Services\n5,2020-04-01T12:00:00Z,Y,Social Services\n"
        let report = try TestSupport.report(csv)
        let april2019 = try #require(report.periods.first { $0.label == "2019-04" }?.incidents)
        #expect(april2019.incidents == 2)
        #expect(april2019.deployed == 1)
        #expect(april2019.referred == nil)
        let april2020 = try #require(report.periods.first { $0.label == "2020-04" }?.incidents)
        #expect(april2020.incidents == 3)
        #expect(april2020.deployed == 2)
        #expect(april2020.referred == 2)
        #expect(april2020.referredByAgency == ["Social Services": 2])
    }

    /// The ways exports write "not referred" and "no value" in `referred_to` are not partner agencies: a
    /// reviewer's nine incidents (`none`, `N/A`, `-`, `No`, `NULL`, `Local Authority`, `None`, `not referred`,
    /// `n/a`) were reported as 7 sent to partners, `No` and `NULL` among them.
    @Test func referredToPlaceholdersAreNotAgencies() throws {
        let values = ["none", "N/A", "-", "No", "NULL", "Local Authority", "None", "not referred", "n/a", "FALSE", "0", "n", "NA", "Nil"]
        let csv = "incident_id,raised_at,deployed,referred_to\n"
            + values.enumerated().map { "\($0.offset),2019-04-01T10:00:00Z,yes,\($0.element)\n" }.joined()
            + "100,2019-05-01T10:00:00Z,yes,N/A\n101,2019-05-01T10:00:00Z,yes,null\n"
        let report = try TestSupport.report(csv)
        let april = try #require(report.periods.first { $0.label == "2019-04" }?.incidents)
        #expect(april.incidents == 14 && april.referred == 1 && april.referredByAgency == ["Local Authority": 1])
        let may = try #require(report.periods.first { $0.label == "2019-05" }?.incidents)
        #expect(may.incidents == 2 && may.referred == nil, "placeholders are not recorded referrals")
    }

    /// Partner agencies typed in two cases are one agency in the table's list (found by review).
    @Test func agenciesThatDifferOnlyInCaseAreListedAsOne() throws {
        let csv = "incident_id,raised_at,deployed,referred_to\n1,2019-04-01T10:00:00Z,yes,Social Services\n"
            + "2,2019-04-01T11:00:00Z,yes,social services\n3,2019-04-01T12:00:00Z,yes,Social Services\n4,2019-04-01T13:00:00Z,yes,Mental Health\n"
        let report = try TestSupport.report(csv)
        var rows: [[String]] = []
        report.forEachIncidentRow { rows.append($0) }
        #expect(rows.first?.last == "Social Services 3, Mental Health 1", "\(rows)")
    }

    @Test func dateFilterSkipsRowsAndKeepsTheLedgerBalanced() throws {
        let report = try TestSupport.report(tenCalls, period: .day) { options in
            options.fromDay = CivilDate(year: 2019, month: 4, day: 2).daysSinceEpoch
        }
        #expect(report.periods.isEmpty)
        #expect(report.ledger.rowsSkipped == 10)
        #expect(report.ledger.skippedByReason == ["outside_date_range": 10])
        #expect(report.ledger.rowsRead == report.ledger.rowsAccepted + report.ledger.rowsRejected + report.ledger.rowsSkipped)
    }

    @Test func duplicatesAreCountedAndDedupeRemovesThem() throws {
        let csv = header + "7,101,2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,,answered,\n"
            + "A-1,101,2019-04-01T10:00:00Z,,2019-04-01T10:00:50Z,abandoned,\n"
            + "7,101,2019-04-01T11:00:00Z,2019-04-01T11:00:09Z,,answered,\n"
            + "A-1,101,2019-04-01T11:00:00Z,,2019-04-01T11:09:00Z,abandoned,\n"
        let kept = try TestSupport.report(csv)
        #expect(kept.ledger.duplicateIds == 2)
        #expect(kept.periods[0].channel("101")?.received == 4)
        let deduped = try TestSupport.report(csv) { $0.dedupe = true }
        let calls = try #require(deduped.periods[0].channel("101"))
        #expect(deduped.ledger.duplicateIds == 2)
        #expect(deduped.ledger.skippedByReason == ["duplicate_id": 2])
        #expect(calls.received == 2)
        #expect(calls.asaSeconds == 5)
        #expect(calls.maxWaitSeconds == 50)
    }

    @Test func displayRounding() {
        #expect(DisplayFormat.volume(106_012) == "106k")
        #expect(DisplayFormat.volume(65_499) == "65k")
        #expect(DisplayFormat.volume(1_400) == "1.4k")
        #expect(DisplayFormat.volume(4_012) == "4k")
        #expect(DisplayFormat.volume(9_960) == "10k")
        #expect(DisplayFormat.volume(999) == "999")
        // Millions: 1,000,000 showed as "1000k".
        #expect(DisplayFormat.volume(999_499) == "999k" && DisplayFormat.volume(999_500) == "1M" && DisplayFormat.volume(1_000_000) == "1M")
        #expect(DisplayFormat.volume(1_449_999) == "1.4M" && DisplayFormat.volume(9_960_000) == "10M" && DisplayFormat.volume(12_345_678) == "12M")
        // A fall that leaves some is never "100%" (1,400 calls → 2 read "−100%" and "100% fewer").
        #expect(DisplayFormat.relativePercent(2.0 / 1400 - 1) == "99.8%" && DisplayFormat.relativePercent(-1) == "100%")
        #expect(DisplayFormat.relativePercent(7.0 / 1400 - 1) == "99.5%" && DisplayFormat.relativePercent(8.0 / 1400 - 1) == "99%")
        #expect(DisplayFormat.relativePercent(-0.99999) == "99.9%")
        #expect(DisplayFormat.relativePercent(-0.38) == "38%" && DisplayFormat.relativePercent(0.996) == "100%")
        #expect(DisplayFormat.minutesSeconds(473.4) == "07:53")
        #expect(DisplayFormat.minutesSeconds(9.49) == "00:09")
        #expect(DisplayFormat.minutesSeconds(3599.4) == "59:59")
        #expect(DisplayFormat.minutesSeconds(49386) == "13:43:06")
        #expect(DisplayFormat.minutesSeconds(-3600) == "-1:00:00")
        #expect(DisplayFormat.percent(0.4199) == "42%")
        #expect(DisplayFormat.count(1_234_567) == "1,234,567")
    }
}

/// Daily volumes in `compare` when its windows differ in length.
struct PerDayVolumeTests {
    @Test func smallDailyVolumesKeepTwoSignificantFigures() {
        #expect(Comparison.perDay(1.0 / 30) == "0.033")
        #expect(Comparison.perDay(2.5) == "2.5")
        #expect(Comparison.perDay(0) == "0")
        #expect(Comparison.perDay(9.6) == "10")
        #expect(Comparison.perDay(1_734.4) == "1,734")
    }
}

/// The page's sources line says one call, not "1 calls" (found by the newcomer review).
@Suite struct SourcesLineTests {
    @Test func oneOfAReasonIsSingular() {
        var ledger = Ledger()
        ledger.rowsSkipped = 6
        ledger.skippedByReason = ["not_a_call_event": 5, "open_call": 1]
        #expect(SourcesLine.sentence(ledger: ledger, timeZone: "Europe/London", madeBy: nil).contains("Left out: 5 not a call event and 1 call still open."))
        ledger.skippedByReason = ["open_call": 2, "blank_row": 1]
        #expect(SourcesLine.sentence(ledger: ledger, timeZone: "Europe/London", madeBy: nil).contains("Left out: 2 calls still open and 1 blank row."))
    }
}
