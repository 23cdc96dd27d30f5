"""Checks on single worked shifts: one_shift_per_day (and LEAVE), skills, new_hire_nights,
shift_weekdays, fixed, max_shifts, and agents' wishes (requests, soft)."""

from __future__ import annotations

from collections import Counter, defaultdict

from scheduler.audit.findings import HARD, SOFT, Violation
from scheduler.audit.view import RosterView
from scheduler.horizon import requests_by_type
from scheduler.model import RequestType


def check_shifts(view: RosterView) -> list[Violation]:
    found: list[Violation] = []
    rules = view.rules
    for agent_id, worked in view.by_agent.items():
        terms = view.terms[agent_id]
        person = terms.agent
        per_date: dict = defaultdict(list)
        for w in worked:
            per_date[w.date].append(w.shift.shift_id)
            shift = w.shift
            if (agent_id, w.date) in view.leave:
                found.append(
                    Violation("one_shift_per_day", HARD, agent_id, w.date,
                              f"works {shift.shift_id} on a day of approved LEAVE")
                )  # fmt: skip
            if person.shifts is not None and shift.shift_id not in person.shifts:
                found.append(
                    Violation("skills", HARD, agent_id, w.date,
                              f"{shift.shift_id} is not in the agent's shifts list "
                              f"({';'.join(person.shifts)})")
                )  # fmt: skip
            if shift.night and not person.night_ok:
                found.append(
                    Violation("skills", HARD, agent_id, w.date,
                              f"night shift {shift.shift_id} but night_ok is no")
                )  # fmt: skip
            if shift.night and terms.new_hire and not rules.new_hire_nights:
                found.append(
                    Violation("new_hire_nights", HARD, agent_id, w.date,
                              f"new hire (hired {person.hire_date}) on night shift "
                              f"{shift.shift_id}")
                )  # fmt: skip
            if w.date.weekday() not in shift.weekdays:
                found.append(
                    Violation("shift_weekdays", HARD, agent_id, w.date,
                              f"{shift.shift_id} may not start on a {w.date:%A}")
                )  # fmt: skip
        for date, shift_ids in per_date.items():
            if len(shift_ids) > 1:
                found.append(
                    Violation("one_shift_per_day", HARD, agent_id, date,
                              f"{len(shift_ids)} shifts start on this date: "
                              f"{', '.join(shift_ids)}")
                )  # fmt: skip
        counts = Counter(w.shift.shift_id for w in worked)
        for shift_id, limit in person.max_shifts.items():
            if counts[shift_id] > limit:
                found.append(
                    Violation("max_shifts", HARD, agent_id, None,
                              f"{counts[shift_id]} x {shift_id}, at most {limit} allowed")
                )  # fmt: skip
    found += _fixed(view)
    found += _requests(view)
    return found


def _worked_shift(view: RosterView, agent_id: str, date) -> set[str]:
    return {w.shift.shift_id for w in view.by_agent.get(agent_id, []) if w.date == date}


def _fixed(view: RosterView) -> list[Violation]:
    found = []
    for (agent_id, date), requests in requests_by_type(view.instance, RequestType.FIXED).items():
        worked = _worked_shift(view, agent_id, date)
        for request in requests:
            if request.shift_id not in worked:
                what = ", ".join(sorted(worked)) or "nothing"
                found.append(
                    Violation("fixed", HARD, agent_id, date,
                              f"FIXED {request.shift_id} but the roster has {what}")
                )  # fmt: skip
    return found


def _requests(view: RosterView) -> list[Violation]:
    found = []
    for request in view.instance.requests:
        if request.weight <= 0 or request.type in (RequestType.LEAVE, RequestType.FIXED):
            continue
        if view.horizon.day_of(request.date) is None:
            continue
        worked = _worked_shift(view, request.agent_id, request.date)
        if request.type is RequestType.OFF and worked:
            detail = f"asked for the day off, works {', '.join(sorted(worked))}"
        elif request.type is RequestType.AVOID and request.shift_id in worked:
            detail = f"asked not to work {request.shift_id}"
        elif request.type is RequestType.PREFER and request.shift_id not in worked:
            detail = f"asked to work {request.shift_id}"
        else:
            continue
        found.append(
            Violation("requests", SOFT, request.agent_id, request.date,
                      f"{request.type.value}: {detail}", request.weight)
        )  # fmt: skip
    return found
