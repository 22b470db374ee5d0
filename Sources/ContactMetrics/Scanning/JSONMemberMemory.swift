/// The members of the record read before, by object level and order, for `JSONRecordScanner`. An
/// export writes every record's members in one order, and many values repeat from one record to the
/// next (account and queue ARNs, `null`s, whole endpoint objects). So a member whose bytes repeat
/// those at the same place in the record before is matched by a compare of the bytes: its name (from
/// the opening quote to the colon) instead of a scan of the string and a lookup in `JSONMemberNames`,
/// and then its value (with the byte after it, which ends a number) instead of reading it.
///
/// Only a shortcut, and one that checks itself: a repeat is decided by the bytes alone, and equal bytes
/// read the same way; anything else is read the long way. The record before is in the same block: make
/// one memory per block.
///
/// Measured (callgrind, instructions an Amazon Connect record, `Benchmarks/README.md`): 15,510 before;
/// 12,783 remembering names; 11,760 with the colon in the name, space skipped by one compare when there
/// is none and strings searched sixteen bytes a step; 11,110 remembering values too.
final class JSONMemberMemory {
    /// Members past this many in one object are always read the long way.
    static let membersPerObject = 64

    /// What a remembered value is, for what reading it would have stored.
    enum ValueKind: UInt8 {
        /// Not remembered (an object the scanner enters, or a value with a line end in it).
        case none
        /// A string: its content is the span between its quotes.
        case string
        /// A string with a backslash escape in it.
        case escapedString
        /// A number, `true` or `false`: the span is its text.
        case literal
        /// `null`, or an object or array the scanner skips: nothing is stored.
        case nothing
    }

    private let nameStarts: UnsafeMutablePointer<Int>
    private let nameLengths: UnsafeMutablePointer<Int>
    private let columns: UnsafeMutablePointer<Int32>
    private let children: UnsafeMutablePointer<Int32>
    private let valueStarts: UnsafeMutablePointer<Int>
    private let valueLengths: UnsafeMutablePointer<Int>
    private let valueKinds: UnsafeMutablePointer<ValueKind>
    private let slotCount: Int

    /// `levels`: `JSONMemberNames.levelCount`.
    init(levels: Int) {
        slotCount = max(1, levels) * Self.membersPerObject
        nameStarts = .allocate(capacity: slotCount)
        nameStarts.initialize(repeating: -1, count: slotCount)
        nameLengths = .allocate(capacity: slotCount)
        nameLengths.initialize(repeating: 0, count: slotCount)
        columns = .allocate(capacity: slotCount)
        columns.initialize(repeating: -1, count: slotCount)
        children = .allocate(capacity: slotCount)
        children.initialize(repeating: -1, count: slotCount)
        valueStarts = .allocate(capacity: slotCount)
        valueStarts.initialize(repeating: -1, count: slotCount)
        valueLengths = .allocate(capacity: slotCount)
        valueLengths.initialize(repeating: 0, count: slotCount)
        valueKinds = .allocate(capacity: slotCount)
        valueKinds.initialize(repeating: .none, count: slotCount)
    }

    deinit {
        nameStarts.deallocate()
        nameLengths.deallocate()
        columns.deallocate()
        children.deallocate()
        valueStarts.deallocate()
        valueLengths.deallocate()
        valueKinds.deallocate()
    }

    /// The slot of member `ordinal` (0 for the first) of an object at `level`, or -1 when it has none.
    @inline(__always)
    func slot(level: Int, ordinal: Int) -> Int {
        let slot = level &* Self.membersPerObject &+ ordinal
        return ordinal < Self.membersPerObject && slot < slotCount ? slot : -1
    }

    /// The length of the name (to its colon) at `base[position...]` when it repeats the one remembered in
    /// `slot`, else nil.
    @inline(__always)
    func recallName(slot: Int, base: UnsafePointer<UInt8>, at position: Int, end: Int) -> Int? {
        guard slot >= 0 else { return nil }
        let from = nameStarts[slot], length = nameLengths[slot]
        guard from >= 0, position &+ length <= end, Self.equal(base, position, from, length) else { return nil }
        return length
    }

    /// What the remembered name in `slot` names: the column its value fills and the level its object opens (-1: none).
    @inline(__always)
    func named(slot: Int) -> (column: Int, child: Int) { (Int(columns[slot]), Int(children[slot])) }

    /// The value at `base[position...]` when it and the byte after it repeat the value remembered in
    /// `slot`: its kind and length (without the byte after it), else nil.
    @inline(__always)
    func recallValue(slot: Int, base: UnsafePointer<UInt8>, at position: Int, end: Int) -> (kind: ValueKind, length: Int)? {
        guard slot >= 0 else { return nil }
        let kind = valueKinds[slot]
        guard kind != .none else { return nil }
        let from = valueStarts[slot], length = valueLengths[slot]
        guard position &+ length < end, Self.equal(base, position, from, length &+ 1) else { return nil }
        return (kind, length)
    }

    /// Remembers the name at `base[start..<start + length]` (from its opening quote to its colon) in
    /// `slot`; a length of -1 forgets the slot's name.
    @inline(__always)
    func rememberName(slot: Int, start: Int, length: Int, column: Int, child: Int) {
        guard slot >= 0 else { return }
        nameStarts[slot] = length < 0 ? -1 : start
        nameLengths[slot] = length
        columns[slot] = Int32(truncatingIfNeeded: column)
        children[slot] = Int32(truncatingIfNeeded: child)
    }

    /// Remembers the value at `base[start..<start + length]` in `slot` (the byte after it is compared too).
    @inline(__always)
    func rememberValue(slot: Int, start: Int, length: Int, kind: ValueKind) {
        guard slot >= 0 else { return }
        valueStarts[slot] = start
        valueLengths[slot] = length
        valueKinds[slot] = kind
    }

    /// Whether the `length` bytes at `first` and at `second` are equal; sixteen bytes a step as two
    /// words (the last step may overlap the one before; the block's slack covers a word read from a short
    /// run's start). Measured: sixteen-byte `SIMD16` compares cost more (`!=` on the vectors compiled to
    /// a loop over the lanes, `any(.!=)` to a call); eight bytes a step cost 250 instructions a record more.
    @inline(__always)
    private static func equal(_ base: UnsafePointer<UInt8>, _ first: Int, _ second: Int, _ length: Int) -> Bool {
        if length >= 16 {
            var offset = 0
            while offset &+ 16 < length {
                let difference = (word(base, first &+ offset) ^ word(base, second &+ offset))
                    | (word(base, first &+ offset &+ 8) ^ word(base, second &+ offset &+ 8))
                if difference != 0 { return false }
                offset &+= 16
            }
            let last = length &- 16
            return (word(base, first &+ last) ^ word(base, second &+ last)) | (word(base, first &+ last &+ 8) ^ word(base, second &+ last &+ 8)) == 0
        }
        if length >= 8 {
            let last = length &- 8
            return (word(base, first) ^ word(base, second)) | (word(base, first &+ last) ^ word(base, second &+ last)) == 0
        }
        let mask: UInt64 = (1 &<< (UInt64(truncatingIfNeeded: length) &* 8)) &- 1
        return (word(base, first) ^ word(base, second)) & mask == 0
    }

    @inline(__always)
    private static func word(_ base: UnsafePointer<UInt8>, _ at: Int) -> UInt64 {
        UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self)
    }
}
