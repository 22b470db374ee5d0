import Foundation

/// Small charts as inline SVG for the HTML page: no script, no external file, readable when printed.
/// Every chart has a `<title>` and a `<desc>` (what it shows, in words, for screen readers), and its
/// values are written on it: colour tells the two windows apart, but the labels say it too.
enum SVGChart {
    /// Okabe–Ito colours, told apart in the common colour-vision deficiencies.
    static let colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
    /// The same hues dark enough for text on white (4.5:1 at least; orange and sky blue were 2.3:1).
    static let textColours = ["#0072B2", "#9A6200", "#007A5A", "#A0457E", "#1F6FA0", "#B34700"]

    /// One bar of a group.
    struct Bar {
        var series: String
        var value: Double
        var text: String
        /// The value's 95% interval, drawn as whiskers over the bar's end.
        var interval: ConfidenceInterval? = nil
    }

    /// A change with its interval, for a forest plot.
    struct Interval {
        var label: String
        var estimate: Double
        var lower: Double?
        var upper: Double?
        var text: String
    }

    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A label cut to `limit` characters with an ellipsis, so that long names do not run over the chart
    /// (the chart's description and the tables keep them whole).
    static func short(_ text: String, _ limit: Int = 26) -> String { text.count <= limit ? text : String(text.prefix(limit - 1)) + "…" }
    private static func escape(_ text: String) -> String { Escaping.html(text) }

    private static func open(width: Int, height: Int, title: String, description: String, id: String) -> String {
        """
        <svg class="chart" viewBox="0 0 \(width) \(height)" width="\(width)" role="img" aria-labelledby="\(id)-t \(id)-d" \
        xmlns="http://www.w3.org/2000/svg">
        <title id="\(id)-t">\(escape(title))</title>
        <desc id="\(id)-d">\(escape(description))</desc>

        """
    }

    /// Groups of horizontal bars (one group per measure or channel, one bar per series), each bar
    /// labelled with its series and its value; bars start at 0.
    static func bars(id: String, title: String, description: String, groups: [(label: String, bars: [Bar])]) -> String {
        let width = 680, labelWidth = 190, barHeight = 18, gap = 14
        var series: [String] = []  // in order of first appearance: the before window first
        for bar in groups.flatMap(\.bars) where !series.contains(bar.series) { series.append(bar.series) }
        let maximum = max(groups.flatMap { $0.bars.map { max($0.value, $0.interval?.upper ?? 0) } }.max() ?? 0, 1e-9)
        let plotWidth = Double(width - labelWidth - 200)
        var y = 28
        var body = ""
        // The legend: each series' colour and name.
        for (index, name) in series.prefix(2).enumerated() {
            let x = labelWidth + index * 240
            body += "<rect x=\"\(x)\" y=\"6\" width=\"12\" height=\"12\" fill=\"\(colours[index % colours.count])\"/>"
                + "<text x=\"\(x + 16)\" y=\"16\" font-size=\"12\">\(escape(short(name, 30)))</text>\n"
        }
        for group in groups {
            body += "<text x=\"0\" y=\"\(y + barHeight - 4)\" font-size=\"13\" font-weight=\"600\">\(escape(short(group.label, 22)))</text>\n"
            for bar in group.bars {
                let colour = colours[(series.firstIndex(of: bar.series) ?? 0) % colours.count]
                let length = max(0, bar.value) / maximum * plotWidth
                body += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(number(length))\" height=\"\(barHeight - 2)\" fill=\"\(colour)\"/>"
                var textStart = Double(labelWidth) + length + 6
                if let interval = bar.interval {
                    let low = Double(labelWidth) + max(0, interval.lower) / maximum * plotWidth
                    let high = Double(labelWidth) + max(0, interval.upper) / maximum * plotWidth
                    let middle = Double(y) + Double(barHeight - 2) / 2
                    body += "<path d=\"M\(number(low)) \(number(middle)) L\(number(high)) \(number(middle)) M\(number(low)) \(number(middle - 4)) "
                        + "L\(number(low)) \(number(middle + 4)) M\(number(high)) \(number(middle - 4)) L\(number(high)) \(number(middle + 4))\" "
                        + "stroke=\"#222\" stroke-width=\"1.5\"/>"
                    textStart = max(textStart, high + 6)
                }
                body += "<text x=\"\(number(textStart))\" y=\"\(y + barHeight - 5)\" font-size=\"12\">"
                    + "\(escape(bar.text)) (\(escape(short(bar.series, 16))))</text>\n"
                y += barHeight
            }
            y += gap
        }
        let height = y + 4
        return open(width: width, height: height, title: title, description: description, id: id)
            + "<line x1=\"\(labelWidth)\" y1=\"24\" x2=\"\(labelWidth)\" y2=\"\(height - 4)\" stroke=\"#444\"/>\n" + body + "</svg>\n"
    }

