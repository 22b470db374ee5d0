import Foundation
import Testing

extension Tag {
    /// Property and end-to-end tests that take seconds (many thread counts and block sizes, large logs).
    @Tag static var heavy: Self
}

extension Trait where Self == ConditionTrait {
    /// A heavy test: tagged, and skipped when `CONTACT_METRICS_QUICK=1` (the edit-test loop:
    /// `CONTACT_METRICS_QUICK=1 swift test --filter ContactMetricsTests`). CI runs everything.
    static var heavy: Self {
        .disabled(if: ProcessInfo.processInfo.environment["CONTACT_METRICS_QUICK"] == "1", "heavy: CONTACT_METRICS_QUICK=1 skips it")
    }
}
