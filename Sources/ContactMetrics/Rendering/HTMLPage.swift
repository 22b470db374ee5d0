/// `--format html`: one self-contained page (no scripts, no external files) for readers of the figures,
/// built from the same tables as the text formats.
enum HTMLPage {
    static func escape(_ text: String) -> String { Escaping.html(text) }

    static func table(_ table: TextTable) -> String {
        var html = "<table>\n<thead><tr>"
        for (column, cell) in table.header.enumerated() {
            html += "<th\(table.rightAligned.contains(column) ? " class=\"n\"" : "")>\(escape(cell))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>"
            for column in table.header.indices {
                let cell = column < row.count ? row[column] : ""
                html += "<td\(table.rightAligned.contains(column) ? " class=\"n\"" : "")>\(escape(cell))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static func page(title: String, tables: [TextTable], notes: [String]) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(escape(title))</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { border-bottom: 1px solid #ccc; padding: 0.3em 0.8em; text-align: left; vertical-align: top; }
        th { background: #f3f3f3; }
        .n { text-align: right; font-variant-numeric: tabular-nums; }
        p.note { color: #555; font-size: 0.9em; max-width: 60em; }
        </style>
        </head>
        <body>
        <h1>\(escape(title))</h1>

        """ + tables.map(table).joined(separator: "\n") + notes.map { "<p class=\"note\">\(escape($0))</p>\n" }.joined()
            + "</body>\n</html>\n"
    }
}

extension Report {
    /// `--format html`: the per-channel and incident tables and the ledger on one page.
    public func html() -> String {
        HTMLPage.page(title: heading, tables: [channelTable()] + (incidentTable().map { [$0] } ?? []), notes: [ledger.summary()])
    }
}

extension Comparison {
    /// `--format html`: the headline (published-table) rows, the detail with confidence intervals, and notes.
    public func html() -> String {
        HTMLPage.page(title: heading, tables: [headlineTable(), detailTable()], notes: notes)
    }
}
