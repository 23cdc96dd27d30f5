"""Complaint-queue limits that protect agents from draining calls:
max_complaint_continuous_minutes, complaint_recovery_minutes and max_complaint_daily_minutes.
(new_hire_complaints is enforced where queues are chosen, in activities.)
"""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from scheduler.solver.context import ModelContext


def complaint_literals(context: ModelContext) -> dict[tuple[int, int], dict[int, cp_model.IntVar]]:
    """(agent, day) -> {slot: literal 'on a complaint queue'} for agents who may take them."""
    complaint = {q.queue_id for q in context.instance.queues if q.complaint}
    found: dict[tuple[int, int], dict[int, cp_model.IntVar]] = {}
    for key, per_slot in context.queue_at.items():
        slots: dict[int, cp_model.IntVar] = {}
        for slot, options in per_slot.items():
            literals = [lit for queue_id, lit in options.items() if queue_id in complaint]
            if len(literals) == 1:
                slots[slot] = literals[0]
            elif literals:
                merged = context.model.new_bool_var("")
                context.model.add(sum(literals) == merged)
                slots[slot] = merged
        if slots:
            found[key] = slots
    return found


def add_complaint_rules(
    context: ModelContext, complaints: dict[tuple[int, int], dict[int, cp_model.IntVar]]
) -> None:
    interval = context.horizon.interval
    rules = context.rules
    model = context.model
    for (agent, day), slots in complaints.items():
        ordered = sorted(slots)
        first, last = ordered[0], ordered[-1]
        if context.enabled("max_complaint_continuous_minutes"):
            limit = rules.max_complaint_continuous_minutes // interval
            for start in range(first, last - limit + 1):
                window = [slots[s] for s in range(start, start + limit + 1) if s in slots]
                if len(window) > limit:
                    context.hard(
                        model.add(sum(window) <= limit),
                        "max_complaint_continuous_minutes",
                        agent,
                        (day,),
                    )
        if context.enabled("complaint_recovery_minutes"):
            gap = math.ceil(rules.complaint_recovery_minutes / interval)
            for slot in ordered:
                following = slots.get(slot + 1)
                for distance in range(2, gap + 1):
                    later = slots.get(slot + distance)
                    if later is None:
                        continue
                    # complaint at slot, a break in complaint at slot+1, complaint again too soon
                    clause = [slots[slot].Not(), later.Not()]
                    if following is not None:
                        clause.append(following)
                    context.hard(
                        model.add_bool_or(clause), "complaint_recovery_minutes", agent, (day,)
                    )
        if context.enabled("max_complaint_daily_minutes"):
            limit = rules.max_complaint_daily_minutes // interval
            if len(slots) > limit:
                context.hard(
                    model.add(sum(slots.values()) <= limit),
                    "max_complaint_daily_minutes",
                    agent,
                    (day,),
                )
