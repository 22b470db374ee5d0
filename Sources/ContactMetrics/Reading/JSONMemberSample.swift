import Foundation

/// The members a config names that no record of a file's first records has. A missing member reads as
/// empty (Amazon Connect leaves out what a contact lacks), so a misspelt `"Chanel"` emptied every record's
/// channel, and a skip rule on `"InitiationMethd"` took every record, without a word.
enum JSONMemberSample {
    /// Records looked at, at most: the first ones of the bytes the header reader has.
    static let recordLimit = 64

    /// Of `paths` (as the config spells them), those that no whole object in `bytes` has, matched as
    /// `JSONRecordScanner` matches them: ignoring case, a path is a top member of that name or, split at its
    /// first dot, a member of a top member (deeper objects are not read). A member that is `null` counts
    /// as present, and so does a member of one that is `null` (Amazon Connect's `Agent` is null for an
    /// abandoned contact: the first 64 may all be). Nil when no whole object was read.
    static func absent(_ paths: [String], in bytes: UnsafeRawBufferPointer) -> [String]? {
        var remaining = Set(paths.map { $0.lowercased() })
        var offset = 0, records = 0
        while records < recordLimit, !remaining.isEmpty {
            while offset < bytes.count, bytes[offset] != UInt8(ascii: "{") { offset += 1 }
            guard offset < bytes.count, let base = bytes.baseAddress,
                  let length = JSONRecordScanner.firstObjectEnd(in: base.assumingMemoryBound(to: UInt8.self) + offset, count: bytes.count - offset)
            else { break }
            defer { offset += length }
            guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[offset..<offset + length])) as? [String: Any] else { continue }
            records += 1
            let top = lowered(object)
            remaining = remaining.filter { path in
                if top[path] != nil { return false }
                guard let dot = path.firstIndex(of: "."), let parent = top[String(path[..<dot])] else { return true }
                guard let inner = parent as? [String: Any] else { return !(parent is NSNull) }
                return lowered(inner)[String(path[path.index(after: dot)...])] == nil
            }
        }
        guard records > 0 else { return nil }
        return paths.filter { remaining.contains($0.lowercased()) }
    }

    private static func lowered(_ object: [String: Any]) -> [String: Any] {
        Dictionary(object.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
