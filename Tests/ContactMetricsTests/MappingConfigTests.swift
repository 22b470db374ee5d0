import Foundation
import Testing
@testable import ContactMetrics

/// Runs text through the engine with a mapping config.
enum MappedRun {
    static func config(_ json: String) throws -> MappingConfig {
        try MappingConfig.parse(Data(json.utf8), name: "config.json")
    }

    static func result(_ paths: [String], _ mapping: MappingConfig?, period: PeriodUnit = .month, zone: String = "Europe/London",
                       threads: Int = 1, blockSize: Int = 1 << 20, forcedKind: InputKind? = nil) throws -> (Report, IngestResult) {
        var options = IngestOptions(timeZone: try TimeZoneRules(identifier: zone), grain: .local(period))
        options.threads = threads
        options.blockSize = blockSize
        options.mapping = mapping
        options.forcedKind = forcedKind
        if let channels = mapping?.submissionChannels { options.submissionChannels = Set(channels) }
        let result = try IngestEngine(options: options).run(inputs: paths)
        var metrics = MetricOptions()
        if let mapping { metrics.serviceLevelThresholds.merge(mapping.serviceLevelSeconds) { $1 } }
        if let channels = mapping?.submissionChannels { metrics.submissionChannels = Set(channels) }
        return (Report(cube: result.cube, period: period, timeZone: zone, ledger: result.ledger, options: metrics), result)
    }

    static func report(_ text: String, _ json: String, period: PeriodUnit = .month) throws -> Report {
        try result([TestSupport.temporaryFile(text)], config(json), period: period).0
    }

    static func errorMessage(_ json: String) -> String? {
        do { _ = try MappingConfig.parse(Data(json.utf8), name: "config.json"); return nil } catch { return error.description }
    }
}

