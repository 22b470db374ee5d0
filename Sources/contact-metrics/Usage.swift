/// Help texts. Kept in one place so `help`, `--help` and usage errors agree.
enum Usage {
    static let version = "contact-metrics 0.1.0"

    static let overview = """
    contact-metrics: 999/101 and online contact performance figures from contact-centre logs.

    USAGE: contact-metrics <command> [options]

    COMMANDS:
      report     Figures per period (day, week, month, fy, ...) from log files or a store
      ingest     Add log files to a store of 15-minute aggregates (for nightly jobs)
      store      Show or edit a store: info, sources, remove SOURCE
      compare    A before/after comparison of two date windows
      generate   Write deterministic synthetic logs (for trials and benchmarks)
      help       Show help for a command

    Run 'contact-metrics help <command>' for a command's options.

    EXIT STATUS:
      0   success
      1   an input could not be read or recognised, an output could not be written, or an internal error
      64  usage error (unknown option, bad value)
      65  more rejected rows than --max-rejects allows (nothing is written; a store is unchanged)

    """

    static let commonOptions = """
    INPUT OPTIONS:
      FILE...                    Contacts and/or incidents CSV files, or Asterisk queue_log files;
                                 '-' reads standard input.
                                 gzip-compressed input (.gz) is read directly.
      --kind KIND                Read every input as contacts | incidents | queue-log (default: from its
                                 header, or its shape for an Asterisk queue_log)
      --config FILE.json         Mapping config for exports with other column names, split date and
                                 time columns, other delimiters and labels (see README "Mapping config")
      --tz ZONE                  Report time zone (default: the config's time_zone, else Europe/London);
                                 naive times are read in it
      --date-order ORDER         ymd (default) | dmy | mdy, for dates like 01/04/2019
      --from DATE, --to DATE     Only rows that arrived on these local dates (YYYY-MM-DD, inclusive)
      --dedupe                   Leave out rows whose id repeats an earlier row's (counted as skipped)
      --threads N                Worker threads, each reading and decoding (default: all cores)
      --block-size BYTES         Bytes per block handed to a thread, 4096 to 268435456 (default 1048576)

    METRIC OPTIONS:
      --short-abandon S          Abandons under S seconds are short abandons, left out of rates (default 0)
      --service-level LIST       Thresholds per channel in seconds (default 999=10,101=60,webchat=60)
      --service-level-formula F  abandons-count-against (default) | ignore-abandons | abandons-in-favour
      --submission-channels LIST Channels with no queue (default online)

    OUTPUT OPTIONS:
      --format FORMAT            table (default) | markdown | csv | json | html
      --output FILE              Write the report to FILE instead of standard output (a file is replaced
                                 only once the report is complete; a FIFO or device is written to)
      --rejects FILE             Write every rejected row (file, line, reason, message, record) as CSV,
                                 readable by its owner only (mode 0600: the rows hold caller data)
      --max-rejects N|P%         Fail with status 65 when more rows are rejected (default: no limit)
      --progress, --no-progress  Progress bar on stderr (default: when stderr is a terminal)
      -h, --help                 Show this help

    """

    static let report = """
    USAGE: contact-metrics report FILE...|--store DB [--period PERIOD] [options]

    Figures per period and channel: received, answered, abandoned, abandon rate, average time to
    answer, answer-time percentiles, service level, Home Office 999 bands, handle time, online
    categories, total contacts and incidents, with the input ledger (rows read = accepted + rejected + skipped).

      --period PERIOD            15min | 30min | hour | day | week | month (default) | quarter | year | fy
      --store DB                 Read the cells of a store ('ingest') instead of FILEs; the figures are
                                 those of the same report on the ingested files (--tz: zones on quarter-hour offsets)

    """ + commonOptions + """
    EXAMPLES:
      contact-metrics report SampleData/contacts.csv SampleData/incidents.csv
      contact-metrics report calls-2019.csv.gz --period fy --format markdown
      contact-metrics report calls.csv --period day --from 2020-04-01 --to 2020-04-30 --format csv --output april.csv
      zcat calls.csv.gz | contact-metrics report - --period week --rejects rejects.csv --max-rejects 0.5%
      contact-metrics report --store metrics.db --period day --from 2020-04-01 --to 2020-04-30

    """

