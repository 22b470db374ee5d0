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

    /// Columns separated by two spaces, a dashed rule under the header.
    public func plain() -> String {
        var layout = TableLayout(header: header, rightAligned: rightAligned, style: .plain)
        for row in rows { layout.measure(row) }
        return ([layout.headerLines] + rows.map(layout.line)).joined()
    }

    /// A GitHub-flavoured Markdown table (markup in cells escaped: `Escaping.markdownCell`).
    public func markdown() -> String {
        var layout = TableLayout(header: header, rightAligned: rightAligned, style: .markdown)
        for row in rows { layout.measure(row) }
        return ([layout.headerLines] + rows.map(layout.line)).joined()
    }
}

/// The column widths of an aligned table and the lines they give, for tables written a row at a time:
/// every row is measured first, then written (a renderer produces its rows twice rather than hold them).
///
/// Cells are one line each, with control characters shown escaped (`Escaping`), aligned by the columns
/// they take on a terminal (`DisplayWidth`: an emoji or a CJK character takes two), and at most
/// `widestCell` characters: every row is padded to the widest cell of its column, so one huge label
/// would otherwise make every row huge (CSV, JSON and HTML keep labels whole).
struct TableLayout {
    enum Style { case plain, markdown }

    static let widestCell = 80

    let header: [String]
    let rightAligned: Set<Int>
    let style: Style
    private(set) var widths: [Int]

    init(header: [String], rightAligned: Set<Int>, style: Style) {
        self.header = header
        self.rightAligned = rightAligned
        self.style = style
        widths = header.map { DisplayWidth.of(Self.shown($0, style: style, clip: false)) }
    }

    private static func shown(_ text: String, style: Style, clip: Bool = true) -> String {
        let clipped = clip && text.count > widestCell ? String(text.prefix(widestCell - 1)) + "…" : text
        return style == .plain ? Escaping.cell(clipped) : Escaping.markdownCell(clipped)
    }

    private func cells(_ row: [String]) -> [String] {
        header.indices.map { $0 < row.count ? Self.shown(row[$0], style: style) : "" }
    }

    mutating func measure(_ row: [String]) {
        for (column, cell) in cells(row).enumerated() { widths[column] = max(widths[column], DisplayWidth.of(cell)) }
    }

    private func pad(_ text: String, _ width: Int, right: Bool) -> String {
        let missing = width - DisplayWidth.of(text)
        if missing <= 0 { return text }
        let padding = String(repeating: " ", count: missing)
        return right ? padding + text : text + padding
    }

    private func joined(_ cells: [String]) -> String {
        let padded = widths.indices.map { pad(cells[$0], widths[$0], right: rightAligned.contains($0)) }
        switch style {
        case .plain: return padded.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        case .markdown: return "| " + padded.joined(separator: " | ") + " |\n"
        }
    }

    /// The header line and the rule under it.
    var headerLines: String {
        let headerCells = header.map { Self.shown($0, style: style, clip: false) }
        switch style {
        case .plain:
            return joined(headerCells) + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        case .markdown:
            let rule = "|" + widths.indices.map { column in
                let dashes = String(repeating: "-", count: max(3, widths[column]) + 1)
                return rightAligned.contains(column) ? dashes + ":" : dashes + "-"
            }.joined(separator: "|") + "|\n"
            return joined(headerCells) + rule
        }
    }

    /// One row's line.
    func line(_ row: [String]) -> String { joined(cells(row)) }
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
