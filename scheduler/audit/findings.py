"""What the rule checker reports: violations, coverage rows and the summary figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

HARD = "hard"
SOFT = "soft"

# Each rule key in a scheduler's words (used in reports and messages).
RULE_TITLES: dict[str, str] = {
    "one_shift_per_day": "At most one shift a day, none on approved leave",
    "min_rest_hours": "Minimum rest between shifts",
    "preferred_rest_hours": "Preferred rest between shifts",
    "max_consecutive_days": "Working days in a row",
    "max_days_week": "Working days per week",
    "min_hours_week": "Minimum paid hours per week",
    "max_hours_week": "Maximum paid hours per week",
    "min_consecutive_days": "Shortest run of working days",
    "min_consecutive_days_off": "Shortest run of days off",
    "max_shifts": "Shifts of one type in the roster",
    "max_weekends": "Weekends worked",
    "min_total_hours": "Minimum paid hours in the roster",
    "max_total_hours": "Maximum paid hours in the roster",
    "not_followed_by": "Shift not allowed after the previous day's shift",
    "max_consecutive_nights": "Nights in a row",
    "rest_after_nights_hours": "Rest after a run of nights",
    "forward_rotation": "Backward rotation (earlier start than the day before)",
    "new_hire_complaints": "New hire on a complaint queue",
    "new_hire_nights": "New hire on a night shift",
    "breaks": "Breaks and lunch inside their windows",
    "activities": "Activities fill the shift exactly",
    "max_continuous_phone_minutes": "Time on the phone without a break",
    "max_complaint_continuous_minutes": "Complaint calls without a pause",
    "complaint_recovery_minutes": "Recovery time between complaint stretches",
    "max_complaint_daily_minutes": "Complaint minutes in a shift",
    "skills": "Queue, shift or night not allowed for the agent",
    "shift_weekdays": "Shift started on a weekday it may not start on",
    "fixed": "Pinned (FIXED) shift not worked",
    "requests": "Agent's wish not met",
    "fair_weekends": "Weekends shared unevenly",
    "fair_holidays": "Holidays shared unevenly",
    "fair_nights": "Nights shared unevenly",
    "fair_complaint_hours": "Complaint hours shared unevenly",
    "weight_under": "Understaffed",
    "weight_over": "Overstaffed",
}

# Rules that can only be checked when the roster says what agents do inside their shifts.
INTRADAY_RULES = (
    "breaks",
    "activities",
    "max_continuous_phone_minutes",
    "max_complaint_continuous_minutes",
    "complaint_recovery_minutes",
    "max_complaint_daily_minutes",
    "new_hire_complaints",
)
# Rules about a whole 7-day block: their violation is dated by the block's first day, and no
# single Roster cell is at fault.
WEEK_RULES = frozenset({"max_days_week", "min_hours_week", "max_hours_week"})
HARD_RULES = (
    "one_shift_per_day",
    "min_rest_hours",
    "max_consecutive_days",
    "max_days_week",
    "min_hours_week",
    "max_hours_week",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_shifts",
    "max_weekends",
    "min_total_hours",
    "max_total_hours",
    "not_followed_by",
    "max_consecutive_nights",
    "rest_after_nights_hours",
    "new_hire_complaints",
    "new_hire_nights",
    "breaks",
    "activities",
    "max_continuous_phone_minutes",
    "max_complaint_continuous_minutes",
    "complaint_recovery_minutes",
    "max_complaint_daily_minutes",
    "skills",
    "shift_weekdays",
    "fixed",
)


@dataclass(frozen=True)
class Violation:
    """One rule broken (hard) or one soft deviation with its penalty."""

    rule: str
    severity: str
    agent_id: str = ""
    date: dt.date | None = None
    detail: str = ""
    penalty: float = 0.0

    @property
    def title(self) -> str:
        return RULE_TITLES.get(self.rule, self.rule)

    def __str__(self) -> str:
        where = " ".join(p for p in (self.agent_id, str(self.date or "")) if p)
        head = f"[{self.severity}] {self.rule}"
        return f"{head} {where}: {self.detail}" if where else f"{head}: {self.detail}"


@dataclass(frozen=True)
class CoverageRow:
    """Scheduled against required agents on a queue in one interval."""

    date: dt.date
    time: dt.time
    queue_id: str
    calls: float | None
    required: int
    scheduled: int
    service_level: float | None

    @property
    def gap(self) -> int:
        return self.scheduled - self.required


@dataclass
class AuditReport:
    """Everything the checker found in a roster."""

    violations: list[Violation] = field(default_factory=list)
    coverage: list[CoverageRow] = field(default_factory=list)
    not_checked: tuple[str, ...] = ()
    interval_minutes: int = 15
    shift_demand_hours: tuple[float, float, float] | None = None  # required, under, over

    @property
    def hard(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == HARD]

    @property
    def soft(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == SOFT]

    def penalties(self) -> dict[str, float]:
        """Soft penalty per rule key."""
        totals: dict[str, float] = {}
        for violation in self.soft:
            totals[violation.rule] = totals.get(violation.rule, 0.0) + violation.penalty
        return dict(sorted(totals.items()))

    @property
    def objective(self) -> float:
        """The roster's total soft penalty: what the solver minimises."""
        return sum(v.penalty for v in self.soft)

    def _hours(self, values) -> float:
        return sum(values) * self.interval_minutes / 60

    @property
    def required_hours(self) -> float:
        if self.shift_demand_hours is not None:
            return self.shift_demand_hours[0]
        return self._hours(r.required for r in self.coverage)

    @property
    def under_hours(self) -> float:
        if self.shift_demand_hours is not None:
            return self.shift_demand_hours[1]
        return self._hours(max(0, -r.gap) for r in self.coverage)

    @property
    def over_hours(self) -> float:
        if self.shift_demand_hours is not None:
            return self.shift_demand_hours[2]
        return self._hours(max(0, r.gap) for r in self.coverage)

    @property
    def coverage_percent(self) -> float:
        """Sum of min(scheduled, required) over sum of required, in percent."""
        required = self.required_hours
        if required <= 0:
            return 100.0
        return 100.0 * (required - self.under_hours) / required
