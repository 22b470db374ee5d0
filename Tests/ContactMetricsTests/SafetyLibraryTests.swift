import Foundation
import Testing
@testable import ContactMetrics

/// Library-level checks of the safety issue's fixes (the CLI-level ones are in ContactMetricsCLITests).
@Suite struct SafetyLibraryTests {
    /// However small the block size given to the library, a file is read in at most
    /// `SplitInput.maximumRangeCount` ranges (the per-range state once grew with the file).
    @Test func rangesPerFileAreBounded() throws {
        let path = TestSupport.temporaryFile(Adversarial.header + "\n" + String(repeating: "1,999,2019-04-01T10:00:00Z,,,answered,x\n", count: 30_000))
        var options = TestSupport.options(threads: 2, blockSize: 1)
        let input = try #require(try SplitInput.open(name: path, fileIndex: 0, firstSequence: 0, options: options, openFiles: DispatchSemaphore(value: 1)))
        #expect(input.blockCount <= SplitInput.maximumRangeCount && input.blockCount > SplitInput.maximumRangeCount / 2)
        options.blockSize = 7
        #expect(try TestSupport.ingest([path], options).ledger.rowsAccepted == 30_000)
    }

    /// The fingerprint is SHA-256 over 1 MiB pieces: the same for every reader, thread count and
    /// block size, and for the same content gzip-compressed (the CRC-32/Adler-32 one could be forged).
    @Test func contentFingerprintsAreTreeHashesWhateverTheReader() throws {
        var text = Adversarial.header + "\n"
        var row = 0
        while text.utf8.count < (5 << 19) { text += "\(row),999,2019-04-01T10:00:00Z,,,answered,\"a, b\"\n"; row += 1 }
        let path = TestSupport.temporaryFile(text)
        // Independently: SHA-256 of the tag, the pieces' SHA-256s and the length.
        let bytes = Array(text.utf8)
        let tree = SHA256Context()
        tree.update(Array("contact-metrics/content/1\n".utf8))
        for start in stride(from: 0, to: bytes.count, by: 1 << 20) {
            bytes[start..<min(bytes.count, start + (1 << 20))].withUnsafeBytes { tree.update(SHA256Context.digest($0.baseAddress!, count: $0.count)) }
        }
        withUnsafeBytes(of: Int64(bytes.count).littleEndian) { tree.update($0.baseAddress!, count: 8) }
        let expected = "sha256t:" + tree.finish().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        for (threads, blockSize, ranges) in [(1, 1 << 20, false), (2, 1 << 20, true), (2, 3 << 20, true), (3, 65_536, true), (2, 4099, true)] {
            let fingerprint = Adversarial.run([path], threads: threads, blockSize: blockSize, ranges: ranges).0.fingerprints
            #expect(fingerprint == [expected], "threads \(threads), block \(blockSize), ranges \(ranges)")
        }
        let gzipped = path + ".gz"
        let writer = try GzipOutputWriter(path: gzipped, gzip: true)
        try bytes.withUnsafeBytes { try writer.write($0) }
        try writer.close()
        #expect(Adversarial.run([gzipped], threads: 2, blockSize: 1 << 20, ranges: true).0.fingerprints == [expected])
    }

}
