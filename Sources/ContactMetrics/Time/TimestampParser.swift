// How it works: `parse` trims spaces, then tries the fast path, which checks the 19-byte
// `YYYY-MM-DDTHH:MM:SS` shape as three overlapping 8-byte words (digit checks without branches) and reads
// the six numbers from them. Anything else goes through `ByteReader`, one field at a time. Both paths
// share the tail (fraction, then `Z` or an offset) and the final step: a cached date → day conversion,
// then either the explicit offset or the zone cursor. If you change the accepted forms, change both paths
// and the tests in TimestampParserTests.

/// The order of day, month and year in numeric dates such as `01/04/2019`.
public enum DateOrder: String, CaseIterable, Sendable {
    /// Only ISO dates, `2019-04-01`.
    case yearFirst = "ymd"
    /// `01/04/2019` is 1 April; ISO dates are accepted too.
    case dayFirst = "dmy"
    /// `04/01/2019` is 1 April; ISO dates are accepted too.
    case monthFirst = "mdy"
}

/// A timestamp decoded to a UTC instant.
public struct ParsedTimestamp: Hashable, Sendable {
    public var utcSeconds: Int64
    /// How a naive local time was placed in UTC; nil when the text fixed the instant itself
    /// (`Z`, an explicit offset, or epoch seconds). Callers count `.repeated` and `.skipped`.
    public var kind: LocalTimeKind?
    /// False for a date alone (`2019-04-01`, `28/10/2019`), read as local midnight: it places a row in its
    /// day, but a wait or a handle time measured from it means nothing.
    public var hasTimeOfDay: Bool
    /// The milliseconds of a fraction of a second after `utcSeconds` (0...999; finer digits are dropped), for
    /// waits taken between the exact times: dropping each time's fraction first made a wait of 9.002 s 10 s.
    public var milliseconds: Int64

    public init(utcSeconds: Int64, kind: LocalTimeKind?, hasTimeOfDay: Bool = true, milliseconds: Int64 = 0) {
        self.utcSeconds = utcSeconds
        self.kind = kind
        self.hasTimeOfDay = hasTimeOfDay
        self.milliseconds = milliseconds
    }
}

/// Decodes timestamp fields from raw bytes to UTC seconds, without allocating.
///
/// Accepted forms, after trimming ASCII spaces at both ends:
/// - `YYYY-MM-DD`, then `T` (or `t`) or one space, then `HH:MM` or `HH:MM:SS` with an optional fraction
///   `.d+` (truncated, never rounded), then optionally `Z`, `±HH:MM`, `±HHMM` or `±HH`, or `UTC`
///   alone or before one of those offsets; a space may come before an offset or `UTC`;
/// - `YYYY-MM-DD` alone, meaning local midnight;
/// - with `.dayFirst` or `.monthFirst`, also `D/M/YYYY` or `D/M/YY` (70–99 are 19xx, 00–69 20xx) with one
///   or two digits for day and month and `/`, `-` or `.` as the separator, alone or followed by one space and
///   `H:MM` or `H:MM:SS` (hour of one or two digits), with the same optional fraction and offset;
/// - after a space, `.` in place of both `:` of the time of day (Oracle's `01-APR-19 08.15.02.000000 AM`);
/// - after any time of day, `AM` or `PM` (any case, with or without a space before it): a 12-hour clock,
///   whose hour must then be 1–12;
/// - 9 to 11 digits with an optional fraction: Unix seconds, UTC; exactly 13 digits: Unix milliseconds
///   (truncated to the second). 12 digits, or more than 13, are rejected rather than misread.
///
/// Times without an offset are naive local times in the zone of `rules`, resolved as
/// `TimeZoneRules.resolve(localSeconds:)` describes. Fields are validated strictly: the day must exist in
/// its month, hours are 0–23, minutes and seconds 0–59, and offsets at most 18:00.
///
/// Keep one parser per worker: it caches the last date and zone segment, as rows are mostly in time order.
public struct TimestampParser: Sendable {
    public let dateOrder: DateOrder
    private var zone: ZoneCursor
    /// `(year * 100 + month) * 100 + day` of the last date read (-1 before the first), and its days since 1970.
    private var cachedDateKey = -1
    private var cachedDaysSinceEpoch: Int64 = 0
    /// Dates converted before, in slot `key % 16`: sixteen days running each have a slot, so rows a few days
    /// out of order (an export sorted by id or agent) convert each date once, where the last date alone
    /// missed at nearly every row. Looked at only when the last date misses (measured: looking first cost
    /// 5 instructions a timestamp on rows in time order).
    private var earlierDateKeys = InlineArray<16, Int>(repeating: -1)
    private var earlierDaysSinceEpoch = InlineArray<16, Int64>(repeating: 0)
    /// Times of day read since the caller last reset it, by whether they can tell seconds
    /// (`MinuteTimes`). A date alone is not counted: it has no time of day at all
    /// (`ParsedTimestamp.hasTimeOfDay`).
    public var minuteTimes = MinuteTimes()
    /// Day-month dates read since the caller last reset it (`13/04/2019`, `05/04/2019`; never ISO dates or named months),
    /// and of them those with a number above 12, which read in one order only: what a stream, read once and not judged
    /// before its run, showed of its date order (`IngestEngine.run`).
    public var dayMonthDates = DayMonthDatesRead()

