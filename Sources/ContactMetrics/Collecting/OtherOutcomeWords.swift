/// Outcome words counted as `other` because they are neither `answered` nor `abandoned` (and no config
/// maps them): said once per file (`Ledger.notes`), so that an export's `completed` or `hung up` does not
/// turn answered calls into `other` without a word. A block keeps the first few distinct words it meets
/// and the rows of all of them; the collector folds blocks in input order, so what is said does not
/// depend on threads or block sizes.
struct OtherOutcomeWords: Sendable, Equatable {
    /// Distinct words kept (a block's, a file's).
    static let limit = 8

    /// The first distinct words met, in input order.
    private(set) var words: [[UInt8]] = []
    /// Rows with any such word, kept or not.
    private(set) var rows = 0

    var isEmpty: Bool { rows == 0 }

    /// One more row with the word `bytes` (`other` itself, in any case, says what it means: not kept).
    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count == 5 && bytes.elementsEqual("other".utf8, by: { $0 | 0x20 == $1 }) { return }
        rows += 1
        guard words.count < Self.limit, !words.contains(where: { $0.elementsEqual(bytes) }) else { return }
        words.append(Array(bytes))
    }

    /// A later block's words and rows.
    mutating func add(_ later: OtherOutcomeWords) {
        rows += later.rows
        for word in later.words where words.count < Self.limit && !words.contains(word) { words.append(word) }
    }

    /// The note for file `path`, or nil when no row had such a word.
    func note(path: String) -> String? {
        guard rows > 0 else { return nil }
        let shown = words.prefix(4).map { "\"" + Escaping.excerpt(String(decoding: $0, as: UTF8.self)) + "\"" }
        let more = words.count > shown.count ? ", …" : ""
        return "\(path): \(DisplayFormat.count(Int64(rows))) \(rows == 1 ? "row's outcome is" : "rows' outcomes are") neither answered nor abandoned "
            + "(\(shown.joined(separator: ", "))\(more)), so \(rows == 1 ? "it counts" : "they count") as other; a config's outcomes can map such words"
    }
}
