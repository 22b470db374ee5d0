/// A named, inclusive range of local dates: `"Pre CMP=2019-04-01..2019-05-31"` (DESIGN §5).
public struct ComparisonWindow: Sendable, Equatable {
    public var label: String
    public var from: CivilDate
    public var to: CivilDate

    public init(label: String, from: CivilDate, to: CivilDate) {
        self.label = label
        self.from = from
        self.to = to
    }

    /// Why `text` is not a window, or nil when it is one (for messages).
    public static func problem(_ text: String) -> String? {
        if ComparisonWindow(parsing: text) != nil { return nil }
        let range = text.split(separator: "=").last.map(String.init) ?? text
        let parts = range.components(separatedBy: "..")
        guard parts.count == 2 else { return "expected LABEL=YYYY-MM-DD..YYYY-MM-DD, found '\(text)'" }
        for part in parts.map({ $0.trimmingCharacters(in: .whitespaces) }) where CivilDate(parsing: part) == nil {
            let problem = CivilDate.problem(part)
            return problem.hasPrefix("expected") ? "'\(part)' is not a date (YYYY-MM-DD) in '\(text)'" : "\(problem), in '\(text)'"
        }
        return "the window ends before it starts: '\(text)'"
    }

    /// Parses `LABEL=FROM..TO`; the label may be omitted (`FROM..TO`, labelled by its dates).
    public init?(parsing text: String) {
        var label: String?
        var range = Substring(text)
        if let equals = text.lastIndex(of: "=") {
            label = String(text[..<equals]).trimmingASCIISpaces()
            range = text[text.index(after: equals)...]
        }
        // Exactly two dots between the dates: `2019-04-01...2019-04-30` is a slip, not a window.
        let parts = range.components(separatedBy: "..")
        guard parts.count == 2,
              let from = CivilDate(parsing: parts[0].trimmingCharacters(in: .whitespaces)),
              let to = CivilDate(parsing: parts[1].trimmingCharacters(in: .whitespaces)), from <= to else { return nil }
        self.from = from
        self.to = to
        self.label = (label?.isEmpty ?? true) ? "\(from)..\(to)" : label!
    }

    /// `Pre CMP (2019-04-01..2019-05-31)`; a window given without a label is its dates once, not
    /// `2019-04-01..2019-04-30 (2019-04-01..2019-04-30)`.
    public var labelWithDates: String {
        let dates = "\(from)..\(to)"
        return label == dates ? dates : "\(label) (\(dates))"
    }

    public var dayRange: ClosedRange<Int64> { from.daysSinceEpoch...to.daysSinceEpoch }
    public var days: Int64 { to.daysSinceEpoch - from.daysSinceEpoch + 1 }
}

import Foundation
