import Foundation

/// Maps short byte strings (channel, category, agency labels) to dense `Int32` ids without creating a
/// `String` for a label seen before. One per worker; ids are reconciled by text when workers merge.
///
/// **Label identity.** Two labels are one label when they are equal as Swift strings (canonical
/// equivalence: NFC `é` and NFD `e` + U+0301 are one label; invalid UTF-8 reads as U+FFFD). A label's
/// text is its NFC form, so every worker, the store and every output spell it alike. The hot path
/// compares bytes: a label's NFC bytes are in the main table; other spellings of it go through
/// `canonicalId`, with a small fixed cache in front, so odd spellings cost time, never memory.
///
/// Channels compare case-insensitively, in full Unicode (`ÉMAIL` is `émail`); their lower-cased NFC
/// text is the label.
///
/// `preset` labels get ids `0..<preset.count` in every interner, so the well-known channels have the
/// same id in every worker and need no lookup at all on the fast path.
///
/// **Limits.** At most `limit` labels and `byteLimit` bytes of label text: beyond that `isFull` is set
/// and `id(for:)` answers 0, and the run fails (see `LabelLimit`), whatever the thread count.
struct LabelInterner: ~Copyable {
    private var slots: UnsafeMutablePointer<Int32>   // -1 = empty, else label id
    private var slotMask: Int
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var bytes: [UInt8] = []
    private(set) var labels: [String] = []
    private var idsByLabel: [String: Int32] = [:]
    /// Recently seen spellings that are not a label's NFC bytes, by the hash's top byte.
    private var aliases: [(hash: UInt64, bytes: [UInt8], id: Int32)?] = Array(repeating: nil, count: 256)
    let limit: Int
    let byteLimit: Int
    /// A label was refused: more than `limit` labels or `byteLimit` bytes of them.
    private(set) var isFull = false

    /// Labels that compare case-insensitively (channels): the label is the lower-cased text.
    let lowercases: Bool

    init(preset: [String] = [], lowercases: Bool = false, limit: Int = LabelLimit.labels, byteLimit: Int = LabelLimit.bytes) {
        self.lowercases = lowercases
        self.limit = limit
        self.byteLimit = byteLimit
        slotMask = 63
        slots = .allocate(capacity: 64)
        slots.initialize(repeating: -1, count: 64)
        starts = [0]
        for label in preset {
            var utf8 = Array(label.utf8)
            _ = utf8.withUnsafeMutableBufferPointer { id(for: UnsafeRawBufferPointer($0)) }
        }
    }

    deinit { slots.deallocate() }

    var count: Int { labels.count }

    /// Eight bytes a step, each word folded in by a 64×64→128-bit multiply (one lane of
    /// `IdCode.hash128`; measured: FNV-1a a byte at a time and a byte-wise compare cost about 300
    /// instructions a row for a 22-byte category).
    @inline(__always) private static func hash(_ text: UnsafeRawBufferPointer) -> UInt64 {
        let key: UInt64 = 0xA076_1D64_78BD_642F
        var hash: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(truncatingIfNeeded: text.count)
        var offset = 0
        while text.count &- offset >= 8 {
            hash = ByteWords.fold(hash ^ UInt64(littleEndian: text.loadUnaligned(fromByteOffset: offset, as: UInt64.self)), key)
            offset &+= 8
        }
        if offset < text.count { hash = ByteWords.fold(hash ^ ByteWords.tail(text, from: offset), key) }
        return ByteWords.fold(hash ^ 0x5899_65CC_7537_4CC3, key)
    }

