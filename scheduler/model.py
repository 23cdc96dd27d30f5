"""Validated domain objects: the instance a scheduler hands in and the roster that comes out.

Everything inside the package works on these objects; the Excel readers build them once at the
edge and report every problem with its sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
BREAK = "BREAK"
LUNCH = "LUNCH"
LEAVE = "LEAVE"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Settings(_Frozen):
    """Horizon and solver settings (Settings sheet)."""

    start_date: dt.date
    days: int = Field(7, ge=1, le=366)
    interval_minutes: Literal[15, 30, 60] = 15
    country: str | None = None
    shrinkage: float = Field(0.10, ge=0, lt=1)
    time_limit_seconds: float = Field(60.0, gt=0)
    workers: int = Field(0, ge=0, le=256)
    seed: int = Field(0, ge=0, le=2**31 - 1)  # CP-SAT takes a 32-bit random seed


class Rules(_Frozen):
    """Every tunable rule of SPEC section 4 with its default (Rules sheet)."""

    min_rest_hours: float = Field(11, ge=0, le=48)
    preferred_rest_hours: float = Field(12, ge=0, le=72)
    weight_short_rest: float = Field(10, ge=0)
    max_consecutive_days: int = Field(6, ge=1, le=366)
    max_days_week: int = Field(5, ge=0, le=7)
    min_hours_week: float = Field(32, ge=0, le=168)
    max_hours_week: float = Field(40, ge=0, le=168)
    min_consecutive_days: int = Field(1, ge=1, le=366)
    min_consecutive_days_off: int = Field(1, ge=1, le=366)
    max_consecutive_nights: int = Field(3, ge=0, le=366)
    rest_after_nights_hours: float = Field(48, ge=0, le=168)
    forward_rotation: float = Field(5, ge=0)
    new_hire_days: int = Field(90, ge=0)
    new_hire_complaints: bool = False
    new_hire_nights: bool = False
    max_continuous_phone_minutes: int = Field(150, ge=0)
    max_complaint_continuous_minutes: int = Field(120, ge=0)
    complaint_recovery_minutes: int = Field(30, ge=0)
    max_complaint_daily_minutes: int = Field(240, ge=0)
    fair_weekends: float = Field(20, ge=0)
    fair_holidays: float = Field(20, ge=0)
    fair_nights: float = Field(10, ge=0)
    fair_complaint_hours: float = Field(5, ge=0)
    weight_under: float = Field(1000, ge=0)
    weight_over: float = Field(1, ge=0)
    leave_hours: float = Field(8, ge=0, le=24)
    # reroster only: per agent-day whose shift differs from the published roster
    change_weight: float = Field(2000, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Rules:
        if self.min_hours_week > self.max_hours_week:
            raise ValueError("min_hours_week is above max_hours_week")
        return self


class Queue(_Frozen):
    """A call queue (Queues sheet)."""

    queue_id: str
    name: str = ""
    aht_seconds: float = Field(gt=0, le=24 * 3600)
    complaint: bool = False
    service_level: float = Field(0.80, gt=0, lt=1)
    answer_seconds: float = Field(20, ge=0)
    max_occupancy: float | None = Field(None, gt=0, le=1)

    @property
    def occupancy_cap(self) -> float:
        """max_occupancy, defaulting to 0.75 on complaint queues and 0.85 elsewhere."""
        if self.max_occupancy is not None:
            return self.max_occupancy
        return 0.75 if self.complaint else 0.85


class BreakSpec(_Frozen):
    """One BREAK or LUNCH block every occurrence of a shift must contain (Breaks sheet)."""

    shift_id: str
    activity: Literal["BREAK", "LUNCH"]
    minutes: int = Field(gt=0)
    earliest: int = Field(ge=0)
    latest: int = Field(ge=0)

    @model_validator(mode="after")
    def _window(self) -> BreakSpec:
        if self.earliest > self.latest:
            raise ValueError("earliest is after latest")
        return self


class Shift(_Frozen):
    """A shift type (Shifts sheet). It belongs to the date it starts on."""

    shift_id: str
    start: dt.time
    duration_minutes: int = Field(gt=0, le=24 * 60)
    paid_minutes: int = Field(ge=0)
    night: bool
    weekdays: frozenset[int] = frozenset(range(7))
    not_followed_by: tuple[str, ...] = ()
    breaks: tuple[BreakSpec, ...] = ()

    @property
    def start_minute(self) -> int:
        """Minutes after midnight at which the shift starts."""
        return self.start.hour * 60 + self.start.minute

    @property
    def paid_hours(self) -> float:
        return self.paid_minutes / 60


class Agent(_Frozen):
    """A team member with contract limits, skills and history (Agents sheet)."""

    agent_id: str
    name: str = ""
    skills: tuple[str, ...] = ()
    hire_date: dt.date | None = None
    fte: float = Field(1.0, gt=0, le=2)
    min_hours_week: float | None = Field(None, ge=0, le=168)
    max_hours_week: float | None = Field(None, ge=0, le=168)
    max_days_week: int | None = Field(None, ge=0, le=7)
    shifts: tuple[str, ...] | None = None
    night_ok: bool = True
    max_shifts: dict[str, int] = Field(default_factory=dict)
    max_weekends: int | None = Field(None, ge=0)
    min_total_hours: float | None = Field(None, ge=0)
    max_total_hours: float | None = Field(None, ge=0)
    max_consecutive_days: int | None = Field(None, ge=1)
    min_consecutive_days: int | None = Field(None, ge=1)
    min_consecutive_days_off: int | None = Field(None, ge=1)
    max_consecutive_nights: int | None = Field(None, ge=0)
    hist_weekends: float = Field(0, ge=0)
    hist_holidays: float = Field(0, ge=0)
    hist_nights: float = Field(0, ge=0)
    hist_complaint_hours: float = Field(0, ge=0)
    consecutive_days_before: int = Field(0, ge=0)
    last_shift_end: dt.datetime | None = None
    nights_before: int = Field(0, ge=0)

    @field_validator("max_shifts")
    @classmethod
    def _non_negative(cls, value: dict[str, int]) -> dict[str, int]:
        for shift_id, limit in value.items():
            if limit < 0:
                raise ValueError(f"the limit for {shift_id} is negative")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Agent:
        if (
            self.min_hours_week is not None
            and self.max_hours_week is not None
            and self.min_hours_week > self.max_hours_week
        ):
            raise ValueError("min_hours_week is above max_hours_week")
        if (
            self.min_total_hours is not None
            and self.max_total_hours is not None
            and self.min_total_hours > self.max_total_hours
        ):
            raise ValueError("min_total_hours is above max_total_hours")
        if self.nights_before > 0 and self.last_shift_end is None:
            raise ValueError(
                "nights_before is above 0 but last_shift_end is empty: the rest after those "
                "nights cannot be checked without it"
            )
        return self


class RequestType(str, Enum):
    LEAVE = "LEAVE"
    OFF = "OFF"
    AVOID = "AVOID"
    PREFER = "PREFER"
    FIXED = "FIXED"


class Request(_Frozen):
    """An agent's request for a date (Requests sheet). LEAVE and FIXED are hard."""

    agent_id: str
    date: dt.date
    type: RequestType
    shift_id: str | None = None
    weight: float = Field(1.0, ge=0)

    @model_validator(mode="after")
    def _shift_needed(self) -> Request:
        needs_shift = self.type in (RequestType.AVOID, RequestType.PREFER, RequestType.FIXED)
        if needs_shift and not self.shift_id:
            article = "an" if self.type.value[0] in "AEIOU" else "a"
            raise ValueError(f"shift_id is empty but {article} {self.type.value} request needs it")
        return self


