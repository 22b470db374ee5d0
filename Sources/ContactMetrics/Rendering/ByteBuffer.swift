/// Text built as UTF-8 bytes in one growing buffer, for the rows and objects a long report writes by
/// the hundred thousand: `Array.append(contentsOf:)` of a `String`'s or an array's bytes cost more than a
/// hundred instructions a piece, and appending to a `String` more still.
struct ByteBuffer: ~Copyable {
    private var bytes: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 4096) {
        self.capacity = max(16, capacity)
        bytes = .allocate(capacity: self.capacity)
    }

    deinit { bytes.deallocate() }

    /// The bytes as text (they are UTF-8: pieces of strings and ASCII).
    var text: String { String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self) }

    mutating func append(_ piece: UnsafeBufferPointer<UInt8>) {
        reserve(piece.count)
        if let base = piece.baseAddress { (bytes + count).initialize(from: base, count: piece.count) }
        count += piece.count
    }

    mutating func append(_ piece: [UInt8]) {
        piece.withUnsafeBufferPointer { append($0) }
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        bytes[count] = byte
        count += 1
    }

    /// `count` spaces.
    mutating func appendSpaces(_ spaces: Int) {
        reserve(spaces)
        (bytes + count).initialize(repeating: UInt8(ascii: " "), count: spaces)
        count += spaces
    }

    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        capacity = max(capacity * 2, count + extra)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        larger.initialize(from: bytes, count: count)
        bytes.deallocate()
        bytes = larger
    }
}
