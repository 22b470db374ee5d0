/// `--format html`: one self-contained page (no scripts, no external files) for readers of the figures,
/// built from the same tables as the text formats. In pieces, so that a long table can be written a
/// row at a time.
enum HTMLPage {
    static func escape(_ text: String) -> String { Escaping.html(text) }

    static func tableStart(header: [String], rightAligned: Set<Int>, className: String? = nil) -> String {
        var html = "<table\(className.map { " class=\"\($0)\"" } ?? "")>\n<thead><tr>"
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
        h1, p, dd, figcaption, summary { overflow-wrap: anywhere; }
        th, td { overflow-wrap: break-word; }
        @page { size: A4; margin: 12mm; }
        @media print {
          body { margin: 0; max-width: none; font-size: 9pt; }
          figure { page-break-inside: avoid; }
          h2 { page-break-after: avoid; }
          .scroll { overflow: visible; }
          table { width: 100%; font-size: 7.5pt; }
          th, td { padding: 0.2em 0.3em; }
          details::details-content { display: contents; content-visibility: visible; }
          details > summary { display: none; }
        }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { border-bottom: 1px solid #ccc; padding: 0.3em 0.8em; text-align: left; vertical-align: top; }
        th { background: #f3f3f3; }
        .n { text-align: right; font-variant-numeric: tabular-nums; }
        p.note { color: #555; font-size: 0.9em; max-width: 60em; }
        td.rag { font-weight: 600; white-space: nowrap; }
        table.targets th, table.targets td { overflow-wrap: normal; padding: 0.3em 0.45em; }
        table.targets td.n { white-space: nowrap; }
        .rag-green { background: #d9f0d3; } .rag-amber { background: #fee08b; }
        .rag-red { background: #f4a582; } .rag-none { background: #f0f0f0; font-weight: normal; }
        @media print { td.rag { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
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
        try sink.write("<p class=\"sub\">\(HTMLPage.escape(SourcesLine.sentence(ledger: ledger, timeZone: timeZone, madeBy: madeBy)))</p>\n")
        try sink.write(charts())
        try sink.write(heatMaps())
        if let targetReview { try sink.write(targetReview.htmlSection()) }
        let header = channelHeader, rightAligned = channelRightAligned
        // Wide tables scroll sideways in their own box on a narrow screen; a long one is folded under the charts.
        let folded = periodCount > Self.unfoldedPeriods
        if hasContacts {
            if folded { try sink.write("<details>\n<summary>The table of the \(DisplayFormat.count(Int64(periodCount))) periods</summary>\n") }
            try sink.write("<div class=\"scroll\">\n" + HTMLPage.tableStart(header: header, rightAligned: rightAligned))
            try forEachChannelRow { try sink.write(HTMLPage.tableRow($0, columns: header.count, rightAligned: rightAligned)) }
            try sink.write(HTMLPage.tableEnd + "</div>\n" + (folded ? "</details>\n" : ""))
        }
        if hasIncidents {
            let header = incidentHeader
            if folded { try sink.write("<details>\n<summary>The incidents of the \(DisplayFormat.count(Int64(periodCount))) periods</summary>\n") }
            try sink.write("\n<div class=\"scroll\">\n" + HTMLPage.tableStart(header: header, rightAligned: [1, 2, 3]))
            try forEachIncidentRow { try sink.write(HTMLPage.tableRow($0, columns: header.count, rightAligned: [1, 2, 3])) }
            try sink.write(HTMLPage.tableEnd + "</div>\n" + (folded ? "</details>\n" : ""))
        }
        try sink.write(HTMLPage.foot(notes: [ledger.summary()] + ([options.settingsNote, partialNote, outcomeUnknownNote, answeredUntimedNote, categoryNotGivenNote, repeatedHourNote] + cautions).compactMap { $0 }))
    }

    public func html() -> String { rendered(writeHTML) }

    /// Above this many periods the page folds the period table under its charts (`<details>`).
    static let unfoldedPeriods = 24

    /// Most periods a report charts: a line of 100,000 points helps no one (a coarser --period does).
    static let chartedPeriods = 1_500
}
