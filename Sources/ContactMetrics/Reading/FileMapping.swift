#if canImport(Glibc)
import Glibc
#endif

/// Bytes of a regular file mapped read-only, for range reading (`RangeReader`): a worker decodes its
/// range where the page cache holds it instead of copying it into a buffer first. On wide rows that
/// copy was the largest single cost (a fifth of the samples on Amazon Connect records;
/// `Benchmarks/README.md`).
///
/// Each range is mapped on its own and unmapped once decoded, so the run holds a few ranges' pages
/// (and page tables) at a time, whatever the file's size: pages a mapping holds count in the process's
/// resident size.
///
/// A file that shrinks while it is read (a log truncated by its rotation) is the one thing a copy did
/// not have to care about: reading a mapped page past the file's new end raises `SIGBUS`.
/// `FileMappingFaults` catches it for these mappings only: the page is replaced by zeros and the
/// mapping is marked (`hasShrunk`). A cut within a page raises no fault (the kernel zero-fills the rest
/// of that page), so `SplitInput.check` also compares the file's size with what was read; either way
/// the run fails with the message a short `pread` gives.
final class FileMapping: @unchecked Sendable {
    /// The file's byte at `offset`, then the `count` bytes asked for, then at least `BlockBuffer.slack`
    /// readable bytes (the file's own, or zeros).
    let base: UnsafePointer<UInt8>
    private let mapped: UnsafeMutableRawPointer
    private let mappedLength: Int
    private let slot: Int

    /// Maps `count` bytes of `descriptor` from `offset` (all within the file); nil when they cannot be
    /// mapped (the caller then copies them).
    init?(descriptor: Int32, offset: Int, count: Int) {
        let page = FileMappingFaults.pageSize
        let pageStart = offset / page * page
        let fileLength = offset + count - pageStart
        // The file's pages are mapped over anonymous zero pages one page longer: word loads past the
        // last byte asked for read zeros, even at the file's end.
        let length = (fileLength + page - 1) / page * page + page
        guard count > 0, let reserved = mmap(nil, length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              reserved != MAP_FAILED else { return nil }
        guard let file = mmap(reserved, fileLength, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, descriptor, off_t(pageStart)),
              file != MAP_FAILED,
              let slot = FileMappingFaults.register(start: UInt(bitPattern: reserved), length: length) else {
            munmap(reserved, length)
            return nil
        }
        mapped = reserved
        mappedLength = length
        base = UnsafePointer(reserved.assumingMemoryBound(to: UInt8.self)) + (offset - pageStart)
        self.slot = slot
    }

    deinit {
        FileMappingFaults.unregister(slot)
        munmap(mapped, mappedLength)
    }

    /// Whether a read met the file's end before the bytes mapped (it was truncated while mapped).
    var hasShrunk: Bool { FileMappingFaults.hasShrunk(slot) }
}

/// The `SIGBUS` handler for `FileMapping`s, and the table of mapped ranges it consults. A fault inside
/// a mapping means the file is now shorter than when it was mapped: the handler maps a zero page
/// over the faulting one (the read is then retried and sees zeros) and marks the mapping. A fault
/// anywhere else gets the default action (the process stops with `SIGBUS`, as without the handler).
///
/// The handler only reads the table and calls `mmap`; the table's entries are written before the
/// mapping's bytes are handed to any worker and cleared after the last one is done with them.
enum FileMappingFaults {
    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    /// Mappings open at once (one per worker); past that, ranges are copied.
    static let capacity = 256

    /// Per slot: start and end address (0, 0: free), and whether a fault was caught in it. A slot is
    /// filled start first and emptied end first, and the handler takes only slots with both set, so a
    /// slot being filled or emptied covers nothing (whatever order the stores land in).
    nonisolated(unsafe) private static let starts = UnsafeMutablePointer<UInt>.allocate(capacity: capacity)
    nonisolated(unsafe) private static let ends = UnsafeMutablePointer<UInt>.allocate(capacity: capacity)
    nonisolated(unsafe) private static let faulted = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    /// The action before ours, given back for any `SIGBUS` that is not ours (the Swift runtime's
    /// backtrace, a sanitizer's report, or the default).
    nonisolated(unsafe) private static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
    /// `Locked` (an `NSLock`), not `Mutex`: ThreadSanitizer does not see `Mutex` on this toolchain.
    private static let table = Locked(TableState())

    private struct TableState {
        var installed = false
        var used = [Bool](repeating: false, count: FileMappingFaults.capacity)
    }

    /// Takes a slot for `length` bytes at `start` (installing the handler the first time); nil when the
    /// table is full or the handler cannot be installed.
    static func register(start: UInt, length: Int) -> Int? {
        table.withLock { state -> Int? in
            if !state.installed {
                previous.initialize(to: sigaction())
                starts.initialize(repeating: 0, count: capacity)
                ends.initialize(repeating: 0, count: capacity)
                faulted.initialize(repeating: 0, count: capacity)
                guard install() else { return nil }
                state.installed = true
            }
            guard let slot = state.used.firstIndex(of: false) else { return nil }
            state.used[slot] = true
            faulted[slot] = 0
            starts[slot] = start
            ends[slot] = start + UInt(length)
            return slot
        }
    }

    static func unregister(_ slot: Int) {
        table.withLock { state in
            ends[slot] = 0
            starts[slot] = 0
            state.used[slot] = false
        }
    }

    static func hasShrunk(_ slot: Int) -> Bool {
        table.withLock { _ in faulted[slot] != 0 }
    }

    private static func install() -> Bool {
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { _, info, _ in
            // A fault (a positive code) has the faulting address; a sent signal (kill, tgkill) has none.
            if let info, info.pointee.si_code > 0 {
                let address = UInt(bitPattern: info.pointee._sifields._sigfault.si_addr)
                for slot in 0..<FileMappingFaults.capacity {
                    let start = FileMappingFaults.starts[slot], end = FileMappingFaults.ends[slot]
                    guard start != 0, end != 0, start <= address, address < end else { continue }
                    let page = address & ~UInt(FileMappingFaults.pageSize - 1)
                    if mmap(UnsafeMutableRawPointer(bitPattern: page), FileMappingFaults.pageSize, PROT_READ,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED {
                        FileMappingFaults.faulted[slot] = 1
                        return
                    }
                }
                // Not ours (or no zero page could be mapped): the action before ours takes the fault when
                // the read is retried.
                sigaction(SIGBUS, FileMappingFaults.previous, nil)
                return
            }
            // Sent: to the action before ours, once this handler returns (SIGBUS is blocked until then).
            sigaction(SIGBUS, FileMappingFaults.previous, nil)
            raise(SIGBUS)
        }
        action.sa_flags = SA_SIGINFO
        sigemptyset(&action.sa_mask)
        return sigaction(SIGBUS, &action, previous) == 0
    }
}
