/// A calendar period length for grouping rows, as named by `--period` (DESIGN §5).
///
/// Every period is a range of local wall-clock time in the report time zone, identified by an integer key
/// that increases with time. Keys come from local seconds (wall-clock seconds since 1970-01-01T00:00
/// local) or local day numbers (days since 1970-01-01 local), never from UTC, so:
/// - a local day is 23 or 25 hours of UTC instants where the clocks change;
/// - sub-day periods are wall-clock periods: in the repeated autumn hour, two UTC hours fall in the same
///   local `hour` key (and the same two 15- or 30-minute keys), and the skipped spring hour has keys that
///   no instant reaches. This is intended: reports follow the clock on the wall.
public enum PeriodUnit: String, CaseIterable, Sendable {
    case fifteenMinutes = "15min"
    case thirtyMinutes = "30min"
    case hour
    case day
    /// ISO 8601 week, Monday to Sunday, labelled by its ISO week-year.
    case week
    case month
    case quarter
    case year
    /// UK financial year, 1 April to 31 March, labelled like `2019-20`.
    case financialYear = "fy"

    /// The length of a sub-day period in seconds; nil for a day or longer.
    var subDaySeconds: Int64? {
        switch self {
        case .fifteenMinutes: 900
        case .thirtyMinutes: 1800
        case .hour: 3600
        default: nil
        }
    }

    /// The key of the period containing a local wall-clock second.
    public func key(localSeconds: Int64) -> Int64 {
        if let subDaySeconds { return floorDivide(localSeconds, subDaySeconds) }
        return key(localDay: floorDivide(localSeconds, 86_400))
    }

    /// The key of the period containing a local day (days since 1970-01-01); for sub-day units, the key
    /// of the period that starts at that day's midnight.
    public func key(localDay: Int64) -> Int64 {
        switch self {
        case .fifteenMinutes, .thirtyMinutes, .hour: return key(localSeconds: localDay * 86_400)
        case .day: return localDay
        // 1970-01-01 was a Thursday, so Mondays are day 7k - 3 and week k is days 7k-3 … 7k+3.
        case .week: return floorDivide(localDay + 3, 7)
        default: break
        }
        let date = CivilDate(daysSinceEpoch: localDay)
        let year = Int64(date.year)
        let monthIndex = Int64(date.month - 1)
        switch self {
        case .month: return year * 12 + monthIndex
        case .quarter: return year * 4 + monthIndex / 3
        case .year: return year
        default: return date.month >= 4 ? year : year - 1  // financial year, keyed by the year it starts
        }
    }

    /// The first local day of the period (for sub-day units, the day containing it).
    public func firstLocalDay(key: Int64) -> Int64 {
        switch self {
        case .fifteenMinutes, .thirtyMinutes, .hour: return floorDivide(localSecondsRange(key: key).lowerBound, 86_400)
        case .day: return key
        case .week: return key * 7 - 3
        case .month: return dayNumber(year: floorDivide(key, 12), month: floorModulo(key, 12) + 1)
        case .quarter: return dayNumber(year: floorDivide(key, 4), month: floorModulo(key, 4) * 3 + 1)
        case .year: return dayNumber(year: key, month: 1)
        case .financialYear: return dayNumber(year: key, month: 4)
        }
    }

    /// The last local day of the period, inclusive (for sub-day units, the day containing it).
    public func lastLocalDay(key: Int64) -> Int64 {
        if subDaySeconds != nil { return firstLocalDay(key: key) }
        return firstLocalDay(key: key + 1) - 1
    }

    /// The local wall-clock seconds the period covers.
    public func localSecondsRange(key: Int64) -> Range<Int64> {
        if let subDaySeconds { return key * subDaySeconds..<(key + 1) * subDaySeconds }
        return firstLocalDay(key: key) * 86_400..<(lastLocalDay(key: key) + 1) * 86_400
    }

