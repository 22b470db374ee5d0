#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-only source of bytes: a file, standard input, or a decompressor over one of those.
protocol ByteStream: AnyObject {
    /// Reads up to `capacity` bytes; returns 0 only at the end of the stream.
    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws(InputError) -> Int
    func close()
}

/// Reads a file descriptor with `read(2)`, retrying on `EINTR`.
final class FileDescriptorStream: ByteStream {
    private let descriptor: Int32
    private let displayName: String
    private let ownsDescriptor: Bool

    init(descriptor: Int32, displayName: String, ownsDescriptor: Bool) {
        self.descriptor = descriptor
        self.displayName = displayName
        self.ownsDescriptor = ownsDescriptor
    }

    /// Opens `path` for reading.
    /// - Throws: `InputError.cannotOpen` with the system's reason.
    static func open(path: String) throws(InputError) -> FileDescriptorStream {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var status = stat()
        if fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            Glibc.close(descriptor)
            throw .cannotOpen(path: path, reason: "is a directory (give the files in it, e.g. \(path.hasSuffix("/") ? path : path + "/")*.csv)")
        }
        return FileDescriptorStream(descriptor: descriptor, displayName: path, ownsDescriptor: true)
    }

    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws(InputError) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer, capacity)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw .readFailed(path: displayName, reason: String(cString: strerror(errno)))
        }
    }

    func close() {
        if ownsDescriptor { Glibc.close(descriptor) }
    }
}

/// Replays bytes already read (to sniff the format) before the rest of the underlying stream.
final class PrefixedStream: ByteStream {
    private var prefix: [UInt8]
    private var prefixOffset = 0
    private let rest: ByteStream

    init(prefix: [UInt8], rest: ByteStream) {
        self.prefix = prefix
        self.rest = rest
    }

    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws(InputError) -> Int {
        if prefixOffset < prefix.count {
            let count = min(capacity, prefix.count - prefixOffset)
            prefix.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + prefixOffset, byteCount: count) }
            prefixOffset += count
            return count
        }
        return try rest.read(into: buffer, capacity: capacity)
    }

    func close() { rest.close() }
}
