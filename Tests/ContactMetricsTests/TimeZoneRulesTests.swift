import Testing
@testable import ContactMetrics

/// Instants are hand-computed: 2019-03-31 is day 17986, 2019-10-27 day 18196, 2020-03-29 day 18350 and
/// 2020-10-25 day 18560; UK clocks change at 01:00 UTC on each.
@Suite struct TimeZoneRulesTests {
    static let london = try! TimeZoneRules(identifier: "Europe/London")

    /// (UTC second of the change, offset before, offset after)
    static let changeCases: [(Int64, Int64, Int64)] = [
        (1_553_994_000, 0, 3600),  // 2019-03-31T01:00Z
        (1_572_138_000, 3600, 0),  // 2019-10-27T01:00Z
        (1_585_443_600, 0, 3600),  // 2020-03-29T01:00Z
        (1_603_587_600, 3600, 0),  // 2020-10-25T01:00Z
    ]

    @Test(arguments: changeCases)
    func londonOffsetsChangeAtTheTransition(utcSeconds: Int64, before: Int64, after: Int64) {
        var cursor = ZoneCursor(rules: Self.london)
        for rulesOrCursor in [false, true] {
            func offset(_ utc: Int64) -> Int64 {
                rulesOrCursor ? cursor.offsetSeconds(atUTC: utc) : Self.london.offsetSeconds(atUTC: utc)
            }
            #expect(offset(utcSeconds - 86_400) == before)
            #expect(offset(utcSeconds - 1) == before)
            #expect(offset(utcSeconds) == after)
            #expect(offset(utcSeconds + 86_400) == after)
        }
    }

    /// (local wall-clock seconds, expected UTC seconds, kind) around each change.
    static let naiveTimeCases: [(Int64, Int64, LocalTimeKind)] = [
        // 2019-03-31: 01:00–02:00 local does not exist.
        (17_986 * 86_400 + 3599, 17_986 * 86_400 + 3599, .unique),  // 00:59:59 GMT
        (17_986 * 86_400 + 3600, 17_986 * 86_400 + 3600, .skipped),  // 01:00 → 01:00Z = 02:00 BST
        (17_986 * 86_400 + 5400, 17_986 * 86_400 + 5400, .skipped),  // 01:30 → 01:30Z = 02:30 BST
        (17_986 * 86_400 + 7200, 17_986 * 86_400 + 3600, .unique),  // 02:00 BST
        // 2019-10-27: 01:00–02:00 local happens twice; the first (BST) is taken.
        (18_196 * 86_400 + 3599, 18_196 * 86_400 - 1, .unique),  // 00:59:59 BST
        (18_196 * 86_400 + 3600, 18_196 * 86_400, .repeated),  // 01:00 BST = 00:00Z
        (18_196 * 86_400 + 5400, 18_196 * 86_400 + 1800, .repeated),  // 01:30 BST = 00:30Z
        (18_196 * 86_400 + 7200, 18_196 * 86_400 + 7200, .unique),  // 02:00 GMT
        // 2020-03-29 and 2020-10-25 likewise.
        (18_350 * 86_400 + 5400, 18_350 * 86_400 + 5400, .skipped),
        (18_350 * 86_400 + 7200, 18_350 * 86_400 + 3600, .unique),
        (18_560 * 86_400 + 5400, 18_560 * 86_400 + 1800, .repeated),
        (18_560 * 86_400 + 7200, 18_560 * 86_400 + 7200, .unique),
        // Mid-summer and mid-winter.
        (17_987 * 86_400 + 29_702, 17_987 * 86_400 + 26_102, .unique),  // 2019-04-01 08:15:02 BST
        (18_262 * 86_400, 18_262 * 86_400, .unique),  // 2020-01-01 00:00 GMT
    ]

    @Test(arguments: naiveTimeCases)
    func londonNaiveTimes(localSeconds: Int64, utcSeconds: Int64, kind: LocalTimeKind) {
        let expected = LocalTimeResolution(utcSeconds: utcSeconds, kind: kind)
        #expect(Self.london.resolve(localSeconds: localSeconds) == expected)
        var cursor = ZoneCursor(rules: Self.london)
        _ = cursor.resolve(localSeconds: localSeconds - 7200)  // warm the cache on a neighbouring segment
        #expect(cursor.resolve(localSeconds: localSeconds) == expected)
    }

    /// A cursor fed a sweep across 2019, forwards then backwards, agrees with the rules at every step.
    @Test func cursorAgreesWithRulesOnASweep() {
        var cursor = ZoneCursor(rules: Self.london)
        let start: Int64 = 17_897 * 86_400  // 2019-01-01
        let steps = Array(stride(from: start, to: start + 366 * 86_400, by: 601))
        for seconds in steps + steps.reversed() {
            #expect(cursor.offsetSeconds(atUTC: seconds) == Self.london.offsetSeconds(atUTC: seconds))
            #expect(cursor.resolve(localSeconds: seconds) == Self.london.resolve(localSeconds: seconds))
        }
    }

