import Foundation

/// Display rounding for people (DESIGN §6). JSON and CSV keep exact values.
public enum DisplayFormat {
    /// Volumes: ≥ 999,500 as `1M`, `1.4M`, `12M`; ≥ 10,000 as `106k`; 1,000–9,999 as `1.4k` (`4k`, not `4.0k`);
    /// below as is.
    public static func volume(_ value: Int64) -> String {
        let magnitude = abs(value)
        let sign = value < 0 ? "-" : ""
        if magnitude >= 999_500 {  // 1,000,000 showed as "1000k"
            let tenths = Int64((Double(magnitude) / 100_000).rounded())
            if tenths >= 100 { return sign + "\(Int64((Double(magnitude) / 1_000_000).rounded()))M" }
            return sign + (tenths % 10 == 0 ? "\(tenths / 10)M" : "\(tenths / 10).\(tenths % 10)M")
        }
        if magnitude >= 10_000 {
            return sign + "\(Int64((Double(magnitude) / 1000).rounded()))k"
        }
        if magnitude >= 1_000 {
            let tenths = Int64((Double(magnitude) / 100).rounded())
            if tenths >= 100 { return sign + "\(tenths / 10)k" }  // 9,960 → 10k
            return sign + (tenths % 10 == 0 ? "\(tenths / 10)k" : "\(tenths / 10).\(tenths % 10)k")
        }
        return sign + "\(magnitude)"
    }

    /// A relative change's size in whole percent, without its sign (`38%`); a fall that rounds to 100% but
    /// leaves some is given to a tenth, cut down (`99.5%`, at most `99.9%`): 1,400 calls → 2 read "−100%" and
    /// "100% fewer".
    public static func relativePercent(_ change: Double) -> String {
        let percent = Int64((abs(change) * 100).rounded())
        if change < 0 && percent >= 100 && change > -1 {
            let tenths = min(999, Int64((abs(change) * 1000).rounded(.down)))
            return "\(tenths / 10).\(tenths % 10)%"
        }
        return "\(percent)%"
    }

    /// Whole numbers with thousands separators: `106,012`.
    /// Counts by reason in the reasons' order: `call_without_arrival 1, open_call 12`.
    public static func reasons(_ counts: [String: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.key) \(count(Int64($0.value)))" }.joined(separator: ", ")
    }

    /// Items in a sentence: `a`, `a and b`, `a, b and c`.
    public static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// `list`, naming the first `shown` items and counting the rest when there are two or more beyond them:
    /// `a, b, c and 4 more inputs` (`more` is what follows the count).
    public static func list(_ items: [String], shown: Int, more: String = "more") -> String {
        items.count <= shown + 1 ? list(items) : items.prefix(shown).joined(separator: ", ") + " and \(items.count - shown) \(more)"
    }

    /// UTC seconds as ISO 8601 to the second, `2019-04-02T10:00:00Z`: proleptic Gregorian like the rest of
    /// the tool (Foundation's formatter is Julian before 1582).
    public static func utcTime(_ seconds: Int64) -> String {
        let day = floorDivide(seconds, 86_400)
        let second = Int(seconds - day * 86_400)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(CivilDate(daysSinceEpoch: day))T\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60))Z"
    }

    /// A size in bytes, in the largest unit that leaves a whole number: `512 bytes`, `37 MB`, `3.2 GB`.
    public static func bytes(_ value: Int64) -> String {
        switch value {
        case ..<(1 << 10): return "\(value) bytes"
        case ..<(1 << 20): return "\(value >> 10) KB"
        case ..<(1 << 30): return "\(value >> 20) MB"
        default: return String(format: "%.1f GB", Double(value) / Double(1 << 30))
        }
    }

    public static func count(_ value: Int64) -> String {
        let digits = String(abs(value))
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// Seconds as `mm:ss` (rounded to the nearest second), and from an hour as `h:mm:ss`: `13:43:06`, where
    /// `823:06` was not read as 13 hours by a panel.
    public static func minutesSeconds(_ seconds: Double) -> String {
        let total = Int64(seconds.rounded())
        let sign = total < 0 ? "-" : ""
        let magnitude = abs(total)
        guard magnitude >= 3600 else { return sign + twoDigits(magnitude / 60) + ":" + twoDigits(magnitude % 60) }
        return sign + "\(magnitude / 3600):" + twoDigits(magnitude / 60 % 60) + ":" + twoDigits(magnitude % 60)
    }

    /// A share as a whole percentage: `42%`.
    public static func percent(_ fraction: Double) -> String {
        "\(Int64((fraction * 100).rounded()))%"
    }

    /// A share with one decimal: `41.9%`.
    public static func percentOneDecimal(_ fraction: Double) -> String {
        let tenths = Int64((fraction * 1000).rounded())
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)%"
    }

    /// At least two digits: `07`, `473`.
    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : String(value)
    }

    static let notMeasured = "Not measured"
    static let dash = "—"
}
