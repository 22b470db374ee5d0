#if canImport(Glibc)
import Glibc
#endif

/// The quote state after a range of CSV text for each of the three states it may be entered in
/// (what `QuoteStateChain` needs from every range), in one pass: the same rules as
/// `RecordBoundary.state(after:)`, but the three walks go through the range's quotes together, and
/// once they agree (in quoted text, after a field or two) they are one walk. Quotes are found a
/// 64-byte window at a time as a bit mask (the first of each window with `memchr`), so a file that
/// quotes every field costs a few instructions a quote instead of a library call.
///
/// Keep in step with `RecordBoundary.walk` (a tested property: QuoteExitsTests).
enum QuoteExits {
    /// One walk: its state, and for `.afterQuoteInside` where that quote is.
    fileprivate struct Walk: Equatable {
        var state: QuoteState
        var pendingQuote: Int

        /// Moves the walk past the quote at `position`; `opensField` says whether, outside quotes,
        /// the quote would open a field.
        @inline(__always)
        mutating func quote(at position: Int, opensField: Bool) {
            if state == .afterQuoteInside {
                if position == pendingQuote + 1 {  // `""`
                    state = .inside
                    return
                }
                state = .outside  // the pending quote closed its field
            }
            if state == .inside {
                state = .afterQuoteInside
                pendingQuote = position
            } else if opensField {
                state = .inside
            }
        }

        /// Two walks are the same walk from here on (where a pending quote is matters only while one is).
        static func == (left: Walk, right: Walk) -> Bool {
            left.state == right.state && (left.state != .afterQuoteInside || left.pendingQuote == right.pendingQuote)
        }

        /// The state at `end`: a pending quote not at the last byte closed its field.
        func state(at end: Int) -> QuoteState {
            state == .afterQuoteInside && pendingQuote < end - 1 ? .outside : state
        }
    }

    /// The exit state of `from..<to` entered `.outside`, `.inside` and `.afterQuoteInside`;
    /// `fieldStart` says whether a `"` at `from` would open a field. Reads up to 15 bytes past `to`
    /// (`BlockBuffer`'s slack is 16).
    static func exits(in base: UnsafePointer<UInt8>, from: Int, to: Int, fieldStart: Bool,
                      delimiter: UInt8) -> (QuoteState, QuoteState, QuoteState) {
        var outside = Walk(state: .outside, pendingQuote: 0)
        var inside = Walk(state: .inside, pendingQuote: 0)
        var afterQuote = Walk(state: .afterQuoteInside, pendingQuote: from - 1)
        var converged = false
        var position = from
        while position < to {
            guard let found = memchr(base + position, Int32(ASCII.quote), to - position) else { break }
            let window = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            let windowEnd = min(window + 64, to)
            let masks = Masks(base, from: window, to: windowEnd)
            // Whether a quote at the window's first byte would open a field.
            let opensAtStart = window == from ? fieldStart : (base[window - 1] == delimiter || base[window - 1] == ASCII.newline)
            if converged {
                if !outside.passParity(masks, base, window: window, opensAtStart: opensAtStart, delimiter: delimiter) {
                    outside.passQuoteByQuote(masks.quotes, base, window: window, from: from, fieldStart: fieldStart, delimiter: delimiter)
                }
            } else {
                var quotes = masks.quotes
                while quotes != 0 {
                    let quote = window + quotes.trailingZeroBitCount
                    quotes &= quotes &- 1
                    let opensField = quote == window ? opensAtStart : (base[quote - 1] == delimiter || base[quote - 1] == ASCII.newline)
                    outside.quote(at: quote, opensField: opensField)
                    if converged { continue }
                    inside.quote(at: quote, opensField: opensField)
                    afterQuote.quote(at: quote, opensField: opensField)
                    converged = outside == inside && outside == afterQuote
                }
            }
            position = window + 64
        }
        let exit = outside.state(at: to)
        return converged ? (exit, exit, exit) : (exit, inside.state(at: to), afterQuote.state(at: to))
    }

