"""Share the burdens as evenly as the roster's coverage allows: lexicographic re-solves.

After the shift stage has found its roster, the number of agents of each queue group on each
shift of each day is kept, so coverage (counted per group) cannot change. Then each burden's
spread (weekends, then holidays, then nights) is minimised in turn and capped at the value
reached, and finally the whole objective is minimised again under those caps, so wishes and
rotation are not sacrificed to fairness gained elsewhere. A step whose CP-SAT status is OPTIMAL
proves that no roster with this staffing shares that burden more evenly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduler.solver.context import SCALE, ModelContext
from scheduler.solver.search import Budget, configure
from scheduler.solver.stopping import NEVER, StopSignal, hint_solution, make_solver

ORDER = ("fair_weekends", "fair_holidays", "fair_nights")


@dataclass
class FairShare:
    """The roster after the fairness steps, and which spreads are proven minimal."""

    values: list[int]
    proven: dict[str, bool] = field(default_factory=dict)
    spreads: dict[str, float] = field(default_factory=dict)


def _solve(model, budget: Budget, values: list[int], stop: StopSignal):
    solver = make_solver()
    configure(solver, budget)
    hint_solution(model, values)
    with stop.running(solver):
        status = solver.solve(model)
    model.proto.clear_solution_hint()
    return solver, status


def fairness_steps(context: ModelContext) -> list[str]:
    """The fairness rules with a penalty term in the model, in the order they are shared."""
    present = {penalty.rule for penalty in context.penalties}
    return [rule for rule in ORDER if rule in present]


def share_fairly(
    context: ModelContext, values: list[int], budget: Budget, stop: StopSignal = NEVER
) -> FairShare:
    """Lexicographic fairness steps from a shift-stage roster (the model is changed)."""
    model = context.model
    penalties: dict[str, list] = defaultdict(list)
    for penalty in context.penalties:
        penalties[penalty.rule].append(penalty.expr)
    steps = fairness_steps(context)
    result = FairShare(values=values)
    if not steps:
        return result
    staffing: dict[tuple, list] = defaultdict(list)
    for (agent, day), found in context.occurrences.items():
        for occurrence in found:
            key = (context.group_of.get(agent), day, occurrence.shift.shift_id)
            staffing[key].append(occurrence.var)
    for literals in staffing.values():
        model.add(sum(literals) == sum(values[lit.index] for lit in literals))
    objective = sum(p.expr for p in context.penalties)
    share = budget.share(1 / (len(steps) + 1))
    for rule in steps:
        if stop.requested:
            break
        spread = sum(penalties[rule])
        model.minimize(spread)
        solver, status = _solve(model, share, values, stop)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = list(solver.response_proto.solution)
            reached = round(solver.objective_value)
            result.proven[rule] = status == cp_model.OPTIMAL
            result.spreads[rule] = reached / SCALE
            model.add(spread <= reached)
    model.minimize(objective)
    if not stop.requested:
        solver, status = _solve(model, replace(share), values, stop)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = list(solver.response_proto.solution)
    result.values = values
    return result
