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
    let blockSize: Int
    let blockCount: Int
    /// The sequence number (see `OrderedCollector`) of the first range.
    let firstSequence: Int
    /// The fingerprint of the bytes before `dataStart`, when the run fingerprints its inputs.
    let headerFingerprint: ContentFingerprint?
    /// The delimiter when fields may be quoted; nil when every newline ends a record (queue_log,
    /// whitespace-separated text).
    let quotingDelimiter: UInt8?
    let quoteStates: QuoteStateChain
    private let descriptor: Int32
    private let openFiles: DispatchSemaphore

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
                if filled >= 2 && GzipStream.hasMagic([probe.base[0], probe.base[1]]) {
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
        var fingerprint: ContentFingerprint?
        if options.computeContentHash {
            fingerprint = ContentFingerprint()
            fingerprint!.update(probe.base, count: header!.dataStart)
        }
        openFiles.wait()
        return SplitInput(descriptor: descriptor, path: name, fileIndex: fileIndex, size: size, header: header!,
                          blockSize: options.blockSize, firstSequence: firstSequence, headerFingerprint: fingerprint,
                          openFiles: openFiles)
    }

    private init(descriptor: Int32, path: String, fileIndex: Int, size: Int, header: HeaderReader.Header, blockSize: Int,
                 firstSequence: Int, headerFingerprint: ContentFingerprint?, openFiles: DispatchSemaphore) {
        self.descriptor = descriptor
        self.path = path
        self.fileIndex = fileIndex
        self.size = size
        layout = header.layout
        dataStart = header.dataStart
        headerLineCount = header.lineCount
        self.blockSize = blockSize
        blockCount = (size - header.dataStart + blockSize - 1) / blockSize
        self.firstSequence = firstSequence
        self.headerFingerprint = headerFingerprint
        quotingDelimiter = header.layout.quotingDelimiter
        quoteStates = QuoteStateChain(rangeCount: blockCount)
        self.openFiles = openFiles
    }

    deinit {
        Glibc.close(descriptor)
        openFiles.signal()
    }

    /// The bytes of range `index` (the last one may be shorter).
    func nominalRange(_ index: Int) -> Range<Int> {
        let start = dataStart + index * blockSize
        return start..<min(size, start + blockSize)
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
                throw .readFailed(path: path, reason: "the file became shorter while it was read")
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
