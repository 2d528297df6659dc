#!/usr/bin/env python3
"""Compares teampulse's metrics.csv with DuckDB's metric table, row by row.

    python bench/compare.py TEAMPULSE_METRICS_CSV DUCKDB_METRICS_CSV [--rel-tol 1e-9] [--abs-tol 1e-9] [--show 20]

Both files have the columns as_of, window, team, metric, value, unit. Metrics that DuckDB does not compute
at all (no row in its file) are listed and left out. The rows must have the same set of (window, team, metric) keys (each key once); for every key both values are empty (null), or both are
numbers that agree within the relative tolerance (or the absolute tolerance near zero); the units and
as_of days must be equal too. Prints a summary and the first disagreements; exits 1 on any.
"""

import argparse
import collections
import csv
import math
import sys

COLUMNS = ["as_of", "window", "team", "metric", "value", "unit"]

def load(path):
    rows = {}
    duplicates = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            sys.exit(f"error: {path}: missing columns {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
            key = (row["window"], row["team"], row["metric"])
            if key in rows:
                duplicates.append((key, line))
            rows[key] = row
    return rows, duplicates


def parse(text):
    text = (text or "").strip()
    if text == "" or text.lower() in ("null", "none", "nan"):
        return None
    return float(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("teampulse")
    parser.add_argument("duckdb")
    parser.add_argument("--rel-tol", type=float, default=1e-9)
    parser.add_argument("--abs-tol", type=float, default=1e-9)
    parser.add_argument("--show", type=int, default=20, help="disagreements to print (default 20)")
    args = parser.parse_args(argv)

    left, left_dups = load(args.teampulse)
    right, right_dups = load(args.duckdb)
    # Metrics the DuckDB reference does not compute at all are not compared; they are listed so that
    # nothing is skipped silently.
    reference_metrics = {key[2] for key in right}
    not_compared = sorted({key[2] for key in left} - reference_metrics)
    left = {key: row for key, row in left.items() if key[2] in reference_metrics}
    # The roll-up rows (the company `all`, departments `dept:…`) are merged from the teams' partials;
    # the reference computes teams only, so roll-ups are counted and left out.
    rollups = {key for key in left if key[1] == "all" or key[1].startswith("dept:")}
    left = {key: row for key, row in left.items() if key not in rollups}
    left_dups = [(key, line) for key, line in left_dups if key[2] in reference_metrics]
    problems = []  # (kind, key, teampulse value, duckdb value)
    for key, line in left_dups:
        problems.append(("duplicate key in teampulse", key, f"line {line}", ""))
    for key, line in right_dups:
        problems.append(("duplicate key in duckdb", key, "", f"line {line}"))

    def order(key):
        window, team, metric = key
        return (team, int(window.rstrip("d")) if window.rstrip("d").isdigit() else 0, window, metric)

    for key in sorted(set(left) | set(right), key=order):
        a, b = left.get(key), right.get(key)
        if a is None:
            problems.append(("only in duckdb", key, "", b["value"]))
            continue
        if b is None:
            problems.append(("only in teampulse", key, a["value"], ""))
            continue
        if a["unit"] != b["unit"]:
            problems.append(("unit differs", key, a["unit"], b["unit"]))
        if a["as_of"] != b["as_of"]:
            problems.append(("as_of differs", key, a["as_of"], b["as_of"]))
        try:
            x, y = parse(a["value"]), parse(b["value"])
        except ValueError:
            problems.append(("not a number", key, a["value"], b["value"]))
            continue
        if x is None and y is None:
            continue
        if x is None or y is None:
            problems.append(("null vs number", key, a["value"], b["value"]))
        elif not math.isclose(x, y, rel_tol=args.rel_tol, abs_tol=args.abs_tol):
            problems.append(("value differs", key, a["value"], b["value"]))

    common = len(set(left) & set(right))
    nulls = sum(1 for k in set(left) & set(right) if parse(left[k]["value"]) is None)
    print(f"teampulse: {len(left)} rows ({args.teampulse})")
    print(f"duckdb:    {len(right)} rows ({args.duckdb})")
    print(f"common keys: {common} ({nulls} null in teampulse); "
          f"teams {len({k[1] for k in left})} / {len({k[1] for k in right})}, "
          f"windows {sorted({k[0] for k in left}, key=lambda w: int(w.rstrip('d')))} / "
          f"{sorted({k[0] for k in right}, key=lambda w: int(w.rstrip('d')))}")
    if not_compared:
        print(f"not in the DuckDB reference, not compared: {', '.join(not_compared)}")
    if rollups:
        print(f"roll-up rows (all, dept:…), not in the reference, not compared: {len(rollups)}")
    if not problems:
        print(f"AGREE: every (window, team, metric) matches (rel tol {args.rel_tol:g}, abs tol {args.abs_tol:g})")
        return 0
    by_kind = collections.Counter(p[0] for p in problems)
    by_metric = collections.Counter(p[1][2] for p in problems)
    print(f"DISAGREE: {len(problems)} disagreements: "
          + ", ".join(f"{kind} {count}" for kind, count in by_kind.most_common()))
    print("by metric: " + ", ".join(f"{metric} {count}" for metric, count in by_metric.most_common()))
    print(f"first {min(args.show, len(problems))}:")
    print(f"  {'kind':<18} {'window':<6} {'team':<20} {'metric':<28} {'teampulse':>22} {'duckdb':>22}")
    for kind, (window, team, metric), a, b in problems[: args.show]:
        print(f"  {kind:<18} {window:<6} {team:<20} {metric:<28} {a:>22} {b:>22}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
