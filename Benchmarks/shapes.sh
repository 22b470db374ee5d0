#!/usr/bin/env bash
# The shape matrix (issue 12): the same synthetic contacts written in each export shape (numeric, string,
# uuid, asterisk and sparse ids, all fields quoted + CRLF, gzip, concatenated gzip members, naive
# timestamps, 20 filler columns, 30 files, 50% duplicate ids with and without --dedupe), then
# contact-metrics and DuckDB (the query of peers.py) on each, alternating, in one run. Prints a Markdown
# table (also written to DATA_DIR/ROWS/matrix.md) and exits 1 when the figures disagree.
#
# usage: Benchmarks/shapes.sh ROWS [THREADS=2] [RUNS=3] [DATA_DIR=bench-data/shapes]
#   SHAPES=numeric,uuid,...  only these rows of the table (the names of its first column)
#   STRICT=1                 the diagnostic row (naive, DuckDB's own reading of the repeated hour)
#                            counts towards the exit status too
# Files are generated once into DATA_DIR/ROWS/<shape>/ and reused; delete a directory to regenerate it.
set -euo pipefail

usage() {
  echo "usage: Benchmarks/shapes.sh ROWS [THREADS=2] [RUNS=3] [DATA_DIR=bench-data/shapes]" >&2
  echo "  e.g. Benchmarks/shapes.sh 1000000 2 1   (see the header of this script for SHAPES= and STRICT=)" >&2
  exit 64
}
[[ $# -ge 1 && $# -le 4 ]] || usage
rows=$1
threads=${2:-2}
runs=${3:-3}
data_dir=${4:-bench-data/shapes}
for number in "$rows" "$threads" "$runs"; do
  [[ $number =~ ^[1-9][0-9]*$ ]] || { echo "shapes: '$number' is not a positive whole number" >&2; usage; }
done
[[ -x /usr/bin/time ]] || { echo "shapes: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }

cd "$(dirname "$0")/.."
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb
echo "shapes: building contact-metrics (release)" >&2
swift build -c release --product contact-metrics >/dev/null
exec python3 Benchmarks/shapes.py "$rows" "$threads" "$runs" "$data_dir"
