"""Sharing the burden (soft): fair_weekends, fair_holidays, fair_nights, fair_complaint_hours.

Each measure is an agent's total per FTE, history included; the penalty is the weight times the
spread (largest minus smallest total) over the agents eligible for that burden.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.solver.context import FAIRNESS_RESOLUTION, ModelContext, scaled

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

    def day_literals(picks: Callable[[int], bool]) -> Callable[[int], list[tuple[float, object]]]:
        def collect(agent: int) -> list[tuple[float, object]]:
            return [
                (1.0, w)
                for day in context.days
                if picks(day) and (w := context.works_on(agent, day)) is not None
            ]

        return collect

    def nights(agent: int) -> list[tuple[float, object]]:
        return [(1.0, o.var) for o in _occurrences(context, agent) if o.shift.night]

    def complaint_hours(agent: int) -> list[tuple[float, object]]:
        return [
            (hours_per_slot, literal)
            for day in context.days
            for literal in complaints.get((agent, day), {}).values()
        ]

    measures = [
        ("fair_weekends", rules.fair_weekends, day_literals(horizon.is_weekend),
         lambda t: True, lambda a: a.hist_weekends),
        ("fair_holidays", rules.fair_holidays, day_literals(horizon.is_holiday),
         lambda t: True, lambda a: a.hist_holidays),
        ("fair_nights", rules.fair_nights, nights,
         lambda t: t.night_fairness, lambda a: a.hist_nights),
        ("fair_complaint_hours", rules.fair_complaint_hours, complaint_hours,
         lambda t: t.complaint_fairness, lambda a: a.hist_complaint_hours),
    ]  # fmt: skip
    for rule, weight, collect, eligible, history in measures:
        if weight <= 0 or not context.enabled(rule) or (only is not None and rule not in only):
            continue
        if carried:
            history = _with_carried(history, carried, rule, context)
        _spread(context, rule, weight, collect, eligible, history)


def _with_carried(history, carried, rule, context):
    index = {a.agent_id: i for i, a in enumerate(context.agents)}

    def total(agent):
        return history(agent) + carried.get(index[agent.agent_id], {}).get(rule, 0.0)

    return total


def _occurrences(context: ModelContext, agent: int):
    for day in context.days:
        yield from context.day_occurrences(agent, day)


def _spread(context: ModelContext, rule, weight, collect, eligible, history) -> None:
    model = context.model
    totals = []
    loads = {}
    for agent, terms in enumerate(context.terms):
        if not eligible(terms):
            continue
        fte = terms.agent.fte
        constant = round(FAIRNESS_RESOLUTION * history(terms.agent) / fte)
        parts = [(round(FAIRNESS_RESOLUTION * units / fte), lit) for units, lit in collect(agent)]
        upper = constant + sum(c for c, _ in parts)
        totals.append((constant, parts, upper))
        loads[agent] = constant + sum(c * lit for c, lit in parts)
    context.fairness_loads[rule] = loads
    if len(totals) < 2:
        return
    if all(not parts for _, parts, _ in totals) and len({c for c, _, _ in totals}) == 1:
        return
    ceiling = max(upper for _, _, upper in totals)
    floor = min(constant for constant, _, _ in totals)
    largest = model.new_int_var(floor, ceiling, f"{rule}_max")
    smallest = model.new_int_var(floor, ceiling, f"{rule}_min")
    for constant, parts, _ in totals:
        expr = constant + sum(c * lit for c, lit in parts)
        model.add(largest >= expr)
        model.add(smallest <= expr)
    coefficient = scaled(weight, 1 / FAIRNESS_RESOLUTION)
    context.penalise(rule, coefficient * (largest - smallest))
