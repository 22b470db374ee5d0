import CCrypto

// The store's test for "identical content" (DESIGN §7): a SHA-256 tree over the source's bytes
// (decompressed, header included), so that a corrected re-export can never pass for the file already
// ingested, by accident or on purpose.
//
// The bytes are cut into pieces of `pieceSize` at fixed offsets from the start of the source. Each
// piece is hashed on its own, so the workers that read a file in ranges hash their own pieces in
// parallel (`SplitInput.pieces`); the streaming reader hashes them as they pass (`PieceHasher`). The
// fingerprint is SHA-256 of a version tag, the piece digests in order and the length
// (`FingerprintBuilder`): the same for any reader, thread count and block size.

/// SHA-256 from the system's libcrypto (EVP interface).
final class SHA256Context {
    static let digestLength = 32
    private let context: OpaquePointer

    init() {
        context = EVP_MD_CTX_new()
        reset()
    }

    deinit { EVP_MD_CTX_free(context) }

    func reset() {
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    func update(_ bytes: UnsafeRawPointer, count: Int) {
        EVP_DigestUpdate(context, bytes, count)
    }

    func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0.baseAddress!, count: $0.count) }
    }

    /// The digest of everything since the last reset; resets.
    func finish() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Self.digestLength)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        reset()
        return digest
    }

    static func digest(_ bytes: UnsafeRawPointer, count: Int) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: digestLength)
        var length: UInt32 = 0
        EVP_Digest(bytes, count, &digest, &length, EVP_sha256(), nil)
        return digest
    }
}

/// The SHA-256 of one piece of a source.
struct ContentPiece: Sendable, Equatable {
    /// The piece's number: it holds bytes `index * pieceSize ..< (index + 1) * pieceSize`.
    var index: Int
    var byteCount: Int
    var digest: [UInt8]
}

enum ContentFingerprint {
    static let pieceSize = 1 << 20
}

/// Folds piece digests, in order, into the fingerprint.
final class FingerprintBuilder: @unchecked Sendable {
    private let context = SHA256Context()
    private var nextPiece = 0
    private(set) var byteCount: Int64 = 0

    init() {
        context.update(Array("contact-metrics/content/1\n".utf8))
    }

    func append(_ piece: ContentPiece) {
        precondition(piece.index == nextPiece, "content pieces out of order")
        context.update(piece.digest)
        nextPiece += 1
        byteCount += Int64(piece.byteCount)
    }

    /// `sha256t:` and 64 hex digits (the tree's root).
    func finish() -> String {
        withUnsafeBytes(of: byteCount.littleEndian) { context.update($0.baseAddress!, count: 8) }
        return "sha256t:" + context.finish().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// Cuts a stream of bytes into pieces and hashes them as they pass (the streaming reader).
struct PieceHasher {
    private let context = SHA256Context()
    private var filled = 0
    private var index = 0
    let builder = FingerprintBuilder()

    mutating func update(_ bytes: UnsafePointer<UInt8>, count: Int) {
        var offset = 0
        while offset < count {
            let take = min(count - offset, ContentFingerprint.pieceSize - filled)
            context.update(bytes + offset, count: take)
            filled += take
            offset += take
            if filled == ContentFingerprint.pieceSize { finishPiece() }
        }
    }

    private mutating func finishPiece() {
        builder.append(ContentPiece(index: index, byteCount: filled, digest: context.finish()))
        index += 1
        filled = 0
    }

    /// The fingerprint of everything passed.
    mutating func finish() -> String {
        if filled > 0 || index == 0 { finishPiece() }
        return builder.finish()
    }
}
