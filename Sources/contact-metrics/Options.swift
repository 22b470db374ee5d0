/// The commands of the CLI.
enum Command: String, CaseIterable {
    case report, ingest, store, compare, generate
}

/// One command-line option, described once: the parser, the "did you mean" suggestions, the help
/// text, which commands accept it and whether it says how files are read all come from here. Each
/// option's name is spelled only in its entry below; code refers to the entry (`Option.period`).
struct Option: Hashable {
    enum Section: String, CaseIterable {
        case command = "", input = "INPUT OPTIONS:", metric = "METRIC OPTIONS:", output = "OUTPUT OPTIONS:"
    }

    /// Without the leading `--`.
    let name: String
    /// The value's placeholder in help (`PERIOD`); nil for a flag.
    let value: String?
    /// Help lines (a line break continues the text under the first line).
    let help: String
    let section: Section
    let commands: Set<Command>
    /// The option acts only while files are read (`ingest` records its effect in the store), so it is
    /// refused beside `--store`.
    var readsFiles = false
    /// Wording for a command where the option means something narrower.
    var helpFor: [Command: String] = [:]
    /// Shown in help on one line with the option before it (`--from DATE, --to DATE`).
    var sharesHelpLine = false

    var spelling: String { "--" + name }

    static func == (left: Option, right: Option) -> Bool { left.name == right.name }
    func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

extension Option {
    private static let reading: Set<Command> = [.report, .compare, .ingest]
    private static let reporting: Set<Command> = [.report, .compare]

    // Command options.
    static let period = Option(name: "period", value: "PERIOD",
                               help: "15min | 30min | hour | day | week | month (default) | quarter | year | fy",
                               section: .command, commands: [.report])
    static let before = Option(name: "before", value: "\"LABEL=FROM..TO\"",
                               help: "The window before the change (local dates, inclusive)", section: .command, commands: [.compare])
    static let after = Option(name: "after", value: "\"LABEL=FROM..TO\"", help: "The window after the change",
                              section: .command, commands: [.compare])
    static let baseline = Option(name: "baseline", value: "previous-year", help: """
        Also compare the same windows 52 weeks earlier, and give each change
        over and above that year's change (difference in differences)
        """, section: .command, commands: [.compare])
    static let trend = Option(name: "trend", value: nil, help: """
        Also fit an interrupted time series to every day from the first window's start
        to the second's end: level, trend and weekday effects, the level and trend change
        at --change-date, Newey–West intervals
        """, section: .command, commands: [.compare])
    static let changeDate = Option(name: "change-date", value: "DATE",
                                   help: "When the change came in, for --trend (default: the --after window's first day)",
                                   section: .command, commands: [.compare])
    static let event = Option(name: "event", value: "\"LABEL=DATE,...\"",
                              help: "Further breaks for --trend, each a level change from its date (e.g. \"Lockdown=2020-03-23\")",
                              section: .command, commands: [.compare])
    static let series = Option(name: "series", value: "FILE",
                               help: "Write the daily series --trend fitted, as CSV, to FILE (to check the fit elsewhere)",
                               section: .command, commands: [.compare])
    static let store = Option(name: "store", value: "DB", help: """
        Read the cells of a store ('ingest') instead of FILEs; the figures are
        those of the same report on the ingested files (--tz: zones on quarter-hour offsets)
        """, section: .command, commands: [.report, .compare, .ingest, .store],
        helpFor: [.ingest: "The store file (required)", .store: "The store file (required)"])
    static let sourceName = Option(name: "source-name", value: "NAME", help: "Record the one FILE (or '-', standard input) under NAME",
                                   section: .command, commands: [.ingest])
    static let profile = Option(name: "profile", value: "PROFILE", help: """
        hampshire-cmp: April 2018 – May 2020, calibrated so that the April–May 2019 vs
        April–May 2020 comparison reproduces the published Hampshire table (the year
        before it, for --baseline previous-year, varies from day to day);
        uniform: N contacts over 2019–2020 for benchmarks (10M rows ≈ 1 GB)
        """, section: .command, commands: [.generate])
    static let rows = Option(name: "rows", value: "N", help: "Contacts for uniform (default 1000000); incidents are N/20",
                             section: .command, commands: [.generate])
    static let scale = Option(name: "scale", value: "X", help: "Volume multiplier for hampshire-cmp (default 1: the published volumes)",
                              section: .command, commands: [.generate])
    static let seed = Option(name: "seed", value: "N", help: "Random seed (default 2020)", section: .command, commands: [.generate])
    static let gzip = Option(name: "gzip", value: nil, help: "Compress the files with gzip", section: .command, commands: [.generate])
    static let out = Option(name: "out", value: "DIR", help: "Output directory (created if needed)", section: .command, commands: [.generate])
    // The export shape of uniform's contacts (`ExportShape`).
    static let ids = Option(name: "ids", value: "STYLE", help: """
        numeric (default: 1, 2, 3…) | string (CL-00013414c1) | uuid (v4, lower case) |
        asterisk (uniqueid: arrival epoch second.counter) | sparse (65536, 131072…)
        """, section: .command, commands: [.generate])
    static let duplicates = Option(name: "duplicates", value: "FRACTION",
                                   help: "Fraction of contacts, 0 to 1, that repeat an earlier contact's id (default 0)",
                                   section: .command, commands: [.generate])
    static let timestamps = Option(name: "timestamps", value: "STYLE", help: """
        offset (default: 2019-04-01T08:15:02+01:00) | naive (2019-04-01 08:15:02,
        Europe/London wall time) | utc (2019-04-01T07:15:02Z)
        """, section: .command, commands: [.generate])
    static let quote = Option(name: "quote", value: "FIELDS", help: """
        minimal (default: fields holding a comma or quote) | all (every field,
        header included, an empty one as "")
        """, section: .command, commands: [.generate])
    static let lineEndings = Option(name: "line-endings", value: "EOL", help: "lf (default) | crlf",
                                    section: .command, commands: [.generate])
    static let filler = Option(name: "filler", value: "N", help: "N free-text columns extra_1 … extra_N after the others (default 0)",
                               section: .command, commands: [.generate])
    static let files = Option(name: "files", value: "N", help: """
        Split the contacts into N files in time order, contacts-0001.csv …, each
        with the header (default 1: contacts.csv)
        """, section: .command, commands: [.generate])