    public init(rules: TimeZoneRules, dateOrder: DateOrder = .yearFirst) {
        self.dateOrder = dateOrder
        zone = ZoneCursor(rules: rules)
    }

    /// Decodes one field.
    /// - Parameter bytes: the field's bytes, without quotes; leading and trailing spaces are ignored.
    /// - Returns: the instant, or nil when the bytes are not a valid timestamp (including when only spaces remain).
    public mutating func parse(_ bytes: UnsafeRawBufferPointer) -> ParsedTimestamp? {
        guard let base = bytes.baseAddress else { return nil }
        var reader = ByteReader(base: base, index: 0, end: bytes.count)
        reader.trimSpaces()
        var fields = TimestampFields()
        if reader.remainingCount >= 19 && Self.readFastISO(at: base + reader.index, into: &fields) {
            reader.index += 19
            minuteTimes.countSeconds(onTheMinute: fields.second == 0)
            // Fast tails, straight-line: `±HH:MM` and `Z` (most exports carry one or the other).
            if reader.remainingCount == 6, let offset = Self.readFastOffset(at: base + reader.index) {
                reader.index += 6
                fields.offsetSeconds = offset
            } else if reader.remainingCount == 1 && base.load(fromByteOffset: reader.index, as: UInt8.self) | 0x20 == UInt8(ascii: "z") {
                reader.index += 1
                fields.offsetSeconds = 0
            } else if reader.remainingCount == 5 || reader.remainingCount == 10 {
                // `.mmmZ` and `.mmm±HH:MM` (JavaScript's `toISOString`, Genesys Cloud): readTail was 11% of such a file's instructions.
                Self.readFastFractionAndZone(base + reader.index, count: reader.remainingCount, &reader, into: &fields)
            }
        } else if dateOrder != .yearFirst && reader.remainingCount >= 19 && readFastDayMonth(at: base + reader.index, into: &fields) {
            // `13/04/2019 10:00:00`, Excel's UK default: the general path's number reading was 29% of a UK file's instructions.
            reader.index += 19
            minuteTimes.countSeconds(onTheMinute: fields.second == 0)
        } else if let (epochSeconds, milliseconds) = Self.readEpochSeconds(reader) {
            minuteTimes.countSeconds(onTheMinute: epochSeconds % 60 == 0)
            return ParsedTimestamp(utcSeconds: epochSeconds, kind: nil, milliseconds: milliseconds)
        } else {
            guard readDateAndTime(&reader, into: &fields) else { return nil }
            // A time that fails below is counted too, which the per-file test
            // (`MinuteTimes.areWholeMinutes`) tolerates.
            if fields.hasTime { fields.hasSeconds ? minuteTimes.countSeconds(onTheMinute: fields.second == 0) : minuteTimes.countWithoutSeconds() }
        }
        guard reader.isAtEnd || (fields.hasTime && Self.readTail(&reader, into: &fields)),
              fields.hour < 24, fields.minute < 60, fields.second < 60,
              let days = daysSinceEpoch(year: fields.year, month: fields.month, day: fields.day)
        else { return nil }
        // Only a date that exists is told (a review's `31/02/2020` and `13/13/2020` read neither way, and proved an order).
        if fields.dayMonth != 0 { dayMonthDates.count(proving: fields.dayMonth == 2) }

        let localSeconds = days * 86_400 + Int64(fields.hour * 3600 + fields.minute * 60 + fields.second)
        if let offsetSeconds = fields.offsetSeconds {
            return Self.inRange(ParsedTimestamp(utcSeconds: localSeconds - offsetSeconds, kind: nil, hasTimeOfDay: fields.hasTime,
                                                milliseconds: fields.milliseconds))
        }
        let resolution = zone.resolve(localSeconds: localSeconds)
        return Self.inRange(ParsedTimestamp(utcSeconds: resolution.utcSeconds, kind: resolution.kind, hasTimeOfDay: fields.hasTime,
                                            milliseconds: fields.milliseconds))
    }

