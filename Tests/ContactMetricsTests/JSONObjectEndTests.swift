import Testing
@testable import ContactMetrics

/// The depth scan that cuts blocks of concatenated objects (64 bytes a step, by masks) finds the ends a
/// byte-at-a-time reading of the same rules finds.
@Suite struct JSONObjectEndTests {
    /// The rules, a byte at a time: strings (with escapes) skipped, `{`/`[` open, `}`/`]` close, a closer
    /// at depth 0 ignored.
    private static func reference(_ bytes: [UInt8], last: Bool) -> Int? {
        var depth = 0, inString = false, escaped = false
        var found: Int?
        for (position, byte) in bytes.enumerated() {
            if escaped { escaped = false; continue }
            if inString {
                if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { break }
                depth -= 1
                if depth == 0 {
                    if !last { return position + 1 }
                    found = position + 1
                }
            default: break
            }
        }
        return found
    }

    @Test func findsTheEndsAByteAtATimeReadingFinds() {
        // Mostly plain bytes, with every byte the scan treats specially, and the letters its bracket mask
        // lets through.
        // Backslashes are rare, so that most steps go by their masks.
        let alphabet = Array(#"{}[]""#.utf8) + Array("aY_y\u{7F} \n:,".utf8) + Array(repeating: UInt8(ascii: "x"), count: 12)
        // Every other round, brackets are rare (one byte in 80), so that many steps have none and go by
        // their count of quotes alone.
        let sparse = [UInt8(ascii: "\"")] + Array("aY_y\u{7F} \n:,".utf8) + Array(repeating: UInt8(ascii: "x"), count: 12)
        var random = SplitMix64(seed: 64)
        for round in 0..<4000 {
            let count = Int(random.next() % 400)
            var bytes = (0..<count).map { _ in
                if random.next() % 300 == 0 { return UInt8(ascii: "\\") }
                if round % 2 == 0 { return alphabet[Int(random.next() % UInt64(alphabet.count))] }
                if random.next() % 80 == 0 { return Array(#"{}[]"#.utf8)[Int(random.next() % 4)] }
                return sparse[Int(random.next() % UInt64(sparse.count))]
            }
            if round % 3 == 0 {
                // A run of one or two backslashes around a step's end, then a quote: an escape carried into the
                // next step (a reviewer's check found that random bytes alone seldom reach it).
                let offset = 62 + round % 4, run = 1 + round % 2
                for step in stride(from: offset, to: count - run, by: 64) {
                    for position in step..<step + run { bytes[position] = UInt8(ascii: "\\") }
                    bytes[step + run] = UInt8(ascii: "\"")
                }
            }
            let first = bytes.withUnsafeBufferPointer { JSONRecordScanner.firstObjectEnd(in: $0.baseAddress!, count: count) }
            let last = bytes.withUnsafeBufferPointer { JSONRecordScanner.lastObjectEnd(in: $0.baseAddress!, count: count) }
            #expect(first == Self.reference(bytes, last: false) && last == Self.reference(bytes, last: true), "\(String(decoding: bytes, as: UTF8.self))")
            if first != Self.reference(bytes, last: false) || last != Self.reference(bytes, last: true) { return }
        }
    }

    @Test func stringsSpanningStepsHideTheirBrackets() {
        // A string opened in one step and closed three steps later, brackets throughout.
        let text = #"{"a":""# + String(repeating: "}]{[", count: 50) + #""}"# + #"{"b":1}"#
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer { JSONRecordScanner.firstObjectEnd(in: $0.baseAddress!, count: bytes.count) } == bytes.count - 7)
        #expect(bytes.withUnsafeBufferPointer { JSONRecordScanner.lastObjectEnd(in: $0.baseAddress!, count: bytes.count) } == bytes.count)
    }
}
