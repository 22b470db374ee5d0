import Dispatch
import Foundation
import Synchronization

/// A value behind a lock, shareable across Dispatch workers (locked once per block, never per row).
///
/// `NSLock` (a pthread mutex), not `Synchronization.Mutex`: ThreadSanitizer on this toolchain does not
/// see `Mutex`'s futex and reports races that are not there, which would hide real ones.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Work for a worker: a block the streaming reader filled, or a range of a file to read itself.
enum PipelineJob: @unchecked Sendable {
    case block(BlockJob)
    case range(RangeJob)
}

/// First-in first-out hand-off of jobs to the workers. Jobs are handed out strictly in the order
/// they were pushed: `QuoteStateChain` relies on it (the ranges before a range are always taken
/// first, and publish before they wait, so waiting for them cannot deadlock).
///
/// A file's ranges are queued as one entry that hands them out one by one, so the queue holds one
/// entry per file, not one per range (a large file at a small block size has up to
/// `SplitInput.maximumRangeCount` ranges).
final class JobQueue: @unchecked Sendable {
    private enum Entry {
        case block(BlockJob)
        case ranges(SplitInput, next: Int)
    }

    private let jobs = Locked<(entries: [Entry?], head: Int, closed: Bool)>(([], 0, false))
    private let available = DispatchSemaphore(value: 0)
    private let workerCount: Int

    init(workerCount: Int) { self.workerCount = workerCount }

    func push(_ block: BlockJob) {
        jobs.withLock { $0.entries.append(.block(block)) }
        available.signal()
    }

    /// Queues every range of `input`, in order.
    func pushRanges(of input: SplitInput) {
        guard input.blockCount > 0 else { return }
        jobs.withLock { $0.entries.append(.ranges(input, next: 0)) }
        for _ in 0..<input.blockCount { available.signal() }
    }

    /// Wakes every worker; each then drains what is left and stops.
    func close() {
        jobs.withLock { $0.closed = true }
        for _ in 0..<workerCount { available.signal() }
    }

    /// The next job, or nil once the queue is closed and empty.
    func pop() -> PipelineJob? {
        while true {
            available.wait()
            let next: PipelineJob?? = jobs.withLock { state in
                guard state.head < state.entries.count, let entry = state.entries[state.head] else {
                    return state.closed ? .some(nil) : nil
                }
                let job: PipelineJob
                var finished = true
                switch entry {
                case .block(let block):
                    job = .block(block)
                case .ranges(let input, let next):
                    job = .range(RangeJob(input: input, index: next))
                    finished = next + 1 == input.blockCount
                    if !finished { state.entries[state.head] = .ranges(input, next: next + 1) }
                }
                if finished {
                    state.entries[state.head] = nil  // the job owns its input: let it go when done
                    state.head += 1
                    if state.head > 64 && state.head * 2 > state.entries.count {
                        state.entries.removeFirst(state.head)
                        state.head = 0
                    }
                }
                return .some(job)
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

/// Shared by the engine and its workers during one attempt at a run: whether it has stopped early,
/// and why (an input error, or range reading that has to give way to streaming), and the bytes
/// the workers have read from split inputs (for progress).
final class RunControl: @unchecked Sendable {
    private let stopped = Atomic<Bool>(false)
    private let state = Locked<(failure: InputError?, gaveUp: Bool, chains: [QuoteStateChain])>((nil, false, []))
    let rangeBytes = Atomic<Int64>(0)

    var isStopped: Bool { stopped.load(ordering: .acquiring) }
    var failure: InputError? { state.withLock { $0.failure } }
    var gaveUpOnRanges: Bool { state.withLock { $0.gaveUp } }

    /// Makes `chain`'s waiters wake when the run stops.
    func register(_ chain: QuoteStateChain) {
        let stoppedAlready = state.withLock { state in
            state.chains.append(chain)
            return isStopped
        }
        if stoppedAlready { chain.abandon() }
    }

    /// Range reading found quoting it cannot follow; the run is redone with the streaming reader.
    func giveUpOnRanges() {
        state.withLock { $0.gaveUp = true }
        stop()
    }

    func fail(_ error: InputError) {
        state.withLock { state in
            if state.failure == nil { state.failure = error }
        }
        stop()
    }

    private func stop() {
        let chains = state.withLock { state in
            stopped.store(true, ordering: .releasing)
            return state.chains
        }
        for chain in chains { chain.abandon() }
    }
}
