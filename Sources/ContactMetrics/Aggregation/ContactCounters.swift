// The additive counters of a cell, described once. Each kind lists its counters in a `Field` enum;
// adding, subtracting (`--dedupe`), the store's columns (snake case of the field's name), its insert
// and its select all iterate over that list. What one row adds is `count(_:)`, next to the list,
// and the per-row accumulator calls it. A new counter is a `Field` case, its accessor and its line in
// `count`; the store then has one more column, which needs a new schema version (`ContactStore`).

/// The additive counters of one (period, channel) cell; wait histograms and categories are kept beside
/// them. Everything here merges by addition, so results never depend on how rows were split.
public struct ContactCounters: Sendable, Equatable {
    public enum Field: Int, CaseIterable, Sendable {
        /// Contacts that arrived in the cell: answered + abandoned + other (+ submissions).
        case received
        /// Answered contacts; `answeredUntimed` of them have no answer time, so no wait.
        case answered, answeredUntimed
        /// Abandoned contacts, short abandons included (those are split off at report time from the
        /// abandon-wait histogram, since the threshold is a report option); `abandonedUntimed` have no end time.
        case abandoned, abandonedUntimed
        /// Other outcomes (transferred, callback, …).
        case other
        /// Answered contacts with an end time: their count, handle seconds and squared handle seconds
        /// (an unsigned sum kept in the bits of a signed one).
        case handled, handleSeconds, handleSecondsSquared
        /// Handled contacts whose after-call work (wrap-up) time is known too: their count, handle plus
        /// wrap-up seconds and its square (AHT as Genesys, Cisco and Amazon Connect count it).
        case wrapped, handleWithWrapUpSeconds, handleWithWrapUpSecondsSquared
        /// Contacts counted in `other` because their export gives neither an outcome nor an answer time
        /// (whether they were answered is not known): left out of the abandonment rate's and the service
        /// level's denominators, which are of contacts whose outcome is known.
        case outcomeUnknown
        /// Answered and abandoned contacts whose wait was timed from a time written without seconds
        /// (`ContactContribution.waitTimedInMinutes`): where they are more than a few of a cell's waits,
        /// the cell cannot place a wait either side of a threshold (`ChannelMetrics.waitsTimedInMinutes`).
        case minuteTimedWaits
        /// Contacts whose export has no category column (`ContactContribution.categoryNotGiven`): whether they
        /// had a category is not known, so a category's share is of the others (`ChannelMetrics.categorised`).
        case categoryNotGiven

        /// The store's column.
        public var column: String { snakeCase(String(describing: self)) }
    }

    private typealias Storage = InlineArray<15, Int64>
    private var values = Storage(repeating: 0)

    public init() {}

    /// Every field has its slot (`allCases.count` is the storage's size, a tested fact:
    /// `CompactCellTests.everyCounterHasItsSlot`), so the hot path's accesses need no bounds check.
    public subscript(field: Field) -> Int64 {
        @inline(__always) get { values[unchecked: field.rawValue] }
        @inline(__always) set { values[unchecked: field.rawValue] = newValue }
    }

    static var storageSize: Int { Storage.count }

    public var received: Int64 { get { self[.received] } set { self[.received] = newValue } }
    public var answered: Int64 { get { self[.answered] } set { self[.answered] = newValue } }
    public var answeredUntimed: Int64 { get { self[.answeredUntimed] } set { self[.answeredUntimed] = newValue } }
    public var abandoned: Int64 { get { self[.abandoned] } set { self[.abandoned] = newValue } }
    public var abandonedUntimed: Int64 { get { self[.abandonedUntimed] } set { self[.abandonedUntimed] = newValue } }
    public var other: Int64 { get { self[.other] } set { self[.other] = newValue } }
    public var handled: Int64 { get { self[.handled] } set { self[.handled] = newValue } }
    public var handleSeconds: Int64 { get { self[.handleSeconds] } set { self[.handleSeconds] = newValue } }
    public var handleSecondsSquared: UInt64 {
        get { UInt64(bitPattern: self[.handleSecondsSquared]) }
        set { self[.handleSecondsSquared] = Int64(bitPattern: newValue) }
    }
    public var outcomeUnknown: Int64 { get { self[.outcomeUnknown] } set { self[.outcomeUnknown] = newValue } }
    public var minuteTimedWaits: Int64 { get { self[.minuteTimedWaits] } set { self[.minuteTimedWaits] = newValue } }
    public var categoryNotGiven: Int64 { get { self[.categoryNotGiven] } set { self[.categoryNotGiven] = newValue } }
    public var wrapped: Int64 { get { self[.wrapped] } set { self[.wrapped] = newValue } }
    public var handleWithWrapUpSeconds: Int64 { get { self[.handleWithWrapUpSeconds] } set { self[.handleWithWrapUpSeconds] = newValue } }
    public var handleWithWrapUpSecondsSquared: UInt64 {
        get { UInt64(bitPattern: self[.handleWithWrapUpSecondsSquared]) }
        set { self[.handleWithWrapUpSecondsSquared] = Int64(bitPattern: newValue) }
    }

