"""How the shift stage's search finds rosters: CP-SAT alone against the portfolio with LNS.

    python benchmarks/shift_stage.py [--seconds 30] INSTANCE.xlsx ...

For each instance the shift-stage model is solved three ways with the same wall-clock limit on
two workers: CP-SAT's default portfolio, CP-SAT with the max_lp subsolver next to default_lp,
and this project's search (one CP-SAT max_lp worker beside the structured LNS). Prints a
Markdown table of the best objective and bound (penalty units) at the limit.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from machine import describe
from ortools.sat.python import cp_model

from scheduler.io.instance_reader import read_instance
from scheduler.solver.assemble import build, unworkable_shifts
from scheduler.solver.context import SCALE
from scheduler.solver.search import Budget, search


def _plain(context, seconds: float, subsolvers: list[str]) -> tuple[float, float]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    solver.parameters.subsolvers.extend(subsolvers)
    solver.solve(context.model)
    return solver.objective_value / SCALE, solver.best_objective_bound / SCALE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    print(f"{describe()}; {args.seconds:g} s per run, 2 workers")
    print()
    print("| instance | search | objective | bound |")
    print("|---|---|---:|---:|")
    for path in args.instances:
        instance = read_instance(path)
        name = Path(path).stem
        runs = {
            "CP-SAT default": lambda c: _plain(c, args.seconds, []),
            "CP-SAT max_lp + default_lp": lambda c: _plain(
                c, args.seconds, ["max_lp", "default_lp"]
            ),
            "max_lp beside structured LNS (ours)": lambda c: _ours(c, args.seconds),
        }
        for label, run in runs.items():
            context = build(instance, stage="shifts", unworkable=unworkable_shifts(instance))
            objective, bound = run(context)
            print(f"| {name} | {label} | {objective:,.0f} | {bound:,.0f} |", flush=True)


def _ours(context, seconds: float) -> tuple[float, float]:
    outcome = search(context, Budget(seconds=seconds, deterministic=None, workers=2, seed=0), "s")
    return outcome.objective / SCALE, outcome.bound / SCALE


if __name__ == "__main__":
    main()
