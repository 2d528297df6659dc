#!/usr/bin/env python3
"""Runs bench/duckdb_metrics.sql with the `duckdb` Python package and writes the v1 metric table.

    python bench/duckdb_run.py --data DIR --as-of 2026-11-15 --out duckdb_metrics.csv [--threads 2]
    python bench/duckdb_run.py --orders O.csv --tickets T.csv --tasks K.csv --seeds seeds/ --as-of D --out F

The output has teampulse's `metrics.csv` layout (as_of, window, team, metric, value, unit), numbers
written as teampulse writes them (integers exactly, otherwise the shortest round-trip decimal, never in
exponent notation; empty = null). The wall time of the whole DuckDB run (connect, read the CSVs,
compute, write) is printed on stdout as `duckdb wall seconds: S`.
"""

import argparse
import csv
import decimal
import math
import os
import sys
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
    parser.add_argument("--seeds", default=os.path.join(HERE, "..", "seeds"), help="seeds folder (default: ../seeds)")
    parser.add_argument("--as-of", required=True, help="as-of day YYYY-MM-DD")
    parser.add_argument("--out", required=True, help="metrics CSV to write")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    parser.add_argument("--windows", default="1,7,28", help="window lengths in days (default 1,7,28)")
    parser.add_argument("--ship-sla-h", type=float, default=24.0, help="default ship SLA in hours (default 24)")
    parser.add_argument("--utc-offset-min", type=int, default=480,
                        help="fixed offset of the pipeline time zone in minutes (default 480 = Asia/Shanghai)")
    parser.add_argument("--sql", default=os.path.join(HERE, "duckdb_metrics.sql"))
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
        f"SET VARIABLE seeds_dir = {literal(os.path.abspath(args.seeds))};"
        f"SET VARIABLE windows = {windows!r};"
        f"SET VARIABLE ship_sla_h = {args.ship_sla_h!r};"
        f"SET VARIABLE utc_offset_min = {int(args.utc_offset_min)};"
    )
    rows = con.execute(script).fetchall()
    computed = time.perf_counter()
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["as_of", "window", "team", "metric", "value", "unit"])
        for as_of, window, team, metric, value, unit in rows:
            writer.writerow([as_of, window, team, metric, format_number(value), unit])
    con.close()
    finished = time.perf_counter()
    print(f"duckdb {duckdb.__version__}, threads {args.threads}: {len(rows)} metric rows -> {args.out}")
    print(f"duckdb compute seconds: {computed - started:.3f}")
    print(f"duckdb wall seconds: {finished - started:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
