#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Reads a small settings file (a mapping config, a targets file) whole, with a size limit, so that a FIFO
/// or a device (`<(...)`, `/dev/zero`) can neither fill memory nor, with no writer, hang the run.
enum SmallFile {
    /// The file's bytes. - Throws: `MappingConfigError` naming the file: missing, a directory, unreadable or too large.
    /// - Parameter what: the file's kind in messages ("config file", "targets file").
    static func read(_ path: String, maximumBytes: Int, what: String, missingHint: String = "") throws(MappingConfigError) -> Data {
        // Opened without waiting: a FIFO with no writer reads as empty instead of blocking forever.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            let code = errno
            throw MappingConfigError(path, "", "cannot read the \(what) (\(code == ENOENT ? "no such file" : String(cString: strerror(code))))" + missingHint)
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT != S_IFDIR else { throw MappingConfigError(path, "", "is a directory") }
        guard let data = try? handle.read(upToCount: maximumBytes + 1) ?? Data() else {
            throw MappingConfigError(path, "", "cannot read the \(what) (\(String(cString: strerror(errno))))")
        }
        guard data.count <= maximumBytes else {
            throw MappingConfigError(path, "", "more than \(maximumBytes >> 20) MiB; a \(what) is small")
        }
        return data
    }
}