    /// Instants from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z (a local time near either end with an
    /// offset could otherwise fall outside four-digit years, which no period label can show).
    @inline(__always)
    private static func inRange(_ timestamp: ParsedTimestamp) -> ParsedTimestamp? {
        timestamp.utcSeconds >= earliestUTC && timestamp.utcSeconds <= latestUTC ? timestamp : nil
    }

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    static var earliestUTC: Int64 { -62_135_596_800 }
    static var latestUTC: Int64 { 253_402_300_799 }

    /// Days since 1970-01-01, or nil if the date does not exist; remembers the last valid date.
    @inline(__always)  // measured: the cache hit must not cost a call
    private mutating func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64? {
        let key = (year * 100 + month) * 100 + day  // one-to-one while month and day have at most two digits
        if key == cachedDateKey { return cachedDaysSinceEpoch }
        return convertAndCacheDate(year: year, month: month, day: day, key: key)
    }

    private mutating func convertAndCacheDate(year: Int, month: Int, day: Int, key: Int) -> Int64? {
        let slot = key & 15
        let days: Int64
        if earlierDateKeys[slot] == key {
            days = earlierDaysSinceEpoch[slot]  // a valid date: only those are kept
        } else {
            guard month >= 1, month <= 12, day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
            days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
            (earlierDateKeys[slot], earlierDaysSinceEpoch[slot]) = (key, days)
        }
        (cachedDateKey, cachedDaysSinceEpoch) = (key, days)
        return days
    }

    // MARK: Fast path

