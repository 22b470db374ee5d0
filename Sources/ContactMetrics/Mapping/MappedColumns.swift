/// A mapping config resolved against one file's header: column indices and byte tables, ready for
/// `BlockWorker.decodeMapped` (no names, no Strings per row).
struct MappedColumns: Sendable, Equatable {
    struct Timestamp: Sendable, Equatable {
        /// Candidate columns, first non-empty wins.
        var columns: [Int]
        var dateColumn: Int?
        var dateFormat: [TimestampSource.DateToken]
        var timeFormat: [TimestampSource.TimeToken]
        var dateIsOf: Int?
        /// The canonical name, for messages.
        var name: String
        /// An offset from another of the row's times: `columns` hold durations.
        var offset: Offset?
    }

    /// `TimestampSource.Offset` resolved against a header.
    struct Offset: Sendable, Equatable {
        /// The slot (`MappedColumns.slot(of:)`) of the time it is from.
        var from: Int
        var unit: DurationUnit
        var before: Bool
        /// Duration columns added to the first.
        var plus: [Int]
    }

    /// The row's times by slot: arrived_at, answered_at, ended_at, abandoned_at.
    static let timeNames = ["arrived_at", "answered_at", "ended_at", "abandoned_at"]
    static func slot(of name: String) -> Int { timeNames.firstIndex(of: name)! }

    /// The slots of the times the mapping gives, each after the one it is an offset from.
    var timeOrder: [Int] = []
    /// For each time slot, the slot it is an offset from, or -1.
    var offsetBases: [Int] = [-1, -1, -1, -1]
    /// Answer and abandon times are durations after the arrival: waits are exact whatever the
    /// resolution of the arrival's time (so times in whole minutes do not count against a file).
    var waitsAreDurations = false
    func time(_ slot: Int) -> Timestamp? {
        switch slot {
        case 0: arrivedAt
        case 1: answeredAt
        case 2: endedAt
        default: abandonedAt
        }
    }

    struct Condition: Sendable, Equatable {
        var column: Int
        var test: FieldTest
    }

    struct OutcomeRule: Sendable, Equatable {
        var conditions: [Condition]
        var outcome: ContactContribution.Outcome
    }

    var contactId: [Int]
    var channel: [Int]
    var outcome: [Int]
    var category: [Int]
    /// After-call work: duration columns (first not empty wins) and their unit.
    var wrapUp: [Int]
    var wrapUpUnit: DurationUnit
    var arrivedAt: Timestamp
    var answeredAt: Timestamp?
    var endedAt: Timestamp?
    var abandonedAt: Timestamp?
    var skipRules: [[Condition]]
    var outcomeRules: [OutcomeRule]
    /// Export channel value → channel label bytes.
    var channelMap: ValueMap<[UInt8]>
    var outcomeMap: ValueMap<ContactContribution.Outcome>
    var nullValues: [[UInt8]]
    var clockSkewSeconds: Int64

    /// One past the last column any part of the mapping reads.
    var usedColumnCount: Int {
        var used = contactId + channel + outcome + category + wrapUp
        for timestamp in [arrivedAt, answeredAt, endedAt, abandonedAt].compactMap({ $0 }) {
            used += timestamp.columns + (timestamp.offset?.plus ?? [])
            if let dateColumn = timestamp.dateColumn { used.append(dateColumn) }
            if let reference = timestamp.dateIsOf { used.append(reference) }
        }
        for conditions in skipRules + outcomeRules.map(\.conditions) { used += conditions.map(\.column) }
        return 1 + (used.max() ?? 0)
    }

    /// An outcome label after mapping: `answered`, `abandoned`, anything else is `other`.
    static func outcome(forLabel label: String) -> ContactContribution.Outcome {
        switch label.lowercased() {
        case "answered": return .answered
        case "abandoned": return .abandoned
        default: return .other
        }
    }

