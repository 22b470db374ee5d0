import CZlib
import Foundation

/// Writes a file, gzip-compressed (level 9) through the system zlib when asked, else as is.
public final class OutputFile {
    private let handle: FileHandle
    private var zstream = z_stream()
    private let compress: Bool
    private var output = [UInt8](repeating: 0, count: 1 << 18)
    public let path: String

    /// Creates (or truncates) `path`.
    public init(path: String, gzip: Bool) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw InputError.cannotOpen(path: path, reason: "cannot create the file")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        compress = gzip
        if gzip {
            // windowBits 15 + 16: a gzip wrapper; memLevel 9.
            let status = deflateInit2_(&zstream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else { throw InputError.readFailed(path: path, reason: "cannot start gzip compression (zlib error \(status))") }
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard compress else {
            handle.write(Data(bytes))
            return
        }
        try deflateChunk(bytes, flush: Z_NO_FLUSH)
    }

    private func deflateChunk(_ bytes: UnsafeRawBufferPointer, flush: Int32) throws {
        zstream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: Bytef.self))
        zstream.avail_in = UInt32(bytes.count)
        var status: Int32 = Z_OK
        repeat {
            let produced: Int = output.withUnsafeMutableBytes { buffer in
                zstream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                zstream.avail_out = UInt32(buffer.count)
                status = deflate(&zstream, flush)
                return buffer.count - Int(zstream.avail_out)
            }
            if produced > 0 { handle.write(Data(output[0..<produced])) }
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw InputError.readFailed(path: path, reason: "gzip compression failed (zlib error \(status))")
            }
        } while zstream.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END)
    }

    /// Finishes the gzip stream and closes the file.
    public func close() throws {
        if compress {
            try deflateChunk(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH)
            deflateEnd(&zstream)
        }
        try handle.close()
    }
}
