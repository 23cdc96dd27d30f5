"""How the solver scales on generated contact centres, and how fast staffing is.

    python benchmarks/scale.py [--workers 2] [--sizes 20x7,100x7,300x7,100x28]
        [--limits 15,30,120] [--long-limits 30,120,300] [--queues 3] [--seed 1]

Each size is a generated centre (scheduler.generate: 24/7, 15-minute intervals, nights,
breaks, a complaint queue, new hires, requests and history) solved once per time limit, each
solve in its own process so its peak memory is its own. A row reports the shift-stage model
(build seconds, variables, constraints), when the first shift plan was found, whether a complete
roster (shifts, breaks and queues) came out within the limit, and that roster as the rule checker
recomputes it: hard violations, coverage %, objective against the proven bound. Sizes of more
than 14 days use --long-limits. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time

from machine import describe

SPEED_CELLS = 10_000


def _solve_once(agents: int, days: int, queues: int, seed: int, limit: float, workers: int):
    """One solve in a fresh process: the row's figures and this process's peak memory."""
    from scheduler.audit import audit
    from scheduler.generate import GeneratorSpec, generate
    from scheduler.solver import NoRosterFound, SolveOptions, solve

    instance = generate(GeneratorSpec(agents=agents, days=days, queues=queues, seed=seed))
    started = time.perf_counter()
    try:
        result = solve(instance, SolveOptions(time_limit=limit, workers=workers))
    except NoRosterFound:
        return {"roster": False, "seconds": time.perf_counter() - started, "peak_mb": _peak()}
    report = audit(instance, result.roster)
    stats = result.stats
    return {
        "roster": result.roster.activities is not None,
        "seconds": result.seconds,
        "build": stats["build_seconds"],
        "variables": stats["variables"],
        "constraints": stats["constraints"],
        "first_plan": stats.get("first_roster_seconds", 0.0),
        "hard": len(report.hard),
        "coverage": report.coverage_percent,
        "objective": report.objective,
        "bound": result.bound,
        "status": result.status,
        "peak_mb": _peak(),
    }


def _peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _row(agents: int, days: int, limit: float, figures: dict) -> str:
    if not figures["roster"]:
        return (
            f"| {agents} x {days} | {limit:g} | | | | | no roster | {figures['seconds']:.1f} | "
            f"| | | | {figures['peak_mb']:,.0f} |"
        )
    objective, bound = figures["objective"], figures["bound"]
    gap = 0.0 if objective <= 0 else 100 * (objective - bound) / objective
    return (
        f"| {agents} x {days} | {limit:g} | {figures['build']:.1f} | "
        f"{figures['variables']:,.0f} | {figures['constraints']:,.0f} | "
        f"{figures['first_plan']:.1f} | yes | {figures['seconds']:.1f} | {figures['hard']} | "
        f"{figures['coverage']:.2f} | {objective:,.0f} | {bound:,.0f} ({gap:.1f} %) | "
        f"{figures['peak_mb']:,.0f} |"
    )


def _staffing_speed() -> str:
    """Erlang-C requirements for SPEED_CELLS distinct interval-queue cells, quiet to very busy."""
    from scheduler.model import Queue
    from scheduler.staffing import required_agents

    queues = [Queue(queue_id=f"Q{aht}", aht_seconds=aht) for aht in (180, 240, 300, 360, 420)]
    cells = [(5 + (i * 37) % 2_000 + i / SPEED_CELLS, queues[i % 5]) for i in range(SPEED_CELLS)]
    started = time.perf_counter()
    largest = max(required_agents(calls, queue, 15, 0.3).required for calls, queue in cells)
    seconds = time.perf_counter() - started
    return (
        f"{SPEED_CELLS:,} distinct cells (5 to 2,005 calls per 15 minutes, AHT 180-420 s, "
        f"80/20, shrinkage 30 %, no caching): {seconds:.2f} s, "
        f"{1e6 * seconds / SPEED_CELLS:.0f} µs per cell, largest requirement {largest:,} agents"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sizes", default="20x7,100x7,300x7,100x28")
    parser.add_argument("--limits", default="15,30,120")
    parser.add_argument("--long-limits", default="30,120,300")
    parser.add_argument("--queues", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{describe()}; {args.workers} workers; {args.queues} queues, seed {args.seed}\n")
    print(f"Staffing: {_staffing_speed()}\n", flush=True)
    print(
        "| agents x days | limit s | build s | variables | constraints | first plan s | "
        "roster | seconds | hard | coverage % | objective | bound (gap) | peak MB |\n"
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|",
        flush=True,
    )
    context = multiprocessing.get_context("spawn")
    for size in args.sizes.split(","):
        agents, days = (int(part) for part in size.split("x"))
        limits = args.long_limits if days > 14 else args.limits
        for limit in (float(value) for value in limits.split(",")):
            with context.Pool(1, maxtasksperchild=1) as pool:
                figures = pool.apply(
                    _solve_once, (agents, days, args.queues, args.seed, limit, args.workers)
                )
            print(_row(agents, days, limit, figures), flush=True)


if __name__ == "__main__":
    main()
