#if canImport(Glibc)
import Glibc
#endif

/// Dates written with the day and month first in either order (`13/04/2019`, `04/13/2019`, `1.4.2019`):
/// recognising them in bytes, and judging from a file which order it uses.
public enum DayMonthDates {
    /// Which orders read a date `N/N/YYYY` at the start of `bytes` (after spaces) as a date that exists:
    /// one or two digits each, `/`, `.` or `-` between (the same both times), and four or two digits of
    /// year not followed by another digit. Nil for anything else (ISO dates included) and for dates no order reads
    /// (`31/02/2019`).
    static func readings(_ bytes: UnsafeRawBufferPointer) -> Readings? {
        var index = 0
        while index < bytes.count && bytes[index] == UInt8(ascii: " ") { index += 1 }
        return readings(bytes, at: index)
    }

    /// Whether a day-month date reads as a date that exists with the day first, and with the month first.
    struct Readings: Equatable {
        var dayFirst: Bool
        var monthFirst: Bool
    }

    /// `readings` at `start`, where `start` is the first digit of the day-or-month.
    private static func readings(_ bytes: UnsafeRawBufferPointer, at start: Int) -> Readings? {
        readingsAndEnd(bytes, at: start)?.readings
    }

    /// The earliest and latest days (since 1970-01-01) that each order reads a file's day-month dates as.
    struct Spans {
        var dayFirst: ClosedRange<Int64>?
        var monthFirst: ClosedRange<Int64>?

        subscript(order: DateOrder) -> ClosedRange<Int64>? { order == .dayFirst ? dayFirst : monthFirst }

        mutating func add(dayFirst day: Int64?, monthFirst month: Int64?) {
            if let day { dayFirst = Self.widened(dayFirst, by: day...day) }
            if let month { monthFirst = Self.widened(monthFirst, by: month...month) }
        }

        /// The smallest range holding `range` (if any) and `other`.
        static func widened(_ range: ClosedRange<Int64>?, by other: ClosedRange<Int64>) -> ClosedRange<Int64> {
            guard let range else { return other }
            return min(range.lowerBound, other.lowerBound)...max(range.upperBound, other.upperBound)
        }
    }

