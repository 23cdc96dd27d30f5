"""Workload checks: max_days_week, min/max_hours_week per 7-day block (LEAVE credited towards
the minimum), min/max_total_hours and max_weekends."""

from __future__ import annotations

from scheduler.audit.findings import HARD, Violation
from scheduler.audit.view import RosterView

EPSILON = 1e-6


def _h(hours: float) -> str:
    return f"{hours:.2f}".rstrip("0").rstrip(".")


def check_workload(view: RosterView) -> list[Violation]:
    found: list[Violation] = []
    horizon = view.horizon
    for agent_id, worked in view.by_agent.items():
        terms = view.terms[agent_id]
        person = terms.agent
        for block in horizon.week_blocks:
            min_hours, max_hours, max_days = terms.week_limits(block)
            inside = [w for w in worked if w.day in block.days]
            first = view.date(block.first_day)
            label = f"week from {first}" + (f" ({block.length} days)" if block.length < 7 else "")
            days = len({w.day for w in inside})
            paid = sum(w.shift.paid_minutes for w in inside) / 60
            if days > max_days:
                found.append(
                    Violation("max_days_week", HARD, agent_id, first,
                              f"{days} working days in the {label}; at most {max_days}")
                )  # fmt: skip
            if paid > max_hours + EPSILON:
                found.append(
                    Violation("max_hours_week", HARD, agent_id, first,
                              f"{_h(paid)} paid hours in the {label}; at most {_h(max_hours)}")
                )  # fmt: skip
            if min_hours is not None:
                leave_days = sum(1 for d in block.days if (agent_id, view.date(d)) in view.leave)
                credit = leave_days * view.rules.leave_hours * person.fte
                if paid + credit < min_hours - EPSILON:
                    counted = f" + {_h(credit)} h leave" if credit else ""
                    found.append(
                        Violation("min_hours_week", HARD, agent_id, first,
                                  f"{_h(paid)} paid hours{counted} in the {label}; at least "
                                  f"{_h(min_hours)}")
                    )  # fmt: skip
        total = sum(w.shift.paid_minutes for w in worked) / 60
        if person.max_total_hours is not None and total > person.max_total_hours + EPSILON:
            found.append(
                Violation("max_total_hours", HARD, agent_id, None,
                          f"{_h(total)} paid hours in the roster; at most "
                          f"{_h(person.max_total_hours)}")
            )  # fmt: skip
        if person.min_total_hours is not None and total < person.min_total_hours - EPSILON:
            found.append(
                Violation("min_total_hours", HARD, agent_id, None,
                          f"{_h(total)} paid hours in the roster; at least "
                          f"{_h(person.min_total_hours)}")
            )  # fmt: skip
        if person.max_weekends is not None:
            weekends = {horizon.weekend_of(w.day) for w in worked} - {None}
            if len(weekends) > person.max_weekends:
                found.append(
                    Violation("max_weekends", HARD, agent_id, None,
                              f"works {len(weekends)} weekends; at most {person.max_weekends}")
                )  # fmt: skip
    return found