    /// A forest plot: each change as a dot with its 95% interval as whiskers, against a line at zero.
    static func forest(id: String, title: String, description: String, unit: String, rows: [Interval]) -> String {
        let width = 640, labelWidth = 230, rowHeight = 24, right = 120
        var values: [Double] = [0]
        for row in rows { values += [row.estimate] + [row.lower, row.upper].compactMap { $0 } }
        var low = values.min() ?? 0, high = values.max() ?? 1
        if high - low < 1e-9 { low -= 1; high += 1 }
        let padding = (high - low) * 0.05
        low -= padding
        high += padding
        let plotWidth = Double(width - labelWidth - right)
        func x(_ value: Double) -> String { number(Double(labelWidth) + (value - low) / (high - low) * plotWidth) }
        let top = 22
        let height = top + 30 + rows.count * rowHeight
        var body = "<line x1=\"\(x(0))\" y1=\"\(top - 6)\" x2=\"\(x(0))\" y2=\"\(height - 22)\" stroke=\"#444\" stroke-dasharray=\"3 3\"/>\n"
            + "<text x=\"\(x(0))\" y=\"12\" font-size=\"11\" text-anchor=\"middle\">no change</text>\n"
            + "<text x=\"\(x(low))\" y=\"\(height - 8)\" font-size=\"11\">\(escape(String(format: "%.1f", low)))</text>\n"
            + "<text x=\"\(x(high))\" y=\"\(height - 8)\" font-size=\"11\" text-anchor=\"end\">\(escape(String(format: "%.1f", high))) \(escape(unit))</text>\n"
        for (index, row) in rows.enumerated() {
            let y = top + 10 + index * rowHeight
            body += "<text x=\"0\" y=\"\(y + 4)\" font-size=\"12\">\(escape(short(row.label, 34)))</text>\n"
            if let lower = row.lower, let upper = row.upper {
                body += "<line x1=\"\(x(lower))\" y1=\"\(y)\" x2=\"\(x(upper))\" y2=\"\(y)\" stroke=\"#0072B2\" stroke-width=\"2\"/>"
                    + "<line x1=\"\(x(lower))\" y1=\"\(y - 5)\" x2=\"\(x(lower))\" y2=\"\(y + 5)\" stroke=\"#0072B2\" stroke-width=\"2\"/>"
                    + "<line x1=\"\(x(upper))\" y1=\"\(y - 5)\" x2=\"\(x(upper))\" y2=\"\(y + 5)\" stroke=\"#0072B2\" stroke-width=\"2\"/>\n"
            }
            body += "<circle cx=\"\(x(row.estimate))\" cy=\"\(y)\" r=\"4\" fill=\"#D55E00\"/>"
                + "<text x=\"\(width - right + 8)\" y=\"\(y + 4)\" font-size=\"12\">\(escape(row.text))</text>\n"
        }
        return open(width: width, height: height, title: title, description: description, id: id) + body + "</svg>\n"
    }

    /// One line of a line chart: a value per period (nil: not measured, a gap in the line).
    struct Line {
        var name: String
        var values: [Double?]
    }

    /// Lines over the periods, y from 0 to the largest value, the first and last period labelled on the
    /// x axis and each line named at its last point.
    /// A run of periods shaded behind the lines and named above them (compare's windows).
    struct Band {
        var from: Int
        var to: Int
        var label: String
    }

