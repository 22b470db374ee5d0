import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The state of a store's files as contact-metrics last left them: checked whole (SQLite's `integrity_check`),
/// or written by an `ingest` that opened it so checked. Kept beside the store as `STORE-checked`; a store whose
/// files still match is not checked whole again when opened.
///
/// The check reads every page, so on every open it grew with the store: 89–92% of a nightly `ingest`'s instructions
/// after a year or two of nights (a store review); skipped, one night into 729 took 263M instructions against 1,894M.
/// What damaged stores in the reviews was something other than a run writing the file: a bit flipped by a tool,
/// a file cut short or copied over it, a hand edit through `sqlite3`. Each changes the file's identity, size or
/// change time (`st_ctime`, which no program can set back), or leaves pages in its write-ahead log: the next run
/// then checks the store whole. Not seen until the next change, and found by `store check` (every page, whatever the
/// record says): a disk that returns other bytes than it was given without an error, a write during an ingest's final
/// fold, and a page a program holds mapped and writes twice (the kernel stamps the times at its first write only).
struct StoreCheckRecord: Equatable, Sendable {
    /// A file's identity, size and times, as `stat` gives them.
    struct FileState: Equatable, Sendable {
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
        // SQLite keeps the log beside the file a link leads to (a review's edit left in it was not seen beside the link).
        let resolved = realpath(path, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        } ?? path
        log = FileState(path: resolved + "-wal").flatMap { $0.size > 0 ? $0 : nil }
    }

    init(store: FileState, log: FileState?) {
        (self.store, self.log) = (store, log)
    }

    /// A change within this long of the state taken may not have moved the change time: the kernel stamps files from
    /// a clock that ticks every few milliseconds. A record is kept only of files that last changed before it.
    static let clockTick: Int64 = 25_000_000
    /// The same on a file system that stamps whole seconds (ext4 with 128-byte inodes, FAT, many network mounts: a
    /// review's copy over the store in the same second kept every time as recorded): times with no fraction say so.
    static let secondsTick: Int64 = 2_000_000_000

    /// How long after its last change a file's state may be recorded (`clockTick`, or `secondsTick` on a file system of
    /// whole seconds).
    var tick: Int64 {
        let states = [store] + (log.map { [$0] } ?? [])
        return states.allSatisfy({ $0.changed % 1_000_000_000 == 0 && $0.modified % 1_000_000_000 == 0 }) ? Self.secondsTick : Self.clockTick
    }

    /// Whether the store at `path` is as recorded: as a run left it, checked or written.
    static func matches(storeAt path: String) -> Bool {
        guard let recorded = read(forStoreAt: path), let now = StoreCheckRecord(storeAt: path) else { return false }
        return recorded == now
    }

    /// Records the store at `path` as `state`, taken at `takenAt` (`now()` just before it: before the store was
    /// checked, or once a run had written it), if its files are still so. Only a state taken at least a tick of the file
    /// system's clock after the files last changed is kept: a write after it then moves their change time, where one in
    /// the same tick would not (a review's copy in the same second on a whole-second file system). With `wait` (a run's
    /// own writes just made), it waits up to that long and takes the state again. Best effort: a record that cannot be
    /// written only means that the next run checks the store whole.
    static func record(_ state: StoreCheckRecord, takenAt: Int64, forStoreAt path: String, waitingUpTo wait: Int64 = 0) {
        var state = state
        let newest = max(state.store.changed, state.log?.changed ?? 0), tick = state.tick
        if takenAt - newest < tick {
            let remaining = tick - (now() - newest)
            guard wait > 0, remaining <= wait else { return }
            if remaining > 0 { usleep(UInt32(min(remaining / 1_000 + 1, 3_000_000))) }
            let retaken = now()
            guard retaken - newest >= tick, let again = StoreCheckRecord(storeAt: path), again == state else { return }
            state = again
        } else {
            guard StoreCheckRecord(storeAt: path) == state else { return }
        }
        let line = ([state.store] + (state.log.map { [$0] } ?? [])).map(\.fields).joined(separator: " ")
        let text = "\(header)\n\(line)\n"
        let target = recordPath(forStoreAt: path)
        var file = open(target, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o644)
        if file < 0 && errno == EACCES && isRecord(target) {
            // Another user's record (a report run as root): replaced, where the directory lets this user; any other file
            // of that name is left (a review's read-only second store of that name was deleted).
            unlink(target)
            file = open(target, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        }
        guard file >= 0 else { return }
        defer { close(file) }
        // Only a record, or a file just made, is written: never another file of that name (a review's second store
        // `a.db-checked` was cut to a record), nor one linked elsewhere too.
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1 else { return }
        if info.st_size > 0 {
            var head = [UInt8](repeating: 0, count: header.utf8.count)
            let count = head.withUnsafeMutableBytes { pread(file, $0.baseAddress, $0.count, 0) }
            guard count == head.count, head == Array(header.utf8) else { return }
        }
        // A torn write reads as no record (the store is checked whole): no need to write it atomically.
        guard ftruncate(file, 0) == 0 else { return }
        let written = text.utf8CString.withUnsafeBufferPointer { pwrite(file, $0.baseAddress, $0.count - 1, 0) }
        if written != text.utf8.count { _ = ftruncate(file, 0) }
    }

    /// How long `record` waits after a run's own writes: a tick of the clock, and not at all on a file system of whole
    /// seconds, where a write in the second after the run's would not be seen (a review's): such a store is recorded
    /// only by a check, once its file has stood a while.
    static func waitAfterWriting(_ state: StoreCheckRecord) -> Int64 { state.tick == clockTick ? clockTick : 0 }

    /// Removes the record of the store at `path` (found damaged: the next run checks it whole); a file of that name that
    /// is not a record is left.
    static func remove(forStoreAt path: String) {
        let target = recordPath(forStoreAt: path)
        if isRecord(target) { unlink(target) }
    }

    /// Whether the file at `target` (not through a link) begins as a record does.
    private static func isRecord(_ target: String) -> Bool {
        let file = open(target, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard file >= 0 else { return false }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        var head = [UInt8](repeating: 0, count: header.utf8.count)
        let count = head.withUnsafeMutableBytes { pread(file, $0.baseAddress, $0.count, 0) }
        return count == head.count && head == Array(header.utf8)
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

    /// The real-time clock, nanoseconds since 1970 (the clock files are stamped from).
    static func now() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}

private extension StoreCheckRecord.FileState {
    var fields: String { "\(Int64(bitPattern: device)) \(Int64(bitPattern: inode)) \(size) \(modified) \(changed)" }
}

/// The store's files as a run found them whole, or left them (`ContactStore.filesWhenOpened`,
/// `ContactStore.foldWriteAheadLog(at:recordingIfStill:)`).
public struct StoreFilesState: Sendable, Equatable {
    let record: StoreCheckRecord
}
