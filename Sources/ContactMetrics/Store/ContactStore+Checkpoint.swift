extension ContactStore {
    /// Copies the write-ahead log's committed pages into the store's file (`PRAGMA wal_checkpoint`, passive:
    /// it waits for no reader) and says why it could not. SQLite does the same when the last connection
    /// closes, but says nothing when that fails: a review's full disk left the file half written and the night
    /// only in `STORE-wal`, with status 0, and a copy of the file alone was damaged. The changes are committed
    /// in the log either way; the next run with room folds them in.
    ///
    /// Then, when no reader holds the log, it is emptied, and the store's files are recorded as this run left them
    /// (`StoreCheckRecord`): the next run that opens the store does not check it whole again. Only when the store's file
    /// is still as `expected` (as the run found it whole: `filesIfNoOtherCommit`) until then: a writing connection leaves
    /// the file to this fold (`wal_autocheckpoint` 0), so that anything else that wrote it meanwhile (a review's copy over
    /// the store during an ingest) is not recorded as the run's own. A write during the fold itself cannot be told from
    /// the fold's (a review's, timed to the file's first change): only `store check` finds it.
    /// - Returns: SQLite's message when the pages could not be written (a full disk), or nil.
    public static func foldWriteAheadLog(at path: String, recordingIfStill expected: StoreFilesState?) -> String? {
        let unchanged = expected != nil && StoreCheckRecord(storeAt: path)?.store == expected?.record.store
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(path: path, create: false, busyTimeoutSeconds: 5)
            let statement = try connection.prepare("PRAGMA wal_checkpoint(PASSIVE)")
            _ = try statement.step()  // (busy, pages in the log, pages copied): a reader may keep some back, by design
        } catch {
            return error.message
        }
        // Emptied without waiting: a reader may keep it as it is, and the last connection to close then empties it,
        // which changes the files from what is recorded (the next run checks the store whole; nothing is lost).
        if (try? connection.execute("PRAGMA busy_timeout = 0")) != nil, let emptied = try? connection.prepare("PRAGMA wal_checkpoint(TRUNCATE)") {
            _ = try? emptied.step()
        }
        let takenAt = StoreCheckRecord.now()
        if unchanged, let state = StoreCheckRecord(storeAt: path) {
            StoreCheckRecord.record(state, takenAt: takenAt, forStoreAt: path, waitingUpTo: StoreCheckRecord.waitAfterWriting(state))
        }
        return nil
    }

    /// `filesWhenOpened`, if no other connection has committed to the store since (SQLite's `data_version`): an edit
    /// committed meanwhile waits in the write-ahead log, and the fold would copy it into the file as this run's own (a
    /// review's damaging edit through Python's sqlite3 during an ingest was recorded so).
    public func filesIfNoOtherCommit() -> StoreFilesState? {
        guard let filesWhenOpened, let version = dataVersionWhenOpened, (try? connection.scalar("PRAGMA data_version")) == version else { return nil }
        return filesWhenOpened
    }
}
