import Testing
@testable import ContactMetrics

/// Hand-computed anchors: 2019-04-01 is day 17987, so 2019-04-01T08:15:02Z is 1554076800 + 29702 = 1554106502.
@Suite struct TimestampParserTests {
    static let london = try! TimeZoneRules(identifier: "Europe/London")
    static let instant: Int64 = 1_554_106_502  // 2019-04-01T08:15:02Z

    func parse(_ text: String, rules: TimeZoneRules = london, order: DateOrder = .yearFirst) -> ParsedTimestamp? {
        var parser = TimestampParser(rules: rules, dateOrder: order)
        return Array(text.utf8).withUnsafeBytes { parser.parse($0) }
    }

    /// The fast path for `DD/MM/YYYY HH:MM:SS` reads what the general path reads: against the same times with a two-digit
    /// year (which only the general path reads), over days that exist and days that do not, both orders, the three
    /// separators, tails, clock changes, and shapes the fast path must pass on (a separator that differs, a letter).
    @Test func theFastDayMonthPathReadsAsTheGeneralPathDoes() {
        var random = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<20_000 {
            let first = Int.random(in: 0...33, using: &random), second = Int.random(in: 0...33, using: &random)
            let year = Int.random(in: 2000...2069, using: &random)
            let hour = Int.random(in: 0...25, using: &random), minute = Int.random(in: 0...61, using: &random)
            let second60 = Int.random(in: 0...61, using: &random)
            let separator = ["/", "-", "."].randomElement(using: &random)!
            let tail = ["", ".250", "Z", " +01:00", " PM", "x"].randomElement(using: &random)!
            let time = String(format: "%02d:%02d:%02d", hour, minute, second60) + tail
            let fast = String(format: "%02d%@%02d%@%04d ", first, separator, second, separator, year) + time
            let general = String(format: "%02d%@%02d%@%02d ", first, separator, second, separator, year % 100) + time
            for order in [DateOrder.dayFirst, .monthFirst] {
                var fastParser = TimestampParser(rules: Self.london, dateOrder: order), generalParser = fastParser
                let read = Array(fast.utf8).withUnsafeBytes { fastParser.parse($0) }
                #expect(read == Array(general.utf8).withUnsafeBytes { generalParser.parse($0) }, "\(fast) \(order)")
                #expect(fastParser.dayMonthDates == generalParser.dayMonthDates && fastParser.minuteTimes == generalParser.minuteTimes, "\(fast)")
                if read != nil { checked += 1 }
            }
        }
        #expect(checked > 1_000)
        // Not the fast path's: each read as the general path reads it, or refused.
        #expect(parse("13/04-2019 10:00:00", order: .dayFirst) == nil)
        #expect(parse("13/04/2019 10:00:00", order: .dayFirst) == parse("13/4/2019 10:00:00", order: .dayFirst))
        #expect(parse("31/03/2019 01:30:00", order: .dayFirst)?.kind == .skipped)
        #expect(parse("27/10/2019 01:30:00", order: .dayFirst)?.kind == .repeated)
    }

    static let explicitInstantsIgnoreTheZoneCases: [(String, Int64)] = [
        ("2019-04-01T08:15:02Z", instant),
        ("2019-04-01T08:15:02z", instant),
        ("2019-04-01 08:15:02Z", instant),
        ("2019-04-01T08:15:02+01:00", instant - 3600),
        ("2019-04-01 08:15:02-0500", instant + 18_000),
        ("2019-04-01T08:15:02+05:30", instant - 19_800),
        ("2019-04-01T08:15:02+05", instant - 18_000),
        ("2019-04-01T08:15:02+18:00", instant - 64_800),
        ("2019-04-01T08:15:02.999Z", instant),
        ("2019-04-01T08:15:02.5-05:00", instant + 18_000),
        ("2019-04-01 08:15:02 UTC", instant),  // BigQuery's export
        ("2019-04-01 08:15:02.25 UTC", instant),
        ("2019-04-01T08:15:02UTC", instant),
        ("2019-04-01 08:15:02 utc", instant),
        ("2019-04-01 08:15:02 UTC+01:00", instant - 3600),
        ("2019-04-01 08:15:02 +01:00", instant - 3600),
        ("2019-04-01 08:15:02 -0500", instant + 18_000),
        ("2019-04-01 08:15 UTC", instant - 2),
        ("2019-04-01T08:15Z", instant - 2),
        ("2019-04-01T08:15+01:00", instant - 2 - 3600),
        ("  2019-04-01T08:15:02Z  ", instant),
        ("1554106502", instant),
        ("1554106502.999", instant),
        ("1554106502123", instant),  // epoch milliseconds, truncated to the second
        ("1554106502999", instant),
        ("123456789", 123_456_789),
    ]

