import Testing
@testable import ContactMetrics

/// Letting go of settled call legs (`QueueCallJoiner.retireSettledLegs`) keeps memory to about a day of
/// calls, and changes nothing the run reports.
@Suite struct QueueCallJoinerTests {
    static let day: Int64 = 86_400
    static let start: Int64 = 1_554_076_800  // 2019-04-01 00:00 UTC

    /// Thirty days of calls of every kind, in time order: answered and completed, abandoned, moved to
    /// another queue (a second ENTERQUEUE; on odd days answered, then transferred to the other queue with the
    /// transfer line after the next ENTERQUEUE, as Asterisk 12 and later can write it), online (a submission
    /// channel), crossing midnight, some outside the date range (period nil), and on the first day only, as in
    /// a real queue_log, calls never finished: answered and never completed, and open. Each line names its
    /// leg's queue (`QueueEvent.queue`: the channel + 1).
    static func thirtyDays(callsPerDay: Int = 60) -> [QueueEvent] {
        var events: [QueueEvent] = []
        var random = SeededGenerator(seed: 11)
        for day in 0..<30 {
            for index in 0..<callsPerDay {
                let call = UInt64(day * 1_000 + index)
                let arrival = start + Int64(day) * Self.day + Int64(index) * (Self.day / Int64(callsPerDay)) + Int64.random(in: 0..<60, using: &random)
                let channel = Int32(index % 3)  // 999, 101, online
                let period: Int64? = day == 4 && index % 2 == 0 ? nil : Int64(day)
                let wait = Int64.random(in: 0..<300, using: &random)
                let queue = UInt64(channel) + 1
                events.append(QueueEvent(call: call, kind: .enter, channel: channel, period: period, time: arrival, isSubmission: channel == 2, queue: queue))
                switch day > 0 && index % 3 == 2 ? 0 : index % 6 {
                case 0, 1:
                    events.append(QueueEvent(call: call, kind: .answered, time: arrival + wait, waitSeconds: wait, queue: queue))
                    events.append(QueueEvent(call: call, kind: .completed, time: arrival + wait + 600, waitSeconds: wait, handleSeconds: 600, queue: queue))
                case 2: events.append(QueueEvent(call: call, kind: .answered, time: arrival + wait, waitSeconds: wait, queue: queue))
                case 3: events.append(QueueEvent(call: call, kind: .abandoned, time: arrival + wait, waitSeconds: wait, queue: queue))
                case 4 where day % 2 == 1:
                    events.append(QueueEvent(call: call, kind: .answered, time: arrival + 5, waitSeconds: 5, queue: queue))
                    events.append(QueueEvent(call: call, kind: .enter, channel: 1, period: period, time: arrival + 65, queue: 2))
                    events.append(QueueEvent(call: call, kind: .completed, time: arrival + 65, waitSeconds: 5, handleSeconds: 60, queue: queue))
                    events.append(QueueEvent(call: call, kind: .abandoned, time: arrival + 65 + wait, waitSeconds: wait, queue: 2))
                case 4:
                    events.append(QueueEvent(call: call, kind: .other, time: arrival + 5, waitSeconds: 5, queue: queue))
                    events.append(QueueEvent(call: call, kind: .enter, channel: 1, period: period, time: arrival + 6, queue: 2))
                    events.append(QueueEvent(call: call, kind: .abandoned, time: arrival + 6 + wait, waitSeconds: wait, queue: 2))
                default: break  // open
                }
            }
        }
        return events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)  // stable
    }

    struct Outcome: Equatable {
        var contacts: ContactCells
        var skipped: [Int: [SkipReason: Int]]
        var openCalls: Int
        var mostLegsHeld: Int
    }

    static func join(_ events: [QueueEvent], legsHeld: Int, eventsPerBlock: Int = 50) throws -> Outcome {
        var joiner = QueueCallJoiner(retireThreshold: legsHeld)
        var mostLegsHeld = 0
        for block in stride(from: 0, to: events.count, by: eventsPerBlock) {
            joiner.add(Array(events[block..<min(events.count, block + eventsPerBlock)]), worker: 0, fileIndex: block * 3 / events.count)
            mostLegsHeld = max(mostLegsHeld, joiner.legs.count)
        }
        var skipped = joiner.retiredSkips.lines
        var openCalls = joiner.retiredSkips.openCalls
        var counted: [QueueCallJoiner.Leg] = []
        for leg in joiner.legs {
            guard let reason = QueueCallJoiner.skipReason(of: leg) else { counted.append(leg); continue }
            for (file, lines) in joiner.linesByFile(of: leg) where lines != 0 { skipped[file, default: [:]][reason, default: 0] += lines }
            if reason == .openCall { openCalls += 1 }
        }
        let options = IngestOptions(timeZone: try TimeZoneRules(identifier: "Europe/London"), grain: .local(.day))
        let cube = joiner.cube(of: counted, channelLabels: [0: WellKnownChannels.all], options: options)
        return Outcome(contacts: cube.contacts, skipped: skipped, openCalls: openCalls, mostLegsHeld: mostLegsHeld)
    }

    @Test func lettingGoOfSettledLegsChangesNoFigureNorCount() throws {
        let events = Self.thirtyDays()
        let everyLeg = try Self.join(events, legsHeld: .max)
        #expect(everyLeg.mostLegsHeld == 30 * 70)  // a leg per call, two for the 10 calls a day moved to another queue
        for (legsHeld, eventsPerBlock) in [(1, 1), (8, 50), (100, 7)] {
            var settled = try Self.join(events, legsHeld: legsHeld, eventsPerBlock: eventsPerBlock)
            // Two days' legs and the 20 calls never finished (held to the end), twice over (legs are let go when
            // they double).
            #expect(settled.mostLegsHeld < 2 * (2 * 70 + 20) + legsHeld, "held \(legsHeld)")
            settled.mostLegsHeld = everyLeg.mostLegsHeld
            #expect(settled == everyLeg, "held \(legsHeld), \(eventsPerBlock) events a block")
        }
        // A day's 60 calls give 70 contacts (10 moved to another queue count twice), but for the first day's 10
        // open calls and the 40 legs of day 4 outside the date range; a third of them online reports, which have
        // no waits.
        #expect(everyLeg.contacts.values.reduce(0) { $0 + $1.counters.received } == 30 * 70 - 10 - 40)
        #expect(everyLeg.openCalls == 10)
        #expect(everyLeg.contacts.filter { $0.key.channel == "online" }.allSatisfy { $0.value.counters.answered == 0 && $0.value.counters.received > 0 })
    }

    @Test func aLineFarAheadInTimeLetsGoNoCallStillWaitingForItsEnd() throws {
        // A garbled epoch ten years on, in the middle of day 3 (at 100 places, so that legs are let go at it at
        // least once): the calls then in the queue still get their outcomes.
        let middle = Self.thirtyDays().firstIndex { $0.time > Self.start + 3 * Self.day + Self.day / 2 }!
        for offset in 0..<100 {
            var events = Self.thirtyDays()
            events.insert(QueueEvent(call: 99_999_999, kind: .answered, time: Self.start + 3_650 * Self.day, waitSeconds: 1), at: middle + offset)
            let everyLeg = try Self.join(events, legsHeld: .max), settled = try Self.join(events, legsHeld: 1)
            #expect(settled.contacts == everyLeg.contacts && settled.openCalls == everyLeg.openCalls, "at \(middle + offset)")
        }
    }

    @Test func aCallUnfinishedAtADaysEndIsHeldForTheNextDayReadAfterALaterOne() throws {
        // Days 0, 2, 1, as files given out of order; a call arriving at 23:59 on day 0 abandons on day 1.
        let all = Self.thirtyDays().filter { $0.time < Self.start + 3 * Self.day && $0.call != 999_999 }
        let day = { (event: QueueEvent) in (event.time - Self.start) / Self.day }
        let crossing = Self.start + Self.day - 60
        let enter = QueueEvent(call: 999_999, kind: .enter, channel: 1, period: 0, time: crossing)
        let abandon = QueueEvent(call: 999_999, kind: .abandoned, time: crossing + 120, waitSeconds: 120)
        let events = all.filter { day($0) == 0 } + [enter] + all.filter { day($0) == 2 } + [abandon] + all.filter { day($0) == 1 }
        let everyLeg = try Self.join(events, legsHeld: .max), settled = try Self.join(events, legsHeld: 1)
        #expect(settled.contacts == everyLeg.contacts && settled.openCalls == everyLeg.openCalls)
        #expect(everyLeg.contacts[CellKey(period: 0, channel: "101")]?.counters.abandoned ?? 0 > 0)
    }

    /// A transfer line of the queue a call left, written after the caller's ENTERQUEUE in the next queue
    /// (an adversarial review's queue_log): it joins its own queue's leg, which is answered with that handle
    /// time, and the next queue's leg keeps its abandon. It took the second leg's outcome, and the abandon was lost.
    @Test func aTransferLineAfterTheNextQueuesArrivalJoinsItsOwnQueue() throws {
        let events = [QueueEvent(call: 7, kind: .enter, channel: 1, period: 0, time: Self.start, queue: 11),
                      QueueEvent(call: 7, kind: .answered, time: Self.start + 30, waitSeconds: 30, queue: 11),
                      QueueEvent(call: 7, kind: .enter, channel: 0, period: 0, time: Self.start + 140, queue: 22),
                      QueueEvent(call: 7, kind: .completed, time: Self.start + 140, waitSeconds: 30, handleSeconds: 110, queue: 11),
                      QueueEvent(call: 7, kind: .abandoned, time: Self.start + 200, waitSeconds: 60, queue: 22)]
        for legsHeld in [1, Int.max] {
            let outcome = try Self.join(events, legsHeld: legsHeld, eventsPerBlock: 1)
            let nonEmergency = outcome.contacts[CellKey(period: 0, channel: "101")]?.counters
            let emergency = outcome.contacts[CellKey(period: 0, channel: "999")]?.counters
            #expect(nonEmergency?.answered == 1 && nonEmergency?.handleSeconds == 110, "held \(legsHeld)")
            #expect(emergency?.abandoned == 1 && emergency?.answered == 0 && emergency?.handled == 0, "held \(legsHeld)")
        }
        // Lines that name no queue join the latest leg, as before.
        var unnamed = events
        for index in unnamed.indices where unnamed[index].kind != .enter { unnamed[index].queue = 0 }
        let latest = try Self.join(unnamed, legsHeld: .max, eventsPerBlock: 1)
        #expect(latest.contacts[CellKey(period: 0, channel: "999")]?.counters.answered == 1)
    }

    @Test func aLineOfACallLetGoLongAfterStartsALegOfItsOwn() throws {
        var events = Self.thirtyDays()
        // A COMPLETECALLER of the first day's first call, written three days later: joined to the finished call
        // when every leg is held, a leg without an arrival once the call is let go. No figure changes.
        let late = QueueEvent(call: 0, kind: .completed, time: Self.start + 3 * Self.day, waitSeconds: 1, handleSeconds: 1)
        events.insert(late, at: events.firstIndex { $0.time > late.time }!)
        let everyLeg = try Self.join(events, legsHeld: .max), settled = try Self.join(events, legsHeld: 8)
        #expect(settled.contacts == everyLeg.contacts)
        let lateFile = settled.skipped.keys.sorted().first { settled.skipped[$0]?[.callWithoutArrival] != nil }
        #expect(lateFile != nil && settled.skipped[lateFile!]?[.callWithoutArrival] == 1)
        #expect(everyLeg.skipped.values.allSatisfy { $0[.callWithoutArrival] == nil })
    }
}
