/// A stream that reads another in UTF-16 (either byte order), Latin-1 or Windows-1252 and gives UTF-8,
/// as it is read. Code units that are not characters (a lone surrogate, an odd last byte) become U+FFFD.
///
/// Measured: runs of ASCII take a fast path, sixteen characters at a time (most of a contact log).
final class TranscodingStream: ByteStream {
    private let source: ByteStream
    private let encoding: TextEncoding
    private let input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 256 << 10
    private var start = 0
    private var end = 0
    private var sourceEnded = false
    /// Code units that were not characters (written as U+FFFD): a lone surrogate, an odd last byte.
    private(set) var faults = 0
    /// For Latin-1 and Windows-1252: runs of bytes that are valid UTF-8 sequences, and bytes above 0x7F
    /// that are not part of one. Only the first: the file is probably UTF-8 read with the wrong option.
    private(set) var utf8Sequences = 0
    private(set) var otherHighBytes = 0
    /// For Latin-1: bytes 0x80–0x9F, control characters in Latin-1 that Windows-1252 reads as `€`, `’`, `“`…
    /// (a Windows file read as Latin-1 has them; a Latin-1 text has none).
    private(set) var controlBytes = 0
    private var continuationsToCome = 0

    init(source: ByteStream, encoding: TextEncoding) {
        precondition(encoding != .utf8)
        self.source = source
        self.encoding = encoding
        input = .allocate(capacity: inputCapacity)
    }

    deinit { input.deallocate() }

    func close() { source.close() }

    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws(InputError) -> Int {
        guard capacity >= 4 else { return try readSmall(into: buffer, capacity: capacity) }
        let output = buffer.assumingMemoryBound(to: UInt8.self)
        while true {
            if end - start < 8 && !sourceEnded { try refill() }
            if start == end { return 0 }
            let written: Int
            switch encoding {
            case .utf16LittleEndian: written = convertUTF16(into: output, capacity: capacity, bigEndian: false)
            case .utf16BigEndian: written = convertUTF16(into: output, capacity: capacity, bigEndian: true)
            case .latin1: written = convertSingleByte(into: output, capacity: capacity, table: nil)
            case .windows1252: written = convertSingleByte(into: output, capacity: capacity, table: Self.windows1252High)
            case .utf8: preconditionFailure()
            }
            if written > 0 { return written }
            if sourceEnded {
                // An odd byte at the very end of UTF-16 text.
                start = end
                faults += 1
                return Self.put(0xFFFD, output, 0)
            }
            try refill()
        }
    }

    /// Callers read in blocks; a tiny buffer goes through a small one, a character at a time.
    private var pending: [UInt8] = []
    private func readSmall(into buffer: UnsafeMutableRawPointer, capacity: Int) throws(InputError) -> Int {
        if pending.isEmpty {
            let four = UnsafeMutablePointer<UInt8>.allocate(capacity: 4)
            defer { four.deallocate() }
            let count = try read(into: four, capacity: 4)
            pending = Array(UnsafeBufferPointer(start: four, count: count))
        }
        let count = min(capacity, pending.count)
        for index in 0..<count { buffer.storeBytes(of: pending[index], toByteOffset: index, as: UInt8.self) }
        pending.removeFirst(count)
        return count
    }

    private func refill() throws(InputError) {
        if start > 0 {
            let remaining = end - start
            if remaining > 0 { (input).update(from: input + start, count: remaining) }
            start = 0
            end = remaining
        }
        while end < inputCapacity {
            let count = try source.read(into: input + end, capacity: inputCapacity - end)
            if count == 0 {
                sourceEnded = true
                return
            }
            end += count
            if end - start >= 8 { return }
        }
    }

