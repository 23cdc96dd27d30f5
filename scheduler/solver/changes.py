"""Re-rostering: the published roster's past is kept, and each change to its future costs.

Every assignment that starts before the cutoff keeps its shift variable at 1 and every other
shift of that agent starting before the cutoff is fixed to 0, so the hard rules that span the
cutoff (rest after a kept night, runs of days and nights, weekly hours of a week already half
worked) are the model's own constraints on the kept days. From the cutoff on, each agent-day
whose shift differs from the published one costs change_weight, except those the absences
themselves clear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduler.model import Activity
from scheduler.solver.context import ModelContext, scaled
from scheduler.solver.search import Budget, configure
from scheduler.solver.stopping import NEVER, StopSignal, make_solver, set_domain

KEPT_RULE = "published"


@dataclass(frozen=True)
class Keep:
    """What a repair keeps of a published roster and what its changes cost.

    `published` maps (agent_id, date) to the shift published for that day; assignments that
    start before `cutoff` are kept. `cleared` holds the agent-days the absences empty (removing
    their shift is not a change the repair chooses). `activities` holds the published blocks of
    kept shifts, when the published roster has them.
    """

    published: Mapping[tuple[str, dt.date], str]
    cutoff: dt.datetime
    cleared: frozenset[tuple[str, dt.date]] = frozenset()
    activities: Mapping[tuple[str, dt.date], tuple[Activity, ...]] = field(default_factory=dict)


def _published_start(context: ModelContext, keep: Keep, agent_id: str, day: int) -> int | None:
    """Minute (from the horizon start) at which the published shift of that day starts."""
    shift_id = keep.published.get((agent_id, context.horizon.dates[day]))
    shift = context.instance.shift_by_id.get(shift_id or "")
    if shift is None:
        return None
    return context.horizon.shift_window(shift, day)[0]


def kept_days(context: ModelContext, keep: Keep) -> set[tuple[int, int]]:
    """(agent, day) pairs whose published shift starts before the cutoff."""
    cutoff = context.horizon.minute_of(keep.cutoff)
    found = set()
    for agent, person in enumerate(context.agents):
        for day in context.days:
            if day * 1440 >= cutoff:
                break
            start = _published_start(context, keep, person.agent_id, day)
            if start is not None and start < cutoff:
                found.add((agent, day))
    return found


def add_kept_days(context: ModelContext, keep: Keep) -> None:
    """Fix every shift starting before the cutoff as published (hard, rule "published")."""
    model = context.model
    horizon = context.horizon
    cutoff = horizon.minute_of(keep.cutoff)
    moment = f"{keep.cutoff:%Y-%m-%d %H:%M}"
    kept = kept_days(context, keep)
    for agent, person in enumerate(context.agents):
        for day in context.days:
            if day * 1440 >= cutoff:
                break
            found = context.day_occurrences(agent, day)
            if (agent, day) in kept:
                shift_id = keep.published[(person.agent_id, horizon.dates[day])]
                detail = f"{shift_id} worked as published (it starts before {moment})"
                for occurrence in found:
                    want = int(occurrence.shift.shift_id == shift_id)
                    fixed = model.add(occurrence.var == want)
                    context.hard(fixed, KEPT_RULE, agent, (day,), detail)
                if all(o.shift.shift_id != shift_id for o in found):
                    # The current instance forbids the published shift, so no variable exists
                    # for it; the past cannot change, so the model has no roster.
                    context.hard(model.add_bool_or([]), KEPT_RULE, agent, (day,), detail)
                continue
            detail = f"no shift starting before {moment}, as published"
            for occurrence in found:
                if occurrence.start < cutoff:
                    context.hard(model.add(occurrence.var == 0), KEPT_RULE, agent, (day,), detail)


def add_change_penalty(context: ModelContext, keep: Keep) -> None:
    """change_weight per agent-day from the cutoff on whose shift differs from the published
    one (added, removed or moved); agent-days the absences clear cost nothing."""
    weight = context.rules.change_weight
    if weight <= 0:
        return
    cost = scaled(weight)
    horizon = context.horizon
    cutoff = horizon.minute_of(keep.cutoff)
    kept = kept_days(context, keep)
    for agent, person in enumerate(context.agents):
        for day in context.days:
            key = (person.agent_id, horizon.dates[day])
            if (day + 1) * 1440 <= cutoff or (agent, day) in kept or key in keep.cleared:
                continue
            shift_id = keep.published.get(key)
            if shift_id is None:
                works = context.works_on(agent, day)
                if works is not None:
                    context.penalise("change_weight", cost * works)
                continue
            found = context.day_occurrences(agent, day)
            same = [o.var for o in found if o.shift.shift_id == shift_id]
            if same:
                context.penalise("change_weight", cost - cost * same[0])
            # Without a variable the current instance forbids the published shift: the change
            # is forced, and a constant would only shift the objective.


def published_solution(
    context: ModelContext, keep: Keep, budget: Budget, stop: StopSignal = NEVER
) -> tuple[list[int], float] | None:
    """The published roster without the absent shifts as a full solution of the model (every
    variable's value) and its objective, or None when it breaks a hard rule of the instance.

    A hint of the shift literals alone is not enough: CP-SAT's first roster may come from a
    worker that ignores it, many changes away. With every shift fixed, presolve settles the
    rest, so the search starts from the published roster itself.
    """
    fixed = context.model.clone()
    horizon = context.horizon
    for occurrence in context.all_occurrences():
        key = (context.agent_id(occurrence.agent), horizon.dates[occurrence.day])
        worked = key not in keep.cleared and keep.published.get(key) == occurrence.shift.shift_id
        set_domain(fixed, occurrence.var.index, [int(worked), int(worked)])
    solver = make_solver()
    configure(solver, replace(budget, seconds=min(budget.seconds, 10.0)))
    with stop.running(solver):
        status = solver.solve(fixed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(solver.response_proto.solution), solver.objective_value
