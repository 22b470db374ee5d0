/// How `IdLog` and `IdTable` lay out one id occurrence: its `IdCode` (16 bytes) and, with `--dedupe`,
/// its place in input order (8 bytes) and what its row added (`RemovableRow`, 48 bytes), so that the
/// later of two occurrences can be taken out of the figures again. Without `--dedupe` only the number
/// of duplicates is wanted, which the codes alone give.
enum IdRecord {
    static let codeOnlySize = 16
    static let withRowSize = 72
    static let positionOffset = 16
    static let rowOffset = 24

    /// An occurrence's place in input order: its block's sequence number (blocks are numbered in input
    /// order over all files) and its rank among the block's ids.
    @inline(__always)
    static func position(sequence: Int, ordinal: Int) -> UInt64 {
        UInt64(sequence) << 32 | UInt64(UInt32(truncatingIfNeeded: ordinal))
    }

    @inline(__always)
    static func sequence(ofPosition position: UInt64) -> Int { Int(position >> 32) }

    @inline(__always)
    static func code(at record: UnsafeRawPointer) -> IdCode { record.loadUnaligned(as: IdCode.self) }

    @inline(__always)
    static func position(at record: UnsafeRawPointer) -> UInt64 {
        record.loadUnaligned(fromByteOffset: positionOffset, as: UInt64.self)
    }

    @inline(__always)
    static func row(at record: UnsafeRawPointer) -> RemovableRow {
        record.loadUnaligned(fromByteOffset: rowOffset, as: RemovableRow.self)
    }

    @inline(__always)
    static func store(code: IdCode, position: UInt64, row: RemovableRow, size: Int, at record: UnsafeMutableRawPointer) {
        record.storeBytes(of: code, as: IdCode.self)
        if size == withRowSize {
            record.storeBytes(of: position, toByteOffset: positionOffset, as: UInt64.self)
            record.storeBytes(of: row, toByteOffset: rowOffset, as: RemovableRow.self)
        }
    }
}

/// What one accepted row added, packed in 48 bytes with the worker whose label ids it uses: enough to
/// take the row out again (`--dedupe`) after the run.
struct RemovableRow: BitwiseCopyable {
    var period: Int64
    /// When the row was last updated, milliseconds since 1970 (`updated_at`), or `noUpdateTime`: of two rows
    /// with one id, `--dedupe` keeps the later updated, the earlier in input order when they tie.
    var updatedAt: Int64 = RemovableRow.noUpdateTime
    /// Channel (contact) or partner agency (incident) label id.
    var label: Int32
    var category: Int32
    // Waits and handle times are at most `BlockWorker.longestDuration` (longer ones are rejected), or -1.
    var waitSeconds: Int32
    var handleSeconds: Int32
    var wrapUpSeconds: Int32
    var outcome: UInt8
    var deployed: Int8
    var referral: Int8
    var isIncident: Bool
    var waitTimedInMinutes: Bool
    /// A row the date filter skipped, recorded with `--dedupe` only so that a later row repeating its id
    /// is a duplicate, as it is when the filter is applied after the whole input (`report --store
    /// --from`): it added nothing, and if it repeats an earlier id it moves from the date filter's
    /// skipped rows to the duplicates.
    var isOutsideDateRange = false
    var worker: UInt16

    static let none = RemovableRow(period: 0, label: 0, category: 0, waitSeconds: 0, handleSeconds: 0, wrapUpSeconds: 0, outcome: 0, deployed: 0,
                                   referral: 0, isIncident: false, waitTimedInMinutes: false, worker: 0)

    /// No `updated_at`: the earliest of all times, so that any row with one is later.
    static let noUpdateTime = Int64.min

    /// A row the date filter skipped (see `isOutsideDateRange`).
    static func outsideDateRange(isIncident: Bool, worker: Int, updatedAt: Int64 = noUpdateTime) -> RemovableRow {
        RemovableRow(period: 0, updatedAt: updatedAt, label: 0, category: 0, waitSeconds: -1, handleSeconds: -1, wrapUpSeconds: -1, outcome: 0,
                     deployed: -1, referral: -1, isIncident: isIncident, waitTimedInMinutes: false, isOutsideDateRange: true,
                     worker: UInt16(truncatingIfNeeded: worker))
    }

    /// Whether this occurrence (at `position`) is kept rather than `other` (at `otherPosition`): the later
    /// updated, else the earlier in input order (DESIGN §5: the first occurrence is kept).
    @inline(__always)
    func precedes(_ other: RemovableRow, position: UInt64, otherPosition: UInt64) -> Bool {
        updatedAt != other.updatedAt ? updatedAt > other.updatedAt : position < otherPosition
    }
}

// In an extension, so that the memberwise initialiser above stays synthesised.
extension RemovableRow {
    @inline(__always)
    init(_ row: ContactContribution, worker: Int, updatedAt: Int64 = RemovableRow.noUpdateTime) {
        self.init(period: row.period, updatedAt: updatedAt, label: row.channel, category: row.category,
                  waitSeconds: Int32(truncatingIfNeeded: row.waitSeconds), handleSeconds: Int32(truncatingIfNeeded: row.handleSeconds),
                  wrapUpSeconds: Int32(truncatingIfNeeded: row.wrapUpSeconds), outcome: row.outcome.rawValue, deployed: 0, referral: 0, isIncident: false,
                  waitTimedInMinutes: row.waitTimedInMinutes, worker: UInt16(truncatingIfNeeded: worker))
    }

    @inline(__always)
    init(_ row: IncidentContribution, worker: Int) {
        self.init(period: row.period, label: row.agency, category: -1, waitSeconds: -1, handleSeconds: -1, wrapUpSeconds: -1, outcome: 0,
                  deployed: row.deployed, referral: row.referral, isIncident: true, waitTimedInMinutes: false, worker: UInt16(truncatingIfNeeded: worker))
    }

    var contact: ContactContribution {
        ContactContribution(period: period, channel: label, outcome: ContactContribution.Outcome(rawValue: outcome) ?? .other,
                            waitSeconds: Int64(waitSeconds), handleSeconds: Int64(handleSeconds), category: category,
                            wrapUpSeconds: Int64(wrapUpSeconds), waitTimedInMinutes: waitTimedInMinutes)
    }

    var incident: IncidentContribution {
        IncidentContribution(period: period, deployed: deployed, referral: referral, agency: label)
    }
}
