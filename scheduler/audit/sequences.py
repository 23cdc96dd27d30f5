"""Run checks: max_consecutive_days, max_consecutive_nights (with history),
min_consecutive_days and min_consecutive_days_off (runs touching the horizon's ends exempt)."""

from __future__ import annotations

from scheduler.audit.findings import HARD, Violation
from scheduler.audit.view import RosterView, runs


def check_sequences(view: RosterView) -> list[Violation]:
    found: list[Violation] = []
    last = view.horizon.days - 1
    for agent_id in view.by_agent:
        terms = view.terms[agent_id]
        person = terms.agent
        worked = view.days_worked(agent_id)
        nights = view.nights_worked(agent_id)
        found += _too_long(
            view,
            agent_id,
            worked,
            terms.max_consecutive_days,
            person.consecutive_days_before,
            "max_consecutive_days",
            "working days",
        )
        found += _too_long(view, agent_id, nights, terms.max_consecutive_nights,
                           person.nights_before, "max_consecutive_nights", "nights")  # fmt: skip
        for start, end in runs(worked, 0, last):
            length = end - start + 1
            if start > 0 and end < last and length < terms.min_consecutive_days:
                found.append(
                    Violation("min_consecutive_days", HARD, agent_id, view.date(start),
                              f"a run of {length} working day(s) from {view.date(start)}; "
                              f"at least {terms.min_consecutive_days} needed")
                )  # fmt: skip
        off = set(range(0, last + 1)) - worked
        for start, end in runs(off, 0, last):
            length = end - start + 1
            if start > 0 and end < last and length < terms.min_consecutive_days_off:
                found.append(
                    Violation("min_consecutive_days_off", HARD, agent_id, view.date(start),
                              f"{length} day(s) off from {view.date(start)}; at least "
                              f"{terms.min_consecutive_days_off} in a row needed")
                )  # fmt: skip
    return found


def _too_long(view, agent_id, days, limit, before, rule, noun) -> list[Violation]:
    found = []
    for start, end in runs(days, 0, view.horizon.days - 1):
        carried = before if start == 0 else 0
        length = end - start + 1 + carried
        if length > limit:
            first_bad = start + max(limit - carried, 0)
            extra = f" (counting {carried} before the roster)" if carried else ""
            found.append(
                Violation(rule, HARD, agent_id, view.date(first_bad),
                          f"{length} {noun} in a row{extra}; at most {limit}")
            )  # fmt: skip
    return found
