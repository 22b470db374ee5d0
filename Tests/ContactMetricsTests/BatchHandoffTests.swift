import Foundation
import Testing
@testable import ContactMetrics

/// The hand-off between the thread that reads a spill back and the one that writes the store.
@Suite struct BatchHandoffTests {
    private struct Failure: Error, Equatable {}

    @Test func batchesArriveInOrderThenTheProducersError() throws {
        let handoff = BatchHandoff<Int>(capacity: 2)
        let producer = DispatchGroup()
        DispatchQueue.global().async(group: producer) {
            for batch in 0..<100 { #expect(handoff.put(batch)) }
            handoff.finish(throwing: Failure())
        }
        var taken: [Int] = []
        #expect(throws: Failure()) {
            while let batch = try handoff.take() { taken.append(batch) }
        }
        producer.wait()
        #expect(taken == Array(0..<100))
    }

    @Test func aFinishedProducerEndsTheBatches() throws {
        let handoff = BatchHandoff<Int>(capacity: 4)
        #expect(handoff.put(1) && handoff.put(2))
        handoff.finish()
        #expect(try handoff.take() == 1)
        #expect(try handoff.take() == 2)
        #expect(try handoff.take() == nil)
    }

    /// A consumer that fails stops taking: the producer, waiting for room, is released and told to stop.
    @Test func abandoningReleasesAWaitingProducer() throws {
        let handoff = BatchHandoff<Int>(capacity: 1)
        let producer = DispatchGroup()
        let accepted = Locked<[Bool]>([])
        DispatchQueue.global().async(group: producer) {
            for batch in 0..<3 {
                let wasTaken = handoff.put(batch)
                accepted.withLock { $0.append(wasTaken) }
                if !wasTaken { break }
            }
            handoff.finish()
        }
        #expect(try handoff.take() == 0)
        handoff.abandon()
        #expect(producer.wait(timeout: .now() + 10) == .success, "the producer is not left waiting")
        #expect(accepted.withLock { $0 }.last == false)
    }
}