    /// - Throws: `InputError.missingConfigColumn` for a column the header lacks, `.missingColumns`
    ///   when neither the config nor the header gives `channel` or `arrived_at`.
    init(mapping: MappingConfig, headerNames: [String], path: String) throws(InputError) {
        func index(_ name: String, _ key: String) throws(InputError) -> Int {
            guard let found = headerNames.firstIndex(of: name.lowercased()) else {
                throw .missingConfigColumn(path: path, key: key, column: name)
            }
            return found
        }
        func columns(_ canonical: String) throws(InputError) -> [Int] {
            if let source = mapping.columns[canonical] {
                var result: [Int] = []
                for (offset, name) in source.columns.enumerated() {
                    result.append(try index(name, source.columns.count == 1 ? "columns.\(canonical)" : "columns.\(canonical)[\(offset)]"))
                }
                return result
            }
            return headerNames.firstIndex(of: canonical).map { [$0] } ?? []
        }
        func timestamp(_ canonical: String) throws(InputError) -> Timestamp? {
            let key = "columns.\(canonical)"
            guard let source = mapping.columns[canonical] else {
                return headerNames.firstIndex(of: canonical).map {
                    Timestamp(columns: [$0], dateColumn: nil, dateFormat: [], timeFormat: [], dateIsOf: nil, name: canonical)
                }
            }
            var result = Timestamp(columns: [], dateColumn: nil, dateFormat: source.dateFormat, timeFormat: source.timeFormat,
                                   dateIsOf: nil, name: canonical)
            if let offset = source.offset {
                var plus: [Int] = []
                for (position, name) in offset.plus.enumerated() { plus.append(try index(name, "\(key).plus[\(position)]")) }
                result.offset = Offset(from: Self.slot(of: offset.from), unit: offset.unit, before: offset.before, plus: plus)
            }
            let timeKey = source.dateColumn == nil ? key : "\(key).time"
            for (offset, name) in source.columns.enumerated() {
                result.columns.append(try index(name, source.columns.count == 1 ? timeKey : "\(timeKey)[\(offset)]"))
            }
            if let date = source.dateColumn { result.dateColumn = try index(date, "\(key).date") }
            if let reference = source.dateIsOf { result.dateIsOf = try index(reference, "\(key).date_is_of") }
            return result
        }
        func conditions(_ list: [FieldCondition], _ key: String) throws(InputError) -> [Condition] {
            var result: [Condition] = []
            for condition in list {
                result.append(Condition(column: try index(condition.column, "\(key).\(condition.column)"), test: condition.test))
            }
            return result
        }

        contactId = try columns("contact_id")
        channel = try columns("channel")
        outcome = try columns("outcome")
        category = try columns("category")
        wrapUp = try columns("wrap_up_seconds")
        wrapUpUnit = mapping.columns["wrap_up_seconds"]?.durationUnit ?? .seconds
        let arrived = try timestamp("arrived_at")
        let missing = (channel.isEmpty ? ["channel"] : []) + (arrived == nil ? ["arrived_at"] : [])
        guard missing.isEmpty, let arrived else {
            throw .missingColumns(path: path, kind: "contacts (after the config's column mapping)", columns: missing)
        }
        arrivedAt = arrived
        answeredAt = try timestamp("answered_at")
        endedAt = try timestamp("ended_at")
        abandonedAt = try timestamp("abandoned_at")
        skipRules = []
        for (offset, rule) in mapping.skipRules.enumerated() { skipRules.append(try conditions(rule, "skip[\(offset)]")) }
        outcomeRules = []
        for (offset, rule) in mapping.outcomeRules.enumerated() {
            outcomeRules.append(OutcomeRule(conditions: try conditions(rule.conditions, "outcome_rules[\(offset)].when"),
                                            outcome: Self.outcome(forLabel: rule.outcome)))
        }
        channelMap = ValueMap(mapping.channelMap.map { ($0.from, $0.toBytes) })
        outcomeMap = ValueMap(mapping.outcomeMap.map { ($0.from, Self.outcome(forLabel: $0.to)) })
        nullValues = mapping.nullValues
        clockSkewSeconds = mapping.clockSkewSeconds
        // Offsets are acyclic (`MappingConfig.checkOffsets`): at most four passes place every time.
        var placed: [Int] = []
        for _ in 0..<4 {
            for slot in 0..<4 where !placed.contains(slot) {
                guard let time = time(slot) else { continue }
                if let from = time.offset?.from, !placed.contains(from) {
                    if self.time(from) == nil { throw .missingConfigColumn(path: path, key: "columns.\(Self.timeNames[slot]).offset_from", column: Self.timeNames[from]) }
                    continue
                }
                placed.append(slot)
            }
        }
        timeOrder = placed
        offsetBases = (0..<4).map { time($0)?.offset?.from ?? -1 }
        func afterArrival(_ time: Timestamp?) -> Bool { time?.offset.map { $0.from == 0 && !$0.before } ?? false }
        waitsAreDurations = afterArrival(answeredAt) && (abandonedAt == nil ? afterArrival(endedAt) : afterArrival(abandonedAt))
    }
}

