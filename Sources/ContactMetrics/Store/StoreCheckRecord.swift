import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The state of a store's files as contact-metrics last left them: checked whole (SQLite's `integrity_check`),
/// or written by an `ingest` that opened it so checked. Kept beside the store as `STORE-checked`; a store whose
/// files still match is not checked whole again when opened.
///
/// The check reads every page, so on every open it grew with the store: a nightly `ingest` of one day into five
/// years of nights took 2.7–3.0 s against 0.1 s into a young store, 98% of it the check (the performance review).
/// What damaged stores in the reviews was something other than a run writing the file: a bit flipped by a tool,
/// a file cut short or copied over it, a hand edit through `sqlite3`. Each changes the file's identity, size or
/// change time (`st_ctime`, which no program can set back), or leaves pages in its write-ahead log: the next run
/// then checks the store whole. A disk that returns other bytes than it was given without an error is not seen
/// until the next change; `store check` reads every page whatever the record says.
struct StoreCheckRecord: Equatable {
    /// A file's identity, size and times, as `stat` gives them.
    struct FileState: Equatable {
        var device: UInt64, inode: UInt64, size: Int64
        var modified: Int64, changed: Int64  // nanoseconds since 1970

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        }

        init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
            (self.device, self.inode, self.size, self.modified, self.changed) = (device, inode, size, modified, changed)
        }
    }

    /// The store's file.
    var store: FileState
    /// Its write-ahead log (`STORE-wal`), nil when absent or empty: readers make and remove an empty one, which
    /// changes nothing; a log with pages is recorded as it stood.
    var log: FileState?

    /// The file the record of the store at `path` is kept in.
    static func recordPath(forStoreAt path: String) -> String { path + "-checked" }

    /// The store's files as they are now; nil when the store's file cannot be read.
    init?(storeAt path: String) {
        guard let store = FileState(path: path) else { return nil }
        self.store = store
        log = FileState(path: path + "-wal").flatMap { $0.size > 0 ? $0 : nil }
    }

    init(store: FileState, log: FileState?) {
        (self.store, self.log) = (store, log)
    }

    /// A change within this long of the state taken may not have moved the change time: the kernel stamps files from
    /// a clock that ticks every few milliseconds. A record is kept only of files that last changed before it.
    static let clockTick: Int64 = 25_000_000

    /// Whether the store at `path` is as recorded: as a run left it, checked or written.
    static func matches(storeAt path: String) -> Bool {
        guard let recorded = read(forStoreAt: path), let now = StoreCheckRecord(storeAt: path) else { return false }
        return recorded == now
    }

    /// Records the store at `path` as `state` (taken before it was checked or once it was written) when its files
    /// are still so and last changed at least a clock tick ago, waiting up to `wait` for that (nanoseconds). Best
    /// effort: a record that cannot be written only means that the next run checks the store whole.
    static func record(_ state: StoreCheckRecord, forStoreAt path: String, waitingUpTo wait: Int64 = 0) {
        let newest = max(state.store.changed, state.log?.changed ?? 0)
        let age = currentTime() - newest
        if age < clockTick {
            guard clockTick - age <= wait else { return }
            usleep(UInt32((clockTick - age) / 1_000 + 1))
        }
        guard StoreCheckRecord(storeAt: path) == state else { return }
        let line = ([state.store] + (state.log.map { [$0] } ?? [])).map(\.fields).joined(separator: " ")
        let text = "\(header)\n\(line)\n"
        let target = recordPath(forStoreAt: path)
        var file = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o644)
        if file < 0 {
            // Another user's record (a report run as root), or not a file: replaced, where the directory lets this user.
            unlink(target)
            file = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        }
        guard file >= 0 else { return }
        // A torn write reads as no record (the store is checked whole): no need to write it atomically.
        let written = text.utf8CString.withUnsafeBufferPointer { write(file, $0.baseAddress, $0.count - 1) }
        close(file)
        if written != text.utf8.count { unlink(target) }
    }

    /// Removes the record of the store at `path` (found damaged: the next run checks it whole).
    static func remove(forStoreAt path: String) {
        unlink(recordPath(forStoreAt: path))
    }

    static let header = "contact-metrics store check 1"

    /// The record kept for the store at `path`, nil when there is none or it cannot be read as one.
    static func read(forStoreAt path: String) -> StoreCheckRecord? {
        // Not through a link, and never waiting (a FIFO put in its place): a record is a small regular file.
        let file = open(recordPath(forStoreAt: path), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: 512)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(file, $0.baseAddress, $0.count) }
        guard count > 0, let text = String(bytes: bytes[..<count], encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 3, lines[0] == header, lines[2].isEmpty else { return nil }
        let numbers = lines[1].split(separator: " ").map { Int64($0) }
        guard numbers.allSatisfy({ $0 != nil }), numbers.count == 5 || numbers.count == 10 else { return nil }
        let values = numbers.map { $0! }
        func state(at start: Int) -> FileState {
            FileState(device: UInt64(bitPattern: values[start]), inode: UInt64(bitPattern: values[start + 1]), size: values[start + 2],
                      modified: values[start + 3], changed: values[start + 4])
        }
        return StoreCheckRecord(store: state(at: 0), log: values.count == 10 ? state(at: 5) : nil)
    }

    private static func currentTime() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}

private extension StoreCheckRecord.FileState {
    var fields: String { "\(Int64(bitPattern: device)) \(Int64(bitPattern: inode)) \(size) \(modified) \(changed)" }
}
