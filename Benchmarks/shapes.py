"""The shape matrix (issue 12): the same contacts in each export shape, contact-metrics and DuckDB on each,
alternating in one run, and a Markdown table of times, memory and whether the figures agree.

usage: python3 Benchmarks/shapes.py ROWS THREADS RUNS DATA_DIR   (run it through Benchmarks/shapes.sh)

Environment: SHAPES=numeric,uuid,... runs only those rows (names as in the table; the table then goes
to matrix-partial.md); STRICT=1 makes the rows marked "diagnostic" count towards the exit status too.

Each shape's files are generated once into DATA_DIR/ROWS/<shape>/ (`generate --profile uniform --rows
ROWS --seed 2020` and the shape's options) and reused while that directory exists. Rows are timed with
/usr/bin/time (wall, user + sys CPU, peak RSS); times are medians of RUNS runs, peak memory the largest.
Figures are compared per (month, channel) as peers.sh does: received, answered, abandoned, mean answer
wait (to 1e-9) and nearest-rank p90. Exit status 1 when a tool fails on a shape or a compared row disagrees.
"""
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

BINARY = ".build/release/contact-metrics"
PEERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers.py")


@dataclass
class Row:
    name: str
    data: str  # the directory under DATA_DIR/ROWS holding the shape's files
    cm_options: list = field(default_factory=list)
    duck_options: list = field(default_factory=list)
    # The contact-metrics run of another row is the same command: its figures and times are reused.
    cm_from: str = None
    # A diagnostic row shows a known difference of meaning; it counts only with STRICT=1.
    diagnostic: bool = False
    # False when DuckDB runs a heavier query than the others' (its ratios are not speed figures).
    comparable_speed: bool = True
    note: str = ""


# How each shape's directory is made: generate options, or built from another shape's files.
GENERATED = {
    "numeric": [],
    "string": ["--ids", "string"],
    "uuid": ["--ids", "uuid"],
    "asterisk": ["--ids", "asterisk"],
    "sparse": ["--ids", "sparse"],
    "quoted-crlf": ["--quote", "all", "--line-endings", "crlf"],
    "gzip": ["--gzip"],
    "naive": ["--timestamps", "naive"],
    "filler-20": ["--filler", "20"],
    "files-30": ["--files", "30"],
    "duplicates-50": ["--duplicates", "0.5"],
}

ROWS = [
    Row("numeric", "numeric"),
    Row("string", "string"),
    Row("uuid", "uuid"),
    Row("asterisk", "asterisk"),
    Row("sparse", "sparse"),
    Row("quoted-crlf", "quoted-crlf"),
    Row("gzip", "gzip"),
    Row("gzip-members", "gzip-members", note="contacts.csv as 2 gzip members (`cat a.gz b.gz`)"),
    Row("naive", "naive", duck_options=["--naive", "later"], diagnostic=True,
        note="DuckDB's own cast: a repeated-hour time is its later (GMT) instant; contact-metrics reads a row's "
             "times together (the combination that keeps them in order, the first instant when alone)"),
    Row("naive-paired", "naive", duck_options=["--naive", "paired", "--reject-negative"], cm_from="naive",
        comparable_speed=False,
        note="DuckDB told to read a row's naive times together as contact-metrics does (peers.py --naive paired), "
             "and rows with a negative wait or handle time rejected (a check of meaning: DuckDB's query is "
             "heavier here, so no ratios)"),
    Row("filler-20", "filler-20"),
    Row("files-30", "files-30"),
    Row("duplicates-50", "duplicates-50", note="50% of rows repeat an earlier id; all rows counted"),
    Row("dedupe", "duplicates-50", cm_options=["--dedupe"], duck_options=["--dedupe"],
        note="--dedupe; DuckDB: DISTINCT ON (contact_id) by earliest arrival (= first in file order here)"),
]


def log(message):
    print(f"shapes: {message}", file=sys.stderr, flush=True)


def contact_files(directory):
    return sorted(os.path.join(directory, name) for name in os.listdir(directory) if name.startswith("contacts"))


def ensure_data(root, shape, rows):
    """The shape's directory, generated (into a temporary name, then renamed) unless present."""
    directory = os.path.join(root, shape)
    if os.path.isdir(directory):
        return directory
    partial = directory + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    if shape == "gzip-members":
        # Two gzip members of one CSV: the header and first half, then the rest.
        source = os.path.join(ensure_data(root, "numeric", rows), "contacts.csv")
        os.makedirs(partial)
        split = rows // 2 + 1
        with open(os.path.join(partial, "contacts.csv.gz"), "wb") as out:
            for part in [f"head -n {split}", f"tail -n +{split + 1}"]:
                subprocess.run(["bash", "-o", "pipefail", "-c", f"{part} {shlex.quote(source)} | gzip -c"], check=True, stdout=out)
    else:
        subprocess.run([BINARY, "generate", "--profile", "uniform", "--rows", str(rows), "--seed", "2020",
                        "--out", partial] + GENERATED[shape], check=True)
    os.rename(partial, directory)
    log(f"generated {shape} in {time.perf_counter() - started:.1f} s")
    return directory


