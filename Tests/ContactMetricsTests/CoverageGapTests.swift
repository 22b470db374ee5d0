import Testing
@testable import ContactMetrics

/// `ContactStore.unusualGaps`: a night's export missing from a store of nightly exports, told per channel from
/// the stretches a channel has every night.
@Suite struct CoverageGapTests {
    /// A slot (15 minutes) with contacts every `every` slots over `days`, leaving out the days in `missing`.
    static func slots(days: Range<Int64>, every: Int64 = 1, missing: Set<Int64> = [], hours: Range<Int64> = 0..<24) -> [Int64] {
        var slots: [Int64] = []
        for day in days where !missing.contains(day) {
            var slot = day * 96 + hours.lowerBound * 4
            while slot < day * 96 + hours.upperBound * 4 {
                slots.append(slot)
                slot += every
            }
        }
        return slots
    }

    @Test func aMissingNightOfAChannelWithContactsAroundTheClock() {
        let gaps = ContactStore.unusualGaps(in: ["999": Self.slots(days: 0..<20, every: 2, missing: [7])])
        #expect(gaps == [CoverageGap(from: (7 * 96 - 2 + 1) * 900, to: 8 * 96 * 900, channels: ["999"])])
        // Another channel over the same night does not hide it; a channel missing it too is named with it.
        let both = ContactStore.unusualGaps(in: ["999": Self.slots(days: 0..<20, missing: [7]), "online": Self.slots(days: 0..<20, every: 3),
                                                 "101": Self.slots(days: 0..<20, missing: [7])])
        #expect(both == [CoverageGap(from: (7 * 96) * 900, to: 8 * 96 * 900, channels: ["101", "999"])])
        // Missing nights do not make themselves usual: three of four weeks' are all said.
        let three = ContactStore.unusualGaps(in: ["999": Self.slots(days: 0..<28, missing: [6, 13, 20])])
        #expect(three.map { $0.to / 86_400 } == [7, 14, 21])
    }

    @Test func whatIsNotAMissingExportIsNotSaid() {
        // A helpline open 08:00 to 18:00: its nights are not unusual, nor a day missing of it (not judged).
        #expect(ContactStore.unusualGaps(in: ["101": Self.slots(days: 0..<20, hours: 8..<18)]).isEmpty)
        #expect(ContactStore.unusualGaps(in: ["101": Self.slots(days: 0..<20, missing: [5], hours: 8..<18)]).isEmpty)
        // Two windows a year apart; a quiet spell under 6 hours; too few slots to judge; fewer than a week of days
        // with contacts, too few to know what is usual.
        #expect(ContactStore.unusualGaps(in: ["999": Self.slots(days: 0..<7, missing: [3])]).isEmpty)
        #expect(ContactStore.unusualGaps(in: ["999": Self.slots(days: 0..<61) + Self.slots(days: 366..<427)]).isEmpty)
        let quiet = Self.slots(days: 0..<20).filter { !(500..<523).contains($0) }
        #expect(ContactStore.unusualGaps(in: ["999": quiet]).isEmpty)
        #expect(ContactStore.unusualGaps(in: ["999": [0, 1, 2, 200, 201]]).isEmpty)
        // A small force's nights: calls at 00:30 and 03:30, then from 07:00; some nights none until 07:00. Its usual
        // longest stretch of a day is 3¼ hours: 7 hours are not unusual, a day missing is (4 times that).
        var small: [Int64] = []
        for day: Int64 in 0..<30 where day != 20 {
            small += (day % 5 == 0 ? [Int64]() : [day * 96 + 2, day * 96 + 14]) + Array(day * 96 + 28..<day * 96 + 96)
        }
        #expect(ContactStore.unusualGaps(in: ["999": small]) == [CoverageGap(from: 19 * 96 * 900 + 96 * 900, to: (21 * 96 + 2) * 900, channels: ["999"])])
        // Six hours exactly is.
        let six = Self.slots(days: 0..<20).filter { !(500..<524).contains($0) }
        #expect(ContactStore.unusualGaps(in: ["999": six]) == [CoverageGap(from: 500 * 900, to: 524 * 900, channels: ["999"])])
    }

    /// A queue of a few contacts a day spread around the clock goes most of a quiet day without one by chance: not said
    /// (the store review's queue of 7 calls on a day went 22 hours without one, and `ingest` warned of a missing export on
    /// 4 of 927 nights). The same stretch in a channel with contacts in most slots is.
    @Test func aStretchChanceMakesInAQuietQueueIsNotSaid() {
        var sparse: [Int64] = []
        for day in Int64(0)..<28 { sparse += day == 10 ? [day * 96, day * 96 + 88] : [0, 14, 28, 42, 56, 70, 84].map { day * 96 + $0 } }
        #expect(ContactStore.unusualGaps(in: ["q31": sparse]).isEmpty)
        let busy = Self.slots(days: 0..<28).filter { !((10 * 96 + 1)..<(10 * 96 + 88)).contains($0) }
        #expect(ContactStore.unusualGaps(in: ["999": busy]) == [CoverageGap(from: (10 * 96 + 1) * 900, to: (10 * 96 + 88) * 900, channels: ["999"])])
    }
}
