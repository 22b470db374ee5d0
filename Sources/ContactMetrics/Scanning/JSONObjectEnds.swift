import Foundation

/// Where JSON objects end, by their depth alone: how the streaming reader cuts blocks of objects
/// written one after another (its reading thread scans every byte of them), and how the scanner
/// recovers from a malformed record; and where range reading guesses they end.
extension JSONRecordScanner {
    /// Where the first top-level object (or array) of `count` bytes ends, one past its closer; nil when
    /// none closes in them.
    static func firstObjectEnd(in base: UnsafePointer<UInt8>, count: Int) -> Int? {
        objectEnd(in: base, count: count, last: false)
    }

    /// The last place in `1..<count` that looks like the space between two objects (see
    /// `firstPlaceBetweenObjects`): where the streaming reader guesses the block's last whole object
    /// ends, when the run can be read again if the guess is wrong. Nil when there is none.
    static func lastPlaceBetweenObjects(in base: UnsafePointer<UInt8>, count: Int) -> Int? {
        var opener = count
        while let found = ByteSearch.last(UInt8(ascii: "{"), in: base, from: 1, to: opener) {
            var before = found - 1
            while before > 0 && found - 1 - before < maximumSpaceBetweenObjects && isSpace(base[before]) { before -= 1 }
            if base[before] == UInt8(ascii: "}") { return before + 1 }
            opener = found
        }
        return nil
    }

    /// The start of the first object in `from..<to` whose depth scan does not close within `limit` bytes
    /// of its start, walking from object end to object end (`RecordBoundary.firstRecord(longerThan:)` for
    /// objects one after another); nil when there is none, or when the data stops before it is known.
    static func firstObject(longerThan limit: Int, in base: UnsafePointer<UInt8>, from: Int, to: Int, atEnd: Bool) -> Int? {
        var start = from
        while start < to {
            guard let end = firstObjectEnd(in: base + start, count: min(to, start + limit) - start) else {
                // No end within `limit` bytes: longer, unless the data stops right there.
                return to > start + limit || (to == start + limit && !atEnd) ? start : nil
            }
            start += end
        }
        return nil
    }

    /// The first place at or after `position` (and before `limit`) that looks like the space between two
    /// objects: right after a `}`, with only space (line ends included, at most
    /// `maximumSpaceBetweenObjects` bytes) before the next `{`. Range reading
    /// guesses that objects written one after another start there, without the depth scan from the
    /// file's start that would prove it; the decoder then proves it (a block cut at such a place inside
    /// a string ends in an object that does not close, and the run is read again by the streaming
    /// reader). Reads `base[position - 1]`.
    static func firstPlaceBetweenObjects(in base: UnsafePointer<UInt8>, from position: Int, to limit: Int) -> Int? {
        var closer = position - 1
        while true {
            closer = ByteSearch.first(UInt8(ascii: "}"), in: base, from: closer, to: limit)
            if closer == limit { return nil }
            var next = closer + 1
            while next < limit && next - closer - 1 < maximumSpaceBetweenObjects && isSpace(base[next]) { next += 1 }
            if next < limit && base[next] == UInt8(ascii: "{") { return closer + 1 }
            closer += 1
        }
    }

    /// How many objects begin inside the malformed record `start..<end` after its first byte, counted
    /// where the record's own opening (`{` to its first member's `:`, as `{"AWSAccountId":`) comes again
    /// other than as a value (after `:`, `,` or `[`, which a nested object with the same first member
    /// is): the objects a string that never closed took in with it. Counted wherever else it comes, not
    /// only after a `}`: an object cut short inside a string (`"08:0{"q":…`) has the next object start
    /// inside that string, and it was neither counted nor rejected. A `}{` inside a string of an object
    /// that is malformed for another reason is not followed by that opening, so it counts for nothing.
    static func objectsTakenIn(in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        let colon = ByteSearch.first(UInt8(ascii: ":"), in: base, from: start, to: min(end, start + longestOpening))
        guard colon < end, base[start] == UInt8(ascii: "{") else { return 0 }
        let opening = colon + 1 - start
        var count = 0, next = ByteSearch.first(UInt8(ascii: "{"), in: base, from: start + 1, to: end)
        while next + opening <= end {
            var before = next - 1, crossesLine = false
            while before > start && isSpace(base[before]) { crossesLine = crossesLine || base[before] == ASCII.newline; before -= 1 }
            // At the start of a line it is a record (one per line), whatever the line before was cut after.
            let isValue = !crossesLine && (base[before] == UInt8(ascii: ":") || base[before] == UInt8(ascii: ",") || base[before] == UInt8(ascii: "["))
            if !isValue && memcmp(base + next, base + start, opening) == 0 { count += 1 }
            next = ByteSearch.first(UInt8(ascii: "{"), in: base, from: next + 1, to: end)
        }
        return count
    }

