/// What to tell a user whose timestamps were rejected for their date order: a run read with the default
/// (year first) rejects every `13/04/2019 10:00:00`, and nothing else says that `--date-order` exists.
public enum DateOrderHint {
    /// A hint from the timestamps that rejected rows quote (`found "13/04/2019 10:00:00"`), or nil when
    /// none starts with a day-month or month-day date. A first number above 12 proves the day comes
    /// first, a second one above 12 that the month does; otherwise either could be meant.
    public static func hint(for rejects: [RejectedRow]) -> String? {
        var dayFirst: String?, monthFirst: String?, either: String?
        for row in rejects {
            guard let value = quotedValue(in: row.message), let (first, second) = leadingNumbers(value) else { continue }
            if first > 12 && second <= 12 { dayFirst = dayFirst ?? value }
            else if second > 12 && first <= 12 { monthFirst = monthFirst ?? value }
            else if first <= 12 && second <= 12 { either = either ?? value }
        }
        if let value = dayFirst, monthFirst == nil {
            return "timestamps like \"\(value)\" put the day first: give --date-order dmy"
        }
        if let value = monthFirst, dayFirst == nil {
            return "timestamps like \"\(value)\" put the month first: give --date-order mdy"
        }
        if let value = either ?? dayFirst {
            return "timestamps like \"\(value)\" need their date order: give --date-order dmy (day first) or mdy (month first)"
        }
        return nil
    }

    /// The text between `found "` and the next `"` of a reject message.
    private static func quotedValue(in message: String) -> String? {
        guard let start = message.range(of: "found \"")?.upperBound,
              let end = message[start...].firstIndex(of: "\"") else { return nil }
        return String(message[start..<end])
    }

    /// `N/N/` at the start of `value` (`/`, `.` or `-` between, one or two digits each, a year after).
    private static func leadingNumbers(_ value: String) -> (Int, Int)? {
        let parts = value.split(maxSplits: 2, omittingEmptySubsequences: false) { "/.-".contains($0) }
        guard parts.count == 3, let first = Int(parts[0]), let second = Int(parts[1]),
              (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
              parts[2].prefix(while: \.isNumber).count >= 2 else { return nil }
        return (first, second)
    }
}
