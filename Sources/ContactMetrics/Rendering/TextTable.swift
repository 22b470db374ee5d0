/// A grid of text cells rendered as an aligned plain-text table or a Markdown table.
public struct TextTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]
    /// Columns aligned right (numbers); others align left.
    public var rightAligned: Set<Int>

    public init(header: [String], rows: [[String]] = [], rightAligned: Set<Int> = []) {
        self.header = header
        self.rows = rows
        self.rightAligned = rightAligned
    }

    /// Cells are one line each: line breaks inside a label become spaces.
    static func singleLine(_ cells: [String]) -> [String] {
        cells.map { $0.contains(where: \.isNewline) ? $0.split(whereSeparator: \.isNewline).joined(separator: " ") : $0 }
    }

    private var widths: [Int] {
        header.indices.map { column in
            ([header[column]] + rows.map { column < $0.count ? $0[column] : "" }).map(\.count).max() ?? 0
        }
    }

    private func pad(_ text: String, _ width: Int, right: Bool) -> String {
        let missing = width - text.count
        if missing <= 0 { return text }
        let padding = String(repeating: " ", count: missing)
        return right ? padding + text : text + padding
    }

    /// Columns separated by two spaces, a dashed rule under the header.
    public func plain() -> String {
        let widths = self.widths
        func line(_ cells: [String]) -> String {
            widths.indices.map { pad($0 < cells.count ? cells[$0] : "", widths[$0], right: rightAligned.contains($0)) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += rows.map { line(Self.singleLine($0)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A GitHub-flavoured Markdown table (pipes in cells escaped).
    public func markdown() -> String {
        let widths = self.widths
        func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        func line(_ cells: [String]) -> String {
            "| " + widths.indices.map { pad(escape($0 < cells.count ? cells[$0] : ""), widths[$0], right: rightAligned.contains($0)) }
                .joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.indices.map { column in
            let dashes = String(repeating: "-", count: max(3, widths[column]) + 1)
            return rightAligned.contains(column) ? dashes + ":" : dashes + "-"
        }.joined(separator: "|") + "|"
        return ([line(header), rule] + rows.map { line(Self.singleLine($0)) }).joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        let utf8 = self.utf8
        var end = utf8.endIndex
        while end > utf8.startIndex && utf8[utf8.index(before: end)] == UInt8(ascii: " ") { end = utf8.index(before: end) }
        return end == utf8.endIndex ? self : String(self[..<end])
    }
}

import Foundation
