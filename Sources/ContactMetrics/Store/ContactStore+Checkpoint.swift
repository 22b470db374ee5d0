import CSQLite

extension ContactStore {
    /// Copies the write-ahead log's committed pages into the store's file (`PRAGMA wal_checkpoint`, passive:
    /// it waits for no reader) and says why it could not. SQLite does the same when the last connection
    /// closes, but says nothing when that fails: a review's full disk left the file half written and the night
    /// only in `STORE-wal`, with status 0, and a copy of the file alone was damaged. The changes are committed
    /// in the log either way; the next run with room folds them in.
    /// - Returns: SQLite's message when the pages could not be written (a full disk), or nil.
    public static func foldWriteAheadLog(at path: String) -> String? {
        do {
            let connection = try SQLiteConnection(path: path, create: false, busyTimeoutSeconds: 5)
            let statement = try connection.prepare("PRAGMA wal_checkpoint(PASSIVE)")
            _ = try statement.step()  // (busy, pages in the log, pages copied): a reader may keep some back, by design
            return nil
        } catch {
            return error.message
        }
    }
}
