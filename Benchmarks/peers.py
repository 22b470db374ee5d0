"""Runs one peer's monthly aggregation of a contacts CSV and prints its timing and results as JSON.

usage: peers.py duckdb|polars FILE THREADS

The query is the same monthly, per-channel aggregation ContactMetrics computes (DESIGN §9): arrivals
grouped by local month in Europe/London, received / answered / abandoned counts, mean answer wait
(ASA) and the nearest-rank 90th percentile of answer waits. DuckDB's quantile_disc is nearest-rank
(checked: n = 7, 10, 11, 13, 100, 101 give the ⌈0.9·n⌉-th value), so its p90 must equal ours exactly.
"""
import json
import sys
import time

DUCKDB_SQL = """
WITH contacts AS (
    SELECT lower(channel) AS channel, outcome,
           arrived_at::TIMESTAMPTZ AS arrived,
           answered_at::TIMESTAMPTZ AS answered
    FROM read_csv(?, header = true, all_varchar = true)
)
SELECT strftime(timezone('Europe/London', arrived), '%Y-%m') AS month,
       channel,
       count(*) AS received,
       count(*) FILTER (WHERE outcome = 'answered') AS answered,
       count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned,
       avg(epoch(answered) - epoch(arrived)) FILTER (WHERE outcome = 'answered' AND answered IS NOT NULL) AS asa_seconds,
       quantile_disc(epoch(answered) - epoch(arrived), 0.9) FILTER (WHERE outcome = 'answered' AND answered IS NOT NULL) AS p90_seconds
FROM contacts
GROUP BY ALL
ORDER BY ALL
"""


def run_duckdb(path, threads):
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    start = time.perf_counter()
    rows = con.execute(DUCKDB_SQL, [path]).fetchall()
    seconds = time.perf_counter() - start
    return seconds, [
        {"month": r[0], "channel": r[1], "received": r[2], "answered": r[3], "abandoned": r[4],
         "asa_seconds": r[5], "p90_seconds": int(r[6]) if r[6] is not None else None}
        for r in rows
    ]


def run_polars(path, threads):
    import os
    os.environ["POLARS_MAX_THREADS"] = str(threads)
    import polars as pl
    start = time.perf_counter()
    fmt = "%Y-%m-%dT%H:%M:%S%:z"
    frame = (
        pl.scan_csv(path, infer_schema=False)
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
    peer, path, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seconds, rows = {"duckdb": run_duckdb, "polars": run_polars}[peer](path, threads)
    print(json.dumps({"peer": peer, "seconds": seconds, "rows": rows}))
