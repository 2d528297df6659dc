#!/usr/bin/env bash
# `make bench`: teampulse against DuckDB and the libcsv floor on the same generated data.
#
#   bench/run.sh                          # 5M orders (≈1M tickets, 100k tasks, 3.3M events), 3 runs each,
#                                         # then the scaling table at 1M, 5M and 20M orders
#   ORDERS=500000 RUNS=5 SCALE= bench/run.sh   # a quick run without the scaling table
#
# Prints a Markdown table (also written to bench/out/results.md): median wall seconds and CPU seconds
# (user + system) of the whole process, input MB/s, peak RSS, both ratios against DuckDB, and the
# scaling table. On a loaded machine wall time is unreliable: compare the CPU columns too. Fails when
# teampulse and DuckDB (full catalogue) disagree on any metric, or --jobs 1 and --jobs 2 differ.
#
# Environment: ORDERS (5000000), SEED (1), RUNS (3), AS_OF (2026-11-15), THREADS (DuckDB threads, 2),
# SCALE (order counts of the scaling table, "1000000 5000000 20000000"; empty: no scaling table),
# SCALE_RUNS (runs per scaling size, 1; the size ORDERS reuses the main runs).
set -euo pipefail
cd "$(dirname "$0")/.."

ORDERS=${ORDERS:-5000000}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
AS_OF=${AS_OF:-2026-11-15}
THREADS=${THREADS:-2}
SCALE=${SCALE-1000000 5000000 20000000}
SCALE_RUNS=${SCALE_RUNS:-1}
DATA=bench/data
OUT=bench/out
BIN=.build/release/teampulse
PY=bench/.venv/bin/python
mkdir -p "$OUT"

# The benchmark pipeline must be the nightly one over other files: same settings, same data tests
# (bench.yml also writes every digit, `csv: {precision: full}`, for the comparison with DuckDB).
normalized() { sed -e 's/#.*$//' -e 's/[[:space:]]*$//' -e '/^$/d' -e 's#\.\./sample-data/#data/#' \
                   -e 's#^output:.*#output:#' -e 's#^name:.*#name:#' -e '/^csv:/d' "$1"; }
if ! diff <(normalized pipelines/nightly.yml) <(normalized bench/bench.yml) > "$OUT/pipeline.diff"; then
  echo "bench/bench.yml is out of step with pipelines/nightly.yml (beyond name, output and input paths):" >&2
  cat "$OUT/pipeline.diff" >&2
  exit 1
fi

