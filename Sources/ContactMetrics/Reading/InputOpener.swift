#if canImport(Glibc)
import Glibc
#endif

/// Opens an input by name (`-` is standard input), decompressing gzip when the data starts with
/// gzip's magic bytes (whatever the file is called).
enum InputOpener {
    static func open(_ name: String) throws(InputError) -> ByteStream {
        let raw: ByteStream = name == "-"
            ? FileDescriptorStream(descriptor: 0, displayName: "<stdin>", ownsDescriptor: false)
            : try FileDescriptorStream.open(path: name)
        let sniff = UnsafeMutablePointer<UInt8>.allocate(capacity: 2)
        defer { sniff.deallocate() }
        var sniffed = 0
        while sniffed < 2 {
            let count = try raw.read(into: sniff + sniffed, capacity: 2 - sniffed)
            if count == 0 { break }
            sniffed += count
        }
        let prefix = Array(UnsafeBufferPointer(start: sniff, count: sniffed))
        let replay = PrefixedStream(prefix: prefix, rest: raw)
        if GzipStream.hasMagic(prefix) {
            return try GzipStream(source: replay, displayName: displayName(name))
        }
        return replay
    }

    static func displayName(_ name: String) -> String { name == "-" ? "<stdin>" : name }

    /// True for a path naming a regular file (`stat(2)`, which, unlike opening it, never waits on a
    /// named pipe); false for `-`.
    static func isRegularFile(_ name: String) -> Bool {
        guard name != "-" else { return false }
        var status = stat()
        return stat(name, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }
}
