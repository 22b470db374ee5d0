#!/usr/bin/env python3
"""DuckDB read_json on Amazon Connect contact records, the monthly query of contact-metrics: python3 Benchmarks/connect_peer.py FILE.jsonl
(prints DuckDB's own query time; 2 threads, months in Europe/London)."""
import duckdb, time, sys
path = sys.argv[1]
con = duckdb.connect()
con.execute("SET threads=2")
con.execute("SET TimeZone='Europe/London'")
q = f"""
WITH c AS (
  SELECT "Queue"."Name" AS queue, CAST("Queue"."EnqueueTimestamp" AS TIMESTAMPTZ) AS arrived,
         CAST("Agent"."ConnectedToAgentTimestamp" AS TIMESTAMPTZ) AS answered
  FROM read_json('{path}', format='newline_delimited', records=true, maximum_object_size=1048576)
  WHERE "InitiationMethod" = 'INBOUND' AND "Queue" IS NOT NULL)
SELECT strftime(arrived, '%Y-%m') AS month, queue, count(*) AS received, count(answered) AS answered,
       avg(epoch(answered) - epoch(arrived)) AS asa,
       quantile_disc(epoch(answered) - epoch(arrived), 0.9) AS p90
FROM c GROUP BY ALL ORDER BY ALL
"""
t = time.time()
rows = con.execute(q).fetchall()
print(f"duckdb {time.time() - t:.2f} s", rows[:3], len(rows))
