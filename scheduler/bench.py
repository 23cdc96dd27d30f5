"""Solve Shift Scheduling Benchmark instances with the product's own solver and checker."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scheduler.audit import audit
from scheduler.errors import InfeasibleError
from scheduler.io.curtois import day_of, read_curtois
from scheduler.model import Instance, Roster
from scheduler.solver import NoRosterFound, SolveOptions, solve


@dataclass(frozen=True)
class BenchRow:
    """One instance's result; objective is recomputed by the rule checker."""

    instance: str
    status: str
    objective: float | None
    bound: float | None
    best_known: float | None
    seconds: float
    hard_violations: int = 0

    @property
    def gap(self) -> float | None:
        """Distance to the best known objective, in percent of it."""
        if self.objective is None or not self.best_known:
            return None
        return 100 * (self.objective - self.best_known) / self.best_known


def best_known(folder: Path) -> dict[str, float]:
    """Published optima from best_known.csv beside the instances (the lowest upper bound)."""
    path = folder / "best_known.csv"
    if not path.exists():
        return {}
    found = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            bounds = [float(v) for k, v in row.items() if k.endswith("_ub") and v]
            if bounds:
                found[row["instance"]] = min(bounds)
    return found


def write_solution(instance: Instance, roster: Roster, path: Path) -> None:
    """The benchmark's solution format: employee,day,shift, one row per assigned shift."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["employee", "day", "shift"])
        for assignment in sorted(roster.assignments, key=lambda a: (a.agent_id, a.date)):
            writer.writerow(
                [assignment.agent_id, day_of(instance, assignment.date), assignment.shift_id]
            )


def run_curtois(
    files: list[str | Path],
    time_limit: float = 60,
    workers: int = 2,
    solutions: str | Path | None = None,
    progress: Callable[[BenchRow], None] | None = None,
    deterministic_time: float | None = None,
) -> list[BenchRow]:
    rows = []
    for file in files:
        path = Path(file)
        instance = read_curtois(path)
        known = best_known(path.parent).get(instance.name)
        started = time.perf_counter()
        try:
            options = SolveOptions(
                time_limit=time_limit, workers=workers, deterministic_time=deterministic_time
            )
            result = solve(instance, options)
        except (InfeasibleError, NoRosterFound) as exc:
            status = "INFEASIBLE" if isinstance(exc, InfeasibleError) else "NO ROSTER"
            row = BenchRow(instance.name, status, None, None, known,
                           time.perf_counter() - started)  # fmt: skip
        else:
            report = audit(instance, result.roster)
            row = BenchRow(
                instance=instance.name,
                status=result.status,
                objective=report.objective,
                bound=result.bound,
                best_known=known,
                seconds=result.seconds,
                hard_violations=len(report.hard),
            )
            if solutions:
                write_solution(instance, result.roster, Path(solutions) / f"{instance.name}.csv")
        rows.append(row)
        if progress:
            progress(row)
    return rows
