import Foundation

/// A slow, obviously correct model of the pipeline for property tests: a character-by-character
/// RFC 4180 parser over `String`, timestamps through Foundation's ISO 8601 parser and `Calendar`, and
/// metrics by sorting every wait. Independent of the production code by construction.
enum ReferenceModel {
    struct Figures: Equatable {
        var received = 0, answered = 0, abandoned = 0, other = 0
        var asaSeconds: Double?
        var p50: Int?, p90: Int?, p95: Int?, maxWait: Int?
        var categories: [String: Int] = [:]
    }

    struct Result: Equatable {
        var figures: [String: [String: Figures]] = [:]  // month label → channel → figures
        var rowsRead = 0, rejected = 0
    }

    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = ""
        var inQuotes = false, fieldWasQuoted = false
        var characters = Array(text.unicodeScalars)
        if characters.first == "\u{FEFF}" { characters.removeFirst() }
        var index = 0
        func endRecord() {
            record.append(field)
            if !(record.count == 1 && record[0].isEmpty && !fieldWasQuoted) { records.append(record) }
            record = []; field = ""; fieldWasQuoted = false
        }
        while index < characters.count {
            let character = characters[index]
            if inQuotes {
                if character == "\"" {
                    if index + 1 < characters.count && characters[index + 1] == "\"" { field.unicodeScalars.append("\""); index += 1 } else { inQuotes = false }
                } else { field.unicodeScalars.append(character) }
            } else if character == "\"" && field.isEmpty {
                inQuotes = true; fieldWasQuoted = true
            } else if character == "," {
                record.append(field); field = ""; fieldWasQuoted = false
            } else if character == "\n" {
                endRecord()
            } else if character == "\r" && index + 1 < characters.count && characters[index + 1] == "\n" {
                // CRLF: handled at the \n
            } else {
                field.unicodeScalars.append(character)
            }
            index += 1
        }
        if !field.isEmpty || !record.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }

    static func compute(_ text: String) -> Result {
        let formatter = ISO8601DateFormatter()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London")!
        var waits: [String: [String: [Int]]] = [:]
        var abandonWaits: [String: [String: [Int]]] = [:]
        var result = Result()
        let records = parseCSV(text)
        let header = records[0]
        for record in records.dropFirst() {
            result.rowsRead += 1
            guard record.count == header.count else { result.rejected += 1; continue }
            let row = Dictionary(uniqueKeysWithValues: zip(header, record))
            let channel = row["channel"]!.lowercased()
            guard !channel.isEmpty, let arrived = formatter.date(from: row["arrived_at"]!) else { result.rejected += 1; continue }
            let answered = row["answered_at"]!.isEmpty ? nil : formatter.date(from: row["answered_at"]!)
            let ended = row["ended_at"]!.isEmpty ? nil : formatter.date(from: row["ended_at"]!)
            if (!row["answered_at"]!.isEmpty && answered == nil) || (!row["ended_at"]!.isEmpty && ended == nil) { result.rejected += 1; continue }
            let outcome = row["outcome"]!
            var answerWait: Int?, abandonWait: Int?
            if channel != "online" {
                if outcome == "answered", let answered {
                    answerWait = Int(answered.timeIntervalSince1970) - Int(arrived.timeIntervalSince1970)
                    if answerWait! < 0 { result.rejected += 1; continue }
                    if let ended, Int(ended.timeIntervalSince1970) < Int(answered.timeIntervalSince1970) { result.rejected += 1; continue }
                } else if outcome == "abandoned", let ended {
                    abandonWait = Int(ended.timeIntervalSince1970) - Int(arrived.timeIntervalSince1970)
                    if abandonWait! < 0 { result.rejected += 1; continue }
                }
            }
            let parts = calendar.dateComponents([.year, .month], from: arrived)
            let month = String(format: "%04d-%02d", parts.year!, parts.month!)
            var figures = result.figures[month, default: [:]][channel, default: Figures()]
            figures.received += 1
            if channel != "online" {
                switch outcome {
                case "answered": figures.answered += 1
                case "abandoned": figures.abandoned += 1
                default: figures.other += 1
                }
            }
            if let category = row["category"], !category.isEmpty { figures.categories[category, default: 0] += 1 }
            result.figures[month, default: [:]][channel] = figures
            if let answerWait { waits[month, default: [:]][channel, default: []].append(answerWait) }
            if let abandonWait { abandonWaits[month, default: [:]][channel, default: []].append(abandonWait) }
        }
        for (month, channels) in result.figures {
            for channel in channels.keys {
                let sorted = (waits[month]?[channel] ?? []).sorted()
                var figures = result.figures[month]![channel]!
                if !sorted.isEmpty {
                    figures.asaSeconds = Double(sorted.reduce(0, +)) / Double(sorted.count)
                    // nearest rank: the ⌈p·n/100⌉-th smallest, in integers
                    func rank(_ percent: Int) -> Int { sorted[(percent * sorted.count + 99) / 100 - 1] }
                    figures.p50 = rank(50); figures.p90 = rank(90); figures.p95 = rank(95)
                }
                figures.maxWait = (sorted + (abandonWaits[month]?[channel] ?? [])).max()
                result.figures[month]![channel] = figures
            }
        }
        return result
    }
}
