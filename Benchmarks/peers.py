"""Runs one peer's monthly aggregation of a contacts CSV and prints its timing and results as JSON.

usage: peers.py duckdb|polars FILE... THREADS [--naive later|earlier] [--dedupe] [--reject-negative]

FILE: a contacts CSV, gzip-compressed or not (concatenated gzip members too), or a glob such as
'dir/contacts-*.csv'; several FILEs (or a glob's files) are read as one table, each with its header.
Fields may all be quoted (an empty quoted field "" is NULL, DuckDB's allow_quoted_nulls default),
lines may end in CRLF, columns beyond the canonical ones are ignored, and timestamps may carry an
offset or Z. Options (DuckDB only):
  --naive later|earlier  timestamps without an offset are Europe/London wall times (SET TimeZone).
                         A time in the autumn's repeated hour names two instants: `later` is what
                         DuckDB's cast does by itself (the GMT one), `earlier` takes the first (BST)
                         one, as ContactMetrics does.
  --dedupe               keep one row per contact_id, the earliest arrival (the first in file order
                         for a file written in arrival order, as `generate` writes them).
  --reject-negative      leave out the rows ContactMetrics rejects for a negative duration: answered
                         rows answered before arrival or ended before answered, abandoned rows ended
                         before arrival (none in a generated file unless naive times cross the
                         repeated hour).

The query is the same monthly, per-channel aggregation ContactMetrics computes (DESIGN §9): arrivals
grouped by local month in Europe/London, received / answered / abandoned counts, mean answer wait
(ASA) and the nearest-rank 90th percentile of answer waits. DuckDB's quantile_disc is nearest-rank
(checked: n = 7, 10, 11, 13, 100, 101 give the ⌈0.9·n⌉-th value), so its p90 must equal ours exactly.
"""
import json
import time

DUCKDB_SQL = """
WITH contacts AS (
    SELECT {distinct}lower(channel) AS channel, outcome,
           {arrived} AS arrived,
           {answered} AS answered{ended}
    FROM read_csv(?, header = true, all_varchar = true){order}
)
SELECT strftime(timezone('Europe/London', arrived), '%Y-%m') AS month,
       channel,
       count(*) AS received,
       count(*) FILTER (WHERE outcome = 'answered') AS answered,
       count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned,
       avg(epoch(answered) - epoch(arrived)) FILTER (WHERE outcome = 'answered' AND answered IS NOT NULL) AS asa_seconds,
       quantile_disc(epoch(answered) - epoch(arrived), 0.9) FILTER (WHERE outcome = 'answered' AND answered IS NOT NULL) AS p90_seconds
FROM contacts{where}
GROUP BY ALL
ORDER BY ALL
"""

# A naive London time as its first instant: DuckDB's cast gives the later one in the repeated hour,
# and an hour earlier is the same wall time only there.
EARLIER_MACRO = """
CREATE MACRO london_earlier(text) AS (
    CASE WHEN timezone('Europe/London', timezone('Europe/London', text::TIMESTAMP) - INTERVAL 1 HOUR) = text::TIMESTAMP
         THEN timezone('Europe/London', text::TIMESTAMP) - INTERVAL 1 HOUR
         ELSE timezone('Europe/London', text::TIMESTAMP) END)
"""


# --reject-negative: the rows ContactMetrics rejects for a negative duration.
NEGATIVE_DURATIONS = """
WHERE NOT coalesce(outcome = 'answered' AND (answered < arrived OR ended < answered), false)
  AND NOT coalesce(outcome = 'abandoned' AND ended < arrived, false)"""


def duckdb_sql(naive=None, dedupe=False, reject_negative=False):
    """The query for this file shape; with no option, the query peers.sh has always run."""
    cast = "london_earlier({})" if naive == "earlier" else "{}::TIMESTAMPTZ"
    return DUCKDB_SQL.format(
        distinct="DISTINCT ON (contact_id) " if dedupe else "",
        order="\n    ORDER BY contact_id, arrived" if dedupe else "",
        arrived=cast.format("arrived_at"), answered=cast.format("answered_at"),
        ended=(",\n           " + cast.format("ended_at") + " AS ended") if reject_negative else "",
        where=NEGATIVE_DURATIONS if reject_negative else "",
    )


def run_duckdb(paths, threads, naive=None, dedupe=False, reject_negative=False):
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    if naive:
        con.execute("SET TimeZone = 'Europe/London'")
        if naive == "earlier":
            con.execute(EARLIER_MACRO)
    sql = duckdb_sql(naive, dedupe, reject_negative)
    start = time.perf_counter()
    rows = con.execute(sql, [paths if len(paths) > 1 else paths[0]]).fetchall()
    seconds = time.perf_counter() - start
    return seconds, [
        {"month": r[0], "channel": r[1], "received": r[2], "answered": r[3], "abandoned": r[4],
         "asa_seconds": r[5], "p90_seconds": int(r[6]) if r[6] is not None else None}
        for r in rows
    ]


def run_polars(paths, threads):
    import os
    os.environ["POLARS_MAX_THREADS"] = str(threads)
    import polars as pl
    start = time.perf_counter()
    fmt = "%Y-%m-%dT%H:%M:%S%:z"
    frame = (
        pl.scan_csv(paths if len(paths) > 1 else paths[0], infer_schema=False)
        .with_columns(
            pl.col("channel").str.to_lowercase(),
            pl.col("arrived_at").str.to_datetime(fmt, time_zone="UTC").alias("arrived"),
            pl.col("answered_at").str.to_datetime(fmt, time_zone="UTC").alias("answered"),
        )
        .with_columns(
            pl.col("arrived").dt.convert_time_zone("Europe/London").dt.strftime("%Y-%m").alias("month"),
            ((pl.col("answered") - pl.col("arrived")).dt.total_seconds()).alias("wait"),
        )
        .group_by("month", "channel")
        .agg(
            pl.len().alias("received"),
            (pl.col("outcome") == "answered").sum().alias("answered"),
            (pl.col("outcome") == "abandoned").sum().alias("abandoned"),
            pl.col("wait").filter(pl.col("outcome") == "answered").mean().alias("asa_seconds"),
            pl.col("wait").filter(pl.col("outcome") == "answered").quantile(0.9, interpolation="higher").alias("p90_seconds"),
        )
        .sort("month", "channel")
        .collect()
    )
    seconds = time.perf_counter() - start
    return seconds, frame.to_dicts()


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(description="One peer's monthly aggregation of contacts CSV files, as JSON.")
    parser.add_argument("peer", choices=["duckdb", "polars"])
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("threads", type=int, metavar="THREADS")
    parser.add_argument("--naive", choices=["later", "earlier"])
    parser.add_argument("--dedupe", action="store_true")
    parser.add_argument("--reject-negative", action="store_true")
    args = parser.parse_args()
    if args.peer == "duckdb":
        seconds, rows = run_duckdb(args.files, args.threads, args.naive, args.dedupe, args.reject_negative)
    else:
        if args.naive or args.dedupe or args.reject_negative:
            parser.error("--naive, --dedupe and --reject-negative are for duckdb")
        seconds, rows = run_polars(args.files, args.threads)
    print(json.dumps({"peer": args.peer, "seconds": seconds, "rows": rows}))
