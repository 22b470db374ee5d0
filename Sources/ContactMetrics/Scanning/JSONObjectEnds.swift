/// Where JSON objects end, by their depth alone: how blocks of objects written one after another are
/// cut (the reading thread scans every byte of them), and how the scanner recovers from a malformed
/// record.
extension JSONRecordScanner {
    /// Where the first top-level object (or array) of `count` bytes ends, one past its closer; nil when
    /// none closes in them.
    static func firstObjectEnd(in base: UnsafePointer<UInt8>, count: Int) -> Int? {
        objectEnd(in: base, count: count, last: false)
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
    /// Sixty-four bytes a step: masks of their quotes, backslashes and brackets; a running XOR of the
    /// quote mask marks the bytes inside strings, so that only brackets outside strings are looked at
    /// one by one. A step with a backslash in it (or an escape carried into it) goes a byte at a time.
    /// Reads only inside `0..<count`.
    ///
    /// Measured (callgrind, Amazon Connect records written one after another): 16,134 instructions a
    /// record in all, against 17,624 when the scan stopped at every quote and bracket (the scan itself
    /// from about 6,400 to about 4,900).
    private static func objectEnd(in base: UnsafePointer<UInt8>, count: Int, last: Bool) -> Int? {
        var scan = DepthScan(last: last)
        var index = 0
        while index + 64 <= count {
            let masks = StructuralMasks(base + index)
            if masks.backslashes != 0 || scan.escaped {
                if let end = scan.bytes(base, from: index, to: index + 64) { return end }
            } else {
                var inside = runningXOR(masks.quotes)
                if scan.inString { inside = ~inside }
                scan.inString = inside >> 63 != 0
                var brackets = masks.brackets & ~inside
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

        /// A bracket (or `Y`, `_`, `y`, DEL, which the mask lets through) outside strings at
        /// `position`: the end to return, when it closes the object looked for.
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

    /// Masks of 64 bytes: bit i for byte i.
    ///
    /// Measured: testing the backslashes and brackets with `any` first (to gather only the masks that
    /// have bits) cost 4,700 instructions a record more: `any` here compiled to a call, not a `pmovmskb`.
    private struct StructuralMasks {
        var quotes: UInt64 = 0
        var backslashes: UInt64 = 0
        /// `{`, `}`, `[`, `]`, and `Y`, `_`, `y`, DEL (one masked compare: they differ from `Y` only in
        /// the bits of 0x26).
        var brackets: UInt64 = 0

        @inline(__always)
        init(_ bytes: UnsafePointer<UInt8>) {
            let quote = SIMD16<UInt8>(repeating: ASCII.quote), backslash = SIMD16<UInt8>(repeating: JSONBytes.backslash)
            let bracketBits = SIMD16<UInt8>(repeating: 0xD9), bracket = SIMD16<UInt8>(repeating: 0x59)
            for step in 0..<4 {
                let lanes = UnsafeRawPointer(bytes + 16 * step).loadUnaligned(as: SIMD16<UInt8>.self)
                let shift = UInt64(16 * step)
                quotes |= Self.bits(lanes .== quote) << shift
                backslashes |= Self.bits(lanes .== backslash) << shift
                brackets |= Self.bits(lanes & bracketBits .== bracket) << shift
            }
        }

        /// The sixteen lanes of `mask` as the low sixteen bits of a word: each lane (all ones when true)
        /// keeps its own bit of a byte, and a multiply adds the eight bytes of each half.
        @inline(__always)
        private static func bits(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt64 {
            let weights = SIMD16<UInt8>(1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128)
            let halves = unsafeBitCast(unsafeBitCast(mask, to: SIMD16<UInt8>.self) & weights, to: SIMD2<UInt64>.self)
            return (halves[0] &* 0x0101_0101_0101_0101) >> 56 | ((halves[1] &* 0x0101_0101_0101_0101) >> 56) << 8
        }
    }
}
