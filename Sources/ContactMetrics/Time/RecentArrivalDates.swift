/// The same-date references of a block's recent arrivals, one per day of the month: an export sorted by id
/// or agent has its rows a few days out of time order, so the previous row's arrival alone missed at most
/// rows and each missed arrival took the full parse (callgrind, 300k rows shuffled over 12 days: 735M
/// instructions with the previous row's alone, 654M with this table). Indexed by the day's two digits, so a lookup is one load and `sharingDate`'s byte
/// compares; a date of the same day of another month replaces its slot's entry.
///
/// References point into the block's bytes: `reset()` at each block.
struct RecentArrivalDates: ~Copyable {
    // (Not an `InlineArray`: its 2.5 KB were copied at every lookup, about 290 instructions a row, +16%.)
    private let entries: UnsafeMutablePointer<SameDateReference?>
    private static let count = 64

    init() {
        entries = .allocate(capacity: Self.count)
        entries.initialize(repeating: nil, count: Self.count)
    }

    deinit {
        entries.deallocate()  // trivial elements: nothing to deinitialize
    }

    /// Forgets every reference (their bytes were the previous block's).
    mutating func reset() {
        for index in 0..<Self.count { entries[index] = nil }
    }

    /// The reference kept for `bytes`'s day of the month, if any (it may be of another date: the
    /// caller's `sharingDate` compares the whole date and offset).
    @inline(__always)
    func candidate(for bytes: UnsafeRawBufferPointer) -> SameDateReference? {
        // References are 20 to 29 bytes long (`SameDateReference.init`): anything shorter shares no date.
        guard bytes.count >= 20 else { return nil }
        return entries[Self.index(day: bytes[8], bytes[9])]
    }

    /// Keeps `reference` for later arrivals of its day of the month.
    @inline(__always)
    func remember(_ reference: SameDateReference) {
        entries[Self.index(day: reference.bytes[8], reference.bytes[9])] = reference
    }

    /// Days "01"–"31" to distinct slots (tens digit 0–3, units 0–9); other bytes land anywhere in range.
    @inline(__always)
    private static func index(day tens: UInt8, _ units: UInt8) -> Int {
        Int((tens & 0x3) << 4 | (units & 0xF))
    }
}
