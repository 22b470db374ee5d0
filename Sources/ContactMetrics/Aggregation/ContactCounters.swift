/// The additive counters of one (period, channel) cell; wait histograms and categories are kept beside
/// them. Everything here merges by addition, so results never depend on how rows were split.
public struct ContactCounters: Sendable, Equatable, Codable {
    /// Contacts that arrived in the cell: answered + abandoned + other (+ submissions).
    public var received: Int64 = 0
    /// Answered contacts; `answeredUntimed` of them have no answer time, so no wait.
    public var answered: Int64 = 0
    public var answeredUntimed: Int64 = 0
    /// Abandoned contacts, short abandons included (those are split off at report time from the
    /// abandon-wait histogram, since the threshold is a report option); `abandonedUntimed` have no end time.
    public var abandoned: Int64 = 0
    public var abandonedUntimed: Int64 = 0
    /// Other outcomes (transferred, callback, …).
    public var other: Int64 = 0
    /// Answered contacts with an end time: their count, handle seconds and squared handle seconds.
    public var handled: Int64 = 0
    public var handleSeconds: Int64 = 0
    public var handleSecondsSquared: UInt64 = 0

    public init() {}

    public mutating func add(_ other: ContactCounters) {
        received &+= other.received
        answered &+= other.answered
        answeredUntimed &+= other.answeredUntimed
        abandoned &+= other.abandoned
        abandonedUntimed &+= other.abandonedUntimed
        self.other &+= other.other
        handled &+= other.handled
        handleSeconds &+= other.handleSeconds
        handleSecondsSquared &+= other.handleSecondsSquared
    }
}

/// The additive counters of one period's incidents.
public struct IncidentCounters: Sendable, Equatable, Codable {
    public var incidents: Int64 = 0
    /// Rows whose `deployed` column had a value, and how many of those said yes.
    public var deployedMeasured: Int64 = 0
    public var deployed: Int64 = 0
    /// Rows whose `referred_to` had a value (`none` included), and how many named a partner.
    public var referralMeasured: Int64 = 0
    public var referred: Int64 = 0

    public init() {}

    public mutating func add(_ other: IncidentCounters) {
        incidents &+= other.incidents
        deployedMeasured &+= other.deployedMeasured
        deployed &+= other.deployed
        referralMeasured &+= other.referralMeasured
        referred &+= other.referred
    }
}