    /// The most space a place between objects holds: so that whether a place starts before a given
    /// byte is known from the bytes just after it (range reading reads 256 past its range).
    static let maximumSpaceBetweenObjects = 64

    /// The longest opening (`{` to its first member's `:`) `objectsTakenIn` compares: a record whose
    /// first member name is longer is not recognised again, and its swallowed objects count for nothing.
    static let longestOpening = 128

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == ASCII.space || byte == ASCII.newline || byte == ASCII.tab || byte == ASCII.carriageReturn
    }

    /// Where the last whole top-level object of `count` bytes ends (one past its `}`), scanning from the
    /// start (a block starts between objects); nil when none ends in them.
    static func lastObjectEnd(in base: UnsafePointer<UInt8>, count: Int) -> Int? {
        objectEnd(in: base, count: count, last: true)
    }

    /// The one depth scan both use: strings (with backslash escapes) are skipped, `{`/`[` open and
    /// `}`/`]` close, a closer at depth 0 is ignored. Records, block cuts and recoveries all end where
    /// this scan returns to depth 0, so the figures do not depend on where blocks are cut, malformed
    /// input included.
    ///
    /// Sixty-four bytes a step. A step with no bracket only flips the string state when it holds an odd
    /// number of quotes. Otherwise masks of its quotes and brackets: a running XOR of the quote mask marks
    /// the bytes inside strings, so that only brackets outside strings are looked at one by one. A step
    /// with a backslash in it (or an escape carried into it) goes a byte at a time. Reads only inside
    /// `0..<count`.
    ///
    /// Measured (callgrind, Amazon Connect records written one after another): 16,134 instructions a
    /// record in all, against 17,624 when the scan stopped at every quote and bracket (the scan itself
    /// from about 6,400 to about 4,900).
    private static func objectEnd(in base: UnsafePointer<UInt8>, count: Int, last: Bool) -> Int? {
        var scan = DepthScan(last: last)
        var index = 0
        while index + 64 <= count {
            let step = StructuralLanes(base + index)
            if scan.escaped || step.hasBackslash {
                if let end = scan.bytes(base, from: index, to: index + 64) { return end }
            } else if !step.hasBracket {
                // Only the quotes matter, and only how many: an odd count flips the string state.
                if step.hasOddQuoteCount { scan.inString.toggle() }
            } else {
                var inside = runningXOR(step.quoteMask)
                if scan.inString { inside = ~inside }
                scan.inString = inside >> 63 != 0
                var brackets = step.bracketMask & ~inside
                while brackets != 0 {
                    let position = index + brackets.trailingZeroBitCount
                    brackets &= brackets &- 1
                    if let end = scan.bracket(base[position], at: position) { return end }
                }
            }
            index += 64
        }
        if let end = scan.bytes(base, from: index, to: count) { return end }
        return scan.found
    }

    /// The end of one object whose bytes are given in pieces: the streaming reader keeps only the start of
    /// an object too long to hold (`IngestOptions.maximumRecordBytes`) and drops the rest as it reads it.
    /// Objects written one after another have no line break between them (a Firehose delivery), so the
    /// object's end, not a line's, is where the next record starts.
    /// In JSON Lines (`stopsAtRecordLine`) a line that starts with `{` ends it too, as `JSONRecordLines` has it.
    struct ObjectEndSearch {
        private var scan = DepthScan(last: false)
        private let stopsAtRecordLine: Bool
        private var afterLineEnd = false

        init(stopsAtRecordLine: Bool) { self.stopsAtRecordLine = stopsAtRecordLine }

        /// One past the object's closer (or the start of the next record's line) if it is in `from..<to` (the
        /// scan resumes where the last piece stopped, whatever the offsets), a byte at a time: the rare path.
        mutating func end(in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
            guard stopsAtRecordLine else { return scan.bytes(base, from: from, to: to) }
            for position in from..<max(from, to) {
                if afterLineEnd && base[position] == UInt8(ascii: "{") { return position }
                afterLineEnd = base[position] == ASCII.newline
                if let end = scan.bytes(base, from: position, to: position + 1) { return end }
            }
            return nil
        }
    }

    /// The state of the depth scan between steps.
    private struct DepthScan {
        let last: Bool
        var depth = 0
        var inString = false
        /// The next byte is escaped (a backslash inside a string ended the step before).
        var escaped = false
        /// The end of the last object closed so far (when looking for the last).
        var found: Int?

        init(last: Bool) { self.last = last }

        /// A bracket outside strings at `position`: the end to return, when it closes the object looked
        /// for.
        @inline(__always)
        mutating func bracket(_ byte: UInt8, at position: Int) -> Int? {
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { return nil }
                depth -= 1
                if depth == 0 {
                    if !last { return position + 1 }
                    found = position + 1
                }
            default:
                break
            }
            return nil
        }

        /// Bytes `start..<end` one at a time.
        mutating func bytes(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
            for position in start..<max(start, end) {
                let byte = base[position]
                if escaped {
                    escaped = false
                } else if inString {
                    if byte == JSONBytes.backslash { escaped = true } else if byte == ASCII.quote { inString = false }
                } else if byte == ASCII.quote {
                    inString = true
                } else if let end = bracket(byte, at: position) {
                    return end
                }
            }
            return nil
        }
    }

    /// The quotes, backslashes and brackets of 64 bytes, kept as lanes (all ones where true) until a
    /// mask is asked for: most steps only need to know whether there is a backslash or a bracket, and how
    /// many quotes there are, which take a few vector operations, not the twelve mask extractions
    /// (thirteen instructions each) of building all three masks.
    ///
    /// Measured: testing the backslashes and brackets with `any` (the standard library's) cost 4,700
    /// instructions a record more: `any` here compiled to a call, not a `pmovmskb`.
    private struct StructuralLanes {
        private var quotes: (SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>)
        private var brackets: (SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>)
        let hasBackslash: Bool
        let hasBracket: Bool

        @inline(__always)
        init(_ bytes: UnsafePointer<UInt8>) {
            let quote = SIMD16<UInt8>(repeating: ASCII.quote), backslash = SIMD16<UInt8>(repeating: JSONBytes.backslash)
            // `{` and `[` are 0x7B and 0x5B, `}` and `]` 0x7D and 0x5D: with the 0x20 bit set, two compares.
            let caseBit = SIMD16<UInt8>(repeating: 0x20)
            let opener = SIMD16<UInt8>(repeating: UInt8(ascii: "{")), closer = SIMD16<UInt8>(repeating: UInt8(ascii: "}"))
            @inline(__always) func lanes(_ step: Int) -> SIMD16<UInt8> {
                UnsafeRawPointer(bytes + 16 * step).loadUnaligned(as: SIMD16<UInt8>.self)
            }
            @inline(__always) func ones(_ mask: SIMDMask<SIMD16<Int8>>) -> SIMD16<UInt8> {
                unsafeBitCast(mask, to: SIMD16<UInt8>.self)
            }
            @inline(__always) func classify(_ lanes: SIMD16<UInt8>) -> (quotes: SIMD16<UInt8>, backslashes: SIMD16<UInt8>, brackets: SIMD16<UInt8>) {
                let folded = lanes | caseBit
                return (ones(lanes .== quote), ones(lanes .== backslash), ones(folded .== opener) | ones(folded .== closer))
            }
            let a = classify(lanes(0)), b = classify(lanes(1)), c = classify(lanes(2)), d = classify(lanes(3))
            quotes = (a.quotes, b.quotes, c.quotes, d.quotes)
            brackets = (a.brackets, b.brackets, c.brackets, d.brackets)
            hasBackslash = Self.isAnySet(a.backslashes | b.backslashes | c.backslashes | d.backslashes)
            hasBracket = Self.isAnySet(a.brackets | b.brackets | c.brackets | d.brackets)
        }

        /// Whether the 64 bytes hold an odd number of quotes.
        @inline(__always)
        var hasOddQuoteCount: Bool {
            let lanes = unsafeBitCast(quotes.0 ^ quotes.1 ^ quotes.2 ^ quotes.3, to: SIMD2<UInt64>.self)
            // Each byte is 0x00 or 0xFF: XOR them all into one.
            var word = lanes[0] ^ lanes[1]
            word ^= word >> 32
            word ^= word >> 16
            word ^= word >> 8
            return word & 1 != 0
        }

        /// Bit i set for a quote at byte i.
        @inline(__always)
        var quoteMask: UInt64 { Self.mask(quotes) }

        /// Bit i set for a bracket at byte i.
        @inline(__always)
        var bracketMask: UInt64 { Self.mask(brackets) }

        @inline(__always)
        private static func isAnySet(_ lanes: SIMD16<UInt8>) -> Bool {
            let halves = unsafeBitCast(lanes, to: SIMD2<UInt64>.self)
            return halves[0] | halves[1] != 0
        }

        @inline(__always)
        private static func mask(_ lanes: (SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>)) -> UInt64 {
            bits(lanes.0) | bits(lanes.1) << 16 | bits(lanes.2) << 32 | bits(lanes.3) << 48
        }

        /// The sixteen lanes of `lanes` (all ones when true) as the low sixteen bits of a word: each lane
        /// keeps its own bit of a byte, and a multiply adds the eight bytes of each half.
        @inline(__always)
        private static func bits(_ lanes: SIMD16<UInt8>) -> UInt64 {
            let weights = SIMD16<UInt8>(1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128)
            let halves = unsafeBitCast(lanes & weights, to: SIMD2<UInt64>.self)
            return (halves[0] &* 0x0101_0101_0101_0101) >> 56 | ((halves[1] &* 0x0101_0101_0101_0101) >> 56) << 8
        }
    }
}