class Holiday(_Frozen):
    date: dt.date
    name: str = ""


class IntervalDemand(_Frozen):
    """Demand for one queue in one interval: calls (Forecast) and/or agents (Requirements)."""

    date: dt.date
    time: dt.time
    queue_id: str
    calls: float | None = Field(None, ge=0)
    agents: int | None = Field(None, ge=0)


class ShiftDemand(_Frozen):
    """Headcount wanted on a shift on a date (ShiftDemand sheet)."""

    date: dt.date
    shift_id: str
    agents: int = Field(ge=0)
    weight_under: float | None = Field(None, ge=0)
    weight_over: float | None = Field(None, ge=0)


class ScenarioChange(_Frozen):
    """One line of the Scenarios sheet: a key overridden in a named scenario."""

    scenario: str
    key: str
    value: str
    row: int = 0


DemandKind = Literal["requirements", "forecast", "shift"]


class Instance(_Frozen):
    """A complete, validated rostering problem."""

    settings: Settings
    rules: Rules = Rules()
    queues: tuple[Queue, ...] = ()
    shifts: tuple[Shift, ...]
    agents: tuple[Agent, ...]
    requests: tuple[Request, ...] = ()
    holidays: tuple[Holiday, ...] = ()
    demand_kind: DemandKind
    interval_demand: tuple[IntervalDemand, ...] = ()
    shift_demand: tuple[ShiftDemand, ...] = ()
    scenarios: tuple[ScenarioChange, ...] = ()
    name: str = "instance"

    def replace(self, **changes: object) -> Instance:
        """A validated copy with some fields changed (model_copy would keep stale lookups)."""
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self)(**{**fields, **changes})

    @cached_property
    def queue_by_id(self) -> dict[str, Queue]:
        return {q.queue_id: q for q in self.queues}

    @cached_property
    def shift_by_id(self) -> dict[str, Shift]:
        return {s.shift_id: s for s in self.shifts}

    @cached_property
    def agent_by_id(self) -> dict[str, Agent]:
        return {a.agent_id: a for a in self.agents}

    @cached_property
    def dates(self) -> list[dt.date]:
        start = self.settings.start_date
        return [start + dt.timedelta(days=i) for i in range(self.settings.days)]


class Assignment(_Frozen):
    """One worked shift: the agent works shift_id starting on date."""

    agent_id: str
    date: dt.date
    shift_id: str
    start: dt.datetime
    end: dt.datetime


class Activity(_Frozen):
    """A contiguous block inside a worked shift: a queue_id, BREAK or LUNCH."""

    agent_id: str
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    activity: str


class Roster(_Frozen):
    """Who works which shift and, when known, what they do inside it."""

    assignments: tuple[Assignment, ...]
    activities: tuple[Activity, ...] | None = None

    @property
    def has_activities(self) -> bool:
        return self.activities is not None
