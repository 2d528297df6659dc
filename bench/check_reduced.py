#!/usr/bin/env python3
"""Checks DuckDB's reduced lower bound against teampulse run with a window covering every day.

    python bench/check_reduced.py TEAMPULSE_METRICS_CSV REDUCED_CSV --window 35d

The reduced set (bench/duckdb_reduced.sql) has no windows, so bench/compare.py cannot check it. Run
teampulse on the same data with a window that holds every record (the generated data spans 35 days:
add `35d` to the pipeline's windows) and pass that window here: each reduced value with a teampulse
counterpart must equal it (relative tolerance 1e-9; cycle time hours = cycle_time_p50_d x 24). The
share shipped within 24 h has no counterpart (teampulse's shipped_within_sla_rate uses team SLAs and
ship_by deadlines) and is not checked. Exits 1 on any difference.
"""

import argparse
import csv
import math
import sys

# reduced column -> (teampulse metric, factor from the teampulse unit to the reduced one)
PAIRS = {
    "orders": ("orders", 1), "paid_orders": ("paid_orders", 1), "gmv": ("gmv", 1),
    "cancel_rate": ("cancel_rate", 1), "ship_latency_p50_h": ("ship_latency_p50_h", 1),
    "ship_latency_p90_h": ("ship_latency_p90_h", 1), "tickets": ("tickets_created", 1),
    "first_response_p50_min": ("first_response_p50_min", 1), "first_response_p90_min": ("first_response_p90_min", 1),
    "resolution_p50_h": ("resolution_p50_h", 1), "reopen_rate": ("reopen_rate", 1), "csat_mean": ("csat_mean", 1),
    "escalation_rate": ("escalation_rate", 1), "tasks_completed": ("tasks_completed", 1),
    "on_time_rate": ("on_time_rate", 1), "cycle_time_p50_h": ("cycle_time_p50_d", 24),
    "cross_team_work_share": ("cross_team_work_share", 1),
}


def number(text):
    return None if text in ("", None) else float(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("teampulse")
    parser.add_argument("reduced")
    parser.add_argument("--window", required=True, help="the teampulse window that covers every day, e.g. 35d")
    args = parser.parse_args(argv)
    values = {}
    with open(args.teampulse, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["window"] == args.window:
                values[(row["team"], row["metric"])] = row["value"]
    if not values:
        sys.exit(f"error: {args.teampulse} has no rows for window {args.window}")
    compared, problems = 0, []
    with open(args.reduced, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column, (metric, factor) in PAIRS.items():
                mine, theirs = number(row[column]), number(values.get((row["team"], metric)))
                if theirs is not None:
                    theirs *= factor
                # a team without records of an input: reduced says 0 (counts) or empty, teampulse 0 or empty
                if (mine or 0) == 0 and (theirs or 0) == 0 and (mine is None or theirs is None or mine == theirs):
                    compared += 1
                    continue
                compared += 1
                if mine is None or theirs is None or not math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=1e-12):
                    problems.append((row["team"], column, row[column], values.get((row["team"], metric), "")))
    print(f"reduced vs teampulse window {args.window}: {compared} values compared, {len(problems)} differ")
    for team, column, mine, theirs in problems[:20]:
        print(f"  {team:<20} {column:<24} reduced {mine:>22} teampulse {theirs:>22}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
