// `generate --profile hampshire-cmp`: twenty-six months of contacts and incidents (April 2018 – May
// 2020, Europe/London) whose April–May 2019 vs April–May 2020 comparison reproduces every figure of
// the published Hampshire table (shared/reference) after display rounding. The first twelve months
// (April 2018 – March 2019) are the year before, for `compare --baseline previous-year`: drawn from a
// random stream of their own, so the fourteen calibrated months are what they were without them, and
// with day-to-day variation (a day's staffing moves its waits and abandonment) as real centres have.
//
// How it is made realistic: daily volumes follow weekday and seasonal factors, with three phases
// (before the Contact Management Platform, CMP live from 2 March 2020, Covid lockdown from 23 March
// 2020: fewer calls, online reporting up sevenfold, a `covid` category); arrivals follow an intraday
// profile in local time (both clock changes inside the range); waits are log-normal and longer in busy
// hours; each caller has an exponential patience, and the callers whose wait most exceeds their
// patience abandon (so abandonment rises with wait), hanging up part-way through.
//
// How it is calibrated: window volumes are exact totals spread over the days (largest remainder);
// per month and channel, exactly round(rate × n) callers abandon and the answered waits are scaled
// until their whole-second mean equals the month's target answer time. Targets between the two
// windows are interpolated. Ten bad rows are added: readers must reject them, and they are in no figure.

private struct Plan {
    var channel: String
    /// Published-window totals (before, after) at scale 1, chosen mid-way in their rounding intervals.
    var windowTotals: (Int, Int)
    /// Calls a day by phase: before CMP, CMP live before lockdown, lockdown.
    var perDay: (Double, Double, Double)
    var hourWeights: [Double]
    var weekdayFactors: [Double]  // Monday … Sunday
    /// Per month from April 2019: mean answer wait (s) and abandon rate.
    var answerSeconds: [Double]
    var abandonRates: [Double]
    var otherShare: Double
    var waitShape: Double
    var meanHandleSeconds: Double
    /// The year before (April 2018 – March 2019): volume relative to 2019's pre-CMP volume, and per month the
    /// mean answer wait (s) and abandon rate.
    var earlierVolume = 1.0
    var earlierAnswerSeconds: [Double] = []
    var earlierAbandonRates: [Double] = []
}

struct HampshireProfile {
    let seed: UInt64
    let scale: Double
    let zone: TimeZoneRules

    static let firstDay = CivilDate(year: 2019, month: 4, day: 1).daysSinceEpoch
    static let lastDay = CivilDate(year: 2020, month: 5, day: 31).daysSinceEpoch
    static let cmpLive = CivilDate(year: 2020, month: 3, day: 2).daysSinceEpoch
    static let lockdown = CivilDate(year: 2020, month: 3, day: 23).daysSinceEpoch
    static let beforeWindow = CivilDate(year: 2019, month: 4, day: 1).daysSinceEpoch...CivilDate(year: 2019, month: 5, day: 31).daysSinceEpoch
    static let afterWindow = CivilDate(year: 2020, month: 4, day: 1).daysSinceEpoch...CivilDate(year: 2020, month: 5, day: 31).daysSinceEpoch

    private static let callHours: [Double] = [0.55, 0.4, 0.3, 0.25, 0.25, 0.3, 0.55, 0.95, 1.4, 1.7, 1.85, 1.9,
                                              1.8, 1.75, 1.75, 1.8, 1.9, 1.95, 1.85, 1.7, 1.5, 1.3, 1.05, 0.8]
    private static let emergencyHours: [Double] = [1.1, 0.9, 0.7, 0.55, 0.45, 0.45, 0.55, 0.75, 0.95, 1.05, 1.1, 1.15,
                                                   1.2, 1.2, 1.25, 1.3, 1.4, 1.5, 1.55, 1.55, 1.5, 1.45, 1.4, 1.3]
    private static let onlineHours: [Double] = [0.3, 0.2, 0.15, 0.1, 0.1, 0.15, 0.4, 0.8, 1.2, 1.5, 1.6, 1.6,
                                                1.6, 1.6, 1.55, 1.5, 1.4, 1.4, 1.45, 1.5, 1.5, 1.3, 1.0, 0.6]

