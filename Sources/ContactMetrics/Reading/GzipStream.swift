import CZlib

/// Decompresses gzip (one or more concatenated members) from another stream with the system zlib.
final class GzipStream: ByteStream {
    private var zstream = z_stream()
    private let source: ByteStream
    private let displayName: String
    private let inputBuffer: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 1 << 18
    private var sourceFinished = false
    private var memberFinished = false

    /// gzip's two magic bytes.
    static func hasMagic(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.count >= 2 && bytes[bytes.startIndex] == 0x1f && bytes[bytes.index(after: bytes.startIndex)] == 0x8b
    }

    init(source: ByteStream, displayName: String) throws(InputError) {
        self.source = source
        self.displayName = displayName
        inputBuffer = .allocate(capacity: inputCapacity)
        // 15 + 16: a gzip wrapper, largest window.
        let status = inflateInit2_(&zstream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            inputBuffer.deallocate()
            throw .readFailed(path: displayName, reason: "cannot start gzip decompression (zlib error \(status))")
        }
    }

    deinit {
        inflateEnd(&zstream)
        inputBuffer.deallocate()
    }

    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws(InputError) -> Int {
        zstream.next_out = buffer.assumingMemoryBound(to: Bytef.self)
        zstream.avail_out = UInt32(clamping: capacity)
        while zstream.avail_out > 0 {
            if zstream.avail_in == 0 && !sourceFinished {
                let count = try source.read(into: inputBuffer, capacity: inputCapacity)
                if count == 0 { sourceFinished = true } else {
                    zstream.next_in = inputBuffer
                    zstream.avail_in = UInt32(count)
                }
            }
            if zstream.avail_in == 0 && sourceFinished {
                if !memberFinished {
                    throw .readFailed(path: displayName, reason: "gzip data ends early (truncated file?)")
                }
                break
            }
            if memberFinished {
                if zstream.next_in[0] != 0x1f {  // not another member: padding, or something appended
                    try readTrailingBytes()
                    break
                }
                // Another gzip member follows (as `cat a.gz b.gz` makes).
                inflateReset(&zstream)
                memberFinished = false
            }
            let status = inflate(&zstream, Z_NO_FLUSH)
            switch status {
            case Z_STREAM_END: memberFinished = true
            case Z_OK, Z_BUF_ERROR: break
            default:
                let message = zstream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw .readFailed(path: displayName, reason: "corrupt gzip data: \(message)")
            }
        }
        return capacity - Int(zstream.avail_out)
    }

    /// The bytes after the last member: zeros (a tape's or `dd`'s padding, which gzip also ignores) end
    /// the data; anything else is refused, as what was appended cannot be told from damage.
    private func readTrailingBytes() throws(InputError) {
        var count = 0
        while true {
            let bytes = UnsafeBufferPointer(start: zstream.next_in, count: Int(zstream.avail_in))
            if let index = bytes.firstIndex(where: { $0 != 0 }) {
                throw .readFailed(path: displayName, reason: count + index > 0
                    ? "after the end of its gzip data come zeros and then other bytes, which are not read (a gzip member after padding, "
                        + "something appended to the file, or damage?)"
                    : "after the end of its gzip data come bytes that are not gzip (something appended to the file, or damage?)")
            }
            count += bytes.count
            zstream.avail_in = 0
            if sourceFinished { return }
            let read = try source.read(into: inputBuffer, capacity: inputCapacity)
            if read == 0 { sourceFinished = true; return }
            zstream.next_in = inputBuffer
            zstream.avail_in = UInt32(read)
        }
    }

    func close() { source.close() }
}
