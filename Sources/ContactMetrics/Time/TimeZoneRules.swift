import Foundation

/// How a naive local wall-clock time maps onto UTC.
public enum LocalTimeKind: Hashable, Sendable {
    /// The local time occurs exactly once.
    case unique
    /// The local time occurs twice (the autumn hour); the first occurrence was taken.
    case repeated
    /// The local time never occurs (the spring gap); it was moved forward by the size of the gap.
    case skipped
}

/// The UTC instant chosen for a naive local time, and whether that choice was ambiguous.
public struct LocalTimeResolution: Hashable, Sendable {
    public var utcSeconds: Int64
    public var kind: LocalTimeKind

    public init(utcSeconds: Int64, kind: LocalTimeKind) {
        self.utcSeconds = utcSeconds
        self.kind = kind
    }
}

/// Raised when the time-zone database has no zone with the requested identifier.
public enum TimeZoneRulesError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownIdentifier(String)
    /// An abbreviation, legacy name or offset (`BST`, `GMT`, `EST`, `GMT+1`): refused, with what was
    /// probably meant and, when the system would read it as one offset all year, that offset.
    case abbreviation(String, suggestion: String?, fixedOffset: String?)
    /// A tz database name in the wrong case (`europe/london`).
    case misspelled(String, suggestion: String)
    /// An offset (`UTC+1`, `+01:00`, `GMT-5`): refused, with the tz database name of that offset all year
    /// when it has one (`Etc/GMT-1`, whose sign is reversed).
    case fixedOffset(String, etcName: String?)

    public var description: String {
        switch self {
        case .unknownIdentifier(let identifier): "unknown time zone \"\(Escaping.excerpt(identifier))\""
        case .abbreviation(let identifier, let suggestion, let fixedOffset):
            "\"\(Escaping.excerpt(identifier))\" is an abbreviation, not a time zone with its clock changes"
                + (fixedOffset.map { " (this system would read it as \($0) all year)" } ?? "")
                + "; give a tz database name" + (suggestion.map { ": \($0)" } ?? " such as Europe/London") + ", or UTC"
        case .misspelled(let identifier, let suggestion):
            "unknown time zone \"\(Escaping.excerpt(identifier))\"; did you mean \(suggestion)?"
        case .fixedOffset(let identifier, let etcName):
            "\"\(Escaping.excerpt(identifier))\" is an offset, not a time zone with its clock changes; give the place's tz database name "
                + "(Europe/London), or UTC" + (etcName.map { ", or \($0) for that offset all year (the tz database reverses the sign)" } ?? "")
        }
    }
}

/// The UTC offsets of one time zone as an immutable, sorted table of transitions.
///
/// The table is read once from the system time-zone database (through Foundation's `TimeZone`) and
/// covers 1900–2200; before the table the first offset applies, after it the last. Lookups are a
/// binary search; per-thread callers that look up nearby instants should use a `ZoneCursor`.
///
/// Naive local times follow DESIGN §3.5: one in a repeated hour takes its first occurrence and one in a
/// skipped hour moves forward by the gap. Both rules are the same rule: use the offset that was in force
/// before the transition. So a naive time switches to the new offset only at
/// `transition + max(offsetBefore, offsetAfter)`, and `transition + min(offsetBefore, offsetAfter)` is
/// where the ambiguous window (repeated or skipped) begins.
public final class TimeZoneRules: Sendable {
    /// The identifier the rules were built from, such as `Europe/London`.
    public let identifier: String
    /// Whether every offset in the table is a whole number of hours (false for `Asia/Kolkata`).
    public let offsetsAreWholeHours: Bool
    /// UTC instants at which the offset changes, ascending.
    let transitionUTCSeconds: [Int64]
    /// `offsetSeconds[i]` applies before `transitionUTCSeconds[i]` and from `transitionUTCSeconds[i - 1]` on;
    /// one more element than there are transitions.
    let offsetSeconds: [Int64]
    /// Local time from which naive times take the offset after transition `i`.
    let localSwitchSeconds: [Int64]
    /// Local time at which transition `i`'s repeated or skipped window begins.
    let localAmbiguityStartSeconds: [Int64]

    /// Whether every offset in force from `utcSeconds` on is a multiple of `seconds`, and every later
    /// transition falls on such a multiple (so cells of that length never straddle two local periods).
    public func offsetsAreMultiples(of seconds: Int64, fromUTC utcSeconds: Int64) -> Bool {
        let first = transitionUTCSeconds.firstIndex { $0 > utcSeconds } ?? transitionUTCSeconds.count
        return offsetSeconds[first...].allSatisfy { $0 % seconds == 0 }
            && transitionUTCSeconds[first...].allSatisfy { $0 % seconds == 0 }
    }

