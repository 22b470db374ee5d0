import Foundation

/// The timestamp parser in each date order: an accepted timestamp is within years 0001–9999, parsing
/// is repeatable, and the same-date shortcut agrees with a full parse wherever it answers.
enum TimestampTarget {
    static func run(_ input: UnsafeRawBufferPointer) {
        guard let split = input.firstIndex(of: ASCII.newline) else { return check(input, reference: nil) }
        check(UnsafeRawBufferPointer(rebasing: input[(split + 1)...]), reference: UnsafeRawBufferPointer(rebasing: input[..<split]))
    }

    static func check(_ text: UnsafeRawBufferPointer, reference: UnsafeRawBufferPointer?) {
        let buffer = fuzzBuffer(text), referenceBuffer = fuzzBuffer(reference ?? UnsafeRawBufferPointer(start: nil, count: 0))
        let bytes = UnsafeRawBufferPointer(start: buffer.base, count: text.count)
        let referenceBytes = UnsafeRawBufferPointer(start: referenceBuffer.base, count: reference?.count ?? 0)
        for order in [DateOrder.yearFirst, .dayFirst, .monthFirst] {
            var parser = TimestampParser(rules: FuzzSupport.london, dateOrder: order)
            let first = parser.parse(bytes)
            if let first {
                fuzzCheck(first.utcSeconds >= TimestampParser.earliestUTC && first.utcSeconds <= TimestampParser.latestUTC, "out of range")
            }
            var fresh = TimestampParser(rules: FuzzSupport.london, dateOrder: order)
            fuzzCheck(fresh.parse(bytes)?.utcSeconds == first?.utcSeconds, "parsing depends on the parser's cache")
            if let referenceUTC = parser.parse(referenceBytes)?.utcSeconds,
               let shared = SameDateReference(bytes: referenceBytes, utc: referenceUTC)?.sharingDate(bytes) {
                fuzzCheck(shared.utc == first?.utcSeconds, "the same-date shortcut gives \(shared.utc), a full parse \(String(describing: first))")
            }
        }
    }
}
