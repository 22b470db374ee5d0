import Foundation

/// Hands batches from one producing thread to one consuming thread, in order. At most `capacity`
/// batches wait, so the producer runs ahead by that much and no further (memory stays bounded).
///
/// `NSCondition` (a pthread mutex and condition), which ThreadSanitizer sees, like `Locked`.
final class BatchHandoff<Batch>: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var waiting: [Batch] = []
    private var finished = false
    private var failure: (any Error)?
    private var abandoned = false

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Producer: queues `batch`, waiting for room. False when the consumer has stopped taking: the
    /// producer should stop too.
    func put(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= capacity && !abandoned { condition.wait() }
        guard !abandoned else { return false }
        waiting.append(batch)
        condition.broadcast()
        return true
    }

    /// Producer: there are no more batches. `error`, when given, reaches the consumer after the batches
    /// queued before it.
    func finish(throwing error: (any Error)? = nil) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        failure = error
        condition.broadcast()
    }

    /// Consumer: the next batch, or nil once the producer has finished and every batch was taken.
    /// - Throws: the error the producer finished with.
    func take() throws -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !finished { condition.wait() }
        guard waiting.isEmpty else {
            condition.broadcast()
            return waiting.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Consumer: takes nothing more. A producer waiting for room is released, and told to stop.
    func abandon() {
        condition.lock()
        defer { condition.unlock() }
        abandoned = true
        waiting.removeAll()
        condition.broadcast()
    }
}
