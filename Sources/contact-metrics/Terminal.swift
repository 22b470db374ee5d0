#if canImport(Glibc)
import Glibc
#endif
import ContactMetrics
import Foundation

/// Writing to the standard streams: stdout carries only the report; everything else goes to stderr.
enum Terminal {
    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }
    static var standardOutputIsTerminal: Bool { isatty(1) == 1 }

    /// Writes `text` to stderr as it is (callers escape text that comes from the input).
    static func error(_ text: String) {
        writeAll(2, text.hasSuffix("\n") ? text : text + "\n")
    }

    /// `--quiet`: no notes nor lines that say all went well, so that a scheduler mails only what is wrong.
    /// Set once, before any work starts.
    nonisolated(unsafe) static var quiet = false

    /// `note: …` on stderr: how the run read something nobody specified (not under `--quiet`).
    static func note(_ message: String) {
        guard !quiet else { return }
        error("note: " + Escaping.visible(message))
    }

    /// `warning: MESSAGE` on stderr, one line whatever the message holds (`Escaping.visible`).
    static func warning(_ message: String) {
        error("warning: " + Escaping.visible(message))
    }

    /// Writes to stdout.
    /// - Throws: `OutputError` (a closed pipe is one with `isClosedPipe`, which `main` ends quietly).
    static func output(_ text: String) throws {
        try emit(text, to: .standardOutput)
    }

    /// Standard output was closed when the program started (`>&-`): the report has nowhere to go.
    nonisolated(unsafe) private(set) static var standardOutputWasClosed = false

    /// Opens /dev/null on any of descriptors 0–2 that the program started without, so that no file
    /// the program opens (a rejects file, the store) takes their place and receives the progress bar,
    /// warnings or the report. A closed stdout is remembered: writing the report there is an error.
    static func claimStandardStreams() {
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) < 0 {
            let null = open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY)
            if null >= 0 && null != descriptor {
                dup2(null, descriptor)
                close(null)
            }
            if descriptor == 1 { standardOutputWasClosed = true }
        }
    }

    @discardableResult
    static func writeAll(_ descriptor: Int32, _ text: String) -> Bool {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}

/// A one-line progress bar on stderr: bytes, MB/s and, when the total is known, percent and ETA.
final class ProgressBar: @unchecked Sendable {
    private let totalBytes: Int64?
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(totalBytes: Int64?) {
        self.totalBytes = totalBytes
    }

    func update(_ bytes: Int64) {
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Double(bytes) / elapsed
        var line = String(format: "  %8.1f MB  %7.1f MB/s", Double(bytes) / 1e6, rate / 1e6)
        if let totalBytes, totalBytes > 0, bytes > 0, elapsed > 0.5 {  // no ETA from the first instant
            let fraction = min(1, Double(bytes) / Double(totalBytes))
            let width = 24, filled = Int(fraction * Double(width))
            let remaining = rate > 0 ? Double(totalBytes - bytes) / rate : 0
            line += "  [" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "]"
            line += String(format: " %3.0f%%  ETA %@", fraction * 100, Self.duration(remaining))
        }
        Terminal.writeAll(2, "\r" + line + "\u{1B}[K")
        drawn = true
    }

    func finish() {
        if drawn { Terminal.writeAll(2, "\r\u{1B}[K") }
    }

    private static func duration(_ seconds: Double) -> String {
        let whole = Int(max(0, seconds).rounded())
        return whole >= 60 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }
}
