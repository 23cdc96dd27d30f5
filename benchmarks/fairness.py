"""Whether each burden goes to those who carried least, on the shared bank-call weeks.

    python benchmarks/fairness.py [--weeks week-247,week-day] [--seeds 0] [--off]
        [--scale 1.0]

Each week is solved in its own process at the engine issue's time limit (benchmarks/weeks.py)
and the roster is re-checked by the rule checker. Per burden (weekend days, nights, holidays
where the horizon has one, complaint hours), over the agents eligible for it and per FTE:

- the population variance of the totals with history (what the fairness penalty weighs);
- the history compensation: the mean load this horizon of the top quartile of history beside
  that of the bottom quartile (the top should carry less);
- peers: among agents of equal FTE, skills, shift list and night eligibility whose history
  differs by at most one unit, the largest difference of this horizon's loads.

`--off` solves each week a second time with every fairness weight at 0, to show what the
fairness terms cost in coverage. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
from pathlib import Path

from machine import describe
from weeks import WEEKS, time_limit

MEASURES = ("weekend_days", "nights", "holidays", "complaint_hours")
FAIR_RULES = ("fair_weekends", "fair_holidays", "fair_nights", "fair_complaint_hours")


def _peer_gap(instance, loads, measure: str) -> tuple[float, int]:
    """Largest difference of this horizon's loads between peers, and how many peer pairs."""
    agents = {agent.agent_id: agent for agent in instance.agents}
    groups: dict[tuple, list] = {}
    for load in loads:
        if not load.eligible[measure]:
            continue
        agent = agents[load.agent_id]
        key = (agent.fte, tuple(sorted(agent.skills)), agent.shifts, agent.night_ok)
        groups.setdefault(key, []).append(load)
    gap, pairs = 0.0, 0
    for members in groups.values():
        for i, one in enumerate(members):
            for other in members[i + 1 :]:
                if abs(one.history[measure] - other.history[measure]) <= 1:
                    pairs += 1
                    gap = max(gap, abs(one.value(measure, False) - other.value(measure, False)))
    return gap, pairs


def _solve_once(path: str, seed: int, limit: float, fairness: bool) -> dict:
    from scheduler.audit import agent_loads, audit
    from scheduler.audit.fairness import history_compensation, spread_stats
    from scheduler.audit.view import RosterView
    from scheduler.io.instance_reader import read_instance
    from scheduler.solver import NoRosterFound, SolveOptions, solve

    instance = read_instance(path)
    if not fairness:
        rules = instance.rules.model_copy(update={rule: 0.0 for rule in FAIR_RULES})
        instance = instance.model_copy(update={"rules": rules})
    try:
        result = solve(instance, SolveOptions(time_limit=limit, workers=2, seed=seed))
    except NoRosterFound:
        return {"roster": False}
    report = audit(instance, result.roster)
    loads = agent_loads(RosterView(instance, result.roster))
    measures = {}
    for measure in MEASURES:
        if measure == "holidays" and not instance.holidays:
            continue
        compensation = history_compensation(loads, measure)
        gap, pairs = _peer_gap(instance, loads, measure)
        measures[measure] = {
            "variance": spread_stats(loads, measure, with_history=True).variance,
            "top": compensation.top_load if compensation else None,
            "bottom": compensation.bottom_load if compensation else None,
            "peer_gap": gap,
            "pairs": pairs,
        }
    return {
        "roster": True,
        "coverage": report.coverage_percent,
        "hard": len(report.hard),
        "seconds": result.seconds,
        "fair_seconds": result.stats.get("fair_share_seconds", 0.0),
        "proven": {rule: proven for rule, (_, proven) in result.fairness.items()},
        "measures": measures,
    }


def _in_process(*args) -> dict:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_solve_once, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", default="week-247,week-day,week-247-short,week-247-large")
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--off", action="store_true", help="also solve without fairness terms")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the time limits")
    args = parser.parse_args()
    entries = [json.loads(line) for line in (WEEKS / "weeks.json").read_text().splitlines() if line]
    wanted = [w for w in args.weeks.split(",") if w]
    by_stem = {Path(entry["file"]).stem: entry for entry in entries}
    print(describe())
    print()
    print(
        "| week | seed | coverage % | without fairness % | fairness phase s | burden "
        "| variance with history | top-quartile load | bottom-quartile load | peers' largest "
        "gap (pairs) | proven minimal | hard |"
    )
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---:|")
    started = time.perf_counter()
    for stem in wanted:
        entry = by_stem[stem]
        limit = time_limit(entry["days"], entry["agents"]) * args.scale
        path = str(WEEKS / entry["file"])
        for seed in (int(s) for s in args.seeds.split(",")):
            row = _in_process(path, seed, limit, True)
            off = _in_process(path, seed, limit, False) if args.off else None
            if not row["roster"]:
                print(f"| {stem} | {seed} | no roster | | | | | | | | | |", flush=True)
                continue
            off_text = "" if off is None or not off["roster"] else f"{off['coverage']:.2f}"
            rules = dict(zip(("weekend_days", "holidays", "nights", "complaint_hours"), FAIR_RULES))
            for measure, figures in row["measures"].items():
                top = "" if figures["top"] is None else f"{figures['top']:.2f}"
                bottom = "" if figures["bottom"] is None else f"{figures['bottom']:.2f}"
                proven = row["proven"].get(rules[measure])
                print(
                    f"| {stem} | {seed} | {row['coverage']:.2f} | {off_text} "
                    f"| {row['fair_seconds']:.1f} | {measure.replace('_', ' ')} "
                    f"| {figures['variance']:.3f} | {top} | {bottom} "
                    f"| {figures['peer_gap']:.2f} ({figures['pairs']}) "
                    f"| {'' if proven is None else 'yes' if proven else 'no'} | {row['hard']} |",
                    flush=True,
                )
    print()
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
