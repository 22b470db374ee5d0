/// `extra_1` … `extra_N`: free-text columns like the notes and references of real exports, so a
/// generated file has their width. Values come from a fixed pool of 256 notes of 10–40 characters
/// (about one in six holding a comma, so quoted) and one in eight cells is empty; cells are drawn
/// from their own random stream, so the other columns do not depend on N.
struct FillerColumns {
    let count: Int
    /// The pool, each value already encoded as a field (`CSVByteWriter.encoded`), end to end:
    /// value i is `pool[starts[i]..<starts[i + 1]]` (one buffer, so a cell is one copy).
    private let pool: [UInt8]
    private let starts: [Int]
    private var random: SplitMix64

    private static let words = [
        "caller", "advised", "to", "ring", "back", "later", "no", "further", "action", "refer", "to", "neighbourhood",
        "team", "vehicle", "parked", "across", "drive", "again", "reports", "noise", "from", "flat", "above", "ongoing",
        "dispute", "logged", "on", "crm", "duplicate", "of", "earlier", "call", "welfare", "check", "requested", "by",
        "family", "line", "dropped", "before", "details", "taken", "wants", "update", "on", "crime", "ref", "passed",
    ]

    init(count: Int, seed: UInt64, writer: CSVByteWriter) {
        self.count = count
        random = SplitMix64(seed: seed ^ 0xF111_E8F1_11E8)
        var words = SplitMix64(seed: 0x0A7E5)
        var pool: [UInt8] = []
        var starts = [0]
        for index in 0..<256 {
            defer { starts.append(pool.count) }
            if index % 8 == 7 { pool += writer.encoded(""); continue }
            let length = 10 + Int(words.next() % 31)
            var note = ""
            while note.count < length {
                if !note.isEmpty { note += words.unit() < 0.06 ? ", " : " " }
                note += Self.words[Int(words.next() % UInt64(Self.words.count))]
            }
            // Whole words up to the length, at most 40 characters.
            while note.count > 40, let space = note.lastIndex(of: " ") { note = String(note[..<space]) }
            pool += writer.encoded(note.trimmingTrailingSeparators)
        }
        self.pool = pool
        self.starts = starts
    }

    /// The header names.
    var names: [String] { (0..<count).map { "extra_\($0 + 1)" } }

    /// Writes `,value` for each column.
    mutating func write(to writer: inout CSVByteWriter) {
        guard count > 0 else { return }
        var bits: UInt64 = 0
        pool.withUnsafeBufferPointer { pool in
            for column in 0..<count {
                // Eight cells from each 64-bit draw.
                if column % 8 == 0 { bits = random.next() }
                let value = Int(bits & 0xFF)
                writer.comma()
                writer.bytes(UnsafeBufferPointer(rebasing: pool[starts[value]..<starts[value + 1]]))
                bits >>= 8
            }
        }
    }
}

private extension String {
    var trimmingTrailingSeparators: String {
        var text = Substring(self)
        while text.last == " " || text.last == "," { text = text.dropLast() }
        return String(text)
    }
}
