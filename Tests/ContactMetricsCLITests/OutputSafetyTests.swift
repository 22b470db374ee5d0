#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import ContactMetrics

/// Where reports and rejects go, and how input text is shown there (safety issue, items 4, 6–8 and
/// 13–16): nothing is written over what an output path names but a regular file, no write failure is
/// success, and no label becomes a formula, markup or a terminal escape.
@Suite struct OutputSafetyTests {
    static let contacts = TestSupport.sample("contacts.csv")

    /// A new empty directory.
    static func directory() -> String {
        let path = TestSupport.temporaryRoot.appendingPathComponent("cm-out-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `contact-metrics ARGUMENTS` through `/bin/sh` in `directory`, with `redirections` after it.
    static func shell(_ arguments: [String], in directory: String, redirections: String = "", prefix: String = "") throws -> CLI.Run {
        let quoted = ([CLI.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        return try script("\(prefix) exec \(quoted) \(redirections)", in: directory)
    }

    /// Runs a shell script in `directory`.
    static func script(_ script: String, in directory: String) throws -> CLI.Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Run(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                       standardError: String(decoding: errData, as: UTF8.self))
    }

    static func fileType(_ path: String) -> mode_t {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : 0
    }

    static func mode(_ path: String) -> mode_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o777 : 0
    }

    // MARK: Paths (item 4)

    /// One-character paths (Foundation's `deletingLastPathComponent` traps on some of them).
    @Test func oneCharacterOutputPaths() throws {
        let directory = Self.directory()
        let plain = try Self.shell(["report", Self.contacts, "--output", "a", "--rejects", "r"], in: directory)
        #expect(plain.status == 0)
        #expect(try String(contentsOfFile: directory + "/a", encoding: .utf8).hasPrefix("Contact metrics by month"))
        #expect(try String(contentsOfFile: directory + "/r", encoding: .utf8).hasPrefix("file,line,reason"))
        let dash = try Self.shell(["report", Self.contacts, "--output", "-"], in: directory)
        #expect(dash.status == 0 && dash.standardOutput.hasPrefix("Contact metrics by month"))
        let slash = try Self.shell(["report", Self.contacts, "--output", "x/"], in: directory)
        #expect(slash.status == 64 && slash.standardError.contains("x/: names a directory"))
        let missing = try Self.shell(["report", Self.contacts, "--rejects", "no/such/r.csv"], in: directory)
        #expect(missing.status == 64 && missing.standardError.contains("the directory no/such does not exist"))
    }

    @Test func pathHelpers() {
        #expect(FilePaths.directory(of: "a") == "." && FilePaths.directory(of: "/a") == "/" && FilePaths.directory(of: "x/y/") == "x")
        #expect(FilePaths.name(of: "a") == "a" && FilePaths.name(of: "x/y/") == "y" && FilePaths.name(of: "/") == "/")
    }

    /// `--block-size 1` asked for gigabytes and aborted.
    @Test func blockSizeIsBounded() throws {
        let run = try CLI.run(["report", Self.contacts, "--block-size", "1"])
        #expect(run.status == 64 && run.standardError.contains("--block-size: expected 4096 to 268435456 bytes"))
    }

    /// `--block-size 1M` is what people type: K and M (KiB and MiB) are read, and give what the bytes give.
    @Test func blockSizeTakesKAndM() throws {
        for (bytes, written) in [("65536", "64K"), ("4096", "4KiB"), ("2097152", "2mib"), ("1048576", "1m")] {
            let plain = try CLI.run(["report", Self.contacts, "--block-size", bytes, "--format", "json"])
            let suffixed = try CLI.run(["report", Self.contacts, "--block-size", written, "--format", "json"])
            #expect(plain.status == 0 && suffixed.status == 0 && suffixed.standardOutput == plain.standardOutput, "\(written)")
        }
        for written in ["1MB", "M", "-1M", "1.5M", "99999999999999999M", "1G", "512M"] {
            let refused = try CLI.run(["report", Self.contacts, "--block-size", written])
            #expect(refused.status == 64 && refused.standardError.contains("--block-size: expected 4096 to 268435456 bytes (4K to 256M), found '\(written)'"))
        }
    }

    // MARK: Write failures (item 6)

    @Test func writeFailuresAreErrors() throws {
        let directory = Self.directory()
        let full = try Self.shell(["report", Self.contacts], in: directory, redirections: "> /dev/full")
        #expect(full.status == 1 && full.standardError.contains("No space left on device"))
        let closed = try Self.shell(["report", Self.contacts], in: directory, redirections: ">&-")
        #expect(closed.status == 1 && closed.standardError.contains("<stdout>: cannot write"))
        let fullOutput = try Self.shell(["report", Self.contacts, "--output", "/dev/full"], in: directory)
        #expect(fullOutput.status == 1 && fullOutput.standardError.contains("/dev/full: cannot write: No space left on device"))
        let fullRejects = try Self.shell(["report", Self.contacts, "--rejects", "/dev/full"], in: directory)
        #expect(fullRejects.status == 1 && fullRejects.standardError.contains("/dev/full: cannot write"))
        // ingest's JSON summary is written after the store is: a failure then says the store was updated
        // (it said "the store is unchanged", and the re-run found the file unchanged).
        let fullSummary = try Self.shell(["ingest", "--store", "nightly.db", "--format", "json", "--max-rejects", "50%", Self.contacts], in: directory, redirections: "> /dev/full")
        #expect(fullSummary.status == 1 && fullSummary.standardError.contains("No space left on device; the store was updated all the same"), "\(fullSummary.standardError)")
        let rerun = try Self.shell(["ingest", "--store", "nightly.db", "--max-rejects", "50%", Self.contacts], in: directory)
        #expect(rerun.status == 0 && rerun.standardError.contains("unchanged"), "\(rerun.standardError)")
        // The rejects file, put in place after the store is written, likewise (found by the store review: status 1
        // and "cannot write" alone, and no summary lines, for a store that had changed).
        let fullStoreRejects = try Self.shell(["ingest", "--store", "rejects.db", "--max-rejects", "50%", "--rejects", "/dev/full", Self.contacts], in: directory)
        #expect(fullStoreRejects.status == 1 && fullStoreRejects.standardError.contains("→ rejects.db")
                && fullStoreRejects.standardError.contains("/dev/full: cannot write: No space left on device; the store was updated all the same"),
                "\(fullStoreRejects.standardError)")
        // Run again, every file unchanged: the store is said to be unchanged (found by the diff review).
        let unchangedRejects = try Self.shell(["ingest", "--store", "rejects.db", "--max-rejects", "50%", "--rejects", "/dev/full", Self.contacts], in: directory)
        #expect(unchangedRejects.status == 1 && unchangedRejects.standardError.contains("No space left on device; the store is unchanged"),
                "\(unchangedRejects.standardError)")
        let unchangedSummary = try Self.shell(["ingest", "--store", "nightly.db", "--format", "json", "--max-rejects", "50%", Self.contacts], in: directory, redirections: "> /dev/full")
        #expect(unchangedSummary.status == 1 && unchangedSummary.standardError.contains("No space left on device")
                && !unchangedSummary.standardError.contains("updated"), "\(unchangedSummary.standardError)")
        // Only a reader that has gone away ends the run quietly: 3,000 quarter hours of CSV overflow the pipe.
        var many = "channel,arrived_at\n"
        for slot in 0..<3000 { many += "999,\(1_554_109_207 + slot * 900)\n" }
        let input = TestSupport.temporaryFile(many)
        let piped = try Self.shell(["report", input, "--format", "csv", "--period", "15min"], in: directory, redirections: "| head -c 10 > /dev/null")
        #expect(piped.status == 0 && piped.standardError.isEmpty)
    }

    /// Whether this process (and so the binary built with it) runs under ThreadSanitizer, whose runtime
    /// dies under a file-size limit.
    static let underThreadSanitizer = dlsym(nil, "__tsan_init") != nil

    /// A file-size limit makes writes fail like a full disk: the run fails and the file it was to
    /// replace is left as it was.
    @Test(.disabled(if: underThreadSanitizer, "ThreadSanitizer's runtime cannot run under a file-size limit"))
    func aFailedWriteLeavesTheOldFile() throws {
        let directory = Self.directory()
        try "old report\n".write(toFile: directory + "/out.csv", atomically: true, encoding: .utf8)
        let run = try Self.shell(["report", Self.contacts, "--format", "csv", "--period", "day", "--output", "out.csv"],
                                 in: directory, prefix: "ulimit -f 1;")
        #expect(run.status == 1 && run.standardError.contains("out.csv: cannot write"))
        #expect(try String(contentsOfFile: directory + "/out.csv", encoding: .utf8) == "old report\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.csv"], "no temporary file left behind")
    }

    // MARK: What an output path names (items 7, 8)

    @Test func aFIFOIsWrittenNotReplaced() throws {
        let directory = Self.directory(), fifo = directory + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "cat '\(fifo)' > '\(directory)/captured'"]
        try reader.run()
        let run = try Self.shell(["report", Self.contacts, "--output", fifo], in: directory)
        reader.waitUntilExit()
        #expect(run.status == 0)
        #expect(Self.fileType(fifo) == S_IFIFO)
        #expect(try String(contentsOfFile: directory + "/captured", encoding: .utf8).hasPrefix("Contact metrics by month"))
    }

    @Test func aSymbolicLinkIsFollowedAndKept() throws {
        let directory = Self.directory()
        try "old\n".write(toFile: directory + "/target.txt", atomically: true, encoding: .utf8)
        #expect(symlink("target.txt", directory + "/link") == 0)
        let run = try Self.shell(["report", Self.contacts, "--output", "link"], in: directory)
        #expect(run.status == 0)
        #expect(Self.fileType(directory + "/link") == S_IFLNK)
        #expect(try String(contentsOfFile: directory + "/target.txt", encoding: .utf8).hasPrefix("Contact metrics by month"))
        #expect(symlink("missing.txt", directory + "/dangling") == 0)
        let dangling = try Self.shell(["report", Self.contacts, "--output", "dangling"], in: directory)
        #expect(dangling.status == 64 && dangling.standardError.contains("symbolic link to a file that does not exist"))
    }

    /// A character device is written in place, never replaced by a regular file (as root, that would
    /// replace the machine's /dev/null). A private copy of /dev/null is used where the test may make one.
    @Test func aCharacterDeviceIsWrittenNotReplaced() throws {
        let directory = Self.directory()
        var device = directory + "/null"
        if mknod(device, S_IFCHR | 0o666, 0x103) != 0 { device = "/dev/null" }  // major 1, minor 3: /dev/null
        let run = try Self.shell(["report", Self.contacts, "--output", device, "--rejects", device], in: directory)
        #expect(run.status == 0)
        #expect(Self.fileType(device) == S_IFCHR)
    }

    @Test func outputsMayNotNameTheStoreTheConfigAnInputOrEachOther() throws {
        let directory = Self.directory()
        let store = directory + "/metrics.db"
        #expect(try Self.shell(["ingest", "--store", store, Self.contacts, "--max-rejects", "50%"], in: directory).status == 0)
        let config = directory + "/config.json"
        try #"{"comment": "x"}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let input = directory + "/contacts.csv"
        try FileManager.default.copyItem(atPath: Self.contacts, toPath: input)
        let before = try [store, config, input].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let cases: [([String], String)] = [
            (["ingest", "--store", store, Self.contacts, "--rejects", store], "--rejects \(store) is the store"),
            (["report", "--store", store, "--output", store], "--output \(store) is the store"),
            (["report", "--store", "./metrics.db", "--output", store], "is the store"),
            (["report", input, "--config", config, "--output", config], "is the config"),
            (["report", input, "--output", "./contacts.csv"], "is the input"),
            (["report", input, "--output", "x.txt", "--rejects", "./x.txt"], "--output and --rejects name the same file"),
        ]
        for (arguments, message) in cases {
            let run = try Self.shell(arguments, in: directory)
            #expect(run.status == 64 && run.standardError.contains(message), "\(arguments): \(run.standardError)")
        }
        #expect(try [store, config, input].map { try Data(contentsOf: URL(fileURLWithPath: $0)) } == before)
    }

    /// Standard input is the file the shell opened for it: an output may not replace it, nor may it be read
    /// again by name (both gave exit 0: the call log overwritten, every count doubled).
    @Test func standardInputIsTheFileItReads() throws {
        let directory = Self.directory()
        let input = directory + "/calls.csv"
        try FileManager.default.copyItem(atPath: Self.contacts, toPath: input)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let cases: [([String], String)] = [
            (["report", "-", "--output", "calls.csv"], "--output calls.csv is the input read as standard input ('-')"),
            (["report", "-", "--rejects", "./calls.csv"], "--rejects ./calls.csv is the input read as standard input ('-')"),
            (["report", "calls.csv", "-"], "calls.csv and - are the same file; give it once"),
        ]
        for (arguments, message) in cases {
            let run = try Self.shell(arguments, in: directory, redirections: "< calls.csv")
            #expect(run.status == 64 && run.standardError.contains(message), "\(arguments): \(run.standardError)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
    }

    /// `/dev/stdout` and `/dev/stderr` are the descriptors the shell opened, written where they stand: a log
    /// opened with `>>` keeps what it held (it was replaced by a new file, and stderr's warnings were lost).
    @Test func descriptorPathsAppendToTheirLogs() throws {
        let directory = Self.directory()
        try "earlier\n".write(toFile: directory + "/out.log", atomically: true, encoding: .utf8)
        try "earlier\n".write(toFile: directory + "/err.log", atomically: true, encoding: .utf8)
        let run = try Self.shell(["report", Self.contacts, "--output", "/dev/stdout", "--rejects", "/dev/stderr"], in: directory,
                                 redirections: ">> out.log 2>> err.log")
        #expect(run.status == 0)
        let out = try String(contentsOfFile: directory + "/out.log", encoding: .utf8)
        let err = try String(contentsOfFile: directory + "/err.log", encoding: .utf8)
        #expect(out.hasPrefix("earlier\n") && out.contains("All contacts"))
        #expect(err.hasPrefix("earlier\n") && err.contains("file,line,reason,message,record") && err.contains("warning: "))
        let closed = try Self.shell(["report", Self.contacts, "--output", "/dev/fd/7"], in: directory)
        #expect(closed.status == 64 && closed.standardError.contains("--output /dev/fd/7: names descriptor 7, which is not open"))
        // A descriptor is checked as the file it is open on: an input appended to, or one open for reading only.
        try FileManager.default.copyItem(atPath: Self.contacts, toPath: directory + "/in.csv")
        let input = try Data(contentsOf: URL(fileURLWithPath: directory + "/in.csv"))
        for (arguments, redirections, message) in [(["--output", "/dev/fd/3"], "3>> in.csv", "--output /dev/fd/3 is the input in.csv"),
                                                   (["--rejects", "/dev/fd/3"], "3>> in.csv", "--rejects /dev/fd/3 is the input in.csv"),
                                                   ([], ">> in.csv", "--output <stdout> is the input in.csv"),
                                                   (["--output", "/dev/fd/3"], "3< in.csv", "names descriptor 3, which is open for reading only")] {
            let run = try Self.shell(["report", "in.csv"] + arguments, in: directory, redirections: redirections)
            #expect(run.status == 64 && run.standardError.contains(message), "\(arguments) \(redirections): \(run.standardError)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/in.csv")) == input)
    }

    /// A name that is not UTF-8 is refused: Swift replaced its bad bytes, so the file could not be opened and
    /// an output went to another name.
    @Test func namesThatAreNotUTF8AreRefused() throws {
        let directory = Self.directory()
        let run = try Self.script("exec '\(CLI.binary.path)' report --output \"$(printf 'r\\351.txt')\" '\(Self.contacts)'", in: directory)
        #expect(run.status == 64 && run.standardError.contains("is not valid UTF-8 (a name in another encoding?)"), "\(run.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    /// `generate` removes what an earlier run listed as written to its directory and this one does not (three of
    /// five daily files were left, and `report DIR/contacts-*.csv` read 16,000 rows for 10,000), and nothing
    /// else: an export named like its files is never touched.
    @Test func generateLeavesOnlyItsOwnFiles() throws {
        let directory = Self.directory()
        for name in ["contacts-notes.csv", "contacts-201904.csv"] { try "mine".write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        #expect(try Self.shell(["generate", "--profile", "uniform", "--rows", "1000", "--files", "5", "--out", "."], in: directory).status == 0)
        let run = try Self.shell(["generate", "--profile", "uniform", "--rows", "1000", "--files", "2", "--out", "."], in: directory)
        #expect(run.status == 0 && run.standardError.contains("note: generate: removed 3 files (contacts-0003.csv …) that an earlier run wrote to ."))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
                == [".contact-metrics-generated", "contacts-0001.csv", "contacts-0002.csv", "contacts-201904.csv", "contacts-notes.csv", "incidents.csv"])
        // A directory a run did not list is left as it is, exports named like generated files included.
        let other = Self.directory()
        try "real".write(toFile: other + "/contacts.csv.gz", atomically: true, encoding: .utf8)
        #expect(try Self.shell(["generate", "--profile", "uniform", "--rows", "1000", "--out", "."], in: other).status == 0)
        #expect(try String(contentsOfFile: other + "/contacts.csv.gz", encoding: .utf8) == "real")
    }

    // MARK: Rejects files (item 15)

    /// The rejects file goes in place with the run's other outputs: a run that fails (an input missing) leaves
    /// the old one as it was (it was replaced, beside the old report); a run refused for its rejects (65) writes it.
    @Test func aFailedRunLeavesTheOldRejectsFile() throws {
        let directory = Self.directory()
        try "contact_id,channel,arrived_at\n1,999,31/02/2019\n".write(toFile: directory + "/bad.csv", atomically: true, encoding: .utf8)
        #expect(try Self.shell(["report", "bad.csv", "--rejects", "rejects.csv", "--output", "report.txt"], in: directory).status == 0)
        let before = try String(contentsOfFile: directory + "/rejects.csv", encoding: .utf8)
        for arguments in [["report", Self.contacts, "missing.csv"], ["ingest", "--store", "m.db", Self.contacts, "missing.csv"]] {
            let run = try Self.shell(arguments + ["--rejects", "rejects.csv"], in: directory)
            #expect(run.status == 1 && run.standardError.contains("missing.csv"))
            #expect(try String(contentsOfFile: directory + "/rejects.csv", encoding: .utf8) == before, "\(arguments)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["bad.csv", "rejects.csv", "report.txt"])
        let refused = try Self.shell(["report", Self.contacts, "--rejects", "rejects.csv", "--max-rejects", "0"], in: directory)
        let after = try String(contentsOfFile: directory + "/rejects.csv", encoding: .utf8)
        #expect(refused.status == 65 && after != before)
        // An ingest whose store is written puts its rejects in place with it, even when its summary cannot be.
        try "old\n".write(toFile: directory + "/ingested.csv", atomically: true, encoding: .utf8)
        let stored = try Self.shell(["ingest", "--store", "n.db", "bad.csv", Self.contacts, "--max-rejects", "50%", "--rejects", "ingested.csv",
                                     "--format", "json"], in: directory, redirections: "> /dev/full")
        #expect(stored.status == 1 && stored.standardError.contains("the store was updated all the same"))
        #expect(try String(contentsOfFile: directory + "/ingested.csv", encoding: .utf8).hasPrefix("file,line,reason"))
    }

    @Test func rejectsFilesArePrivate() throws {
        let directory = Self.directory()
        let old = umask(0o022)
        defer { umask(old) }
        #expect(try Self.shell(["report", Self.contacts, "--rejects", "new.csv"], in: directory).status == 0)
        #expect(Self.mode(directory + "/new.csv") == 0o600)
        #expect(FileManager.default.createFile(atPath: directory + "/strict.csv", contents: nil, attributes: [.posixPermissions: 0o400]))
        #expect(try Self.shell(["report", Self.contacts, "--rejects", "strict.csv"], in: directory).status == 0)
        #expect(Self.mode(directory + "/strict.csv") == 0o400)
        // A report keeps the mode of the file it replaces.
        #expect(FileManager.default.createFile(atPath: directory + "/shared.txt", contents: nil, attributes: [.posixPermissions: 0o664]))
        #expect(try Self.shell(["report", Self.contacts, "--output", "shared.txt"], in: directory).status == 0)
        #expect(Self.mode(directory + "/shared.txt") == 0o664)
    }

    // MARK: Input text in outputs (items 13, 14)

    static let hostile = """
    contact_id,channel,arrived_at,answered_at,ended_at,outcome,category
    1,"=HYPERLINK(""http://x"",""y"")",2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,,answered,@SUM(1)
    2,all contacts,2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,,answered,"<img src=x onerror=alert(1)>"
    3,"red \u{1B}[31m alarm",2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,,answered,"[x](javascript:alert(1))"
    4,"evil \u{202E}txt.exe",2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,,answered,-2+3
    5,999,"2019-04-01 \u{1B}]0;owned\u{07}
    warning: forged line",,,,
    6,999,=cmd|' /C calc'!A0,,,,

    """

    @Test func csvCellsCannotRunAsFormulas() throws {
        let directory = Self.directory()
        let input = TestSupport.temporaryFile(Self.hostile)
        let run = try Self.shell(["report", input, "--format", "csv", "--rejects", "rejects.csv"], in: directory)
        #expect(run.status == 0)
        let cells = Self.csvCells(run.standardOutput) + Self.csvCells(try String(contentsOfFile: directory + "/rejects.csv", encoding: .utf8))
        #expect(cells.count > 100)
        for cell in cells {
            #expect(!(cell.first.map { "=+@\t\r".contains($0) } ?? false), "\(cell)")
            if cell.hasPrefix("-") { #expect(Double(cell) != nil, "\(cell)") }
        }
        #expect(cells.contains("'=hyperlink(\"http://x\",\"y\")") && cells.contains("category:'@SUM(1)") == false)
        #expect(cells.contains("category:@SUM(1)") && cells.contains("category:-2+3"), "a cell that starts with text is safe as it is")
        #expect(Escaping.spreadsheetSafe("-12.5") == "-12.5" && Escaping.spreadsheetSafe("-2+3") == "'-2+3" && Escaping.spreadsheetSafe("1e-3") == "1e-3")
    }

    /// The cells of an RFC 4180 document, quotes undone.
    static func csvCells(_ text: String) -> [String] {
        var cells: [String] = [], cell = "", quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { cell.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    cell.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," || character == "\n" {
                cells.append(cell)
                cell = ""
            } else {
                cell.append(character)
            }
        }
        return cells
    }

    @Test func terminalTextIsEscaped() throws {
        let input = TestSupport.temporaryFile(Self.hostile)
        let run = try CLI.run(["report", input])
        #expect(run.status == 0)
        let everything = run.standardOutput + run.standardError
        #expect(!everything.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" })
        #expect(run.standardOutput.contains("red \\u{1B}[31m alarm") && run.standardOutput.contains("evil \\u{202E}txt.exe"))
        // The newline inside the rejected field cannot start a line of its own.
        #expect(!run.standardError.split(separator: "\n").contains { $0.hasPrefix("warning: forged") })
        // The total row cannot be mistaken for a channel called "all contacts".
        #expect(run.standardOutput.contains("2019-04 (partial)  all contacts") && run.standardOutput.contains("2019-04 (partial)  All contacts"))
        let ingest = try CLI.run(["ingest", "--store", StoreSupport.temporaryStorePath(), "--source-name", "x\u{1B}[2Jy", "-"],
                                 input: "channel,arrived_at\n999,2019-04-01T10:00:00Z\n")
        #expect(ingest.status == 0 && ingest.standardError.contains("x\\u{1B}[2Jy") && !ingest.standardError.contains("\u{1B}"))
    }

    @Test func markdownAndHTMLCannotCarryMarkup() throws {
        let input = TestSupport.temporaryFile(Self.hostile)
        let markdown = try CLI.run(["report", input, "--format", "markdown"]).standardOutput
        #expect(!markdown.contains("<img") && markdown.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(markdown.contains("\\[x](javascript:alert(1))") && !markdown.replacingOccurrences(of: "\\[x]", with: "").contains("[x]("))
        let html = try CLI.run(["report", input, "--format", "html"]).standardOutput
        #expect(!html.contains("<img") && !html.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" })
        #expect(Escaping.markdownCell("a | b `c` \\ *d* _e_ [−1, +2] *") == "a \\| b \\`c\\` \\\\ \\*d\\* \\_e\\_ [−1, +2] \\*")
    }
}

/// Findings of the adversarial review after the first round of fixes.
/// A run stopped by a signal (Ctrl-C, `kill`, a closed terminal) leaves no half-written output beside its
/// target: before, each interrupted run left a hidden `.NAME.XXXXXX` as large as the output. SIGKILL
/// runs no handler: what such a run left (`.NAME.tmp-PID-…`) the next run writing NAME removes.
@Suite struct InterruptedRunTests {
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP, SIGQUIT])
    func aSignalRemovesTheTemporaryOutput(signal: Int32) throws {
        let directory = OutputSafetyTests.directory()
        // SIGQUIT's default action dumps core: none from a test (the limit is inherited by the run).
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        if signal == SIGQUIT { getrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &noCore); noCore.rlim_cur = 0; setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &noCore) }
        let process = Process()
        process.executableURL = CLI.binary
        // Reading standard input that stays open: the rejects file's temporary file exists while it waits.
        process.arguments = ["report", "-", "--rejects", directory + "/rejects.csv", "--output", directory + "/out.txt", "--no-progress"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("channel,arrived_at\n999,2019-04-01 10:00:00\n".utf8))
        func hidden() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(".") } }
        var waited = 0
        while hidden().isEmpty && waited < 200 {
            usleep(50_000)
            waited += 1
        }
        #expect(hidden().count == 1, "the temporary rejects file, while the run reads")
        let dispositions = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8))?
            .split(separator: "\n").filter { $0.hasPrefix("Sig") } ?? []
        kill(process.processIdentifier, signal)
        waited = 0
        while process.isRunning && waited < 200 {
            usleep(50_000)
            waited += 1
        }
        try? input.fileHandleForWriting.close()  // ends a run that did not stop (the test then fails, not hangs)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal, "\(dispositions)")
        #expect(hidden().isEmpty, "\(hidden())")
        #expect(!FileManager.default.fileExists(atPath: directory + "/rejects.csv") && !FileManager.default.fileExists(atPath: directory + "/out.txt"))
    }

    @Test func temporaryOutputsOfDeadRunsAreRemoved() throws {
        let directory = OutputSafetyTests.directory()
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier, alive = getpid()
        let left = [".out.csv.tmp-\(dead)-a1B2c3", ".rejects.csv.tmp-\(dead)-x9Y8z7"]
        let kept = [".out.csv.tmp-\(alive)-q1W2e3", ".out.csv.keep", ".other.csv.tmp-\(dead)-a1B2c3"]
        for name in left + kept { FileManager.default.createFile(atPath: directory + "/" + name, contents: Data("x".utf8)) }
        let run = try CLI.run(["report", "SampleData/contacts.csv", "--output", directory + "/out.csv", "--rejects", directory + "/rejects.csv",
                               "--format", "csv", "--no-progress"])
        #expect(run.status == 0, "\(run.standardError)")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(Set(names) == Set(kept + ["out.csv", "rejects.csv"]), "\(names)")
    }
}