    @Test(arguments: explicitInstantsIgnoreTheZoneCases)
    func explicitInstantsIgnoreTheZone(text: String, utcSeconds: Int64) {
        let parsed = parse(text)
        #expect(parsed?.utcSeconds == utcSeconds && parsed?.kind == nil && parsed?.hasTimeOfDay == true)
    }

    /// The fraction of a second is kept to the millisecond (finer digits dropped), for waits between exact times.
    @Test func fractionsAreKeptToTheMillisecond() {
        let cases: [(String, Int64)] = [
            ("2019-04-01T08:15:02Z", 0), ("2019-04-01T08:15:02.7Z", 700), ("2019-04-01T08:15:02.75+01:00", 750),
            ("2019-04-01T08:15:02.999Z", 999), ("2019-04-01 08:15:02.0019 UTC", 1), ("2019-04-01T08:15:02.123456789Z", 123),
            ("2019-04-01 08:15:02.5", 500), ("01/04/2019 08:15:02.250", 250), ("1554106502.4", 400), ("1554106502123", 123),
            ("1554106502", 0), ("2019-04-01T08:15Z", 0),
        ]
        for (text, milliseconds) in cases {
            #expect(parse(text, order: .dayFirst)?.milliseconds == milliseconds, "\(text)")
        }
    }

    static let naiveTimesAreLondonLocalCases: [(String, Int64, LocalTimeKind)] = [
        ("2019-04-01T08:15:02", instant - 3600, .unique),  // BST
        ("2019-04-01 08:15:02", instant - 3600, .unique),
        ("2019-04-01 08:15:02.999", instant - 3600, .unique),
        ("2019-04-01 08:15", instant - 3602, .unique),
        ("2019-04-01", 1_554_076_800 - 3600, .unique),  // local midnight, BST
        ("2019-03-31", 1_553_990_400, .unique),  // local midnight, GMT
        ("2020-02-29", 1_582_934_400, .unique),
        ("2019-03-31 00:59:59", 1_553_993_999, .unique),
        ("2019-03-31 01:30:00", 1_553_995_800, .skipped),  // 01:30Z = 02:30 BST
        ("2019-03-31T02:00:00", 1_553_994_000, .unique),
        ("2020-03-29 01:30", 1_585_445_400, .skipped),
        ("2019-10-27 01:30:00", 1_572_136_200, .repeated),  // first occurrence, 00:30Z
        ("2019-10-27 02:00:00", 1_572_141_600, .unique),
        ("2020-10-25 01:30:00", 1_603_585_800, .repeated),
    ]

    @Test(arguments: naiveTimesAreLondonLocalCases)
    func naiveTimesAreLondonLocal(text: String, utcSeconds: Int64, kind: LocalTimeKind) {
        // A date alone is midnight, and says it has no time of day.
        let parsed = parse(text)
        #expect(parsed?.utcSeconds == utcSeconds && parsed?.kind == kind && parsed?.hasTimeOfDay == text.contains(":"))
    }

    @Test func naiveTimesInUTCRules() {
        #expect(parse("2019-04-01 08:15:02", rules: .utc) == ParsedTimestamp(utcSeconds: Self.instant, kind: .unique))
    }

    static let dayAndMonthFirstCases: [(String, DateOrder)] = [
        ("01/04/2019 08:15:02", .dayFirst),
        ("1/4/2019 8:15:02", .dayFirst),
        ("01-04-2019 08:15:02", .dayFirst),
        ("1.4.2019 08:15:02.75", .dayFirst),
        ("04/01/2019 08:15:02", .monthFirst),
        ("4/1/2019 8:15:02", .monthFirst),
        ("2019-04-01 08:15:02", .dayFirst),  // ISO dates are accepted in every order
    ]

