import Foundation

/// Which time-zone names are accepted: tz database names (`Europe/London`, `America/New_York`, `Etc/GMT-1`)
/// and `UTC`. Abbreviations are refused, because the system resolves them to something nobody meant:
/// `BST` is Bangladesh (UTC+6) there, `GMT` and `EST` are fixed offsets with no summer time, `IST` is India.
enum ZoneNames {
    /// Why `identifier` is not accepted, or nil when it is.
    static func problem(with identifier: String) -> TimeZoneRulesError? {
        if identifier == "UTC" { return nil }
        if identifier.contains("/"), TimeZone(identifier: identifier) != nil { return nil }
        if let suggestion = suggestions[identifier.uppercased()] {
            return .abbreviation(identifier, suggestion: suggestion, fixedOffset: fixedOffset(of: identifier))
        }
        if let spelled = TimeZone.knownTimeZoneIdentifiers.first(where: { $0.lowercased() == identifier.lowercased() }),
           spelled.contains("/") || spelled == "UTC" {
            return .misspelled(identifier, suggestion: spelled)
        }
        if TimeZone(identifier: identifier) != nil {  // a legacy name (`GB`, `CET`, `EST5EDT`) or an offset (`GMT+1`)
            return .abbreviation(identifier, suggestion: nil, fixedOffset: fixedOffset(of: identifier))
        }
        return .unknownIdentifier(identifier)
    }

    /// `UTC+06:00` when the system reads `identifier` as one offset in January and July of 2019.
    private static func fixedOffset(of identifier: String) -> String? {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        let winter = zone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_546_300_800))
        guard winter == zone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_561_939_200)) else { return nil }
        let minutes = abs(winter) / 60
        return "UTC" + (winter < 0 ? "−" : "+") + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    /// Common abbreviations and what their users usually mean.
    private static let suggestions: [String: String] = [
        "BST": "Europe/London", "GMT": "Europe/London", "UK": "Europe/London", "GB": "Europe/London",
        "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon", "IST": "Europe/Dublin or Asia/Kolkata",
        "CET": "Europe/Paris", "CEST": "Europe/Paris", "EET": "Europe/Athens", "EEST": "Europe/Athens",
        "EST": "America/New_York", "EDT": "America/New_York", "CST": "America/Chicago", "CDT": "America/Chicago",
        "MST": "America/Denver", "MDT": "America/Denver", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
        "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland",
    ]
}