    // How files are read.
    static let kind = Option(name: "kind", value: "KIND", help: """
        Read every input as contacts | incidents | queue-log (default: from its
        header, or its shape for an Asterisk queue_log)
        """, section: .input, commands: reading, readsFiles: true)
    static let config = Option(name: "config", value: "FILE.json", help: """
        Mapping config for exports with other column names, split date and
        time columns, other delimiters and labels (see README "Mapping config")
        """, section: .input, commands: reading)
    static let encoding = Option(name: "encoding", value: "NAME", help: """
        utf-8 | utf-16le | utf-16be | latin1 | windows-1252 (also utf8, iso-8859-1,
        cp1252) for files without a byte-order mark (default: the config's, else
        UTF-8; a file that starts with a byte-order mark is read as it says, whatever is given)
        """, section: .input, commands: reading, readsFiles: true)
    static let delimiter = Option(name: "delimiter", value: "NAME", help: """
        comma | semicolon | tab | pipe (default: the config's, else judged from
        each file's header line: a comma if it has one, else its ; or tab or |)
        """, section: .input, commands: reading, readsFiles: true)
    static let tz = Option(name: "tz", value: "ZONE", help: """
        Time zone of naive timestamps and of the periods, a tz database name or UTC
        (default: the config's time_zone; from a store, the zone its sources were read in;
        else Europe/London); BST, GMT, EST… are refused
        """, section: .input, commands: reading.union([.store]),
        helpFor: [.ingest: "Time zone of naive timestamps (default: the config's time_zone, else Europe/London)",
                  .store: "Time zone of the days shown by info (default: the zone the sources were read in, else Europe/London)"])
    static let dateOrder = Option(name: "date-order", value: "ORDER", help: "dmy | mdy for dates like 01/04/2019 (default: judged from the data);\nymd: ISO dates only",
                                  section: .input, commands: reading, readsFiles: true)
    static let from = Option(name: "from", value: "DATE", help: "Only rows that arrived on these local dates (YYYY-MM-DD, inclusive)",
                             section: .input, commands: [.report])
    // compare reads the days of its windows (and of --trend's span and --baseline's year before).
    static let to = Option(name: "to", value: "DATE", help: "", section: .input, commands: [.report], sharesHelpLine: true)
    static let maxPlausibleWait = Option(name: "max-plausible-wait", value: "S", help: """
        Reject waits (answered or abandoned) above S seconds as implausible_wait
        (default: only waits over a day are rejected, as implausible_duration)
        """, section: .input, commands: reading, readsFiles: true)
    static let dedupe = Option(name: "dedupe", value: nil, help: "Leave out rows whose id repeats an earlier row's (counted as skipped)",
                               section: .input, commands: reading, readsFiles: true,
                               helpFor: [.ingest: "Leave out rows whose id repeats an earlier row's in the same FILE"])
    static let threads = Option(name: "threads", value: "N", help: "Worker threads, each reading and decoding (default: all cores)",
                                section: .input, commands: reading)
    static let blockSize = Option(name: "block-size", value: "BYTES",
                                  help: "Bytes per block handed to a thread, 4096 to 268435456; K and M mean KiB and MiB (default 1M)",
                                  section: .input, commands: reading)

