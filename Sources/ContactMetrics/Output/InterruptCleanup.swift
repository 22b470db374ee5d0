#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Temporary files to remove when the process is stopped by a signal (Ctrl-C, `kill`, a closed
/// terminal): an output being written beside its target (`OutputWriter`) would otherwise stay there,
/// hidden (`.NAME.tmp-PID-XXXXXX`) and as large as the output, after every interrupted run.
///
/// The handler may only make async-signal-safe calls: it reads a fixed table of C strings (filled
/// under a lock by `register`, read without one: a slot is one aligned word), calls `unlink` on each,
/// then restores the default action and raises the signal again, so the run ends as it would have.
public enum InterruptCleanup {
    /// Signals whose default action ends the process, and that a user or scheduler sends to stop a run.
    /// SIGQUIT (Ctrl-\) too: Swift's runtime took it for a crash, printed a backtrace, and the run went on.
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    private static let capacity = 64
    /// `capacity` slots, each 0 or the address of a C string from `strdup`.
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<Int> = {
        let slots = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        return slots
    }()
    private static let registration = Mutex(())

    /// Removes the registered files when one of `signals` arrives, except for a signal the process was
    /// started with ignored (a job run in the background by a non-interactive shell ignores Ctrl-C, and
    /// so must this run). Call it on the main thread, before any other thread starts.
    public static func install() {
        _ = slots  // initialised here, not first in the handler
        for signal in signals {
            var current = sigaction()
            guard sigaction(signal, nil, &current) == 0, !isIgnore(current.__sigaction_handler.sa_handler) else { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                InterruptCleanup.removeAll()
                Glibc.signal(signal, SIG_DFL)
                raise(signal)
            }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
            // A process started with the signal blocked (inherited from a launcher's thread) would hold it
            // pending for ever: Dispatch's threads block it too, so none would take it.
            var unblocked = sigset_t()
            sigemptyset(&unblocked)
            sigaddset(&unblocked, signal)
            pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        }
    }

    private static func isIgnore(_ handler: __sighandler_t?) -> Bool {
        guard let handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// Registers `path` to be removed on a signal; returns its slot for `unregister`, or nil when the
    /// table is full (the file is then only removed by the run itself).
    static func register(_ path: String) -> Int? {
        registration.withLock { _ in
            for slot in 0..<capacity where slots[slot] == 0 {
                guard let copy = strdup(path) else { return nil }
                slots[slot] = Int(bitPattern: copy)
                return slot
            }
            return nil
        }
    }

    /// Forgets the file in `slot` (it was renamed into place or removed).
    static func unregister(_ slot: Int) {
        registration.withLock { _ in
            let address = slots[slot]
            slots[slot] = 0
            free(UnsafeMutableRawPointer(bitPattern: address))
        }
    }

    /// Forgets `path`, registered by `register` (its slot was not kept).
    static func unregister(path: String) {
        registration.withLock { _ in
            for slot in 0..<capacity {
                guard let registered = UnsafeMutablePointer<CChar>(bitPattern: slots[slot]), strcmp(registered, path) == 0 else { continue }
                slots[slot] = 0
                free(registered)
                return
            }
        }
    }

    /// Removes every registered file (async-signal-safe: loads and `unlink` only).
    private static func removeAll() {
        for slot in 0..<capacity {
            if let path = UnsafePointer<CChar>(bitPattern: slots[slot]) { unlink(path) }
        }
    }
}
