#!/usr/bin/env python3
"""Runs one of the benchmark's DuckDB SQL files with the `duckdb` Python package and writes its result.

    python bench/duckdb_run.py --data DIR --as-of 2026-11-15 --out duckdb_metrics.csv [--threads 2]
    python bench/duckdb_run.py --sql bench/duckdb_reduced.sql --data DIR --as-of 2026-11-15 --out reduced.csv
    python bench/duckdb_run.py --orders O.csv --tickets T.csv --tasks K.csv [--events E.csv] --seeds seeds/ --as-of D --out F

The SQL file (default bench/duckdb_full.sql) gets its parameters as variables (SET VARIABLE as_of,
orders_path, tickets_path, tasks_path, events_path, events_given, seeds_dir, windows, ship_sla_h,
utc_offset_min) and ends with a SELECT; its rows are written as CSV under the SELECT's column names —
for duckdb_full.sql teampulse's `metrics.csv` layout (as_of, window, team, metric, value, unit). Numbers
are written as teampulse writes them (integers exactly, otherwise the shortest round-trip decimal, never
in exponent notation; empty = null). Without an events file (none given, none in --data) events_path
names a header-only file and events_given is false. The wall time of the whole DuckDB run (connect,
read the CSVs, compute, write) is printed on stdout as `duckdb wall seconds: S`; time the whole process
from outside to include the interpreter's start and `import duckdb`.
"""

import argparse
import csv
import decimal
import math
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def format_number(value):
    if value is None:
        return ""
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        return repr(value)
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(decimal.Decimal(text), "f")
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder with orders.csv, tickets.csv and tasks.csv")
    parser.add_argument("--orders")
    parser.add_argument("--tickets")
    parser.add_argument("--tasks")
    parser.add_argument("--events", help="events CSV (default: events.csv in --data when present)")
    parser.add_argument("--seeds", default=os.path.join(HERE, "..", "seeds"), help="seeds folder (default: ../seeds)")
    parser.add_argument("--as-of", required=True, help="as-of day YYYY-MM-DD")
    parser.add_argument("--out", required=True, help="metrics CSV to write")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    parser.add_argument("--windows", default="1,7,28", help="window lengths in days (default 1,7,28)")
    parser.add_argument("--ship-sla-h", type=float, default=24.0, help="default ship SLA in hours (default 24)")
    parser.add_argument("--utc-offset-min", type=int, default=480,
                        help="fixed offset of the pipeline time zone in minutes (default 480 = Asia/Shanghai)")
    parser.add_argument("--sql", default=os.path.join(HERE, "duckdb_full.sql"))
    parser.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 4GB (default: DuckDB's)")
    args = parser.parse_args(argv)

    paths = {}
    for kind in ("orders", "tickets", "tasks"):
        path = getattr(args, kind) or (os.path.join(args.data, kind + ".csv") if args.data else None)
        if not path:
            parser.error(f"--{kind} or --data is required")
        if not os.path.isfile(path):
            parser.error(f"no such file: {path}")
        paths[kind] = os.path.abspath(path)
    events = args.events or (os.path.join(args.data, "events.csv") if args.data else None)
    if args.events and not os.path.isfile(events):
        parser.error(f"no such file: {events}")
    events_given = bool(events and os.path.isfile(events))
    if events_given:
        paths["events"] = os.path.abspath(events)
    else:
        empty = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False)
        empty.write("item_id,item_kind,at,actor,team,activity\n")
        empty.close()
        paths["events"] = empty.name
    windows = [int(w.strip().rstrip("d")) for w in args.windows.split(",") if w.strip()]
    with open(args.sql, encoding="utf-8") as handle:
        script = handle.read()

    import duckdb

    started = time.perf_counter()
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(args.threads)}")
    if args.memory_limit:
        con.execute(f"SET memory_limit = '{args.memory_limit}'")

    def literal(text):
        return "'" + text.replace("'", "''") + "'"

    con.execute(
        f"SET VARIABLE as_of = DATE {literal(args.as_of)};"
        f"SET VARIABLE orders_path = {literal(paths['orders'])};"
        f"SET VARIABLE tickets_path = {literal(paths['tickets'])};"
        f"SET VARIABLE tasks_path = {literal(paths['tasks'])};"
        f"SET VARIABLE events_path = {literal(paths['events'])};"
        f"SET VARIABLE events_given = {'true' if events_given else 'false'};"
        f"SET VARIABLE seeds_dir = {literal(os.path.abspath(args.seeds))};"
        f"SET VARIABLE windows = {windows!r};"
        f"SET VARIABLE ship_sla_h = {args.ship_sla_h!r};"
        f"SET VARIABLE utc_offset_min = {int(args.utc_offset_min)};"
    )
    result = con.execute(script)
    columns = [d[0] for d in result.description]
    rows = result.fetchall()
    computed = time.perf_counter()
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([v if isinstance(v, str) else format_number(v) for v in row])
    con.close()
    finished = time.perf_counter()
    if not events_given:
        os.unlink(paths["events"])
    print(f"duckdb {duckdb.__version__}, threads {args.threads}, {os.path.basename(args.sql)}: {len(rows)} rows -> {args.out}")
    print(f"duckdb compute seconds: {computed - started:.3f}")
    print(f"duckdb wall seconds: {finished - started:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
