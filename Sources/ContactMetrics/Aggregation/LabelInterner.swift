/// Maps short byte strings (channel, category, agency labels) to dense `Int32` ids without creating a
/// `String` for a label seen before. One per worker; ids are reconciled by text when workers merge.
///
/// `preset` labels get ids `0..<preset.count` in every interner, so the well-known channels have the
/// same id in every worker and need no lookup at all on the fast path.
struct LabelInterner {
    private var slots: UnsafeMutablePointer<Int32>   // -1 = empty, else label id
    private var slotMask: Int
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var bytes: [UInt8] = []
    private(set) var labels: [String] = []

    init(preset: [String] = []) {
        slotMask = 63
        slots = .allocate(capacity: 64)
        slots.initialize(repeating: -1, count: 64)
        starts = [0]
        for label in preset {
            var utf8 = Array(label.utf8)
            _ = utf8.withUnsafeMutableBufferPointer { id(for: UnsafeRawBufferPointer($0)) }
        }
    }

    func release() { slots.deallocate() }

    var count: Int { labels.count }

    @inline(__always) private static func hash(_ text: UnsafeRawBufferPointer) -> UInt64 {
        // FNV-1a: labels are short, so a simple byte hash is enough.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// The id of `text`, interning it on first sight.
    mutating func id(for text: UnsafeRawBufferPointer) -> Int32 {
        let hash = Self.hash(text)
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let candidate = slots[slot]
            if candidate < 0 { break }
            if hashes[Int(candidate)] == hash && matches(Int(candidate), text) { return candidate }
            slot = (slot + 1) & slotMask
        }
        let newId = Int32(labels.count)
        slots[slot] = newId
        hashes.append(hash)
        bytes.append(contentsOf: text)
        starts.append(bytes.count)
        labels.append(String(decoding: text, as: UTF8.self))
        if labels.count * 2 > slotMask { rehash() }
        return newId
    }

    private func matches(_ id: Int, _ text: UnsafeRawBufferPointer) -> Bool {
        let start = starts[id], end = starts[id + 1]
        guard end - start == text.count else { return false }
        for offset in 0..<text.count where bytes[start + offset] != text[offset] { return false }
        return true
    }

    private mutating func rehash() {
        slots.deallocate()
        let capacity = (slotMask + 1) * 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: -1, count: capacity)
        slotMask = capacity - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & slotMask
            while slots[slot] >= 0 { slot = (slot + 1) & slotMask }
            slots[slot] = Int32(id)
        }
    }
}
