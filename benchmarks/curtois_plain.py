"""A plain CP-SAT model of the Shift Scheduling Benchmark, and an independent objective check.

The reference the product's solver is compared with: one boolean per employee, day and shift,
each benchmark rule written the direct way, CP-SAT's default search. Also reads a solution CSV
(employee,day,shift) and recomputes the benchmark's objective and hard constraints from the
instance file alone, without any of the product's code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from ortools.sat.python import cp_model


@dataclass
class Benchmark:
    days: int
    shifts: dict[str, int]  # id -> minutes
    banned: dict[str, set[str]]  # shift -> shifts that may not follow the next day
    staff: dict[str, dict] = field(default_factory=dict)
    days_off: dict[str, set[int]] = field(default_factory=dict)
    on_requests: list[tuple[str, int, str, int]] = field(default_factory=list)
    off_requests: list[tuple[str, int, str, int]] = field(default_factory=list)
    cover: list[tuple[int, str, int, int, int]] = field(default_factory=list)


def parse(path: str | Path) -> Benchmark:
    sections: dict[str, list[list[str]]] = {}
    current = None
    for raw in Path(path).read_text().splitlines():
        line = raw.strip()
        if not line:
            current = None
        elif line.startswith("SECTION_"):
            current = sections.setdefault(line[len("SECTION_") :], [])
        elif not line.startswith("#") and current is not None:
            current.append([p.strip() for p in line.split(",")])
    bench = Benchmark(
        days=int(sections["HORIZON"][0][0]),
        shifts={r[0]: int(r[1]) for r in sections["SHIFTS"]},
        banned={r[0]: {s for s in r[2].split("|") if s} for r in sections["SHIFTS"]},
    )
    for r in sections["STAFF"]:
        bench.staff[r[0]] = {
            "max_shifts": {k: int(v) for k, v in (x.split("=") for x in r[1].split("|"))},
            "max_minutes": int(r[2]),
            "min_minutes": int(r[3]),
            "max_consecutive": int(r[4]),
            "min_consecutive": int(r[5]),
            "min_days_off": int(r[6]),
            "max_weekends": int(r[7]),
        }
    for r in sections.get("DAYS_OFF", []):
        bench.days_off[r[0]] = {int(d) for d in r[1:]}
    bench.on_requests = [
        (r[0], int(r[1]), r[2], int(r[3])) for r in sections.get("SHIFT_ON_REQUESTS", [])
    ]
    bench.off_requests = [
        (r[0], int(r[1]), r[2], int(r[3])) for r in sections.get("SHIFT_OFF_REQUESTS", [])
    ]
    bench.cover = [(int(r[0]), r[1], int(r[2]), int(r[3]), int(r[4])) for r in sections["COVER"]]
    return bench


def solve_plain(bench: Benchmark, seconds: float, workers: int) -> tuple[str, float, float, dict]:
    """The direct model; (status, objective, bound, {(e, d): shift})."""
    model = cp_model.CpModel()
    D = range(bench.days)
    x = {(e, d, s): model.new_bool_var(f"x_{e}_{d}_{s}") for e in bench.staff for d in D
         for s in bench.shifts}  # fmt: skip
    works = {}
    for e, limits in bench.staff.items():
        for d in D:
            works[e, d] = sum(x[e, d, s] for s in bench.shifts)
            model.add(works[e, d] <= 1)
            if d in bench.days_off.get(e, set()):
                model.add(works[e, d] == 0)
        for d in D[:-1]:
            for s, banned in bench.banned.items():
                for t in banned:
                    model.add(x[e, d, s] + x[e, d + 1, t] <= 1)
        for s, n in limits["max_shifts"].items():
            model.add(sum(x[e, d, s] for d in D) <= n)
        minutes = sum(bench.shifts[s] * x[e, d, s] for d in D for s in bench.shifts)
        model.add(minutes <= limits["max_minutes"])
        model.add(minutes >= limits["min_minutes"])
        k = limits["max_consecutive"]
        for d in range(bench.days - k):
            model.add(sum(works[e, i] for i in range(d, d + k + 1)) <= k)
        for length in range(1, limits["min_consecutive"]):
            for d in range(1, bench.days - length):
                # off on d-1, on for `length` days, off after: forbidden
                inside = sum(works[e, i] for i in range(d, d + length))
                model.add(works[e, d - 1] + (length - inside) + works[e, d + length] >= 1)
        for length in range(1, limits["min_days_off"]):
            for d in range(1, bench.days - length):
                inside = sum(works[e, i] for i in range(d, d + length))
                model.add((1 - works[e, d - 1]) + inside + (1 - works[e, d + length]) >= 1)
        weekends = []
        for w in range(bench.days // 7):
            worked = model.new_bool_var("")
            model.add_max_equality(worked, [works[e, 7 * w + 5], works[e, 7 * w + 6]])
            weekends.append(worked)
        model.add(sum(weekends) <= limits["max_weekends"])
    penalty = []
    for e, d, s, w in bench.on_requests:
        penalty.append(w * (1 - x[e, d, s]))
    for e, d, s, w in bench.off_requests:
        penalty.append(w * x[e, d, s])
    for d, s, need, under_w, over_w in bench.cover:
        have = sum(x[e, d, s] for e in bench.staff)
        under = model.new_int_var(0, need, "")
        over = model.new_int_var(0, len(bench.staff), "")
        model.add(have - need == over - under)
        penalty += [under_w * under, over_w * over]
    model.minimize(sum(penalty))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver.status_name(status), float("nan"), solver.best_objective_bound, {}
    chosen = {(e, d): s for (e, d, s), v in x.items() if solver.boolean_value(v)}
    return solver.status_name(status), solver.objective_value, solver.best_objective_bound, chosen


def read_solution(path: str | Path) -> dict[tuple[str, int], str]:
    with Path(path).open(newline="") as handle:
        return {(r["employee"], int(r["day"])): r["shift"] for r in csv.DictReader(handle)}


def evaluate(bench: Benchmark, chosen: dict[tuple[str, int], str]) -> tuple[int, list[str]]:
    """The benchmark's objective and its hard-constraint violations for a solution."""
    broken = []
    objective = 0
    for e, d, s, w in bench.on_requests:
        objective += w * (chosen.get((e, d)) != s)
    for e, d, s, w in bench.off_requests:
        objective += w * (chosen.get((e, d)) == s)
    for d, s, need, under_w, over_w in bench.cover:
        have = sum(1 for e in bench.staff if chosen.get((e, d)) == s)
        objective += under_w * max(0, need - have) + over_w * max(0, have - need)
    for e, limits in bench.staff.items():
        on = [chosen.get((e, d)) is not None for d in range(bench.days)]
        for d in bench.days_off.get(e, set()):
            if on[d]:
                broken.append(f"{e} works day off {d}")
        for d in range(bench.days - 1):
            s, t = chosen.get((e, d)), chosen.get((e, d + 1))
            if s and t and t in bench.banned[s]:
                broken.append(f"{e} {t} after {s} on day {d + 1}")
        for s, n in limits["max_shifts"].items():
            if sum(1 for d in range(bench.days) if chosen.get((e, d)) == s) > n:
                broken.append(f"{e} too many {s}")
        minutes = sum(bench.shifts[chosen[e, d]] for d in range(bench.days) if on[d])
        if not limits["min_minutes"] <= minutes <= limits["max_minutes"]:
            broken.append(f"{e} works {minutes} minutes")
        runs, run, offs, off = [], 0, [], 0
        for d in range(bench.days):
            if on[d]:
                run += 1
                if off:
                    offs.append((d - off, off))
                off = 0
            else:
                off += 1
                if run:
                    runs.append((d - run, run))
                run = 0
        if run:
            runs.append((bench.days - run, run))
        if off:
            offs.append((bench.days - off, off))
        for start, length in runs:
            if length > limits["max_consecutive"]:
                broken.append(f"{e} works {length} days in a row")
            ends = start == 0 or start + length == bench.days
            if length < limits["min_consecutive"] and not ends:
                broken.append(f"{e} works only {length} days in a row from day {start}")
        for start, length in offs:
            ends = start == 0 or start + length == bench.days
            if length < limits["min_days_off"] and not ends:
                broken.append(f"{e} has only {length} days off from day {start}")
        weekends = sum(1 for w in range(bench.days // 7) if on[7 * w + 5] or on[7 * w + 6])
        if weekends > limits["max_weekends"]:
            broken.append(f"{e} works {weekends} weekends")
    return objective, broken