    static func lines(id: String, title: String, description: String, periods: [String], lines: [Line], unit: (Double) -> String,
                      bands: [Band] = []) -> String {
        let width = 680, left = 84, right = 110, top = bands.isEmpty ? 16 : 30, plotHeight = 170
        let height = top + plotHeight + 40
        let maximum = max(lines.flatMap { $0.values.compactMap { $0 } }.max() ?? 0, 1e-9)
        let plotWidth = Double(width - left - right)
        func x(_ index: Int) -> Double { Double(left) + (periods.count > 1 ? Double(index) / Double(periods.count - 1) * plotWidth : plotWidth / 2) }
        func y(_ value: Double) -> Double { Double(top) + Double(plotHeight) * (1 - value / maximum) }
        var body = ""
        for (index, band) in bands.enumerated() {
            let half = periods.count > 1 ? plotWidth / Double(periods.count - 1) / 2 : 0
            let start = max(Double(left), x(band.from) - half), end = min(Double(width - right), x(band.to) + half)
            body += "<rect x=\"\(number(start))\" y=\"\(top)\" width=\"\(number(max(end - start, 1)))\" height=\"\(plotHeight)\" "
                + "fill=\"\(index % 2 == 0 ? "#eef3f8" : "#f8f1e6")\"/>"
                + "<text x=\"\(number(start + 2))\" y=\"\(top - 6)\" font-size=\"11\">\(escape(short(band.label, max(6, Int((end - start) / 7)))))</text>\n"
        }
        body += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotHeight)\" stroke=\"#444\"/>"
            + "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width - right)\" y2=\"\(top + plotHeight)\" stroke=\"#444\"/>\n"
            + "<text x=\"\(left - 4)\" y=\"\(top + 4)\" font-size=\"11\" text-anchor=\"end\">\(escape(unit(maximum)))</text>"
            + "<text x=\"\(left - 4)\" y=\"\(top + plotHeight)\" font-size=\"11\" text-anchor=\"end\">\(escape(unit(0)))</text>\n"
        if bands.count > 1 {
            // Each band's first and last day under it (two rows, so that neighbouring labels do not meet).
            for (index, band) in bands.enumerated() {
                let row = Double(top + plotHeight + 14 + (index % 2) * 12)
                body += "<text x=\"\(number(x(band.from)))\" y=\"\(number(row))\" font-size=\"10\">\(escape(periods[band.from]))</text>"
                    + "<text x=\"\(number(x(band.to)))\" y=\"\(number(row))\" font-size=\"10\" text-anchor=\"end\">\(escape(periods[band.to]))</text>\n"
            }
        } else if let first = periods.first, let last = periods.last {
            body += "<text x=\"\(left)\" y=\"\(top + plotHeight + 16)\" font-size=\"11\">\(escape(first))</text>"
                + "<text x=\"\(width - right)\" y=\"\(top + plotHeight + 16)\" font-size=\"11\" text-anchor=\"end\">\(escape(last))</text>\n"
        }
        // Each line's name at its last point, moved apart where two would overlap.
        var labelY: [Int: Double] = [:]
        for (index, line) in lines.enumerated() {
            if let last = line.values.lastIndex(where: { $0 != nil }), let value = line.values[last] { labelY[index] = y(value) + 4 }
        }
        var placed: [Double] = []
        for index in labelY.keys.sorted(by: { (labelY[$0]!, $0) < (labelY[$1]!, $1) }) {  // ties by line: the same page every run
            var position = labelY[index]!
            if let previous = placed.last, position - previous < 13 { position = previous + 13 }
            position = min(position, Double(height - 4))  // inside the chart, even if crowded at the bottom
            placed.append(position)
            labelY[index] = position
        }
        for (index, line) in lines.enumerated() {
            let colour = colours[index % colours.count]
            // A gap where a period has no value; dashes tell lines apart without colour.
            var path = "", pen = false
            for (position, value) in line.values.enumerated() {
                guard let value else { pen = false; continue }
                path += (pen ? " L" : " M") + "\(number(x(position))) \(number(y(value)))"
                pen = true
            }
            let dash = index == 0 ? "" : " stroke-dasharray=\"\(2 + 3 * index) 3\""
            if !path.isEmpty { body += "<path d=\"\(path.dropFirst())\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash)/>\n" }
            // A value with no neighbour draws no line: a dot shows it.
            for (position, value) in line.values.enumerated() {
                guard let value, position == 0 || line.values[position - 1] == nil,
                      position == line.values.count - 1 || line.values[position + 1] == nil else { continue }
                body += "<circle cx=\"\(number(x(position)))\" cy=\"\(number(y(value)))\" r=\"3\" fill=\"\(colour)\"/>\n"
            }
            if let lastIndex = line.values.lastIndex(where: { $0 != nil }), let labelAt = labelY[index] {
                body += "<text x=\"\(number(x(lastIndex) + 6))\" y=\"\(number(labelAt))\" font-size=\"12\" fill=\"\(textColours[index % textColours.count])\">\(escape(short(line.name, 14)))</text>\n"
            }
        }
        return open(width: width, height: height, title: title, description: description, id: id) + body + "</svg>\n"
    }

    /// 100% stacked columns, one per period: each column's parts are shares (0…1) that sum to 1, drawn in
    /// the parts' colours, with a legend; the first and last period labelled.
    static func stackedShares(id: String, title: String, description: String, periods: [String], parts: [String],
                              shares: [[Double]?]) -> String {
        let width = 680, left = 40, right = 20, top = 30, plotHeight = 160
        let height = top + plotHeight + 24
        let plotWidth = Double(width - left - right)
        let step = plotWidth / Double(max(periods.count, 1))
        var body = ""
        // The legend shares the width: up to 200 px a part, names shortened to fit.
        let slot = min(200, (width - left - right) / max(parts.count, 1))
        for (index, name) in parts.enumerated() {
            let x = left + index * slot
            body += "<rect x=\"\(x)\" y=\"6\" width=\"12\" height=\"12\" fill=\"\(colours[index % colours.count])\"/>"
                + "<text x=\"\(x + 16)\" y=\"16\" font-size=\"12\">\(escape(short(name, max(4, (slot - 22) / 7))))</text>\n"
        }
        body += "<text x=\"\(left - 4)\" y=\"\(top + 4)\" font-size=\"11\" text-anchor=\"end\">100%</text>"
            + "<text x=\"\(left - 4)\" y=\"\(top + plotHeight)\" font-size=\"11\" text-anchor=\"end\">0%</text>\n"
        for (index, column) in shares.enumerated() {
            guard let column else { continue }  // not measured: no column
            var y = Double(top + plotHeight)
            for (part, share) in column.enumerated() where share > 0 {
                let heightOfPart = share * Double(plotHeight)
                y -= heightOfPart
                body += "<rect x=\"\(number(Double(left) + Double(index) * step))\" y=\"\(number(y))\" width=\"\(number(max(step - 1, 0.5)))\" "
                    + "height=\"\(number(heightOfPart))\" fill=\"\(colours[part % colours.count])\"/>"
            }
            body += "\n"
        }
        if let first = periods.first, let last = periods.last {
            body += "<text x=\"\(left)\" y=\"\(top + plotHeight + 16)\" font-size=\"11\">\(escape(first))</text>"
                + "<text x=\"\(width - right)\" y=\"\(top + plotHeight + 16)\" font-size=\"11\" text-anchor=\"end\">\(escape(last))</text>\n"
        }
        return open(width: width, height: height, title: title, description: description, id: id) + body + "</svg>\n"
    }
}

