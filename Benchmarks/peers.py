"""Runs one peer's monthly aggregation of a contacts CSV and prints its timing and results as JSON.

usage: peers.py duckdb|polars FILE... THREADS [--naive later|earlier|paired] [--dedupe] [--reject-negative]

FILE: a contacts CSV, gzip-compressed or not (concatenated gzip members too), or a glob such as
'dir/contacts-*.csv'; several FILEs (or a glob's files) are read as one table, each with its header.
Fields may all be quoted (an empty quoted field "" is NULL, DuckDB's allow_quoted_nulls default),
lines may end in CRLF, columns beyond the canonical ones are ignored, and timestamps may carry an
offset or Z. Options (DuckDB only):
  --naive later|earlier|paired
                         timestamps without an offset are Europe/London wall times (SET TimeZone).
                         A time in the autumn's repeated hour names two instants: `later` is what
                         DuckDB's cast does by itself (the GMT one), `earlier` takes the first (BST)
                         one, as ContactMetrics reads a time alone; `paired` reads a row's times
                         together, as ContactMetrics does (see PAIRED_SQL).
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

AGGREGATE_SQL = """SELECT strftime(timezone('Europe/London', arrived), '%Y-%m') AS month,
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

DUCKDB_SQL = """
WITH contacts AS (
    SELECT {distinct}lower(channel) AS channel, outcome,
           {arrived} AS arrived,
           {answered} AS answered{ended}
    FROM read_csv(?, header = true, all_varchar = true){order}
)
""" + AGGREGATE_SQL


# A naive London time as its first instant: DuckDB's cast gives the later one in the repeated hour,
# and an hour earlier is the same wall time only there.
EARLIER_MACRO = """
CREATE MACRO london_earlier(text) AS (
    CASE WHEN timezone('Europe/London', timezone('Europe/London', text::TIMESTAMP) - INTERVAL 1 HOUR) = text::TIMESTAMP
         THEN timezone('Europe/London', text::TIMESTAMP) - INTERVAL 1 HOUR
         ELSE timezone('Europe/London', text::TIMESTAMP) END)
"""


# --naive paired: a row's naive times read together, as ContactMetrics does since 1c39f1d
# (ClockChangePairing): a row with a time in the repeated hour tries both readings of each such time and
# keeps the combination whose events are in order (arrival <= answer <= end) with the shortest span from
# arrival to the last event; a tie keeps fewer changes from the lone (first) readings; a row that no
# combination orders keeps the lone readings. Only rows with such a time are expanded. Times in the
# spring gap are not modelled (a file written from real instants has none).
PAIRED_SQL = """
WITH raw AS (
    SELECT lower(channel) AS channel, outcome,
           london_earlier(arrived_at) AS a1, arrived_at::TIMESTAMPTZ AS a2,
           london_earlier(answered_at) AS b1, answered_at::TIMESTAMPTZ AS b2,
           london_earlier(ended_at) AS e1, ended_at::TIMESTAMPTZ AS e2
    FROM read_csv(?, header = true, all_varchar = true)
),
read AS (
    SELECT *, a1 = a2 AND b1 IS NOT DISTINCT FROM b2 AND e1 IS NOT DISTINCT FROM e2 AS lone FROM raw
),
ambiguous AS (
    SELECT row_number() OVER () AS id, * FROM read WHERE NOT lone
),
candidates AS (
    SELECT id, channel, outcome, c,
           CASE WHEN c & 1 = 1 THEN a2 ELSE a1 END AS a,
           CASE WHEN c & 2 = 2 THEN b2 ELSE b1 END AS b,
           CASE WHEN c & 4 = 4 THEN e2 ELSE e1 END AS e
    FROM ambiguous, range(8) AS choices(c)
    WHERE (c & 1 = 0 OR a2 <> a1) AND (c & 2 = 0 OR b2 <> b1) AND (c & 4 = 0 OR e2 <> e1)
),
paired AS (
    SELECT arg_min({{'channel': channel, 'outcome': outcome, 'arrived': a, 'answered': b, 'ended': e}},
                   CASE WHEN coalesce(b >= a, true) AND coalesce(e >= coalesce(b, a), true)
                        THEN (epoch(coalesce(e, b, a)) - epoch(a)) * 8 + bit_count(c)
                        ELSE 1e15 + bit_count(c) END) AS row
    FROM candidates GROUP BY id
),
contacts AS (
    SELECT channel, outcome, a1 AS arrived, b1 AS answered, e1 AS ended FROM read WHERE lone
    UNION ALL
    SELECT row.channel, row.outcome, row.arrived, row.answered, row.ended FROM paired
)
""" + AGGREGATE_SQL


# --reject-negative: the rows ContactMetrics rejects for a negative duration.
NEGATIVE_DURATIONS = """
WHERE NOT coalesce(outcome = 'answered' AND (answered < arrived OR ended < answered), false)
  AND NOT coalesce(outcome = 'abandoned' AND ended < arrived, false)"""


def duckdb_sql(naive=None, dedupe=False, reject_negative=False):
    """The query for this file shape; with no option, the query peers.sh has always run."""
    if naive == "paired":
        if dedupe:
            raise ValueError("--naive paired does not take --dedupe")
        return PAIRED_SQL.format(where=NEGATIVE_DURATIONS if reject_negative else "")
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
        if naive in ("earlier", "paired"):
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
    parser.add_argument("--naive", choices=["later", "earlier", "paired"])
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