    /// The id of `text`'s label, interning it on first sight.
    mutating func id(for text: UnsafeRawBufferPointer) -> Int32 {
        let hash = Self.hash(text)
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let candidate = slots[slot]
            if candidate < 0 { break }
            if hashes[Int(candidate)] == hash && matches(Int(candidate), text) { return candidate }
            slot = (slot + 1) & slotMask
        }
        return canonicalId(text, hash: hash)
    }

    /// The slow path: `text` is not the NFC spelling of a known label.
    private mutating func canonicalId(_ text: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
        let aliasSlot = Int(truncatingIfNeeded: hash >> 56)
        if let alias = aliases[aliasSlot], alias.hash == hash, alias.bytes.elementsEqual(text) { return alias.id }
        let label = Self.canonicalText(text, lowercased: lowercases)
        let id: Int32
        if let known = idsByLabel[label] {
            id = known
        } else {
            guard labels.count < limit, bytes.count + label.utf8.count <= byteLimit else {
                isFull = true
                return 0
            }
            id = Int32(labels.count)
            idsByLabel[label] = id
            var utf8 = Array(label.utf8)
            utf8.withUnsafeMutableBytes { insert(UnsafeRawBufferPointer($0), hash: Self.hash(UnsafeRawBufferPointer($0))) }
            labels.append(label)
        }
        if !Self.equals(label, text) { aliases[aliasSlot] = (hash, Array(text), id) }
        return id
    }

    /// The label a spelling stands for: its text (lower-cased, for labels compared case-insensitively)
    /// in Unicode normalization form C, without the spaces and invisible marks that spreadsheets leave
    /// around a value (a no-break space, a byte order mark, a zero-width space), which made `999` and
    /// `999` + U+00A0 two channels, the second without its service level.
    static func canonicalText(_ text: UnsafeRawBufferPointer, lowercased: Bool = false) -> String {
        var decoded = String(decoding: text, as: UTF8.self)
        if decoded.utf8.allSatisfy({ $0 < 0x80 }) { return lowercased ? decoded.lowercased() : decoded }
        decoded = trimmingBlanks(decoded)
        if lowercased { decoded = decoded.lowercased() }
        return decoded.precomposedStringWithCanonicalMapping
    }

    /// `text` without blanks at either end: spaces and tabs, white space beyond ASCII and the format marks
    /// that show as nothing (U+200B, U+FEFF, U+2060); `text` itself when it is nothing else. Line ends stay
    /// (a JSON string's `\n` is the export's own).
    static func trimmingBlanks(_ text: String) -> String {
        let trimmed = text.unicodeScalars.drop { isBlank($0) }.reversed().drop { isBlank($0) }.reversed()
        return trimmed.isEmpty ? text : String(String.UnicodeScalarView(trimmed))
    }

    private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || (scalar.value >= 0x80 && (scalar.properties.isWhitespace
            || scalar.value == 0x200B || scalar.value == 0xFEFF || scalar.value == 0x2060))
    }

    private static func equals(_ label: String, _ text: UnsafeRawBufferPointer) -> Bool {
        label.utf8.count == text.count && label.utf8.elementsEqual(text)
    }

    /// Adds the NFC bytes of label `labels.count` to the main table.
    private mutating func insert(_ text: UnsafeRawBufferPointer, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while slots[slot] >= 0 { slot = (slot + 1) & slotMask }
        slots[slot] = Int32(hashes.count)
        hashes.append(hash)
        bytes.append(contentsOf: text)
        starts.append(bytes.count)
        if hashes.count * 2 > slotMask { rehash() }
    }

    @inline(__always)
    private func matches(_ id: Int, _ text: UnsafeRawBufferPointer) -> Bool {
        let start = starts[id], end = starts[id + 1]
        guard end - start == text.count else { return false }
        guard let other = text.baseAddress, text.count > 0 else { return true }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, other, text.count) == 0 }
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

/// How many distinct labels of one kind (channels, categories, partner agencies) a run may hold.
///
/// The limit is a property of the whole run, not of a worker: a worker that meets it stops the run,
/// and at the end the union of the workers' labels is checked, so the outcome does not depend on the
/// thread count or the block size. (Label ids must also fit the 20 bits `packCellKey` gives them.)
enum LabelLimit {
    static let labels = 1 << 16
    /// Bytes of label text of one kind (a guard against a free-text column mapped as a label).
    static let bytes = 64 << 20

    /// The first kind whose union over the workers goes over a limit, or nil.
    static func exceeded(_ kinds: [(kind: String, perWorker: [[String]])], limit: Int = labels) -> String? {
        for (kind, perWorker) in kinds {
            let total = perWorker.reduce(0) { $0 + $1.count }
            let totalBytes = perWorker.reduce(0) { $0 + $1.reduce(0) { $0 + $1.utf8.count } }
            guard total > limit || totalBytes > bytes else { continue }
            let union = Set(perWorker.joined())
            if union.count > limit || union.reduce(0, { $0 + $1.utf8.count }) > bytes { return kind }
        }
        return nil
    }
}