    @Test(arguments: dayAndMonthFirstCases)
    func dayAndMonthFirst(text: String, order: DateOrder) {
        let parsed = parse(text, order: order)
        #expect(parsed?.utcSeconds == Self.instant - 3600 && parsed?.kind == .unique)
    }

    @Test func dayFirstShortForms() {
        #expect(parse("1/4/2019 8:15", order: .dayFirst)?.utcSeconds == Self.instant - 3602)
        #expect(parse("1/4/2019", order: .dayFirst)?.utcSeconds == 1_554_073_200)  // local midnight, BST
        #expect(parse("31/12/2019", order: .dayFirst)?.utcSeconds == 1_577_750_400)  // 2019-12-31, GMT
        #expect(parse("12/31/2019", order: .monthFirst)?.utcSeconds == 1_577_750_400)
        #expect(parse("1-12-2019", order: .dayFirst)?.utcSeconds == 1_575_158_400)  // 2019-12-01, GMT
    }

    /// Spreadsheet habits: two-digit years and 12-hour clocks.
    @Test func twoDigitYearsAndTwelveHourClocks() {
        #expect(parse("01/04/19 8:15:02", order: .dayFirst)?.utcSeconds == Self.instant - 3600)
        #expect(parse("4/1/19 8:15:02 AM", order: .monthFirst)?.utcSeconds == Self.instant - 3600)
        #expect(parse("4/1/19 8:15:02 pm", order: .monthFirst)?.utcSeconds == Self.instant - 3600 + 43_200)
        #expect(parse("4/1/19 8:15:02 AM UTC", order: .monthFirst)?.utcSeconds == Self.instant)
        #expect(parse("4/1/19 12:15:02 AM", order: .monthFirst)?.utcSeconds == Self.instant - 3600 - 8 * 3600)
        #expect(parse("4/1/19 12:15:02PM", order: .monthFirst)?.utcSeconds == Self.instant - 3600 + 4 * 3600)
        #expect(parse("2019-04-01T08:15:02 PM+01:00")?.utcSeconds == Self.instant - 3600 + 43_200)
        #expect(parse("31/12/99", order: .dayFirst)?.utcSeconds == 946_598_400)  // 1999-12-31, GMT
        #expect(parse("01/01/69", order: .dayFirst)?.utcSeconds == 3_124_224_000)  // 2069-01-01: 36,160 days
    }

    /// Other spellings spreadsheets and other locales write: a year first with `/` or `.` and one-digit
    /// months, days and hours (Excel's `yyyy/m/d h:mm`), and months by name (`dd-mmm-yyyy`, Oracle's
    /// `DD-MON-YY`), which are read whatever the date order, since the name settles it.
    static let otherSpellingsCases: [(String, DateOrder, Int64)] = [
        ("2019-04-01 8:15:02", .yearFirst, instant - 3600),
        ("2019/04/01 08:15:02", .yearFirst, instant - 3600),
        ("2019/4/1 8:15:02", .dayFirst, instant - 3600),
        ("2019.04.01 08:15:02", .monthFirst, instant - 3600),
        ("2019-4-1", .yearFirst, 1_554_073_200),  // local midnight, BST
        ("2019/4/1 8:15", .yearFirst, instant - 3602),
        ("2019/04/01 8:15:02 PM", .yearFirst, instant - 3600 + 43_200),
        ("01-Apr-2019 08:15:02", .yearFirst, instant - 3600),
        ("1-apr-19 8:15:02", .yearFirst, instant - 3600),
        ("01-APR-19", .monthFirst, 1_554_073_200),
        ("1 April 2019 08:15:02", .dayFirst, instant - 3600),
        ("01/Apr/2019 8:15:02 AM", .yearFirst, instant - 3600),
        ("1.Apr.2019 08:15:02Z", .yearFirst, instant),
        ("1 Sept 2019", .yearFirst, 1_567_292_400),  // 2019-09-01, BST
        ("1 sep 2019", .yearFirst, 1_567_292_400),
        ("31 December 2019 23:59:59", .yearFirst, 1_577_836_799),
        // Oracle's default TIMESTAMP format, `DD-MON-RR HH.MI.SSXFF AM`, and `.` in Finnish times.
        ("01-APR-19 08.15.02.000000 AM", .yearFirst, instant - 3600),
        ("01-APR-19 08.15.02.123456789 PM", .yearFirst, instant - 3600 + 43_200),
        ("01-APR-19 12.15.02.000000 AM", .yearFirst, instant - 3600 - 8 * 3600),
        ("1.4.2019 8.15.02", .dayFirst, instant - 3600),
        ("2019-04-01 08.15", .yearFirst, instant - 3602),
    ]

