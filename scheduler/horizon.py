"""Calendar and contract facts shared by the solver, the rule checker and the reports.

Only plain facts derived from the instance live here (when a shift starts and ends, which days are
weekends and holidays, which limits apply to an agent); no rule is checked or enforced here.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cached_property

from scheduler.model import Agent, Instance, RequestType, Shift

NIGHT_WINDOW = (22 * 60, 6 * 60)  # 22:00 to 06:00
NIGHT_MIN_MINUTES = 180


def night_minutes(start_minute: int, duration_minutes: int) -> int:
    """Minutes of a shift starting at start_minute that fall between 22:00 and 06:00."""
    total = 0
    for minute in range(start_minute, start_minute + duration_minutes):
        in_day = minute % 1440
        if in_day >= NIGHT_WINDOW[0] or in_day < NIGHT_WINDOW[1]:
            total += 1
    return total


def is_night_by_default(start_minute: int, duration_minutes: int) -> bool:
    """A shift is a night shift when at least 3 of its hours fall between 22:00 and 06:00."""
    return night_minutes(start_minute, duration_minutes) >= NIGHT_MIN_MINUTES


@dataclass(frozen=True)
class WeekBlock:
    """A 7-day block counted from start_date (the last one may be shorter)."""

    index: int
    first_day: int
    length: int

    @property
    def days(self) -> range:
        return range(self.first_day, self.first_day + self.length)


@dataclass(frozen=True)
class AgentTerms:
    """The limits and permissions that apply to one agent after defaults and overrides."""

    agent: Agent
    new_hire: bool
    min_hours_week: float
    max_hours_week: float
    max_days_week: int
    max_consecutive_days: int
    min_consecutive_days: int
    min_consecutive_days_off: int
    max_consecutive_nights: int
    may_work_nights: bool
    may_take_complaints: bool
    night_fairness: bool
    complaint_fairness: bool

    def week_limits(self, block: WeekBlock) -> tuple[float | None, float, int]:
        """(min hours or None, max hours, max days) for a week block; short blocks scale."""
        if block.length >= 7:
            return self.min_hours_week, self.max_hours_week, self.max_days_week
        share = block.length / 7
        return (
            None,
            math.ceil(self.max_hours_week * share - 1e-9),
            math.ceil(self.max_days_week * share - 1e-9),
        )


class Horizon:
    """Time facts of an instance: dates, intervals, shift occurrences, weekends, holidays."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        settings = instance.settings
        self.start_date = settings.start_date
        self.days = settings.days
        self.interval = settings.interval_minutes
        self.slots_per_day = 1440 // self.interval
        self.origin = dt.datetime.combine(self.start_date, dt.time(0))
        self.dates = instance.dates
        self.holiday_dates = {h.date for h in instance.holidays}

    # --- days -----------------------------------------------------------------------------
    def day_of(self, date: dt.date) -> int | None:
        """0-based day index of a date inside the horizon, or None outside it."""
        index = (date - self.start_date).days
        return index if 0 <= index < self.days else None

    def weekday(self, day: int) -> int:
        return self.dates[day].weekday()

    def is_weekend(self, day: int) -> bool:
        return self.weekday(day) >= 5

    def is_holiday(self, day: int) -> bool:
        return self.dates[day] in self.holiday_dates

    def weekend_of(self, day: int) -> dt.date | None:
        """The Saturday that names the weekend a day belongs to, or None on weekdays."""
        if not self.is_weekend(day):
            return None
        return self.dates[day] - dt.timedelta(days=self.weekday(day) - 5)

    @cached_property
    def week_blocks(self) -> list[WeekBlock]:
        return [
            WeekBlock(index=i, first_day=first, length=min(7, self.days - first))
            for i, first in enumerate(range(0, self.days, 7))
        ]

    # --- time -----------------------------------------------------------------------------
    def minute_of(self, moment: dt.datetime) -> int:
        """Minutes from the start of the horizon (negative before it)."""
        return int((moment - self.origin).total_seconds() // 60)

    def moment(self, minute: int) -> dt.datetime:
        return self.origin + dt.timedelta(minutes=minute)

    def shift_window(self, shift: Shift, day: int) -> tuple[int, int]:
        """(start, end) in minutes from the horizon start of a shift starting on day."""
        start = day * 1440 + shift.start_minute
        return start, start + shift.duration_minutes

    def shift_slots(self, shift: Shift, day: int) -> range:
        """Interval indexes (from the horizon start) a shift starting on day covers."""
        start, end = self.shift_window(shift, day)
        return range(start // self.interval, end // self.interval)

    def may_start(self, shift: Shift, day: int) -> bool:
        """The shift may start on this weekday (Shifts sheet `weekdays`)."""
        return self.weekday(day) in shift.weekdays

    def slot_moment(self, slot: int) -> dt.datetime:
        return self.moment(slot * self.interval)


def is_new_hire(instance: Instance, agent: Agent) -> bool:
    """Tenure at start_date below new_hire_days; a missing hire_date means experienced."""
    if agent.hire_date is None:
        return False
    tenure = (instance.settings.start_date - agent.hire_date).days
    return tenure < instance.rules.new_hire_days


def agent_terms(instance: Instance, agent: Agent) -> AgentTerms:
    """Resolve an agent's limits: the agent's own value, else the Rules value (hours times fte)."""
    rules = instance.rules
    new_hire = is_new_hire(instance, agent)
    complaint_skilled = any(
        q in instance.queue_by_id and instance.queue_by_id[q].complaint for q in agent.skills
    )
    may_work_nights = agent.night_ok and (rules.new_hire_nights or not new_hire)
    may_take_complaints = rules.new_hire_complaints or not new_hire

    def pick(own: float | None, default: float) -> float:
        return default if own is None else own

    return AgentTerms(
        agent=agent,
        new_hire=new_hire,
        min_hours_week=pick(agent.min_hours_week, rules.min_hours_week * agent.fte),
        max_hours_week=pick(agent.max_hours_week, rules.max_hours_week * agent.fte),
        max_days_week=int(pick(agent.max_days_week, rules.max_days_week)),
        max_consecutive_days=int(pick(agent.max_consecutive_days, rules.max_consecutive_days)),
        min_consecutive_days=int(pick(agent.min_consecutive_days, rules.min_consecutive_days)),
        min_consecutive_days_off=int(
            pick(agent.min_consecutive_days_off, rules.min_consecutive_days_off)
        ),
        max_consecutive_nights=int(
            pick(agent.max_consecutive_nights, rules.max_consecutive_nights)
        ),
        may_work_nights=may_work_nights,
        may_take_complaints=may_take_complaints,
        night_fairness=may_work_nights,
        complaint_fairness=complaint_skilled and may_take_complaints,
    )


def requests_by_type(instance: Instance, kind: RequestType) -> dict[tuple[str, dt.date], list]:
    """Requests of one type keyed by (agent_id, date)."""
    found: dict[tuple[str, dt.date], list] = {}
    for request in instance.requests:
        if request.type is kind:
            found.setdefault((request.agent_id, request.date), []).append(request)
    return found


def leave_dates(instance: Instance) -> set[tuple[str, dt.date]]:
    """(agent_id, date) pairs on approved leave."""
    return set(requests_by_type(instance, RequestType.LEAVE))