    // How figures are computed.
    static let shortAbandon = Option(name: "short-abandon", value: "S",
                                     help: "Abandons under S seconds are short abandons, left out of rates (default 0)",
                                     section: .metric, commands: reporting)
    static let serviceLevel = Option(name: "service-level", value: "LIST",
                                     help: "Thresholds per channel in seconds (default 999=10,101=60,webchat=60)",
                                     section: .metric, commands: reporting)
    static let serviceLevelFormula = Option(name: "service-level-formula", value: "F",
                                            help: """
                                                abandons-count-against (default) | ignore-abandons | abandons-in-favour
                                                | ignore-abandons-within-threshold (see README: the vendors' definitions)
                                                """, section: .metric, commands: reporting)
    static let serviceLevelBoundary = Option(name: "service-level-boundary", value: "le|lt",
                                             help: "Within T means a wait ≤ T (le, default) or < T (lt)",
                                             section: .metric, commands: reporting)
    static let waits = Option(name: "waits", value: "answered|all", help: """
        Whose waits the percentiles (p50, p90, p95) are of: answered contacts (default),
        or all callers, abandons included (short abandons left out)
        """, section: .metric, commands: reporting)
    static let intervals = Option(name: "intervals", value: "UNITS", help: """
        days (default): confidence intervals treat days as the independent units,
        as day-to-day variation demands; contacts: every contact independent (narrower)
        """, section: .metric, commands: [.compare])
    static let submissionChannels = Option(name: "submission-channels", value: "LIST", help: "Channels with no queue (default online)",
                                           section: .metric, commands: reading, readsFiles: true)

    // Targets.
    static let targets = Option(name: "targets", value: "FILE|PRESET", help: """
        Judge each period (or window) against targets: JSON like
        {"101": {"abandon_rate": {"at_most": 0.10, "amber_within": 0.02}}};
        green, amber, red or not measured, with the direction of travel.
        Preset: home-office-999 (90% of 999 calls answered in under 10 s)
        """, section: .metric, commands: reporting)
    static let exceptions = Option(name: "exceptions", value: nil, help: """
        Report by exception: only the amber and red targets, worst first
        (needs --targets)
        """, section: .output, commands: reporting)
    static let failOn = Option(name: "fail-on", value: "red|amber", help: """
        Exit with status 3 (after writing the output) when a target is red,
        or amber or red, or a day or longer period has no data at all, or
        nothing could be judged (needs --targets)
        """, section: .output, commands: reporting)

    // Where results go.
    static let format = Option(name: "format", value: "FORMAT", help: "table (default) | markdown | csv | json | html",
                               section: .output, commands: reporting.union([.ingest, .store]),
                               helpFor: [.ingest: "table (default): a line per file on stderr | json: the outcome of each\nfile on stdout (added, replaced, unchanged or refused, with its counts)",
                                         .store: "table (default) | json (info and sources)"])
    static let output = Option(name: "output", value: "FILE", help: """
        Write the report to FILE instead of standard output (a file is replaced
        only once the report is complete; a FIFO or device is written to)
        """, section: .output, commands: reporting)
    static let rejects = Option(name: "rejects", value: "FILE", help: """
        Write every rejected row (file, line, reason, message, record) as CSV,
        readable by its owner only (mode 0600: the rows hold caller data)
        """, section: .output, commands: reading, readsFiles: true)
    static let maxRejects = Option(name: "max-rejects", value: "N|P%",
                                   help: "Fail with status 65 when more rows are rejected (default: no limit)",
                                   section: .output, commands: reading, readsFiles: true,
                                   helpFor: [.ingest: "Fail with status 65, store unchanged, when more rows of the files it\nwould write are rejected (default 1%; files it holds already aside)"])
    static let progress = Option(name: "progress", value: nil, help: "Progress bar on stderr (default: when stderr is a terminal)",
                                 section: .output, commands: reading)
    static let noProgress = Option(name: "no-progress", value: nil, help: "", section: .output, commands: reading, sharesHelpLine: true)
    static let quiet = Option(name: "quiet", value: nil, help: """
        Nothing on stderr unless something is wrong: no line per file, no notes
        (warnings, rejected rows and errors are still said; for a scheduler that
        mails whatever a job prints)
        """, section: .output, commands: [.ingest])
    static let help = Option(name: "help", value: nil, help: "Show this help", section: .output, commands: Set(Command.allCases))

    /// Every option, in the order help lists them.
    static let all: [Option] = [
        period, before, after, baseline, trend, changeDate, event, series, store, sourceName, profile, rows, scale, seed, gzip, out,
        ids, duplicates, timestamps, quote, lineEndings, filler, files,
        kind, config, delimiter, encoding, tz, dateOrder, from, to, maxPlausibleWait, dedupe, threads, blockSize,
        shortAbandon, serviceLevel, serviceLevelFormula, serviceLevelBoundary, waits, intervals, submissionChannels, targets,
        format, exceptions, failOn, output, rejects, maxRejects, progress, noProgress, quiet, help,
    ]

    /// The options `command` accepts, in help order.
    static func accepted(by command: Command) -> [Option] { all.filter { $0.commands.contains(command) } }
}
