// Word-at-a-time (SWAR) byte search.
//
// The hot path looks for a handful of delimiter bytes in every row. Testing eight bytes per step
// with the classic "has a zero byte" bit trick roughly halves the cost of a byte loop (DESIGN §9).
// Every function here reads whole 8-byte words, so callers must give buffers with at least
// 8 readable bytes of slack after `end` (BlockBuffer guarantees that); matches at or past `end`
// are never returned.

@usableFromInline let lowBits: UInt64 = 0x0101_0101_0101_0101
@usableFromInline let highBits: UInt64 = 0x8080_8080_8080_8080

/// A word with `byte` in each of its eight lanes.
@inline(__always) func broadcast(_ byte: UInt8) -> UInt64 { UInt64(byte) &* lowBits }

/// High bit set in the lowest zero lane of `word` (lanes above it may be false positives, which is
/// fine for "first match" searches).
@inline(__always) func firstZeroLaneMask(_ word: UInt64) -> UInt64 {
    (word &- lowBits) & ~word & highBits
}

/// Bit i: the XOR of bits 0…i of `word`. Of a mask of quotes, the bytes from each opening quote up to
/// (not including) its closing one, when quotes only toggle (CSV quote states, JSON strings).
@inline(__always) func runningXOR(_ word: UInt64) -> UInt64 {
    var word = word
    word ^= word << 1
    word ^= word << 2
    word ^= word << 4
    word ^= word << 8
    word ^= word << 16
    word ^= word << 32
    return word
}

/// High bit set in exactly the zero lanes of `word` (no false positives; for counting).
@inline(__always) func exactZeroLaneMask(_ word: UInt64) -> UInt64 {
    ~(((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | word | 0x7F7F_7F7F_7F7F_7F7F)
}

enum ByteSearch {
    /// Index of the first byte in `start..<end` equal to `first` or `second`, or `end`.
    @inline(__always)
    static func firstOf(_ first: UInt8, _ second: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        let firstLanes = broadcast(first), secondLanes = broadcast(second)
        var position = start
        while position < end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            let mask = firstZeroLaneMask(word ^ firstLanes) | firstZeroLaneMask(word ^ secondLanes)
            if mask != 0 {
                return min(position + mask.trailingZeroBitCount >> 3, end)
            }
            position += 8
        }
        return end
    }

    /// `firstOf`, sixteen bytes a step (SSE2 compares): for the CSV scanner's field ends, where a
    /// timestamp field then takes two steps instead of four. Needs 16 readable bytes after `end`
    /// (`BlockBuffer.slack`), not eight.
    @inline(__always)
    static func firstOfSixteenAtATime(_ first: UInt8, _ second: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        let firstLanes = SIMD16<UInt8>(repeating: first), secondLanes = SIMD16<UInt8>(repeating: second)
        var position = start
        while position < end {
            let chunk = UnsafeRawPointer(base + position).loadUnaligned(as: SIMD16<UInt8>.self)
            let hits = SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: (chunk .== firstLanes) .| (chunk .== secondLanes))
            let (low, high) = unsafeBitCast(hits, to: (UInt64, UInt64).self)
            if low | high != 0 {
                let index = low != 0 ? low.trailingZeroBitCount &>> 3 : 8 &+ high.trailingZeroBitCount &>> 3
                return min(position &+ index, end)
            }
            position &+= 16
        }
        return end
    }

    /// Index of the first `byte` in `start..<end`, or `end`.
    @inline(__always)
    static func first(_ byte: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        firstOf(byte, byte, in: base, from: start, to: end)
    }

    /// Index of the last `byte` in `start..<end`, or nil. Reads only inside the range.
    static func last(_ byte: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        let lanes = broadcast(byte)
        var wordEnd = end
        while wordEnd - start >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + wordEnd - 8).loadUnaligned(as: UInt64.self))
            let mask = exactZeroLaneMask(word ^ lanes)
            if mask != 0 { return wordEnd - 8 + (63 - mask.leadingZeroBitCount) >> 3 }
            wordEnd -= 8
        }
        var position = wordEnd - 1
        while position >= start {
            if base[position] == byte { return position }
            position -= 1
        }
        return nil
    }

    /// The bytes equal to `byte` in `start..<end` before the first `stop`, and where that `stop` is (or `end`): a line's
    /// delimiters and its end in one pass, where `first` and then `count` took two.
    @inline(__always)
    static func count(_ byte: UInt8, before stop: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> (count: Int, stop: Int) {
        let lanes = broadcast(byte), stopLanes = broadcast(stop)
        var total = 0
        var position = start
        while position < end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            let stops = firstZeroLaneMask(word ^ stopLanes)  // its lowest lane is exact: the only one read
            let hits = exactZeroLaneMask(word ^ lanes)
            let remaining = end &- position
            if stops != 0 || remaining <= 8 {
                let stopLane = stops != 0 ? stops.trailingZeroBitCount >> 3 : 8
                let counted = min(stopLane, remaining)  // lanes before the stop and before the end
                total &+= (counted == 8 ? hits : hits & ((1 << (UInt64(counted) &* 8)) &- 1)).nonzeroBitCount
                return (total, stopLane < remaining ? position &+ stopLane : end)
            }
            total &+= hits.nonzeroBitCount
            position &+= 8
        }
        return (total, end)
    }

    /// Number of bytes equal to `byte` in `start..<end`. Reads only inside the range.
    static func count(_ byte: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        let lanes = broadcast(byte)
        var total = 0
        var position = start
        while end - position >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            total += exactZeroLaneMask(word ^ lanes).nonzeroBitCount
            position += 8
        }
        while position < end {
            if base[position] == byte { total += 1 }
            position += 1
        }
        return total
    }
}

enum ASCII {
    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let pipe = UInt8(ascii: "|")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
}
