#if canImport(Glibc)
import Glibc
#endif

/// Writes an `OutputTarget` with every failure surfaced: a full disk, a closed output or a failed
/// rename is an `OutputError`, never silence.
///
/// A regular file is written to a new temporary file in its directory (`.NAME.tmp-PID-XXXXXX`; those of
/// dead runs are removed first, `FilePaths.removeAbandoned`) and renamed
/// over the target by `commit()`, after `fsync`: readers see the old file or the whole new one. The
/// new file gets the old file's mode (a new one gets 0666 less the umask); with `isPrivate` (rows of
/// caller data) it is at most 0600. A stream (FIFO, character device, standard output) is written in
/// place. Writes are buffered (64 KiB).
///
/// Not thread-safe: one writer, one thread at a time (callers serialise, e.g. the engine's reject callback).
public final class OutputWriter {
    public let target: OutputTarget
    private var descriptor: Int32
    private var temporaryPath: String?
    /// The temporary file's place in `InterruptCleanup` (removed if a signal stops the run).
    private var cleanupSlot: Int?
    private var buffer: [UInt8] = []
    private var finished = false
    private static let bufferLimit = 1 << 16

    /// Opens the output (a temporary file for a regular file).
    /// - Parameter isPrivate: the file holds rows of caller data: mode 0600 at most.
    public init(_ target: OutputTarget, isPrivate: Bool = false) throws(OutputError) {
        self.target = target
        switch target.kind {
        case .standardOutput:
            descriptor = 1
        case .stream:
            descriptor = open(target.path, O_WRONLY | O_CLOEXEC | O_NOCTTY)
            let code = errno
            guard descriptor >= 0 else { throw .system(target.displayPath, "cannot open for writing", code) }
        case .descriptor(let given):
            // A copy, closed when done; the given one stays open, with its offset and O_APPEND shared.
            descriptor = fcntl(given, F_DUPFD_CLOEXEC, 3)
            let code = errno
            guard descriptor >= 0 else { throw .system(target.displayPath, "cannot write", code) }
        case .file(let existing):
            let directory = FilePaths.directory(of: target.path)
            // A name of at most 64 + 24 bytes, whatever the target's length (NAME_MAX is 255).
            let prefix = ".\(String(FilePaths.name(of: target.path).utf8.prefix(64)) ?? "out").tmp-"
            FilePaths.removeAbandoned(in: directory, prefix: prefix)
            // Registered before it is made (`mkstemp` then registering left a moment in which a signal left the file
            // behind: a test under load): a signal before it is made removes nothing, since no other process makes a name
            // with this one's PID.
            var code: Int32 = 0, opened: Int32 = -1
            for _ in 0..<64 {
                let candidate = "\(directory)/\(prefix)\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
                let slot = InterruptCleanup.register(candidate)
                opened = open(candidate, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                code = errno
                if opened >= 0 {
                    (temporaryPath, cleanupSlot) = (candidate, slot)
                    break
                }
                if let slot { InterruptCleanup.unregister(slot) }
                guard code == EEXIST else { break }
            }
            guard opened >= 0 else {
                throw .system(target.displayPath, "cannot create a temporary file in \(directory) to write it", code)
            }
            descriptor = opened
            var mode = existing?.mode ?? Self.defaultMode
            if isPrivate { mode &= 0o600 }
            // The replacement keeps the old file's owner where the process may give it (as root).
            if let existing { _ = fchown(descriptor, existing.owner, existing.group) }
            if fchmod(descriptor, mode) != 0 {
                let code = errno
                let error = OutputError.system(target.displayPath, "cannot set the file's mode", code)
                discard()
                throw error
            }
        }
    }

    deinit {
        if !finished { discard() }
    }

    /// 0666 less the process's umask, as `open(2)` would create a file.
    private static var defaultMode: mode_t {
        let mask = umask(0)
        umask(mask)
        return 0o666 & ~mask
    }

    public func write(_ text: String) throws(OutputError) {
        var text = text
        var failure: OutputError?
        text.withUTF8 { bytes in
            do throws(OutputError) { try write(UnsafeRawBufferPointer(bytes)) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        if buffer.count + bytes.count > Self.bufferLimit { try flush() }
        if bytes.count >= Self.bufferLimit {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Writes what is buffered.
    public func flush() throws(OutputError) {
        guard !buffer.isEmpty else { return }
        let pending = buffer
        buffer.removeAll(keepingCapacity: true)
        var failure: OutputError?
        pending.withUnsafeBytes { bytes in
            do throws(OutputError) { try writeAll(bytes) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .system(target.displayPath, "cannot write", code, isStandardOutput: descriptor == 1)
            }
            offset += written
        }
    }

    /// Finishes the output: flushes, and for a regular file syncs it and renames it into place.
    public func commit() throws(OutputError) {
        guard !finished else { return }
        do throws(OutputError) {
            try flush()
            if let temporaryPath {
                try succeeded(fsync(descriptor), "cannot write")
                let closed = close(descriptor)
                descriptor = -1
                try succeeded(closed, "cannot write")
                try succeeded(rename(temporaryPath, target.path), "cannot replace the file")
                self.temporaryPath = nil
                forgetCleanup()
            } else if descriptor != 1 {
                let closed = close(descriptor)
                descriptor = -1
                try succeeded(closed, "cannot write")
            }
            finished = true
        } catch {
            discard()
            throw error
        }
    }

    /// Throws for a system call's failed `result` (with its `errno`, read first).
    private func succeeded(_ result: Int32, _ action: String) throws(OutputError) {
        guard result != 0 else { return }
        let code = errno
        throw .system(target.displayPath, action, code)
    }

    /// Abandons the output: a regular file's temporary file is removed and the target left as it was.
    public func discard() {
        finished = true
        buffer.removeAll()
        if descriptor >= 0 && descriptor != 1 { close(descriptor) }
        descriptor = -1
        if let temporaryPath { unlink(temporaryPath) }
        temporaryPath = nil
        forgetCleanup()
    }

    private func forgetCleanup() {
        if let cleanupSlot { InterruptCleanup.unregister(cleanupSlot) }
        cleanupSlot = nil
    }
}