    @Test(arguments: otherSpellingsCases)
    func otherSpellings(text: String, order: DateOrder, utc: Int64) {
        #expect(parse(text, order: order)?.utcSeconds == utc)
    }

    static let invalidInputsAreRejectedCases: [(String, DateOrder)] = [
        ("31/02/2019", .dayFirst),
        ("29/02/2019 08:00", .dayFirst),
        ("13/13/2019", .dayFirst),
        ("12/31/2019", .dayFirst),
        ("01/04/2019 08:15:02", .yearFirst),  // not ISO, and the order does not allow it
        ("01/04-2019", .dayFirst),  // mixed separators
        ("001/04/2019", .dayFirst),
        ("01/04/190", .dayFirst),  // three digits of year
        ("4/1/19 13:15 PM", .monthFirst),  // a 12-hour clock has no hour 13
        ("4/1/19 0:15 AM", .monthFirst),
        ("4/1/19 8:15 XM", .monthFirst),
        ("4/1/19 8:15 A", .monthFirst),
        ("01/04/2019T08:15:02", .dayFirst),
        ("2019/04-01", .yearFirst),  // mixed separators
        ("2019/04/01T8:15:02", .yearFirst),
        ("2019-04-01 08.15:02", .yearFirst),  // `.` in place of `:`, the same all through
        ("2019-04-01 08:15.02", .yearFirst),
        ("2019-04-01T08.15.02", .yearFirst),  // only after a space
        ("01-APR-19 08.15.", .yearFirst),
        ("2019 04 01", .yearFirst),
        ("01 04 2019", .dayFirst),  // spaces only between a name and numbers
        ("01-Apr/2019", .yearFirst),
        ("31-Apr-2019", .yearFirst),
        ("01-Ap-2019", .yearFirst),
        ("01-Aprl-2019", .yearFirst),
        ("01-Apri-2019", .yearFirst),
        ("01-Sepember-2019", .yearFirst),
        ("01-Mayo-2019", .yearFirst),
        ("01-Apr-201", .yearFirst),
        ("Apr-01-2019", .yearFirst),
        ("01-Apr-2019T08:15:02", .yearFirst),
        ("2019-02-29", .yearFirst),
        ("2019-13-01", .yearFirst),
        ("2019-00-01", .yearFirst),
        ("2019-04-00", .yearFirst),
        ("2019-04-31", .yearFirst),
        ("2019-04-01T24:00:00", .yearFirst),
        ("2019-04-01T23:60:00", .yearFirst),
        ("2019-04-01T23:59:60", .yearFirst),
        ("2019-04-01T8:15:02", .yearFirst),
        ("2019-04-01T08:15:02junk", .yearFirst),
        ("2019-04-01T08:15:02Zjunk", .yearFirst),
        ("2019-04-01T08:15:02 Z", .yearFirst),
        ("2019-04-01 08:15:02 GMT", .yearFirst),  // Windows' "GMT Standard Time" is the UK's zone, summer time and all
        ("2019-04-01 08:15:02 BST", .yearFirst),
        ("2019-04-01 08:15:02  UTC", .yearFirst),
        ("2019-04-01 08:15:02 UTCZ", .yearFirst),
        ("2019-04-01 08:15:02 UT", .yearFirst),
        ("2019-04-01 08:15:02 UTC+", .yearFirst),
        ("2019-04-01 08:15:02 UTC 01:00", .yearFirst),
        ("2019-04-01 08:15:02 +", .yearFirst),
        ("2019-04-01 UTC", .yearFirst),
        ("2019-04-01  08:15:02", .yearFirst),
        ("2019-04-01T", .yearFirst),
        ("2019-04-01T08", .yearFirst),
        ("2019-04-01T08:15:02.", .yearFirst),
        ("2019-04-01T08:15.5", .yearFirst),
        ("2019-04-01T08:15:02+25:00", .yearFirst),
        ("2019-04-01T08:15:02+18:01", .yearFirst),
        ("2019-04-01T08:15:02+01:60", .yearFirst),
        ("2019-04-01T08:15:02+1", .yearFirst),
        ("2019-04-01T08:15:02+01:", .yearFirst),
        ("2019-04-01T08:15:02+0100x", .yearFirst),
        ("12345678", .yearFirst),  // too short for epoch seconds
        ("155410650212", .yearFirst),  // 12 digits: neither seconds nor milliseconds
        ("15541065021234", .yearFirst),  // microseconds are refused, not misread
        ("1554106502123.5", .yearFirst),  // no fraction of a millisecond
        ("0001554106502", .yearFirst),  // zero-padded seconds, not milliseconds of 1970
        ("1554106502.", .yearFirst),
        ("-1554106502", .yearFirst),
        ("", .yearFirst),
        ("   ", .yearFirst),
        ("\t2019-04-01", .yearFirst),
    ]

