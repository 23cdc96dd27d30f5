"""Meeting demand (soft): weight_under per agent-interval (or person, for ShiftDemand) below the
requirement and weight_over per agent-interval above it."""

from __future__ import annotations

from collections import defaultdict

from scheduler.solver.context import ModelContext, scaled
from scheduler.staffing import interval_requirements


def demand_by_slot(context: ModelContext) -> dict[tuple[int, str], int]:
    """(slot, queue_id) -> required agents, for interval demand."""
    if context.instance.demand_kind == "shift":
        return {}
    return {key: cell.required for key, cell in interval_requirements(context.instance).items()}


def add_interval_coverage(
    context: ModelContext,
    demand: dict[tuple[int, str], int],
    baseline: dict[tuple[int, str], int] | None = None,
) -> None:
    """Per queue and interval: agents scheduled (plus any already fixed) against required."""
    if not context.intraday or context.instance.demand_kind == "shift":
        return
    scheduled: dict[tuple[int, str], list] = defaultdict(list)
    for per_slot in context.queue_at.values():
        for slot, options in per_slot.items():
            for queue_id, literal in options.items():
                scheduled[(slot, queue_id)].append(literal)
    penalise_coverage(context, demand, scheduled, baseline or {})


def penalise_coverage(
    context: ModelContext,
    demand: dict[tuple[int, str], int],
    scheduled: dict[tuple[int, str], list],
    baseline: dict[tuple[int, str], int],
) -> None:
    """weight_under per agent-interval short of demand, weight_over per agent-interval above it.

    `scheduled` holds, per (slot, queue), terms that add up to the agents the model places
    there; `baseline` counts agents already fixed (earlier days of a staged solve).
    """
    model = context.model
    under_cost = scaled(context.rules.weight_under)
    over_cost = scaled(context.rules.weight_over)
    most = len(context.agents)
    # Intervals after the horizon (the last night's morning) belong to the next roster.
    end = context.horizon.days * context.horizon.slots_per_day
    keys = {key for key in scheduled if key[0] < end}
    if context.stage != "intraday":
        # Demand nobody can meet still counts; a day's intraday model leaves other days alone.
        keys |= {k for k, v in demand.items() if v > 0}
    for key in sorted(keys):
        terms = scheduled.get(key, [])
        if not terms:
            missing = demand.get(key, 0) - baseline.get(key, 0)
            if missing > 0:
                context.penalise("weight_under", under_cost * missing)
            continue
        slot, queue_id = key
        short = demand.get(key, 0) - baseline.get(key, 0)
        if short > 0:
            under = model.new_int_var(0, short, f"under[{queue_id},{slot}]")
            context.scope(None, slot // context.horizon.slots_per_day, under)
            model.add(under >= short - sum(terms))
            context.penalise("weight_under", under_cost * under)
        if over_cost:
            if short <= 0:
                context.penalise("weight_over", over_cost * sum(terms))
            else:
                over = model.new_int_var(0, most, f"over[{queue_id},{slot}]")
                context.scope(None, slot // context.horizon.slots_per_day, over)
                model.add(over >= sum(terms) - short)
                context.penalise("weight_over", over_cost * over)


def add_shift_coverage(context: ModelContext) -> None:
    """ShiftDemand: headcount per shift and date, penalised per missing or extra person."""
    if context.instance.demand_kind != "shift":
        return
    model = context.model
    rules = context.rules
    for row in context.instance.shift_demand:
        day = context.horizon.day_of(row.date)
        if day is None:
            continue
        literals = [
            o.var
            for agent in range(len(context.agents))
            for o in context.day_occurrences(agent, day)
            if o.shift.shift_id == row.shift_id
        ]
        weight_under = rules.weight_under if row.weight_under is None else row.weight_under
        weight_over = rules.weight_over if row.weight_over is None else row.weight_over
        if row.agents > 0:
            under = model.new_int_var(0, row.agents, f"under[{row.shift_id},{day}]")
            context.scope(None, day, under)
            model.add(under >= row.agents - sum(literals))
            context.penalise("weight_under", scaled(weight_under) * under)
        if len(literals) > row.agents and weight_over:
            over = model.new_int_var(0, len(literals) - row.agents, f"over[{row.shift_id},{day}]")
            context.scope(None, day, over)
            model.add(over >= sum(literals) - row.agents)
            context.penalise("weight_over", scaled(weight_over) * over)
