#!/usr/bin/env bash
# `make bench`: teampulse against DuckDB and the libcsv floor on the same generated data.
#
#   bench/run.sh                 # 5M orders (≈1M tickets, 100k tasks), 3 runs each
#   ORDERS=500000 RUNS=5 bench/run.sh
#
# Prints a Markdown table (also written to bench/out/results.md): median wall seconds, input MB/s,
# peak RSS, and the ratios. Fails when teampulse and DuckDB disagree on any metric.
set -euo pipefail
cd "$(dirname "$0")/.."

ORDERS=${ORDERS:-5000000}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
AS_OF=${AS_OF:-2026-11-15}
THREADS=${THREADS:-2}
DATA=bench/data
OUT=bench/out
BIN=.build/release/teampulse
mkdir -p "$OUT"

# Tools: the release binary, DuckDB in a venv (PyPI), the libcsv floor program, GNU time.
if [ ! -x /usr/bin/time ]; then
  $( [ "$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq time
fi
swift build -c release --product teampulse >/dev/null
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q duckdb
fi
cc -O2 -o "$OUT/csvfloor" bench/csvfloor.c -lcsv

# Data, cached by its parameters.
stamp="orders=$ORDERS seed=$SEED end=$AS_OF"
if [ "$(cat "$DATA/.params" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$DATA" && mkdir -p "$DATA"
  "$BIN" generate --orders "$ORDERS" --seed "$SEED" --end-date "$AS_OF" --out "$DATA" >/dev/null
  echo "$stamp" > "$DATA/.params"
fi
FILES=("$DATA/orders.csv" "$DATA/tickets.csv" "$DATA/tasks.csv")
BYTES=$(cat "${FILES[@]}" | wc -c)
cat "${FILES[@]}" > /dev/null  # warm the page cache

# measure NAME COMMAND...: RUNS timed runs; records wall seconds and peak RSS (KiB) of each.
measure() {
  local name=$1; shift
  : > "$OUT/$name.times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$OUT/$name.one" "$@" > "$OUT/$name.log" 2>&1
    cat "$OUT/$name.one" >> "$OUT/$name.times"
  done
}
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
wall() { cut -d' ' -f1 "$OUT/$1.times" | median; }
rss_mib() { cut -d' ' -f2 "$OUT/$1.times" | sort -n | tail -1 | awk '{printf "%.0f", $1/1024}'; }

FILES_ARG="${FILES[*]}"

measure teampulse_j2 "$BIN" run bench/bench.yml --as-of "$AS_OF" --out "$OUT/teampulse" --jobs 2 --log-level warning
measure teampulse_j1 "$BIN" run bench/bench.yml --as-of "$AS_OF" --out "$OUT/teampulse_j1" --jobs 1 --log-level warning
measure duckdb bench/.venv/bin/python bench/duckdb_run.py --data "$DATA" --as-of "$AS_OF" --out "$OUT/duckdb_metrics.csv" --threads "$THREADS"
# The libcsv floor: two processes over the two halves of every file.
measure floor bash -c "\"$OUT/csvfloor\" 0 2 $FILES_ARG & \"$OUT/csvfloor\" 1 2 $FILES_ARG; wait"
measure floor_j1 "$OUT/csvfloor" 0 1 "${FILES[@]}"

bench/.venv/bin/python bench/compare.py "$OUT/teampulse/metrics.csv" "$OUT/duckdb_metrics.csv"
cmp -s "$OUT/teampulse/metrics.csv" "$OUT/teampulse_j1/metrics.csv" || { echo "--jobs 1 and --jobs 2 differ"; exit 1; }

tp=$(wall teampulse_j2); tp1=$(wall teampulse_j1); db=$(wall duckdb); fl=$(wall floor); fl1=$(wall floor_j1)
mbs() { awk -v b="$BYTES" -v s="$1" 'BEGIN {printf "%.0f", b / 1e6 / s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
{
  echo "Input: $(awk -v b="$BYTES" 'BEGIN {printf "%.0f", b/1e6}') MB ($ORDERS orders, seed $SEED), as-of $AS_OF, median of $RUNS runs, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo
  echo "| run | wall s | MB/s | peak RSS MiB |"
  echo "|---|---|---|---|"
  echo "| teampulse --jobs 2 | $tp | $(mbs "$tp") | $(rss_mib teampulse_j2) |"
  echo "| teampulse --jobs 1 | $tp1 | $(mbs "$tp1") | $(rss_mib teampulse_j1) |"
  echo "| DuckDB ($THREADS threads, Python) | $db | $(mbs "$db") | $(rss_mib duckdb) |"
  echo "| libcsv floor, 2 processes | $fl | $(mbs "$fl") | $(rss_mib floor) |"
  echo "| libcsv floor, 1 process | $fl1 | $(mbs "$fl1") | $(rss_mib floor_j1) |"
  echo
  echo "- teampulse / DuckDB: $(ratio "$tp" "$db") (target ≤ 0.67)"
  echo "- --jobs 1 / --jobs 2: $(ratio "$tp1" "$tp") (target ≥ 1.7)"
  echo "- teampulse / libcsv floor: $(ratio "$tp" "$fl") (target ≤ 1.3)"
  echo "- metrics: teampulse and DuckDB agree on every value (bench/compare.py)"
} | tee "$OUT/results.md"