    static let ingest = """
    USAGE: contact-metrics ingest --store DB FILE... [options]

    Adds contacts and incidents files to a store: a SQLite file of aggregates per UTC 15-minute slot
    and channel (answer-wait histograms included, no caller data) that 'report --store' reads. It is
    created when missing. Each FILE is a source, named by its path as given (or --source-name):
      - content already in the store (under any name) is left alone: "unchanged";
      - a source of the same name with new content replaces that source's earlier cells;
      - the run is one transaction: if it fails or is killed, the store is as before;
      - a concurrent run waits for this one (up to 60 s per step) instead of failing.
    One summary line per source goes to stderr; nothing goes to stdout.

      --store DB                 The store file (required)
      --source-name NAME         Record the one FILE (or '-', standard input) under NAME
      --kind KIND                Read every input as contacts | incidents | queue-log (default: from its
                                 header or shape)
      --config FILE.json         Mapping config for exports with other column names (see README)
      --tz ZONE                  Time zone of naive timestamps (default Europe/London, or the config's)
      --date-order ORDER         ymd (default) | dmy | mdy, for dates like 01/04/2019
      --dedupe                   Leave out rows whose id repeats an earlier row's in the same FILE
      --submission-channels LIST Channels with no queue (default online)
      --threads N                Worker threads, each reading and decoding (default: all cores)
      --block-size BYTES         Bytes per block handed to a thread, 4096 to 268435456 (default 1048576)
      --rejects FILE             Write every rejected row (file, line, reason, message, record) as CSV,
                                 readable by its owner only (mode 0600: the rows hold caller data)
      --max-rejects N|P%         Fail with status 65, store unchanged, when more rows of the run are
                                 rejected (default 1%)
      --progress, --no-progress  Progress bar on stderr (default: when stderr is a terminal)
      -h, --help                 Show this help

    EXIT STATUS:
      0   every FILE is in the store (added, replaced or unchanged)
      1   a FILE or the store could not be read or written; the store is unchanged
      64  usage error
      65  more rejected rows than --max-rejects allows; the store is unchanged

    EXAMPLES:
      contact-metrics ingest --store metrics.db /exports/calls-2020-04-01.csv.gz /exports/incidents-2020-04-01.csv
      zcat calls.csv.gz | contact-metrics ingest --store metrics.db - --source-name calls-2020-04-01

    """

    static let store = """
    USAGE: contact-metrics store info|sources|remove SOURCE --store DB [--tz ZONE]

    Shows or edits a store written by 'ingest'.

      info                       Size, sources, cells, and the first and last local day with data per channel
      sources                    The ingested sources: rows, rejects, first and last arrival, ingest time
      remove SOURCE              Take out everything SOURCE contributed (one transaction)
      --store DB                 The store file (required)
      --tz ZONE                  Time zone of the days shown by info (default Europe/London)
      -h, --help                 Show this help

    EXAMPLES:
      contact-metrics store info --store metrics.db
      contact-metrics store remove /exports/calls-2020-04-01.csv.gz --store metrics.db

    """

    static let compare = """
    USAGE: contact-metrics compare FILE...|--store DB --before "LABEL=FROM..TO" --after "LABEL=FROM..TO" [options]

    Did the change work? Compares two windows of local dates with the rows of the published Hampshire
    table (101 and 999 calls received, online reports with the leading category's share, total contacts,
    deployed incidents, incidents sent to partners, average time to answer, 101 abandonment), then
    service level, answer-time percentiles and handle time. Each change is relative for volumes (per day
    when the windows differ in length), in percentage points for rates and in seconds for times, with a
    95% confidence interval (Newcombe's hybrid score interval for rates, Welch's for mean times).

      --before "LABEL=FROM..TO"  The window before the change (local dates, inclusive)
      --after "LABEL=FROM..TO"   The window after the change
      --store DB                 Read the figures from a store made by 'ingest' instead of files

    """ + commonOptions + """
    EXAMPLES:
      contact-metrics compare SampleData/hampshire/*.csv.gz \\
          --before "Pre CMP=2019-04-01..2019-05-31" --after "CMP being used=2020-04-01..2020-05-31"
      contact-metrics compare calls.csv --before "Old IVR=2020-01-06..2020-02-02" \\
          --after "New IVR=2020-02-03..2020-03-15" --short-abandon 5 --format markdown

    """

    static let generate = """
    USAGE: contact-metrics generate --profile PROFILE --out DIR [--rows N] [--scale X] [--seed N] [--gzip]

    Writes deterministic synthetic logs, DIR/contacts.csv and DIR/incidents.csv (.csv.gz with --gzip):
    the same profile, seed and size always give the same bytes.

      --profile PROFILE   hampshire-cmp: April 2019 – May 2020, calibrated so that the April–May 2019 vs
                          April–May 2020 comparison reproduces the published Hampshire table;
                          uniform: N contacts over 2019–2020 for benchmarks (10M rows ≈ 1 GB)
      --rows N            Contacts for uniform (default 1000000); incidents are N/20
      --scale X           Volume multiplier for hampshire-cmp (default 1: the published volumes)
      --seed N            Random seed (default 2020)
      --gzip              Compress the files with gzip
      --out DIR           Output directory (created if needed)

    EXAMPLES:
      contact-metrics generate --profile hampshire-cmp --seed 2020 --gzip --out SampleData/hampshire
      contact-metrics generate --profile uniform --rows 10000000 --out /tmp/bench

    """

    /// The help text of `command` (nil: the overview), or nil for an unknown command.
    static func help(for command: String?) -> String? {
        switch command {
        case nil: return overview
        case "report": return report
        case "compare": return compare
        case "generate": return generate
        case "ingest": return ingest
        case "store": return store
        default: return nil
        }
    }

    static func usageLine(for command: String?) -> String {
        guard let command, let help = help(for: command),
              let line = help.split(separator: "\n").first(where: { $0.hasPrefix("USAGE:") }) else {
            return "USAGE: contact-metrics <command> [options]"
        }
        return String(line)
    }
}
