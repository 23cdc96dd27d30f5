"""Seeded, realistic contact-centre instances for examples, tests and benchmarks.

Demand follows the real bank call-arrival shape (scheduler.demand_profile) extended to 24/7,
split over queues, and scaled so the team can cover it: the calls are sized so that the
Erlang-C requirement is a set share (`load`) of the team's phone capacity. Teams have full- and
part-timers, complaint-skilled agents, new hires, night workers, requests and history.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from scheduler.demand_profile import day_shape
from scheduler.horizon import is_night_by_default
from scheduler.model import (
    Agent,
    BreakSpec,
    Holiday,
    Instance,
    IntervalDemand,
    Queue,
    Request,
    RequestType,
    Rules,
    ScenarioChange,
    Settings,
    Shift,
)
from scheduler.staffing import required_agents

FIRST_NAMES = (
    "Ana", "Ben", "Chloe", "Dev", "Elif", "Finn", "Grace", "Hugo", "Ines", "Jonas", "Kai", "Lea",
    "Malik", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wim",
    "Xenia", "Yusuf", "Zoe", "Aoife", "Bruno", "Carla", "Dario", "Emma", "Farah", "Goran",
    "Hana", "Ivan", "Julia", "Kofi", "Lina", "Mateo", "Nadia", "Oskar", "Paula", "Rafael",
    "Sofia", "Tomas", "Uma", "Viktor", "Wen", "Yara", "Zeynep",
)  # fmt: skip
SURNAMES = "ABCDEFGHIJKLMNOPRSTVWZ"

QUEUE_SETS = {
    1: [("GEN", "General enquiries", 300, False, 1.0)],
    2: [
        ("GEN", "General enquiries", 300, False, 0.85),
        ("CMP", "Complaints", 540, True, 0.15),
    ],
    3: [
        ("GEN", "General enquiries", 300, False, 0.60),
        ("BIL", "Billing", 360, False, 0.25),
        ("CMP", "Complaints", 540, True, 0.15),
    ],
}
COMPLAINT_HOURS = (8 * 60, 20 * 60)  # the complaint line is staffed 08:00-20:00
FULL_SHIFTS = (("E", 6), ("D", 8), ("M", 11), ("L", 14), ("N", 22))
PHONE_SHARE = 450 / 480  # phone minutes per paid minute of an 8.5-hour shift with breaks


@dataclass(frozen=True)
class GeneratorSpec:
    """What to generate."""

    agents: int = 40
    days: int = 7
    queues: int = 2
    seed: int = 0
    start_date: dt.date = dt.date(2026, 12, 21)
    interval_minutes: int = 15
    country: str | None = "DE"
    load: float = 0.92
    time_limit_seconds: float = 60


def _shifts(interval: int) -> list[Shift]:
    short = max(15, interval)
    shifts = []
    for shift_id, hour in FULL_SHIFTS:
        breaks = (
            BreakSpec(shift_id=shift_id, activity="BREAK", minutes=short, earliest=90, latest=150),
            BreakSpec(shift_id=shift_id, activity="LUNCH", minutes=30, earliest=210, latest=270),
            BreakSpec(shift_id=shift_id, activity="BREAK", minutes=short, earliest=360, latest=420),
        )
        shifts.append(
            Shift(
                shift_id=shift_id,
                start=dt.time(hour),
                duration_minutes=510,
                paid_minutes=480,
                night=is_night_by_default(hour * 60, 510),
                breaks=breaks,
            )
        )
    shifts.append(
        Shift(
            shift_id="P",
            start=dt.time(17),
            duration_minutes=240,
            paid_minutes=240,
            night=False,
            breaks=(
                BreakSpec(shift_id="P", activity="BREAK", minutes=short, earliest=90, latest=150),
            ),
        )
    )
    return shifts


def _agents(spec: GeneratorSpec, rng: random.Random, queue_ids: list[str]) -> list[Agent]:
    complaint = "CMP" if "CMP" in queue_ids else None
    agents = []
    width = max(2, len(str(spec.agents)))
    for number in range(1, spec.agents + 1):
        roll = rng.random()
        fte = 1.0 if roll < 0.75 else (0.8 if roll < 0.9 else 0.5)
        tenure_roll = rng.random()
        if tenure_roll < 0.1:
            tenure = rng.randint(20, 80)  # new hire
        elif tenure_roll < 0.2:
            tenure = rng.randint(120, 180)  # the 4-6 month "frustration stage"
        else:
            tenure = rng.randint(365, 8 * 365)
        new_hire = tenure < 90
        skills = ["GEN"] if "GEN" in queue_ids else queue_ids[:1]
        if "BIL" in queue_ids and rng.random() < 0.5:
            skills.append("BIL")
        if complaint and not new_hire and rng.random() < 0.7:
            skills.append(complaint)
        night_ok = not new_hire and rng.random() < 0.6
        shifts = None
        if fte == 0.5:
            shifts = ("P", "D", "M")
        history: dict = {
            "hist_weekends": round(rng.uniform(3, 9) * fte),
            "hist_holidays": rng.choice((0, 0, 1, 1, 2, 3)),
            "hist_nights": rng.randint(0, 12) if night_ok else 0,
            "hist_complaint_hours": rng.randint(5, 60) if complaint in skills else 0,
        }
        before = rng.choice((0, 0, 1, 2, 3, 4))
        last_end = None
        nights_before = 0
        if night_ok and rng.random() < 0.1:
            nights_before = rng.randint(1, 3)
            before = max(before, nights_before)
            last_end = dt.datetime.combine(spec.start_date, dt.time(6, 30))
        elif before:
            end_hour = rng.choice(((14, 30), (16, 30), (19, 30), (22, 30)))
            if shifts is not None:
                end_hour = (16, 30)
            last_end = dt.datetime.combine(
                spec.start_date - dt.timedelta(days=1), dt.time(*end_hour)
            )
        agents.append(
            Agent(
                agent_id=f"A{number:0{width}d}",
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}.",
                skills=tuple(skills),
                hire_date=spec.start_date - dt.timedelta(days=tenure),
                fte=fte,
                shifts=shifts,
                night_ok=night_ok,
                consecutive_days_before=before,
                last_shift_end=last_end,
                nights_before=nights_before,
                **history,
            )
        )
    return agents


def _requests(spec: GeneratorSpec, rng: random.Random, agents: list[Agent]) -> list[Request]:
    dates = [spec.start_date + dt.timedelta(days=d) for d in range(spec.days)]
    requests: list[Request] = []
    busy: set[tuple[str, dt.date]] = set()
    pool = list(agents)
    rng.shuffle(pool)
    for agent in pool[: max(1, len(agents) // 12)]:
        first = rng.randrange(len(dates))
        for day in dates[first : first + rng.randint(1, 3)]:
            requests.append(Request(agent_id=agent.agent_id, date=day, type=RequestType.LEAVE))
            busy.add((agent.agent_id, day))
    for agent in rng.sample(agents, k=max(1, len(agents) // 5)):
        day = rng.choice(dates)
        if (agent.agent_id, day) not in busy:
            requests.append(
                Request(agent_id=agent.agent_id, date=day, type=RequestType.OFF,
                        weight=rng.choice((2, 3, 5)))
            )  # fmt: skip
            busy.add((agent.agent_id, day))
    for kind in (RequestType.AVOID, RequestType.PREFER):
        for agent in rng.sample(agents, k=max(1, len(agents) // 10)):
            day = rng.choice(dates)
            allowed = agent.shifts or ("E", "D", "M", "L")
            if (agent.agent_id, day) in busy:
                continue
            requests.append(
                Request(agent_id=agent.agent_id, date=day, type=kind,
                        shift_id=rng.choice(allowed), weight=rng.choice((1, 2, 3)))
            )  # fmt: skip
            busy.add((agent.agent_id, day))
    calm = [a for a in agents if a.last_shift_end is None and a.fte == 1.0]
    if spec.days >= 4:
        for agent in rng.sample(calm, k=min(2, len(calm))):
            day = dates[rng.randint(2, min(4, spec.days - 1))]
            if (agent.agent_id, day) in busy or day.weekday() >= 5:
                continue
            requests.append(
                Request(agent_id=agent.agent_id, date=day, type=RequestType.FIXED, shift_id="D")
            )
            busy.add((agent.agent_id, day))
    return requests


def _demand(
    spec: GeneratorSpec, queues: list[tuple], holidays: set[dt.date], scale: float
) -> list[IntervalDemand]:
    rows = []
    interval = spec.interval_minutes
    for offset in range(spec.days):
        date = spec.start_date + dt.timedelta(days=offset)
        shape = day_shape(date.weekday(), date in holidays, interval)
        for slot, volume in enumerate(shape):
            minute = slot * interval
            moment = dt.time(minute // 60, minute % 60)
            for queue_id, _, _, complaint, share in queues:
                if complaint and not COMPLAINT_HOURS[0] <= minute < COMPLAINT_HOURS[1]:
                    continue
                # Forecasts are averages: keep a decimal, so small queues keep their load.
                calls = round(volume * share * scale, 1)
                rows.append(IntervalDemand(date=date, time=moment, queue_id=queue_id, calls=calls))
    return rows


def _required_hours(rows: list[IntervalDemand], queues: dict[str, Queue], spec) -> float:
    total = 0
    for row in rows:
        queue = queues[row.queue_id]
        total += required_agents(row.calls or 0, queue, spec.interval_minutes, 0.10).required
    return total * spec.interval_minutes / 60


def generate(spec: GeneratorSpec) -> Instance:
    """A complete instance; the same spec always gives the same instance."""
    if spec.interval_minutes not in (15, 30):
        raise ValueError("the generator supports 15- and 30-minute intervals")
    if spec.queues not in QUEUE_SETS:
        raise ValueError("the generator makes 1, 2 or 3 queues")
    rng = random.Random(spec.seed)
    queue_rows = QUEUE_SETS[spec.queues]
    queues = [
        Queue(queue_id=q, name=name, aht_seconds=aht, complaint=complaint)
        for q, name, aht, complaint, _ in queue_rows
    ]
    agents = _agents(spec, rng, [q.queue_id for q in queues])
    settings = Settings(
        start_date=spec.start_date,
        days=spec.days,
        interval_minutes=spec.interval_minutes,
        country=spec.country,
        time_limit_seconds=spec.time_limit_seconds,
    )
    holidays = _country_holidays(settings)
    capacity = sum(a.fte * 40 * PHONE_SHARE for a in agents) * spec.days / 7
    target = spec.load * capacity
    by_id = {q.queue_id: q for q in queues}
    low, high = 0.0, 1.0
    while _required_hours(_demand(spec, queue_rows, holidays, high), by_id, spec) < target:
        high *= 2
    for _ in range(30):
        middle = (low + high) / 2
        hours = _required_hours(_demand(spec, queue_rows, holidays, middle), by_id, spec)
        low, high = (middle, high) if hours < target else (low, middle)
    demand = _demand(spec, queue_rows, holidays, low)
    return Instance(
        scenarios=tuple(_scenarios(agents, [q.queue_id for q in queues])),
        settings=settings,
        rules=Rules(),
        queues=tuple(queues),
        shifts=tuple(_shifts(spec.interval_minutes)),
        agents=tuple(agents),
        requests=tuple(_requests(spec, rng, agents)),
        holidays=tuple(Holiday(date=d, name=n) for d, n in sorted(holidays.items())),
        demand_kind="forecast",
        interval_demand=tuple(demand),
        name=f"generated-{spec.agents}a-{spec.days}d-{spec.queues}q-s{spec.seed}",
    )


def _scenarios(agents: list[Agent], queue_ids: list[str]) -> list[ScenarioChange]:
    """Questions planners ask, ready in the Scenarios sheet."""
    template = next((a for a in agents if a.fte == 1.0 and len(a.skills) > 1), agents[0])
    leaver = agents[-1]
    changes = [
        ("rest 12 h", "min_rest_hours", "12"),
        ("one more agent", "add_agents", f"{template.agent_id}=1"),
        ("one agent less", "remove_agents", leaver.agent_id),
        ("pairs of days off", "min_consecutive_days_off", "2"),
    ]
    if "CMP" in queue_ids:
        changes.insert(0, ("complaint cap 90 min", "max_complaint_continuous_minutes", "90"))
    return [
        ScenarioChange(scenario=name, key=key, value=value, row=row)
        for row, (name, key, value) in enumerate(changes, start=2)
    ]


def _country_holidays(settings: Settings) -> dict[dt.date, str]:
    if not settings.country:
        return {}
    import holidays as calendars

    last = settings.start_date + dt.timedelta(days=settings.days - 1)
    years = range(settings.start_date.year, last.year + 1)
    found = calendars.country_holidays(settings.country, years=list(years))
    return {d: str(n) for d, n in found.items() if settings.start_date <= d <= last}
