/// Where a renderer writes its document, piece by piece: an output file or stream (`OutputWriter`,
/// written as it goes, so a report of millions of rows is never held whole), or a string.
public protocol TextSink {
    mutating func write(_ text: String) throws
}

extension String: TextSink {
    public mutating func write(_ text: String) { append(text) }
}

/// An `OutputWriter` as a sink.
public struct OutputSink: TextSink {
    public let writer: OutputWriter

    public init(_ writer: OutputWriter) {
        self.writer = writer
    }

    public func write(_ text: String) throws {
        try writer.write(text)
    }
}