    private static let plans: [Plan] = [
        Plan(channel: "101", windowTotals: (106_080, 65_280), perDay: (1_720, 1_430, 1_060), hourWeights: callHours,
             weekdayFactors: [1.18, 1.06, 1.02, 1.0, 1.04, 0.86, 0.84],
             answerSeconds: [473, 473, 458, 447, 436, 428, 418, 410, 402, 393, 385, 262, 124, 124],
             abandonRates: [0.42, 0.42, 0.405, 0.395, 0.385, 0.375, 0.365, 0.355, 0.35, 0.345, 0.335, 0.25, 0.16, 0.16],
             otherShare: 0.015, waitShape: 1.1, meanHandleSeconds: 420, earlierVolume: 0.96,
             earlierAnswerSeconds: [352, 340, 361, 378, 372, 380, 395, 404, 420, 440, 452, 466],
             earlierAbandonRates: [0.33, 0.325, 0.34, 0.355, 0.35, 0.355, 0.365, 0.37, 0.385, 0.395, 0.405, 0.415]),
        Plan(channel: "999", windowTotals: (47_120, 38_390), perDay: (775, 745, 630), hourWeights: emergencyHours,
             weekdayFactors: [0.96, 0.93, 0.94, 0.96, 1.06, 1.12, 1.03],
             answerSeconds: [9, 9, 9.2, 9.4, 9.1, 8.9, 8.8, 9.0, 9.3, 9.0, 8.7, 8.4, 8, 8],
             abandonRates: Array(repeating: 0.012, count: 14),
             otherShare: 0.005, waitShape: 0.8, meanHandleSeconds: 290, earlierVolume: 0.97,
             earlierAnswerSeconds: [8.6, 8.8, 9.1, 9.4, 9.2, 8.9, 8.8, 9.0, 9.4, 9.2, 8.9, 8.8],
             earlierAbandonRates: Array(repeating: 0.011, count: 12)),
        Plan(channel: "online", windowTotals: (3_990, 30_420), perDay: (66, 160, 500), hourWeights: onlineHours,
             weekdayFactors: [1.1, 1.05, 1.0, 1.0, 0.98, 0.92, 0.95],
             answerSeconds: [], abandonRates: [], otherShare: 0, waitShape: 0, meanHandleSeconds: 0, earlierVolume: 0.8),
    ]

    /// The year before the calibrated months.
    static let earlierFirstDay = CivilDate(year: 2018, month: 4, day: 1).daysSinceEpoch
    /// A day's staffing in the year before: log-normal, this spread; waits scale with it and abandonment
    /// with its square root (a short-staffed day has longer waits and more hang-ups).
    static let dayToDaySpread = 0.3

    private static let seasonal: [Double] = [0.97, 1.0, 1.03, 1.08, 1.07, 1.02, 0.99, 0.97, 0.93, 0.95, 0.96, 0.98]  // Jan … Dec
    private static let otherCategories = ["theft", "criminal damage", "antisocial behaviour", "fraud", "road traffic", "other"]
    private static let otherCategoryWeights = [0.26, 0.18, 0.22, 0.14, 0.08, 0.12]

    /// One contact before it is written.
    private struct Contact {
        var arrived: Int64
        var channel: Int
        var outcome: UInt8 = 0  // 0 answered, 1 abandoned, 2 other, 3 submitted
        var rawWait = 0.0
        var rawPatience = 0.0
        var hangUpFraction = 1.0
        var wait: Int64 = 0
        var handle: Int64 = 0
        var category = ""
    }

    private static func monthIndex(_ day: Int64) -> Int {
        let date = CivilDate(daysSinceEpoch: day)
        return (date.year - 2019) * 12 + date.month - 4
    }

