"""Sharing the burden (soft): fair_weekends, fair_holidays, fair_nights, fair_complaint_hours.

Each measure is an agent's total per FTE, history included; the penalty is the weight times the
spread (largest minus smallest total) over the agents eligible for that burden.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.solver.context import FAIRNESS_RESOLUTION, BurdenLoad, ModelContext, scaled

ComplaintSlots = dict[tuple[int, int], dict[int, cp_model.IntVar]]


def add_fairness(
    context: ModelContext,
    complaints: ComplaintSlots,
    only: frozenset[str] | None = None,
    carried: dict[int, dict[str, float]] | None = None,
) -> None:
    """Add the fairness spreads; `only` limits the measures, `carried` adds totals already
    fixed (earlier days of a staged solve) to each agent's history."""
    horizon = context.horizon
    rules = context.rules
    hours_per_slot = horizon.interval / 60

    def day_literals(picks: Callable[[int], bool]) -> Callable[[int], list[cp_model.IntVar]]:
        def collect(agent: int) -> list[cp_model.IntVar]:
            return [
                w
                for day in context.days
                if picks(day) and (w := context.works_on(agent, day)) is not None
            ]

        return collect

    def nights(agent: int) -> list[cp_model.IntVar]:
        return [o.var for o in _occurrences(context, agent) if o.shift.night]

    def complaint_slots(agent: int) -> list[cp_model.IntVar]:
        return [
            literal for day in context.days for literal in complaints.get((agent, day), {}).values()
        ]

    # (rule, weight, the agent's burden literals, units each counts, eligible, history)
    measures = [
        ("fair_weekends", rules.fair_weekends, day_literals(horizon.is_weekend), 1.0,
         lambda t: True, lambda a: a.hist_weekends),
        ("fair_holidays", rules.fair_holidays, day_literals(horizon.is_holiday), 1.0,
         lambda t: True, lambda a: a.hist_holidays),
        ("fair_nights", rules.fair_nights, nights, 1.0,
         lambda t: t.night_fairness, lambda a: a.hist_nights),
        ("fair_complaint_hours", rules.fair_complaint_hours, complaint_slots, hours_per_slot,
         lambda t: t.complaint_fairness, lambda a: a.hist_complaint_hours),
    ]  # fmt: skip
    for rule, weight, collect, units, eligible, history in measures:
        if weight <= 0 or not context.enabled(rule) or (only is not None and rule not in only):
            continue
        if carried:
            history = _with_carried(history, carried, rule, context)
        _spread(context, rule, weight, collect, units, eligible, history)


def _with_carried(history, carried, rule, context):
    index = {a.agent_id: i for i, a in enumerate(context.agents)}

    def total(agent):
        return history(agent) + carried.get(index[agent.agent_id], {}).get(rule, 0.0)

    return total


def _occurrences(context: ModelContext, agent: int):
    for day in context.days:
        yield from context.day_occurrences(agent, day)


def _spread(context: ModelContext, rule, weight, collect, units, eligible, history) -> None:
    model = context.model
    loads: dict[int, BurdenLoad] = {}
    for agent, terms in enumerate(context.terms):
        if not eligible(terms):
            continue
        fte = terms.agent.fte
        loads[agent] = BurdenLoad(
            history=round(FAIRNESS_RESOLUTION * history(terms.agent) / fte),
            step=round(FAIRNESS_RESOLUTION * units / fte),
            literals=tuple(collect(agent)),
        )
    context.fairness_loads[rule] = loads
    if len(loads) < 2:
        return
    if all(not load.literals for load in loads.values()) and (
        len({load.history for load in loads.values()}) == 1
    ):
        return
    ceiling = max(load.totals()[-1] for load in loads.values())
    floor = min(load.history for load in loads.values())
    largest = model.new_int_var(floor, ceiling, f"{rule}_max")
    smallest = model.new_int_var(floor, ceiling, f"{rule}_min")
    for load in loads.values():
        model.add(largest >= load.expr())
        model.add(smallest <= load.expr())
    context.penalise(rule, spread_coefficient(weight) * (largest - smallest))


def spread_coefficient(weight: float) -> int:
    """Objective units per hundredth (per FTE) of a burden's spread."""
    return scaled(weight, 1 / FAIRNESS_RESOLUTION)