    /// Reads `YYYY-MM-DD?HH:MM:SS` (`?` being `T`, `t` or a space) from 19 readable bytes at `start`;
    /// false, leaving `fields` alone, if the bytes have another shape.
    @inline(__always)  // measured: returning the fields through memory stalled the caller
    private static func readFastISO(at start: UnsafeRawPointer, into fields: inout TimestampFields) -> Bool {
        // Lanes are bytes in memory order, lane 0 in the low bits: the constants read right to left.
        let dateWord = loadWord(start, 0)  // "YYYY-MM-"
        let dayTimeWord = loadWord(start, 8)  // "DD?HH:MM"
        let timeWord = loadWord(start, 11)  // "HH:MM:SS"
        let mismatch =
            mismatchBits(
                dateWord, digitLanes: 0x00FF_FF00_FFFF_FFFF,
                literalLanes: 0xFF00_00FF_0000_0000, literals: 0x2D00_002D_0000_0000)
            | mismatchBits(
                dayTimeWord, digitLanes: 0xFFFF_00FF_FF00_FFFF,
                literalLanes: 0x0000_FF00_0000_0000, literals: 0x0000_3A00_0000_0000)
            | mismatchBits(
                timeWord, digitLanes: 0xFFFF_00FF_FF00_FFFF,
                literalLanes: 0x0000_FF00_00FF_0000, literals: 0x0000_3A00_003A_0000)
        let separator = start.load(fromByteOffset: 10, as: UInt8.self)
        guard mismatch == 0, separator | 0x20 == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
            return false
        }
        let datePairs = digitPairs(dateWord, digitLanes: 0x00FF_FF00_FFFF_FFFF)
        let dayTimePairs = digitPairs(dayTimeWord, digitLanes: 0xFFFF_00FF_FF00_FFFF)
        let timePairs = digitPairs(timeWord, digitLanes: 0xFFFF_00FF_FF00_FFFF)
        fields.year = lane(datePairs, 0) * 100 + lane(datePairs, 2)
        fields.month = lane(datePairs, 5)
        fields.day = lane(dayTimePairs, 0)
        fields.hour = lane(dayTimePairs, 3)
        fields.minute = lane(dayTimePairs, 6)
        fields.second = lane(timePairs, 6)
        fields.hasTime = true
        fields.hasSeconds = true
        return true
    }

    /// Reads exactly `DD/MM/YYYY HH:MM:SS` (or `MM/DD/…` by `dateOrder`; `-` or `.` may part the date, the same twice)
    /// from 19 readable bytes, as the general path reads it (`readDateAndTime`), or returns false for that path.
    @inline(__always)
    private func readFastDayMonth(at start: UnsafeRawPointer, into fields: inout TimestampFields) -> Bool {
        let dateWord = Self.loadWord(start, 0)  // "DD/MM/YY"
        let yearTimeWord = Self.loadWord(start, 8)  // "YY HH:MM"
        let timeWord = Self.loadWord(start, 11)  // "HH:MM:SS"
        let mismatch =
            Self.mismatchBits(dateWord, digitLanes: 0xFFFF_00FF_FF00_FFFF, literalLanes: 0, literals: 0)
            | Self.mismatchBits(
                yearTimeWord, digitLanes: 0xFFFF_00FF_FF00_FFFF,
                literalLanes: 0x0000_FF00_00FF_0000, literals: 0x0000_3A00_0020_0000)
            | Self.mismatchBits(
                timeWord, digitLanes: 0xFFFF_00FF_FF00_FFFF,
                literalLanes: 0x0000_FF00_00FF_0000, literals: 0x0000_3A00_003A_0000)
        let separator = UInt8(truncatingIfNeeded: dateWord >> 16)
        guard mismatch == 0, UInt8(truncatingIfNeeded: dateWord >> 40) == separator,
              separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-") || separator == UInt8(ascii: ".") else { return false }
        let datePairs = Self.digitPairs(dateWord, digitLanes: 0xFFFF_00FF_FF00_FFFF)
        let yearTimePairs = Self.digitPairs(yearTimeWord, digitLanes: 0xFFFF_00FF_FF00_FFFF)
        let first = Self.lane(datePairs, 0), second = Self.lane(datePairs, 3)
        (fields.day, fields.month) = dateOrder == .dayFirst ? (first, second) : (second, first)
        fields.dayMonth = Self.dayMonthKind(first, second)
        fields.year = Self.lane(datePairs, 6) * 100 + Self.lane(yearTimePairs, 0)
        fields.hour = Self.lane(yearTimePairs, 3)
        fields.minute = Self.lane(yearTimePairs, 6)
        fields.second = Self.lane(Self.digitPairs(timeWord, digitLanes: 0xFFFF_00FF_FF00_FFFF), 6)
        fields.hasTime = true
        fields.hasSeconds = true
        return true
    }

    /// `TimestampFields.dayMonth` of a date whose first two numbers are `first` and `second`.
    @inline(__always)
    private static func dayMonthKind(_ first: Int, _ second: Int) -> UInt8 { first > 12 || second > 12 ? 2 : 1 }

    @inline(__always)
    private static func loadWord(_ start: UnsafeRawPointer, _ byteOffset: Int) -> UInt64 {
        UInt64(littleEndian: start.loadUnaligned(fromByteOffset: byteOffset, as: UInt64.self))
    }

    /// Zero when every lane marked 0xFF in `digitLanes` holds an ASCII digit and every lane marked in
    /// `literalLanes` holds that lane of `literals`; other lanes are not checked.
    @inline(__always)
    private static func mismatchBits(
        _ word: UInt64, digitLanes: UInt64, literalLanes: UInt64, literals: UInt64
    ) -> UInt64 {
        let highNibbles = digitLanes & 0xF0F0_F0F0_F0F0_F0F0
        let zeroDigits = digitLanes & 0x3030_3030_3030_3030
        let shape = (word & (highNibbles | literalLanes)) ^ (zeroDigits | literals)
        // 0x3A…0x3F carry into the high nibble when 6 is added; 0x30…0x39 do not.
        let decimal = ((word &+ (digitLanes & 0x0606_0606_0606_0606)) & highNibbles) ^ zeroDigits
        return shape | decimal
    }

    /// Lane `k` of the result is `10 × digit k + digit k+1`, for the digit lanes of a checked word.
    @inline(__always)
    private static func digitPairs(_ word: UInt64, digitLanes: UInt64) -> UInt64 {
        let digits = (word ^ 0x3030_3030_3030_3030) & digitLanes
        return digits &* 10 &+ (digits >> 8)
    }

    @inline(__always)
    private static func lane(_ word: UInt64, _ index: Int) -> Int {
        Int(truncatingIfNeeded: word >> (8 * index)) & 0xFF
    }

    // MARK: General path

    /// Nine to eleven digits with an optional fraction, as Unix seconds; thirteen, as Unix milliseconds
    /// (JavaScript's `Date.now()`, many cloud APIs: 2001-09-09 to 2286, which as seconds would be after
    /// the year 33,000). Twelve digits, or more than thirteen, are refused rather than misread.
    private static func readEpochSeconds(_ reader: ByteReader) -> (seconds: Int64, milliseconds: Int64)? {
        var reader = reader
        let start = reader.index
        guard let number = reader.readNumber(minimumDigits: 9, maximumDigits: 13) else { return nil }
        let digits = reader.index - start
        // Milliseconds carry no fraction (a fraction of one is no export's).
        // A leading zero (`0001554106502`) is no millisecond time of this century: refused, not read as 1970.
        if digits == 13 { return reader.isAtEnd && number >= 1_000_000_000_000 ? (Int64(number) / 1_000, Int64(number) % 1_000) : nil }
        var milliseconds: Int64 = 0
        guard digits <= 11, readFraction(&reader, milliseconds: &milliseconds), reader.isAtEnd else { return nil }
        return (Int64(number), milliseconds)
    }

    /// Reads a year-first date (ISO, or another locale's `2019/4/1`), a date whose month is a name
    /// (`01-Apr-2019`, `1 April 2019`) or, if `dateOrder` allows, a day- or month-first date; then the time
    /// of day if present.
    private func readDateAndTime(_ reader: inout ByteReader, into fields: inout TimestampFields) -> Bool {
        // A four-digit first number is a year; one or two digits are a day or month.
        let firstStart = reader.index
        guard let first = reader.readNumber(minimumDigits: 1, maximumDigits: 4) else { return false }
        let isYearFirst = reader.index - firstStart == 4
        let dateSeparator = reader.peek(0)
        if isYearFirst {
            // `2019-04-01`, and as other locales' spreadsheets write it, `2019/4/1` or `2019.04.01`: a year
            // first is always followed by the month, so no `--date-order` is needed.
            guard dateSeparator == UInt8(ascii: "-") || dateSeparator == UInt8(ascii: "/") || dateSeparator == UInt8(ascii: "."),
                  reader.skip(dateSeparator),
                  let month = reader.readNumber(minimumDigits: 1, maximumDigits: 2), reader.skip(dateSeparator),
                  let day = reader.readNumber(minimumDigits: 1, maximumDigits: 2)
            else { return false }
            (fields.year, fields.month, fields.day) = (first, month, day)
        } else {
            guard reader.index - firstStart <= 2,
                  dateSeparator == UInt8(ascii: "/") || dateSeparator == UInt8(ascii: "-") || dateSeparator == UInt8(ascii: ".")
                    || dateSeparator == UInt8(ascii: " "),
                  reader.skip(dateSeparator)
            else { return false }
            let second: Int, monthIsNamed: Bool
            if let month = reader.readMonthName() {
                // The name makes the order certain, whatever `--date-order` says.
                (second, monthIsNamed) = (month, true)
            } else {
                guard dateOrder != .yearFirst, dateSeparator != UInt8(ascii: " "),
                      let number = reader.readNumber(minimumDigits: 1, maximumDigits: 2)
                else { return false }
                (second, monthIsNamed) = (number, false)
            }
            guard reader.skip(dateSeparator),
                  case let yearStart = reader.index,
                  let year = reader.readNumber(minimumDigits: 2, maximumDigits: 4), reader.index - yearStart != 3
            else { return false }
            // Two-digit years as spreadsheets write them: 70–99 are 1970–1999, 00–69 are 2000–2069.
            fields.year = reader.index - yearStart == 4 ? year : year < 70 ? 2000 + year : 1900 + year
            (fields.day, fields.month) = monthIsNamed || dateOrder == .dayFirst ? (first, second) : (second, first)
            if !monthIsNamed { fields.dayMonth = Self.dayMonthKind(first, second) }
        }
        if reader.isAtEnd { return true }
        let separator = reader.peek(0)
        let isSpace = separator == UInt8(ascii: " ")
        guard isSpace || (isYearFirst && separator | 0x20 == UInt8(ascii: "t")) else { return false }
        reader.index += 1
        // After a space the hour may have one digit (`2019-04-01 8:15:02`, Excel's `h:mm:ss`); after ISO's `T`, two.
        // After a space, `.` may part the time as `:` does, the same all through: Oracle's default
        // `DD-MON-RR HH.MI.SSXFF AM` (`01-APR-19 08.15.02.000000 AM`) and Finnish `1.4.2019 8.15.02`.
        guard let hour = reader.readNumber(minimumDigits: isSpace ? 1 : 2, maximumDigits: 2),
              case let timeSeparator = reader.peek(0),
              timeSeparator == UInt8(ascii: ":") || (isSpace && timeSeparator == UInt8(ascii: ".")),
              reader.skip(timeSeparator),
              let minute = reader.readTwoDigits()
        else { return false }
        (fields.hour, fields.minute, fields.hasTime) = (hour, minute, true)
        if reader.skip(timeSeparator) {
            guard let second = reader.readTwoDigits() else { return false }
            (fields.second, fields.hasSeconds) = (second, true)
        }
        return true
    }

    /// Reads exactly `±HH:MM` (offset at most 18:00) from 6 readable bytes, or nil.
    @inline(__always)
    private static func readFastOffset(at start: UnsafeRawPointer) -> Int64? {
        let sign = start.load(as: UInt8.self)
        let h1 = start.load(fromByteOffset: 1, as: UInt8.self) &- UInt8(ascii: "0")
        let h2 = start.load(fromByteOffset: 2, as: UInt8.self) &- UInt8(ascii: "0")
        let m1 = start.load(fromByteOffset: 4, as: UInt8.self) &- UInt8(ascii: "0")
        let m2 = start.load(fromByteOffset: 5, as: UInt8.self) &- UInt8(ascii: "0")
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), start.load(fromByteOffset: 3, as: UInt8.self) == UInt8(ascii: ":"),
              h1 < 10, h2 < 10, m1 < 6, m2 < 10 else { return nil }
        let minutes = Int64(h1) * 600 + Int64(h2) * 60 + Int64(m1) * 10 + Int64(m2)
        guard minutes <= 18 * 60 else { return nil }
        return sign == UInt8(ascii: "-") ? -minutes * 60 : minutes * 60
    }

    /// Reads exactly `.mmmZ` (5 bytes) or `.mmm±HH:MM` (10) at `start`, moving `reader` past it; anything else is left
    /// to `readTail`.
    @inline(__always)
    private static func readFastFractionAndZone(_ start: UnsafeRawPointer, count: Int, _ reader: inout ByteReader, into fields: inout TimestampFields) {
        guard let milliseconds = threeDigitFraction(at: start) else { return }
        if count == 5 {
            guard start.load(fromByteOffset: 4, as: UInt8.self) | 0x20 == UInt8(ascii: "z") else { return }
            fields.offsetSeconds = 0
        } else {
            guard let offset = readFastOffset(at: start + 4) else { return }
            fields.offsetSeconds = offset
        }
        fields.milliseconds = milliseconds
        reader.index += count
    }

    /// The milliseconds of exactly `.mmm` in the four bytes at `start`, or nil (the fast tail's, and
    /// `SameDateReference`'s).
    @inline(__always)
    static func threeDigitFraction(at start: UnsafeRawPointer) -> Int64? {
        let digits = start.loadUnaligned(as: UInt32.self) ^ 0x3030_3000  // ".mmm" little-endian: the dot in lane 0, digits in lanes 1–3
        let first = (digits >> 8) & 0xFF, second = (digits >> 16) & 0xFF, third = digits >> 24
        guard digits & 0xFF == UInt32(UInt8(ascii: ".")), first < 10, second < 10, third < 10 else { return nil }
        return Int64(first * 100 + second * 10 + third)
    }

    /// Reads what may follow the time of day: a fraction (after seconds only), then `Z` or an offset,
    /// then the end of the field.
    private static func readTail(_ reader: inout ByteReader, into fields: inout TimestampFields) -> Bool {
        if fields.hasSeconds {
            guard readFraction(&reader, milliseconds: &fields.milliseconds) else { return false }
        }
        // A 12-hour clock: ` AM` or ` PM` (or with no space, any case) after the time; the hour is then 1–12.
        if reader.peek(0) == UInt8(ascii: " ") || reader.peek(0) | 0x20 == UInt8(ascii: "a") || reader.peek(0) | 0x20 == UInt8(ascii: "p") {
            let start = reader.peek(0) == UInt8(ascii: " ") ? 1 : 0
            let letter = reader.peek(start) | 0x20
            if (letter == UInt8(ascii: "a") || letter == UInt8(ascii: "p")) && reader.peek(start + 1) | 0x20 == UInt8(ascii: "m") {
                guard fields.hour >= 1 && fields.hour <= 12 else { return false }
                fields.hour = fields.hour % 12 + (letter == UInt8(ascii: "p") ? 12 : 0)
                reader.index += start + 2
            }
        }
        // The zone may follow one space: `10:00:00 +01:00`, and BigQuery's `2019-04-01 10:00:00 UTC`.
        if reader.peek(0) == UInt8(ascii: " ") && (reader.peek(1) == UInt8(ascii: "+") || reader.peek(1) == UInt8(ascii: "-") || reader.peek(1) | 0x20 == UInt8(ascii: "u")) {
            reader.index += 1
        }
        // `UTC` is offset zero and may carry an offset (`UTC+01:00`). `GMT` is not read: Windows calls
        // the UK's zone, summer time and all, "GMT Standard Time".
        if reader.peek(0) | 0x20 == UInt8(ascii: "u") && reader.peek(1) | 0x20 == UInt8(ascii: "t") && reader.peek(2) | 0x20 == UInt8(ascii: "c") {
            reader.index += 3
            fields.offsetSeconds = 0
            if reader.isAtEnd { return true }
            guard reader.peek(0) == UInt8(ascii: "+") || reader.peek(0) == UInt8(ascii: "-") else { return false }
        }
        switch reader.peek(0) {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            reader.index += 1
            fields.offsetSeconds = 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let isNegative = reader.peek(0) == UInt8(ascii: "-")
            reader.index += 1
            guard let hours = reader.readTwoDigits() else { return false }
            var minutes = 0
            if reader.skip(UInt8(ascii: ":")) || !reader.isAtEnd {
                guard let parsedMinutes = reader.readTwoDigits() else { return false }
                minutes = parsedMinutes
            }
            guard minutes < 60, hours * 60 + minutes <= 18 * 60 else { return false }
            let offsetSeconds = Int64(hours * 3600 + minutes * 60)
            fields.offsetSeconds = isNegative ? -offsetSeconds : offsetSeconds
        default:
            break
        }
        return reader.isAtEnd
    }

    /// Skips `.` and one or more digits if present, keeping the first three as `milliseconds` (`.7` is 700);
    /// false if a `.` has no digits after it.
    @inline(__always)
    private static func readFraction(_ reader: inout ByteReader, milliseconds: inout Int64) -> Bool {
        guard reader.skip(UInt8(ascii: ".")) else { return true }
        let digitsStart = reader.index
        var value: Int64 = 0
        while case let digit = reader.peek(0) &- UInt8(ascii: "0"), digit < 10 {
            if reader.index - digitsStart < 3 { value = value * 10 + Int64(digit) }
            reader.index += 1
        }
        let kept = min(reader.index - digitsStart, 3)
        milliseconds = kept == 3 ? value : kept == 2 ? value * 10 : value * 100
        return reader.index > digitsStart
    }
}

