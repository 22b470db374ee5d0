#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A temporary file for data that does not fit the memory budget (`IdLog`'s spilled chunks, `CellSpill`'s runs). It has
/// no name: it is opened with `O_TMPFILE` (or created and unlinked at once where the file system
/// lacks it), so it is gone when the run ends, however it ends (success, error, Ctrl-C, a kill).
/// Opened on the first write; writers reserve their offsets atomically and write without a lock.
final class ScratchFile: @unchecked Sendable {
    /// `$TMPDIR`, or `/tmp`.
    let directory: String
    /// What the file holds, for messages.
    let contents: String
    private let descriptor = Locked<Int32?>(nil)
    private let end = Atomic<Int64>(0)

    init(directory: String = ScratchFile.defaultDirectory, contents: String = "the ids kept for duplicate detection") {
        self.directory = directory
        self.contents = contents
    }

    static var defaultDirectory: String {
        if let value = ProcessInfo.processInfo.environment["TMPDIR"], !value.isEmpty { return value }
        return "/tmp"
    }

    deinit {
        descriptor.withLock { if let fd = $0 { close(fd) } }
    }

    /// Bytes written so far.
    var size: Int64 { end.load(ordering: .relaxed) }

    /// Appends `bytes`; returns the offset they were written at.
    func append(_ bytes: UnsafeRawBufferPointer) throws(InputError) -> Int64 {
        let fd = try open()
        let offset = end.wrappingAdd(Int64(bytes.count), ordering: .relaxed).oldValue
        var done = 0
        while done < bytes.count {
            let written = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(errno)
            }
            done += written
        }
        return offset
    }

    /// Reads `count` bytes written at `offset` into `buffer`.
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int64) throws(InputError) {
        let fd = try open()
        var done = 0
        while done < count {
            let read = pread(fd, buffer + done, count - done, off_t(offset) + off_t(done))
            if read < 0 && errno == EINTR { continue }
            if read <= 0 { throw failure(read < 0 ? errno : EIO) }
            done += read
        }
    }

    private func open() throws(InputError) -> Int32 {
        let result = descriptor.withLock { descriptor -> Result<Int32, InputError> in
            if let fd = descriptor { return .success(fd) }
            // O_TMPFILE: __O_TMPFILE | O_DIRECTORY, spelled out since Glibc's macro does not import.
            let temporaryFile: Int32 = 0o20000000 | O_DIRECTORY
            var fd = Glibc.open(directory, O_RDWR | O_CLOEXEC | temporaryFile, 0o600)
            if fd < 0 {
                var template = Array("\(directory)/contact-metrics-scratch.XXXXXX".utf8CString)
                fd = mkstemp(&template)
                if fd < 0 { return .failure(failure(errno)) }
                unlink(template)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            descriptor = fd
            return .success(fd)
        }
        return try result.get()
    }

    private func failure(_ code: Int32) -> InputError {
        .scratchFailed(directory: directory, reason: String(cString: strerror(code)), contents: contents)
    }
}
