import Dispatch
import Synchronization

/// A value behind a mutex, shareable across Dispatch workers (locked once per block, never per row).
final class Locked<Value>: @unchecked Sendable {
    private let mutex: Mutex<Void> = Mutex(())
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try mutex.withLock { _ in try body(&value) }
    }
}

/// First-in first-out hand-off of blocks from the reader to the workers.
final class JobQueue: @unchecked Sendable {
    private let jobs = Locked<(items: [BlockJob], head: Int, closed: Bool)>(([], 0, false))
    private let available = DispatchSemaphore(value: 0)
    private let workerCount: Int

    init(workerCount: Int) { self.workerCount = workerCount }

    func push(_ job: BlockJob) {
        jobs.withLock { $0.items.append(job) }
        available.signal()
    }

    /// Wakes every worker; each then drains what is left and stops.
    func close() {
        jobs.withLock { $0.closed = true }
        for _ in 0..<workerCount { available.signal() }
    }

    /// The next job, or nil once the queue is closed and empty.
    func pop() -> BlockJob? {
        while true {
            available.wait()
            let next: BlockJob?? = jobs.withLock { state in
                if state.head < state.items.count {
                    let job = state.items[state.head]
                    state.head += 1
                    if state.head > 64 && state.head * 2 > state.items.count {
                        state.items.removeFirst(state.head)
                        state.head = 0
                    }
                    return .some(job)
                }
                return state.closed ? .some(nil) : nil
            }
            if let next { return next }
        }
    }
}

/// The fixed set of block buffers: the reader waits here when every buffer is in flight, which
/// bounds memory by `count × block size` whatever the input size.
final class BufferPool: @unchecked Sendable {
    private let free: Locked<[BlockBuffer]>
    private let available: DispatchSemaphore

    init(count: Int, capacity: Int) {
        free = Locked((0..<count).map { _ in BlockBuffer(capacity: capacity) })
        available = DispatchSemaphore(value: count)
    }

    func take() -> BlockBuffer {
        available.wait()
        return free.withLock { $0.removeLast() }
    }

    func give(_ buffer: BlockBuffer) {
        free.withLock { $0.append(buffer) }
        available.signal()
    }
}
