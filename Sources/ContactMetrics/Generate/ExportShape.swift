/// How `generate --profile uniform` lays out the contacts it writes: the id style, repeated ids,
/// the timestamp style, quoting, line endings, extra columns and the number of files. The shape
/// never changes the contacts themselves: with the same seed, every shape holds the same arrivals,
/// channels, waits and outcomes, so the figures computed from any shape are the same.
public struct ExportShape: Sendable, Equatable {
    /// How contact ids look.
    public enum Ids: String, CaseIterable, Sendable {
        /// 1, 2, 3, … in file order.
        case numeric
        /// CRM-style references, `CL-00013414c1`: a prefix and 10 hex digits, unique, in no order.
        case string
        /// Random-looking UUID v4 strings in lower case, as Genesys or Amazon Connect write them.
        case uuid
        /// Asterisk uniqueids, `1554103200.0`: the arrival's epoch second, a dot and a counter of
        /// the ids already given in that second.
        case asterisk
        /// Numbers 65,536 apart (row i gets (i + 1) × 65,536): no two ids share a 65,536-id page.
        case sparse
    }

    /// How instants are written.
    public enum Timestamps: String, CaseIterable, Sendable {
        /// `2019-04-01T08:15:02+01:00`: local time with its offset.
        case offset
        /// `2019-04-01 08:15:02`: local wall time with no offset. In the autumn's repeated hour
        /// the wall time alone does not say which of the two instants is meant.
        case naive
        /// `2019-04-01T07:15:02Z`.
        case utc
    }

    /// Which fields are quoted.
    public enum Quoting: String, CaseIterable, Sendable {
        /// Only fields holding a comma, quote or line break.
        case minimal
        /// Every field, header included, an empty one as `""` (as Python's `QUOTE_ALL` and
        /// PowerShell's `Export-Csv` write it).
        case all
    }

    /// What ends a line.
    public enum LineEnding: String, CaseIterable, Sendable {
        case lf, crlf
    }

    public var ids: Ids
    /// The fraction of rows, 0 to 1, that repeat the id of an earlier row (rounded to a whole
    /// number of rows; the first row never does). Each picks one of the distinct ids written
    /// before it, uniformly.
    public var duplicates: Double
    public var timestamps: Timestamps
    public var quoting: Quoting
    public var lineEnding: LineEnding
    /// Free-text columns `extra_1` … `extra_N` after the canonical ones, for the widths of real exports.
    public var fillerColumns: Int
    /// The contacts are split into this many files in time order, each with the header.
    public var files: Int

    /// Today's shape by default: numeric ids, offset timestamps, minimal quoting, LF, one file.
    public init(ids: Ids = .numeric, duplicates: Double = 0, timestamps: Timestamps = .offset, quoting: Quoting = .minimal,
                lineEnding: LineEnding = .lf, fillerColumns: Int = 0, files: Int = 1) {
        self.ids = ids
        self.duplicates = duplicates
        self.timestamps = timestamps
        self.quoting = quoting
        self.lineEnding = lineEnding
        self.fillerColumns = fillerColumns
        self.files = files
    }

    /// How many of `rows` rows repeat an earlier id.
    func duplicateRows(of rows: Int) -> Int {
        guard rows > 1 else { return 0 }
        return min(rows - 1, max(0, Int((duplicates * Double(rows)).rounded())))
    }
}
