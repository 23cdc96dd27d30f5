"""Sharing the burden (soft): fair_weekends, fair_holidays, fair_nights, fair_complaint_hours.

Each measure is an agent's total per FTE, history included, X_i (in hundredths); the penalty is
the weight times the population variance of the X_i over the n agents eligible for that burden:

    weight x (sum X_i^2 / n - (sum X_i)^2 / n^2)

The first part is separable and convex in each agent's count of burden units (weekend days,
holidays, nights, complaint slots), so its cost per count is tabulated before solving and
modelled exactly by the cuts through consecutive points: one more unit costs more the more the
agent has already carried. The second part, the squared mean, is one product of the total with
itself, rounded down to the objective's unit. Together they are the variance the checker
computes, to one objective unit (a thousandth of a penalty unit) plus the hundredths' rounding.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence

from ortools.sat.python import cp_model

from scheduler.solver.context import (
    FAIRNESS_RESOLUTION,
    SCALE,
    BurdenLoad,
    ModelContext,
    Penalty,
    scaled,
)

# Eligible agent-days above which the shift stage takes the squared mean by its tangent: 150
# agents over a week. The product slowed the search of 308 agents over a week, and of 116 over
# four weeks, where the assignment to the plan then missed 368 planned shifts instead of 2.
LINEAR_MEAN_FROM = 150 * 7

ComplaintSlots = dict[tuple[int, int], dict[int, cp_model.IntVar]]


def add_fairness(
    context: ModelContext,
    complaints: ComplaintSlots,
    only: frozenset[str] | None = None,
    carried: dict[int, dict[str, float]] | None = None,
    expected_complaint_slots: int | None = None,
    linear_mean: bool = False,
) -> None:
    """Add the fairness variances; `only` limits the measures, `carried` adds totals already
    fixed (earlier days of a staged solve) to each agent's history. With
    `expected_complaint_slots`, the complaint-hours term is a linear guide priced where that
    many slots are worked (a day model's; the exact penalty is computed from the roster). With
    `linear_mean`, the squared mean is taken by its tangent at the history's mean (the shift
    stage's search; `exact_penalties` then puts the exact terms in for the fairness steps)."""
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
        expected = expected_complaint_slots if rule == "fair_complaint_hours" else None
        _variance(context, rule, weight, collect, units, eligible, history, expected, linear_mean)


def _with_carried(history, carried, rule, context):
    index = {a.agent_id: i for i, a in enumerate(context.agents)}

    def total(agent):
        return history(agent) + carried.get(index[agent.agent_id], {}).get(rule, 0.0)

    return total


def _occurrences(context: ModelContext, agent: int):
    for day in context.days:
        yield from context.day_occurrences(agent, day)


def _variance(
    context: ModelContext, rule, weight, collect, units, eligible, history, expected, linear_mean
) -> None:
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
    # The product is exact and cheap for a hundred agents over a week; beyond LINEAR_MEAN_FROM
    # agent-days it slowed the shift stage's search (docs/DESIGN.md), so the tangent takes its
    # place there.
    linear = linear_mean and len(loads) * context.horizon.days > LINEAR_MEAN_FROM
    if linear:
        context.fairness_tangents.add(rule)
    penalty = variance_penalty(context.model, rule, weight, list(loads.values()), expected, linear)
    context.penalise(rule, penalty)


def variance_penalty(
    model: cp_model.CpModel,
    rule: str,
    weight: float,
    loads: list[BurdenLoad],
    expected_units: int | None = None,
    linear_mean: bool = False,
) -> cp_model.LinearExprT:
    """weight x the population variance of the loads (in hundredths), in SCALE units.

    With `expected_units`, a linear guide instead (see `_linear_guide`). With `linear_mean`,
    the squared mean is replaced by its tangent at the history's mean: no product, so the
    model stays linear (on the 308-agent week the product cost the shift stage's search 5
    points of coverage), and above the variance by the square of the horizon's rise in the
    mean, the same for every roster that works the same total."""
    n = len(loads)
    least = sum(load.history for load in loads)
    most = sum(load.totals()[-1] for load in loads)
    if expected_units is not None and least < most:
        return _linear_guide(loads, expected_units, weight)
    # Objective units per hundredth squared of the mean square and of the squared mean.
    per_square = weight * SCALE / (n * FAIRNESS_RESOLUTION**2)
    numerator, denominator = scaled(weight), n * n * FAIRNESS_RESOLUTION**2
    common = math.gcd(numerator, denominator)
    numerator, denominator = numerator // common, denominator // common
    squares: list[cp_model.LinearExprT] = []
    for agent, load in enumerate(loads):
        costs = [round(per_square * total * total) for total in load.totals()]
        if len(costs) == 1:
            squares.append(costs[0])
            continue
        cost = model.new_int_var(costs[0], costs[-1], f"{rule}_square_{agent}")
        count = sum(load.literals)
        for units, (here, after) in enumerate(itertools.pairwise(costs)):
            model.add(cost >= here + (after - here) * (count - units))
        squares.append(cost)
    if least == most:
        return sum(squares) - (numerator * least * least) // denominator
    if linear_mean:
        # mean^2 ~ least^2 + 2 least (total - least), in objective units
        per_mean_square = per_square / n
        tangent = [
            round(per_mean_square * 2 * least * load.step) * literal
            for load in loads
            for literal in load.literals
        ]
        return sum(squares) - round(per_mean_square * least * least) - sum(tangent)
    total = model.new_int_var(least, most, f"{rule}_total")
    model.add(total == sum(load.expr() for load in loads))
    total_squared = model.new_int_var(least * least, most * most, f"{rule}_total_squared")
    model.add_multiplication_equality(total_squared, [total, total])
    # The squared mean lowers the penalty: it is taken as large as the rounding allows.
    mean_squared = model.new_int_var(
        (numerator * least * least) // denominator,
        (numerator * most * most) // denominator,
        f"{rule}_mean_squared",
    )
    model.add(denominator * mean_squared <= numerator * total_squared)
    return sum(squares) - mean_squared


def _linear_guide(
    loads: list[BurdenLoad], expected_units: int, weight: float
) -> cp_model.LinearExprT:
    """The variance linearised for a day model: each unit priced at what it adds to the
    variance where the day starts (the agent's square) less what it adds to the squared mean
    where `expected_units` units are worked. A day changes each total by a few hours against
    histories of hundreds, so the guide ranks the agents as the variance does, and the day
    model stays linear; the exact penalty is computed from the assembled roster."""
    n = len(loads)
    literals = sum(len(load.literals) for load in loads)
    mean_step = sum(load.step * len(load.literals) for load in loads) / max(literals, 1)
    history = sum(load.history for load in loads)
    at = history + mean_step * min(expected_units, literals)
    per_square = weight * SCALE / (n * FAIRNESS_RESOLUTION**2)
    per_mean_square = per_square / n
    constant = per_square * sum(load.history**2 for load in loads) - per_mean_square * (
        2 * at * history - at * at
    )
    terms = []
    for load in loads:
        price = round(
            per_square * (2 * load.history * load.step + load.step**2)
            - per_mean_square * 2 * at * load.step
        )
        terms += [price * literal for literal in load.literals]
    return round(constant) + sum(terms)


def exact_variance(loads: list[BurdenLoad], weight: float, values: Sequence[int]) -> float:
    """weight x the population variance of the loads under a full solution, penalty units."""
    if len(loads) < 2:
        return 0.0
    totals = [load.value(values) / FAIRNESS_RESOLUTION for load in loads]
    mean = sum(totals) / len(totals)
    return weight * sum((total - mean) ** 2 for total in totals) / len(totals)


def exact_penalties(context: ModelContext, rules: Iterable[str]) -> None:
    """Replace these fairness terms by exact ones (the squared mean as a product), for the
    fairness steps, where the staffing is fixed and the model small enough for it."""
    rules = set(rules)
    exact = [
        Penalty(
            rule,
            variance_penalty(
                context.model,
                rule,
                getattr(context.rules, rule),
                list(context.fairness_loads[rule].values()),
            ),
        )
        for rule in sorted(rules)
        if len(context.fairness_loads.get(rule, {})) > 1
    ]
    context.penalties = [p for p in context.penalties if p.rule not in rules] + exact


def tangent_slack(context: ModelContext) -> float:
    """How far, at most, the shift stage's fairness terms lie above the exact variances (the
    squared mean's tangent error, weight x the largest rise of the mean squared), in penalty
    units: a bound on the model's objective is a bound on the exact one after subtracting it."""
    slack = 0.0
    for penalty_rule in context.fairness_tangents:
        loads = list(context.fairness_loads[penalty_rule].values())
        if len(loads) < 2:
            continue
        rise = sum(load.totals()[-1] - load.history for load in loads) / len(loads)
        slack += getattr(context.rules, penalty_rule) * (rise / FAIRNESS_RESOLUTION) ** 2
    return slack
