/// Rolling the store's UTC 15-minute cells up into local periods of a time zone.
///
/// Why this is exact: in a zone whose offsets are whole hours and whose transitions fall on quarter
/// hours, every instant of one UTC 15-minute slot has the same offset, so the whole slot lies in one
/// local 15-minute period, one local day and so one period of any `PeriodUnit`. Each row's local date
/// (what `--from`/`--to` filter on) is its slot's local date, and the roll-up gives the same cells as
/// reading the raw rows straight into local periods.
public enum StoreRollUp {
    /// Refuses a zone the store cannot report in.
    /// - Throws: `StoreError.zoneNotWholeHours` for zones like `Asia/Kolkata` (+05:30).
    public static func checkZone(_ zone: TimeZoneRules) throws(StoreError) {
        // Since 1970 only: local mean time before 1900s standardisation (Paris +0:09:21) is no reason to refuse.
        guard zone.offsetsAreMultiples(of: 900, fromUTC: 0) else {
            throw .zoneNotWholeHours(identifier: zone.identifier)
        }
    }

    /// The UTC slots that can hold rows of local dates `fromDay…toDay` (nil: unbounded), with a margin
    /// for any offset; `localPeriods` then filters exactly.
    public static func slotRange(fromDay: Int64?, toDay: Int64?) -> Range<Int64>? {
        guard fromDay != nil || toDay != nil else { return nil }
        let margin: Int64 = 26 * 3600
        let lower = fromDay.map { floorDivide($0 * 86_400 - margin, 900) } ?? .min
        let upper = toDay.map { floorDivide(($0 + 1) * 86_400 + margin, 900) + 1 } ?? .max
        return lower..<upper
    }

    /// The local day (days since 1970-01-01 in `zone`) of a UTC slot.
    static func localDay(ofSlot slot: Int64, cursor: inout ZoneCursor) -> Int64 {
        let utcSeconds = slot * 900
        return floorDivide(utcSeconds + cursor.offsetSeconds(atUTC: utcSeconds), 86_400)
    }

    /// Re-keys a `.utcQuarterHour` cube (`ContactStore.cube`) into the local periods `unit` of `zone`,
    /// keeping only slots whose local date is within `fromDay…toDay`.
    /// - Returns: a cube at `.local(unit)` grain, ready for `Report` (or, with `.day`, for windows).
    /// - Throws: `StoreError.zoneNotWholeHours`.
    public static func localPeriods(_ cube: Cube, unit: PeriodUnit, zone: TimeZoneRules,
                                    fromDay: Int64? = nil, toDay: Int64? = nil) throws(StoreError) -> Cube {
        precondition(cube.grain == .utcQuarterHour, "roll-up starts from the store's UTC 15-minute cells")
        try checkZone(zone)
        var mapping = SlotMapping(unit: unit, zone: zone, fromDay: fromDay, toDay: toDay)
        return cube.rolledUp(to: .local(unit)) { mapping.period(ofSlot: $0) }
    }
}

/// Maps UTC slots to local period keys, remembering the last slot (many cells share one).
struct SlotMapping {
    let unit: PeriodUnit
    let fromDay: Int64?
    let toDay: Int64?
    private var cursor: ZoneCursor
    private var lastSlot = Int64.min
    private var lastKey: Int64?

    init(unit: PeriodUnit, zone: TimeZoneRules, fromDay: Int64?, toDay: Int64?) {
        self.unit = unit
        self.fromDay = fromDay
        self.toDay = toDay
        cursor = ZoneCursor(rules: zone)
    }

    /// The period key of the slot, or nil when its local date is outside `fromDay…toDay`.
    mutating func period(ofSlot slot: Int64) -> Int64? {
        if slot == lastSlot { return lastKey }
        lastSlot = slot
        let utcSeconds = slot * 900
        let localSeconds = utcSeconds + cursor.offsetSeconds(atUTC: utcSeconds)
        let day = floorDivide(localSeconds, 86_400)
        if let fromDay, day < fromDay { lastKey = nil } else if let toDay, day > toDay { lastKey = nil } else {
            lastKey = unit.key(localSeconds: localSeconds)
        }
        return lastKey
    }
}

extension ContactStore {
    /// Everything a report needs from the store: the cube at `.local(unit)` grain in `zone` for local
    /// dates `fromDay…toDay`, and the ledger as a direct run with that date filter would show it
    /// (rows outside the dates move from accepted to skipped, `outside_date_range`).
    /// - Parameter dayWindows: when not empty, only rows on these days count as accepted in the ledger
    ///   (compare's windows, as `IngestOptions.dayWindows` does for a direct run).
    /// - Throws: `StoreError` (including `.zoneNotWholeHours`).
    public func localCube(unit: PeriodUnit, zone: TimeZoneRules, fromDay: Int64? = nil, toDay: Int64? = nil,
                          dayWindows: [ClosedRange<Int64>] = []) throws(StoreError) -> (cube: Cube, ledger: Ledger) {
        try StoreRollUp.checkZone(zone)
        // The cells, the ledger and the skipped rows from one state of the store: an ingest or a removal that
        // committed between them gave figures of one state with the ledger of the other.
        return try readingOneState { () throws(StoreError) in
            try readLocalCube(unit: unit, zone: zone, fromDay: fromDay, toDay: toDay, dayWindows: dayWindows)
        }
    }

    private func readLocalCube(unit: PeriodUnit, zone: TimeZoneRules, fromDay: Int64?, toDay: Int64?,
                               dayWindows: [ClosedRange<Int64>]) throws(StoreError) -> (cube: Cube, ledger: Ledger) {
        var mapping = SlotMapping(unit: unit, zone: zone, fromDay: fromDay, toDay: toDay)
        let cube = try cube(slots: StoreRollUp.slotRange(fromDay: fromDay, toDay: toDay), grain: .local(unit)) {
            mapping.period(ofSlot: $0)
        }
        var ledger = try ledger()
        guard fromDay != nil || toDay != nil else { return (cube, ledger) }
        var outside: [String: Int] = [:]
        var cursor = ZoneCursor(rules: zone)
        for entry in try acceptedRowsBySourceAndSlot() {
            let day = StoreRollUp.localDay(ofSlot: entry.slot, cursor: &cursor)
            if (fromDay.map { day < $0 } ?? false) || (toDay.map { day > $0 } ?? false)
                || (!dayWindows.isEmpty && !dayWindows.contains { $0.contains(day) }) {
                outside[entry.source, default: 0] += Int(entry.rows)
            }
        }
        let total = outside.values.reduce(0, +)
        guard total > 0 else { return (cube, ledger) }
        ledger.rowsAccepted -= total
        ledger.rowsSkipped += total
        ledger.skippedByReason[SkipReason.outsideDateRange.rawValue, default: 0] += total
        for index in ledger.sources.indices {
            let moved = outside[ledger.sources[index].path] ?? 0
            ledger.sources[index].rowsAccepted -= moved
            ledger.sources[index].rowsSkipped += moved
        }
        // As a direct run counts them: sources with rows kept over these dates (all were counted; the diff review).
        let kept = ledger.sources.filter { $0.rowsAccepted > 0 }
        ledger.sourcesWithoutIds = kept.filter(\.lacksIds).count
        ledger.minuteResolutionSources = kept.filter(\.inWholeMinutes).count
        ledger.minuteSourcesWithoutRowMarks = kept.filter(\.inWholeMinutesWithoutRowMarks).count
        return (cube, ledger)
    }
}
