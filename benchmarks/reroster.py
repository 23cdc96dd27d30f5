"""Re-rostering after absences on the shared bank weeks: the repair against a full re-solve.

    python benchmarks/reroster.py [--weeks week-247,week-day] [--files X.xlsx ...]
        [--time-limit 120] [--repair-limit 60] [--workers 2] [--seed 0]

Reads ../shared/benchmarks/callcenter/weeks/ (or the given files). Each week is solved at
--time-limit for the published roster; then, per absence pattern, the published roster is
repaired (`reroster`, at --repair-limit, from the first absent day) and, for comparison, the
whole week is solved again at --time-limit with the absences as LEAVE. Patterns: 5% of the
agents absent for three mid-week days; one agent for three mid-week days; 5% absent on the
middle day with --from at 12:00 (agents whose shift starts at noon or later, or who are off).
Prints a Markdown table: changed agent-days beyond the absences (repair, and the re-solve with
those before --from), coverage as published / after the absences / after the repair / of the
re-solve, seconds, whether every shift before --from is kept, and hard violations.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path

from machine import describe

from scheduler import reroster
from scheduler.audit import audit
from scheduler.io.instance_reader import read_instance
from scheduler.model import Instance, Roster
from scheduler.reroster import absence_pairs, with_absences
from scheduler.solver import NoRosterFound, SolveOptions, solve

WEEKS = (
    Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "callcenter" / "weeks"
)
DEFAULT_WEEKS = ("week-247", "week-day")


@dataclass
class Pattern:
    name: str
    cutoff: dt.datetime
    absences: list[tuple[str, dt.date]]


def patterns(instance: Instance, published: Roster, seed: int) -> list[Pattern]:
    """The absence patterns for a week, drawn reproducibly from the agents who work then."""
    rng = random.Random(seed)
    dates = instance.dates
    middle = len(dates) // 2
    three = dates[max(0, middle - 1) : middle + 2]
    share = max(1, math.ceil(0.05 * len(instance.agents)))
    working = sorted({a.agent_id for a in published.assignments if a.date in three})
    many = rng.sample(working, min(share, len(working)))
    one = rng.sample(working, 1) if working else []
    first = dt.datetime.combine(three[0], dt.time(0))
    noon = dt.datetime.combine(dates[middle], dt.time(12, 0))
    started = {
        a.agent_id for a in published.assignments if a.date == dates[middle] and a.start < noon
    }
    later = sorted(
        {a.agent_id for a in published.assignments if a.date == dates[middle] and a.start >= noon}
    )
    same_day = rng.sample(later, min(share, len(later)))
    assert not set(same_day) & started
    return [
        Pattern(f"5% ({len(many)}) x 3 days", first, [(a, d) for a in many for d in three]),
        Pattern("1 agent x 3 days", first, [(a, d) for a in one for d in three]),
        Pattern(f"5% ({len(same_day)}) same day, from 12:00", noon,
                [(a, dates[middle]) for a in same_day]),
    ]  # fmt: skip


def changed(
    published: Roster, roster: Roster, cleared: set, cutoff: dt.datetime
) -> tuple[int, int]:
    """Agent-days whose shift differs, beyond the absences: (all, those before the cutoff)."""
    before = {(a.agent_id, a.date): a.shift_id for a in published.assignments}
    after = {(a.agent_id, a.date): a.shift_id for a in roster.assignments}
    keys = [
        k for k in set(before) | set(after) if before.get(k) != after.get(k) and k not in cleared
    ]
    return len(keys), sum(1 for _, date in keys if date < cutoff.date())


def kept(published: Roster, roster: Roster, cutoff: dt.datetime) -> bool:
    def early(r: Roster) -> set:
        return {(a.agent_id, a.date, a.shift_id) for a in r.assignments if a.start < cutoff}

    return early(published) == early(roster)


def run_week(path: Path, args: argparse.Namespace) -> None:
    instance = read_instance(path)
    options = SolveOptions(time_limit=args.time_limit, workers=args.workers, seed=args.seed)
    published = solve(instance, options).roster
    repair_options = SolveOptions(
        time_limit=args.repair_limit, workers=args.workers, seed=args.seed
    )
    for pattern in patterns(instance, published, args.seed):
        pairs = absence_pairs(pattern.absences)
        cleared = {(a.agent_id, a.date) for a in published.assignments} & set(pairs)
        started = time.perf_counter()
        try:
            outcome = reroster(instance, published, pattern.cutoff, pairs, repair_options)
        except NoRosterFound:
            print(f"| {path.stem} | {pattern.name} | no repair in time | | | | | | | |", flush=True)
            continue
        repair_seconds = time.perf_counter() - started
        repaired_changes = changed(published, outcome.roster, cleared, pattern.cutoff)[0]
        with_leave = with_absences(instance, pairs)
        started = time.perf_counter()
        again = solve(with_leave, options)
        resolve_seconds = time.perf_counter() - started
        resolved_report = audit(with_leave, again.roster)
        resolved_changes, resolved_early = changed(published, again.roster, cleared, pattern.cutoff)
        same = "yes" if kept(published, outcome.roster, pattern.cutoff) else "NO"
        print(
            f"| {path.stem} | {pattern.name} | {repaired_changes} | {resolved_changes} "
            f"({resolved_early}) | {outcome.coverage_published:.2f} "
            f"| {outcome.coverage_after_absences:.2f} | {outcome.coverage_repaired:.2f} "
            f"| {resolved_report.coverage_percent:.2f} | {repair_seconds:.0f} / "
            f"{resolve_seconds:.0f} | {same} "
            f"| {len(outcome.report.hard)} / {len(resolved_report.hard)} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", default=",".join(DEFAULT_WEEKS), help="file stems")
    parser.add_argument("--files", nargs="*", default=[], help="instance workbooks instead")
    parser.add_argument("--time-limit", type=float, default=120.0, help="solve and re-solve")
    parser.add_argument("--repair-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    files = [Path(f) for f in args.files] or [
        WEEKS / f"{stem}.xlsx" for stem in args.weeks.split(",") if stem
    ]
    print(describe())
    print()
    print(
        "| week | absence pattern | changes: repair | changes: re-solve (before --from) "
        "| coverage % as published | after absences | after repair | re-solve "
        "| seconds repair / re-solve | earlier days kept | hard repair / re-solve |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for path in files:
        run_week(path, args)


if __name__ == "__main__":
    main()
