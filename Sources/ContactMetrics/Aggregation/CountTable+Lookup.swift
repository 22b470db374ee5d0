extension CountTable {
    /// The value stored for `key`, storing `makeValue()` first if the key is new.
    /// (Used as a key → index map: values are indexes + 1, never 0.)
    @inline(__always)
    mutating func value(for key: UInt64, insertingIfAbsent makeValue: () -> UInt64) -> UInt64 {
        if let existing = value(for: key) { return existing }
        let value = makeValue()
        add(key, value)
        return value
    }
}
