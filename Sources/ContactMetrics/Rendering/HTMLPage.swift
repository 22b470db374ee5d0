/// `--format html`: one self-contained page (no scripts, no external files) for readers of the figures,
/// built from the same tables as the text formats. In pieces, so that a long table can be written a
/// row at a time.
enum HTMLPage {
    static func escape(_ text: String) -> String { Escaping.html(text) }

    static func tableStart(header: [String], rightAligned: Set<Int>) -> String {
        var html = "<table>\n<thead><tr>"
        for (column, cell) in header.enumerated() {
            html += "<th\(rightAligned.contains(column) ? " class=\"n\"" : "")>\(escape(cell))</th>"
        }
        return html + "</tr></thead>\n<tbody>\n"
    }

    static func tableRow(_ row: [String], columns: Int, rightAligned: Set<Int>) -> String {
        var html = "<tr>"
        for column in 0..<columns {
            let cell = column < row.count ? row[column] : ""
            html += "<td\(rightAligned.contains(column) ? " class=\"n\"" : "")>\(escape(cell))</td>"
        }
        return html + "</tr>\n"
    }

    static let tableEnd = "</tbody>\n</table>\n"

    /// A wide table in a box that scrolls sideways on a narrow screen instead of being cut off.
    static func scrolling(_ table: String) -> String { "<div class=\"scroll\">\n" + table + "</div>\n" }

    static func table(_ table: TextTable) -> String {
        tableStart(header: table.header, rightAligned: table.rightAligned)
            + table.rows.map { tableRow($0, columns: table.header.count, rightAligned: table.rightAligned) }.joined() + tableEnd
    }

    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(escape(title))</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 2em auto; padding: 0 1em; max-width: 62em; color: #222; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
        p.sub { color: #555; margin-top: -0.5em; }
        .scroll { overflow-x: auto; }
        figure { margin: 1em 0; }
        svg.chart { max-width: 100%; height: auto; font-family: system-ui, sans-serif; }
        dt { font-weight: 600; } dd { margin: 0 0 0.5em 1.5em; }
        thead th { position: sticky; top: 0; }
        @media print {
          body { margin: 0; max-width: none; font-size: 10pt; }
          section, figure, table { page-break-inside: avoid; }
          h2 { page-break-after: avoid; }
          .scroll { overflow: visible; }
        }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { border-bottom: 1px solid #ccc; padding: 0.3em 0.8em; text-align: left; vertical-align: top; }
        th { background: #f3f3f3; }
        .n { text-align: right; font-variant-numeric: tabular-nums; }
        p.note { color: #555; font-size: 0.9em; max-width: 60em; }
        </style>
        </head>
        <body>
        <h1>\(escape(title))</h1>

        """
    }

    static func foot(notes: [String]) -> String {
        notes.map { "<p class=\"note\">\(escape($0))</p>\n" }.joined() + "</body>\n</html>\n"
    }

    static func page(title: String, tables: [TextTable], notes: [String]) -> String {
        head(title: title) + tables.map(table).joined(separator: "\n") + foot(notes: notes)
    }
}

extension Report {
    /// `--format html`: the per-channel and incident tables and the ledger on one page.
    public func writeHTML(to sink: inout some TextSink) throws {
        try sink.write(HTMLPage.head(title: heading))
        let header = channelHeader, rightAligned = channelRightAligned
        // Wide tables scroll sideways in their own box on a narrow screen.
        try sink.write("<div class=\"scroll\">\n" + HTMLPage.tableStart(header: header, rightAligned: rightAligned))
        try forEachChannelRow { try sink.write(HTMLPage.tableRow($0, columns: header.count, rightAligned: rightAligned)) }
        try sink.write(HTMLPage.tableEnd + "</div>\n")
        if hasIncidents {
            let header = incidentHeader
            try sink.write("\n<div class=\"scroll\">\n" + HTMLPage.tableStart(header: header, rightAligned: [1, 2, 3]))
            try forEachIncidentRow { try sink.write(HTMLPage.tableRow($0, columns: header.count, rightAligned: [1, 2, 3])) }
            try sink.write(HTMLPage.tableEnd + "</div>\n")
        }
        try sink.write(HTMLPage.foot(notes: [ledger.summary()] + (options.settingsNote.map { [$0] } ?? [])))
    }

    public func html() -> String { rendered(writeHTML) }
}


