"""The Shift Scheduling Benchmark: this tool's solver against a plain CP-SAT model.

    python benchmarks/curtois.py [--time-limit 60] [--retry-limit 300] [--workers 2]
        [--solutions DIR] [--plain-retry] [--no-plain] ../shared/benchmarks/curtois/Instance*.txt

Each instance is solved by `scheduler bench` (the product's rules, solver and checker) and by
the plain direct model of benchmarks/curtois_plain.py, with the same time limit and workers on
the same machine. The product's objective is recomputed twice: by the rule checker, and from the
written solution file by the independent evaluator in curtois_plain.py. Instances not solved to
the proven optimum are run again with --retry-limit by the product's solver (and by the plain
model too with --plain-retry). Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from curtois_plain import evaluate, parse, read_solution, solve_plain
from machine import describe

from scheduler.bench import run_curtois


def _number(path: str) -> int:
    match = re.search(r"(\d+)", Path(path).stem)
    return int(match.group(1)) if match else 0


HEADER = (
    "| instance | status | objective | bound | optimum | gap % | seconds | checker = file | "
    "plain status | plain objective | plain bound | plain gap % |\n"
    "|---|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|"
)


def _table(files, seconds, workers, solutions, plain=True) -> list[str]:
    """Solve each file both ways, print a row as each finishes; the files not proven optimal."""
    print(HEADER, flush=True)
    not_optimal = []
    for file in files:
        [row] = run_curtois([file], seconds, workers, solutions)
        bench = parse(file)
        agree = "-"  # no roster to check
        if row.objective is not None:
            solution = read_solution(Path(solutions) / f"{row.instance}.csv")
            recomputed, broken = evaluate(bench, solution)
            agree = (
                "yes"
                if recomputed == row.objective and not broken and not row.hard_violations
                else (f"NO ({recomputed}, {len(broken)} broken)")
            )
        status, objective, bound = "-", float("nan"), float("nan")
        if plain:
            status, objective, bound, _ = solve_plain(bench, seconds, workers)
        optimum = row.best_known or 0
        plain_gap = (
            "-" if objective != objective else f"{100 * (objective - optimum) / optimum:.2f}"
        )
        ours = [
            "-" if value is None else f"{value:{spec}}"
            for value, spec in ((row.objective, ",.0f"), (row.bound, ",.0f"), (row.gap, ".2f"))
        ]
        print(
            f"| {row.instance} | {row.status} | {ours[0]} | {ours[1]} | "
            f"{optimum:,.0f} | {ours[2]} | {row.seconds:.1f} | {agree} | {status} | "
            f"{objective:,.0f} | {bound:,.0f} | {plain_gap} |".replace("nan", "-"),
            flush=True,
        )
        if row.objective != optimum or row.status != "OPTIMAL":
            not_optimal.append(file)
    return not_optimal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--retry-limit", type=float, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--solutions", default="curtois-solutions")
    parser.add_argument("--no-plain", action="store_true", help="run the product's solver only")
    parser.add_argument(
        "--plain-retry",
        action="store_true",
        help="also run the plain model at --retry-limit (by default it is compared at "
        "--time-limit only)",
    )
    args = parser.parse_args()
    files = sorted(args.files, key=_number)
    print(f"{describe()}; {args.workers} workers")
    print(f"\n### {args.time_limit:g} s per instance\n")
    retry = _table(files, args.time_limit, args.workers, args.solutions, plain=not args.no_plain)
    if retry and args.retry_limit > args.time_limit:
        print(
            f"\n### {args.retry_limit:g} s for those not proven optimal at {args.time_limit:g} s\n"
        )
        _table(retry, args.retry_limit, args.workers, args.solutions, plain=args.plain_retry)


if __name__ == "__main__":
    main()
