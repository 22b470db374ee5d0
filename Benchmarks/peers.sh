#!/usr/bin/env bash
# Side-by-side run: ContactMetrics vs DuckDB (and Polars when installable) on the same contacts CSV,
# the same monthly aggregation (SQL in peers.py), the same thread count, in one run.
#
# usage: Benchmarks/peers.sh FILE [THREADS=2] [RUNS=3]
# The file shape: contact_id,channel,arrived_at,answered_at,ended_at,outcome,category with ISO 8601
# offset timestamps, as written by `contact-metrics generate --profile uniform --rows N`.
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:?usage: Benchmarks/peers.sh FILE [THREADS] [RUNS]}
threads=${2:-2}
runs=${3:-3}
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb
python3 -c "import polars" 2>/dev/null || pip install --quiet polars || echo "(polars not installable: skipped)"
swift build -c release --product contact-metrics >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat "$file" > /dev/null  # page cache, for everyone alike

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

for run in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/cm.time.$run" \
    .build/release/contact-metrics report "$file" --period month --threads "$threads" --format json --no-progress > "$work/cm.json" 2>/dev/null
  /usr/bin/time -f "%e %M" -o "$work/duckdb.time.$run" python3 Benchmarks/peers.py duckdb "$file" "$threads" > "$work/duckdb.json.$run"
  if python3 -c "import polars" 2>/dev/null; then
    /usr/bin/time -f "%e %M" -o "$work/polars.time.$run" python3 Benchmarks/peers.py polars "$file" "$threads" > "$work/polars.json.$run"
  fi
done

python3 - "$work" "$runs" "$file" "$threads" <<'PY'
import json, os, statistics, sys
work, runs, path, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
size_mb = os.path.getsize(path) / 1e6

def times(name):
    values = [open(f"{work}/{name}.time.{r}").read().split() for r in range(1, runs + 1) if os.path.exists(f"{work}/{name}.time.{r}")]
    return [float(v[0]) for v in values], [int(v[1]) / 1024 for v in values]

ours = json.load(open(f"{work}/cm.json"))
peer = json.load(open(f"{work}/duckdb.json.1"))
# Identical figures: every (month, channel) count, mean and p90.
mismatches = 0
cells = 0
for row in peer["rows"]:
    period = next((p for p in ours["periods"] if p["label"] == row["month"]), None)
    channel = period and period["channels"].get(row["channel"])
    if channel is None:
        mismatches += 1; continue
    cells += 1
    checks = [("received", channel["received"], row["received"])]
    if "answered" in channel:
        checks += [("answered", channel["answered"], row["answered"]), ("abandoned", channel["abandoned"], row["abandoned"]),
                   ("p90", channel["answer_p90_seconds"], row["p90_seconds"])]
        a, b = channel["asa_seconds"], row["asa_seconds"]
        checks.append(("asa", True, (a is None and b is None) or abs(a - b) <= 1e-9 * max(1, abs(b))))
    for name, x, y in checks:
        if x != y:
            mismatches += 1
            print(f"MISMATCH {row['month']} {row['channel']} {name}: ours {x}, duckdb {y}")
print(f"file: {path} ({size_mb:.1f} MB), {threads} threads, {runs} runs, medians")
cm_wall, cm_rss = times("cm")
print(f"{'tool':<16}{'wall s':>9}{'MB/s':>9}{'peak MB':>10}{'vs DuckDB':>11}")
duck_query = statistics.median([json.load(open(f"{work}/duckdb.json.{r}"))["seconds"] for r in range(1, runs + 1)])
duck_wall, duck_rss = times("duckdb")
rows = [("contact-metrics", statistics.median(cm_wall), max(cm_rss)),
        ("duckdb (query)", duck_query, max(duck_rss)),
        ("duckdb (process)", statistics.median(duck_wall), max(duck_rss))]
pw, pr = times("polars")
if pw:
    rows.append(("polars (process)", statistics.median(pw), max(pr)))
for name, wall, rss in rows:
    print(f"{name:<16}{wall:>9.3f}{size_mb / wall:>9.0f}{rss:>10.0f}{duck_query / wall:>10.2f}x")
print(f"figures compared: {cells} (month, channel) cells; mismatches: {mismatches}")
print(f"ContactMetrics throughput vs DuckDB query time: {duck_query / statistics.median(cm_wall):.2f}x")
sys.exit(1 if mismatches else 0)
PY
