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

    /// Cells are one line each, with control characters shown escaped (`Escaping`), and at most
    /// `widestCell` characters: every row is padded to the widest cell of its column, so one huge
    /// label would otherwise make every row huge (CSV, JSON and HTML keep labels whole).
    private func cells(_ escape: (String) -> String) -> (header: [String], rows: [[String]]) {
        func shown(_ text: String) -> String { escape(text.count > Self.widestCell ? String(text.prefix(Self.widestCell - 1)) + "…" : text) }
        return (header.map(escape), rows.map { row in header.indices.map { $0 < row.count ? shown(row[$0]) : "" } })
    }

    static let widestCell = 80

    private static func widths(_ cells: (header: [String], rows: [[String]])) -> [Int] {
        cells.header.indices.map { column in
            ([cells.header[column]] + cells.rows.map { $0[column] }).map(\.count).max() ?? 0
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
        let cells = cells(Escaping.cell)
        let widths = Self.widths(cells)
        func line(_ cells: [String]) -> String {
            widths.indices.map { pad(cells[$0], widths[$0], right: rightAligned.contains($0)) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines = [line(cells.header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += cells.rows.map(line)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A GitHub-flavoured Markdown table (markup in cells escaped: `Escaping.markdownCell`).
    public func markdown() -> String {
        let cells = cells(Escaping.markdownCell)
        let widths = Self.widths(cells)
        func line(_ cells: [String]) -> String {
            "| " + widths.indices.map { pad(cells[$0], widths[$0], right: rightAligned.contains($0)) }
                .joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.indices.map { column in
            let dashes = String(repeating: "-", count: max(3, widths[column]) + 1)
            return rightAligned.contains(column) ? dashes + ":" : dashes + "-"
        }.joined(separator: "|") + "|"
        return ([line(cells.header), rule] + cells.rows.map(line)).joined(separator: "\n") + "\n"
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
