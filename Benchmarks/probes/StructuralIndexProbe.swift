// Probe (not part of the package): what a simdjson-style structural index of a JSON file costs in
// Swift 6.3 on x86-64, to decide whether a scanner built on one would beat `JSONRecordScanner`.
// Stage 1: per 64 bytes, bit masks of quotes, backslashes and structural characters ({}[]:,),
// escaped quotes removed (single backslashes only: a probe), the bytes inside strings masked out by a
// prefix XOR of the quote mask. Stage 2: walk the set bits, as a scanner would.
//
//   swiftc -O -parse-as-library Benchmarks/probes/StructuralIndexProbe.swift -o /tmp/probe
//   valgrind --tool=callgrind /tmp/probe FILE        (see Benchmarks/README.md for the figures)
//
// Swift has no movemask: a `SIMD16` compare's lanes become bits by a multiply per eight lanes.
import Foundation

@inline(__always)
func bits(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt64 {
    let m = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
    // 0xFF lanes -> one bit each: gather the top bits of 8 lanes with one multiply.
    let lo = ((m[0] & 0x8080_8080_8080_8080) &* 0x0002_0408_1020_4081) >> 56
    let hi = ((m[1] & 0x8080_8080_8080_8080) &* 0x0002_0408_1020_4081) >> 56
    return lo | hi << 8
}

@inline(__always)
func masks(_ p: UnsafeRawPointer) -> (quote: UInt64, backslash: UInt64, structural: UInt64) {
    var q: UInt64 = 0, b: UInt64 = 0, s: UInt64 = 0
    for i in 0..<4 {
        let v = p.loadUnaligned(fromByteOffset: i * 16, as: SIMD16<UInt8>.self)
        let shift = UInt64(i * 16)
        q |= bits(v .== SIMD16<UInt8>(repeating: 0x22)) << shift
        b |= bits(v .== SIMD16<UInt8>(repeating: 0x5C)) << shift
        // { } [ ] differ in 0x26 bits: (v & 0xD9) == 0x59; plus : and ,
        let masked = v & SIMD16<UInt8>(repeating: 0xD9)
        s |= bits((masked .== SIMD16<UInt8>(repeating: 0x59)) .| (v .== SIMD16<UInt8>(repeating: 0x3A)) .| (v .== SIMD16<UInt8>(repeating: 0x2C))) << shift
    }
    return (q, b, s)
}

@inline(__always)
func prefixXor(_ x: UInt64) -> UInt64 {
    var y = x
    y ^= y << 1; y ^= y << 2; y ^= y << 4; y ^= y << 8; y ^= y << 16; y ^= y << 32
    return y
}

@main
struct Probe {
    static func main() throws {
        let path = CommandLine.arguments[1]
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var structurals = 0, strings = 0
        var inString: UInt64 = 0, escapeCarry: UInt64 = 0
        data.withUnsafeBytes { raw in
            let count = raw.count / 64 * 64
            var offset = 0
            while offset < count {
                var (q, b, s) = masks(raw.baseAddress! + offset)
                // Escaped characters: the byte after an odd run of backslashes (simdjson's trick, simplified:
                // runs of one backslash, which is what exports write).
                let escaped = (b << 1 | escapeCarry) & ~b
                escapeCarry = b >> 63
                q &= ~escaped
                let inside = prefixXor(q) ^ inString
                inString = UInt64(bitPattern: Int64(bitPattern: inside) >> 63)
                s &= ~inside
                // Stage 2: walk the bits.
                var bits = s | q
                while bits != 0 {
                    let index = bits.trailingZeroBitCount
                    if (q >> UInt64(index)) & 1 == 1 { strings &+= 1 } else { structurals &+= 1 }
                    bits &= bits &- 1
                }
                offset += 64
            }
        }
        print("structurals \(structurals) quotes \(strings) bytes \(data.count)")
    }
}
