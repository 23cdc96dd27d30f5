"""Integrated model against the staged method on the same instances and time limits.

    python benchmarks/methods.py [--time-limit 60] [--workers 2] INSTANCE.xlsx ...

Prints a Markdown table: for each instance and method, the objective and coverage of the roster
as the rule checker recomputes them, the best bound, the hard violations found, the seconds,
and the model size. Used for docs/DESIGN.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from machine import describe

from scheduler.audit import audit
from scheduler.io.instance_reader import read_instance
from scheduler.solver import NoRosterFound, SolveOptions, solve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--methods", default="integrated,staged")
    args = parser.parse_args()
    print(f"{describe()}; time limit {args.time_limit:g} s, {args.workers} workers")
    print()
    print(
        "| instance | method | objective | bound | gap | coverage % | hard violations | "
        "seconds | variables |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for path in args.instances:
        instance = read_instance(path)
        for method in args.methods.split(","):
            options = SolveOptions(time_limit=args.time_limit, workers=args.workers, method=method)
            try:
                result = solve(instance, options)
            except NoRosterFound:
                print(
                    f"| {Path(path).stem} | {method} | no roster | | | | | {args.time_limit:g} | |"
                )
                continue
            report = audit(instance, result.roster)
            gap = 0.0 if report.objective <= 0 else 1 - result.bound / report.objective
            print(
                f"| {Path(path).stem} | {method} | {report.objective:,.0f} | "
                f"{result.bound:,.0f} | {gap:.1%} | {report.coverage_percent:.1f} | "
                f"{len(report.hard)} | {result.seconds:.1f} | "
                f"{result.stats.get('variables', 0):,.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
