/// What one accepted contact row adds to its cell. Built on the stack per row; with `--dedupe` also
/// recorded with the row's id (`RemovableRow`), so that a row found to repeat an earlier id can be
/// taken out again.
struct ContactContribution: Sendable {
    /// `unknown`: neither an outcome nor an answer time in the export (counted as `other`, and apart).
    enum Outcome: UInt8, Sendable { case answered, abandoned, other, submitted, unknown }

    var period: Int64
    var channel: Int32
    var outcome: Outcome
    /// Answer wait (answered) or abandon wait (abandoned) in seconds, or -1 when unknown.
    var waitSeconds: Int64
    /// Handle seconds (answered with an end time), or -1.
    var handleSeconds: Int64
    /// Category label id, `noCategory` (the input's category is empty) or `categoryNotGiven` (the input has
    /// no category column: the contact counts in no category share's denominator).
    var category: Int32
    static let noCategory: Int32 = -1
    static let categoryNotGiven: Int32 = -2
    /// After-call work (wrap-up) seconds of an answered contact, or -1 when the input has none.
    var wrapUpSeconds: Int64 = -1
    /// The wait was timed from a time written without seconds (`08:15`): it is known to ±59 s only.
    var waitTimedInMinutes = false
}

/// What one accepted incident row adds to its period.
struct IncidentContribution: Sendable {
    var period: Int64
    /// -1 not recorded, 0 no, 1 yes.
    var deployed: Int8
    /// -1 not recorded, 0 recorded as none, 1 referred to `agency`.
    var referral: Int8
    var agency: Int32
}