    /// Adds `other`, counter by counter (wrapping, so that a later subtraction undoes it exactly).
    public mutating func add(_ other: ContactCounters) {
        for index in values.indices { values[index] &+= other.values[index] }
    }

    /// Subtracts `other`, counter by counter (`--dedupe`).
    mutating func subtract(_ other: ContactCounters) {
        for index in values.indices { values[index] &-= other.values[index] }
    }

    /// What one contact adds to its cell.
    @inline(__always)
    mutating func count(_ row: ContactContribution) {
        received &+= 1
        if row.waitTimedInMinutes { minuteTimedWaits &+= 1 }  // set only with a wait
        if row.category == ContactContribution.categoryNotGiven { categoryNotGiven &+= 1 }
        switch row.outcome {
        case .answered:
            answered &+= 1
            if row.waitSeconds < 0 { answeredUntimed &+= 1 }
            if row.handleSeconds >= 0 {
                handled &+= 1
                handleSeconds &+= row.handleSeconds
                handleSecondsSquared &+= UInt64(row.handleSeconds) &* UInt64(row.handleSeconds)
                if row.wrapUpSeconds >= 0 {
                    let total = row.handleSeconds &+ row.wrapUpSeconds
                    wrapped &+= 1
                    handleWithWrapUpSeconds &+= total
                    handleWithWrapUpSecondsSquared &+= UInt64(total) &* UInt64(total)
                }
            }
        case .abandoned:
            abandoned &+= 1
            if row.waitSeconds < 0 { abandonedUntimed &+= 1 }
        case .other:
            other &+= 1
        case .unknown:
            other &+= 1
            outcomeUnknown &+= 1
        case .submitted:
            break
        }
    }

    public static func == (left: ContactCounters, right: ContactCounters) -> Bool {
        Field.allCases.allSatisfy { left[$0] == right[$0] }
    }
}

/// The additive counters of one period's incidents, described once as `ContactCounters` are.
public struct IncidentCounters: Sendable, Equatable {
    public enum Field: Int, CaseIterable, Sendable {
        case incidents
        /// Rows whose `deployed` column had a value, and how many of those said yes.
        case deployedMeasured, deployed
        /// Rows whose `referred_to` had a value (`none` included), and how many named a partner.
        case referralMeasured, referred

        /// The store's column.
        public var column: String { snakeCase(String(describing: self)) }
    }

    private typealias Storage = InlineArray<5, Int64>
    private var values = Storage(repeating: 0)

    public init() {}

    public subscript(field: Field) -> Int64 {
        @inline(__always) get { values[unchecked: field.rawValue] }
        @inline(__always) set { values[unchecked: field.rawValue] = newValue }
    }

    static var storageSize: Int { Storage.count }

    public var incidents: Int64 { get { self[.incidents] } set { self[.incidents] = newValue } }
    public var deployedMeasured: Int64 { get { self[.deployedMeasured] } set { self[.deployedMeasured] = newValue } }
    public var deployed: Int64 { get { self[.deployed] } set { self[.deployed] = newValue } }
    public var referralMeasured: Int64 { get { self[.referralMeasured] } set { self[.referralMeasured] = newValue } }
    public var referred: Int64 { get { self[.referred] } set { self[.referred] = newValue } }

    public mutating func add(_ other: IncidentCounters) {
        for index in values.indices { values[index] &+= other.values[index] }
    }

    mutating func subtract(_ other: IncidentCounters) {
        for index in values.indices { values[index] &-= other.values[index] }
    }

    /// What one incident adds to its period.
    @inline(__always)
    mutating func count(_ row: IncidentContribution) {
        incidents &+= 1
        if row.deployed >= 0 {
            deployedMeasured &+= 1
            deployed &+= Int64(row.deployed)
        }
        if row.referral >= 0 {
            referralMeasured &+= 1
            if row.referral == 1 { referred &+= 1 }
        }
    }

    public static func == (left: IncidentCounters, right: IncidentCounters) -> Bool {
        Field.allCases.allSatisfy { left[$0] == right[$0] }
    }
}

/// `answeredUntimed` → `answered_untimed`.
func snakeCase(_ name: String) -> String {
    var result = ""
    for character in name {
        if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
    }
    return result
}
