"""Which shift each agent works on each date: one_shift_per_day, leave, fixed, skills.

A shift variable is only created where the agent may work that shift on that date; in diagnosis
mode every variable is created and each reason that forbids it becomes a guarded constraint, so an
infeasible instance can name the rule (LEAVE, night_ok, new_hire_nights, ...) behind the conflict.
"""

from __future__ import annotations

from scheduler.horizon import requests_by_type
from scheduler.model import RequestType, Shift
from scheduler.solver.context import ModelContext, Occurrence


def forbidding_rules(
    context: ModelContext, agent: int, day: int, shift: Shift, on_leave: bool
) -> list[tuple[str, str]]:
    """(rule, reason) pairs that forbid the agent working this shift on this day."""
    terms = context.terms[agent]
    person = terms.agent
    reasons: list[tuple[str, str]] = []
    if on_leave:
        reasons.append(("one_shift_per_day", "approved LEAVE"))
    if person.shifts is not None and shift.shift_id not in person.shifts:
        reasons.append(("skills", f"shift {shift.shift_id} is not in the agent's shifts list"))
    if shift.night and not person.night_ok:
        reasons.append(("skills", f"night shift {shift.shift_id} but night_ok is no"))
    if shift.night and person.night_ok and terms.new_hire and not context.rules.new_hire_nights:
        reasons.append(("new_hire_nights", f"new hire on night shift {shift.shift_id}"))
    if not context.horizon.may_start(shift, day):
        reasons.append(("shift_weekdays", f"shift {shift.shift_id} does not start on this weekday"))
    if person.max_shifts.get(shift.shift_id) == 0:
        reasons.append(("max_shifts", f"max_shifts allows no {shift.shift_id}"))
    if (agent, shift.shift_id) in context.unworkable:
        reasons.append(
            ("breaks", f"shift {shift.shift_id} cannot hold the agent's breaks and call limits")
        )
    return [(rule, why) for rule, why in reasons if context.enabled(rule)]


def add_shift_choices(context: ModelContext) -> None:
    """Create shift variables, 'works that day' literals, and the one-shift and FIXED rules."""
    model = context.model
    horizon = context.horizon
    instance = context.instance
    leave = requests_by_type(instance, RequestType.LEAVE)
    fixed = requests_by_type(instance, RequestType.FIXED)
    for agent, person in enumerate(context.agents):
        for day in context.days:
            date = horizon.dates[day]
            on_leave = (person.agent_id, date) in leave
            pinned = {r.shift_id for r in fixed.get((person.agent_id, date), [])}
            found: list[Occurrence] = []
            for shift in instance.shifts:
                reasons = forbidding_rules(context, agent, day, shift, on_leave)
                if reasons and not context.diagnose and shift.shift_id not in pinned:
                    continue
                var = model.new_bool_var(f"x[{person.agent_id},{day},{shift.shift_id}]")
                start, end = horizon.shift_window(shift, day)
                found.append(
                    Occurrence(
                        agent=agent,
                        day=day,
                        shift=shift,
                        var=var,
                        start=start,
                        end=end,
                        slots=horizon.shift_slots(shift, day),
                    )
                )
                for rule, why in reasons:
                    context.hard(model.add(var == 0), rule, agent, (day,), why)
            if context.enabled("fixed"):
                _pin(context, agent, day, found, pinned)
            if not found:
                continue
            context.occurrences[(agent, day)] = found
            _link_works(context, agent, day, found)


def _pin(context: ModelContext, agent: int, day: int, found: list[Occurrence], pinned: set) -> None:
    """FIXED requests hold: the pinned shift is worked (two pins on one day cannot both hold)."""
    for occurrence in found:
        if occurrence.shift.shift_id in pinned:
            context.hard(
                context.model.add(occurrence.var == 1),
                "fixed",
                agent,
                (day,),
                f"FIXED {occurrence.shift.shift_id}",
            )


def _link_works(context: ModelContext, agent: int, day: int, found: list[Occurrence]) -> None:
    model = context.model
    literals = [o.var for o in found]
    one_shift = context.enabled("one_shift_per_day")
    if len(literals) == 1:
        context.works[(agent, day)] = literals[0]
        return
    works = model.new_bool_var(f"works[{context.agent_id(agent)},{day}]")
    context.works[(agent, day)] = works
    if one_shift and not context.diagnose:
        model.add(sum(literals) == works)
        return
    model.add_max_equality(works, literals)
    if one_shift:
        context.hard(model.add(sum(literals) <= 1), "one_shift_per_day", agent, (day,))


def add_chosen_shifts(context: ModelContext, chosen: dict[tuple[int, int], Shift]) -> None:
    """Occurrences for shifts already decided (the intraday stage): their literals are fixed."""
    for (agent, day), shift in sorted(chosen.items(), key=lambda item: item[0]):
        var = context.model.new_bool_var(f"x[{context.agent_id(agent)},{day},{shift.shift_id}]")
        context.model.add(var == 1)
        start, end = context.horizon.shift_window(shift, day)
        context.occurrences[(agent, day)] = [
            Occurrence(
                agent=agent,
                day=day,
                shift=shift,
                var=var,
                start=start,
                end=end,
                slots=context.horizon.shift_slots(shift, day),
            )
        ]
        context.works[(agent, day)] = var
