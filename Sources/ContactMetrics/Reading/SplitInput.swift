import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// An uncompressed regular file that the workers read themselves, one range of `blockSize` bytes
/// each (`RangeReader`), instead of a reader thread streaming it to them: then `--threads N` means N
/// busy threads, and each block is parsed on the core whose cache it was read into.
///
/// The header is read here, on the caller's thread, before any range is handed out.
final class SplitInput: @unchecked Sendable {
    let path: String
    let fileIndex: Int
    let size: Int
    let layout: InputLayout
    /// Offset of the first data byte (after a BOM and the header).
    let dataStart: Int
    let headerLineCount: Int
    /// The length of a range: the run's block size, or more for a file that would otherwise have more
    /// than `maximumRangeCount` ranges.
    let blockSize: Int
    let blockCount: Int
    /// Ranges are aligned to multiples of `blockSize` from the start of the file (so that, at the
    /// default size, a range is exactly one fingerprint piece); this is the number of the first.
    private let firstRangeNumber: Int
    /// The sequence number (see `OrderedCollector`) of the first range.
    let firstSequence: Int
    /// The run fingerprints its inputs (`IngestOptions.computeContentHash`).
    let fingerprints: Bool
    /// Fingerprint pieces of a file with no data after its header (no range to hash them).
    let headerPieces: [ContentPiece]
    /// The delimiter when fields may be quoted; nil when every newline ends a record (queue_log,
    /// whitespace-separated text).
    let quotingDelimiter: UInt8?
    let quoteStates: QuoteStateChain
    private let descriptor: Int32
    private let openFiles: DispatchSemaphore
    /// Ranges of at least this many bytes are mapped, not copied, where they can be (`IngestOptions.mapsFiles`,
    /// `smallestMappedRange`); nil: none are.
    let smallestMappedRange: Int?