    /// A window's quotes as a bit mask: bit i is byte `from + i`.
    fileprivate struct Masks {
        var quotes: UInt64 = 0
        let count: Int

        /// Reads up to 15 bytes past `to`.
        @inline(__always)
        init(_ base: UnsafePointer<UInt8>, from: Int, to: Int) {
            count = to - from
            let quoteLanes = SIMD16<UInt8>(repeating: ASCII.quote)
            let weights = SIMD16<UInt8>(1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128)
            var offset = 0
            while offset < count {
                let chunk = UnsafeRawPointer(base + from + offset).loadUnaligned(as: SIMD16<UInt8>.self)
                // A matching byte's lane holds its bit within its half; a half's lanes then sum (by a
                // multiply, with no carries: the bits differ) to the half's eight bits of the mask.
                let bits = SIMD16<UInt8>(repeating: 0).replacing(with: weights, where: chunk .== quoteLanes)
                let (low, high) = unsafeBitCast(bits, to: (UInt64, UInt64).self)
                let sixteen = (low &* 0x0101_0101_0101_0101) >> 56 | ((high &* 0x0101_0101_0101_0101) >> 56) << 8
                quotes |= sixteen << UInt64(offset)
                offset += 16
            }
            if count < 64 { quotes &= (1 << UInt64(count)) - 1 }
        }
    }
}

private extension QuoteExits.Walk {
    /// Passes a window in constant time when its quotes toggle: inside quotes is then the running
    /// parity of the quotes seen, which holds as long as every quote that opens a field stands at a
    /// field start or right after a closing quote (`""`). Returns false, changing nothing, when a
    /// quote breaks that (text like `5" screen`: the window is then passed quote by quote).
    @inline(__always)
    mutating func passParity(_ masks: QuoteExits.Masks, _ base: UnsafePointer<UInt8>, window: Int, opensAtStart: Bool,
                             delimiter: UInt8) -> Bool {
        // A pending quote just before the window: a quote at its first byte makes `""`.
        let escapeAtStart: UInt64 = state == .afterQuoteInside && pendingQuote == window - 1 ? 1 : 0
        let entryInside = state == .inside
        let toggles = runningXOR(masks.quotes << 1)  // exclusive prefix parity: quotes strictly before each byte
        let insideBefore = entryInside ? ~toggles : toggles
        let closing = masks.quotes & insideBefore
        // Openers right after a closing quote are `""`; the others must stand at a field start.
        var opening = masks.quotes & ~insideBefore & ~((closing << 1) | escapeAtStart)
        if opening & 1 != 0 {
            if !opensAtStart { return false }
            opening &= opening &- 1
        }
        while opening != 0 {
            let before = base[window + opening.trailingZeroBitCount - 1]
            if before != delimiter && before != ASCII.newline { return false }
            opening &= opening &- 1
        }
        let last = masks.count - 1
        if closing >> UInt64(last) & 1 != 0 {
            state = .afterQuoteInside
            pendingQuote = window + last
        } else {
            state = (insideBefore >> UInt64(last) & 1 != 0) != (masks.quotes >> UInt64(last) & 1 != 0) ? .inside : .outside
        }
        return true
    }

    /// Passes a window quote by quote (`QuoteExits.Walk.quote(at:opensField:)`).
    mutating func passQuoteByQuote(_ quotes: UInt64, _ base: UnsafePointer<UInt8>, window: Int, from: Int, fieldStart: Bool,
                                   delimiter: UInt8) {
        var quotes = quotes
        while quotes != 0 {
            let position = window + quotes.trailingZeroBitCount
            quotes &= quotes &- 1
            quote(at: position, opensField: position == from ? fieldStart : (base[position - 1] == delimiter || base[position - 1] == ASCII.newline))
        }
    }
}