    @Test(arguments: invalidInputsAreRejectedCases)
    func invalidInputsAreRejected(text: String, order: DateOrder) {
        #expect(parse(text, order: order) == nil)
    }

    /// Every byte of the fast 19-byte form, replaced by a near miss, makes the field invalid.
    @Test func fastPathRejectsEveryCorruptedByte() {
        let valid = Array("2019-04-01T08:15:02".utf8)
        var parser = TimestampParser(rules: Self.london)
        for position in valid.indices {
            for replacement: UInt8 in [0x2F, 0x3A, 0x41, 0x00, 0xB0, valid[position] ^ 0x80] where replacement != valid[position] {
                var corrupted = valid
                corrupted[position] = replacement
                #expect(corrupted.withUnsafeBytes { parser.parse($0) } == nil, "byte \(position) = \(replacement)")
            }
        }
        #expect(valid.withUnsafeBytes { parser.parse($0) }?.utcSeconds == Self.instant - 3600)
    }

    /// One parser reused across rows: the date cache and zone cursor must follow date and offset changes.
    @Test func reusedParserFollowsChangesOfDateAndOffset() {
        var parser = TimestampParser(rules: Self.london)
        let rows: [(String, Int64?)] = [
            ("2019-03-30 23:59:59", 1_553_990_399),
            ("2019-03-31 00:59:59", 1_553_993_999),
            ("2019-03-31 01:00:00", 1_553_994_000),
            ("2019-03-31 02:00:00", 1_553_994_000),
            ("2019-03-31 03:00:00", 1_553_997_600),
            ("2019-02-29 03:00:00", nil),
            ("2019-03-31 03:00:01", 1_553_997_601),
            ("2019-03-30 12:00:00", 1_553_947_200),
            ("2019-04-01T08:15:02Z", Self.instant),
            ("2019-04-01T08:15:02", Self.instant - 3600),
        ]
        for (text, utcSeconds) in rows {
            #expect(Array(text.utf8).withUnsafeBytes { parser.parse($0) }?.utcSeconds == utcSeconds, "\(text)")
        }
    }

    /// A field inside a larger buffer: only the given bytes are read.
    @Test func parsesASliceOfALargerBuffer() {
        let line = Array("x,2019-04-01T08:15:02Z,9".utf8)
        var parser = TimestampParser(rules: .utc)
        let parsed = line.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[2..<22])) }
        #expect(parsed?.utcSeconds == Self.instant)
        let truncated = line.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[2..<20])) }
        #expect(truncated == nil)  // "2019-04-01T08:15:0"
    }
}

