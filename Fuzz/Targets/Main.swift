import Foundation

// libFuzzer entry point for every ContactMetrics fuzz target. The targets are compiled into one
// binary with the library's sources (one module, so they reach its internals); `FUZZ_TARGET` picks
// the target. Each checks invariants, not only "no crash", and traps (`fuzzCheck`) when one fails,
// which libFuzzer reports as a crash with the input that caused it. See Fuzz/README.md.

/// The targets by name.
let fuzzTargets: [String: (UnsafeRawBufferPointer) -> Void] = [
    "records": RecordsTarget.run,
    "engine": EngineTarget.run,
    "queue-log": QueueLogTarget.run,
    "timestamp": TimestampTarget.run,
    "config": ConfigTarget.run,
    "store-cells": StoreCellsTarget.run,
    "text": TextTarget.run,
    "targets": TargetsTarget.run,
]

let selectedTarget: (UnsafeRawBufferPointer) -> Void = {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    guard let target = fuzzTargets[name] else {
        FileHandle.standardError.write(Data("FUZZ_TARGET must be one of: \(fuzzTargets.keys.sorted().joined(separator: ", "))\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selectedTarget(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}

/// An invariant: a failure stops the fuzzer with the message and the input.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        FileHandle.standardError.write(Data("fuzz invariant failed: \(message())\n".utf8))
        abort()
    }
}

/// The input's bytes in a block buffer (with the slack the word-at-a-time readers need).
func fuzzBuffer(_ bytes: UnsafeRawBufferPointer) -> BlockBuffer {
    let buffer = BlockBuffer(capacity: max(1, bytes.count))
    if let base = bytes.baseAddress { buffer.base.update(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
    return buffer
}

enum FuzzSupport {
    static let london = try! TimeZoneRules(identifier: "Europe/London")

    /// A small integer taken from the first byte (then dropped), for choosing options.
    static func choice(_ bytes: inout UnsafeRawBufferPointer, _ count: Int) -> Int {
        guard let first = bytes.first else { return 0 }
        bytes = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
        return Int(first) % count
    }
}
