/// Writes CSV rows as bytes into a buffer that is handed to a sink every ~1 MiB, with fast
/// ISO 8601 timestamps in a time zone (the generators write millions of them), quoted and ended
/// as an `ExportShape` says.
struct CSVByteWriter {
    typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    private var buffer: [UInt8] = []
    private let sink: Sink
    private var zone: ZoneCursor
    private let quoteAll: Bool
    private let crlf: Bool
    private let timestamps: ExportShape.Timestamps
    private var cachedDay = Int64.min
    private var cachedDate: [UInt8] = []
    private(set) var rowsWritten = 0

    /// Only the shape's quoting, line ending and timestamp style matter here.
    init(zone: TimeZoneRules, shape: ExportShape = ExportShape(), sink: @escaping Sink) {
        self.sink = sink
        self.zone = ZoneCursor(rules: zone)
        quoteAll = shape.quoting == .all
        crlf = shape.lineEnding == .crlf
        timestamps = shape.timestamps
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    mutating func text(_ string: String) { buffer.append(contentsOf: string.utf8) }
    mutating func byte(_ byte: UInt8) { buffer.append(byte) }
    mutating func bytes(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }
    mutating func bytes(_ bytes: UnsafeBufferPointer<UInt8>) { buffer.append(contentsOf: bytes) }
    mutating func comma() { buffer.append(UInt8(ascii: ",")) }

    /// A field, quoted when it holds a comma, quote or line break (or always, when quoting all).
    mutating func field(_ string: String) { buffer.append(contentsOf: encoded(string)) }

    /// The bytes `field` writes for `string`: worked out once for values written millions of times.
    func encoded(_ string: String) -> [UInt8] {
        let special = string.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard special || quoteAll else { return Array(string.utf8) }
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        for byte in string.utf8 {
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
        return bytes
    }

    /// Opens and closes a field written piece by piece (`integer`, `timestamp`…): a quote when
    /// quoting all, else nothing.
    @inline(__always) mutating func openField() { if quoteAll { buffer.append(UInt8(ascii: "\"")) } }
    @inline(__always) mutating func closeField() { if quoteAll { buffer.append(UInt8(ascii: "\"")) } }

    /// An empty field: nothing, or `""` when quoting all.
    @inline(__always) mutating func emptyField() {
        if quoteAll { buffer.append(UInt8(ascii: "\"")); buffer.append(UInt8(ascii: "\"")) }
    }

    /// The header: `names` as fields, then the line ending.
    mutating func header(_ names: [String]) {
        for (index, name) in names.enumerated() {
            if index > 0 { comma() }
            field(name)
        }
        lineEnding()
    }

    mutating func integer(_ value: Int) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        unsigned(UInt64(value.magnitude))
    }

    mutating func unsigned(_ value: UInt64) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var magnitude = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[index]) }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The low `count` hex digits of `value`, lower case, zero-padded.
    mutating func hex(_ value: UInt64, digits count: Int) {
        for shift in stride(from: (count - 1) * 4, through: 0, by: -4) {
            buffer.append(Self.hexDigits[Int((value >> UInt64(shift)) & 0xF)])
        }
    }

    private mutating func twoDigits(_ value: Int) {
        buffer.append(UInt8(ascii: "0") + UInt8(value / 10))
        buffer.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// A UTC instant in the shape's style: `YYYY-MM-DDTHH:MM:SS±HH:MM` (local time with its offset),
    /// `YYYY-MM-DD HH:MM:SS` (local wall time) or `YYYY-MM-DDTHH:MM:SSZ`.
    mutating func timestamp(utcSeconds: Int64) {
        let offset = timestamps == .utc ? 0 : zone.offsetSeconds(atUTC: utcSeconds)
        let local = utcSeconds + offset
        let day = floorDivide(local, 86_400)
        if day != cachedDay {
            cachedDay = day
            cachedDate = Array(CivilDate(daysSinceEpoch: day).description.utf8)
        }
        buffer.append(contentsOf: cachedDate)
        buffer.append(timestamps == .naive ? UInt8(ascii: " ") : UInt8(ascii: "T"))
        let secondOfDay = Int(local - day * 86_400)
        twoDigits(secondOfDay / 3600)
        buffer.append(UInt8(ascii: ":"))
        twoDigits(secondOfDay / 60 % 60)
        buffer.append(UInt8(ascii: ":"))
        twoDigits(secondOfDay % 60)
        switch timestamps {
        case .offset:
            buffer.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let minutes = Int(abs(offset) / 60)
            twoDigits(minutes / 60)
            buffer.append(UInt8(ascii: ":"))
            twoDigits(minutes % 60)
        case .utc:
            buffer.append(UInt8(ascii: "Z"))
        case .naive:
            break
        }
    }

    /// A timestamp as a whole field.
    mutating func timestampField(utcSeconds: Int64) {
        openField()
        timestamp(utcSeconds: utcSeconds)
        closeField()
    }

    private mutating func lineEnding() {
        if crlf { buffer.append(13) }
        buffer.append(10)
    }

    /// Ends a row; flushes when the buffer passes 1 MiB.
    mutating func endRow() throws {
        lineEnding()
        rowsWritten += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try sink($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
