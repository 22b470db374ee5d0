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
        let writer = SpillWriter(scratch: scratch)
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

/// Encodes cells into pieces of about 1 MiB appended to the scratch file. Each record is measured
/// first and written with stores and copies into one buffer (appending to a `[UInt8]` field by field
/// cost 2,000 instructions a cell, most of them in `append(contentsOf:)`).
private final class SpillWriter {
    static let pieceSize = 1 << 20
    let scratch: ScratchFile
    private var buffer: UnsafeMutableRawPointer
    private var capacity = SpillWriter.pieceSize + 4096
    private var count = 0

    init(scratch: ScratchFile) {
        self.scratch = scratch
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    func append(_ key: CellKey, _ cell: ContactCell, to run: inout SpilledRun) throws(InputError) {
        var size = 4 + 8 + 4 + key.channel.utf8.count + SpillRecord.countersSize
            + 4 + cell.answerWaits.bytes.count + 4 + cell.abandonWaits.bytes.count + 4
        for (label, _) in cell.categories { size += 4 + label.utf8.count + 8 }
        reserve(size)
        let start = count
        put(UInt32(size - 4))  // the record's length after this field
        put(UInt64(bitPattern: key.period))
        put(text: key.channel)
        withUnsafeBytes(of: cell.counters) { put(raw: $0) }
        cell.answerWaits.bytes.withUnsafeBytes { put(UInt32($0.count)); put(raw: $0) }
        cell.abandonWaits.bytes.withUnsafeBytes { put(UInt32($0.count)); put(raw: $0) }
        put(UInt32(cell.categories.count))
        for (label, count) in cell.categories {
            put(text: label)
            put(UInt64(bitPattern: count))
        }
        precondition(count - start == size, "a spilled cell's record as measured")
        run.cellCount += 1
        if count >= Self.pieceSize { try flush(to: &run) }
    }

    func flush(to run: inout SpilledRun) throws(InputError) {
        guard count > 0 else { return }
        let offset = try scratch.append(UnsafeRawBufferPointer(start: buffer, count: count))
        run.pieces.append((offset, count))
        count = 0
    }

    /// Room for `extra` more bytes (a record larger than a piece grows the buffer).
    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        capacity = max(capacity * 2, count + extra)
        let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        larger.copyMemory(from: buffer, byteCount: count)
        buffer.deallocate()
        buffer = larger
    }

    private func put(_ value: UInt32) {
        buffer.storeBytes(of: value.littleEndian, toByteOffset: count, as: UInt32.self)
        count += 4
    }

    private func put(_ value: UInt64) {
        buffer.storeBytes(of: value.littleEndian, toByteOffset: count, as: UInt64.self)
        count += 8
    }

    private func put(raw bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress { (buffer + count).copyMemory(from: base, byteCount: bytes.count) }
        count += bytes.count
    }

    /// `u32 n` and the text's `n` UTF-8 bytes.
    private func put(text: String) {
        var text = text
        text.withUTF8 { utf8 in
            put(UInt32(utf8.count))
            put(raw: UnsafeRawBufferPointer(utf8))
        }
    }
}
