import Foundation
import Testing
@testable import ContactMetrics

/// The bytes of `text` with slack after them (the parsers read whole words).
private func paddedBytes(_ text: String) -> [UInt8] { Array(text.utf8) + Array(repeating: 0, count: 16) }

private func fullParse(_ text: String) -> Int64? { fullParse(Array(text.utf8)) }

private func fullParse(_ text: [UInt8]) -> Int64? {
    var parser = TimestampParser(rules: TestSupport.london)
    let bytes = text + Array(repeating: 0, count: 16)
    return bytes.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<text.count]))?.utcSeconds }
}

private func shortcut(_ text: String, reference: String) -> Int64? { shortcut(Array(text.utf8), reference: reference) }

/// The full parse's instant and milliseconds.
private func fullParseExactly(_ text: String) -> (Int64, Int64)? {
    var parser = TimestampParser(rules: TestSupport.london)
    let bytes = paddedBytes(text)
    return bytes.withUnsafeBytes { raw in
        parser.parse(UnsafeRawBufferPointer(rebasing: raw[0..<text.utf8.count])).map { ($0.utcSeconds, $0.milliseconds) }
    }
}

/// The shortcut's instant and milliseconds.
private func shortcutExactly(_ text: String, reference: String) -> (Int64, Int64)? {
    guard let referenceUTC = fullParse(reference) else { return nil }
    let bytes = paddedBytes(text), referenceBytes = paddedBytes(reference)
    return bytes.withUnsafeBytes { raw in
        referenceBytes.withUnsafeBytes { referenceRaw in
            SameDateReference(bytes: UnsafeRawBufferPointer(rebasing: referenceRaw[0..<reference.utf8.count]), utc: referenceUTC)?
                .sharingDate(UnsafeRawBufferPointer(rebasing: raw[0..<text.utf8.count]))
                .map { ($0.utc, $0.milliseconds) }
        }
    }
}

private func shortcut(_ text: [UInt8], reference: String) -> Int64? {
    guard let referenceUTC = fullParse(reference) else { return nil }
    let bytes = text + Array(repeating: 0, count: 16), referenceBytes = paddedBytes(reference)
    return bytes.withUnsafeBytes { raw in
        referenceBytes.withUnsafeBytes { referenceRaw in
            SameDateReference(bytes: UnsafeRawBufferPointer(rebasing: referenceRaw[0..<reference.utf8.count]), utc: referenceUTC)?
                .sharingDate(UnsafeRawBufferPointer(rebasing: raw[0..<text.count]))?.utc
        }
    }
}

@Suite struct SameDateShortcutTests {
    @Test func equalsAFullParseWheneverItAnswers() {
        var random = SplitMix64(seed: 5)
        let offsets = ["Z", "+01:00", "+00:00", "-05:00", "+05:45", "z"]
        var answered = 0
        for _ in 0..<5_000 {
            let day = 17_800 + Int64(random.next() % 900)
            let date = CivilDate(daysSinceEpoch: day).description
            func time() -> String {
                let seconds = Int(random.next() % 86_400)
                return String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            }
            let offset = offsets[Int(random.next() % UInt64(offsets.count))]
            let reference = "\(date)T\(time())\(offset)"
            var candidate = random.next() % 4 == 0 ? "\(CivilDate(daysSinceEpoch: day + 1))T\(time())\(offset)" : "\(date)T\(time())\(offset)"
            if random.next() % 5 == 0 { candidate = candidate.replacingOccurrences(of: offset, with: offsets[Int(random.next() % UInt64(offsets.count))]) }
            if let value = shortcut(candidate, reference: reference) {
                answered += 1
                #expect(value == fullParse(candidate), "\(candidate) after \(reference)")
            }
        }
        #expect(answered > 2_000)
    }

    /// Every byte of the time of day replaced by every other byte value: the shortcut either declines
    /// or agrees with the full parser.
    @Test func everyCorruptedTimeByteDeclinesOrAgrees() {
        let reference = "2019-10-27T13:30:59+01:00"
        for position in 11..<19 {
            for value in 0...255 {
                var bytes = Array("2019-10-27T19:45:09+01:00".utf8)
                bytes[position] = UInt8(value)
                if let instant = shortcut(bytes, reference: reference) {
                    #expect(instant == fullParse(bytes), "byte \(position) = \(value)")
                }
            }
        }
        #expect(shortcut("2019-10-27T23:59:59+01:00", reference: reference) == fullParse("2019-10-27T23:59:59+01:00"))
        #expect(shortcut("2019-10-27T00:00:00+01:00", reference: reference) == fullParse("2019-10-27T00:00:00+01:00"))
    }

