/// Writes CSV rows as bytes into a buffer that is handed to a sink every ~1 MiB, with fast
/// ISO 8601 timestamps in a time zone (the generators write millions of them).
struct CSVByteWriter {
    typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    private var buffer: [UInt8] = []
    private let sink: Sink
    private var zone: ZoneCursor
    private var cachedDay = Int64.min
    private var cachedDate: [UInt8] = []
    private(set) var rowsWritten = 0

    init(zone: TimeZoneRules, sink: @escaping Sink) {
        self.sink = sink
        self.zone = ZoneCursor(rules: zone)
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    mutating func text(_ string: String) { buffer.append(contentsOf: string.utf8) }
    mutating func byte(_ byte: UInt8) { buffer.append(byte) }
    mutating func comma() { buffer.append(UInt8(ascii: ",")) }

    /// A field, quoted when it holds a comma, quote or line break.
    mutating func field(_ string: String) {
        if string.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
            buffer.append(UInt8(ascii: "\""))
            for byte in string.utf8 {
                buffer.append(byte)
                if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            }
            buffer.append(UInt8(ascii: "\""))
        } else {
            buffer.append(contentsOf: string.utf8)
        }
    }

    mutating func integer(_ value: Int) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var magnitude = value.magnitude
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

    private mutating func twoDigits(_ value: Int) {
        buffer.append(UInt8(ascii: "0") + UInt8(value / 10))
        buffer.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// `YYYY-MM-DDTHH:MM:SS±HH:MM` for a UTC instant, in local time with its offset.
    mutating func timestamp(utcSeconds: Int64) {
        let offset = zone.offsetSeconds(atUTC: utcSeconds)
        let local = utcSeconds + offset
        let day = floorDivide(local, 86_400)
        if day != cachedDay {
            cachedDay = day
            cachedDate = Array(CivilDate(daysSinceEpoch: day).description.utf8)
        }
        buffer.append(contentsOf: cachedDate)
        buffer.append(UInt8(ascii: "T"))
        let secondOfDay = Int(local - day * 86_400)
        twoDigits(secondOfDay / 3600)
        buffer.append(UInt8(ascii: ":"))
        twoDigits(secondOfDay / 60 % 60)
        buffer.append(UInt8(ascii: ":"))
        twoDigits(secondOfDay % 60)
        buffer.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let minutes = Int(abs(offset) / 60)
        twoDigits(minutes / 60)
        buffer.append(UInt8(ascii: ":"))
        twoDigits(minutes % 60)
    }

    /// Ends a row; flushes when the buffer passes 1 MiB.
    mutating func endRow() throws {
        buffer.append(UInt8(ascii: "\n"))
        rowsWritten += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try sink($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
