#if canImport(Glibc)
import Glibc
#endif

/// Opens an input by name (`-` is standard input), decompressing gzip when the data starts with
/// gzip's magic bytes (whatever the file is called), then transcoding to UTF-8 text in another
/// encoding: the one given, or UTF-16 when the text starts with its byte-order mark.
public enum InputOpener {
    static func open(_ name: String, encoding: TextEncoding? = nil) throws(InputError) -> ByteStream {
        let raw: ByteStream = name == "-"
            ? FileDescriptorStream(descriptor: 0, displayName: "<stdin>", ownsDescriptor: false)
            : try FileDescriptorStream.open(path: name)
        let (prefix, replay) = try sniff(raw, count: 2)
        let bytes: ByteStream = GzipStream.hasMagic(prefix) ? try GzipStream(source: replay, displayName: displayName(name)) : replay
        // The text's own first bytes: a byte-order mark names UTF-16 (and is dropped) or UTF-8. A mark
        // wins over `--encoding`, which is for files that cannot say what they are (so one run can read a
        // UTF-16 export and a Windows-1252 one).
        let (textPrefix, text) = try sniff(bytes, count: 4)
        if let refusal = TextEncoding.utf32Refusal(textPrefix) { throw .unsupported(path: displayName(name), reason: refusal) }
        let mark = TextEncoding.byteOrderMark(textPrefix)
        let chosen = mark?.0 ?? encoding ?? .utf8
        guard chosen != .utf8 else { return text }
        // `bytes` has moved past the sniffed bytes: replay them (but the mark) before it.
        let markLength = mark?.1 ?? 0
        return TranscodingStream(source: PrefixedStream(prefix: Array(textPrefix.dropFirst(markLength)), rest: bytes), encoding: chosen)
    }

    /// The first `count` bytes of `stream` (fewer at its end), and a stream that gives them again.
    private static func sniff(_ stream: ByteStream, count wanted: Int) throws(InputError) -> ([UInt8], PrefixedStream) {
        let sniff = UnsafeMutablePointer<UInt8>.allocate(capacity: wanted)
        defer { sniff.deallocate() }
        var sniffed = 0
        while sniffed < wanted {
            let count = try stream.read(into: sniff + sniffed, capacity: wanted - sniffed)
            if count == 0 { break }
            sniffed += count
        }
        let prefix = Array(UnsafeBufferPointer(start: sniff, count: sniffed))
        return (prefix, PrefixedStream(prefix: prefix, rest: stream))
    }

    static func displayName(_ name: String) -> String { name == "-" ? "<stdin>" : name }

    /// True for a path naming a regular file (`stat(2)`, which, unlike opening it, never waits on a
    /// named pipe); false for `-`.
    public static func isRegularFile(_ name: String) -> Bool {
        guard name != "-" else { return false }
        var status = stat()
        return stat(name, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }
}
