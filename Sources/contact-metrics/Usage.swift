import Foundation
import ContactMetrics

/// Help texts: the prose of each command here, its options from the option table (`Option`), so
/// `help`, `--help`, usage errors and the parser agree.
enum Usage {
    static let version = "contact-metrics 0.1.0"

    /// `contact-metrics 0.1.0 on 2026-12-02 at 04:30 UTC`, for a page's sources line.
    static func madeBy() -> String {
        let stamp = DisplayFormat.utcTime(Int64(Date().timeIntervalSince1970))  // 2026-12-02T04:30:00Z
        return "\(version) on \(stamp.prefix(10)) at \(stamp.dropFirst(11).prefix(5)) UTC"
    }

    /// What help says about a command besides its options.
    struct About {
        var summary: String
        var usage: String
        var description: String
        /// Positional arguments: (shown as, help, section).
        var arguments: [(String, String, Option.Section)] = []
        var exitStatus: String?
        var examples: [String]
    }

    static let files = ("FILE...", """
        Contacts and/or incidents CSV files, Asterisk queue_log files, or JSON
        contact records (with --config); '-' reads standard input.
        gzip-compressed input (.gz) and UTF-16 text are read directly.
        """, Option.Section.input)

    static func about(_ command: Command) -> About {
        switch command {
        case .report:
            return About(
                summary: "Figures per period (day, week, month, fy, ...) from log files or a store",
                usage: "contact-metrics report FILE...|--store DB [--period PERIOD] [options]",
                description: """
                Figures per period and channel: received, answered, abandoned, abandon rate, average time to
                answer, answer-time percentiles, service level, Home Office 999 bands, handle time, online
                categories, total contacts and incidents, with the input ledger (rows read = accepted + rejected + skipped).
                With --targets, each period and channel is also judged green, amber, red or not measured against
                the targets, with its direction against the period before and the same period a year earlier (52
                weeks for days and weeks); every period of --from..--to is judged, one without data as not measured.
                """,
                arguments: [files],
                exitStatus: """
                  0   success
                  1   an input could not be read or recognised, or an output could not be written
                  3   --fail-on red|amber: a target is red (or amber); the output was written in full
                  64  usage error (unknown option, bad value, a bad --config or --targets file, an --output or
                      --rejects that cannot be written there: a directory, an input, a missing directory)
                  65  more rejected rows than --max-rejects allows, dates whose order the inputs do not settle,
                      or the header again among the rows in another column order (exports joined)
                """,
                examples: [
                    "contact-metrics report SampleData/contacts.csv SampleData/incidents.csv",
                    "contact-metrics report calls-2019.csv.gz --period fy --format markdown",
                    "contact-metrics report calls.csv --period day --from 2020-04-01 --to 2020-04-30 --format csv --output april.csv",
                    "zcat calls.csv.gz | contact-metrics report - --period week --rejects rejects.csv --max-rejects 0.5%",
                    "contact-metrics report --store metrics.db --period day --from 2020-04-01 --to 2020-04-30",
                    "contact-metrics report --store metrics.db --period day --from 2020-04-30 --to 2020-04-30 \\\n    --targets SampleData/targets.json --exceptions --fail-on red",
                ])
        case .compare:
            return About(
                summary: "A before/after comparison of two date windows",
                usage: "contact-metrics compare FILE...|--store DB --before \"LABEL=FROM..TO\" --after \"LABEL=FROM..TO\" [options]",
                description: """
                Did the change work? Compares two windows of local dates with the rows of the published Hampshire
                table (101 and 999 calls received, online reports with the leading category's share, total contacts,
                deployed incidents, incidents sent to partners, average time to answer, 101 abandonment), then
                service level, answer-time percentiles and handle time. Each change is relative for volumes (per day
                when their days with data differ), in percentage points for rates and in seconds for times, with a
                95% confidence interval that treats days, not calls, as independent (a contact centre has good and
                bad days; --intervals contacts gives the narrower per-call intervals): cluster-robust over days for
                rates and mean times, with each change's day effect (design effect), and resampled days for the
                answer-time percentiles. With fewer than 14 days in a window, the intervals are said to be unreliable.
                With --targets, each window is judged green, amber, red or not measured against the targets.
                """,
                arguments: [files],
                exitStatus: """
                  0   success
                  1   an input could not be read or recognised, or an output could not be written
                  3   --fail-on red|amber: a target is red (or amber) in a window; the output was written in full
                  64  usage error (unknown option, bad value, a bad --config or --targets file, an --output or
                      --rejects that cannot be written there: a directory, an input, a missing directory)
                  65  more rejected rows than --max-rejects allows, dates whose order the inputs do not settle,
                      or the header again among the rows in another column order (exports joined)
                """,
                examples: [
                    "contact-metrics compare SampleData/hampshire/*.csv.gz \\\n    --before \"Pre CMP=2019-04-01..2019-05-31\" --after \"CMP being used=2020-04-01..2020-05-31\"",
                    "contact-metrics compare calls.csv --before \"Old IVR=2020-01-06..2020-02-02\" \\\n    --after \"New IVR=2020-02-03..2020-03-15\" --short-abandon 5 --format markdown",
                    "contact-metrics compare SampleData/hampshire/*.csv.gz --before \"Pre CMP=2019-04-01..2019-05-31\" \\\n    --after \"CMP being used=2020-04-01..2020-05-31\" --targets SampleData/targets.json",
                ])
        case .ingest:
            return About(
                summary: "Add log files to a store of 15-minute aggregates (for nightly jobs)",
                usage: "contact-metrics ingest --store DB FILE... [options]",
                description: """
                Adds contacts and incidents files to a store: a SQLite file of aggregates per UTC 15-minute slot
                and channel (answer-wait histograms included, no caller data) that 'report --store' reads. It is
                created when missing. Each FILE is a source, named by its path as given (or --source-name):
                  - content already in the store (under any name) is left alone: "unchanged";
                  - a source of the same name with new content, or read with other options, replaces that
                    source's earlier cells;
                  - the run is one transaction: if it fails or is killed, the store is as before;
                  - a concurrent run waits for this one (up to 60 s per step) instead of failing.
                One summary line per source goes to stderr; nothing goes to stdout but, with --format json, each
                source's outcome (added, replaced, unchanged, or refused for too many rejected rows) and counts, for a
                scheduler to read; a run stopped by an error before the store is written writes no JSON, only the error.
                """,
                arguments: [files],
                exitStatus: """
                  0   every FILE is in the store (added, replaced or unchanged)
                  1   a FILE or the store could not be read or written (the store is unchanged), or, after the
                      store was updated, the --rejects file or the --format json summary could not be written
                      (the message says so)
                  64  usage error
                  65  more rejected rows than --max-rejects allows, rows rejected for a date order the file
                      does not settle or that contradicts the one given (give --date-order), or the header again
                      among the rows in another column order (exports joined); the store is unchanged
                """,
                examples: [
                    "contact-metrics ingest --store metrics.db /exports/calls-2020-04-01.csv.gz /exports/incidents-2020-04-01.csv",
                    "zcat calls.csv.gz | contact-metrics ingest --store metrics.db - --source-name calls-2020-04-01",
                ])
        case .store:
            return About(
                summary: "Show, check or edit a store: info, sources, check, remove SOURCE",
                usage: "contact-metrics store info|sources|check|remove SOURCE --store DB [--tz ZONE] [--format json]",
                description: "Shows, checks or edits a store written by 'ingest'.",
                arguments: [
                    ("info", "Size, sources, cells, and per channel the first and last local day\nwith data and the days between them without any (a missing export)", .command),
                    ("sources", "The ingested sources: rows, rejects, first and last arrival, ingest time", .command),
                    ("check", "Read every page of the store to find damage (SQLite's integrity_check).\nEvery run checks a store so when its files are not as a run left\nthem (STORE-checked records how they were); this checks it whatever\nthe record says: for damage that kept a file's size and times", .command),
                    ("remove SOURCE", "Take out everything SOURCE contributed (one transaction)", .command),
                ],
                exitStatus: """
                  0   success
                  1   the store could not be read or written, is damaged (check), or has no SOURCE of that name
                      (nothing changed)
                  64  usage error
                """,
                examples: [
                    "contact-metrics store info --store metrics.db",
                    "contact-metrics store info --store metrics.db --format json",
                    "contact-metrics store check --store metrics.db",
                    "contact-metrics store remove /exports/calls-2020-04-01.csv.gz --store metrics.db",
                ])
        case .generate:
            return About(
                summary: "Write deterministic synthetic logs (for trials and benchmarks)",
                usage: "contact-metrics generate --profile PROFILE --out DIR [--rows N] [--scale X] [--seed N] [--gzip] [shape options]",
                description: """
                Writes deterministic synthetic logs, DIR/contacts.csv and DIR/incidents.csv (.csv.gz with --gzip):
                the same profile, seed, size and options always give the same bytes.
                For uniform, the shape options (--ids to --files) change how the contacts are written, never which:
                with the same seed every shape holds the same arrivals, channels, waits and outcomes, so it gives
                the same figures. --duplicates gives rows an earlier row's id (rows that 'report --dedupe' leaves
                out); the incidents file takes --timestamps, --quote and --line-endings.
                """,
                examples: [
                    "contact-metrics generate --profile hampshire-cmp --seed 2020 --gzip --out SampleData/hampshire",
                    "contact-metrics generate --profile uniform --rows 10000000 --out /tmp/bench",
                    "contact-metrics generate --profile uniform --rows 10000000 --ids uuid --timestamps naive \\\n    --quote all --line-endings crlf --filler 20 --files 30 --gzip --out /tmp/bench-export",
                    "contact-metrics generate --profile uniform --rows 10000000 --ids string --duplicates 0.5 --out /tmp/bench-dupes",
                ])
        }
    }

