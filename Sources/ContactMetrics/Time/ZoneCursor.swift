/// A per-thread view of `TimeZoneRules` that remembers the segment of the last lookup.
///
/// Log rows arrive roughly in time order, so the next instant almost always lies between the same two
/// transitions as the previous one. The cursor keeps that segment's UTC range and offset, and the local
/// range in which naive times are unambiguous, so such lookups are two comparisons instead of a binary
/// search. It is a value type with no locks: give each worker its own copy.
public struct ZoneCursor: Sendable {
    public let rules: TimeZoneRules
    // Empty ranges until the first lookup fills them.
    private var utcLowerSeconds: Int64 = 0
    private var utcUpperSeconds: Int64 = 0
    private var utcOffsetSeconds: Int64 = 0
    private var localLowerSeconds: Int64 = 0
    private var localUpperSeconds: Int64 = 0
    private var localOffsetSeconds: Int64 = 0

    public init(rules: TimeZoneRules) {
        self.rules = rules
    }

    /// The offset from UTC in force at `utcSeconds`; same answer as `TimeZoneRules.offsetSeconds(atUTC:)`.
    /// - Complexity: O(1) when the instant is in the same segment as the last UTC lookup, else O(log n).
    public mutating func offsetSeconds(atUTC utcSeconds: Int64) -> Int64 {
        if utcSeconds >= utcLowerSeconds && utcSeconds < utcUpperSeconds { return utcOffsetSeconds }
        let segment = rules.segmentIndex(atUTC: utcSeconds)
        let transitions = rules.transitionUTCSeconds
        utcLowerSeconds = segment == 0 ? .min : transitions[segment - 1]
        utcUpperSeconds = segment == transitions.count ? .max : transitions[segment]
        utcOffsetSeconds = rules.offsetSeconds[segment]
        return utcOffsetSeconds
    }

    /// Maps a naive local time to UTC; same answer as `TimeZoneRules.resolve(localSeconds:)`.
    /// - Complexity: O(1) when the time is in the same unambiguous range as the last local lookup, else O(log n).
    public mutating func resolve(localSeconds: Int64) -> LocalTimeResolution {
        if localSeconds >= localLowerSeconds && localSeconds < localUpperSeconds {
            return LocalTimeResolution(utcSeconds: localSeconds - localOffsetSeconds, kind: .unique)
        }
        let segment = rules.segmentIndex(atLocal: localSeconds)
        let resolution = rules.resolve(localSeconds: localSeconds, segment: segment)
        // Only cache unambiguous ranges; repeated and skipped times are rare and take the slow path.
        if resolution.kind == .unique {
            localLowerSeconds = segment == 0 ? .min : rules.localSwitchSeconds[segment - 1]
            localUpperSeconds = segment == rules.transitionUTCSeconds.count
                ? .max : rules.localAmbiguityStartSeconds[segment]
            localOffsetSeconds = rules.offsetSeconds[segment]
        }
        return resolution
    }
}
