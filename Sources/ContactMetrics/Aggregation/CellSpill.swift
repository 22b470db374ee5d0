/// Where `ingest` keeps the contact cells it has read, so that its memory does not grow with the input.
///
/// At the store's 15-minute grain two years of contacts are about 280,000 cells, and a run of many
/// files holds every file's cells until the one transaction that writes them all. With a spill, a
/// worker whose cells pass `cellsPerWorker` puts them in key order (`SortedCellRun`) and appends them
/// to an unnamed scratch file as one *run*; at the end of each input its last cells go the same way.
/// The store then reads each source's runs back merged in key order (`SpilledContactCells`), a cell at
/// a time. One spill serves a whole command, so a run of hundreds of files opens one scratch file.
public final class CellSpill: Sendable {
    /// Cells a worker holds before it spills them: about 16,384 × 350 bytes (a cell, its key, its
    /// histograms and its place in the worker's tables), 6 MB a worker.
    public static let defaultCellsPerWorker = 16_384

    /// Cells a worker holds before it spills them.
    public let cellsPerWorker: Int
    let scratch: ScratchFile

    /// - Parameter directory: where the scratch file goes (nil: `$TMPDIR`, else `/tmp`).
    public init(cellsPerWorker: Int = CellSpill.defaultCellsPerWorker, directory: String? = nil) {
        self.cellsPerWorker = max(1, cellsPerWorker)
        scratch = ScratchFile(directory: directory ?? ScratchFile.defaultDirectory, contents: "the cells read for the store")
    }

    /// Bytes written to the scratch file so far.
    public var byteCount: Int64 { scratch.size }

    /// Moves every cell of `run` into the scratch file (the run is empty afterwards, its memory freed as
    /// it is passed) and returns where they went.
    func spill(_ run: SortedCellRun) throws(InputError) -> SpilledRun {
        var spilled = SpilledRun()
        var writer = SpillWriter(scratch: scratch)
        var failure: InputError?
        run.takeAll { key, cell in
            guard failure == nil else { return }
            do throws(InputError) {
                try writer.append(key, cell, to: &spilled)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        try writer.flush(to: &spilled)
        return spilled
    }
}

/// One sorted run of cells in the scratch file: its pieces, in order (workers append at once, so a
/// run's bytes need not be contiguous), and how many cells it holds.
struct SpilledRun: Sendable, Equatable {
    var pieces: [(offset: Int64, byteCount: Int)] = []
    var cellCount = 0

    static func == (left: SpilledRun, right: SpilledRun) -> Bool {
        left.cellCount == right.cellCount && left.pieces.elementsEqual(right.pieces) { $0 == $1 }
    }
}

/// A cell's record in a spilled run, all integers little-endian:
/// `u32 record bytes after this field`, `i64 period`, `u32 n` + `n` bytes of channel, the counters'
/// raw bytes (`ContactCounters`: the same process reads them back), `u32 n` + `n` bytes of each of the
/// answer and abandon histograms (their own encoding, `WaitHistogram.bytes`), `u32` category count and
/// per category `u32 n` + `n` bytes of label and `i64` count.
enum SpillRecord {
    static let countersSize = MemoryLayout<ContactCounters>.size
}

/// Encodes cells into pieces of about 1 MiB appended to the scratch file.
private struct SpillWriter {
    static let pieceSize = 1 << 20
    let scratch: ScratchFile
    var bytes: [UInt8] = []

    init(scratch: ScratchFile) {
        self.scratch = scratch
        bytes.reserveCapacity(Self.pieceSize + 4096)
    }

    mutating func append(_ key: CellKey, _ cell: ContactCell, to run: inout SpilledRun) throws(InputError) {
        let start = bytes.count
        bytes.append(contentsOf: [0, 0, 0, 0])  // the record's length, set below
        append(UInt64(bitPattern: key.period))
        append(bytesOf: Array(key.channel.utf8))
        var counters = cell.counters
        withUnsafeBytes(of: &counters) { bytes.append(contentsOf: $0) }
        append(bytesOf: cell.answerWaits.bytes)
        append(bytesOf: cell.abandonWaits.bytes)
        append(UInt32(cell.categories.count))
        for (label, count) in cell.categories {
            append(bytesOf: Array(label.utf8))
            append(UInt64(bitPattern: count))
        }
        let length = UInt32(bytes.count - start - 4)
        withUnsafeBytes(of: length.littleEndian) { for (offset, byte) in $0.enumerated() { bytes[start + offset] = byte } }
        run.cellCount += 1
        if bytes.count >= Self.pieceSize { try flush(to: &run) }
    }

    mutating func flush(to run: inout SpilledRun) throws(InputError) {
        guard !bytes.isEmpty else { return }
        let written = bytes.withUnsafeBytes { buffer in Result { () throws(InputError) -> Int64 in try scratch.append(buffer) } }
        run.pieces.append((try written.get(), bytes.count))
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func append(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func append(bytesOf field: [UInt8]) {
        append(UInt32(field.count))
        bytes.append(contentsOf: field)
    }
}
