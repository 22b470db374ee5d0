/// The naive local times of one row, read together across a clock change.
///
/// Read alone, a naive time in the repeated autumn hour takes its first occurrence and one in the spring
/// gap moves forward by the gap (DESIGN §3.5). Read alone, that is right as often as not; but a row's times
/// belong together. An arrival at 01:50 (first 01:xx) answered at 01:05 (the repeated 01:xx) is not a wait
/// of −45 minutes, and an arrival at 01:59:50 in the repeated hour answered at 02:00:10 is not a wait of an
/// hour and 20 seconds. So a row with such a time tries both readings of each one and keeps the combination
/// in which the events are in order (arrival ≤ answer ≤ end) with the shortest span from arrival to the last
/// event; a tie keeps the fewer changes from the lone readings, so a row the lone readings already order
/// with the shortest span is left as it is. A row no combination orders is left as read (and rejected for
/// its negative wait, as before).
///
/// A later time may stand a little before the one it follows where the decoder takes it as at or after it
/// (`slack`: a time without seconds, `08:15`, is any second of its minute, and a mapped config may allow
/// clock skew): an arrival at 01:30:30 answered at 01:30, both in the first 01:xx, is a wait of 0 s, not one
/// of 59 min 30 s with the answer in the repeated hour.
///
/// A wait of more than an hour whose arrival falls in the repeated hour cannot be told from one of a few
/// minutes by the times alone; the shorter reading is taken, as contact waits are mostly minutes.
struct ClockChangePairing {
    /// The row's instants in the order the events happen: arrival, answer, end (or abandonment).
    var arrived: Int64
    var answered: Int64?
    var ended: Int64?
    /// How many seconds the answer may stand before the arrival, and the end before the answer (or, with
    /// no answer, the arrival), and still be in order.
    var slack: (answered: Int64, ended: Int64) = (0, 0)

    /// Chooses the readings. `shifts` holds, for each of the three instants in order, how far its other
    /// reading lies (0 when the time had one reading); `ties` the instant each one is an offset from
    /// (a config's `offset_from`: it moves with that one), or -1.
    /// - Returns: whether any instant took its other reading.
    mutating func resolve(shifts: (Int64, Int64, Int64), ties: (Int, Int, Int) = (-1, -1, -1)) -> Bool {
        let movable = UInt8(shifts.0 != 0 ? 1 : 0) | (answered != nil && shifts.1 != 0 ? 2 : 0) | (ended != nil && shifts.2 != 0 ? 4 : 0)
        // A tie binds only an instant that is there (an empty offset time binds nothing).
        let present = [true, answered != nil, ended != nil]
        func keepsTies(_ choice: UInt8) -> Bool {
            for (slot, base) in [(0, ties.0), (1, ties.1), (2, ties.2)] where base >= 0 && present[slot] {
                if (choice >> slot) & 1 != (choice >> base) & 1 { return false }
            }
            return true
        }
        var best: UInt8 = 0
        var bestSpan = Int64.max
        for choice in UInt8(0)...7 where choice & ~movable == 0 && keepsTies(choice) {
            let candidate = moved(choice, shifts)
            guard let span = candidate.orderedSpan else { continue }
            if span < bestSpan || (span == bestSpan && choice.nonzeroBitCount < best.nonzeroBitCount) {
                best = choice
                bestSpan = span
            }
        }
        guard best != 0 else { return false }
        self = moved(best, shifts)
        return true
    }

    private func moved(_ choice: UInt8, _ shifts: (Int64, Int64, Int64)) -> ClockChangePairing {
        ClockChangePairing(arrived: arrived &+ (choice & 1 != 0 ? shifts.0 : 0),
                           answered: answered.map { $0 &+ (choice & 2 != 0 ? shifts.1 : 0) },
                           ended: ended.map { $0 &+ (choice & 4 != 0 ? shifts.2 : 0) }, slack: slack)
    }

    /// The time from arrival to the last event when the events are in order (within `slack`), else nil.
    private var orderedSpan: Int64? {
        var span: Int64 = 0
        if let answered {
            if answered < arrived - slack.answered { return nil }
            span = answered - arrived
        }
        if let ended {
            if ended < (answered ?? arrived) - slack.ended { return nil }
            span = max(span, ended - arrived)
        }
        return max(span, 0)
    }
}

extension TimeZoneRules {
    /// How far the other reading of a naive local time lies from the reading `resolve(localSeconds:)`
    /// gave (`utcSeconds`, of kind `kind`): an hour later for the repeated hour in Europe/London (its second
    /// occurrence), an hour earlier for the spring gap (the time read with the summer offset); 0 for a
    /// time with one reading.
    func otherReadingShift(ofUTC utcSeconds: Int64, kind: LocalTimeKind?) -> Int64 {
        guard let kind, kind != .unique else { return 0 }
        // A repeated time was read before its transition, a skipped one after it.
        let after = segmentIndex(atUTC: utcSeconds) + (kind == .repeated ? 1 : 0)
        guard after >= 1, after < offsetSeconds.count else { return 0 }
        return offsetSeconds[after - 1] - offsetSeconds[after]
    }
}