    /// A short label: `2019-04-01T08:15` (sub-day), `2019-04-01`, `2019-W14`, `2019-04`, `2019-Q2`, `2019`
    /// or `2019-20`.
    public func label(key: Int64) -> String {
        switch self {
        case .fifteenMinutes, .thirtyMinutes, .hour:
            return String(Self.localDateTime(localSeconds: localSecondsRange(key: key).lowerBound).dropLast(3))
        case .day: return CivilDate(daysSinceEpoch: key).description
        case .week:
            // The ISO week-year is the year of the week's Thursday, day 7k.
            let thursday = key * 7
            let weekYear = CivilDate(daysSinceEpoch: thursday).year
            let weekNumber = (thursday - CivilDate(year: weekYear, month: 1, day: 1).daysSinceEpoch) / 7 + 1
            return "\(weekYear.zeroPadded(width: 4))-W\(Int(weekNumber).zeroPadded(width: 2))"
        case .month: return String(CivilDate(daysSinceEpoch: firstLocalDay(key: key)).description.prefix(7))
        case .quarter: return "\(Int(floorDivide(key, 4)).zeroPadded(width: 4))-Q\(floorModulo(key, 4) + 1)"
        case .year: return Int(key).zeroPadded(width: 4)
        case .financialYear: return "\(Int(key).zeroPadded(width: 4))-\(Int(floorModulo(key + 1, 100)).zeroPadded(width: 2))"
        }
    }

    /// The period's first day `YYYY-MM-DD`, or for sub-day units its first local second `YYYY-MM-DDTHH:MM:SS`.
    public func start(key: Int64) -> String {
        if subDaySeconds != nil { return Self.localDateTime(localSeconds: localSecondsRange(key: key).lowerBound) }
        return CivilDate(daysSinceEpoch: firstLocalDay(key: key)).description
    }

    /// The period's last day `YYYY-MM-DD`, or for sub-day units its last local second `YYYY-MM-DDTHH:MM:SS`;
    /// inclusive.
    public func end(key: Int64) -> String {
        if subDaySeconds != nil { return Self.localDateTime(localSeconds: localSecondsRange(key: key).upperBound - 1) }
        return CivilDate(daysSinceEpoch: lastLocalDay(key: key)).description
    }

    private func dayNumber(year: Int64, month: Int64) -> Int64 {
        CivilDate.daysSinceEpoch(year: Int(year), month: Int(month), day: 1)
    }

    /// `YYYY-MM-DDTHH:MM:SS` for a local wall-clock second.
    static func localDateTime(localSeconds: Int64) -> String {
        let secondOfDay = Int(floorModulo(localSeconds, 86_400))
        let date = CivilDate(daysSinceEpoch: floorDivide(localSeconds, 86_400))
        let hour = secondOfDay / 3600, minute = secondOfDay / 60 % 60, second = secondOfDay % 60
        guard (0...9999).contains(date.year) else {
            return "\(date)T\([hour, minute, second].map { $0.zeroPadded(width: 2) }.joined(separator: ":"))"
        }
        // Written in place: a 15-minute report formats three a period, and padding and joining the parts as
        // strings cost thousands of instructions each.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 19) { text in
            func put(_ value: Int, at offset: Int, width: Int) {
                var value = value
                for position in stride(from: offset + width - 1, through: offset, by: -1) {
                    text[position] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(date.year, at: 0, width: 4)
            put(date.month, at: 5, width: 2)
            put(date.day, at: 8, width: 2)
            put(hour, at: 11, width: 2)
            put(minute, at: 14, width: 2)
            put(second, at: 17, width: 2)
            (text[4], text[7], text[10], text[13], text[16]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "T"), UInt8(ascii: ":"), UInt8(ascii: ":"))
            return String(decoding: text, as: UTF8.self)
        }
    }
}

extension PeriodUnit {
    /// Shorter than a day (keys come from local seconds, not the local day).
    var isSubDay: Bool { self == .fifteenMinutes || self == .thirtyMinutes || self == .hour }
}
