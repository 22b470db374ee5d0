import CZlib

/// Writes an output through the system zlib's gzip compression (level 9), or as is; for `generate`.
public final class GzipOutputWriter {
    private let output: OutputWriter
    private var zstream = z_stream()
    private let compress: Bool
    private var compressed = [UInt8](repeating: 0, count: 1 << 18)

    public var path: String { output.target.displayPath }

    /// Checks `path` as an output (`OutputTarget`) and opens it.
    public init(path: String, gzip: Bool) throws(OutputError) {
        output = try OutputWriter(OutputTarget(path: path))
        compress = gzip
        if gzip {
            // windowBits 15 + 16: a gzip wrapper; memLevel 9.
            let status = deflateInit2_(&zstream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else { throw OutputError(path: path, reason: "cannot start gzip compression (zlib error \(status))") }
        }
    }

    deinit {
        if compress { deflateEnd(&zstream) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        guard compress else { return try output.write(bytes) }
        try deflateChunk(bytes, flush: Z_NO_FLUSH)
    }

    private func deflateChunk(_ bytes: UnsafeRawBufferPointer, flush: Int32) throws(OutputError) {
        zstream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: Bytef.self))
        zstream.avail_in = UInt32(bytes.count)
        var status: Int32 = Z_OK
        repeat {
            let produced: Int = compressed.withUnsafeMutableBytes { buffer in
                zstream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                zstream.avail_out = UInt32(buffer.count)
                status = deflate(&zstream, flush)
                return buffer.count - Int(zstream.avail_out)
            }
            if produced > 0 {
                var failure: OutputError?
                compressed.withUnsafeBytes { buffer in
                    do throws(OutputError) { try output.write(UnsafeRawBufferPointer(rebasing: buffer[0..<produced])) } catch { failure = error }
                }
                if let failure { throw failure }
            }
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw OutputError(path: path, reason: "gzip compression failed (zlib error \(status))")
            }
        } while zstream.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END)
    }

    /// Finishes the gzip stream and puts the file in place (`OutputWriter.commit`).
    public func close() throws(OutputError) {
        if compress { try deflateChunk(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH) }
        try output.commit()
    }
}
