/// A config's export value → target table (`channels`, `outcomes`, `queues`), looked up per row on
/// bytes: ASCII letters match in either case, anything else exactly (`MappedFields.equalsIgnoringCase`).
/// One hash probe per lookup, however many entries the config has. Keys with other letters match in
/// either case too, in full Unicode (`ÉMERG` and `émerg`), through a slower path taken only for values
/// that are not ASCII when the config has such keys.
///
/// When two keys differ only in case, the first one given wins (the config's keys come sorted).
struct ValueMap<Value: Sendable>: Sendable {
    private var slots: [Int32]
    private var keys: [[UInt8]] = []
    private var hashes: [UInt64] = []
    private(set) var values: [Value] = []
    /// Keys that are not ASCII, lower-cased in NFC, to their index.
    private var foldedKeys: [String: Int] = [:]

    init(_ entries: [(key: [UInt8], value: Value)]) {
        var capacity = 8
        while capacity < entries.count * 2 { capacity <<= 1 }
        slots = Array(repeating: -1, count: capacity)
        for entry in entries {
            let hash = entry.key.withUnsafeBytes(Self.hash)
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            var duplicate = false
            while slots[slot] >= 0 {
                let index = Int(slots[slot])
                if hashes[index] == hash, entry.key.withUnsafeBytes({ MappedFields.equalsIgnoringCase($0, keys[index]) }) {
                    duplicate = true
                    break
                }
                slot = (slot + 1) & (capacity - 1)
            }
            if duplicate { continue }
            if entry.key.contains(where: { $0 >= 0x80 }) {
                let folded = entry.key.withUnsafeBytes { LabelInterner.canonicalText($0, lowercased: true) }
                if foldedKeys[folded] == nil { foldedKeys[folded] = keys.count }
            }
            slots[slot] = Int32(keys.count)
            keys.append(entry.key)
            hashes.append(hash)
            values.append(entry.value)
        }
    }

    var isEmpty: Bool { keys.isEmpty }

    /// FNV-1a over the bytes with ASCII letters folded to lower case.
    @inline(__always)
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            let folded = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
            hash = (hash ^ UInt64(folded)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The value for `bytes`, or nil when the map has no such key.
    @inline(__always)
    func value(for bytes: UnsafeRawBufferPointer) -> Value? {
        if keys.isEmpty { return nil }
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { break }
            if hashes[index] == hash && MappedFields.equalsIgnoringCase(bytes, keys[index]) { return values[index] }
            slot = (slot + 1) & mask
        }
        guard !foldedKeys.isEmpty, bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        return foldedKeys[LabelInterner.canonicalText(bytes, lowercased: true)].map { values[$0] }
    }
}

extension ValueMap: Equatable where Value: Equatable {
    static func == (left: ValueMap, right: ValueMap) -> Bool {
        left.keys == right.keys && left.values == right.values
    }
}
