/// Counts of the times of day a file gives, by whether they can tell seconds: a file whose times are
/// all on a whole minute (written with no seconds, `01/04/2019 08:15`, or with seconds 00 every time,
/// `2019-04-01 08:15:00`, as a system that keeps only minutes may write them) puts each wait within
/// ±59 s, and cannot tell a 10-second service level.
public struct MinuteTimes: Sendable, Equatable {
    /// Times read with no seconds.
    public var withoutSeconds = 0
    /// Times read with seconds, and those of them whose seconds are 00.
    public var withSeconds = 0
    public var onTheMinute = 0

    public init() {}

    @inline(__always)
    mutating func countSeconds(onTheMinute isOnTheMinute: Bool) {
        withSeconds &+= 1
        if isOnTheMinute { onTheMinute &+= 1 }  // rare in times with seconds: a branch predicted well
    }

    /// A time `HH:MM:SS` at `offset` in `bytes` (as `SameDateReference` shapes are).
    @inline(__always)
    mutating func countSeconds(of bytes: UnsafeRawBufferPointer, at offset: Int) {
        countSeconds(onTheMinute: bytes.loadUnaligned(fromByteOffset: offset + 6, as: UInt16.self) == 0x3030)
    }

    mutating func countWithoutSeconds() { withoutSeconds &+= 1 }

    mutating func add(_ other: MinuteTimes) {
        withoutSeconds += other.withoutSeconds
        withSeconds += other.withSeconds
        onTheMinute += other.onTheMinute
    }

    /// Whether a file of `rows` accepted rows with these times is in whole minutes: a time with no
    /// seconds for each row (the arrivals, at least), or seconds 00 on a time for each row and on nine
    /// in ten of its times with seconds (one in 60 is so by chance; a file made by hand with round
    /// arrivals and answers a few seconds later is not in minutes).
    public func areWholeMinutes(rows: Int) -> Bool {
        rows > 0 && (withoutSeconds >= rows || (onTheMinute >= rows && onTheMinute * 10 >= withSeconds * 9))
    }
}
