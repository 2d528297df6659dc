#!/usr/bin/env python3
"""Checks that CSV outputs differ from a full-precision version of them only by rounding.

    scripts/compare-rounded.py OLD NEW

OLD and NEW are two CSV files or two folders of CSVs (every CSV of OLD that NEW also has is compared),
e.g. golden outputs before and after a change, or a run with `csv: {precision: full}` and one with the
default. Columns are matched by name (columns only one side has are listed, not compared) and rows by
position. A cell passes when both sides are equal text, or both are numbers and |old − new| is at most
half a unit of the last digit NEW keeps (new `9.73` covers old 9.725…9.735), computed exactly in
decimal arithmetic. Prints one line per difference and a summary; exits 1 when anything differs.
"""
import csv
import io
import os
import sys
from decimal import Decimal, InvalidOperation


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    return rows[0], rows[1:]


def number(text):
    if text == "" or text.strip() != text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def places(text):
    return len(text.split(".", 1)[1]) if "." in text else 0


def compare(old_path, new_path, name):
    old_header, old_rows = read(old_path)
    new_header, new_rows = read(new_path)
    problems = []
    common = [column for column in old_header if column in new_header]
    only_old = [column for column in old_header if column not in new_header]
    only_new = [column for column in new_header if column not in old_header]
    if only_old:
        print(f"{name}: columns only in OLD (not compared): {', '.join(only_old[:8])}{' …' if len(only_old) > 8 else ''} ({len(only_old)})")
    if only_new:
        print(f"{name}: columns only in NEW (not compared): {', '.join(only_new)}")
    if len(old_rows) != len(new_rows):
        problems.append(f"{name}: {len(old_rows)} rows in OLD, {len(new_rows)} in NEW")
    cells = rounded = 0
    for line, (old, new) in enumerate(zip(old_rows, new_rows), start=2):
        for column in common:
            a = old[old_header.index(column)]
            b = new[new_header.index(column)]
            cells += 1
            if a == b:
                continue
            x, y = number(a), number(b)
            if x is None or y is None:
                problems.append(f"{name}:{line}: {column}: '{a}' became '{b}'")
                continue
            half = Decimal(5).scaleb(-(places(b) + 1))
            if abs(x - y) > half:
                problems.append(f"{name}:{line}: {column}: {a} became {b}, more than {half} apart")
            else:
                rounded += 1
    print(f"{name}: {cells} cells compared, {rounded} differ only by rounding (or trailing zeros), {len(problems)} problems")
    return problems


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    old, new = sys.argv[1], sys.argv[2]
    if os.path.isdir(old):
        names = sorted(name for name in os.listdir(old) if name.endswith(".csv") and os.path.exists(os.path.join(new, name)))
        pairs = [(os.path.join(old, name), os.path.join(new, name), name) for name in names]
    else:
        pairs = [(old, new, os.path.basename(new))]
    problems = []
    for a, b, name in pairs:
        problems += compare(a, b, name)
    for problem in problems[:50]:
        print(problem)
    if len(problems) > 50:
        print(f"… {len(problems) - 50} more")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