# Tools: the release binary, DuckDB in a venv (PyPI), the libcsv floor program, GNU time.
if [ ! -x /usr/bin/time ]; then
  $( [ "$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq time
fi
swift build -c release --product teampulse >/dev/null
if [ ! -x "$PY" ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q duckdb
fi
cc -O2 -o "$OUT/csvfloor" bench/csvfloor.c -lcsv

# generate DIR ORDERS: the data set, cached by its parameters (only its own files are replaced).
generate() {
  local dir=$1 orders=$2 stamp="orders=$2 seed=$SEED end=$AS_OF events"
  mkdir -p "$dir"
  if [ "$(cat "$dir/.params" 2>/dev/null)" != "$stamp" ]; then
    rm -f "$dir"/{orders,tickets,tasks,events}.csv "$dir/.params"
    "$BIN" generate --orders "$orders" --seed "$SEED" --end-date "$AS_OF" --events --out "$dir" >/dev/null
    echo "$stamp" > "$dir/.params"
  fi
}
input_files() { echo "$1/orders.csv" "$1/tickets.csv" "$1/tasks.csv" "$1/events.csv"; }

# measure NAME COMMAND...: RUNS timed runs of the whole process; records wall seconds, peak RSS (KiB) and
# user and system CPU seconds.
measure() {
  local name=$1; shift
  echo "bench: $name (${MEASURE_RUNS:-$RUNS} runs)" >&2
  : > "$OUT/$name.times"
  for _ in $(seq "${MEASURE_RUNS:-$RUNS}"); do
    /usr/bin/time -f "%e %M %U %S" -o "$OUT/$name.one" "$@" > "$OUT/$name.log" 2>&1 || { cat "$OUT/$name.log" >&2; exit 1; }
    cat "$OUT/$name.one" >> "$OUT/$name.times"
  done
}
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
wall() { cut -d' ' -f1 "$OUT/$1.times" | median; }
cpu() { awk '{printf "%.2f\n", $3 + $4}' "$OUT/$1.times" | median; }
rss_mib() { cut -d' ' -f2 "$OUT/$1.times" | sort -n | tail -1 | awk '{printf "%.0f", $1/1024}'; }
mb() { awk -v b="$1" 'BEGIN {printf "%.0f", b / 1e6}'; }
mbs() { awk -v b="$1" -v s="$2" 'BEGIN {printf "%.0f", b / 1e6 / s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
duckdb() {  # duckdb NAME SQL DATA_DIR OUT_CSV: the whole Python process, THREADS threads
  measure "$1" "$PY" bench/duckdb_run.py --sql "$2" --data "$3" --as-of "$AS_OF" --out "$4" --threads "$THREADS"
}

# pipeline_for DIR [WINDOWS]: the benchmark pipeline with its inputs in DIR (seeds stay the repository's)
pipeline_for() {
  sed -e 's#path: data/#path: #' -e 's#^seeds: \.\./seeds#seeds: ../../../seeds#' \
      ${2:+-e "s#^windows: .*#windows: $2#"} bench/bench.yml > "$1/bench.yml"
}

# ---- The reduced set's definitions, checked on 100k orders ---------------------------------------
# It has no windows, so it is checked against teampulse with a window over all 35 days of the data.
generate "$DATA/check" 100000
pipeline_for "$DATA/check" "[1d, 7d, 28d, 35d]"
"$BIN" run "$DATA/check/bench.yml" --as-of "$AS_OF" --out "$OUT/check" --log-level error > /dev/null
"$PY" bench/duckdb_run.py --sql bench/duckdb_reduced.sql --data "$DATA/check" --as-of "$AS_OF" --out "$OUT/check-reduced.csv" > /dev/null
"$PY" bench/check_reduced.py "$OUT/check/metrics.csv" "$OUT/check-reduced.csv" --window 35d

# ---- The main comparison (ORDERS orders) -------------------------------------------------------
generate "$DATA" "$ORDERS"
read -r -a FILES <<< "$(input_files "$DATA")"
BYTES=$(cat "${FILES[@]}" | wc -c)
cat "${FILES[@]}" > /dev/null  # warm the page cache

measure teampulse_j2 "$BIN" run bench/bench.yml --as-of "$AS_OF" --out "$OUT/teampulse" --jobs 2 --log-level warning
measure teampulse_j1 "$BIN" run bench/bench.yml --as-of "$AS_OF" --out "$OUT/teampulse_j1" --jobs 1 --log-level warning
# The same pipeline without its data tests (every `tests:` block dropped): what the tests cost.
awk '/^    tests:/ {skip = 1; next} skip && /^      / {next} {skip = 0; print}' bench/bench.yml > bench/out/bench-no-tests.yml
sed -i 's#^seeds: \.\./seeds#seeds: ../../seeds#; s#path: data/#path: ../data/#' bench/out/bench-no-tests.yml
measure teampulse_no_tests "$BIN" run bench/out/bench-no-tests.yml --as-of "$AS_OF" --out "$OUT/teampulse_no_tests" --jobs 2 --log-level warning
duckdb duckdb_full bench/duckdb_full.sql "$DATA" "$OUT/duckdb_full.csv"
duckdb duckdb_reduced bench/duckdb_reduced.sql "$DATA" "$OUT/duckdb_reduced.csv"
# The libcsv floor: two processes over the two halves of every file, and one process over all of it.
measure floor bash -c "\"$OUT/csvfloor\" 0 2 ${FILES[*]} & \"$OUT/csvfloor\" 1 2 ${FILES[*]}; wait"
measure floor_j1 "$OUT/csvfloor" 0 1 "${FILES[@]}"

# Agreement: any difference fails the benchmark.
"$PY" bench/compare.py "$OUT/teampulse/metrics.csv" "$OUT/duckdb_full.csv" | tee "$OUT/compare.txt"
cmp -s "$OUT/teampulse/metrics.csv" "$OUT/teampulse_j1/metrics.csv" || { echo "--jobs 1 and --jobs 2 differ" >&2; exit 1; }
compared=$(sed -n 's/^common keys: \([0-9]*\).*/\1/p' "$OUT/compare.txt")
metrics_compared=$(cut -d, -f4 "$OUT/duckdb_full.csv" | tail -n +2 | sort -u | wc -l)
tests=$(tail -n +2 "$OUT/teampulse/data_tests.csv" | wc -l)

tp=$(wall teampulse_j2); tp1=$(wall teampulse_j1); full=$(wall duckdb_full); red=$(wall duckdb_reduced)
tpn=$(wall teampulse_no_tests)
# Outputs and start-up: the manifest's `output` stage and the time no stage counts (start-up, exit),
# i.e. the wall time less the stages that compute (seeds, ingest, data_tests, history, metrics, flow).
staged=$("$PY" -c 'import json, sys; print(sum(v for k, v in json.load(open(sys.argv[1]))["stage_seconds"].items() if k != "output"))' "$OUT/teampulse/manifest.json")
share() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f %%", 100 * a / b}'; }
fl=$(wall floor); fl1=$(wall floor_j1)
dver=$("$PY" -c 'import duckdb; print(duckdb.__version__)')
{
  echo "Input: $(mb "$BYTES") MB ($ORDERS orders, seed $SEED, with events), as-of $AS_OF, median of $RUNS runs, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo
  echo "| run | wall s | CPU s | MB/s | peak RSS MiB |"
  echo "|---|---|---|---|---|"
  echo "| teampulse --jobs 2 (full catalogue, $tests data tests, all outputs) | $tp | $(cpu teampulse_j2) | $(mbs "$BYTES" "$tp") | $(rss_mib teampulse_j2) |"
  echo "| teampulse --jobs 1 | $tp1 | $(cpu teampulse_j1) | $(mbs "$BYTES" "$tp1") | $(rss_mib teampulse_j1) |"
  echo "| DuckDB $dver full ($metrics_compared metrics x 3 windows, $THREADS threads, Python) | $full | $(cpu duckdb_full) | $(mbs "$BYTES" "$full") | $(rss_mib duckdb_full) |"
  echo "| DuckDB $dver reduced (18 metrics, whole file, $THREADS threads, Python) | $red | $(cpu duckdb_reduced) | $(mbs "$BYTES" "$red") | $(rss_mib duckdb_reduced) |"
  echo "| libcsv floor, 2 processes | $fl | $(cpu floor) | $(mbs "$BYTES" "$fl") | $(rss_mib floor) |"
  echo "| libcsv floor, 1 process | $fl1 | $(cpu floor_j1) | $(mbs "$BYTES" "$fl1") | $(rss_mib floor_j1) |"
  echo
  echo "- teampulse / DuckDB reduced: $(ratio "$tp" "$red") (target ≤ 0.67); by CPU time $(ratio "$(cpu teampulse_j2)" "$(cpu duckdb_reduced)")"
  echo "- teampulse / DuckDB full: $(ratio "$tp" "$full"); by CPU time $(ratio "$(cpu teampulse_j2)" "$(cpu duckdb_full)")"
  echo "- --jobs 1 / --jobs 2: $(ratio "$tp1" "$tp") (target ≥ 1.8)"
  echo "- data tests: $(share "$(awk -v a="$tp" -v b="$tpn" 'BEGIN {print a - b}')" "$tp") of the run (the pipeline without its tests: $tpn s, $(rss_mib teampulse_no_tests) MiB; target ≤ 5 %)"
  echo "- outputs and start-up (the output stage and time outside the manifest's stages, last run): $(share "$(awk -v a="$(tail -1 "$OUT/teampulse_j2.times" | cut -d' ' -f1)" -v b="$staged" 'BEGIN {print a - b}')" "$(tail -1 "$OUT/teampulse_j2.times" | cut -d' ' -f1)") (target ≤ 5 %)"
  echo "- teampulse / libcsv floor (2 processes): $(ratio "$tp" "$fl") (target ≤ 1.3); by CPU time $(ratio "$(cpu teampulse_j2)" "$(cpu floor)")"
  echo "- peak RSS teampulse --jobs 2: $(rss_mib teampulse_j2) MiB (target ≤ 512 MiB at 5M orders)"
  echo "- metrics: teampulse and DuckDB full agree on all $compared shared values of $metrics_compared metrics (bench/compare.py); --jobs 1 = --jobs 2"
} | tee "$OUT/results.md"

# ---- Scaling: teampulse and DuckDB reduced at each size (SCALE_RUNS runs) ----------------------
[ -n "$SCALE" ] || exit 0
{
  echo
  echo "Scaling (median of $SCALE_RUNS run(s) per size; the $ORDERS-order row is the median of the $RUNS runs above):"
  echo
  echo "| orders | input MB | teampulse wall s | teampulse CPU s | teampulse peak RSS MiB | DuckDB reduced wall s | DuckDB reduced CPU s | DuckDB reduced peak RSS MiB | teampulse / DuckDB reduced (wall) |"
  echo "|---|---|---|---|---|---|---|---|---|"
} | tee -a "$OUT/results.md"
for n in $SCALE; do
  if [ "$n" = "$ORDERS" ]; then
    a=teampulse_j2; b=duckdb_reduced; bytes=$BYTES
  else
    dir="$DATA/scale-$n"
    generate "$dir" "$n"
    pipeline_for "$dir"
    read -r -a files <<< "$(input_files "$dir")"
    bytes=$(cat "${files[@]}" | wc -c)
    cat "${files[@]}" > /dev/null
    a=scale_teampulse_$n; b=scale_duckdb_reduced_$n
    MEASURE_RUNS=$SCALE_RUNS measure "$a" "$BIN" run "$dir/bench.yml" --as-of "$AS_OF" --out "$OUT/scale-$n" --jobs 2 --log-level warning
    MEASURE_RUNS=$SCALE_RUNS duckdb "$b" bench/duckdb_reduced.sql "$dir" "$OUT/scale-$n-duckdb_reduced.csv"
  fi
  echo "| $n | $(mb "$bytes") | $(wall "$a") | $(cpu "$a") | $(rss_mib "$a") | $(wall "$b") | $(cpu "$b") | $(rss_mib "$b") | $(ratio "$(wall "$a")" "$(wall "$b")") |" | tee -a "$OUT/results.md"
done