/// Byte-level helpers for mapped rows: date and time formats, null tokens, value comparison.
enum MappedFields {
    /// ASCII case-insensitive equality.
    @inline(__always)
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ value: [UInt8]) -> Bool {
        guard bytes.count == value.count else { return false }
        for index in 0..<value.count {
            let left = bytes[index], right = value[index]
            if left != right && (left | 0x20 != right | 0x20 || !(left | 0x20 >= 0x61 && left | 0x20 <= 0x7A)) { return false }
        }
        return true
    }

    @inline(__always)
    static func isNull(_ bytes: UnsafeRawBufferPointer, _ nullValues: [[UInt8]]) -> Bool {
        if bytes.isEmpty { return true }
        for value in nullValues where value.count == bytes.count && equalsIgnoringCase(bytes, value) { return true }
        return false
    }

    /// Reads 1…`maximum` digits at `index` (exactly `maximum` when `fixed`).
    @inline(__always)
    private static func number(_ bytes: UnsafeRawBufferPointer, _ index: inout Int, maximum: Int, fixed: Bool) -> Int? {
        var value = 0, count = 0
        while count < maximum && index < bytes.count, case let digit = bytes[index] &- ASCII.zero, digit < 10 {
            value = value * 10 + Int(digit)
            index += 1
            count += 1
        }
        return count == 0 || (fixed && count != maximum) ? nil : value
    }

    /// Days since 1970-01-01 of a date field, or nil when it does not match the format or does not exist.
    static func days(_ bytes: UnsafeRawBufferPointer, _ format: [TimestampSource.DateToken]) -> Int64? {
        var index = 0, year = 0, month = 0, day = 0
        for token in format {
            switch token {
            case .year4: guard let value = number(bytes, &index, maximum: 4, fixed: true) else { return nil }; year = value
            case .year2:
                guard let value = number(bytes, &index, maximum: 2, fixed: true) else { return nil }
                year = value < 70 ? 2000 + value : 1900 + value  // 70–99 → 1970–1999, 00–69 → 2000–2069
            case .month2: guard let value = number(bytes, &index, maximum: 2, fixed: true) else { return nil }; month = value
            case .month: guard let value = number(bytes, &index, maximum: 2, fixed: false) else { return nil }; month = value
            case .day2: guard let value = number(bytes, &index, maximum: 2, fixed: true) else { return nil }; day = value
            case .day: guard let value = number(bytes, &index, maximum: 2, fixed: false) else { return nil }; day = value
            case .literal(let byte): guard index < bytes.count, bytes[index] == byte else { return nil }; index += 1
            }
        }
        guard index == bytes.count, month >= 1, month <= 12, day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
        return CivilDate.daysSinceEpoch(year: year, month: month, day: day)
    }

    /// A duration field in whole milliseconds (finer fractions truncated, so that durations are added
    /// before the sum is truncated to seconds), or nil when it is not a duration in `unit` (negative, or
    /// more than a year: a wrong column).
    static func durationMilliseconds(_ bytes: UnsafeRawBufferPointer, _ unit: DurationUnit) -> Int64? {
        var index = 0
        while index < bytes.count && bytes[index] == UInt8(ascii: " ") { index += 1 }
        var end = bytes.count
        while end > index && bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        guard index < end else { return nil }
        func digits(_ maximum: Int) -> (value: Int64, count: Int)? {
            var value: Int64 = 0, count = 0
            while index < end, count < maximum, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                value = value * 10 + Int64(digit)
                count += 1
                index += 1
            }
            return count == 0 ? nil : (value, count)
        }
        let year: Int64 = 366 * 86_400
        if unit == .clock {
            // H:MM:SS or M:SS: the first part of any length, then parts of exactly two digits below 60,
            // and a fraction of the seconds (`0:01:23.456`, as Genesys and Excel write durations).
            guard var total = digits(9)?.value else { return nil }
            var parts = 1
            while index < end && bytes[index] == UInt8(ascii: ":") && parts < 3 {
                index += 1
                guard let (part, count) = digits(2), count == 2, part < 60 else { return nil }
                total = total * 60 + part
                parts += 1
            }
            var milliseconds: Int64 = 0
            if parts >= 2 && index < end && bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard let (value, count) = digits(9) else { return nil }
                var scale: Int64 = 1
                for _ in 0..<count { scale *= 10 }
                milliseconds = value * 1_000 / scale
            }
            guard index == end, parts >= 2, total <= year else { return nil }
            return total * 1_000 + milliseconds
        }
        guard let whole = digits(12)?.value else { return nil }
        var fraction: Int64 = 0, scale: Int64 = 1
        if index < end && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard let (value, count) = digits(9) else { return nil }
            fraction = value
            for _ in 0..<count { scale *= 10 }
        }
        guard index == end, whole <= year * 1_000 else { return nil }
        let milliseconds: Int64 = switch unit {
        case .milliseconds: whole
        case .seconds: whole * 1_000 + fraction * 1_000 / scale
        case .minutes: whole * 60_000 + fraction * 60_000 / scale
        case .clock: 0
        }
        return milliseconds <= year * 1_000 ? milliseconds : nil
    }

    /// Seconds since midnight of a time-of-day field, or nil when it does not match the format.
    static func secondOfDay(_ bytes: UnsafeRawBufferPointer, _ format: [TimestampSource.TimeToken]) -> Int64? {
        var index = 0, hour = 0, minute = 0, second = 0
        for token in format {
            switch token {
            case .hour2: guard let value = number(bytes, &index, maximum: 2, fixed: true) else { return nil }; hour = value
            case .hour: guard let value = number(bytes, &index, maximum: 2, fixed: false) else { return nil }; hour = value
            case .minute2: guard let value = number(bytes, &index, maximum: 2, fixed: true) else { return nil }; minute = value
            case .second2: guard let value = number(bytes, &index, maximum: 2, fixed: true) else { return nil }; second = value
            case .literal(let byte): guard index < bytes.count, bytes[index] == byte else { return nil }; index += 1
            }
        }
        guard index == bytes.count, hour < 24, minute < 60, second < 60 else { return nil }
        return Int64(hour * 3600 + minute * 60 + second)
    }
}
