"""Coverage on the shared bank-call weeks against their LP bounds and the product's own bound.

    python benchmarks/weeks.py [--weeks week-247,week-day] [--seeds 0,1] [--workers 2]
        [--scale 1.0]

Reads ../shared/benchmarks/callcenter/weeks/ (weeks.json gives each file's LP coverage bound,
which leaves out history, rest and runs of days). Each solve runs in its own process at the time
limit the engine issue sets for its size (120 s for one-week centres of about 120 agents, 300 s
for 2- and 4-week horizons and the 308-agent week, 600 s for the 733-agent week; `--scale`
multiplies them), and the roster is re-checked by the rule checker. Prints a Markdown table:
coverage, the shared LP bound, the product's bound (its plan LP, which also counts the history
before the horizon), the gap in points to each, seconds to the first complete shift roster (the
build included), hard violations and peak memory.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import time
from pathlib import Path

from machine import describe

WEEKS = (
    Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "callcenter" / "weeks"
)


def time_limit(days: int, agents: int) -> float:
    """The engine issue's time limit for a centre of this size."""
    if agents > 500:
        return 600.0
    if days > 7 or agents > 200:
        return 300.0
    return 120.0


def _solve_once(path: str, seed: int, limit: float, workers: int) -> dict:
    from scheduler.audit import audit
    from scheduler.io.instance_reader import read_instance
    from scheduler.solver import NoRosterFound, SolveOptions, solve

    instance = read_instance(path)
    started = time.perf_counter()
    try:
        result = solve(instance, SolveOptions(time_limit=limit, workers=workers, seed=seed))
    except NoRosterFound:
        return {"roster": False, "seconds": time.perf_counter() - started, "peak_mb": _peak()}
    report = audit(instance, result.roster)
    stats = result.stats
    return {
        "roster": True,
        "seconds": result.seconds,
        "coverage": report.coverage_percent,
        "bound": None if result.coverage_bound is None else 100 * result.coverage_bound,
        "first": stats.get("first_roster_seconds", 0.0),
        "hard": len(report.hard),
        "peak_mb": _peak(),
    }


def _peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_process(*args) -> dict:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_solve_once, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", default="", help="file stems (default: every week)")
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the time limits")
    args = parser.parse_args()
    entries = [json.loads(line) for line in (WEEKS / "weeks.json").read_text().splitlines() if line]
    wanted = {w for w in args.weeks.split(",") if w}
    print(describe())
    print()
    print(
        "| week | agents | days | seed | limit s | coverage % | LP bound % (shared) | gap pts "
        "| own bound % | gap pts | first roster s | hard | peak MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for entry in entries:
        stem = Path(entry["file"]).stem
        if wanted and stem not in wanted:
            continue
        limit = time_limit(entry["days"], entry["agents"]) * args.scale
        for seed in (int(s) for s in args.seeds.split(",")):
            row = _in_process(str(WEEKS / entry["file"]), seed, limit, args.workers)
            shared = entry["lp_coverage_bound_pct"]
            if not row["roster"]:
                print(
                    f"| {stem} | {entry['agents']} | {entry['days']} | {seed} | {limit:g} "
                    f"| no roster ({row['seconds']:.0f} s) | {shared:.2f} | | | | | "
                    f"| {row['peak_mb']:.0f} |",
                    flush=True,
                )
                continue
            own = row["bound"]
            own_text = "" if own is None else f"{own:.2f}"
            own_gap = "" if own is None else f"{own - row['coverage']:.2f}"
            print(
                f"| {stem} | {entry['agents']} | {entry['days']} | {seed} | {limit:g} "
                f"| {row['coverage']:.2f} | {shared:.2f} | {shared - row['coverage']:.2f} "
                f"| {own_text} | {own_gap} | {row['first']:.1f} | {row['hard']} "
                f"| {row['peak_mb']:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