/// The numbers read from a timestamp before validation.
private struct TimestampFields {
    var year = 0, month = 0, day = 0
    var hour = 0, minute = 0, second = 0
    var hasTime = false
    var hasSeconds = false
    /// A day-month date with numbers for both: 1 when it reads both ways, 2 when a number above 12 settles the order.
    var dayMonth: UInt8 = 0
    var offsetSeconds: Int64?
    var milliseconds: Int64 = 0
}

/// A position in a byte field; reading past the end yields 0, which matches no accepted byte.
private struct ByteReader {
    let base: UnsafeRawPointer
    var index: Int
    var end: Int

    var isAtEnd: Bool { index == end }
    var remainingCount: Int { end - index }

    /// The byte `distance` bytes ahead, or 0 past the end.
    func peek(_ distance: Int) -> UInt8 {
        index + distance < end ? base.load(fromByteOffset: index + distance, as: UInt8.self) : 0
    }

    mutating func trimSpaces() {
        while index < end && peek(0) == UInt8(ascii: " ") { index += 1 }
        while end > index && base.load(fromByteOffset: end - 1, as: UInt8.self) == UInt8(ascii: " ") { end -= 1 }
    }

    /// Consumes `byte` if it comes next.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek(0) == byte else { return false }
        index += 1
        return true
    }

    /// The twelve months' English names, lower case, January first.
    private static let monthNames: [[UInt8]] = ["january", "february", "march", "april", "may", "june", "july", "august",
                                                "september", "october", "november", "december"].map { Array($0.utf8) }

    /// Reads a month's English name in any case, whole or in its first three letters (`Apr`, `APR`,
    /// `April`; also `Sept`), and returns its number 1–12; nil, having read nothing, otherwise.
    mutating func readMonthName() -> Int? {
        var length = 0
        while length < 10, case let letter = peek(length) | 0x20, letter >= UInt8(ascii: "a") && letter <= UInt8(ascii: "z") { length += 1 }
        guard length >= 3 else { return nil }
        for (index, name) in Self.monthNames.enumerated() where length == 3 || length == name.count || (index == 8 && length == 4) {
            if (0..<length).allSatisfy({ peek($0) | 0x20 == name[$0] }) {
                self.index += length
                return index + 1
            }
        }
        return nil
    }

    /// Reads exactly two decimal digits.
    mutating func readTwoDigits() -> Int? {
        let tens = peek(0) &- UInt8(ascii: "0")
        let ones = peek(1) &- UInt8(ascii: "0")
        guard tens < 10, ones < 10 else { return nil }
        index += 2
        return Int(tens) * 10 + Int(ones)
    }

    /// Reads up to `maximumDigits` decimal digits; nil (having consumed them) if there are fewer than `minimumDigits`.
    mutating func readNumber(minimumDigits: Int, maximumDigits: Int) -> Int? {
        var value = 0
        var digitCount = 0
        while digitCount < maximumDigits, case let digit = peek(0) &- UInt8(ascii: "0"), digit < 10 {
            value = value * 10 + Int(digit)
            digitCount += 1
            index += 1
        }
        return digitCount >= minimumDigits ? value : nil
    }
}
