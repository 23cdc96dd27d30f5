"""A roster seen per agent: worked shifts in time order with their activity blocks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from scheduler.horizon import AgentTerms, Horizon, agent_terms, leave_dates
from scheduler.model import Activity, Assignment, Instance, Roster, Shift


@dataclass
class Worked:
    """One worked shift with its timing (minutes from the horizon start) and activity blocks."""

    assignment: Assignment
    shift: Shift
    day: int
    start: int
    end: int
    blocks: list[Activity] = field(default_factory=list)

    @property
    def agent_id(self) -> str:
        return self.assignment.agent_id

    @property
    def date(self) -> dt.date:
        return self.assignment.date


class RosterView:
    """Index of a roster for rule checking."""

    def __init__(self, instance: Instance, roster: Roster) -> None:
        self.instance = instance
        self.roster = roster
        self.rules = instance.rules
        self.horizon = Horizon(instance)
        self.leave = leave_dates(instance)
        blocks: dict[tuple[str, dt.date], list[Activity]] = defaultdict(list)
        for block in roster.activities or ():
            blocks[(block.agent_id, block.date)].append(block)
        self.by_agent: dict[str, list[Worked]] = {a.agent_id: [] for a in instance.agents}
        for assignment in roster.assignments:
            shift = instance.shift_by_id[assignment.shift_id]
            day = (assignment.date - self.horizon.start_date).days
            self.by_agent.setdefault(assignment.agent_id, []).append(
                Worked(
                    assignment=assignment,
                    shift=shift,
                    day=day,
                    start=self.horizon.minute_of(assignment.start),
                    end=self.horizon.minute_of(assignment.end),
                    blocks=sorted(
                        blocks.get((assignment.agent_id, assignment.date), []),
                        key=lambda b: b.start,
                    ),
                )
            )
        for worked in self.by_agent.values():
            worked.sort(key=lambda w: (w.start, w.shift.shift_id))

    @cached_property
    def terms(self) -> dict[str, AgentTerms]:
        return {a.agent_id: agent_terms(self.instance, a) for a in self.instance.agents}

    @property
    def has_activities(self) -> bool:
        return self.roster.activities is not None

    def days_worked(self, agent_id: str) -> set[int]:
        return {w.day for w in self.by_agent.get(agent_id, [])}

    def nights_worked(self, agent_id: str) -> set[int]:
        return {w.day for w in self.by_agent.get(agent_id, []) if w.shift.night}

    def date(self, day: int) -> dt.date:
        return self.horizon.start_date + dt.timedelta(days=day)

    def minutes_to_hours(self, minutes: float) -> str:
        return f"{minutes / 60:g} h"


def runs(days: set[int], first: int, last: int) -> list[tuple[int, int]]:
    """Maximal runs (start, end inclusive) of consecutive days from `days` within [first, last]."""
    found = []
    day = first
    while day <= last:
        if day in days:
            start = day
            while day + 1 <= last and day + 1 in days:
                day += 1
            found.append((start, day))
        day += 1
    return found
