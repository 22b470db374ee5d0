/// The contact ids of a generated file in an `ExportShape.Ids` style, with a set number of rows
/// repeating an earlier id. Ids are drawn from their own random streams, so the rows' other values
/// do not depend on the id style.
///
/// Each fresh id is a function of its ordinal (0, 1, 2, … among the distinct ids), a bijection for
/// `string` and `uuid`, so ids are unique without a set of those already written; a repeated id
/// picks an earlier ordinal. Only `asterisk` ids, which depend on the arrival, are remembered (and
/// only when some rows repeat).
struct ContactIds {
    private let style: ExportShape.Ids
    private let keys: (UInt64, UInt64)
    /// Rows still to pass and repeats still to place among them (selection sampling: exactly
    /// `duplicateRows` repeats, none in the first row).
    private var rowsLeft: Int
    private var repeatsLeft: Int
    private var repeats: SplitMix64
    private var fresh = 0
    private var asteriskSecond = Int64.min
    private var asteriskCounter: UInt64 = 0
    /// `asterisk` ids by ordinal, second << 24 | counter, kept only when rows repeat ids.
    private let keepsAsteriskIds: Bool
    private var asteriskIds: [UInt64] = []

    init(style: ExportShape.Ids, seed: UInt64, rows: Int, duplicateRows: Int) {
        self.style = style
        var keys = SplitMix64(seed: seed ^ 0x1D5_1D5_1D5)
        self.keys = (keys.next(), keys.next())
        rowsLeft = rows
        repeatsLeft = duplicateRows
        repeats = SplitMix64(seed: seed ^ 0xD0B1_E5D0_B1E5)
        keepsAsteriskIds = style == .asterisk && duplicateRows > 0
        if keepsAsteriskIds { asteriskIds.reserveCapacity(rows - duplicateRows) }
    }

    /// Writes the id field of the next row, which arrived at `arrivedUTC`.
    mutating func write(arrivedUTC: Int64, to writer: inout CSVByteWriter) {
        // The first row is never a repeat: there is nothing earlier to repeat.
        let repeated = fresh > 0 && repeatsLeft > 0 && repeats.unit() * Double(rowsLeft) < Double(repeatsLeft)
        rowsLeft -= 1
        let ordinal: Int
        if repeated {
            repeatsLeft -= 1
            ordinal = Int(repeats.next().multipliedFullWidth(by: UInt64(fresh)).high)
        } else {
            ordinal = fresh
            fresh += 1
            if style == .asterisk { nextAsterisk(arrivedUTC) }
        }
        writer.openField()
        switch style {
        case .numeric:
            writer.unsigned(UInt64(ordinal) + 1)
        case .sparse:
            writer.unsigned((UInt64(ordinal) + 1) << 16)
        case .string:
            writer.bytes(Self.stringPrefix)
            writer.hex(Self.permute(UInt64(ordinal), bits: 40, key: keys.0), digits: 10)
        case .uuid:
            uuid(ordinal, to: &writer)
        case .asterisk:
            let code = keepsAsteriskIds ? asteriskIds[ordinal] : UInt64(asteriskSecond) << 24 | asteriskCounter
            writer.unsigned(code >> 24)
            writer.byte(UInt8(ascii: "."))
            writer.unsigned(code & 0xFF_FFFF)
        }
        writer.closeField()
    }

    private static let stringPrefix: [UInt8] = Array("CL-".utf8)

    /// Counts ids within the arrival's second (arrivals come in time order).
    private mutating func nextAsterisk(_ second: Int64) {
        if second == asteriskSecond { asteriskCounter += 1 } else { asteriskSecond = second; asteriskCounter = 0 }
        if keepsAsteriskIds { asteriskIds.append(UInt64(asteriskSecond) << 24 | asteriskCounter) }
    }

    /// `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`: 62 bits a bijection of the ordinal (so unique),
    /// the rest mixed from it; the version and variant bits as RFC 9562 sets them for v4.
    private func uuid(_ ordinal: Int, to writer: inout CSVByteWriter) {
        var high = Self.permute(UInt64(ordinal), bits: 64, key: keys.1)
        high = high & ~0xF000 | 0x4000
        let low = Self.permute(UInt64(ordinal), bits: 62, key: keys.0) | 0x8000_0000_0000_0000
        writer.hex(high >> 32, digits: 8)
        writer.byte(UInt8(ascii: "-"))
        writer.hex(high >> 16, digits: 4)
        writer.byte(UInt8(ascii: "-"))
        writer.hex(high, digits: 4)
        writer.byte(UInt8(ascii: "-"))
        writer.hex(low >> 48, digits: 4)
        writer.byte(UInt8(ascii: "-"))
        writer.hex(low, digits: 12)
    }

    /// A keyed bijection of the `bits`-bit integers: a key, then multiplications by odd constants
    /// and xor-shifts, each invertible modulo 2^bits.
    static func permute(_ value: UInt64, bits: Int, key: UInt64) -> UInt64 {
        let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        let shift = UInt64(bits / 2)
        var x = (value ^ key) & mask
        x = (x &* 0x9E37_79B9_7F4A_7C15) & mask
        x ^= x >> shift
        x = (x &* 0xBF58_476D_1CE4_E5B9) & mask
        x ^= x >> shift
        x = (x &* 0x94D0_49BB_1331_11EB) & mask
        x ^= x >> shift
        return x
    }
}
