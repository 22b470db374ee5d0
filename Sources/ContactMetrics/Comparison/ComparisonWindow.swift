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

    /// Parses `LABEL=FROM..TO`; the label may be omitted (`FROM..TO`, labelled by its dates).
    public init?(parsing text: String) {
        var label: String?
        var range = Substring(text)
        if let equals = text.lastIndex(of: "=") {
            label = String(text[..<equals]).trimmingASCIISpaces()
            range = text[text.index(after: equals)...]
        }
        let parts = range.split(separator: ".", omittingEmptySubsequences: true)
        guard range.contains(".."), parts.count == 2,
              let from = CivilDate(parsing: parts[0].trimmingCharacters(in: .whitespaces)),
              let to = CivilDate(parsing: parts[1].trimmingCharacters(in: .whitespaces)), from <= to else { return nil }
        self.from = from
        self.to = to
        self.label = (label?.isEmpty ?? true) ? "\(from)..\(to)" : label!
    }

    public var dayRange: ClosedRange<Int64> { from.daysSinceEpoch...to.daysSinceEpoch }
    public var days: Int64 { to.daysSinceEpoch - from.daysSinceEpoch + 1 }
}

import Foundation
