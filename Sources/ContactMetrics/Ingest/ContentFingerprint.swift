import CZlib

/// A streaming fingerprint of a source's bytes (CRC-32 and Adler-32 from the system zlib, plus the
/// length): the store's test for "identical content". Not cryptographic; it only has to tell a
/// corrected re-export from the same file ingested again.
struct ContentFingerprint {
    private var crc: UInt = crc32(0, nil, 0)
    private var adler: UInt = adler32(0, nil, 0)
    private(set) var byteCount: Int64 = 0

    mutating func update(_ bytes: UnsafePointer<UInt8>, count: Int) {
        var offset = 0
        while offset < count {
            let chunk = UInt32(min(count - offset, 1 << 30))
            crc = crc32(crc, bytes + offset, chunk)
            adler = adler32(adler, bytes + offset, chunk)
            offset += Int(chunk)
        }
        byteCount += Int64(count)
    }

    /// Appends the fingerprint of the bytes that follow (zlib's `crc32_combine` and
    /// `adler32_combine`): workers that read a file in ranges fingerprint each range on its own.
    mutating func append(_ next: ContentFingerprint) {
        crc = crc32_combine(crc, next.crc, .init(next.byteCount))
        adler = adler32_combine(adler, next.adler, .init(next.byteCount))
        byteCount += next.byteCount
    }

    /// `crc32-adler32-length` in hex.
    var hexDigest: String {
        String(format: "%08x%08x-%llx", UInt32(truncatingIfNeeded: crc), UInt32(truncatingIfNeeded: adler), byteCount)
    }
}

import Foundation