@Suite struct SecondReviewOutputTests {
    static let contacts = OutputSafetyTests.contacts

    /// A `--rejects` FIFO whose reader goes away is an error (status 1), not the quiet end of a closed stdout.
    @Test func aRejectsPipeThatClosesIsAnError() throws {
        let directory = OutputSafetyTests.directory(), fifo = directory + "/rejects"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "exec head -c 1 '\(fifo)' > /dev/null"]
        try reader.run()
        var rows = "channel,arrived_at\n"
        for _ in 0..<20_000 { rows += ",2019-04-01T10:00:00Z\n" }  // 20,000 rejects: more than a pipe holds
        let input = TestSupport.temporaryFile(rows)
        let run = try OutputSafetyTests.shell(["report", input, "--rejects", fifo, "--output", "out.txt"], in: directory)
        reader.waitUntilExit()
        #expect(run.status == 1 && run.standardError.contains("\(fifo): cannot write: Broken pipe"), "\(run.standardError)")
    }

    /// With stderr closed, no file the run opens may take descriptor 2 (and get the progress bar).
    @Test func closedStandardStreamsAreNotReused() throws {
        let directory = OutputSafetyTests.directory()
        let run = try OutputSafetyTests.shell(["report", Self.contacts, "--progress", "--rejects", "r.csv", "--output", "o.txt"],
                                              in: directory, redirections: "2>&-")
        #expect(run.status == 0)
        #expect(try String(contentsOfFile: directory + "/r.csv", encoding: .utf8).hasPrefix("file,line,reason,message,record\n"))
        let noStdout = try OutputSafetyTests.shell(["report", Self.contacts, "--rejects", "r2.csv"], in: directory, redirections: ">&-")
        #expect(noStdout.status == 1 && noStdout.standardError.contains("standard output is closed"))
        // The run failed, so its rejects file is not put in place (a failed run leaves the old one as it was).
        #expect(!FileManager.default.fileExists(atPath: directory + "/r2.csv"))
    }

    @Test func moreOutputCollisionsAndOddPaths() throws {
        let directory = OutputSafetyTests.directory()
        let store = directory + "/s.db"
        #expect(try OutputSafetyTests.shell(["ingest", "--store", store, Self.contacts, "--max-rejects", "50%"], in: directory).status == 0)
        let wal = try OutputSafetyTests.shell(["report", "--store", store, "--output", store + "-wal"], in: directory)
        #expect(wal.status == 64 && wal.standardError.contains("is the store"))
        let twice = try OutputSafetyTests.shell(["report", Self.contacts, "./" + FilePaths.name(of: Self.contacts)],
                                                in: FilePaths.directory(of: Self.contacts))
        #expect(twice.status == 64 && twice.standardError.contains("are the same file; give it once"))
        let dash = try OutputSafetyTests.shell(["report", Self.contacts, "--rejects", "-"], in: directory)
        #expect(dash.status == 64 && dash.standardError.contains("standard output carries only the report"))
        let longName = String(repeating: "n", count: 250)
        #expect(try OutputSafetyTests.shell(["report", Self.contacts, "--output", longName], in: directory).status == 0)
        #expect(FileManager.default.fileExists(atPath: directory + "/" + longName))
        let repeated = try OutputSafetyTests.shell(["report", Self.contacts, "--period", "day", "--period", "week"], in: directory)
        #expect(repeated.status == 64 && repeated.standardError.contains("option '--period' is given more than once"))
        #expect(try OutputSafetyTests.shell(["report", Self.contacts, "--max-rejects", "-0%"], in: directory).status == 64)
        let missingDirectory = try OutputSafetyTests.shell(["ingest", "--store", directory + "/no/such/s.db", Self.contacts], in: directory)
        #expect(missingDirectory.status == 1 && missingDirectory.standardError.contains("cannot create the store"))
    }

    /// A reader who may not write the store leaves no write-ahead log files of its own beside it: its owner's
    /// next ingest failed on them, every night, with "attempt to write a readonly database" (found by a review).
    /// Such files left by an earlier version are named, with what to do. Needs root (to be two other users).
    @Test func aReaderWhoCannotWriteTheStoreLeavesNothingThatStopsItsOwner() throws {
        guard getuid() == 0 else { return }
        let directory = OutputSafetyTests.directory(), store = directory + "/s.db"
        #expect(chmod(directory, 0o777) == 0)
        let binary = CLI.binary.path
        func run(_ user: String, _ command: String) throws -> CLI.Run {
            try OutputSafetyTests.script("su \(user) -s /bin/sh -c \"cd '\(directory)' && \(command)\"", in: directory)
        }
        #expect(try run("daemon", "'\(binary)' ingest --store s.db --quiet --max-rejects 50% '\(Self.contacts)'").status == 0)
        for command in ["report --store s.db", "store info --store s.db", "store sources --store s.db"] {
            let read = try run("nobody", "'\(binary)' \(command)")
            #expect(read.status == 0, "\(command): \(read.standardError)")
            #expect(!FileManager.default.fileExists(atPath: store + "-wal") && !FileManager.default.fileExists(atPath: store + "-shm"), "\(command)")
        }
        #expect(try run("nobody", "touch s.db-wal s.db-shm").status == 0)
        let ingest = try run("daemon", "'\(binary)' ingest --store s.db --quiet --max-rejects 50% --source-name again '\(Self.contacts)'")
        #expect(ingest.status == 1)
        #expect(ingest.standardError.contains("cannot write the store: s.db-wal and s.db-shm, the write-ahead log's files, belong to nobody, "
                                              + "who could only read the store; have them removed while no one reads the store (by nobody or root"), "\(ingest.standardError)")
    }

    /// A file the user may not write is not replaced (the shell's `>` refuses it too).
    @Test func aFileOneMayNotWriteIsNotReplaced() throws {
        let directory = OutputSafetyTests.directory()
        #expect(chmod(directory, 0o777) == 0)
        try "mine\n".write(toFile: directory + "/locked.txt", atomically: true, encoding: .utf8)
        #expect(chmod(directory + "/locked.txt", 0o444) == 0)
        let command = "'\(CLI.binary.path)' report '\(Self.contacts)' --output locked.txt"
        let asOther = getuid() == 0 ? "su nobody -s /bin/sh -c \"cd '\(directory)' && \(command)\"" : "cd '\(directory)' && \(command)"
        let run = try OutputSafetyTests.script(asOther, in: directory)
        #expect(run.status == 64 && run.standardError.contains("locked.txt: cannot write: Permission denied"), "\(run.standardError)")
        #expect(try String(contentsOfFile: directory + "/locked.txt", encoding: .utf8) == "mine\n")
    }

    static let hostile = """
    contact_id,channel,arrived_at,answered_at,ended_at,outcome,category
    1,"bell\u{07}\u{202E}",2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,,answered,"\u{1B}]0;title\u{07}"
    2,"emergency\r",2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,,answered,x
    3,emergency,2019-04-01T10:00:00Z,2019-04-01T10:00:05Z,,answered,x

    """

    @Test func csvAndJSONCarryNoRawControls() throws {
        let input = TestSupport.temporaryFile(Self.hostile)
        for format in ["csv", "json", "table", "markdown", "html"] {
            let output = try CLI.run(["report", input, "--format", format]).standardOutput
            #expect(!output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" || $0 == "\r" }, "\(format)")
        }
        let json = try CLI.run(["report", input, "--format", "json"]).standardOutput
        #expect(json.contains("bell\\u0007\\u202e"))
        // A label ending in a carriage return does not look like the label without it.
        let table = try CLI.run(["report", input]).standardOutput
        #expect(table.contains("emergency\\r") && table.contains("  emergency  "))
    }

    @Test func compareNotesAreEscaped() throws {
        let calls = TestSupport.temporaryFile("channel,arrived_at\n999,2019-04-01T10:00:00Z\n999,2020-04-01T10:00:00Z\n")
        let incidents = TestSupport.temporaryFile("raised_at,referred_to\n2020-04-01T10:00:00Z,\"\u{1B}]0;t\u{07}<img src=x onerror=alert(1)>[x](javascript:alert(1))\"\n",
                                                  name: "incidents.csv")
        let arguments = ["compare", calls, incidents, "--before", "B=2019-04-01..2019-04-30", "--after", "A=2020-04-01..2020-04-30"]
        let table = try CLI.run(arguments).standardOutput
        #expect(!table.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" } && table.contains("\\u{1B}]0;t"))
        let markdown = try CLI.run(arguments + ["--format", "markdown"]).standardOutput
        #expect(!markdown.contains("<img") && markdown.contains("\\[x](javascript"))
    }

    /// One huge label must not pad every row of a table to its width (a 1 MB label would make a 304 MB report).
    @Test func tableCellsHaveABoundedWidth() throws {
        var text = "channel,arrived_at\n" + String(repeating: "L", count: 200_000) + ",2019-04-01T10:00:00Z\n"
        for index in 0..<200 { text += "c\(index),2019-04-01T10:00:00Z\n" }
        let output = try CLI.run(["report", TestSupport.temporaryFile(text)]).standardOutput
        #expect(output.utf8.count < 100_000)
        #expect(output.contains(String(repeating: "l", count: 79) + "…"))
    }
}
