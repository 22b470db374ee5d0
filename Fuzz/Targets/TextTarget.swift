import Foundation

/// Text in other encodings and bytes that are not UTF-8: `TranscodingStream` gives what Swift's own
/// decoders give (whatever sizes the reads come in), `UTF8Check` finds an invalid byte exactly when
/// Swift's validating decoder refuses the bytes, and neither the date-order judge nor the duration
/// reader crashes or answers out of bounds on any bytes.
enum TextTarget {
    /// Gives the input a few bytes at a time, as sizes taken from the input dictate.
    final class ChoppedStream: ByteStream {
        let bytes: [UInt8]
        var offset = 0
        var step: Int
        init(_ bytes: [UInt8], step: Int) { self.bytes = bytes; self.step = step }
        func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws(InputError) -> Int {
            let count = min(capacity, bytes.count - offset, 1 + (offset * 7 + step) % 13)
            for index in 0..<count { buffer.storeBytes(of: bytes[offset + index], toByteOffset: index, as: UInt8.self) }
            offset += count
            return count
        }
        func close() {}
    }

    static func run(_ input: UnsafeRawBufferPointer) {
        var input = input
        let step = FuzzSupport.choice(&input, 13)
        let capacity = [1, 3, 4, 5, 16, 4096][FuzzSupport.choice(&input, 6)]
        let bytes = Array(input)

        for encoding in [TextEncoding.utf16LittleEndian, .utf16BigEndian, .latin1, .windows1252] {
            let stream = TranscodingStream(source: ChoppedStream(bytes, step: step), encoding: encoding)
            var output: [UInt8] = []
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
            while let count = try? stream.read(into: buffer, capacity: capacity), count > 0 {
                output += UnsafeRawBufferPointer(start: buffer, count: count)
            }
            buffer.deallocate()
            fuzzCheck(output == expected(bytes, encoding), "\(encoding) transcoding differs from Swift's decoder")
        }

        let valid = String(validating: bytes, as: UTF8.self) != nil
        let firstInvalid = bytes.withUnsafeBufferPointer { UTF8Check.firstInvalid($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, from: 0, to: bytes.count) }
        fuzzCheck((firstInvalid == nil) == valid, "UTF8Check says \(String(describing: firstInvalid)), Swift says valid: \(valid)")

        var judgement = DayMonthDates.Judgement.none
        DayMonthDates.judge(input, path: "f", into: &judgement)
        if case .proven(let order, let example, _) = judgement {
            let readings = Array(example.utf8).withUnsafeBytes { DayMonthDates.readings($0) }
            fuzzCheck(readings != nil && (order == .dayFirst ? readings!.dayFirst && !readings!.monthFirst : readings!.monthFirst && !readings!.dayFirst),
                      "a proof that does not read one way only: \(example)")
        }
        for unit in DurationUnit.allCases {
            if let milliseconds = MappedFields.durationMilliseconds(input, unit) {
                fuzzCheck(milliseconds >= 0 && milliseconds <= 366 * 86_400 * 1_000, "a duration out of bounds: \(milliseconds)")
            }
        }
    }

    static func expected(_ bytes: [UInt8], _ encoding: TextEncoding) -> [UInt8] {
        switch encoding {
        case .utf16LittleEndian, .utf16BigEndian:
            var units: [UInt16] = []
            for index in stride(from: 0, to: bytes.count - 1, by: 2) {
                let first = UInt16(bytes[index]), second = UInt16(bytes[index + 1])
                units.append(encoding == .utf16BigEndian ? first << 8 | second : second << 8 | first)
            }
            return Array(String(decoding: units, as: UTF16.self).utf8) + (bytes.count % 2 == 1 ? [0xEF, 0xBF, 0xBD] : [])
        case .latin1:
            return Array(String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })).utf8)
        case .windows1252:
            return Array(String(String.UnicodeScalarView(bytes.map { byte in
                byte >= 0x80 && byte < 0xA0 ? Unicode.Scalar(TranscodingStream.windows1252High[Int(byte) - 0x80])! : Unicode.Scalar(byte)
            })).utf8)
        case .utf8:
            return bytes
        }
    }
}