    static var overview: String {
        let commands = Command.allCases.map { "  " + pad($0.rawValue, 11) + about($0).summary }
        return """
        contact-metrics: 999/101 and online contact performance figures from contact-centre logs.

        USAGE: contact-metrics <command> [options]

        COMMANDS:
        \(commands.joined(separator: "\n"))
          help       Show help for a command

        Run 'contact-metrics help <command>' for a command's options.

        EXIT STATUS:
          0   success
          1   an input could not be read or recognised, an output could not be written, or an internal error
          3   report or compare --fail-on red|amber: a target is red (or amber); the output was written
          64  usage error (unknown option, bad value)
          65  more rejected rows than --max-rejects allows, or rows rejected for a date order the inputs
              do not settle or that contradicts the one given (give --date-order), or the header again
              among the rows in another column order (exports joined); nothing is written but
              --rejects (its rows are why), a store is unchanged

        """
    }

    /// The help text of `command`: its prose, then its arguments and options by section.
    static func help(for command: Command) -> String {
        let about = about(command)
        var text = "USAGE: \(about.usage)\n\n\(about.description)\n\n"
        let options = Option.accepted(by: command)
        // Section titles only where options of more than one kind would otherwise run together.
        let titled = Set(options.filter { $0 != .help }.map(\.section)).subtracting([.command]).count > 1
        var blocks: [(title: String, lines: [String])] = []
        for section in Option.Section.allCases {
            var lines: [String] = about.arguments.filter { $0.2 == section }.map { entry($0.0, $0.1) }
            for (index, option) in options.enumerated() where option.section == section && !option.sharesHelpLine && option != .help {
                var shown = option.spelling + (option.value.map { " " + $0 } ?? "")
                if index + 1 < options.count, options[index + 1].sharesHelpLine {
                    let next = options[index + 1]
                    shown += ", " + next.spelling + (next.value.map { " " + $0 } ?? "")
                }
                lines.append(entry(shown, option.helpFor[command] ?? option.help))
            }
            if section == Option.Section.allCases.last { lines.append(entry("-h, " + Option.help.spelling, Option.help.help)) }
            if titled || blocks.isEmpty { blocks.append((titled ? section.rawValue : "", lines)) } else { blocks[0].lines += lines }
        }
        for block in blocks where !block.lines.isEmpty {
            text += (block.title.isEmpty ? "" : block.title + "\n") + block.lines.joined() + "\n"
        }
        if let exitStatus = about.exitStatus { text += "EXIT STATUS:\n\(exitStatus)\n\n" }
        text += "EXAMPLES:\n" + about.examples.map { "  " + $0.replacingOccurrences(of: "\n", with: "\n  ") + "\n" }.joined() + "\n"
        return text
    }

    /// One help line: the name padded to the help column, the help's further lines under its first.
    private static func entry(_ name: String, _ help: String) -> String {
        let column = 27
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        var text = "  " + (name.count < column ? pad(name, column) : name + " ") + lines[0] + "\n"
        for line in lines.dropFirst() { text += String(repeating: " ", count: column + 2) + line + "\n" }
        return text
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    static func usageLine(for command: Command?) -> String {
        guard let command else { return "USAGE: contact-metrics <command> [options]" }
        return "USAGE: " + about(command).usage
    }
}