def warm(paths):
    """Reads the files once, so that every run finds them in the page cache."""
    for path in paths:
        with open(path, "rb") as file:
            while file.read(1 << 23):
                pass


def timed(command, output):
    """Runs command with its stdout to `output`; returns (wall s, CPU s, peak MB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as times, open(output, "w") as out:
        result = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", times.name] + command,
                                stdout=out, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr.strip()[-2000:]}")
        wall, user, system, rss = times.read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss) / 1024


def cells(ours):
    """contact-metrics' JSON report as {(month, channel): figures}."""
    table = {}
    for period in ours["periods"]:
        for channel, figures in period["channels"].items():
            table[(period["label"], channel)] = figures
    return table


def compare(ours, peer_rows):
    """Mismatches between contact-metrics' report and DuckDB's rows, as readable lines."""
    table = cells(ours)
    problems = []
    seen = set()
    for row in peer_rows:
        key = (row["month"], row["channel"])
        seen.add(key)
        channel = table.get(key)
        if channel is None:
            problems.append(f"{key[0]} {key[1]}: only DuckDB has this cell ({row['received']} received)")
            continue
        checks = [("received", channel["received"], row["received"])]
        if "answered" in channel:
            checks += [("answered", channel["answered"], row["answered"]), ("abandoned", channel["abandoned"], row["abandoned"]),
                       ("p90", channel["answer_p90_seconds"], row["p90_seconds"])]
            a, b = channel["asa_seconds"], row["asa_seconds"]
            same = (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= 1e-9 * max(1, abs(b)))
            if not same:
                problems.append(f"{key[0]} {key[1]} asa: ours {a}, duckdb {b}")
        for name, x, y in checks:
            if x != y:
                problems.append(f"{key[0]} {key[1]} {name}: ours {x}, duckdb {y}")
    for key in table.keys() - seen:
        problems.append(f"{key[0]} {key[1]}: only contact-metrics has this cell")
    return problems


def same_as(ours, reference):
    """How many (month, channel) cells differ between two contact-metrics reports (the compared figures)."""
    a, b = cells(ours), cells(reference)
    names = ["received", "answered", "abandoned", "asa_seconds", "answer_p90_seconds"]
    return sum(1 for key in a.keys() | b.keys() if key not in a or key not in b or
               any(a[key].get(name) != b[key].get(name) for name in names))


def main():
    rows, threads, runs, data_dir = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    only = [name for name in os.environ.get("SHAPES", "").split(",") if name]
    unknown = set(only) - {row.name for row in ROWS}
    if unknown:
        sys.exit(f"shapes: unknown shape(s) in SHAPES: {', '.join(sorted(unknown))} (known: {', '.join(r.name for r in ROWS)})")
    root = os.path.join(data_dir, str(rows))
    os.makedirs(root, exist_ok=True)
    strict = os.environ.get("STRICT") == "1"
    selected = [row for row in ROWS if not only or row.name in only or any(r.name in only and r.cm_from == row.name for r in ROWS)]
    work = tempfile.mkdtemp(prefix="shapes-")
    results = {}
    try:
        for row in selected:
            files = contact_files(ensure_data(root, row.data, rows))
            warm(files)
            size = sum(os.path.getsize(f) for f in files) / 1e6
            log(f"{row.name}: {len(files)} file(s), {size:.1f} MB, {runs} run(s)")
            try:
                results[row.name] = measure(row, files, threads, runs, work, results) | {"row": row, "size": size}
            except RuntimeError as error:
                # A shape a tool rejects is a finding: shown in the table, and the run fails.
                log(f"  FAILED {row.name}: {error}")
                results[row.name] = {"row": row, "size": size, "failed": str(error)}
                continue
            problems = results[row.name]["problems"]
            for line in problems[:20]:
                log(f"  MISMATCH {row.name}: {line}")
            if len(problems) > 20:
                log(f"  ... and {len(problems) - 20} more")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    table = render(results, rows, threads, runs)
    if only:
        table = table.replace("\n", f" Only SHAPES={','.join(only)}.\n", 1)
    print(table)
    # A run of some rows only does not replace the whole matrix.
    path = os.path.join(root, "matrix-partial.md" if only else "matrix.md")
    with open(path, "w") as out:
        out.write(table + "\n")
    log(f"table written to {path}")
    failed = [name for name, r in results.items() if "failed" in r or (r["problems"] and (strict or not r["row"].diagnostic))]
    if failed:
        log(f"failed, or figures differ from DuckDB's, in: {', '.join(failed)}")
        sys.exit(1)


