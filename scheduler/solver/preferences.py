"""Agents' wishes and healthy rotation (soft): OFF, AVOID and PREFER requests, and
forward_rotation (a shift starting earlier in the day than the day before is penalised)."""

from __future__ import annotations

from scheduler.model import RequestType
from scheduler.solver.context import ModelContext, scaled


def add_requests(context: ModelContext) -> None:
    if not context.enabled("requests"):
        return
    horizon = context.horizon
    index = {a.agent_id: i for i, a in enumerate(context.agents)}
    for request in context.instance.requests:
        day = horizon.day_of(request.date)
        agent = index.get(request.agent_id)
        if day is None or agent is None or request.weight <= 0:
            continue
        cost = scaled(request.weight)
        if request.type is RequestType.OFF:
            works = context.works_on(agent, day)
            if works is not None:
                context.penalise("requests", cost * works)
            continue
        if request.type not in (RequestType.AVOID, RequestType.PREFER):
            continue
        matching = [
            o.var
            for o in context.day_occurrences(agent, day)
            if o.shift.shift_id == request.shift_id
        ]
        if request.type is RequestType.AVOID:
            if matching:
                context.penalise("requests", cost * matching[0])
        else:
            context.penalise("requests", cost - cost * sum(matching))


def add_forward_rotation(context: ModelContext) -> None:
    weight = context.rules.forward_rotation
    if not context.enabled("forward_rotation") or weight <= 0:
        return
    model = context.model
    cost = scaled(weight)
    for agent in range(len(context.agents)):
        for day in context.days[:-1]:
            today = context.day_occurrences(agent, day)
            tomorrow = context.day_occurrences(agent, day + 1)
            pairs = []
            for occurrence in today:
                earlier = [
                    o.var for o in tomorrow if o.shift.start_minute < occurrence.shift.start_minute
                ]
                if earlier:
                    pairs.append((occurrence.var, earlier))
            if not pairs:
                continue
            backward = model.new_bool_var(f"backward[{context.agent_id(agent)},{day}]")
            for first, earlier in pairs:
                model.add(backward >= first + sum(earlier) - 1)
            context.penalise("forward_rotation", cost * backward)