/// The hint a run gives when its timestamps were rejected for their date order.
struct DateOrderHintTests {
    private static func rows(_ values: [String]) -> [RejectedRow] {
        values.map { RejectedRow(path: "f.csv", lineNumber: 2, reason: .invalidArrivedAt,
                                 message: "arrived_at: expected a timestamp, found \"\($0)\"", record: []) }
    }

    @Test func theDateOrderIsNamedWhenTheRejectedValuesProveIt() {
        #expect(DateOrderHint.hint(for: Self.rows(["01/04/2019 10:00", "13/04/2019 10:00:00"]))
                == "timestamps like \"13/04/2019 10:00:00\" put the day first: give --date-order dmy")
        #expect(DateOrderHint.hint(for: Self.rows(["04-13-2019 10:00:00"]))
                == "timestamps like \"04-13-2019 10:00:00\" put the month first: give --date-order mdy")
        #expect(DateOrderHint.hint(for: Self.rows(["01.04.19 10:00"]))
                == "timestamps like \"01.04.19 10:00\" need their date order: give --date-order dmy (day first) or mdy (month first)")
        // Both proofs in one run: the file mixes orders, and either option is named.
        #expect(DateOrderHint.hint(for: Self.rows(["13/04/2019", "04/13/2019"]))?.hasSuffix("dmy (day first) or mdy (month first)") == true)
    }

    @Test func otherRejectsGiveNoHint() {
        #expect(DateOrderHint.hint(for: Self.rows(["2019-04-31T10:00:00Z", "yesterday", "1/2", "123/4/2019"])) == nil)
        #expect(DateOrderHint.hint(for: [RejectedRow(path: "f.csv", lineNumber: 2, reason: .missingChannel, message: "channel: empty", record: [])]) == nil)
    }
}

/// Judging the date order from the inputs before a run (`DayMonthDates`, `DateOrderScan`).
struct DateOrderJudgementTests {
    private static func judged(_ text: String, path: String = "f.csv") -> DayMonthDates.Judgement {
        var judgement = DayMonthDates.Judgement.none
        Array(text.utf8).withUnsafeBytes { DayMonthDates.judge($0, path: path, delimiter: DayMonthDates.delimiter(ofFirstLine: $0), into: &judgement) }
        return judgement
    }

