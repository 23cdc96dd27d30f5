"""Read the Shift Scheduling Benchmark's text format (Curtois & Qu) into an Instance.

Its rules are ordinary rostering rules, so they map onto this tool's own: shifts that may not
follow each other become `not_followed_by`, days off become LEAVE, shift on/off requests become
PREFER/AVOID wishes with their weights, cover becomes ShiftDemand with its weights, and each
employee's limits become the agent's max_shifts, min/max_total_hours, max/min_consecutive_days,
min_consecutive_days_off and max_weekends. Everything the benchmark does not have (rest hours,
weekly limits, fairness, rotation) is switched off in the Rules, so the objective is exactly the
benchmark's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scheduler.errors import InputError, Problem
from scheduler.model import (
    Agent,
    Instance,
    Request,
    RequestType,
    Rules,
    Settings,
    Shift,
    ShiftDemand,
)

START = dt.date(2024, 1, 1)  # a Monday: the benchmark's day 0 is a Monday
SHIFT_START = dt.time(8, 0)
BENCHMARK_RULES = Rules(
    min_rest_hours=0,
    preferred_rest_hours=0,
    weight_short_rest=0,
    max_days_week=7,
    min_hours_week=0,
    max_hours_week=168,
    max_consecutive_days=366,
    max_consecutive_nights=366,
    rest_after_nights_hours=0,
    forward_rotation=0,
    fair_weekends=0,
    fair_holidays=0,
    fair_nights=0,
    fair_complaint_hours=0,
    weight_under=100,
    weight_over=1,
    leave_hours=0,
)


def _sections(path: Path) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line.startswith("#"):
            continue
        if not line:
            current = None
            continue
        if line.startswith("SECTION_"):
            current = sections.setdefault(line.removeprefix("SECTION_"), [])
            continue
        if current is not None:
            current.append([part.strip() for part in line.split(",")])
    return sections


def read_curtois(path: str | Path) -> Instance:
    """An Instance equivalent to a benchmark instance file."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(message=f"the file {path} does not exist")])
    try:
        return _build(path, _sections(path))
    except (KeyError, IndexError, ValueError) as exc:
        raise InputError(
            [Problem(message=f"{path.name} is not a readable benchmark instance ({exc})")]
        ) from None


def _build(path: Path, sections: dict[str, list[list[str]]]) -> Instance:
    days = int(sections["HORIZON"][0][0])
    dates = [START + dt.timedelta(days=d) for d in range(days)]
    shifts = []
    for row in sections["SHIFTS"]:
        shift_id, length = row[0], int(row[1])
        banned = tuple(s for s in (row[2] if len(row) > 2 else "").split("|") if s)
        shifts.append(
            Shift(
                shift_id=shift_id,
                start=SHIFT_START,
                duration_minutes=length,
                paid_minutes=length,
                night=False,
                not_followed_by=banned,
            )
        )
    agents = []
    for row in sections["STAFF"]:
        limits = {}
        for item in row[1].split("|"):
            shift_id, _, count = item.partition("=")
            if int(count) < days:
                limits[shift_id] = int(count)
        agents.append(
            Agent(
                agent_id=row[0],
                fte=1.0,
                max_shifts=limits,
                max_total_hours=int(row[2]) / 60,
                min_total_hours=int(row[3]) / 60,
                max_consecutive_days=int(row[4]),
                min_consecutive_days=int(row[5]),
                min_consecutive_days_off=int(row[6]),
                max_weekends=int(row[7]),
                max_days_week=7,
            )
        )
    requests = []
    for row in sections.get("DAYS_OFF", []):
        for day in row[1:]:
            requests.append(Request(agent_id=row[0], date=dates[int(day)], type=RequestType.LEAVE))
    for section, kind in (("SHIFT_ON_REQUESTS", RequestType.PREFER),
                          ("SHIFT_OFF_REQUESTS", RequestType.AVOID)):  # fmt: skip
        for row in sections.get(section, []):
            requests.append(
                Request(agent_id=row[0], date=dates[int(row[1])], type=kind, shift_id=row[2],
                        weight=float(row[3]))
            )  # fmt: skip
    cover = [
        ShiftDemand(
            date=dates[int(row[0])],
            shift_id=row[1],
            agents=int(row[2]),
            weight_under=float(row[3]),
            weight_over=float(row[4]),
        )
        for row in sections["COVER"]
    ]
    return Instance(
        settings=Settings(start_date=START, days=days, interval_minutes=60),
        rules=BENCHMARK_RULES,
        shifts=tuple(shifts),
        agents=tuple(agents),
        requests=tuple(requests),
        demand_kind="shift",
        shift_demand=tuple(cover),
        name=path.stem,
    )


def day_of(instance: Instance, date: dt.date) -> int:
    return (date - instance.settings.start_date).days