    @Test func wholeHourOffsets() throws {
        let kolkata = try TimeZoneRules(identifier: "Asia/Kolkata")
        #expect(!kolkata.offsetsAreWholeHours)
        #expect(kolkata.offsetSeconds(atUTC: 1_554_106_502) == 19_800)
        #expect(kolkata.identifier == "Asia/Kolkata")
        #expect(Self.london.offsetsAreWholeHours)
        #expect(TimeZoneRules.utc.offsetsAreWholeHours)
        #expect(TimeZoneRules.utc.offsetSeconds(atUTC: 1_554_106_502) == 0)
        #expect(TimeZoneRules.utc.resolve(localSeconds: 1_554_106_502) == .init(utcSeconds: 1_554_106_502, kind: .unique))
    }

    @Test func beyondTheTableTheLastOffsetApplies() {
        #expect(Self.london.offsetSeconds(atUTC: 7_242_220_800) == 3600)  // 2199-07-01: BST rules still apply
        #expect(Self.london.offsetSeconds(atUTC: 10_413_792_000 + 181 * 86_400) == 0)  // 2300-07-01: last offset, GMT
    }

    /// Abbreviations resolve to something else here (`BST` is Bangladesh, `GMT` and `EST` have no summer
    /// time), so they are refused with what was meant; tz database names (old ones too) and UTC are accepted.
    @Test func abbreviationsAreRefusedWithASuggestion() throws {
        #expect(throws: TimeZoneRulesError.abbreviation("BST", suggestion: "Europe/London", fixedOffset: "UTC+06:00")) {
            try TimeZoneRules(identifier: "BST")
        }
        #expect(throws: TimeZoneRulesError.abbreviation("GMT", suggestion: "Europe/London", fixedOffset: "UTC+00:00")) {
            try TimeZoneRules(identifier: "GMT")
        }
        #expect(throws: TimeZoneRulesError.abbreviation("EST", suggestion: "America/New_York", fixedOffset: "UTC−05:00")) {
            try TimeZoneRules(identifier: "EST")
        }
        // Offsets: the tz database's name for one all year, with its sign reversed (UTC+1 was "an
        // abbreviation", and +01:00 an "unknown time zone").
        for (offset, etcName) in [("GMT+1", "Etc/GMT-1"), ("UTC+1", "Etc/GMT-1"), ("+01:00", "Etc/GMT-1"), ("utc-5", "Etc/GMT+5"),
                                  ("+0100", "Etc/GMT-1"), ("UTC+5:30", nil), ("+00:00", nil), ("GMT−3", "Etc/GMT+3")] as [(String, String?)] {
            #expect(throws: TimeZoneRulesError.fixedOffset(offset, etcName: etcName)) { try TimeZoneRules(identifier: offset) }
        }
        #expect(TimeZoneRulesError.fixedOffset("UTC+1", etcName: "Etc/GMT-1").description
                == "\"UTC+1\" is an offset, not a time zone with its clock changes; give the place's tz database name (Europe/London), or UTC, "
                + "or Etc/GMT-1 for that offset all year (the tz database reverses the sign)")
        for notAnOffset in ["UTC+", "+1:5", "+123", "GMT+1x"] {
            #expect(ZoneNames.problem(with: notAnOffset) != nil && ZoneNames.problem(with: notAnOffset) != .fixedOffset(notAnOffset, etcName: nil))
        }
        #expect(throws: TimeZoneRulesError.misspelled("europe/london", suggestion: "Europe/London")) {
            try TimeZoneRules(identifier: "europe/london")
        }
        #expect(throws: TimeZoneRulesError.misspelled("utc", suggestion: "UTC")) { try TimeZoneRules(identifier: "utc") }
        #expect(throws: TimeZoneRulesError.misspelled("Europe/London ", suggestion: "Europe/London")) {
            try TimeZoneRules(identifier: "Europe/London ")
        }
        // A typing slip gets the nearest name (every other slip got one; this said only "unknown").
        #expect(throws: TimeZoneRulesError.misspelled("Europe/Londn", suggestion: "Europe/London")) { try TimeZoneRules(identifier: "Europe/Londn") }
        #expect(throws: TimeZoneRulesError.misspelled("America/NewYork", suggestion: "America/New_York")) {
            try TimeZoneRules(identifier: "America/NewYork")
        }
        #expect(throws: TimeZoneRulesError.unknownIdentifier("Europe/Xyz")) { try TimeZoneRules(identifier: "Europe/Xyz") }
        // Names of the tz database that Foundation's list lacks.
        #expect(throws: TimeZoneRulesError.misspelled("Asia/Kolkat", suggestion: "Asia/Kolkata")) { try TimeZoneRules(identifier: "Asia/Kolkat") }
        // Names the tz database keeps, with their clock changes (GB, Eire, EST5EDT) or meaning UTC (Zulu).
        for accepted in ["UTC", "Europe/London", "Etc/GMT-1", "America/New_York", "GB", "Eire", "EST5EDT", "Zulu"] {
            _ = try TimeZoneRules(identifier: accepted)
        }
        #expect(try TimeZoneRules(identifier: "Etc/GMT-1").offsetSeconds(atUTC: 1_546_300_800) == 3600)
    }

    @Test func unknownIdentifierIsATypedError() {
        #expect(throws: TimeZoneRulesError.unknownIdentifier("Mars/Olympus_Mons")) {
            try TimeZoneRules(identifier: "Mars/Olympus_Mons")
        }
        #expect(TimeZoneRulesError.unknownIdentifier("Europe/Londn").description == #"unknown time zone "Europe/Londn""#)
    }
}
