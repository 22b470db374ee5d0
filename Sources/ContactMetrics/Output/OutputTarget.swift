import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why an output cannot be written. `description` is a complete message naming the path.
public struct OutputError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    /// The output was a pipe whose reader has gone (`| head`): the one failure that ends a run quietly.
    public var isClosedPipe = false

    public init(path: String, reason: String, isClosedPipe: Bool = false) {
        self.path = path
        self.reason = reason
        self.isClosedPipe = isClosedPipe
    }

    /// - Parameters:
    ///   - code: the `errno` of the failed call, read right after it (anything in between, even an
    ///     allocation, may change `errno`).
    ///   - isStandardOutput: a closed pipe is quiet on standard output only (`| head`); a FIFO given as
    ///     `--output` or `--rejects` whose reader went away loses what was to be written there.
    static func system(_ path: String, _ action: String, _ code: Int32, isStandardOutput: Bool = false) -> OutputError {
        OutputError(path: path, reason: "\(action): \(String(cString: strerror(code)))", isClosedPipe: code == EPIPE && isStandardOutput)
    }

    public var description: String { "\(path): \(reason)" }
}

/// Where an output goes, checked before any work is done (DESIGN §8: an output path never replaces a
/// device, a FIFO, a symbolic link, the store, the config or an input).
///
/// - A regular file (new or existing) is written beside itself and renamed into place when complete
///   (`OutputWriter`): a failed run leaves the old file as it was.
/// - A symbolic link is followed: the file it points to is written that way, and the link stays.
/// - A FIFO or a character device (`/dev/null`, a terminal) is written in place, as a shell redirection
///   would; it is never replaced by a regular file.
/// - `-` and `/dev/stdout` are standard output; `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` are that open
///   descriptor, written where it stands (a log opened with `>>` is appended to, not replaced by a new file).
/// - A directory, block device or socket is refused.
public struct OutputTarget: Sendable {
    public enum Kind: Sendable {
        case standardOutput
        /// A regular file at `path` (after symbolic links): new (`existing` nil), or existing with its
        /// mode and owner, which the replacement keeps.
        case file(existing: (mode: mode_t, owner: uid_t, group: gid_t)?)
        /// A FIFO or character device, written in place.
        case stream
        /// A descriptor the process was given (`/dev/stderr`, `/dev/fd/3`), written as it is open.
        case descriptor(Int32)
    }

    /// The path as the user gave it (for messages).
    public let displayPath: String
    /// The path written: symbolic links resolved.
    public let path: String
    public let kind: Kind

    public static let standardOutput = OutputTarget(displayPath: "<stdout>", path: "/dev/stdout", kind: .standardOutput)

    /// Checks `path` as an output.
    /// - Throws: `OutputError` for a directory, a missing directory, a dangling link, a block device or socket.
    public init(path: String) throws(OutputError) {
        if path == "-" {
            self = .standardOutput
            return
        }
        // Followed as a link, these name the file the shell opened: replacing that file by a new one lost
        // what `>> log` had appended before.
        if let descriptor = Self.openDescriptor(named: path) {
            let flags = fcntl(descriptor, F_GETFL)
            guard flags >= 0 else { throw OutputError(path: path, reason: "names descriptor \(descriptor), which is not open") }
            guard flags & O_ACCMODE != O_RDONLY else { throw OutputError(path: path, reason: "names descriptor \(descriptor), which is open for reading only") }
            self.init(displayPath: path, path: path, kind: descriptor == 1 ? .standardOutput : .descriptor(descriptor))
            return
        }
        guard !path.isEmpty else { throw OutputError(path: "''", reason: "an empty path") }
        guard !path.hasSuffix("/") else { throw OutputError(path: path, reason: "names a directory, not a file") }
        var status = stat()
        if stat(path, &status) != 0 {
            let code = errno
            var link = stat()
            if lstat(path, &link) == 0 && link.st_mode & S_IFMT == S_IFLNK {
                throw OutputError(path: path, reason: "is a symbolic link to a file that does not exist")
            }
            guard code == ENOENT else { throw .system(path, "cannot look at the file", code) }
            let directory = FilePaths.directory(of: path)
            var directoryStatus = stat()
            guard stat(directory, &directoryStatus) == 0, directoryStatus.st_mode & S_IFMT == S_IFDIR else {
                throw OutputError(path: path, reason: "the directory \(directory) does not exist")
            }
            self.init(displayPath: path, path: path, kind: .file(existing: nil))
            return
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            // Replaced only where the shell's `>` could write it.
            guard access(path, W_OK) == 0 else { throw .system(path, "cannot write", errno) }
            // A link is followed to the file it names; the link stays.
            let resolved = FilePaths.resolvingLinks(path) ?? path
            self.init(displayPath: path, path: resolved,
                      kind: .file(existing: (status.st_mode & 0o7777, status.st_uid, status.st_gid)))
        case S_IFIFO, S_IFCHR: self.init(displayPath: path, path: path, kind: .stream)
        case S_IFDIR: throw OutputError(path: path, reason: "is a directory")
        default: throw OutputError(path: path, reason: "is not a file, a FIFO or a character device")
        }
    }