    /// Rules with one fixed offset of zero.
    public static let utc = TimeZoneRules(identifier: "UTC", transitionUTCSeconds: [], offsetSeconds: [0])

    /// Reads the rules of the zone named `identifier` from the system time-zone database.
    /// - Throws: `TimeZoneRulesError.unknownIdentifier` when no zone has that name, `.abbreviation` or
    ///   `.misspelled` for names the system would read as something else (`ZoneNames`).
    public convenience init(identifier: String) throws(TimeZoneRulesError) {
        if let problem = ZoneNames.problem(with: identifier) { throw problem }
        guard let zone = TimeZone(identifier: identifier) else { throw .unknownIdentifier(identifier) }
        let tableStartUTCSeconds: Int64 = -2_208_988_800  // 1900-01-01
        let tableEndUTCSeconds: Int64 = 7_258_118_400  // 2200-01-01
        var instant = Date(timeIntervalSince1970: Double(tableStartUTCSeconds))
        var transitions: [Int64] = []
        var offsets = [Int64(zone.secondsFromGMT(for: instant))]
        while let next = zone.nextDaylightSavingTimeTransition(after: instant), next > instant,
              next.timeIntervalSince1970 < Double(tableEndUTCSeconds) {
            let offset = Int64(zone.secondsFromGMT(for: next))
            // Foundation also reports changes of name or DST flag that keep the offset; they are not transitions here.
            if offset != offsets.last {
                transitions.append(Int64(next.timeIntervalSince1970.rounded(.down)))
                offsets.append(offset)
            }
            instant = next
        }
        self.init(identifier: identifier, transitionUTCSeconds: transitions, offsetSeconds: offsets)
    }

    private init(identifier: String, transitionUTCSeconds: [Int64], offsetSeconds: [Int64]) {
        assert(offsetSeconds.count == transitionUTCSeconds.count + 1)
        self.identifier = identifier
        self.transitionUTCSeconds = transitionUTCSeconds
        self.offsetSeconds = offsetSeconds
        offsetsAreWholeHours = offsetSeconds.allSatisfy { $0 % 3600 == 0 }
        localSwitchSeconds = transitionUTCSeconds.indices.map {
            transitionUTCSeconds[$0] + max(offsetSeconds[$0], offsetSeconds[$0 + 1])
        }
        localAmbiguityStartSeconds = transitionUTCSeconds.indices.map {
            transitionUTCSeconds[$0] + min(offsetSeconds[$0], offsetSeconds[$0 + 1])
        }
        assert(zip(localSwitchSeconds, localSwitchSeconds.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// The offset from UTC, in seconds east of Greenwich, in force at the UTC instant `utcSeconds`.
    /// - Complexity: O(log n) in the number of transitions.
    public func offsetSeconds(atUTC utcSeconds: Int64) -> Int64 {
        offsetSeconds[segmentIndex(atUTC: utcSeconds)]
    }

    /// Maps a naive local time (wall-clock seconds since 1970-01-01T00:00 local) to UTC.
    /// - Complexity: O(log n) in the number of transitions.
    public func resolve(localSeconds: Int64) -> LocalTimeResolution {
        resolve(localSeconds: localSeconds, segment: segmentIndex(atLocal: localSeconds))
    }

    /// `resolve(localSeconds:)` once `segment` = `segmentIndex(atLocal: localSeconds)` is known.
    func resolve(localSeconds: Int64, segment: Int) -> LocalTimeResolution {
        let offset = offsetSeconds[segment]
        var kind = LocalTimeKind.unique
        if segment < transitionUTCSeconds.count && localSeconds >= localAmbiguityStartSeconds[segment] {
            kind = offsetSeconds[segment + 1] < offset ? .repeated : .skipped
        }
        return LocalTimeResolution(utcSeconds: localSeconds - offset, kind: kind)
    }

    /// The index into `offsetSeconds` of the segment containing a UTC instant.
    func segmentIndex(atUTC utcSeconds: Int64) -> Int {
        Self.countNotAbove(utcSeconds, in: transitionUTCSeconds)
    }

    /// The index into `offsetSeconds` of the offset that a naive local time takes.
    func segmentIndex(atLocal localSeconds: Int64) -> Int {
        Self.countNotAbove(localSeconds, in: localSwitchSeconds)
    }

    /// The number of leading elements of the ascending `values` that are at most `limit`.
    private static func countNotAbove(_ limit: Int64, in values: [Int64]) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] <= limit { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
