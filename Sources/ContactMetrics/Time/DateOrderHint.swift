/// What to tell a user whose timestamps were rejected for their date order: a run read with the default
/// (year first) rejects every `13/04/2019 10:00:00`, and nothing else says that `--date-order` exists.
public enum DateOrderHint {
    /// A hint from the timestamps that rejected rows quote (`found "13/04/2019 10:00:00"`), or nil when
    /// none starts with a day-month or month-day date. A date that exists read one way only proves that
    /// order (`DayMonthDates.readings`); otherwise either could be meant.
    public static func hint(for rejects: [RejectedRow]) -> String? {
        var dayFirst: String?, monthFirst: String?, either: String?
        for row in rejects {
            guard let value = quotedValue(in: row.message),
                  let readings = Array(value.utf8).withUnsafeBytes({ DayMonthDates.readings($0) }) else { continue }
            switch (readings.dayFirst, readings.monthFirst) {
            case (true, false): dayFirst = dayFirst ?? value
            case (false, true): monthFirst = monthFirst ?? value
            default: either = either ?? value
            }
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
}