extension SVGChart {
    /// A sequential palette, light to dark (ColorBrewer YlGnBu), readable in the common colour-vision deficiencies.
    static let shades = ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"]

    /// Hours of the week as a grid: a row per weekday (Monday first), a column per hour, each cell shaded by
    /// its value (darker is more; nil, too few to say, is grey with a cross), with a scale under it.
    static func heatMap(id: String, title: String, description: String, values: [Double?], scale: (Double) -> String) -> String {
        let left = 40, top = 22, cellWidth = 26, cellHeight = 20
        let width = left + 24 * cellWidth + 8, height = top + 7 * cellHeight + 46
        let known = values.compactMap { $0 }
        let low = known.min() ?? 0, high = max(known.max() ?? 1, low + 1e-9)
        func shade(_ value: Double) -> String {
            shades[min(shades.count - 1, Int((value - low) / (high - low) * Double(shades.count)))]
        }
        var body = ""
        for hour in stride(from: 0, to: 24, by: 3) {
            body += "<text x=\"\(left + hour * cellWidth)\" y=\"\(top - 6)\" font-size=\"11\">\(hour < 10 ? "0" : "")\(hour):00</text>"
        }
        body += "\n"
        for weekday in 0..<7 {
            let y = top + weekday * cellHeight
            body += "<text x=\"0\" y=\"\(y + 14)\" font-size=\"12\">\(WeeklyProfile.weekdayNames[weekday])</text>"
            for hour in 0..<24 {
                let x = left + hour * cellWidth
                if let value = values[weekday * 24 + hour] {
                    body += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cellWidth - 1)\" height=\"\(cellHeight - 1)\" fill=\"\(shade(value))\"/>"
                } else {
                    body += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cellWidth - 1)\" height=\"\(cellHeight - 1)\" fill=\"#eeeeee\"/>"
                        + "<path d=\"M\(x + 4) \(y + 4) L\(x + cellWidth - 5) \(y + cellHeight - 5) M\(x + cellWidth - 5) \(y + 4) L\(x + 4) \(y + cellHeight - 5)\" stroke=\"#bbbbbb\"/>"
                }
            }
            body += "\n"
        }
        // The scale: each shade with the lowest value it stands for.
        let scaleY = top + 7 * cellHeight + 12
        for (index, colour) in shades.enumerated() {
            let x = left + index * 70
            body += "<rect x=\"\(x)\" y=\"\(scaleY)\" width=\"20\" height=\"12\" fill=\"\(colour)\" stroke=\"#999\" stroke-width=\"0.5\"/>"
                + "<text x=\"\(x + 24)\" y=\"\(scaleY + 10)\" font-size=\"11\">\(escape(scale(low + (high - low) * Double(index) / Double(shades.count))))</text>"
        }
        body += "<text x=\"\(left + shades.count * 70)\" y=\"\(scaleY + 10)\" font-size=\"11\">to \(escape(scale(high)))</text>\n"
        return open(width: width, height: height, title: title, description: description, id: id) + body + "</svg>\n"
    }
}
