// Decoding one contacts row through a mapping config (`--config`, DESIGN §3.4).
//
// Per row, on bytes only: skip rules (→ skipped, `config_rule`), channel (value map, then the usual
// interning), timestamps (one column read by TimestampParser, or a date column plus time-of-day
// columns read with the config's formats, first non-empty candidate wins, next day when a time is
// more than 12 hours before the `date_is_of` time), outcome (rules, then value map, then the DESIGN
// default), then the same checks and accumulation as `decodeContact`. Keep the tail of
// `decodeMapped` in step with `decodeContact` (negative waits, implausible durations, period, ids);
// the only difference is `clock_skew_seconds`.

extension BlockWorker {
    /// An empty field (a category column the row leaves empty).
    private static var emptyField: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }

    /// A mapped field: trimmed, and empty when it is a null token.
    @inline(__always)
    private mutating func mappedField(_ column: Int, _ columns: MappedColumns) -> UnsafeRawBufferPointer {
        let bytes = field(column)
        return columns.rows.isNull(bytes) ? UnsafeRawBufferPointer(start: bytes.baseAddress, count: 0) : bytes
    }

    /// The first non-empty candidate column, or nil.
    @inline(__always)
    private mutating func firstValue(_ candidates: [Int], _ columns: MappedColumns) -> (column: Int, bytes: UnsafeRawBufferPointer)? {
        for column in candidates {
            let bytes = mappedField(column, columns)
            if !bytes.isEmpty { return (column, bytes) }
        }
        return nil
    }

    /// The first non-empty candidate column of a list in `columns.rows`, or nil.
    @inline(__always)
    private mutating func firstValue(_ candidates: MappedRowTables.Slice, _ columns: MappedColumns) -> (column: Int, bytes: UnsafeRawBufferPointer)? {
        var index = Int(candidates.start)
        let end = index &+ Int(candidates.count)
        while index < end {
            let column = columns.rows.columns[index]
            let bytes = mappedField(column, columns)
            if !bytes.isEmpty { return (column, bytes) }
            index &+= 1
        }
        return nil
    }

    /// Whether the row passes every test of `rule`.
    @inline(__always)
    private mutating func matches(_ rule: MappedRowTables.Rule, _ columns: MappedColumns) -> Bool {
        var index = Int(rule.tests.start)
        let end = index &+ Int(rule.tests.count)
        while index < end {
            let test = columns.rows.tests[index]
            let bytes = mappedField(test.column, columns)
            let passes = test.testsEmpty ? bytes.isEmpty : columns.rows.equalsOne(bytes, of: test.values)
            if passes == test.negated { return false }
            index &+= 1
        }
        return true
    }

    private enum MappedTimestamp {
        /// A time: UTC seconds, and the milliseconds of its fraction of a second (0...999).
        case empty, invalid(column: Int, expected: InvalidTime = .formattedTimestamp), value(Int64, milliseconds: Int64)

        var value: Int64? { if case .value(let seconds, _) = self { seconds } else { nil } }
        var milliseconds: Int64 { if case .value(_, let milliseconds) = self { milliseconds } else { 0 } }
    }

    /// The row's time in `slot` (`MappedColumns.timeNames`): read from its columns, or an offset from a
    /// time already read (`times`), empty when that time or the duration is.
    ///
    /// A time read from one column whole leaves its `SameDateReference` in `lastTimestamp` (nil when it
    /// has none), and is read against `reference` first (an arrival, `readsRecentArrivals`, against the block's
    /// recent arrivals of its day of the month instead, and kept among them).
    private mutating func mappedTime(_ slot: Int, _ columns: MappedColumns, _ times: (MappedTimestamp, MappedTimestamp, MappedTimestamp, MappedTimestamp),
                                     _ tally: inout LocalTimeCounts, sharingDateWith reference: SameDateReference? = nil,
                                     orRecentArrivals readsRecentArrivals: Bool = false, emptyPartsAreZero: Bool = false) -> MappedTimestamp {
        let single = columns.singleColumnTime(slot)
        if single >= 0 {
            let bytes = mappedField(single, columns)
            if bytes.isEmpty { lastTimestamp = nil; return .empty }
            // measured: a contact record's times usually share its arrival's date and offset (as in `decodeContact`)
            let reference = readsRecentArrivals ? recentArrivals.candidate(for: bytes) : reference
            if let reference, let shared = reference.sharingDate(bytes) {
                timestamps.minuteTimes.countSeconds(of: bytes, at: 11)  // as the parser would have
                lastTimestamp = shared
                return .value(shared.utc, milliseconds: shared.milliseconds)
            }
            let time = wholeTimestamp(bytes, column: single, &tally, slot: min(slot, Self.endSlot))
            lastTimestamp = time.value.flatMap { SameDateReference(bytes: bytes, utc: $0) }
            // Kept for later rows only when the bytes are in the block, not in the per-row scratch buffer.
            if readsRecentArrivals && !spans[single].hasEscapedQuote, let lastTimestamp { recentArrivals.remember(lastTimestamp) }
            return time
        }
        guard let source = columns.time(slot) else { return .empty }
        guard let offset = source.offset else { return mappedTimestamp(source, columns, &tally, slot: min(slot, Self.endSlot)) }
        let from = switch offset.from {
        case 0: times.0
        case 1: times.1
        case 2: times.2
        default: times.3
        }
        guard let base = from.value else { return .empty }
        // An empty `plus` part counts 0; an empty first column leaves the time empty, unless the config says it counts 0
        // too (`emptyIsZero`: SQL Server writes Cisco's 0 s durations as NULL, and a review's answered calls lost their
        // waits, 10% of them, for a NULL `DelayTime`). Every part empty is 0 s only for an answered call's answer time
        // (`emptyPartsAreZero`: a review's calls answered at once lost their waits), never an abandoned call's: the diff
        // review found its answer time read as its arrival, and an end offset from it a wait of 0 s.
        var milliseconds: Int64 = 0, named = -1
        if let (column, bytes) = firstValue(source.columns, columns) {
            guard let duration = MappedFields.durationMilliseconds(bytes, offset.unit) else { return .invalid(column: column, expected: .duration(offset.unit)) }
            (milliseconds, named) = (duration, column)
        } else if !offset.emptyIsZero {
            return .empty
        }
        for column in offset.plus {
            let more = mappedField(column, columns)
            if more.isEmpty { continue }
            guard let extra = MappedFields.durationMilliseconds(more, offset.unit) else { return .invalid(column: column, expected: .duration(offset.unit)) }
            milliseconds += extra
            if named < 0 { named = column }
        }
        if named < 0 {
            guard emptyPartsAreZero else { return .empty }
            named = source.columns[0]
        }
        let column = named
        if offset.unit == .milliseconds { millisecondDurations.count(milliseconds) }
        // The base's fraction and the sum to the millisecond, so that the wait between them is the duration's
        // whole seconds (`BlockWorker.wholeSeconds`), whatever the base's fraction.
        let exact = base &* 1_000 &+ from.milliseconds &+ (offset.before ? -milliseconds : milliseconds)
        let value = floorDivide(exact, 1_000)
        // The parser's bounds: a time outside years 0001–9999 has no period label (nor a place in a store).
        guard value >= TimestampParser.earliestUTC && value <= TimestampParser.latestUTC else { return .invalid(column: column, expected: .inRange) }
        return .value(value, milliseconds: exact &- value &* 1_000)
    }

    /// Whether the row's time in `slot` is written without seconds (an offset never is), read again: only
    /// a wait or handle time below zero asks. Tracking it for every time cost 3% of the mapped path's
    /// instructions, and reading it through `mappedTime` 1.2% (the row's times stayed live to the end).
    @inline(never)
    private mutating func isWithoutSeconds(_ slot: Int, _ columns: MappedColumns) -> Bool {
        let minuteTimes = timestamps.minuteTimes, last = lastTimestamp, dateWithoutTime = rowHasDateWithoutTime
        defer { timestamps.minuteTimes = minuteTimes; lastTimestamp = last; rowHasDateWithoutTime = dateWithoutTime }
        let single = columns.singleColumnTime(slot)
        if single >= 0 {
            _ = timestamps.parse(mappedField(single, columns))
        } else if let source = columns.time(slot), source.offset == nil {
            var scratch = LocalTimeCounts()
            _ = mappedTimestamp(source, columns, &scratch, slot: min(slot, Self.endSlot))
        }
        return timestamps.minuteTimes.withoutSeconds != minuteTimes.withoutSeconds
    }

    /// A time written whole in one field (date and time, with or without a zone), read by the parser.
    @inline(__always)
    private mutating func wholeTimestamp(_ bytes: UnsafeRawBufferPointer, column: Int, _ tally: inout LocalTimeCounts, slot: Int) -> MappedTimestamp {
        guard let parsed = timestamps.parse(bytes) else { return .invalid(column: column, expected: .timestamp) }
        if !parsed.hasTimeOfDay { rowHasDateWithoutTime = true }
        if let kind = parsed.kind { tally.note(kind, slot: slot) }
        return .value(parsed.utcSeconds, milliseconds: parsed.milliseconds)
    }

    private mutating func mappedTimestamp(_ source: MappedColumns.Timestamp?, _ columns: MappedColumns,
                                          _ tally: inout LocalTimeCounts, slot: Int) -> MappedTimestamp {
        guard let source, let (column, bytes) = firstValue(source.columns, columns) else { return .empty }
        guard let dateColumn = source.dateColumn else { return wholeTimestamp(bytes, column: column, &tally, slot: slot) }
        guard let secondOfDay = MappedFields.secondOfDay(bytes, source.timeFormat) else { return .invalid(column: column) }
        if source.timeFormat.contains(.second2) {
            timestamps.minuteTimes.countSeconds(onTheMinute: secondOfDay % 60 == 0)
        } else {
            timestamps.minuteTimes.countWithoutSeconds()
        }
        let dateBytes = mappedField(dateColumn, columns)
        guard var day = MappedFields.days(dateBytes, source.dateFormat) else { return .invalid(column: dateColumn) }
        if let reference = source.dateIsOf {
            let referenceBytes = mappedField(reference, columns)
            if !referenceBytes.isEmpty {
                guard let referenceSecond = MappedFields.secondOfDay(referenceBytes, source.timeFormat) else { return .invalid(column: reference) }
                if secondOfDay < referenceSecond - 43_200 { day += 1 }  // crossed midnight
            }
        }
        let resolution = zone.resolve(localSeconds: day * 86_400 + secondOfDay)
        tally.note(resolution.kind, slot: slot)
        return .value(resolution.utcSeconds, milliseconds: 0)
    }

    /// Whether the row's outcome, as `decodeMapped` resolves it from the config's rules, map and words, is answered;
    /// false for a submission and for a row with no outcome (its answer time would tell, and empty parts tell none).
    @inline(never)  // only for an answer of empty parts, with `empty_is_zero`
    private mutating func outcomeIsAnswered(_ columns: MappedColumns, channel: Int32) -> Bool {
        if Int(channel) < isSubmissionChannel.count && isSubmissionChannel[Int(channel)] { return false }
        for rule in columns.rows.outcomeRules where matches(rule, columns) { return rule.outcome == .answered }
        guard let (_, label) = firstValue(columns.rows.outcome, columns) else { return false }
        if let kind = columns.outcomeMap.value(for: label) { return kind == .answered }
        return Self.equalsIgnoringCase(label, "answered")
    }

    /// The message `decodeMapped` gives a row whose arrival is empty, for the reject path to name its columns.
    /// Named there, not here: building the message in the decoder cost the mapped path 0.2–0.6% of its
    /// instructions (the decoder's registers), for rows that are rejected.
    static let emptyArrival = "arrived_at: empty"

    /// Why the current row's arrival is empty (`MappedColumns.emptyTimeMessage`), read again from its fields:
    /// a time counts as empty when every column it is read from is.
    mutating func whyArrivalIsEmpty(_ columns: MappedColumns) -> String {
        columns.emptyTimeMessage(0) { slot in
            guard let source = columns.time(slot) else { return true }
            return source.columns.allSatisfy { mappedField($0, columns).isEmpty }
        }
    }

    /// The label `map` gives the whole number of `bytes` written as a float (`5999.0`), if any.
    @inline(never)
    private static func wholeNumberLabel(_ bytes: UnsafeRawBufferPointer, in map: ValueMap<Int32>) -> Int32? {
        wholeNumberLength(bytes).flatMap { map.value(for: UnsafeRawBufferPointer(rebasing: bytes[..<$0])) }
    }

    /// Decodes one mapped contacts row; returns the reject reason and message, or nil (accepted or skipped).
    mutating func decodeMapped(_ columns: MappedColumns, _ outcome: inout BlockOutcome) -> (RejectReason, String)? {
        for rule in columns.rows.skipRules where matches(rule, columns) {
            outcome.tally.skipped[SkipReason.configRule.index] += 1
            skippedByRule = true
            return nil
        }
        guard let (_, rawChannel) = firstValue(columns.rows.channel, columns) else { return (.missingChannel, "channel: empty") }
        var label = columns.channelMap.value(for: rawChannel)
        // A number written as a float (`5999.0`) is looked up as its whole number too (out of line: most labels
        // that the map does not hold are not such, and the lookup inline cost every row 40 instructions).
        // (`mayBeWholeNumber` spelt out: called here, it made the compiler lay out this function worse, 43
        // instructions a row on Amazon Connect records by callgrind.)
        if label == nil && rawChannel.count >= 3 && rawChannel[rawChannel.count - 1] == UInt8(ascii: "0") {
            label = Self.wholeNumberLabel(rawChannel, in: columns.channelMap)
        }
        let channel = if let label {
            channelId(columns.rows.value(Int(columns.rows.channelLabels.start) &+ Int(label)))
        } else {
            channelId(rawChannel)
        }

        // The times in the mapping's order (an offset after the time it is from). abandoned_at has its own
        // tally: it counts only for an abandoned contact.
        var tally = LocalTimeCounts(), abandonTally = LocalTimeCounts()
        var times = (MappedTimestamp.empty, MappedTimestamp.empty, MappedTimestamp.empty, MappedTimestamp.empty)
        let minuteTimesBefore = timestamps.minuteTimes
        defer { if columns.waitsAreDurations { timestamps.minuteTimes = minuteTimesBefore } }
        // The arrival's same-date reference, when it was read from one column whole, for the row's other times.
        let arrivalColumn = columns.singleColumnTime(0)
        var arrival: SameDateReference?
        for slot in columns.timeOrder {
            switch slot {
            case 0:
                times.0 = mappedTime(0, columns, times, &tally, orRecentArrivals: true)
                switch times.0 {
                case .empty: return (.invalidArrivedAt, Self.emptyArrival)  // its columns named by `whyArrivalIsEmpty`
                case .invalid(let column, let expected): return invalidTimestamp(.invalidArrivedAt, columns.label("arrived_at", column: column), column, &outcome, expected: expected)
                case .value: break
                }
                if arrivalColumn >= 0 { arrival = lastTimestamp }
            case 1:
                times.1 = mappedTime(1, columns, times, &tally, sharingDateWith: arrival)
                // An answer of empty parts counts 0 s where the config says so, for an answered call alone: its outcome read
                // first only then (read for every row, it cost a Cisco file 3.6% of its instructions).
                if case .empty = times.1, columns.answerEmptyIsZero, outcomeIsAnswered(columns, channel: channel) {
                    times.1 = mappedTime(1, columns, times, &tally, sharingDateWith: arrival, emptyPartsAreZero: true)
                }
                if case .invalid(let column, let expected) = times.1 {
                    return invalidTimestamp(.invalidAnsweredAt, columns.label("answered_at", column: column), column, &outcome, expected: expected)
                }
            case 2:
                times.2 = mappedTime(2, columns, times, &tally, sharingDateWith: arrival)
                if case .invalid(let column, let expected) = times.2 {
                    return invalidTimestamp(.invalidEndedAt, columns.label("ended_at", column: column), column, &outcome, expected: expected)
                }
            default:
                times.3 = mappedTime(3, columns, times, &abandonTally, sharingDateWith: arrival)
            }
        }
        guard case .value(var arrived, let arrivedMilliseconds) = times.0 else { return (.invalidArrivedAt, "arrived_at: empty") }
        var answered = times.1.value, ended = times.2.value
        let answeredMilliseconds = times.1.milliseconds
        var endedMilliseconds = times.2.milliseconds

        var kind: ContactContribution.Outcome?
        if Int(channel) < isSubmissionChannel.count && isSubmissionChannel[Int(channel)] {
            kind = .submitted
        } else {
            for rule in columns.rows.outcomeRules where matches(rule, columns) {
                kind = rule.outcome
                break
            }
            if kind == nil, let (_, label) = firstValue(columns.rows.outcome, columns) {
                kind = columns.outcomeMap.value(for: label)
                if kind == nil {
                    kind = Self.equalsIgnoringCase(label, "answered") ? .answered
                        : Self.equalsIgnoringCase(label, "abandoned") ? .abandoned : .other
                    if kind == .other { outcome.otherOutcomeWords.add(label) }
                }
            }
        }
        // With no outcome, an answer time tells; with neither, the outcome is not known (`unknown`).
        let resolvedKind = kind ?? (columns.answeredAt == nil ? .unknown : answered != nil ? .answered : .abandoned)
        // An abandoned contact left at `abandoned_at` when the config names one, else at `ended_at`.
        var leftName = "ended_at"
        if resolvedKind == .abandoned && columns.abandonedAt != nil {
            switch times.3 {
            case .value(let seconds, let milliseconds):
                leftName = "abandoned_at"
                (ended, endedMilliseconds) = (seconds, milliseconds)
                // abandoned_at takes ended_at's slot
                let endBit = UInt8(1) << Self.endSlot
                tally.repeated &+= abandonTally.repeated
                tally.skipped &+= abandonTally.skipped
                tally.repeatedSlots = tally.repeatedSlots & ~endBit | abandonTally.repeatedSlots & endBit
                tally.skippedSlots = tally.skippedSlots & ~endBit | abandonTally.skippedSlots & endBit
            case .invalid(let column, let expected): return invalidTimestamp(.invalidEndedAt, columns.label("abandoned_at", column: column), column, &outcome, expected: expected)
            case .empty: break  // an empty abandoned_at leaves ended_at in use (and its slot, and its tie)
            }
        }
        if tally.repeatedSlots | tally.skippedSlots != 0 {  // only a row with an ambiguous time pays for this
            // Times that are offsets move with their bases; the third pairing slot is abandoned_at's when it stands in for ended_at.
            func pairingSlot(_ slot: Int) -> Int { slot < 0 ? -1 : min(slot, Self.endSlot) }
            let bases = columns.offsetBases
            let ties = (pairingSlot(bases[0]), pairingSlot(bases[1]), pairingSlot(bases[leftName == "abandoned_at" ? 3 : 2]))
            let skew = columns.clockSkewSeconds
            let endSlot = leftName == "abandoned_at" ? 3 : Self.endSlot
            let fractions = Self.fractionSlack(arrived: arrivedMilliseconds, answered: answered == nil ? nil : answeredMilliseconds, ended: endedMilliseconds)
            readTogether(&arrived, &answered, &ended, &tally, ties: ties) { worker in
                (max(skew, worker.isWithoutSeconds(1, columns) ? 59 : 0, fractions.answered),
                 max(skew, worker.isWithoutSeconds(endSlot, columns) ? 59 : 0, fractions.ended))
            }
        }

        let skew = columns.clockSkewSeconds
        var wait: Int64 = -1
        var handle: Int64 = -1
        // A date alone (read as midnight) measures nothing: the row counts, untimed. Waits that are durations
        // after the arrival are measured whatever the arrival's resolution.
        if columns.waitsAreDurations { rowHasDateWithoutTime = false }
        // Nor, for a wait given as a duration, its arrival's resolution: the wait is not timed in minutes.
        if resolvedKind == .answered ? columns.answerWaitIsDuration : resolvedKind == .abandoned && columns.abandonWaitIsDuration {
            timesWithoutSecondsBeforeRow = timestamps.minuteTimes.withoutSeconds
        }
        switch rowHasDateWithoutTime ? .other : resolvedKind {
        case .answered:
            if let answered {
                wait = Self.wholeSeconds(answered &- arrived, answeredMilliseconds &- arrivedMilliseconds)
                if wait < 0 {
                    guard wait >= -skew || Self.isWithinItsMinute(wait, laterHasNoSeconds: isWithoutSeconds(1, columns)) else {
                        return (.negativeWait, "answered_at: before arrived_at (wait \(wait) s)")
                    }
                    wait = 0
                }
                if let ended {
                    handle = Self.wholeSeconds(ended &- answered, endedMilliseconds &- answeredMilliseconds)
                    if handle < 0 {
                        guard handle >= -skew || Self.isWithinItsMinute(handle, laterHasNoSeconds: isWithoutSeconds(2, columns)) else {
                            return (.negativeHandleTime, "ended_at: before answered_at (handle time \(handle) s)")
                        }
                        handle = 0
                    }
                }
            }
        case .abandoned:
            if let left = ended {
                wait = Self.wholeSeconds(left &- arrived, endedMilliseconds &- arrivedMilliseconds)
                if wait < 0 {
                    let leftSlot = leftName == "abandoned_at" ? 3 : Self.endSlot
                    guard wait >= -skew || Self.isWithinItsMinute(wait, laterHasNoSeconds: isWithoutSeconds(leftSlot, columns)) else {
                        return (.negativeWait, "\(leftName): before arrived_at (wait \(wait) s)")
                    }
                    wait = 0
                }
            }
        case .other, .submitted, .unknown:
            break
        }
        var wrapUp: Int64 = -1
        if handle >= 0, let (column, bytes) = firstValue(columns.rows.wrapUp, columns) {
            guard let milliseconds = MappedFields.durationMilliseconds(bytes, columns.wrapUpUnit) else {
                return invalidTimestamp(.invalidField, columns.label("wrap_up_seconds", column: column), column, &outcome, expected: .duration(columns.wrapUpUnit))
            }
            if columns.wrapUpUnit == .milliseconds { millisecondDurations.count(milliseconds) }
            if let ended, let answered {
                wrapUp = Self.wrapUpSeconds(milliseconds, handle: handle, exact: (ended &- answered, endedMilliseconds &- answeredMilliseconds))
            }
        }
        // When the row was last updated: read only for `--dedupe`, which keeps the latest of an id's rows.
        var updatedAt = RemovableRow.noUpdateTime
        if options.dedupe && columns.rows.updatedAt.count > 0, let (column, bytes) = firstValue(columns.rows.updatedAt, columns) {
            let minuteTimes = timestamps.minuteTimes  // not one of the row's times
            let parsed = timestamps.parse(bytes)
            timestamps.minuteTimes = minuteTimes
            guard let parsed else { return invalidTimestamp(.invalidField, columns.label("updated_at", column: column), column, &outcome) }
            updatedAt = parsed.utcSeconds &* 1_000 &+ parsed.milliseconds
        }
        return accept(channel: channel, outcome: resolvedKind, abandonedForEmptyAnswerTime: kind == nil && resolvedKind == .abandoned,
                      arrivedUTC: arrived, waitSeconds: wait, handleSeconds: handle, wrapUpSeconds: wrapUp,
                      category: columns.rows.category.count == 0 ? nil : firstValue(columns.rows.category, columns)?.1 ?? Self.emptyField,
                      id: firstValue(columns.rows.contactId, columns)?.1, updatedAt: updatedAt,
                      localTimes: tally, into: &outcome)
    }
}