    /// Spreads `total` over `weights` exactly (largest remainder).
    static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        let shares = weights.map { Double(total) * $0 / sum }
        var counts = shares.map { Int($0) }
        let order = shares.indices.sorted { (shares[$0] - Double(counts[$0]), $1) > (shares[$1] - Double(counts[$1]), $0) }
        for index in order.prefix(total - counts.reduce(0, +)) { counts[index] += 1 }
        return counts
    }

    private func dayWeight(_ plan: Plan, _ day: Int64, _ random: inout SplitMix64) -> Double {
        let date = CivilDate(daysSinceEpoch: day)
        let phase = day < Self.cmpLive ? plan.perDay.0 : day < Self.lockdown ? plan.perDay.1 : plan.perDay.2
        return phase * plan.weekdayFactors[date.isoWeekday - 1] * Self.seasonal[date.month - 1] * (0.94 + 0.12 * random.unit())
    }

    /// Calls a day per channel: exact window totals, expected values elsewhere.
    private func dailyCounts(_ random: inout SplitMix64) -> [[Int64: Int]] {
        Self.plans.map { plan in
            var counts: [Int64: Int] = [:]
            for window in [(Self.beforeWindow, plan.windowTotals.0), (Self.afterWindow, plan.windowTotals.1)] {
                let days = Array(window.0)
                let weights = days.map { dayWeight(plan, $0, &random) }
                for (day, count) in zip(days, Self.apportion(Int((Double(window.1) * scale).rounded()), weights: weights)) {
                    counts[day] = count
                }
            }
            for day in Self.firstDay...Self.lastDay where counts[day] == nil {
                counts[day] = Int(dayWeight(plan, day, &random) * scale + random.unit())
            }
            return counts
        }
    }

    func write(contacts: @escaping SyntheticLogGenerator.Sink, incidents: @escaping SyntheticLogGenerator.Sink) throws -> SyntheticLogGenerator.Summary {
        var random = SplitMix64(seed: seed)
        var summary = SyntheticLogGenerator.Summary()
        let counts = dailyCounts(&random)
        var writer = CSVByteWriter(zone: zone, sink: contacts)
        writer.text(contactsHeader)
        var nextId = 1
        // The year before, from its own stream: the calibrated months below draw exactly what they drew without it.
        var earlier = SplitMix64(seed: seed ^ 0xEA21_1E12_2018_0401)
        try writeEarlierYear(to: &writer, nextId: &nextId, &earlier)
        var day = Self.firstDay
        while day <= Self.lastDay {
            // One month at a time: generate, calibrate, write in arrival order.
            let month = Self.monthIndex(day)
            var monthContacts: [Contact] = []
            var monthDay = day
            while monthDay <= Self.lastDay && Self.monthIndex(monthDay) == month {
                for (channel, plan) in Self.plans.enumerated() {
                    for _ in 0..<(counts[channel][monthDay] ?? 0) {
                        monthContacts.append(makeContact(plan: plan, channel: channel, day: monthDay, &random))
                    }
                }
                monthDay += 1
            }
            for (channel, plan) in Self.plans.enumerated() where plan.channel != "online" {
                calibrate(&monthContacts, channel: channel, plan: plan, month: month, &random)
            }
            assignCategories(&monthContacts, firstDay: day, &random)
            monthContacts.sort { $0.arrived < $1.arrived }
            for contact in monthContacts {
                write(contact, id: nextId, to: &writer)
                nextId += 1
                try writer.endRow()
            }
            if let bad = Self.badContactRows[month] {
                for row in bad {
                    writer.integer(nextId); writer.comma(); writer.text(row)
                    nextId += 1
                    try writer.endRow()
                    summary.badRows += 1
                }
            }
            day = monthDay
        }
        try writer.flush()
        summary.contactRows = writer.rowsWritten
        let (incidentRows, badIncidents) = try writeIncidents(to: incidents, &random, earlier: &earlier)
        summary.incidentRows = incidentRows
        summary.badRows += badIncidents
        return summary
    }

    /// April 2018 – March 2019: the pre-CMP plan at the year's volume, its own monthly targets, and a staffing
    /// level per day that moves that day's waits and abandonment about the month's targets.
    private func writeEarlierYear(to writer: inout CSVByteWriter, nextId: inout Int, _ random: inout SplitMix64) throws {
        var day = Self.earlierFirstDay
        while day < Self.firstDay {
            let date = CivilDate(daysSinceEpoch: day)
            let month = (date.year - 2018) * 12 + date.month - 4
            let staffing = random.logNormal(mean: 1, sigma: Self.dayToDaySpread)
            var dayContacts: [Contact] = []
            for (channel, plan) in Self.plans.enumerated() {
                let expected = dayWeight(plan, day, &random) * plan.earlierVolume * scale
                for _ in 0..<Int(expected + random.unit()) {
                    dayContacts.append(makeContact(plan: plan, channel: channel, day: day, &random))
                }
            }
            for (channel, plan) in Self.plans.enumerated() where plan.channel != "online" {
                let rate = min(0.9, plan.earlierAbandonRates[month] * staffing.squareRoot())
                calibrate(&dayContacts, channel: channel, answerSeconds: plan.earlierAnswerSeconds[month] * staffing, abandonRate: rate)
            }
            dayContacts.sort { $0.arrived < $1.arrived }
            for contact in dayContacts {
                write(contact, id: nextId, to: &writer)  // online reports carry no category before CMP
                nextId += 1
                try writer.endRow()
            }
            day += 1
        }
    }

    private func makeContact(plan: Plan, channel: Int, day: Int64, _ random: inout SplitMix64) -> Contact {
        let hour = random.index(weights: plan.hourWeights)
        let local = day * 86_400 + Int64(hour * 3600) + Int64(random.unit() * 3600)
        var contact = Contact(arrived: zone.resolve(localSeconds: local).utcSeconds, channel: channel)
        guard plan.channel != "online" else {
            contact.outcome = 3
            return contact
        }
        let busiest = plan.hourWeights.max()!
        let load = 0.6 + 0.8 * plan.hourWeights[hour] / busiest
        contact.rawWait = random.logNormal(mean: load, sigma: plan.waitShape)
        contact.rawPatience = random.exponential(mean: 1)
        contact.hangUpFraction = 0.35 + 0.65 * random.unit()
        contact.handle = Int64(random.logNormal(mean: plan.meanHandleSeconds, sigma: 0.6).rounded()) + 15
        contact.outcome = random.unit() < plan.otherShare ? 2 : 0
        return contact
    }

    /// Chooses the abandoners and scales waits so the month hits its targets exactly.
    private func calibrate(_ contacts: inout [Contact], channel: Int, plan: Plan, month: Int, _ random: inout SplitMix64) {
        calibrate(&contacts, channel: channel, answerSeconds: plan.answerSeconds[month], abandonRate: plan.abandonRates[month])
    }

    /// Makes the abandoners exactly round(rate × n) and scales the waits until the answered mean is `answerSeconds`.
    private func calibrate(_ contacts: inout [Contact], channel: Int, answerSeconds target: Double, abandonRate: Double) {
        let indices = contacts.indices.filter { contacts[$0].channel == channel }
        guard !indices.isEmpty else { return }
        let abandonCount = Int((abandonRate * Double(indices.count)).rounded())
        let queued = indices.filter { contacts[$0].outcome != 2 }
            .sorted { contacts[$0].rawWait / contacts[$0].rawPatience > contacts[$1].rawWait / contacts[$1].rawPatience }
        for index in queued.prefix(abandonCount) { contacts[index].outcome = 1 }
        let answered = queued.dropFirst(abandonCount)
        guard !answered.isEmpty else { return }
        var factor = target * Double(answered.count) / answered.reduce(0) { $0 + contacts[$1].rawWait }
        for _ in 0..<8 {
            let total = answered.reduce(Int64(0)) { $0 + Int64((contacts[$1].rawWait * factor).rounded()) }
            let mean = Double(total) / Double(answered.count)
            if abs(mean - target) < 0.02 { break }
            factor *= target / mean
        }
        for index in indices {
            let wait = contacts[index].rawWait * factor
            contacts[index].wait = Int64((contacts[index].outcome == 1 ? wait * contacts[index].hangUpFraction : wait).rounded())
        }
    }

    /// Online categories: none before CMP (the old system did not record them), then recorded, with
    /// Covid reports from the lockdown (exactly 53% in the after window).
    private func assignCategories(_ contacts: inout [Contact], firstDay: Int64, _ random: inout SplitMix64) {
        let online = contacts.indices.filter { contacts[$0].outcome == 3 }
        var covidShare = 0.0
        if firstDay >= CivilDate(year: 2020, month: 4, day: 1).daysSinceEpoch { covidShare = 0.53 }
        var recorded: [Int] = []
        for index in online {
            let day = (contacts[index].arrived + zone.offsetSeconds(atUTC: contacts[index].arrived)) / 86_400
            if day >= Self.cmpLive { recorded.append(index) }
            if day >= Self.lockdown && covidShare == 0 && random.unit() < 0.35 { contacts[index].category = "covid" }
        }
        let covidCount = Int((covidShare * Double(recorded.count)).rounded())
        var shuffled = recorded
        shuffled.shuffle(using: &random)
        for (position, index) in shuffled.enumerated() {
            if position < covidCount {
                contacts[index].category = "covid"
            } else if contacts[index].category.isEmpty {
                contacts[index].category = Self.otherCategories[random.index(weights: Self.otherCategoryWeights)]
            }
        }
    }

    private func write(_ contact: Contact, id: Int, to writer: inout CSVByteWriter) {
        writer.integer(id); writer.comma()
        writer.text(Self.plans[contact.channel].channel); writer.comma()
        writer.timestamp(utcSeconds: contact.arrived); writer.comma()
        switch contact.outcome {
        case 0, 2:
            writer.timestamp(utcSeconds: contact.arrived + contact.wait); writer.comma()
            writer.timestamp(utcSeconds: contact.arrived + contact.wait + contact.handle); writer.comma()
            writer.text(contact.outcome == 0 ? "answered" : "transferred"); writer.comma()
        case 1:
            writer.comma()
            writer.timestamp(utcSeconds: contact.arrived + contact.wait); writer.comma()
            writer.text("abandoned"); writer.comma()
        default:
            writer.comma(); writer.comma(); writer.comma()
            writer.field(contact.category)
        }
    }

    /// Bad rows by month index (after the contact id): what a validating reader must reject.
    private static let badContactRows: [Int: [String]] = [
        0: ["999,31/02/2019 10:00:00,,,abandoned,", ",2019-04-30T10:00:00+01:00,,2019-04-30T10:01:00+01:00,abandoned,"],
        1: ["101,2019-05-14T09:00:00+01:00,2019-05-14T08:58:00+01:00,2019-05-14T09:05:00+01:00,answered,"],
        4: ["101,2019-08-05T11:00:00+01:00,,abandoned"],
        6: ["999,2019-13-01T10:00:00+01:00,,,abandoned,"],
        8: ["101,2019-12-02T10:00:00Z,2019-12-02T10:03:00Z,2019-12-02T10:01:00Z,answered,"],
        10: ["online,not recorded,,,,theft"],
        12: ["101,2020-04-20T10:00:00+01:00,2020-04-20T10:01:00+01:00,2020-04-20T10:07:00+01:00,answered,,extra"],
        13: ["999,2020-05-11T25:61:00+01:00,,,abandoned,", "101,,,,abandoned,"],
    ]

    /// Incidents: exact window totals of deployed and referred incidents; `referred_to` empty before
    /// CMP (not measured), `none` or a partner agency after.
    private func writeIncidents(to sink: @escaping SyntheticLogGenerator.Sink, _ random: inout SplitMix64,
                                earlier: inout SplitMix64) throws -> (Int, Int) {
        var writer = CSVByteWriter(zone: zone, sink: sink)
        writer.text(incidentsHeader)
        let plan = Plan(channel: "incidents", windowTotals: (62_150, 52_300), perDay: (1_010, 960, 860), hourWeights: Self.emergencyHours,
                        weekdayFactors: [0.97, 0.95, 0.96, 0.98, 1.05, 1.1, 1.0], answerSeconds: [], abandonRates: [],
                        otherShare: 0, waitShape: 0, meanHandleSeconds: 0)
        // (deployed, Local Authorities, Social Services) per window, at scale 1.
        let windowTargets: [ClosedRange<Int64>: (Int, Int, Int)] = [Self.beforeWindow: (25_080, 0, 0), Self.afterWindow: (21_060, 830, 580)]
        var nextId = 1
        var bad = 0
        // The year before (its own stream): 40% deployed, no partner referrals recorded (before CMP).
        for day in Self.earlierFirstDay..<Self.firstDay {
            var raised: [Int64] = []
            for _ in 0..<Int(dayWeight(plan, day, &earlier) * 0.97 * scale + earlier.unit()) {
                let local = day * 86_400 + Int64(earlier.index(weights: plan.hourWeights) * 3600) + Int64(earlier.unit() * 3600)
                raised.append(zone.resolve(localSeconds: local).utcSeconds)
            }
            for instant in raised.sorted() {
                writer.integer(nextId); writer.comma()
                writer.timestamp(utcSeconds: instant); writer.comma()
                writer.text(earlier.unit() < 0.4 ? "yes" : "no"); writer.comma()
                nextId += 1
                try writer.endRow()
            }
        }
        for window in [Self.firstDay...(Self.beforeWindow.upperBound), (Self.beforeWindow.upperBound + 1)...(Self.afterWindow.lowerBound - 1), Self.afterWindow] {
            let days = Array(window)
            let weights = days.map { dayWeight(plan, $0, &random) }
            let isWindow = windowTargets[window] != nil
            let total = isWindow ? Int((Double(window == Self.beforeWindow ? plan.windowTotals.0 : plan.windowTotals.1) * scale).rounded())
                                 : Int(weights.reduce(0, +) * scale)
            var raised: [Int64] = []
            for (day, count) in zip(days, Self.apportion(total, weights: weights)) {
                for _ in 0..<count {
                    let local = day * 86_400 + Int64(random.index(weights: plan.hourWeights) * 3600) + Int64(random.unit() * 3600)
                    raised.append(zone.resolve(localSeconds: local).utcSeconds)
                }
            }
            raised.sort()
            // Which rows are deployed / referred: exact counts in the windows, rates elsewhere.
            var order = Array(raised.indices)
            order.shuffle(using: &random)
            let targets = windowTargets[window].map { (Int((Double($0.0) * scale).rounded()), Int((Double($0.1) * scale).rounded()), Int((Double($0.2) * scale).rounded())) }
            var deployed = Set<Int>(), agency: [Int: String] = [:]
            if let targets {
                deployed = Set(order.prefix(targets.0))
                for index in order.dropFirst(targets.0).prefix(targets.1) { agency[index] = "Local Authorities" }
                for index in order.dropFirst(targets.0 + targets.1).prefix(targets.2) { agency[index] = "Social Services" }
            }
            for (index, instant) in raised.enumerated() {
                let localDay = (instant + zone.offsetSeconds(atUTC: instant)) / 86_400
                let isDeployed = targets != nil ? deployed.contains(index) : random.unit() < 0.4
                writer.integer(nextId); writer.comma()
                writer.timestamp(utcSeconds: instant); writer.comma()
                writer.text(isDeployed ? "yes" : "no"); writer.comma()
                if localDay >= Self.cmpLive {
                    let partner = targets != nil ? agency[index] : (random.unit() < 0.027 ? (random.unit() < 0.6 ? "Local Authorities" : "Social Services") : nil)
                    writer.text(partner ?? "none")
                }
                nextId += 1
                try writer.endRow()
            }
            if window == Self.afterWindow {
                for row in ["2020-05-12T10:00:00+01:00,maybe,none", ",yes,none"] {
                    writer.integer(nextId); writer.comma(); writer.text(row)
                    nextId += 1
                    bad += 1
                    try writer.endRow()
                }
            }
        }
        try writer.flush()
        return (writer.rowsWritten, bad)
    }
}
