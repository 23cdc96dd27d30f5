"""What agents do inside their shifts: breaks, lunches and the queue they take each interval.

Rules here: `breaks` (each break of a shift starts inside its window, blocks of the same activity
never touch), `max_continuous_phone_minutes`, `skills` (queues) and `new_hire_complaints`.

Each break of a worked shift is placed by choosing its first interval; an interval is on the
phone when the shift covers it and no break does, so breaks of one shift cannot overlap.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.solver.context import BreakChoice, ModelContext, Occurrence


def usable_queues(context: ModelContext, agent: int) -> list[str]:
    """Queues the agent may take: its skills, minus complaint queues for barred new hires."""
    terms = context.terms[agent]
    queues = context.instance.queue_by_id
    usable = []
    for queue_id in terms.agent.skills:
        queue = queues.get(queue_id)
        if queue is None:
            continue
        if (
            queue.complaint
            and not terms.may_take_complaints
            and context.enabled("new_hire_complaints")
        ):
            continue
        usable.append(queue_id)
    return usable


def add_activities(context: ModelContext, demand: dict[tuple[int, str], int]) -> None:
    """Break placement, phone intervals and queue choice for every possible occurrence.

    `demand` maps (slot, queue_id) to required agents; it is used only to leave out choices that
    can never be better (a queue nobody needs when another non-complaint queue is open).
    """
    if not context.intraday:
        return
    complaint = {q.queue_id for q in context.instance.queues if q.complaint}
    for (agent, day), found in context.occurrences.items():
        for occurrence in found:
            _place_breaks(context, occurrence)
        phone = _phone_slots(context, agent, day, found)
        context.phone[(agent, day)] = phone
        queues = usable_queues(context, agent)
        if not queues:
            # Nobody may take calls without a usable queue: such an agent cannot work at all.
            rule = "new_hire_complaints" if context.terms[agent].agent.skills else "skills"
            for occurrence in found:
                context.hard(
                    context.model.add(occurrence.var == 0),
                    rule,
                    agent,
                    (day,),
                    "no queue the agent may take",
                )
            continue
        context.queue_at[(agent, day)] = _choose_queues(
            context, agent, day, phone, queues, complaint, demand
        )


def _place_breaks(context: ModelContext, occurrence: Occurrence) -> None:
    if not context.enabled("breaks"):
        return
    model = context.model
    interval = context.horizon.interval
    first = occurrence.start // interval
    label = f"{context.agent_id(occurrence.agent)},{occurrence.day},{occurrence.shift.shift_id}"
    for index, spec in enumerate(occurrence.shift.breaks):
        length = spec.minutes // interval
        options = []
        for offset in range(spec.earliest // interval, spec.latest // interval + 1):
            var = model.new_bool_var(f"brk[{label},{index},{offset}]")
            options.append((first + offset, var))
        choice = BreakChoice(spec=spec, length=length, options=options)
        occurrence.breaks.append(choice)
        context.hard(
            model.add(sum(v for _, v in options) == occurrence.var),
            "breaks",
            occurrence.agent,
            (occurrence.day,),
            f"{spec.activity} of shift {occurrence.shift.shift_id}",
        )
    _separate_same_activity(context, occurrence)
    _cap_continuous_phone(context, occurrence)


def _separate_same_activity(context: ModelContext, occurrence: Occurrence) -> None:
    """Two blocks of the same activity may not touch (they would read as one block)."""
    choices = occurrence.breaks
    for i, first in enumerate(choices):
        for second in choices[i + 1 :]:
            if first.spec.activity != second.spec.activity:
                continue
            starts_second = dict(second.options)
            for start, var in first.options:
                after = starts_second.get(start + first.length)
                if after is not None:
                    context.forbid_together(
                        [var, after], "breaks", occurrence.agent, (occurrence.day,)
                    )
                before = starts_second.get(start - second.length)
                if before is not None:
                    context.forbid_together(
                        [var, before], "breaks", occurrence.agent, (occurrence.day,)
                    )


def _cap_continuous_phone(context: ModelContext, occurrence: Occurrence) -> None:
    """Every run of (limit + one interval) inside the shift contains a break or lunch."""
    rule = "max_continuous_phone_minutes"
    if not context.enabled(rule):
        return
    limit = context.rules.max_continuous_phone_minutes // context.horizon.interval
    slots = occurrence.slots
    if len(slots) <= limit:
        return
    for window_start in range(slots.start, slots.stop - limit):
        window_end = window_start + limit  # inclusive
        touching = [
            var
            for choice in occurrence.breaks
            for start, var in choice.options
            if start <= window_end and start + choice.length - 1 >= window_start
        ]
        context.hard(
            context.model.add(sum(touching) >= occurrence.var),
            rule,
            occurrence.agent,
            (occurrence.day,),
            f"shift {occurrence.shift.shift_id}",
        )


def _phone_slots(
    context: ModelContext, agent: int, day: int, found: list[Occurrence]
) -> dict[int, cp_model.IntVar]:
    """phone[slot] = the shift covers the slot and no break does."""
    model = context.model
    covering: dict[int, list] = defaultdict(list)
    breaking: dict[int, list] = defaultdict(list)
    for occurrence in found:
        for slot in occurrence.slots:
            covering[slot].append(occurrence.var)
        for choice in occurrence.breaks:
            for start, var in choice.options:
                for slot in range(start, start + choice.length):
                    breaking[slot].append(var)
    phone: dict[int, cp_model.IntVar] = {}
    label = context.agent_id(agent)
    for slot in sorted(covering):
        literal = model.new_bool_var(f"phone[{label},{slot}]")
        model.add(literal + sum(breaking.get(slot, [])) == sum(covering[slot]))
        phone[slot] = literal
    return phone


def _choose_queues(
    context: ModelContext,
    agent: int,
    day: int,
    phone: dict[int, cp_model.IntVar],
    queues: list[str],
    complaint: set[str],
    demand: dict[tuple[int, str], int],
) -> dict[int, dict[str, cp_model.IntVar]]:
    model = context.model
    label = context.agent_id(agent)
    regular = [q for q in queues if q not in complaint]
    chosen: dict[int, dict[str, cp_model.IntVar]] = {}
    for slot, on_phone in phone.items():
        options = [q for q in queues if demand.get((slot, q), 0) > 0]
        if not any(q in regular for q in options):
            # A non-complaint queue to take when complaint time is used up; with no demand
            # anywhere, one queue is as good as another.
            parking = regular[:1] or ([] if options else queues[:1])
            options += parking
        if len(options) == 1:
            chosen[slot] = {options[0]: on_phone}
            continue
        literals = {q: model.new_bool_var(f"q[{label},{slot},{q}]") for q in options}
        model.add(sum(literals.values()) == on_phone)
        chosen[slot] = literals
    return chosen
