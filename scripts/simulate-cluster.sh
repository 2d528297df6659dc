#!/usr/bin/env bash
# A partitioned run as the cluster runs it, on this machine: the exact command lines of
# docs/deploy/scale-out/{plan,partitions,merge}-job.yaml — the plan, N partition processes at once
# (JOB_COMPLETION_INDEX = 0 … N-1), then the merge — over a local folder standing for the shared
# volume, then one `teampulse run` over a copy of the same files, and a byte-for-byte comparison.
#
#   scripts/simulate-cluster.sh [N]            # N partitions (default 3); exit 0 when identical
#   scripts/simulate-cluster.sh --print [N]    # print the command lines it would run, run nothing
#
# Taken from the manifests: each container's workingDir, command and args, with /data (the volume's
# mount path) replaced by the local volume folder, $(JOB_COMPLETION_INDEX) by the partition, the
# command `teampulse` by TEAMPULSE_BIN (default .build/debug/teampulse) and the plan's --partitions
# value by N. Added: `--as-of AS_OF` (default 2026-11-15, the last day of sample-data/) to the merge,
# whose manifest reports on yesterday. --print writes the folders as WORK and the binary as teampulse.
#
# Compared with the single run: every CSV of out/AS_OF/ (rejects.csv included) and
# out/history/metrics_history.csv byte for byte, and manifest.json without what differs by design
# (started_at, jobs, stage_seconds, and the merge's plan and partitions), the volume folders'
# paths written as /data. Not compared: metrics.prom (run time), report.*, summary.xlsx (rendered
# from the same tables).
#
# Exit 77 ("skipped") with a teampulse that has no `merge` command or no `run --plan`, or no Python
# with PyYAML can be had to read the manifests. WORK (default: a new temporary folder) keeps the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PRINT=0
if [ "${1:-}" = "--print" ]; then PRINT=1; shift; fi
N=${1:-3}
AS_OF=${AS_OF:-2026-11-15}
BIN=${TEAMPULSE_BIN:-$ROOT/.build/debug/teampulse}
MANIFESTS=${MANIFESTS:-$ROOT/docs/deploy/scale-out}
case "$N" in ''|*[!0-9]*|0) echo "simulate-cluster.sh: N must be a positive number, got '$N'" >&2; exit 2 ;; esac

# A Python that reads YAML: the system's, else the manifests' venv.
PY=python3
if ! "$PY" -c "import yaml" 2>/dev/null; then
  scripts/validate-manifests.sh --setup >&2 || { echo "skipped: no Python with PyYAML to read the manifests" >&2; exit 77; }
  PY=.venv-k8s/bin/python
fi

# command_line FILE INDEX: workingDir, then the command and its arguments one per line, substituted.
command_line() {
  "$PY" - "$1" "$2" "$VOLUME" "$BIN" "$N" <<'PYTHON'
import sys, yaml
path, index, volume, binary, count = sys.argv[1:]
with open(path, encoding="utf-8") as handle:
    job = yaml.safe_load(handle)
container = job["spec"]["template"]["spec"]["containers"][0]
mount = next(m["mountPath"] for m in container["volumeMounts"])
def local(value):
    value = value.replace("$(JOB_COMPLETION_INDEX)", index)
    return volume + value[len(mount):] if value == mount or value.startswith(mount + "/") else value
words = [binary if word == "teampulse" else local(word) for word in container["command"] + container["args"]]
if "--partitions" in words:
    words[words.index("--partitions") + 1] = count
print(local(container.get("workingDir", "/")))
print("\n".join(words))
PYTHON
}