    /// Opens `name` for range reading, or returns nil when it has to be streamed: standard input, a
    /// pipe or device, or gzip data.
    /// - Parameter openFiles: taken while the file is open (bounds the descriptors a run holds).
    /// - Throws: `InputError` for a file that cannot be opened or read, or whose header is unusable.
    static func open(name: String, fileIndex: Int, firstSequence: Int, options: IngestOptions,
                     openFiles: DispatchSemaphore) throws(InputError) -> SplitInput? {
        // Checked before opening: opening a named pipe would wait for a writer (and take its data).
        guard InputOpener.isRegularFile(name) else { return nil }
        let descriptor = Glibc.open(name, O_RDONLY | O_CLOEXEC)
        var status = stat()
        guard descriptor >= 0 else { throw .cannotOpen(path: name, reason: String(cString: strerror(errno))) }
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            Glibc.close(descriptor)
            return nil  // the streaming reader gives directories and devices their own messages
        }
        let size = Int(status.st_size)
        let probe = BlockBuffer(capacity: min(size, 64 << 10))
        var filled = 0
        var header: HeaderReader.Header?
        do {
            while true {
                let count = min(size, max(probe.capacity, filled * 2)) - filled
                probe.grow(to: filled + count, keeping: filled)
                try pread(descriptor, into: probe.base + filled, offset: filled, count: count, path: name)
                filled += count
                // Gzip and text to transcode are streamed.
                if options.transcodes || (filled >= 2 && (GzipStream.hasMagic([probe.base[0], probe.base[1]])
                                                          || TextEncoding.byteOrderMark([probe.base[0], probe.base[1]]) != nil)) {
                    Glibc.close(descriptor)
                    return nil
                }
                header = try HeaderReader.read(UnsafePointer(probe.base), filled: filled, atEnd: filled == size, path: name, options: options)
                if header != nil { break }
            }
        } catch {
            Glibc.close(descriptor)
            throw error
        }
        var headerPieces: [ContentPiece] = []
        if options.computeContentHash && header!.dataStart == size {
            headerPieces = Self.pieces(ofFirst: size, at: probe.base)
        }
        openFiles.wait()
        return SplitInput(descriptor: descriptor, path: name, fileIndex: fileIndex, size: size, header: header!,
                          blockSize: options.blockSize, firstSequence: firstSequence, fingerprints: options.computeContentHash,
                          headerPieces: headerPieces, openFiles: openFiles,
                          smallestMappedRange: options.mapsFiles ? options.smallestMappedRange : nil)
    }

    /// A file is read in at most this many ranges (larger ranges for huge files or tiny block sizes),
    /// so the state kept per range stays small.
    static let maximumRangeCount = 1 << 18

    private init(descriptor: Int32, path: String, fileIndex: Int, size: Int, header: HeaderReader.Header, blockSize: Int,
                 firstSequence: Int, fingerprints: Bool, headerPieces: [ContentPiece], openFiles: DispatchSemaphore, smallestMappedRange: Int?) {
        self.descriptor = descriptor
        self.path = path
        self.fileIndex = fileIndex
        self.size = size
        layout = header.layout
        dataStart = header.dataStart
        headerLineCount = header.lineCount
        var rangeSize = max(blockSize, (size + Self.maximumRangeCount - 1) / Self.maximumRangeCount)
        if rangeSize > blockSize && rangeSize > ContentFingerprint.pieceSize {
            rangeSize = (rangeSize + ContentFingerprint.pieceSize - 1) / ContentFingerprint.pieceSize * ContentFingerprint.pieceSize
        }
        self.blockSize = rangeSize
        firstRangeNumber = header.dataStart / rangeSize
        blockCount = size > header.dataStart ? (size - 1) / rangeSize + 1 - firstRangeNumber : 0
        self.firstSequence = firstSequence
        self.fingerprints = fingerprints
        self.headerPieces = headerPieces
        quotingDelimiter = header.layout.quotingDelimiter
        quoteStates = QuoteStateChain(rangeCount: blockCount)
        self.openFiles = openFiles
        self.smallestMappedRange = smallestMappedRange
    }

    deinit {
        Glibc.close(descriptor)
        openFiles.signal()
    }

    /// `count` bytes at `offset` mapped (`FileMapping`), or nil: they are then read with `read`.
    func map(offset: Int, count: Int) -> FileMapping? {
        guard let smallest = smallestMappedRange, count >= smallest else { return nil }
        return FileMapping(descriptor: descriptor, offset: offset, count: count)
    }

    /// Call once every byte read from `mapping` is decoded.
    /// - Throws: `InputError.readFailed` when the file became shorter than `end` (the furthest byte
    ///   read, plus one) before that: the bytes past its new end read as zeros (with no fault within
    ///   the page that holds the new end), so what was decoded from them is not the file.
    func check(_ mapping: FileMapping, readUpTo end: Int) throws(InputError) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .readFailed(path: path, reason: String(cString: strerror(errno))) }
        if Int(status.st_size) < end { throw .readFailed(path: path, reason: Self.shrank) }
        // A fault with the file as long as before: the file system could not give a page (an I/O
        // error, as on a network mount), or the file was cut short and has grown again.
        if mapping.hasShrunk { throw .readFailed(path: path, reason: "some of its pages could not be read (an I/O error, or the file changed)") }
    }

    static let shrank = "the file became shorter while it was read"

    /// The bytes of range `index` (the first and last ones may be shorter).
    func nominalRange(_ index: Int) -> Range<Int> {
        let number = firstRangeNumber + index
        return max(dataStart, number * blockSize)..<min(size, (number + 1) * blockSize)
    }

    /// The fingerprint pieces that start in range `index` (the first range also takes those that start
    /// in the header), hashed from `bytes` (the file's bytes from offset `origin`) where they hold the
    /// whole piece, else read again.
    func pieces(ofRange index: Int, bytes: UnsafePointer<UInt8>, origin: Int, count: Int) throws(InputError) -> [ContentPiece] {
        let nominal = nominalRange(index)
        let pieceSize = ContentFingerprint.pieceSize
        let first = index == 0 ? 0 : (nominal.lowerBound + pieceSize - 1) / pieceSize
        let end = (nominal.upperBound + pieceSize - 1) / pieceSize
        var pieces: [ContentPiece] = []
        var reread: UnsafeMutablePointer<UInt8>?
        defer { reread?.deallocate() }
        for piece in first..<max(first, end) {
            let start = piece * pieceSize, length = min(size, start + pieceSize) - start
            if start >= origin && start + length <= origin + count {
                pieces.append(ContentPiece(index: piece, byteCount: length, digest: SHA256Context.digest(bytes + (start - origin), count: length)))
            } else {
                if reread == nil { reread = .allocate(capacity: pieceSize) }
                try read(into: reread!, offset: start, count: length)
                pieces.append(ContentPiece(index: piece, byteCount: length, digest: SHA256Context.digest(reread!, count: length)))
            }
        }
        return pieces
    }

    /// The pieces of the first `count` bytes of a file, all in memory at `bytes`.
    static func pieces(ofFirst count: Int, at bytes: UnsafePointer<UInt8>) -> [ContentPiece] {
        stride(from: 0, to: max(count, 1), by: ContentFingerprint.pieceSize).enumerated().map { index, start in
            let length = min(count - start, ContentFingerprint.pieceSize)
            return ContentPiece(index: index, byteCount: length, digest: SHA256Context.digest(bytes + start, count: length))
        }
    }

    /// Reads `count` bytes at `offset` into `destination`.
    /// - Throws: `InputError.readFailed`, also when the file has become shorter than when it was opened.
    func read(into destination: UnsafeMutablePointer<UInt8>, offset: Int, count: Int) throws(InputError) {
        try Self.pread(descriptor, into: destination, offset: offset, count: count, path: path)
    }

    private static func pread(_ descriptor: Int32, into destination: UnsafeMutablePointer<UInt8>, offset: Int, count: Int,
                              path: String) throws(InputError) {
        var done = 0
        while done < count {
            let result = Glibc.pread(descriptor, destination + done, count - done, off_t(offset + done))
            if result > 0 {
                done += result
            } else if result == 0 {
                throw .readFailed(path: path, reason: shrank)
            } else if errno != EINTR {
                throw .readFailed(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }
}

/// One range of a `SplitInput`, queued for the workers.
struct RangeJob: Sendable {
    var input: SplitInput
    var index: Int
    var sequence: Int { input.firstSequence + index }
}
