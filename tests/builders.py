"""Small hand-built instances and rosters for tests, in a few lines each."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable

from scheduler.audit import AuditReport, audit
from scheduler.horizon import Horizon
from scheduler.model import (
    Activity,
    Agent,
    Assignment,
    BreakSpec,
    Holiday,
    Instance,
    IntervalDemand,
    Queue,
    Request,
    Rules,
    Settings,
    Shift,
    ShiftDemand,
)
from scheduler.solver import SolveOptions, SolveResult, solve

MONDAY = dt.date(2026, 3, 2)
GEN = Queue(queue_id="GEN", name="General", aht_seconds=300)
CMP = Queue(queue_id="CMP", name="Complaints", aht_seconds=600, complaint=True)
# Weekly limits scale down on short horizons: lifted, with the phone-time cap in FREE, so that
# the rule a test is about binds alone.
WEEK_LIMITS_OFF = {"max_hours_week": 168, "min_hours_week": 0, "max_days_week": 7}
FREE = {"max_continuous_phone_minutes": 1440, **WEEK_LIMITS_OFF}


def hhmm(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def minute_of_day(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def need(*spans) -> Callable[[int, int, str], int]:
    """Requirements from (day, 'HH:MM' start, 'HH:MM' end, agents[, queue]) spans; an end at or
    before the start is on the next day."""
    windows = []
    for span in spans:
        day, begin, finish, agents, *queue = span
        start = day * 1440 + minute_of_day(begin)
        end = day * 1440 + minute_of_day(finish)
        if end <= start:
            end += 1440
        windows.append((start, end, agents, queue[0] if queue else "GEN"))

    def required(day: int, minute: int, queue_id: str) -> int:
        at = day * 1440 + minute
        return sum(n for s, e, n, q in windows if q == queue_id and s <= at < e)

    return required


def shift(
    shift_id: str,
    start: str = "08:00",
    minutes: int = 480,
    paid: int | None = None,
    night: bool = False,
    breaks: Iterable[tuple[str, int, int, int]] = (),
    weekdays: Iterable[int] | None = None,
    not_followed_by: Iterable[str] = (),
) -> Shift:
    """A shift; breaks are (activity, minutes, earliest, latest) tuples."""
    specs = tuple(
        BreakSpec(shift_id=shift_id, activity=a, minutes=m, earliest=e, latest=latest)
        for a, m, e, latest in breaks
    )
    lunch = sum(b.minutes for b in specs if b.activity == "LUNCH")
    return Shift(
        shift_id=shift_id,
        start=hhmm(start),
        duration_minutes=minutes,
        paid_minutes=minutes - lunch if paid is None else paid,
        night=night,
        weekdays=frozenset(range(7) if weekdays is None else weekdays),
        not_followed_by=tuple(not_followed_by),
        breaks=specs,
    )


def agent(agent_id: str, skills: Iterable[str] = ("GEN",), **fields) -> Agent:
    return Agent(agent_id=agent_id, name=agent_id, skills=tuple(skills), **fields)


def make_instance(
    agents: Iterable[Agent],
    shifts: Iterable[Shift],
    days: int = 3,
    interval: int = 60,
    queues: Iterable[Queue] = (GEN,),
    need: Callable[[int, int, str], int] | None = None,
    rules: dict | None = None,
    requests: Iterable[Request] = (),
    holidays: Iterable[dt.date] = (),
    shift_demand: Iterable[tuple[int, str, int]] | None = None,
    start: dt.date = MONDAY,
) -> Instance:
    """An instance with Requirements from need(day, minute_of_day, queue_id) -> agents.

    Without `need` nobody is required; with `shift_demand` (day, shift_id, agents) the
    instance uses ShiftDemand instead.
    """
    queues = tuple(queues)
    settings = Settings(start_date=start, days=days, interval_minutes=interval)
    demand = []
    if shift_demand is None and need is not None:
        for day in range(days):
            for minute in range(0, 1440, interval):
                for queue in queues:
                    required = need(day, minute, queue.queue_id)
                    demand.append(
                        IntervalDemand(
                            date=start + dt.timedelta(days=day),
                            time=dt.time(minute // 60, minute % 60),
                            queue_id=queue.queue_id,
                            agents=required,
                        )
                    )
    if shift_demand is not None:
        kind = "shift"
        rows = tuple(
            ShiftDemand(date=start + dt.timedelta(days=d), shift_id=s, agents=n)
            for d, s, n in shift_demand
        )
    else:
        kind = "requirements"
        rows = ()
    if kind == "requirements" and not demand:
        demand = [
            IntervalDemand(date=start, time=dt.time(0), queue_id=queues[0].queue_id, agents=0)
        ]
    return Instance(
        settings=settings,
        rules=Rules(**(rules or {})),
        queues=queues,
        shifts=tuple(shifts),
        agents=tuple(agents),
        requests=tuple(requests),
        holidays=tuple(Holiday(date=d, name="holiday") for d in holidays),
        demand_kind=kind,
        interval_demand=tuple(demand),
        shift_demand=rows,
    )


def request(agent_id: str, day: int, kind: str, shift_id: str | None = None, weight=1.0):
    return Request(
        agent_id=agent_id,
        date=MONDAY + dt.timedelta(days=day),
        type=kind,
        shift_id=shift_id,
        weight=weight,
    )


def solve_and_audit(
    instance: Instance, deterministic: float = 5.0, workers: int = 1, **options
) -> tuple[SolveResult, AuditReport]:
    """Solve with a deterministic limit and check the roster; no hard rule may be broken."""
    result = solve(
        instance,
        SolveOptions(time_limit=120, workers=workers, deterministic_time=deterministic, **options),
    )
    report = audit(instance, result.roster)
    assert not report.hard, [str(v) for v in report.hard]
    return result, report


def roster_of(
    instance: Instance,
    worked: Iterable[tuple[str, int, str]],
    activities: Iterable[tuple[str, int, str, str, str]] | None = None,
):
    """A roster from (agent_id, day, shift_id) and optional activity blocks
    (agent_id, day of the shift, 'HH:MM' start, 'HH:MM' end, activity); times past the
    shift's date roll over to the next day when earlier than the shift start."""
    from scheduler.model import Roster

    horizon = Horizon(instance)
    assignments = []
    for agent_id, day, shift_id in worked:
        shift_ = instance.shift_by_id[shift_id]
        start, end = horizon.shift_window(shift_, day)
        assignments.append(
            Assignment(
                agent_id=agent_id,
                date=horizon.dates[day],
                shift_id=shift_id,
                start=horizon.moment(start),
                end=horizon.moment(end),
            )
        )
    blocks = None
    if activities is not None:
        blocks = []
        starts = {(a.agent_id, a.date): a.start for a in assignments}
        for agent_id, day, begin, finish, activity in activities:
            date = horizon.dates[day]
            shift_start = starts[(agent_id, date)]
            blocks.append(
                Activity(
                    agent_id=agent_id,
                    date=date,
                    start=_moment(date, begin, shift_start),
                    end=_moment(date, finish, shift_start),
                    activity=activity,
                )
            )
    return Roster(
        assignments=tuple(assignments), activities=None if blocks is None else tuple(blocks)
    )


def _moment(date: dt.date, text: str, shift_start: dt.datetime) -> dt.datetime:
    moment = dt.datetime.combine(date, hhmm(text))
    if moment < shift_start:
        moment += dt.timedelta(days=1)
    return moment


def rules_broken(report: AuditReport) -> set[str]:
    return {v.rule for v in report.hard}


# The infeasibility diagnosis narrows a conflict until a wall-clock deadline; tests replace the
# clock it reads (monkeypatch.setattr(DIAGNOSIS_CLOCK, DiagnosisClock())) so that what it names
# does not depend on the machine's speed.
DIAGNOSIS_CLOCK = "scheduler.solver.diagnosis.time"


class DiagnosisClock:
    """Stands in for the time module inside the diagnosis: perf_counter() reads `now` for its
    first `turn` calls and `later` from then on. The default never moves: the deadline never
    comes, so the narrowing always runs to the end (each re-solve is single-worker without
    presolve, so the conflict found is the same on every machine)."""

    def __init__(self, now: float = 0.0, later: float = 0.0, turn: int = 0) -> None:
        self._calls = itertools.count()
        self.now, self.later, self.turn = now, later, turn

    def perf_counter(self) -> float:
        return self.now if next(self._calls) < self.turn else self.later