    private static func isRegularFile(_ descriptor: Int32) -> Bool {
        var status = stat()
        return fstat(descriptor, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    /// The descriptor `/dev/stdout`, `/dev/stderr`, `/dev/stdin`, `/dev/fd/N` or `/proc/self/fd/N` names.
    static func openDescriptor(named path: String) -> Int32? {
        switch path {
        case "/dev/stdin": return 0
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/\(getpid())/fd/"] where path.hasPrefix(prefix) {
                return Int32(path.dropFirst(prefix.count))
            }
            return nil
        }
    }

    private init(displayPath: String, path: String, kind: Kind) {
        self.displayPath = displayPath
        self.path = path
        self.kind = kind
    }

    /// Whether writing this output would write over `other` (an input, the store, the config, another
    /// output): the same file whatever the spelling, or the same new path.
    public func wouldOverwrite(_ other: String) -> Bool {
        // Standard input read as `-` is the file the shell opened for it (`report - --output calls.csv < calls.csv`).
        let otherIdentity = other == "-" ? FileIdentity(descriptor: 0) : FileIdentity(path: other)
        switch kind {
        case .file:
            if other == "-" { return otherIdentity.map { $0 == FileIdentity(path: path) } ?? false }
            return FilePaths.sameFile(path, other)
        case .descriptor(let descriptor):
            // `--output /dev/fd/3 3>>calls.csv` would append the report to the input it reads.
            return Self.isRegularFile(descriptor) && otherIdentity != nil && FileIdentity(descriptor: descriptor) == otherIdentity
        case .standardOutput:
            // A terminal or a socket is both standard input and output without being written over.
            return Self.isRegularFile(1) && otherIdentity != nil && FileIdentity(descriptor: 1) == otherIdentity
        case .stream:
            return false
        }
    }
}

/// An existing file's device and inode: its identity however its path is spelled.
public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    /// The identity of the file `path` names (after symbolic links), or nil when there is none.
    public init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }

    /// The identity of the file open as `descriptor`, or nil when it is closed.
    public init?(descriptor: Int32) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}

/// Small path helpers on POSIX paths (Foundation's `NSString` path methods trap on some one-character
/// paths on Linux).
public enum FilePaths {
    /// The directory part of `path`: `.` for a bare name, `/` for a file at the root.
    public static func directory(of path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1 && bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        if slash == 0 { return "/" }
        return String(decoding: bytes[..<slash], as: UTF8.self)
    }

    /// The last component of `path`.
    public static func name(of path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1 && bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")), bytes.count > 1 else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes[(slash + 1)...], as: UTF8.self)
    }

    /// `path` with every symbolic link resolved (`realpath(3)`), or nil when it does not exist.
    public static func resolvingLinks(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether two paths name the same file: the same device and inode when the first exists, else
    /// the same absolute path once the directories' links are resolved (a file not yet created).
    public static func sameFile(_ first: String, _ second: String) -> Bool {
        var a = stat(), b = stat()
        let firstExists = stat(first, &a) == 0, secondExists = stat(second, &b) == 0
        if firstExists || secondExists { return firstExists && secondExists && a.st_dev == b.st_dev && a.st_ino == b.st_ino }
        guard let left = absolute(first), let right = absolute(second) else { return false }
        return left == right
    }

    /// Removes the files in `directory` named `prefix`, a PID, `-` and anything, whose process no longer
    /// exists: what runs killed with SIGKILL (no handler runs) or stopped with the machine left of the
    /// temporary files they write beside their targets. A live run's (this machine's: the PID says nothing
    /// of another's) is left alone.
    public static func removeAbandoned(in directory: String, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink("\(directory)/\(name)") }
        }
    }

    /// The absolute path of a file that may not exist yet: its directory resolved, then its name.
    private static func absolute(_ path: String) -> String? {
        guard let directory = resolvingLinks(directory(of: path)) else { return nil }
        return directory + "/" + name(of: path)
    }
}
