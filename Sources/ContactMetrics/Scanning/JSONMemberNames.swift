/// The members a config's paths name, by the object they sit in, for `JSONRecordScanner`: the
/// record's top object is level 0, and each member that holds wanted members (`Queue` in
/// `Queue.Name`) opens a level of its own. A member is matched ignoring ASCII case, by its length and
/// its first eight bytes in one word, so that the record's unnamed members (most of its bytes) cost a
/// hash and a compare or two each.
final class JSONMemberNames {
    /// One named member.
    struct Entry {
        /// The level it is found at.
        var level: Int32
        /// The column its value fills, or -1 (a member only holding others).
        var column: Int32
        /// The level its object opens, or -1 (no path goes through it).
        var child: Int32
        /// Its name's length in bytes.
        var count: Int32
        /// Where its lower-cased name starts in `bytes`.
        var start: Int32
        /// The name's first eight bytes, lower-cased, zero past its end.
        var prefix: UInt64
    }

    private let entries: UnsafeMutablePointer<Entry>
    private let bytes: UnsafeMutablePointer<UInt8>
    /// Open addressing by `slot(level:count:prefix:)`: an entry's index + 1, 0 when empty.
    private let table: UnsafeMutablePointer<Int32>
    private let tableMask: Int
    /// Levels 0 (the record's top object) to `levelCount - 1`.
    let levelCount: Int

    /// `paths` are the columns' paths in column order, already lower-cased. A path is split at its
    /// first dot: `queue.name` is `name` inside the top member `queue`, and is also matched as a top
    /// member spelt `queue.name`. Deeper objects are not entered.
    init(paths: [String]) {
        var list: [(level: Int, column: Int, child: Int, name: [UInt8])] = []
        var parents: [[UInt8]] = []
        func add(level: Int, column: Int, child: Int, name: [UInt8]) {
            // A name both a column and a parent at one level is one entry with both.
            if let found = list.firstIndex(where: { $0.level == level && $0.name == name }) {
                if column >= 0 && list[found].column < 0 { list[found].column = column }
                if child >= 0 { list[found].child = child }
            } else {
                list.append((level, column, child, name))
            }
        }
        for (column, path) in paths.enumerated() {
            let name = Array(path.utf8)
            add(level: 0, column: column, child: -1, name: name)
            guard let dot = name.firstIndex(of: UInt8(ascii: ".")) else { continue }
            let parent = Array(name[..<dot])
            let level: Int
            if let known = parents.firstIndex(of: parent) {
                level = known + 1
            } else {
                parents.append(parent)
                level = parents.count
            }
            add(level: 0, column: -1, child: level, name: parent)
            add(level: level, column: column, child: -1, name: Array(name[(dot + 1)...]))
        }
        levelCount = parents.count + 1
        let total = list.reduce(0) { $0 + $1.name.count }
        bytes = .allocate(capacity: total + 8)  // zeros past the end: names are compared a word at a time
        bytes.initialize(repeating: 0, count: total + 8)
        entries = .allocate(capacity: max(1, list.count))
        var size = 16
        while size < 4 * list.count { size *= 2 }
        table = .allocate(capacity: size)
        table.initialize(repeating: 0, count: size)
        tableMask = size - 1
        var offset = 0
        for (index, item) in list.enumerated() {
            var prefix: UInt64 = 0
            for (position, byte) in item.name.prefix(8).enumerated() { prefix |= UInt64(byte) << (8 * position) }
            entries[index] = Entry(level: Int32(item.level), column: Int32(item.column), child: Int32(item.child),
                                   count: Int32(item.name.count), start: Int32(offset), prefix: Self.lowered(prefix))
            for byte in item.name { bytes[offset] = byte; offset += 1 }
            var slot = Self.slot(level: item.level, count: item.name.count, prefix: entries[index].prefix, mask: tableMask)
            while table[slot] != 0 { slot = (slot + 1) & tableMask }
            table[slot] = Int32(index + 1)
        }
    }

    deinit {
        entries.deallocate()
        bytes.deallocate()
        table.deallocate()
    }

    /// The entry for the member named `base[start..<end]` at `level`, or nil. Reads eight bytes from
    /// `start` whatever the name's length (the block's slack covers them).
    @inline(__always)
    func entry(level: Int, named base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Entry? {
        let count = end - start
        let word = UInt64(littleEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
        let prefix = Self.lowered(count >= 8 ? word : word & ((1 << (UInt64(count) &* 8)) &- 1))
        var slot = Self.slot(level: level, count: count, prefix: prefix, mask: tableMask)
        while true {
            let index = Int(table[slot])
            guard index > 0 else { return nil }
            let entry = entries[index - 1]
            if entry.prefix == prefix, Int(entry.count) == count, Int(entry.level) == level,
               count <= 8 || Self.equalsLowered(base, from: start + 8, to: end, bytes + Int(entry.start) + 8) {
                return entry
            }
            slot = (slot + 1) & tableMask
        }
    }

    @inline(__always)
    private static func slot(level: Int, count: Int, prefix: UInt64, mask: Int) -> Int {
        let mixed = (prefix &+ UInt64(truncatingIfNeeded: count &* 64 &+ level)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 40) & mask
    }

    /// Each byte of `word` lower-cased if it is an ASCII capital (others unchanged), eight at a time.
    @inline(__always)
    static func lowered(_ word: UInt64) -> UInt64 {
        let low = word & 0x7F7F_7F7F_7F7F_7F7F
        let fromA = low &+ 0x3F3F_3F3F_3F3F_3F3F  // a lane's high bit: at least "A"
        let pastZ = low &+ 0x2525_2525_2525_2525  // a lane's high bit: past "Z"
        let capitals = fromA & ~pastZ & ~word & 0x8080_8080_8080_8080
        return word | capitals >> 2
    }

    /// Whether `base[start..<end]`, ASCII lower-cased, equals as many bytes of `name`; a word at a time
    /// (both have eight readable bytes past the end).
    private static func equalsLowered(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, _ name: UnsafePointer<UInt8>) -> Bool {
        var offset = 0
        while start + offset < end {
            let left = UInt64(littleEndian: UnsafeRawPointer(base + start + offset).loadUnaligned(as: UInt64.self))
            let right = UInt64(littleEndian: UnsafeRawPointer(name + offset).loadUnaligned(as: UInt64.self))
            let remaining = end - start - offset
            let mask: UInt64 = remaining >= 8 ? ~0 : (1 << (UInt64(remaining) &* 8)) &- 1
            if lowered(left & mask) != right & mask { return false }
            offset += 8
        }
        return true
    }
}