@Suite struct MappingConfigErrorTests {
    @Test(arguments: [
        (#"{"delimeter": "tab"}"#, #"config.json: delimeter: unknown key "delimeter"; did you mean "delimiter"?"#),
        (#"{"delimiter": "colon"}"#, #"config.json: delimiter: expected one of comma, tab, pipe, semicolon, whitespace, found "colon""#),
        (#"{"columns": {"arrived_at": {"date": "d", "date_format": "YYYMMDD", "time": "t"}}}"#,
         #"config.json: columns.arrived_at.date_format: unknown token "YYY" in "YYYMMDD" (expected YYYY, YY, MM, M, DD, D)"#),
        (#"{"columns": {"arrived_at": {"date": "d", "time": "t", "time_format": "H:MM:SS.fff"}}}"#,
         #"config.json: columns.arrived_at.time_format: unknown token "fff" in "H:MM:SS.fff" (expected HH, H, MM, SS)"#),
        (#"{"columns": {"arrived_at": {"date": "d", "date_format": "YYMM", "time": "t"}}}"#,
         #"config.json: columns.arrived_at.date_format: "YYMM" needs exactly one day token"#),
        (#"{"columns": {"arrived_at": {"date": "d"}}}"#, #"config.json: columns.arrived_at: missing key "time""#),
        (#"{"columns": {"arrival": "start"}}"#, #"config.json: columns.arrival: unknown key "arrival""#),
        (#"{"columns": {"channel": {"date": "d", "time": "t"}}}"#,
         #"config.json: columns.channel: expected a column name or a list of column names, found an object"#),
        (#"{"time_zone": "Europe/Londn"}"#, #"config.json: time_zone: unknown time zone "Europe/Londn"; did you mean Europe/London?"#),
        (#"{"time_zone": "BST"}"#,
         #"config.json: time_zone: "BST" is an abbreviation, not a time zone with its clock changes (this system would read it as UTC+06:00 all year); give a tz database name: Europe/London, or UTC"#),
        (#"{"skip": [{"outcome": 3}]}"#, #"config.json: skip[0].outcome: expected a value, a list of values, null or {"not": ...}, found 3"#),
        (#"{"skip": [{"outcome": {"nicht": null}}]}"#, #"config.json: skip[0].outcome.nicht: unknown key "nicht""#),
        (#"{"outcome_rules": [{"when": {"a": "b"}}]}"#, #"config.json: outcome_rules[0]: missing key "outcome""#),
        (#"{"channels": {"PS": ""}}"#, #"config.json: channels.PS: empty label"#),
        // The value as written (it was quoted lower-cased, which is not what the file holds).
        (#"{"queue_log_outcomes": {"EXITWITHKEY": "Lost\u0007"}}"#,
         #"config.json: queue_log_outcomes.EXITWITHKEY: expected answered, abandoned or other, found "Lost\u{7}""#),
        // A misspelt outcome counted every row it mapped as `other`, without a word.
        (#"{"outcomes": {"ANS": "Answerd"}}"#, #"config.json: outcomes.ANS: expected answered, abandoned or other, found "Answerd""#),
        (#"{"outcome_rules": [{"when": {"a": "b"}, "outcome": "Abandon"}]}"#,
         #"config.json: outcome_rules[0].outcome: expected answered, abandoned or other, found "Abandon""#),
        (#"{"clock_skew_seconds": -1}"#, #"config.json: clock_skew_seconds: expected whole seconds (0 or more), found -1"#),
        (#"{"service_level": {"999": true}}"#, #"config.json: service_level.999: expected whole seconds (0 or more), found true"#),
        // A channel as the export spells it was ignored without a word: service levels go by the mapped name.
        (#"{"channels": {"EMERG": "999"}, "service_level": {"EMERG": 5}}"#,
         #"config.json: service_level.EMERG: "EMERG" is what the export says; channels maps it to "999", the name service levels go by: give "999""#),
        (#"{"service_level": {"": 5}}"#, #"config.json: service_level."": an empty channel name"#),
        (#"{"null_values": "0:00:00"}"#, #"config.json: null_values: expected a list of strings, found "0:00:00""#),
        (#"[1, 2]"#, #"config.json: expected an object, found a list"#),
        (#"{"columns": {"answered_at": {"offset_from": "arrived", "column": "t"}}}"#,
         #"config.json: columns.answered_at.offset_from: expected one of abandoned_at, answered_at, arrived_at, ended_at, found "arrived""#),
        (#"{"columns": {"answered_at": {"offset_from": "arrived_at", "column": "t", "unit": "seconds"}}}"#,
         #"config.json: columns.answered_at.unit: expected one of ms, s, min, hh:mm:ss, found "seconds""#),
        (#"{"columns": {"answered_at": {"offset_from": "arrived_at"}}}"#, #"config.json: columns.answered_at: missing key "column" (the duration column)"#),
        (#"{"columns": {"answered_at": {"column": "t", "unit": "ms"}}}"#, #"config.json: columns.answered_at.unit: only with "offset_from""#),
        (#"{"columns": {"answered_at": {"offset_from": "arrived_at", "column": "t", "unit": "s", "date": "d"}}}"#,
         #"config.json: columns.answered_at.date: not allowed with "offset_from" (the column holds a duration)"#),
        (#"{"columns": {"answered_at": {"offset_from": "ended_at", "column": "a", "unit": "s"}, "ended_at": {"offset_from": "answered_at", "column": "b", "unit": "s"}}}"#,
         #"config.json: columns.answered_at.offset_from: the offsets go round in a circle (answered_at → ended_at → answered_at)"#),
        (#"{"columns": {"answered_at": {"offset_from": "arrived_at", "column": "t"}}}"#,
         #"config.json: columns.answered_at: missing key "unit" (ms, s, min or hh:mm:ss)"#),
        (#"{"columns": {"answered_at": {"offset_from": "arrived_at", "column": "t", "unit": "s", "before": "yes"}}}"#,
         #"config.json: columns.answered_at.before: expected true or false, found "yes""#),
    ])
    func messagesNameTheKeyPath(json: String, expected: String) {
        #expect(MappedRun.errorMessage(json) == expected)
    }

    @Test func invalidJSONIsReported() {
        #expect(MappedRun.errorMessage("{\"delimiter\": }")?.hasPrefix("config.json: not valid JSON") == true)
    }

    @Test func aColumnMissingFromTheHeaderNamesTheKey() throws {
        let mapping = try MappedRun.config(#"{"columns": {"channel": "queue", "arrived_at": ["start", "begin"]}}"#)
        let path = TestSupport.temporaryFile("queue,start\n101,2019-04-01 10:00:00\n", name: "calls.csv")
        #expect(throws: InputError.missingConfigColumn(path: path, key: "columns.arrived_at[1]", column: "begin")) {
            _ = try MappedRun.result([path], mapping)
        }
        #expect(InputError.missingConfigColumn(path: "calls.csv", key: "columns.arrived_at[1]", column: "begin").description
            == #"calls.csv: the config's columns.arrived_at[1] names column "begin", which is not in the header"#)
    }

    /// A column the config reads that the header names twice is refused, as without a config: the first was
    /// read without a word (a join's two `DateTime` columns put every call in the other's hour).
    @Test func aColumnNamedTwiceIsAmbiguous() throws {
        let cases = [(#"{"columns": {"arrived_at": "DateTime"}}"#, "id,channel,DateTime,DATETIME\n1,999,2020-04-01 06:00:01,2020-04-01 05:00:01\n",
                      "which one the config's columns.arrived_at means"),
                     ("{}", "contact_id,channel,arrived_at,channel\n1,999,2020-04-01 08:00:01,101\n", "which one holds the data")]
        for (json, csv, key) in cases {
            let path = TestSupport.temporaryFile(csv, name: "calls.csv")
            let name = json == "{}" ? "channel" : "datetime"
            #expect(throws: InputError.unsupported(path: path, reason: "the header names column \(name) twice; \(key) is ambiguous")) {
                _ = try MappedRun.result([path], try MappedRun.config(json))
            }
        }
        // A column named twice that nothing reads is no matter.
        let path = TestSupport.temporaryFile("contact_id,channel,arrived_at,note,note\n1,999,2020-04-01 08:00:01,a,b\n", name: "calls.csv")
        #expect(try MappedRun.result([path], try MappedRun.config("{}")).1.ledger.rowsAccepted == 1)
    }
}

@Suite struct MappingConfigFeatureTests {
    @Test func renamesMapsAndDefaultOutcome() throws {
        let text = """
        Ref;Queue;Start;Pickup;Finish;Result;Kind
        1;Emergency;2019-04-01 10:00:00;2019-04-01 10:00:08;2019-04-01 10:03:08;ANS;x
        2;Emergency;2019-04-01 11:00:00;;2019-04-01 11:00:30;ABD;
        3;NonEmergency;2019-04-01 12:00:00;2019-04-01 12:01:00;;;
        4;NonEmergency;2019-04-01 13:00:00;;;;
        5;Web;2019-04-01 14:00:00;;;;covid
        6;NonEmergency;2019-04-01 15:00:00;;;CALLBACK;

        """
        let report = try MappedRun.report(text, """
        {"delimiter": "semicolon",
         "columns": {"contact_id": "Ref", "channel": "queue", "arrived_at": "start", "answered_at": "pickup",
                     "ended_at": "finish", "outcome": "result", "category": "kind"},
         "channels": {"Emergency": "999", "NonEmergency": "101", "web": "online portal"},
         "outcomes": {"ANS": "answered", "abd": "Abandoned"},
         "submission_channels": ["online portal"],
         "service_level": {"999": 5}}
        """)
        let april = try #require(report.periods.first)
        let emergency = try #require(april.channel("999"))
        #expect(emergency.received == 2 && emergency.answered == 1 && emergency.abandoned == 1)
        #expect(emergency.asaSeconds == 8 && emergency.meanHandleSeconds == 180 && emergency.meanAbandonWaitSeconds == 30)
        #expect(emergency.serviceLevelThresholdSeconds == 5 && emergency.serviceLevel == 0)
        let nonEmergency = try #require(april.channel("101"))
        // no outcome: answered when answered_at is set, else abandoned; CALLBACK is other
        #expect(nonEmergency.received == 3 && nonEmergency.answered == 1 && nonEmergency.abandoned == 1 && nonEmergency.other == 1)
        let portal = try #require(april.channel("online portal"))
        #expect(portal.isSubmission && portal.received == 1 && portal.categories == ["covid": 1])
        #expect(report.ledger.rowsRead == 6 && report.ledger.rowsAccepted == 6)
    }

    @Test func splitDateAndTimeWithMidnightWrapFallbackNullsSkipsRulesAndSkew() throws {
        // date is the date of `entry`; times before it by more than 12 h are on the next day.
        let text = """
        id\tline\tdate\tentry\tq_start\tq_exit\tser_start\tser_exit\toutcome
        1\tA\t990131\t23:59:50\t23:59:55\t0:00:20\t0:00:20\t0:02:00\tAGENT
        2\tA\t990201\t9:00:00\t0:00:00\t0:00:00\t9:00:09\t9:01:00\tAGENT
        3\tA\t990201\t9:10:00\t9:10:05\t9:10:50\t0:00:00\t0:00:00\tHANG
        4\tA\t990201\t9:20:00\t0:00:00\t0:00:00\t0:00:00\t0:00:00\tHANG
        5\tA\t990201\t9:30:00\t9:30:05\t9:30:10\t0:00:00\t0:00:00\tAGENT
        6\tA\t990201\t9:40:00\t9:40:05\t9:40:10\t9:40:04\t9:41:04\tAGENT
        7\tA\t990201\t9:50:00\t9:50:05\t9:50:10\t9:49:00\t9:51:00\tAGENT
        8\tA\t990201\t9:55:00\t9:55:05\t9:55:10\t0:00:00\t0:00:00\tPHANTOM
        9\tA\t990231\t9:55:00\t9:55:05\t9:55:10\t0:00:00\t0:00:00\tHANG

        """
        let time = #""date": "date", "date_format": "YYMMDD", "time_format": "H:MM:SS", "date_is_of": "entry""#
        let report = try MappedRun.report(text, """
        {"delimiter": "tab", "null_values": ["0:00:00"], "clock_skew_seconds": 2,
         "columns": {"channel": "line",
                     "arrived_at": {\(time), "time": ["q_start", "entry"]},
                     "answered_at": {\(time), "time": "ser_start"},
                     "ended_at": {\(time), "time": "ser_exit"},
                     "abandoned_at": {\(time), "time": "q_exit"}},
         "skip": [{"outcome": "phantom"}, {"outcome": "HANG", "q_start": null}],
         "outcome_rules": [{"when": {"outcome": "AGENT", "ser_start": null}, "outcome": "other"}],
         "outcomes": {"AGENT": "answered", "HANG": "abandoned"}}
        """, period: .day)
        let days = Dictionary(uniqueKeysWithValues: report.periods.map { ($0.label, $0) })
        // row 1 arrived 23:59:55 on 31 Jan, answered 00:00:20 on 1 Feb: wait 25 s, handle 100 s
        let january = try #require(days["1999-01-31"]?.channel("a"))
        #expect(january.answered == 1 && january.asaSeconds == 25 && january.meanHandleSeconds == 100)
        let february = try #require(days["1999-02-01"]?.channel("a"))
        // 2: no queue → arrived at entry 9:00:00, wait 9; 3: abandoned after 45 s; 5: other (AGENT, never served);
        // 6: ser_start one second before q_start → wait 0 (skew); 7: 65 s before → rejected
        #expect(february.received == 4 && february.answered == 2 && february.abandoned == 1 && february.other == 1)
        #expect(february.asaSeconds == 4.5 && february.meanAbandonWaitSeconds == 45)
        #expect(report.ledger.rowsRead == 9 && report.ledger.rowsSkipped == 2 && report.ledger.skippedByReason == ["config_rule": 2])
        #expect(report.ledger.rejectedByReason == ["negative_wait": 1, "invalid_arrived_at": 1])  // 7, and 9 (31 Feb)
        #expect(report.ledger.rowsRead == report.ledger.rowsAccepted + report.ledger.rowsRejected + report.ledger.rowsSkipped)
    }

    @Test func whitespaceDelimiterSplitsRunsOfSpacesAndTabs() throws {
        let text = "channel arrived_at\r\n101\t  2019-04-01T10:00:00Z\r\n  999    2019-04-01T11:00:00Z  \r\n\r\n"
        let report = try MappedRun.report(text, #"{"delimiter": "whitespace"}"#)
        #expect(report.periods.first?.channels.map(\.received) == [1, 1])
        #expect(report.ledger.rowsRead == 2 && report.ledger.blankLines == 1)
    }

    @Test func pipeDelimiterWithQuotes() throws {
        let report = try MappedRun.report("channel|arrived_at|category\n101|2019-04-01T10:00:00Z|\"a|b\"\n", #"{"delimiter": "pipe"}"#)
        #expect(report.periods.first?.channel("101")?.categories == ["a|b": 1])
    }
}

@Suite struct AnonymousBankExcerptTests {
    static let fixture = TestSupport.fixture("anonymous-bank-excerpt.txt")

    static func overallConfig() throws -> MappingConfig {
        try MappingConfig.load(path: TestSupport.sample("anonymous-bank-overall.json"))
    }

    /// Figures checked by hand and with an independent awk script over the same 49 rows (40 January
    /// rows with CRLF, 9 October rows with LF, one of them space-separated; a midnight wrap, PHANTOM, HANG in the VRU).
    @Test func figuresOfTheExcerpt() throws {
        let (report, _) = try MappedRun.result([Self.fixture], try Self.overallConfig(), period: .year, zone: "Asia/Jerusalem")
        let bank = try #require(report.periods.first?.channel("bank"))
        #expect(bank.received == 40 && bank.answered == 29 && bank.abandoned == 9 && bank.other == 2)
        #expect(bank.asaSeconds.map { ($0 * 29).rounded() } == 578)
        #expect(bank.answerP90Seconds == 61)
        #expect(report.ledger.rowsRead == 49 && report.ledger.rowsRejected == 1 && report.ledger.rowsSkipped == 8)
        #expect(report.ledger.rejectedByReason == ["negative_wait": 1] && report.ledger.skippedByReason == ["config_rule": 8])
    }

    @Test func theExcerptDoesNotDependOnThreadsOrBlockSize() throws {
        let mapping = try MappingConfig.load(path: TestSupport.sample("anonymous-bank.json"))
        func json(_ threads: Int, _ blockSize: Int) throws -> String {
            try MappedRun.result([Self.fixture], mapping, period: .day, zone: "Asia/Jerusalem", threads: threads, blockSize: blockSize).0.json().serialized()
        }
        let baseline = try json(1, 1 << 20)
        for threads in [1, 2, 8] {
            for blockSize in [1, 7, 64, 4096] {
                #expect(try json(threads, blockSize) == baseline, "threads \(threads), block size \(blockSize)")
            }
        }
    }
}

/// Times given as offsets and durations (`TimestampSource.Offset`): cloud exports and call-detail tables.
@Suite struct MappedOffsetTests {
    @Test func durationsInEachUnit() {
        func duration(_ text: String, _ unit: DurationUnit) -> Int64? {
            Array(text.utf8).withUnsafeBytes { MappedFields.durationMilliseconds($0, unit).map { $0 / 1_000 } }
        }
        #expect(duration("1999", .milliseconds) == 1 && duration("61000.0", .milliseconds) == 61 && duration(" 42 ", .seconds) == 42)
        // Milliseconds with a fraction are seconds written to the millisecond (a Genesys export saved so, read by
        // the shipped config in ms): refused, where every wait came out 0 s.
        #expect(duration("307.958", .milliseconds) == nil && duration("61000.9", .milliseconds) == nil)
        #expect(duration("12.75", .seconds) == 12 && duration("1.5", .minutes) == 90 && duration("2", .minutes) == 120)
        #expect(duration("0:02:05", .clock) == 125 && duration("2:05", .clock) == 125 && duration("125:00:00", .clock) == 450_000)
        // Fractions of the seconds, as Genesys and Excel write them: kept to the millisecond.
        #expect(Array("0:01:23.456".utf8).withUnsafeBytes { MappedFields.durationMilliseconds($0, .clock) } == 83_456)
        #expect(Array("1:02.5".utf8).withUnsafeBytes { MappedFields.durationMilliseconds($0, .clock) } == 62_500)
        #expect(Array("0:00:01.9999".utf8).withUnsafeBytes { MappedFields.durationMilliseconds($0, .clock) } == 1_999)
        for (text, unit) in [("-5", DurationUnit.seconds), ("", .seconds), ("1e3", .milliseconds), ("0:2:05", .clock), ("2:60", .clock),
                             ("125", .clock), ("99999999999", .seconds), ("1.", .seconds), ("1:02:03:04", .clock),
                             ("0:01:23.", .clock), ("12.5", .clock), ("0:01:23.4.5", .clock), ("0:01:23,5", .clock)] {
            #expect(duration(text, unit) == nil, "\(text) \(unit)")
        }
    }

    /// Genesys Cloud style: times as milliseconds after the conversation start, empty when they did not happen.
    @Test(arguments: [1, 2])
    func offsetsInMillisecondsFromTheArrival(threads: Int) throws {
        let text = """
        id,media,start,tAnswered,tAbandon,tHandle
        c1,voice,2019-04-01T09:00:00Z,12500,,300000
        c2,voice,2019-04-01T09:01:00Z,,45200,
        c3,voice,2019-04-01T09:02:00Z,61000,,
        c4,voice,2019-04-01T09:03:00Z,oops,,

        """
        let mapping = try MappedRun.config("""
        {"columns": {"contact_id": "id", "channel": "media", "arrived_at": "start",
                     "answered_at": {"offset_from": "arrived_at", "column": "tAnswered", "unit": "ms"},
                     "abandoned_at": {"offset_from": "arrived_at", "column": "tAbandon", "unit": "ms"},
                     "ended_at": {"offset_from": "answered_at", "column": "tHandle", "unit": "ms"}},
         "channels": {"voice": "101"}}
        """)
        let (report, _) = try MappedRun.result([TestSupport.temporaryFile(text)], mapping, threads: threads, blockSize: 64)
        let month = try #require(report.periods.first?.channel("101"))
        #expect(month.received == 3 && month.answered == 2 && month.abandoned == 1)
        #expect(month.asaSeconds == Double(12 + 61) / 2 && month.meanAbandonWaitSeconds == 45 && month.meanHandleSeconds == 300)
        #expect(report.ledger.rejectedByReason == ["invalid_answered_at": 1])
    }

    /// Durations in seconds read as milliseconds (a Genesys export saved in seconds) give no rejected row, and
    /// every wait and handle time 0 s: said (found by a review: 999 at 100% within 10 s against 50%, status 0).
    /// A time written `H:MM:SS` in a column read in ms or s is pointed to `hh:mm:ss` (the advice was `s`).
    @Test func durationsThatLookLikeSecondsAreSaid() throws {
        let config = """
        {"columns": {"channel": "media", "arrived_at": "start",
                     "answered_at": {"offset_from": "arrived_at", "column": "tAnswered", "unit": "ms"},
                     "ended_at": {"offset_from": "answered_at", "column": "tHandle", "unit": "ms"}}}
        """
        func warnings(_ scale: Int, talkScale: Int? = nil) throws -> [String] {
            let rows = (0..<6).map { "101,2019-04-01T09:0\($0):00Z,\((5 + $0 * 20) * scale),\((200 + $0) * (talkScale ?? scale))" }
            let path = TestSupport.temporaryFile((["media,start,tAnswered,tHandle"] + rows).joined(separator: "\n") + "\n")
            return try MappedRun.result([path], MappedRun.config(config)).1.ledger.warnings.map { $0.replacingOccurrences(of: path, with: "FILE") }
        }
        #expect(try warnings(1) == ["FILE: in 6 of the 6 rows with durations the config reads in milliseconds, every one is under a second, so the "
            + "waits and handle times they give are about 0 s; if the export gives them in seconds, the config's \"unit\" is \"s\""])
        #expect(try warnings(1000) == [])
        // An auto-answered queue: waits under a second, talk of minutes (in ms): no warning (the review's false alarm).
        #expect(try warnings(1, talkScale: 1000) == [])
        let messages = Locked<[String]>([])
        var options = IngestOptions(timeZone: try TimeZoneRules(identifier: "UTC"), grain: .local(.month))
        options.mapping = try MappedRun.config(config)
        let path = TestSupport.temporaryFile("media,start,tAnswered,tHandle\n101,2019-04-01T09:00:00Z,0:00:06.250,\n101,2019-04-01T09:00:00Z,61.5,\n")
        _ = try IngestEngine(options: options).run(inputs: [path], onReject: { row in messages.withLock { $0.append(row.message) } })
        #expect(messages.withLock { $0 } == [#"answered_at (tAnswered): expected a duration in ms, found "0:00:06.250" (hours, minutes and seconds? then the config's "unit" is "hh:mm:ss")"#,
                             #"answered_at (tAnswered): expected a duration in ms, found "61.5" (milliseconds are whole: with a fraction, is it seconds? then the config's "unit" is "s")"#])
    }

    /// A time given as an offset has its base's reading: when the pairing moves the base across the clock
    /// change, the offset moves with it (a 10 s handle time stayed 3,610 s before).
    @Test func anOffsetMovesWithItsBaseAcrossTheClockChange() throws {
        let text = """
        line,start,tAnswered,end,tLeft
        101,2019-10-27 01:59:50,10000,2019-10-27 02:00:10,
        101,2019-10-27 01:59:40,,2019-10-27 02:00:10,25000
        999,2019-10-27 01:59:50,,2019-10-27 02:00:10,

        """
        let report = try MappedRun.report(text, """
        {"columns": {"channel": "line", "arrived_at": "start", "ended_at": "end",
                     "answered_at": {"offset_from": "arrived_at", "column": "tAnswered", "unit": "ms"},
                     "abandoned_at": {"offset_from": "arrived_at", "column": "tLeft", "unit": "ms"}}}
        """)
        let day = try #require(report.periods.first?.channel("101"))
        #expect(day.asaSeconds == 10 && day.meanHandleSeconds == 10 && day.meanAbandonWaitSeconds == 25)
        // An empty abandoned_at leaves ended_at, which is not an offset: read together with the arrival, 20 s.
        #expect(report.periods.first?.channel("999")?.meanAbandonWaitSeconds == 20)
        #expect(report.ledger.pairedAcrossClockChange == 2 && report.ledger.rowsRejected == 0)
    }

    /// An offset with `plus` and `empty_is_zero` is the sum of its parts, an empty part 0, whichever part it is: SQL Server
    /// writes Cisco's 0 s `DelayTime` as NULL, and such answered calls lost their waits (a review: 10% of them); every part
    /// NULL is 0 s for an answered call (a review: calls answered at once lost theirs), not for a row with no outcome. Without
    /// the key an empty first column leaves the time empty (a diff review: an unanswered Genesys call's ring time made it
    /// answered).
    @Test func anEmptyPartOfASumCountsZeroWhicheverPartItIs() throws {
        let text = """
        line,start,DelayTime,LocalQTime,RingTime,outcome
        101,2019-04-01T09:00:00Z,NULL,30,5,answered
        101,2019-04-01T09:00:00Z,4,,NULL,answered
        101,2019-04-01T09:00:00Z,NULL,NULL,NULL,answered
        999,2019-04-01T09:00:00Z,,,,abandoned
        999,2019-04-01T09:00:00Z,,,,
        999,2019-04-01T09:00:00Z,8,,,

        """
        let report = try MappedRun.report(text, """
        {"columns": {"channel": "line", "arrived_at": "start", "outcome": "outcome",
                     "answered_at": {"offset_from": "arrived_at", "column": "DelayTime", "plus": ["LocalQTime", "RingTime"], "empty_is_zero": true,
                                     "unit": "s"}},
         "null_values": ["NULL"]}
        """)
        let calls = try #require(report.periods.first?.channel("101"))
        // 35 s, 4 s and 0 s.
        #expect(calls.answered == 3 && calls.asaSeconds == 13 && calls.maxWaitSeconds == 35)
        // With no outcome, parts all empty tell no answer (abandoned, as an empty answer time is); one part given does.
        let emergency = try #require(report.periods.first?.channel("999"))
        #expect(emergency.abandoned == 2 && emergency.answered == 1 && emergency.asaSeconds == 8)
        #expect(report.ledger.rowsRejected == 0)
        let gated = try MappedRun.report(text, """
        {"columns": {"channel": "line", "arrived_at": "start", "outcome": "outcome",
                     "answered_at": {"offset_from": "arrived_at", "column": "DelayTime", "plus": ["LocalQTime", "RingTime"], "unit": "s"}},
         "null_values": ["NULL"]}
        """)
        // Only the second call's DelayTime is given: 4 s (and the last 999 call's, 8 s).
        let gatedCalls = try #require(gated.periods.first?.channel("101"))
        #expect(gatedCalls.answered == 3 && gatedCalls.asaSeconds == 4 && gatedCalls.maxWaitSeconds == 4)
        #expect(throws: (any Error).self) { try MappedRun.config(#"{"columns": {"answered_at": {"offset_from": "arrived_at", "column": "a", "unit": "s", "empty_is_zero": true}}}"#) }
    }

    /// Empty parts are 0 s for an answered call's answer time only (the diff review): an abandoned call's answer of empty
    /// parts stays empty, so an end offset from it stays empty and its abandon wait untimed (it read 0 s, and three
    /// abandons became short ones); an abandon time of empty parts leaves `ended_at` in use, as an empty one does.
    @Test func emptyPartsAreZeroForAnAnsweredCallsAnswerOnly() throws {
        let chained = try MappedRun.report("""
        id,q,start,disp,DelayTime,LocalQTime,RingTime,TalkTime,HoldTime
        1,101,2020-04-01T08:00:05Z,13,2,20,5,200,10
        2,101,2020-04-01T08:01:05Z,1,NULL,NULL,NULL,0,0
        3,101,2020-04-01T08:02:05Z,1,NULL,NULL,NULL,0,0
        4,101,2020-04-01T08:03:05Z,,NULL,NULL,NULL,0,0
        5,101,2020-04-01T08:04:05Z,13,NULL,NULL,NULL,100,0

        """, """
        {"null_values": ["NULL"], "columns": {"contact_id": "id", "channel": "q", "arrived_at": "start", "outcome": "disp",
          "answered_at": {"offset_from": "arrived_at", "column": "DelayTime", "plus": ["LocalQTime", "RingTime"], "unit": "s", "empty_is_zero": true},
          "ended_at": {"offset_from": "answered_at", "column": "TalkTime", "plus": ["HoldTime"], "unit": "s"}},
         "outcomes": {"13": "answered", "1": "abandoned"}}
        """)
        let calls = try #require(chained.periods.first?.channel("101"))
        // Answered: 27 s and 0 s (handle 210 s and 100 s); abandoned: three, none timed (so no longest wait either).
        #expect(calls.answered == 2 && calls.asaSeconds == 13.5 && calls.meanHandleSeconds == 155)
        #expect(calls.abandoned == 3 && calls.shortAbandoned == 0 && calls.meanAbandonWaitSeconds == nil && calls.maxWaitSeconds == nil)
        let fallBack = try MappedRun.report("""
        q,start,end,aband_s,ring_s,disp
        101,2020-04-01T08:01:05Z,2020-04-01T08:02:05Z,,,abandoned
        101,2020-04-01T08:01:05Z,2020-04-01T08:02:05Z,30,,abandoned

        """, """
        {"columns": {"channel": "q", "arrived_at": "start", "ended_at": "end", "outcome": "disp",
          "abandoned_at": {"offset_from": "arrived_at", "column": "aband_s", "plus": ["ring_s"], "unit": "s", "empty_is_zero": true}}}
        """)
        // 60 s from ended_at, 30 s from abandoned_at.
        #expect(fallBack.periods.first?.channel("101")?.meanAbandonWaitSeconds == 45)
    }

    /// An offset that lands outside years 0001–9999 is rejected like such a timestamp (it made a store unreadable).
    @Test func anOffsetOutsideFourDigitYearsIsRejected() throws {
        let text = """
        line,end,duration,pickup
        101,0001-01-01T00:00:00Z,60,
        101,9999-12-31T23:59:50Z,5,20
        101,2019-04-01T10:00:00Z,x,

        """
        let report = try MappedRun.report(text, """
        {"columns": {"channel": "line", "ended_at": "end",
                     "arrived_at": {"offset_from": "ended_at", "column": "duration", "unit": "s", "before": true},
                     "answered_at": {"offset_from": "arrived_at", "column": "pickup", "unit": "s"}}}
        """)
        #expect(report.ledger.rowsAccepted == 0 && report.ledger.rejectedByReason == ["invalid_arrived_at": 2, "invalid_answered_at": 1])
        #expect(report.periods.isEmpty)
    }

    /// A call-detail table: the row's time is the end of the call, the rest durations before and after.
    @Test func anArrivalBeforeTheRowsTime() throws {
        let text = """
        DateTime,Duration,LocalQTime,TalkTime,TimeToAband,Disposition
        2019-04-01 09:10:00,600,20,570,0,13
        2019-04-01 09:20:00,40,40,0,40,2

        """
        let report = try MappedRun.report(text, """
        {"columns": {"channel": "Disposition", "ended_at": "DateTime",
                     "arrived_at": {"offset_from": "ended_at", "column": "Duration", "unit": "s", "before": true},
                     "answered_at": {"offset_from": "arrived_at", "column": "LocalQTime", "unit": "s"},
                     "abandoned_at": {"offset_from": "arrived_at", "column": "TimeToAband", "unit": "s"}},
         "channels": {"13": "101", "2": "101"},
         "outcome_rules": [{"when": {"Disposition": "2"}, "outcome": "abandoned"}, {"when": {"Disposition": "13"}, "outcome": "answered"}]}
        """)
        let month = try #require(report.periods.first?.channel("101"))
        // arrived 09:00:00, answered after 20 s, ended at 09:10:00 (handle 580 s); abandoned after 40 s
        #expect(month.answered == 1 && month.asaSeconds == 20 && month.meanHandleSeconds == 580)
        #expect(month.abandoned == 1 && month.meanAbandonWaitSeconds == 40)
        #expect(report.ledger.rowsRejected == 0)
    }
}