def measure(row, files, threads, runs, work, results):
    """RUNS runs of contact-metrics and DuckDB on `files`, alternating; their times and figures compared."""
    cm, duck = [], []
    for run in range(runs):
        if row.cm_from is None:
            output = os.path.join(work, f"{row.name}.cm.{run}.json")
            command = [BINARY, "report"] + files + ["--period", "month", "--threads", str(threads),
                                                    "--format", "json", "--no-progress"] + row.cm_options
            cm.append(timed(command, output) + (output,))
        output = os.path.join(work, f"{row.name}.duckdb.{run}.json")
        command = ["python3", PEERS, "duckdb"] + files + [str(threads)] + row.duck_options
        duck.append(timed(command, output) + (output,))
    if row.cm_from is not None:
        if "cm" not in results.get(row.cm_from, {}):
            raise RuntimeError(f"no contact-metrics run of {row.cm_from} to reuse")
        cm = results[row.cm_from]["cm"]
    ours = json.load(open(cm[0][3]))
    peer = [json.load(open(d[3])) for d in duck]
    return {"cm": cm, "duck": duck, "ours": ours, "problems": compare(ours, peer[0]["rows"]),
            "query": statistics.median(p["seconds"] for p in peer), "ledger": ours["ledger"]}


def render(results, rows, threads, runs):
    import duckdb
    revision = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"Shape matrix: {rows:,} rows, {threads} threads, {runs} run(s) each, medians (peak memory: the largest); "
        f"contact-metrics {revision}, DuckDB {duckdb.__version__}, {os.cpu_count()} cores, {platform.machine()}, "
        f"{time.strftime('%Y-%m-%d %H:%M')}.",
        "",
        "| shape | file MB | ours wall s | ours CPU s | ours peak MB | DuckDB process s | DuckDB query s | DuckDB CPU s "
        "| DuckDB peak MB | query ÷ ours | process ÷ process | figures identical | ours = numeric |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    numeric = results.get("numeric")
    if numeric is not None and "failed" in numeric:
        numeric = None
    for name, r in results.items():
        if "failed" in r:
            lines.append(f"| {name} | {r['size']:.1f} |" + " |" * 9 + " **failed** (below) | |")
            continue
        cm_wall = statistics.median(c[0] for c in r["cm"])
        cm_cpu = statistics.median(c[1] for c in r["cm"])
        cm_peak = max(c[2] for c in r["cm"])
        duck_wall = statistics.median(d[0] for d in r["duck"])
        duck_cpu = statistics.median(d[1] for d in r["duck"])
        duck_peak = max(d[2] for d in r["duck"])
        problems = r["problems"]
        identical = "yes" if not problems else f"**no ({len(problems)})**"
        if r["row"].diagnostic and problems:
            identical += " (diagnostic)"
        if name == "dedupe" or numeric is None:
            versus = "n/a"
        else:
            differing = same_as(r["ours"], numeric["ours"])
            versus = "yes" if differing == 0 else f"no ({differing} cells)"
        reused = " (same run as naive)" if r["row"].cm_from else ""
        ratios = f"{r['query'] / cm_wall:.2f}× | {duck_wall / cm_wall:.2f}×" if r["row"].comparable_speed else "— | —"
        lines.append(
            f"| {name} | {r['size']:.1f} | {cm_wall:.3f}{reused} | {cm_cpu:.2f} | {cm_peak:.0f} | {duck_wall:.3f} | "
            f"{r['query']:.3f} | {duck_cpu:.2f} | {duck_peak:.0f} | {ratios} | {identical} | {versus} |")
    lines += [
        "",
        f"ours: `contact-metrics report FILES --period month --threads {threads} --format json --no-progress`; DuckDB: "
        f"`python3 Benchmarks/peers.py duckdb FILES {threads}` (process: the whole Python process, start-up and import "
        "included; query: the query alone). CPU: user + sys. Figures identical: per (month, channel) received, answered, "
        "abandoned, mean answer wait (to 1e-9) and p90 equal to DuckDB's (in brackets: how many differ). "
        "Ours = numeric: the same figures equal to contact-metrics' own on the numeric shape.",
        "",
    ]
    for name, r in results.items():
        if "failed" in r:
            lines.append(f"- {name}: failed: {r['failed']}")
            continue
        ledger = r["ledger"]
        extra = []
        if ledger["rows_rejected"]:
            extra.append(f"{ledger['rows_rejected']} rows rejected by contact-metrics {ledger['rejected_by_reason']}")
        if ledger["rows_skipped"]:
            extra.append(f"{ledger['rows_skipped']} skipped {ledger['skipped_by_reason']}")
        if ledger["duplicate_ids"]:
            extra.append(f"{ledger['duplicate_ids']} duplicate ids")
        if ledger["repeated_local_times"]:
            extra.append(f"{ledger['repeated_local_times']} naive times in the repeated autumn hour")
        if ledger.get("paired_across_clock_change"):
            extra.append(f"{ledger['paired_across_clock_change']} rows read together across the clock change")
        if r["row"].note or extra:
            lines.append(f"- {name}: " + "; ".join(([r["row"].note] if r["row"].note else []) + extra) + ".")
        for problem in r["problems"][:10]:
            lines.append(f"  - mismatch: {problem}")
        if len(r["problems"]) > 10:
            lines.append(f"  - … {len(r['problems']) - 10} more")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
