import Foundation

/// Which time-zone names are accepted: names of the tz database (`Europe/London`, `America/New_York`,
/// `Etc/GMT-1`, and older names it keeps such as `GB` or `EST5EDT`) and `UTC`. Abbreviations people
/// type are refused, because the system resolves them to something nobody meant: `BST` is Bangladesh
/// (UTC+6) here, `IST` India; `GMT`, `EST` and `MST` are in the database but as fixed offsets with no
/// summer time, which is rarely what their users mean.
enum ZoneNames {
    /// Why `identifier` is not accepted, or nil when it is.
    static func problem(with identifier: String) -> TimeZoneRulesError? {
        if let offset = offsetMinutes(identifier) {
            let hours = offset / 60
            let whole = offset % 60 == 0 && (-12...14).contains(hours) && hours != 0
            return .fixedOffset(identifier, etcName: whole ? "Etc/GMT\(hours > 0 ? "-" : "+")\(abs(hours))" : nil)
        }
        let inDatabase = isInDatabase(identifier)
        if let suggestion = suggestions[identifier.uppercased()] {
            let fixed = fixedOffset(of: identifier)
            if !inDatabase || fixed != nil { return .abbreviation(identifier, suggestion: suggestion, fixedOffset: fixed) }
        }
        if identifier == "UTC" || inDatabase { return nil }
        let known = TimeZone.knownTimeZoneIdentifiers
        let trimmed = identifier.trimmingCharacters(in: .whitespaces)
        if ["UTC", "Z", "ZULU", "UCT"].contains(trimmed.uppercased()) { return .misspelled(identifier, suggestion: "UTC") }
        if let spelled = known.first(where: { $0.lowercased() == trimmed.lowercased() }) {
            return .misspelled(identifier, suggestion: spelled)
        }
        if TimeZone(identifier: identifier) != nil {  // an offset (`GMT+1`) or another abbreviation
            return .abbreviation(identifier, suggestion: nil, fixedOffset: fixedOffset(of: identifier))
        }
        // A typing slip (`Europe/Londn`, `America/NewYork`): the nearest name, when it is near and alone.
        if trimmed.contains("/"), trimmed.count < 64 {
            let typed = trimmed.lowercased()
            let near = Set(known + databaseNames()).map { ($0, EditDistance.between($0.lowercased(), typed)) }.filter { $0.1 <= 2 }
            if let nearest = near.min(by: { $0.1 < $1.1 }), near.filter({ $0.1 == nearest.1 }).count == 1 {
                return .misspelled(identifier, suggestion: nearest.0)
            }
        }
        return .unknownIdentifier(identifier)
    }

    /// The names of the system's tz database with a `/` (`Asia/Kolkata`, `US/Pacific`: Foundation's list
    /// lacks some), for suggestions; `posix/` and `right/` copies left out.
    private static func databaseNames() -> [String] {
        let directory = ProcessInfo.processInfo.environment["TZDIR"] ?? "/usr/share/zoneinfo"
        guard let paths = FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] else { return [] }
        return paths.filter { path in
            path.contains("/") && !path.hasPrefix("posix/") && !path.hasPrefix("right/") && !path.contains(".")
                && path.first?.isUppercase == true
        }
    }

    /// Whether the system's tz database has a zone of that exact name (a file under `$TZDIR`, else
    /// /usr/share/zoneinfo, that Foundation reads): canonical names and the older ones it keeps (`GB`,
    /// `Eire`, `Zulu`, `EST5EDT`, `Etc/GMT-1`).
    private static func isInDatabase(_ identifier: String) -> Bool {
        guard !identifier.isEmpty, !identifier.hasPrefix("/"), !identifier.contains(".."), identifier.count < 100,
              identifier.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic || "/_-+0123456789".unicodeScalars.contains($0) })
        else { return false }
        let directory = ProcessInfo.processInfo.environment["TZDIR"] ?? "/usr/share/zoneinfo"
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory + "/" + identifier, isDirectory: &isDirectory)
            && !isDirectory.boolValue && TimeZone(identifier: identifier) != nil
    }

    /// The minutes east of UTC that `identifier` writes as an offset: `UTC+1`, `GMT-05:00`, `+0100`, `+01:00`,
    /// `utc+5:30`; nil for anything else (`Etc/GMT-1` is a name).
    private static func offsetMinutes(_ identifier: String) -> Int? {
        var text = Substring(identifier.trimmingCharacters(in: .whitespaces).uppercased())
        for prefix in ["UTC", "GMT"] where text.hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
        guard let sign = text.first, sign == "+" || sign == "-" || sign == "−" else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        let parts = text.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), parts.count <= 2 else { return nil }
        let hours: Int, minutes: Int
        if parts.count == 2 {
            guard (1...2).contains(parts[0].count), parts[1].count == 2 else { return nil }
            hours = Int(parts[0])!
            minutes = Int(parts[1])!
        } else if digits.count <= 2 {
            hours = Int(digits)!
            minutes = 0
        } else if digits.count == 4 {
            hours = Int(digits.prefix(2))!
            minutes = Int(digits.suffix(2))!
        } else {
            return nil
        }
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == "+" ? 1 : -1) * (hours * 60 + minutes)
    }

    /// Abbreviations people give for a zone, and the zone they usually mean.
    private static let suggestions: [String: String] = [
        "BST": "Europe/London", "GMT": "Europe/London", "UK": "Europe/London",
        "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon", "IST": "Europe/Dublin or Asia/Kolkata",
        "CET": "Europe/Paris", "CEST": "Europe/Paris", "EET": "Europe/Athens", "EEST": "Europe/Athens",
        "EST": "America/New_York", "EDT": "America/New_York", "CST": "America/Chicago", "CDT": "America/Chicago",
        "MST": "America/Denver", "MDT": "America/Denver", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
        "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland",
    ]

    /// `UTC+06:00` when the system reads `identifier` as one offset in January and July of 2019.
    private static func fixedOffset(of identifier: String) -> String? {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        let winter = zone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_546_300_800))
        guard winter == zone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_561_939_200)) else { return nil }
        let minutes = abs(winter) / 60
        return "UTC" + (winter < 0 ? "−" : "+") + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}