    /// `readings` at `start`, the index just past the date's year, and the day each order reads it as.
    private static func readingsAndEnd(_ bytes: UnsafeRawBufferPointer, at start: Int)
        -> (readings: Readings, end: Int, dayFirst: Int64?, monthFirst: Int64?)? {
        var index = start
        func number(maximumDigits: Int) -> Int? {
            var value = 0, digits = 0
            while index < bytes.count, digits < maximumDigits, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                value = value * 10 + Int(digit)
                digits += 1
                index += 1
            }
            return digits == 0 ? nil : value
        }
        guard let first = number(maximumDigits: 2), index < bytes.count, isSeparator(bytes[index]) else { return nil }
        let separator = bytes[index]
        index += 1
        guard let second = number(maximumDigits: 2), index < bytes.count, bytes[index] == separator else { return nil }
        index += 1
        let yearStart = index
        guard var year = number(maximumDigits: 4), index - yearStart == 4 || index - yearStart == 2,
              index == bytes.count || bytes[index] &- UInt8(ascii: "0") >= 10 else { return nil }
        if index - yearStart == 2 { year += year < 70 ? 2000 : 1900 }  // as the parser reads two-digit years
        func exists(day: Int, month: Int) -> Bool {
            year >= 1 && (1...12).contains(month) && day >= 1 && day <= CivilDate.daysInMonth(year: year, month: month)
        }
        let readings = Readings(dayFirst: exists(day: first, month: second), monthFirst: exists(day: second, month: first))
        guard readings.dayFirst || readings.monthFirst else { return nil }
        return (readings, index, readings.dayFirst ? CivilDate.daysSinceEpoch(year: year, month: second, day: first) : nil,
                readings.monthFirst ? CivilDate.daysSinceEpoch(year: year, month: first, day: second) : nil)
    }

    /// Whether the date from `start` to `end` is a field's value of its own, in a file whose fields are split by
    /// `delimiter` (`:` for JSON records, whose values follow their names): it follows the delimiter, or the quote
    /// that opens a field after it, or begins a line and is followed by the delimiter (a record's first field; a line
    /// of its own is likelier a line of a note in quotes), spaces of padding aside; a time may follow it (` 10:00`,
    /// `T10:00:00.5`, then ` PM`, `Z`, ` UTC` or `+01:00`), and then the field must end: at the delimiter or the
    /// line's end, or in quotes at the closing quote. A date inside free text (`ref 12/25/2019 follow-up`,
    /// `12/25/2019 10:00 caller to ring back`, `Callback requested; 12/25/2019` in a comma file, `""12/25/2019""`)
    /// is not, and must not choose how the timestamps are read (reviews' UK exports were read month first for such
    /// notes, their April spread over the year).
    static func standsAlone(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, delimiter: UInt8 = UInt8(ascii: ",")) -> Bool {
        let isJSON = delimiter == UInt8(ascii: ":")
        func isLineEnd(_ index: Int) -> Bool { index < 0 || index >= bytes.count || bytes[index] == ASCII.newline || bytes[index] == ASCII.carriageReturn }
        var before = start
        while before > 0 && bytes[before - 1] == UInt8(ascii: " ") { before -= 1 }
        let quoted = before > 0 && bytes[before - 1] == UInt8(ascii: "\"")
        var opening = before - (quoted ? 1 : 0)  // where the field begins
        if quoted { while opening > 0 && bytes[opening - 1] == UInt8(ascii: " ") { opening -= 1 } }
        let startsLine = isLineEnd(opening - 1)
        // After the delimiter (a quote before the opening one is a doubled quote inside a field), or a line's start.
        guard startsLine || bytes[opening - 1] == delimiter else { return false }
        var after = end
        func skipSpaces() { while after < bytes.count && bytes[after] == UInt8(ascii: " ") { after += 1 } }
        func lettersFollow(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard after + count <= bytes.count, (0..<count).allSatisfy({ bytes[after + $0] | 0x20 == word.utf8Start[$0] }) else { return false }
            after += count
            return true
        }
        if after + 1 < bytes.count && (bytes[after] == UInt8(ascii: " ") || bytes[after] | 0x20 == UInt8(ascii: "t")) && isDigit(bytes[after + 1]) {
            after += 1
            while after < bytes.count && (isDigit(bytes[after]) || bytes[after] == UInt8(ascii: ":") || bytes[after] == UInt8(ascii: ".")) { after += 1 }
            skipSpaces()
            _ = lettersFollow("am") || lettersFollow("pm")
            skipSpaces()
            if lettersFollow("utc") || lettersFollow("z") {
                skipSpaces()
            }
            if after < bytes.count && (bytes[after] == UInt8(ascii: "+") || bytes[after] == UInt8(ascii: "-")) {
                after += 1
                while after < bytes.count && (isDigit(bytes[after]) || bytes[after] == UInt8(ascii: ":")) { after += 1 }
            }
        }
        skipSpaces()
        if quoted {
            // The closing quote, not the first of a doubled one, then the field's end.
            guard after < bytes.count && bytes[after] == UInt8(ascii: "\"") else { return false }
            after += 1
            skipSpaces()
        }
        if after < bytes.count && bytes[after] == delimiter { return true }
        if isJSON { return after < bytes.count && (bytes[after] == UInt8(ascii: ",") || bytes[after] == UInt8(ascii: "}") || isLineEnd(after)) }
        return !startsLine && isLineEnd(after)
    }

    /// The delimiter of a file whose first line is `bytes`'s first: `:` for JSON records (a `{` first), else the
    /// one of comma, semicolon, tab and pipe the line holds most of (a header's), comma when it holds none.
    static func delimiter(ofFirstLine bytes: UnsafeRawBufferPointer) -> UInt8 {
        let line = bytes.prefix { $0 != ASCII.newline }
        if line.first(where: { $0 != UInt8(ascii: " ") && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }) == UInt8(ascii: "{") { return UInt8(ascii: ":") }
        let candidates = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
        let counts = candidates.map { candidate in line.reduce(0) { $0 + ($1 == candidate ? 1 : 0) } }
        guard let most = counts.max(), most > 0 else { return UInt8(ascii: ",") }
        return candidates[counts.firstIndex(of: most)!]
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }

    /// What the dates of some inputs say about their order.
    public enum Judgement: Equatable, Sendable {
        /// No day-month date was found.
        case none
        /// A date proves the order: it exists read one way only (`13/04/2019` day first, `04/13/2019` month first).
        case proven(DateOrder, example: String, path: String)
        /// Day-month dates were found, and each read as a date both ways.
        case unproven(example: String, path: String)
        /// Some dates prove one order and others the other.
        case conflicting(dayFirst: String, dayFirstPath: String, monthFirst: String, monthFirstPath: String)
    }

    /// Judges the order of the day-month dates in `bytes`, part of the file `path`, stopping at the first
    /// proof; `judgement` carries what the file's earlier bytes showed. Dates are found in any column (a
    /// date in another column is written by the same system, the same way), but only as a field's value
    /// (`standsAlone`): a date typed into free text may be written any way.
    ///
    /// Measured: about 3 GB/s (a byte loop was 0.3 GB/s). A byte at a time until the first date, then by `memchr`
    /// for that date's separator, and one date a line (a row's other dates are mostly of the same day).
    static func judge(_ bytes: UnsafeRawBufferPointer, path: String, delimiter: UInt8 = UInt8(ascii: ","), into judgement: inout Judgement) {
        var spans = Spans()
        judge(bytes, path: path, delimiter: delimiter, into: &judgement, spans: &spans)
    }

    /// `judge`, also widening `spans` by each date judged (the proving one included).
    static func judge(_ bytes: UnsafeRawBufferPointer, path: String, delimiter: UInt8 = UInt8(ascii: ","), into judgement: inout Judgement,
                      spans: inout Spans) {
        guard bytes.count >= 8, let base = bytes.baseAddress else { return }
        var index = 0
        var separator: UInt8?
        while index < bytes.count {
            let start: Int
            if let separator {
                guard let hit = memchr(base + index, Int32(separator), bytes.count - index) else { return }
                let at = base.distance(to: UnsafeRawPointer(hit))
                index = at + 1
                var first = at
                while first > 0 && at - first < 2 && isDigit(bytes[first - 1]) { first -= 1 }
                guard first < at, first == 0 || !isWordByte(bytes[first - 1]) else { continue }
                start = first
            } else {
                // A date starts at a digit that follows no digit or letter.
                start = index
                index += 1
                guard isDigit(bytes[start]), start == 0 || !isWordByte(bytes[start - 1]) else { continue }
            }
            guard let (readings, end, dayFirst, monthFirst) = readingsAndEnd(bytes, at: start),
                  standsAlone(bytes, from: start, to: end, delimiter: delimiter) else { continue }
            separator = bytes[isDigit(bytes[start + 1]) ? start + 2 : start + 1]
            spans.add(dayFirst: dayFirst, monthFirst: monthFirst)
            if readings.dayFirst && readings.monthFirst {
                if case .none = judgement { judgement = .unproven(example: excerpt(bytes, from: start), path: path) }
            } else {
                judgement.add(.proven(readings.dayFirst ? .dayFirst : .monthFirst, example: excerpt(bytes, from: start), path: path))
                return
            }
            // On past this date, not to the next line: JSON records one after another are all on one line, and
            // its first date was all that was looked at (the order went unproven). The scan stops at the first
            // date that proves the order, which most files give within their first days.
            index = start + 6
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10 || (byte | 0x20) &- UInt8(ascii: "a") < 26
    }

    /// The date and what follows it up to the end of the field (at most 32 bytes), for messages.
    private static func excerpt(_ bytes: UnsafeRawBufferPointer, from start: Int) -> String {
        var end = start
        while end < bytes.count && end - start < 32,
              ![UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|"), UInt8(ascii: "\""),
                UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[end]) { end += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}

extension DayMonthDates.Judgement {
    /// The order the judgement settles on, if it settles.
    public var order: DateOrder? {
        if case .proven(let order, _, _) = self { return order }
        return nil
    }

    /// Folds in a proof (or another file's judgement).
    mutating func add(_ other: Self) {
        switch (self, other) {
        case (_, .none), (.conflicting, _): return
        case (.none, _), (.unproven, .proven), (.unproven, .conflicting): self = other
        case (.unproven, .unproven): return
        case (.proven, .unproven): return
        case (.proven(let mine, let example, let path), .proven(let theirs, let otherExample, let otherPath)):
            guard mine != theirs else { return }
            self = mine == .dayFirst
                ? .conflicting(dayFirst: example, dayFirstPath: path, monthFirst: otherExample, monthFirstPath: otherPath)
                : .conflicting(dayFirst: otherExample, dayFirstPath: otherPath, monthFirst: example, monthFirstPath: path)
        case (.proven, .conflicting): self = other
        }
    }
}

/// Judges the date order of a run's inputs before they are read (`IngestOptions.judgesDateOrder`).
enum DateOrderScan {
    static let chunkSize = 1 << 20
    /// A file with no day-month date in its first 64 KiB is not read further (measured: looking through
    /// a MiB byte by byte cost 38 million instructions a file, which a run of many small files would feel).
    static let firstLook = 64 << 10

    /// Reads each regular file (gzip inflated, transcoded) until a date proves its order; a file whose
    /// first 64 KiB hold no day-month date is not read further. Standard input and pipes cannot be read twice and
    /// are left out (their rejected rows speak for them at the end).
    /// - Returns: the run's judgement, and the files with day-month dates none of which proved an order
    ///   (`unproven`) that, read in the order other files proved, fall more than `nearbyDays` from the dates
    ///   those files showed: read on the word of files of other times, they may come from another system (a
    ///   US file of 1–12 April beside a UK one of the 13th read as January to December). One system's daily
    ///   files of 1–12 April beside those of 13–30 April are not named (the diff review found the warning on
    ///   every month's run). A file of days that read near either way (a US file of 3 April alone, read as
    ///   4 March) cannot be told from the same system's: not named. (Naming a file nearer read the other way
    ///   named one system's 5 April beside 13–30 April, as 4 May is nearer: taken back.)
    static func judge(_ inputs: [String], encoding: TextEncoding?) throws(InputError) -> (judgement: DayMonthDates.Judgement, unproven: [String]) {
        var run = DayMonthDates.Judgement.none
        var unproven: [(name: String, spans: DayMonthDates.Spans)] = []
        var proven: [DateOrder: ClosedRange<Int64>] = [:]
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        for name in inputs where InputOpener.isRegularFile(name) {
            let stream = try InputOpener.open(name, encoding: encoding)
            defer { stream.close() }
            var file = DayMonthDates.Judgement.none
            var spans = DayMonthDates.Spans()
            var isFirstChunk = true
            var delimiter = UInt8(ascii: ",")
            var carried = 0  // the last chunk's unfinished line, moved to the front (a date is never cut in two)
            while file.order == nil {
                // The first look is short: most files have ISO dates, or none of these.
                let wanted = isFirstChunk ? firstLook : chunkSize
                var filled = carried
                while filled < wanted {
                    let count = try stream.read(into: buffer + filled, capacity: wanted - filled)
                    if count == 0 { break }
                    filled += count
                }
                let atEnd = filled < wanted
                if filled == 0 { break }
                var judged = filled
                if !atEnd, let newline = UnsafeRawBufferPointer(start: buffer, count: filled).lastIndex(of: ASCII.newline) { judged = newline + 1 }
                if isFirstChunk { delimiter = DayMonthDates.delimiter(ofFirstLine: UnsafeRawBufferPointer(start: buffer, count: judged)) }
                DayMonthDates.judge(UnsafeRawBufferPointer(start: buffer, count: judged), path: name, delimiter: delimiter, into: &file, spans: &spans)
                if isFirstChunk, case .none = file { break }
                isFirstChunk = false
                if atEnd { break }
                carried = filled - judged
                if carried > 0 { buffer.copyMemory(from: buffer + judged, byteCount: carried) }
            }
            if case .unproven = file { unproven.append((name, spans)) }
            if let order = file.order, let span = spans[order] {
                proven[order] = DayMonthDates.Spans.widened(proven[order], by: span)
            }
            run.add(file)
        }
        guard let order = run.order, let known = proven[order] else { return (run, []) }
        return (run, unproven.filter { file in
            guard let span = file.spans[order] else { return true }
            return span.lowerBound < known.lowerBound - nearbyDays || span.upperBound > known.upperBound + nearbyDays
        }.map(\.name))
    }

    /// How far, in days, a file's dates may fall from those of the files that proved the order and still be
    /// taken as the same system's (a month's daily files, a quarter's weekly ones).
    static let nearbyDays: Int64 = 62
}
