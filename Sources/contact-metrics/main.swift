#if canImport(Glibc)
import Glibc
#endif
import ContactMetrics

// The thin CLI: parse the command, run it, map failures to the exit statuses of DESIGN §8.
signal(SIGPIPE, SIG_IGN)  // a closed stdout pipe is handled where we write (quiet exit 0)
signal(SIGXFSZ, SIG_IGN)  // a file-size limit fails the write (EFBIG) like a full disk, with a message
InterruptCleanup.install()  // Ctrl-C or kill leaves no half-written output beside its target
Terminal.claimStandardStreams()
fixLargeAllocationThreshold()
// Many inputs may be open at once (IngestEngine.maximumOpenSplitInputs): take what the hard limit allows.
var openFiles = rlimit()
if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &openFiles) == 0 && openFiles.rlim_cur < min(openFiles.rlim_max, 4096) {
    openFiles.rlim_cur = min(openFiles.rlim_max, 4096)
    setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &openFiles)
}

let words = Array(CommandLine.arguments.dropFirst())
let status: Int32
do {
    // Arguments reach Swift with invalid UTF-8 replaced: a Latin-1 file name could not be opened, and an
    // output or store was made under another name.
    for index in 1..<Int(CommandLine.argc) {
        guard let raw = CommandLine.unsafeArgv[index], String(validatingCString: raw) == nil else { continue }
        throw UsageError(message: "'\(CommandLine.arguments[index])' is not valid UTF-8 (a name in another encoding?): rename it, "
                         + "or give it through a link with a UTF-8 name", command: words.first.flatMap(Command.init(rawValue:)))
    }
    switch words.first {
    case nil, "help", "--help", "-h":
        let topic = words.first == "help" ? words.dropFirst().first.flatMap { $0 == "help" ? nil : $0 } : nil
        guard let topic else {
            try Terminal.output(Usage.overview)
            break
        }
        guard let command = Command(rawValue: topic) else { throw UsageError(message: "no such command '\(topic)'", command: nil) }
        try Terminal.output(Usage.help(for: command))
    case "--version", "version":
        try Terminal.output(Usage.version + "\n")
    case let name?:
        guard let command = Command(rawValue: name) else {
            var message = "unknown command '\(name)'"
            // An option before the command (`--store metrics.db report`) is that, not a misspelt `store`.
            if name.hasPrefix("-"), let command = words.dropFirst().first(where: { Command(rawValue: $0) != nil }) {
                message += "; options go after the command: contact-metrics \(command) ... \(name)"
            } else if let suggestion = Arguments.suggestion(for: name, among: Command.allCases.map(\.rawValue) + ["help"]) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw UsageError(message: message, command: nil)
        }
        let rest = Array(words.dropFirst())
        switch command {
        case .report: try ReportCommand.run(rest)
        case .compare: try CompareCommand.run(rest)
        case .ingest: try IngestCommand.run(rest)
        case .store: try StoreCommand.run(rest)
        case .generate: try GenerateCommand.run(rest)
        }
    }
    status = 0
} catch let error as UsageError {
    let helpHint = error.command.map { "See 'contact-metrics help \($0.rawValue)'." } ?? "See 'contact-metrics help'."
    Terminal.error("Error: \(Escaping.visible(error.message))\n\(Usage.usageLine(for: error.command))\n\(helpHint)")
    status = 64
} catch CommandFailure.tooManyRejects(let message) {
    Terminal.error("Error: \(Escaping.visible(message))")
    status = 65
} catch CommandFailure.targetsMissed(let message) {
    Terminal.error("contact-metrics: \(Escaping.visible(message)): exit status 3")
    status = 3
} catch let error as OutputError where error.isClosedPipe {
    status = 0  // the reader has what it wanted (`| head`)
} catch CommandFailure.io(let message) {
    Terminal.error("Error: \(Escaping.visible(message))")
    status = 1
} catch {
    Terminal.error("Error: \(Escaping.visible(String(describing: error)))")
    status = 1
}
// The rejects file goes in place with the run's other outputs, or not at all.
var exitStatus = status
if status == 0 || status == 3 {
    do throws(OutputError) { try PendingRejects.commit() } catch {
        Terminal.error("Error: \(Escaping.visible(error.description))")
        exitStatus = 1
    }
} else {
    PendingRejects.discard()
}
try? StoreReading.closeAll()  // closed, a store's last connection removes its -wal and -shm
exit(exitStatus)