# run_step NAME FILE INDEX [EXTRA...]: runs (or prints) one container's command line.
run_step() {
  local name=$1 file=$2 index=$3; shift 3
  local lines
  mapfile -t lines < <(command_line "$file" "$index")
  local cwd=${lines[0]}
  local words=("${lines[@]:1}" "$@")
  if [ "$PRINT" = 1 ]; then
    local line="cd $cwd && ${words[*]}"
    line=${line//$BIN/teampulse}
    echo "${line//$WORK/WORK}"
    return 0
  fi
  (cd "$cwd" && "${words[@]}") > "$WORK/$name.out" 2> "$WORK/$name.err"
}

if [ "$PRINT" = 1 ]; then
  WORK=/WORK
elif ! "$BIN" merge --help >/dev/null 2>&1 || ! "$BIN" run --help 2>&1 | grep -q -- "--plan"; then
  echo "skipped: this teampulse has no \`merge\` command or no \`run --plan\` yet (the partitioned run's computation is not built)" >&2
  exit 77
else
  WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/teampulse-cluster.XXXXXX")}
fi
VOLUME=$WORK/volume
SINGLE=$WORK/single

if [ "$PRINT" = 0 ]; then
  # The volume and the single run's folder: the same pipeline, seeds and exports.
  for folder in "$VOLUME" "$SINGLE"; do
    mkdir -p "$folder"
    cp -R pipelines seeds sample-data "$folder/"
  done
fi

run_step plan "$MANIFESTS/plan-job.yaml" 0 || { echo "plan failed:" >&2; cat "$WORK/plan.err" >&2; exit 1; }
pids=()
for index in $(seq 0 $((N - 1))); do
  if [ "$PRINT" = 1 ]; then run_step "partition-$index" "$MANIFESTS/partitions-job.yaml" "$index"; continue; fi
  run_step "partition-$index" "$MANIFESTS/partitions-job.yaml" "$index" &
  pids+=($!)
done
failed=0
for index in "${!pids[@]}"; do
  if ! wait "${pids[$index]}"; then
    echo "partition $index failed:" >&2
    cat "$WORK/partition-$index.err" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] || exit 1
run_step merge "$MANIFESTS/merge-job.yaml" 0 --as-of "$AS_OF" || { echo "merge failed:" >&2; cat "$WORK/merge.err" >&2; exit 1; }
if [ "$PRINT" = 1 ]; then
  echo "cd WORK/single && teampulse run WORK/single/pipelines/nightly.yml --as-of $AS_OF"
  exit 0
fi
(cd "$SINGLE" && "$BIN" run "$SINGLE/pipelines/nightly.yml" --as-of "$AS_OF") > "$WORK/single.out" 2> "$WORK/single.err" \
  || { echo "single run failed:" >&2; cat "$WORK/single.err" >&2; exit 1; }

# The comparison.
merged=$VOLUME/out/$AS_OF
single=$SINGLE/out/$AS_OF
differences=0
csvs=$( (cd "$single" && ls -- *.csv; cd "$merged" && ls -- *.csv) | sort -u)
for name in $csvs history; do
  if [ "$name" = history ]; then
    a=$SINGLE/out/history/metrics_history.csv b=$VOLUME/out/history/metrics_history.csv name=history/metrics_history.csv
  else
    a=$single/$name b=$merged/$name
  fi
  if [ ! -f "$a" ] || [ ! -f "$b" ]; then
    echo "differs: $name is written by only one of the single run and the merge" >&2
    differences=1
  elif ! cmp -s "$a" "$b"; then
    echo "differs: $name" >&2
    diff "$a" "$b" | head -5 >&2 || true
    differences=1
  fi
done
"$PY" - "$single/manifest.json" "$merged/manifest.json" "$SINGLE" "$VOLUME" <<'PYTHON' || differences=1
import json, sys
single, merged, single_root, volume_root = sys.argv[1:]
def facts(path, root):
    with open(path, encoding="utf-8") as handle:
        document = json.loads(handle.read().replace(root, "/data"))
    for key in ("started_at", "jobs", "stage_seconds", "plan", "partitions"):
        document.pop(key, None)
    return document
a, b = facts(single, single_root), facts(merged, volume_root)
for key in sorted(set(a) | set(b)):
    if a.get(key) != b.get(key):
        print(f"differs: manifest.json {key}", file=sys.stderr)
sys.exit(0 if a == b else 1)
PYTHON
if [ "$differences" = 0 ]; then
  echo "identical: $N partitions + merge and a single run give the same $(echo "$csvs" | wc -w) CSVs, history and manifest facts (in $WORK)"
fi
exit $differences