    /// Writes code point `scalar` as UTF-8 at `output[at...]` (room for four bytes); returns the bytes written.
    @inline(__always)
    private static func put(_ scalar: UInt32, _ output: UnsafeMutablePointer<UInt8>, _ at: Int) -> Int {
        if scalar < 0x80 {
            output[at] = UInt8(scalar)
            return 1
        }
        if scalar < 0x800 {
            output[at] = UInt8(0xC0 | scalar >> 6)
            output[at + 1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        }
        if scalar < 0x10000 {
            output[at] = UInt8(0xE0 | scalar >> 12)
            output[at + 1] = UInt8(0x80 | (scalar >> 6) & 0x3F)
            output[at + 2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        }
        output[at] = UInt8(0xF0 | scalar >> 18)
        output[at + 1] = UInt8(0x80 | (scalar >> 12) & 0x3F)
        output[at + 2] = UInt8(0x80 | (scalar >> 6) & 0x3F)
        output[at + 3] = UInt8(0x80 | scalar & 0x3F)
        return 4
    }

    private func convertUTF16(into output: UnsafeMutablePointer<UInt8>, capacity: Int, bigEndian: Bool) -> Int {
        var written = 0
        var index = start
        // Four ASCII characters are four zero high bytes: mask 0xFF80 on each little-endian unit.
        let asciiMask: UInt64 = bigEndian ? 0x80FF_80FF_80FF_80FF : 0xFF80_FF80_FF80_FF80
        let shift: UInt64 = bigEndian ? 8 : 0
        while index + 2 <= end && written + 4 <= capacity {
            // Sixteen ASCII characters at a time: tested as four words, narrowed by one SIMD truncation.
            // Measured: testing them as a SIMD16 (`units & mask == zero`) compiled to a loop over the
            // lanes, 33 instructions a step; the transcoder then cost 19.5% more instructions than
            // reading the same text in UTF-8.
            while index + 32 <= end && written + 16 <= capacity {
                let raw = UnsafeRawPointer(input + index)
                let words = raw.loadUnaligned(as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                guard UInt64(littleEndian: words) & asciiMask == 0 else { break }
                let units = raw.loadUnaligned(as: SIMD16<UInt16>.self)
                let bytes = SIMD16<UInt8>(truncatingIfNeeded: bigEndian ? units &>> 8 : units)
                UnsafeMutableRawPointer(output + written).storeBytes(of: bytes, as: SIMD16<UInt8>.self)
                written += 16
                index += 32
            }
            guard index + 2 <= end && written + 4 <= capacity else { break }
            if index + 16 <= end && written + 8 <= capacity {
                let first = UInt64(littleEndian: UnsafeRawPointer(input + index).loadUnaligned(as: UInt64.self))
                let second = UInt64(littleEndian: UnsafeRawPointer(input + index + 8).loadUnaligned(as: UInt64.self))
                if (first | second) & asciiMask == 0 {
                    let packed = Self.packASCII(first >> shift) | Self.packASCII(second >> shift) << 32
                    UnsafeMutableRawPointer(output + written).storeBytes(of: packed.littleEndian, as: UInt64.self)
                    written += 8
                    index += 16
                    continue
                }
            }
            let unit = unit16(at: index, bigEndian: bigEndian)
            if unit & 0xF800 != 0xD800 {
                written += Self.put(unit, output, written)
                index += 2
            } else if unit < 0xDC00 {
                // A high surrogate: its low half may be in the next read.
                if index + 4 > end {
                    if !sourceEnded { break }
                    written += Self.put(0xFFFD, output, written)
                    faults += 1
                    index += 2
                    continue
                }
                let low = unit16(at: index + 2, bigEndian: bigEndian)
                if low & 0xFC00 == 0xDC00 {
                    written += Self.put(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), output, written)
                    index += 4
                } else {
                    written += Self.put(0xFFFD, output, written)
                    faults += 1
                    index += 2
                }
            } else {
                written += Self.put(0xFFFD, output, written)  // a low surrogate alone
                faults += 1
                index += 2
            }
        }
        start = index
        return written
    }

    /// The low bytes of the four 16-bit lanes of `word` (each below 0x100), packed into its low 32 bits.
    @inline(__always)
    private static func packASCII(_ word: UInt64) -> UInt64 {
        let pairs = (word | word >> 8) & 0x0000_FFFF_0000_FFFF
        return (pairs | pairs >> 16) & 0xFFFF_FFFF
    }

    @inline(__always)
    private func unit16(at index: Int, bigEndian: Bool) -> UInt32 {
        bigEndian ? UInt32(input[index]) << 8 | UInt32(input[index + 1]) : UInt32(input[index + 1]) << 8 | UInt32(input[index])
    }

    private func convertSingleByte(into output: UnsafeMutablePointer<UInt8>, capacity: Int, table: [UInt16]?) -> Int {
        var written = 0
        var index = start
        while index < end && written + 4 <= capacity {
            if index + 8 <= end && written + 8 <= capacity {
                let word = UnsafeRawPointer(input + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    UnsafeMutableRawPointer(output + written).storeBytes(of: word, as: UInt64.self)
                    written += 8
                    index += 8
                    continue
                }
            }
            let byte = input[index]
            if byte >= 0x80 {
                noteHighByte(at: index)
                if table == nil && byte < 0xA0 { controlBytes += 1 }
            }
            var scalar = UInt32(byte)
            if let table, byte >= 0x80 && byte < 0xA0 { scalar = UInt32(table[Int(byte) - 0x80]) }
            written += Self.put(scalar, output, written)
            index += 1
        }
        start = index
        return written
    }

    /// Tells UTF-8 sequences from other bytes above 0x7F (a sequence cut by the buffer's end counts as other).
    private func noteHighByte(at index: Int) {
        if continuationsToCome > 0 {
            continuationsToCome -= 1
        } else if let length = UTF8Check.sequenceLength(UnsafePointer(input), at: index, end: end) {
            utf8Sequences += 1
            continuationsToCome = length - 1
        } else {
            otherHighBytes += 1
        }
    }

    /// What the reader should hear about the text, once it is read: nil when nothing.
    func warning(path: String) -> String? {
        if faults > 0 {
            return "\(path): \(faults) \(faults == 1 ? "code unit that is" : "code units that are") not UTF-16 text (a lone surrogate or an odd last byte), read as U+FFFD"
        }
        if utf8Sequences > 0 && otherHighBytes == 0 {
            return "\(path): read as \(encoding.rawValue), but every byte above 0x7F is part of a UTF-8 character (\(utf8Sequences) of them): "
                + "the file is probably UTF-8, and its labels are read wrongly (é as Ã©); leave out --encoding (or the config's encoding)"
        }
        if controlBytes > 0 {
            return "\(path): read as latin1, but \(controlBytes) \(controlBytes == 1 ? "byte is" : "bytes are") in 0x80–0x9F, control characters in Latin-1 "
                + "that Windows-1252 reads as €, ’, “ and the like: the file is probably Windows-1252; give --encoding windows-1252"
        }
        return nil
    }

    /// Windows-1252 for 0x80–0x9F (WHATWG's table: the five unassigned bytes keep their C1 code points).
    static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
