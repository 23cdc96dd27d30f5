"""How much each agent works: max_days_week, min/max_hours_week (per 7-day block from the
start date, LEAVE days counting leave_hours towards the minimum), min/max_total_hours, max_shifts
and max_weekends.
"""

from __future__ import annotations

import math
from collections import defaultdict

from scheduler.horizon import leave_dates
from scheduler.solver.context import ModelContext


def add_workload_rules(context: ModelContext) -> None:
    leave = leave_dates(context.instance)
    for agent in range(len(context.agents)):
        _weekly(context, agent, leave)
        _totals(context, agent)
        _max_shifts(context, agent)
        _max_weekends(context, agent)


def _paid_minutes(context: ModelContext, agent: int, days) -> list:
    return [
        o.shift.paid_minutes * o.var for day in days for o in context.day_occurrences(agent, day)
    ]


def _weekly(context: ModelContext, agent: int, leave: set) -> None:
    model = context.model
    terms = context.terms[agent]
    horizon = context.horizon
    for block in horizon.week_blocks:
        min_hours, max_hours, max_days = terms.week_limits(block)
        days = tuple(block.days)
        works = [w for d in days if (w := context.works_on(agent, d)) is not None]
        if context.enabled("max_days_week") and len(works) > max_days:
            context.hard(model.add(sum(works) <= max_days), "max_days_week", agent, days)
        paid = _paid_minutes(context, agent, days)
        if context.enabled("max_hours_week"):
            limit = math.floor(max_hours * 60 + 1e-9)
            context.hard(model.add(sum(paid) <= limit), "max_hours_week", agent, days)
        if min_hours is not None and context.enabled("min_hours_week"):
            leave_days = sum(1 for d in days if (terms.agent.agent_id, horizon.dates[d]) in leave)
            credit = leave_days * context.rules.leave_hours * terms.agent.fte * 60
            needed = math.ceil(min_hours * 60 - credit - 1e-9)
            if needed > 0:
                context.hard(model.add(sum(paid) >= needed), "min_hours_week", agent, days)


def _totals(context: ModelContext, agent: int) -> None:
    model = context.model
    person = context.terms[agent].agent
    paid = _paid_minutes(context, agent, context.days)
    every_day = tuple(context.days)
    if person.max_total_hours is not None and context.enabled("max_total_hours"):
        limit = math.floor(person.max_total_hours * 60 + 1e-9)
        context.hard(model.add(sum(paid) <= limit), "max_total_hours", agent, every_day)
    if person.min_total_hours is not None and context.enabled("min_total_hours"):
        needed = math.ceil(person.min_total_hours * 60 - 1e-9)
        if needed > 0:
            context.hard(model.add(sum(paid) >= needed), "min_total_hours", agent, every_day)


def _max_shifts(context: ModelContext, agent: int) -> None:
    if not context.enabled("max_shifts"):
        return
    person = context.terms[agent].agent
    for shift_id, limit in person.max_shifts.items():
        literals = [
            o.var
            for day in context.days
            for o in context.day_occurrences(agent, day)
            if o.shift.shift_id == shift_id
        ]
        if len(literals) > limit:
            context.hard(
                context.model.add(sum(literals) <= limit),
                "max_shifts",
                agent,
                detail=f"at most {limit} x {shift_id}",
            )


def _max_weekends(context: ModelContext, agent: int) -> None:
    person = context.terms[agent].agent
    if person.max_weekends is None or not context.enabled("max_weekends"):
        return
    model = context.model
    weekends: dict = defaultdict(list)
    for day in context.days:
        saturday = context.horizon.weekend_of(day)
        works = context.works_on(agent, day)
        if saturday is not None and works is not None:
            weekends[saturday].append(works)
    if len(weekends) <= person.max_weekends:
        return
    worked = []
    for saturday, literals in weekends.items():
        if len(literals) == 1:
            worked.append(literals[0])
            continue
        weekend = model.new_bool_var(f"weekend[{person.agent_id},{saturday}]")
        model.add_max_equality(weekend, literals)
        worked.append(weekend)
    context.hard(model.add(sum(worked) <= person.max_weekends), "max_weekends", agent)
