#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// One bit for each numeric id below 2²⁶, shared by all workers and set atomically: the sequential ids
/// most systems issue are counted here at the cost of one atomic OR, with no record to keep or
/// search. Used only to count duplicates (without `--dedupe`, which order decides, a count does not
/// depend on which worker saw an id first). The 8 MiB are mapped lazily: a page of memory is taken
/// only when an id in its 32,768 is met. Owns the mapping; workers use its `bits`.
final class SmallIdBitmap: @unchecked Sendable {
    static let limit: UInt64 = 1 << 26
    private static let byteCount = Int(limit / 8)
    /// The bits, valid while the bitmap lives (nil when the mapping failed: ids then go to `IdLog`).
    let bits: SmallIdBits?

    init() {
        let mapped = mmap(nil, Self.byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        // Anonymous mappings are zero-filled, which is an `Atomic<UInt64>` holding 0.
        bits = mapped == MAP_FAILED ? nil : mapped.map { SmallIdBits(words: $0.bindMemory(to: Atomic<UInt64>.self, capacity: Self.byteCount / 8)) }
    }

    deinit {
        if let bits { munmap(bits.words, Self.byteCount) }
    }
}

/// A `SmallIdBitmap`'s bits, held by the workers as a plain pointer (no reference count per row).
struct SmallIdBits: @unchecked Sendable {
    let words: UnsafeMutablePointer<Atomic<UInt64>>

    /// Sets `value`'s bit (`value` < `SmallIdBitmap.limit`); returns false when it was already set.
    @inline(__always)
    func insert(_ value: UInt64) -> Bool {
        let word = words + Int(truncatingIfNeeded: value >> 6)
        let mask: UInt64 = 1 << (value & 63)
        if word.pointee.load(ordering: .relaxed) & mask != 0 { return false }
        return word.pointee.bitwiseOr(mask, ordering: .relaxed).oldValue & mask == 0
    }
}