    @Test func aDateThatExistsReadOneWayOnlyProvesTheOrder() {
        #expect(Self.judged("a,01/04/2019 10:00\nb,13/04/2019 10:00:00,x") == .proven(.dayFirst, example: "13/04/2019 10:00:00", path: "f.csv"))
        // Every date is looked at, the rest of a line's too: JSON records one after another are all on line 1,
        // and only its first date was looked at (the order was left unproven).
        #expect(Self.judged("a,01/04/2019 10:00,13/04/2019 10:00:00,x\n") == .proven(.dayFirst, example: "13/04/2019 10:00:00", path: "f.csv"))
        #expect(Self.judged("a,01/04/2019 10:00,02/04/2019 10:00:00,x\n") == .unproven(example: "01/04/2019 10:00", path: "f.csv"))
        #expect(Self.judged(#"{"t":"01/04/2020 08:00:00"}{"t":"13/04/2020 08:00:00"}"# + "\n")
                == .proven(.dayFirst, example: "13/04/2020 08:00:00", path: "f.csv"))
        let long = "a,01/04/2019 10:00," + String(repeating: "x", count: 5000) + ",13/04/2019 10:00\n"
        #expect(Self.judged(long) == .proven(.dayFirst, example: "13/04/2019 10:00", path: "f.csv"))
        #expect(Self.judged("x,04.13.2019") == .proven(.monthFirst, example: "04.13.2019", path: "f.csv"))
        #expect(Self.judged("x,6/23/25 07:00 AM") == .proven(.monthFirst, example: "6/23/25 07:00 AM", path: "f.csv"))
        #expect(Self.judged("x,\"1-4-2019 9:00\"") == .unproven(example: "1-4-2019 9:00", path: "f.csv"))
        // A record's first field, followed by the next.
        #expect(Self.judged("13/04/2019 10:00,101\n") == .proven(.dayFirst, example: "13/04/2019 10:00", path: "f.csv"))
    }

    @Test func whatIsNotADayMonthDateIsIgnored() {
        // ISO dates, dates no order reads, two-digit years, digits glued to letters or digits, versions.
        for text in ["2019-04-13T10:00:00Z", "31/02/2019", "13/13/2019", "13/04/190", "x13/04/2019", "113/04/2019",
                     "13/04/20190", "13/04-2019", "v1.2.3", "0/4/2019"] {
            #expect(Self.judged(text) == .none, "\(text)")
        }
    }

    /// A date typed into free text may be written any way: only a field's whole value (padding and a time
    /// after it aside) is judged. A review's weekly UK export (days 1–12 only) was read month first because
    /// a category said "ref 12/25/2019 follow-up", and April's calls were counted in January to March.
    @Test func aDateInFreeTextDoesNotChooseTheOrder() {
        #expect(Self.judged("1,01/04/2020 08:00:00,answered,ref 12/25/2019 follow-up\n2,02/04/2020 08:00:00,x\n")
                == .unproven(example: "01/04/2020 08:00:00", path: "f.csv"))
        for text in ["a,on 12/25/2019", "a,12/25/2019 follow-up", "a,12/25/2019x", "a,(12/25/2019)", "a,12/25/2019 PM",
                     "a,12/25/2019 10:00 caller to ring back", "a,\"12/25/2019 10:00, then again\"", "a,12/25/2019 10:00 amended",
                     "a,12/25/2019 10:00 PM call back", "a,b\n1,Callback requested; 12/25/2019\n", "a,\"caller said \"\"12/25/2019\"\" was the date\"",
                     "a,b\n1,\"Rang back\n12/25/2019 10:00\nno answer\"\n", "a,b\n1,ref | 12/25/2019\n", "a,b\n12/25/2019\n"] {
            #expect(Self.judged(text) == .none, "\(text)")
        }
        // Fields of their own, padded, quoted, or with a time after them, still prove it.
        for text in ["a,12/25/2019", "a,  12/25/2019  ,b", "a;\"12/25/2019\";b", "a\t12/25/2019T10:00\n", "a|12/25/2019 9:00",
                     "a,12/25/2019 10:00:00.5 PM,b", "a,12/25/2019 10:00 UTC", "a,12/25/2019T10:00:00+01:00\r\n", "a,12/25/2019 10:00Z ,b",
                     "a,12/25/2019 10:00:00 -0500"] {
            #expect(Self.judged(text).order == .monthFirst, "\(text)")
        }
    }

    @Test func judgementsOfSeveralFilesAreFolded() {
        var run = Self.judged("x,01/04/2019", path: "a.csv")
        run.add(Self.judged("x,13/04/2019", path: "b.csv"))
        #expect(run.order == .dayFirst)
        run.add(Self.judged("x,02/04/2019", path: "c.csv"))
        #expect(run.order == .dayFirst)
        run.add(Self.judged("x,04/13/2019", path: "d.csv"))
        #expect(run == .conflicting(dayFirst: "13/04/2019", dayFirstPath: "b.csv", monthFirst: "04/13/2019", monthFirstPath: "d.csv"))
    }

    /// Files whose own dates read both ways take the order another file proves, and are named in a warning
    /// when those dates fall months from the proving files' (a US file beside a UK one was read day first with
    /// only a note; found by review); a month's daily files of one system are not (the diff review).
    @Test func filesReadInAnotherFilesOrderAreNamed() throws {
        let header = "contact_id,channel,arrived_at,answered_at,ended_at,outcome\n"
        let proving = TestSupport.temporaryFile(header + "P,101,13/04/2019 10:00:00,,13/04/2019 10:01:00,abandoned\n", name: "proving.csv")
        // Read day first, the 1st to 5th of December 2018: four months before the proof.
        let unproven = (1...5).map { day in
            TestSupport.temporaryFile(header + "U\(day),101,0\(day)/12/2018 10:00:00,,0\(day)/12/2018 10:01:00,abandoned\n", name: "day\(day).csv")
        }
        let sameMonth = (1...5).map { day in
            TestSupport.temporaryFile(header + "U\(day),101,0\(day)/04/2019 10:00:00,,0\(day)/04/2019 10:01:00,abandoned\n", name: "day\(day).csv")
        }
        var options = TestSupport.options(grain: .local(.day))
        options.judgesDateOrder = true
        let result = try TestSupport.ingest([proving] + unproven, options)
        #expect(result.dateOrder == .dayFirst && result.ledger.rowsAccepted == 6)
        let warning = try #require(result.ledger.warnings.first { $0.contains("tells the day from the month") })
        #expect(warning.hasPrefix("\(unproven[0]), \(unproven[1]), \(unproven[2]) and 2 more: no date in them"))
        #expect(warning.contains("read day first on the word of \(proving)"))
        // A file that proves its own order, alone, or with files of the days around it: no such warning.
        // The diff review's: 5 April beside 13–30 April (4 May, read month first, is nearer the proof).
        let fifth = TestSupport.temporaryFile(header + "F,101,05/04/2019 10:00:00,,05/04/2019 10:01:00,abandoned\n", name: "fifth.csv")
        let later = TestSupport.temporaryFile(header + "L,101,30/04/2019 10:00:00,,30/04/2019 10:01:00,abandoned\n", name: "later.csv")
        for inputs in [[proving], [proving] + sameMonth, sameMonth + [proving], [proving, later, fifth]] {
            let quiet = try TestSupport.ingest(inputs, options)
            #expect(quiet.dateOrder == .dayFirst && !quiet.ledger.warnings.contains { $0.contains("tells the day from the month") })
        }
    }

    @Test(arguments: [1, 2])
    func theEngineReadsWithTheProvenOrderFromALaterBlock(threads: Int) throws {
        // The proof comes after a MiB of ambiguous rows, in another block and (at 2 threads) another worker.
        var csv = "contact_id,channel,arrived_at,answered_at,ended_at,outcome\n"
        let row = "C,101,01/04/2019 10:00:00,01/04/2019 10:00:30,,answered\n"
        let count = (DateOrderScan.chunkSize + 4096) / row.utf8.count + 1
        for _ in 0..<count { csv += row }
        csv += "D,999,13/04/2019 11:00:00,,13/04/2019 11:00:20,abandoned\n"
        var options = TestSupport.options(grain: .local(.day), threads: threads, blockSize: 64 << 10)
        options.judgesDateOrder = true
        let result = try TestSupport.ingest([TestSupport.temporaryFile(csv)], options)
        #expect(result.dateOrder == .dayFirst && result.ledger.judgedDateOrder == .dayFirst)
        #expect(result.ledger.rowsAccepted == count + 1 && result.ledger.rowsRejected == 0)
        let days = Report(cube: result.cube, period: .day, timeZone: "Europe/London", ledger: result.ledger, options: MetricOptions())
            .periods.map(\.label)
        #expect(days == ["2019-04-01", "2019-04-13"])
        // Without judging, the same file is rejected row by row, and each rejected date is counted.
        options.judgesDateOrder = false
        let unjudged = try TestSupport.ingest([TestSupport.temporaryFile(csv)], options)
        #expect(unjudged.ledger.rowsRejected == count + 1 && unjudged.ledger.dayMonthDatesRejected == count + 1)
    }
}

/// A proving date at the seam of two scan chunks is found whole.
@Test func aProofAcrossTheScanChunkSeamIsFound() throws {
    // Ambiguous dates up to just before the first look's end, then the proof straddling it.
    var text = "channel,arrived_at\n"
    let row = "101,01/04/2019 10:00:00\n"
    while text.utf8.count + row.utf8.count < DateOrderScan.firstLook - 6 { text += row }
    text += String(repeating: "x", count: DateOrderScan.firstLook - 6 - text.utf8.count) + "\n101,13/04/2019 10:00:00\n"
    #expect(text.utf8.count > DateOrderScan.firstLook)
    let judgement = try DateOrderScan.judge([TestSupport.temporaryFile(text)], encoding: nil)
    #expect(judgement.judgement.order == .dayFirst && judgement.unproven.isEmpty)
}
