"""How evenly the solver shares weekends, holidays and nights, against what is possible.

    python benchmarks/fairness.py [--seconds 60] [--proof-seconds 120] INSTANCE.xlsx ...

For each instance: the shift stage is solved as `scheduler solve` does with the given time
limit (search, then the lexicographic fairness steps); then, keeping that roster's staffing per
queue group, shift and day, each spread is minimised again with a long limit to prove the least
possible value; and each spread is minimised with no demand at all (only the hard rules), which
is the floor no roster can go below. Spreads are per FTE with history, in penalty units
(weight x spread). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from machine import describe

from scheduler.io.instance_reader import read_instance
from scheduler.solver.assemble import build, unworkable_shifts
from scheduler.solver.context import SCALE, evaluate
from scheduler.solver.driver import FAIR_SHARE, SHIFT_STAGE_SHARE
from scheduler.solver.fair_share import ORDER, narrow_spread, share_fairly, spread_penalty
from scheduler.solver.search import Budget, search


def _budget(seconds: float) -> Budget:
    return Budget(seconds=seconds, deterministic=None, workers=2, seed=0)


def _penalty(context, rule: str, values: list[int]) -> float:
    return sum(evaluate(p.expr, values) for p in context.penalties if p.rule == rule) / SCALE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--proof-seconds", type=float, default=120)
    args = parser.parse_args()
    print(
        f"{describe()}; solve time limit {args.seconds:g} s, proof "
        f"{args.proof_seconds:g} s per step"
    )
    print()
    print(
        "| instance | burden | after search | after fairness steps (s) | least possible with "
        "this staffing | floor, hard rules only |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for path in args.instances:
        instance = read_instance(path)
        unworkable = unworkable_shifts(instance)
        context = build(instance, stage="shifts", unworkable=unworkable)
        stage = args.seconds * SHIFT_STAGE_SHARE
        outcome = search(context, _budget(stage * (1 - FAIR_SHARE)), "shifts")
        before = {rule: _penalty(context, rule, outcome.values) for rule in ORDER}
        started = time.perf_counter()
        shared = share_fairly(context, outcome.values, _budget(stage * FAIR_SHARE))
        fair_seconds = time.perf_counter() - started
        after = {rule: _penalty(context, rule, shared.values) for rule in ORDER}
        proof = share_fairly(context, shared.values, _budget(args.proof_seconds * 4))
        floors = {}
        for rule in ORDER:
            alone = build(instance, stage="shifts", unworkable=unworkable)
            if rule not in {p.rule for p in alone.penalties}:
                continue
            # The same windows with no staffing kept: only the hard rules bound the spread.
            narrowed = narrow_spread(
                alone.model, alone.fairness_loads[rule], proof.values, _budget(args.proof_seconds)
            )
            floors[rule] = (spread_penalty(alone, rule, narrowed.spread), narrowed.proven)
        for rule in ORDER:
            if rule not in floors:
                continue
            least = proof.spreads.get(rule)
            proven = proof.proven.get(rule, False)
            floor, floor_proven = floors[rule]
            least_text = (
                "-"
                if least is None
                else f"{least:g}" + (" (proven)" if proven else " (best found)")
            )
            floor_text = f"{floor:g}" + (" (proven)" if floor_proven else " (best found)")
            print(
                f"| {Path(path).stem} | {rule} | {before[rule]:g} | {after[rule]:g} "
                f"({fair_seconds:.1f}) | {least_text} | {floor_text} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