    /// The same corruption in the date of both the reference and the candidate (so that they still
    /// share it): whenever the full parser still accepts the reference, the shortcut declines or agrees.
    @Test func everyCorruptedSharedDateByteDeclinesOrAgrees() {
        for position in 0..<11 {
            for value in 0...255 {
                var reference = Array("2019-10-27T13:30:59+01:00".utf8), candidate = Array("2019-10-27T19:45:09+01:00".utf8)
                reference[position] = UInt8(value)
                candidate[position] = UInt8(value)
                guard fullParse(reference) != nil else { continue }
                let referenceText = String(decoding: reference, as: UTF8.self)
                guard referenceText.utf8.count == reference.count else { continue }
                if let instant = shortcut(candidate, reference: referenceText) {
                    #expect(instant == fullParse(candidate), "byte \(position) = \(value)")
                }
            }
        }
    }

    /// Times with a fraction of three digits (`.mmmZ`, `.mmm+01:00`: JavaScript's `toISOString`, Genesys Cloud) take the
    /// shortcut, and the parser's fast tail, with their milliseconds: both agree with the general path (the tail read
    /// one byte at a time), and the shortcut declines every fraction of another length or with a byte not a digit.
    @Test func fractionsOfThreeDigitsEqualAFullParse() {
        var random = SplitMix64(seed: 11)
        let offsets = ["Z", "+01:00", "-05:00", "z", "+05:45"], fractions = [".000", ".999", ".042", ".5", ".12345", ".", ".1a3", ":123", ""]
        var answered = 0
        for _ in 0..<5_000 {
            let date = CivilDate(daysSinceEpoch: 17_800 + Int64(random.next() % 900)).description
            func time() -> String {
                let seconds = Int(random.next() % 86_400)
                return String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            }
            func fraction() -> String { random.next() % 2 == 0 ? String(format: ".%03d", Int(random.next() % 1000)) : fractions[Int(random.next() % UInt64(fractions.count))] }
            let offset = offsets[Int(random.next() % UInt64(offsets.count))]
            let reference = "\(date)T\(time())\(fraction())\(offset)", candidate = "\(date)T\(time())\(fraction())\(offset)"
            // The parser's fast tail against its general path: the same text with a space before the zone goes the general way.
            let spaced = offset.hasPrefix("+") || offset.hasPrefix("-") ? candidate.replacingOccurrences(of: offset, with: " " + offset) : nil
            if let spaced, let general = fullParseExactly(spaced) {
                #expect(fullParseExactly(candidate).map { [$0.0, $0.1] } == [general.0, general.1], "\(candidate)")
            }
            if let value = shortcutExactly(candidate, reference: reference) {
                answered += 1
                let full = fullParseExactly(candidate)
                #expect(full.map { [$0.0, $0.1] } == [value.0, value.1], "\(candidate) after \(reference)")
                let fractionPart = candidate.dropFirst(19).prefix { $0 != "Z" && $0 != "z" && $0 != "+" && $0 != "-" }
                #expect(fractionPart.isEmpty || (fractionPart.count == 4 && fractionPart.dropFirst().allSatisfy(\.isNumber)), "\(candidate)")
            }
        }
        #expect(answered > 1_000)
        #expect(shortcutExactly("2019-10-27T13:45:09.042Z", reference: "2019-10-27T01:30:00.999Z").map { [$0.0, $0.1] }
                == fullParseExactly("2019-10-27T13:45:09.042Z").map { [$0.0, $0.1] })
        #expect(fullParseExactly("2019-10-27T13:45:09.042Z")?.1 == 42 && fullParseExactly("2019-10-27T13:45:09.042+01:00")?.1 == 42)
        #expect(shortcutExactly("2019-10-27T13:45:09.042+00:00", reference: "2019-10-27T01:30:00.999+01:00") == nil)  // other offset
    }

    @Test func declinesWhatItCannotProve() {
        let reference = "2019-10-27T01:30:00+01:00"
        #expect(shortcut("2019-10-27T01:45:00+01:00", reference: reference) == fullParse("2019-10-27T01:45:00+01:00"))
        #expect(shortcut("2019-10-27T01:45:00+00:00", reference: reference) == nil)  // other offset
        #expect(shortcut("2019-10-28T01:45:00+01:00", reference: reference) == nil)  // other date
        #expect(shortcut("2019-10-27T24:00:00+01:00", reference: reference) == nil)  // invalid time
        #expect(shortcut("2019-10-27T01:60:00+01:00", reference: reference) == nil)
        #expect(shortcut("2019-10-27 01:45:00+01:00", reference: reference) == nil)  // other separator
        // Naive times need the zone (the repeated hour), so they never take the shortcut.
        #expect(shortcut("2019-10-27 01:45:00", reference: "2019-10-27 01:30:00") == nil)
        #expect(shortcut("2019-10-27T01:45:00.12345", reference: "2019-10-27T01:30:00.12345") == nil)
    }
}
