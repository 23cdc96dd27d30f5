"""Share the burdens as evenly as the roster's staffing allows: lexicographic steps.

After the shift stage has found its roster, the number of agents of each queue group on each
shift of each day is kept, so coverage (counted per group) cannot change. Then each burden's
penalty, the weighted variance of its per-FTE totals (weekends, then holidays, then nights), is
minimised alone in turn and capped at the value reached, and finally the whole objective is
minimised again under those caps, so wishes and rotation are not sacrificed to fairness gained
elsewhere. A step that CP-SAT solves to optimality proves that no roster with this staffing
shares that burden more evenly.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model, cp_model_helper

from scheduler.solver.context import SCALE, ModelContext, evaluate
from scheduler.solver.fairness import exact_penalties
from scheduler.solver.search import Budget, configure
from scheduler.solver.stopping import NEVER, StopSignal, hint_solution, make_solver, set_domain

ORDER = ("fair_weekends", "fair_holidays", "fair_nights")
STEPS_SHARE = 0.6  # of the fairness budget for the burdens' steps; the last solve gets the rest
STEP_SHARE = 0.5  # of the steps' budget still left, at most, for each burden's step


@dataclass
class FairShare:
    """The roster after the fairness steps, each burden's penalty reached (penalty units) and
    whether it is proven minimal for the staffing."""

    values: list[int]
    proven: dict[str, bool] = field(default_factory=dict)
    penalties: dict[str, float] = field(default_factory=dict)


def fairness_steps(context: ModelContext) -> list[str]:
    """The fairness rules with a penalty term in the model, in the order they are shared."""
    present = {penalty.rule for penalty in context.penalties}
    return [rule for rule in ORDER if rule in present]


def keep_staffing(context: ModelContext, values: Sequence[int]) -> None:
    """Fix how many agents of each queue group work each shift on each day, as in `values`."""
    staffing: dict[tuple, list] = defaultdict(list)
    for (agent, day), found in context.occurrences.items():
        for occurrence in found:
            key = (context.group_of.get(agent), day, occurrence.shift.shift_id)
            staffing[key].append(occurrence.var)
    for literals in staffing.values():
        context.model.add(sum(literals) == sum(values[lit.index] for lit in literals))


def share_fairly(
    context: ModelContext, values: list[int], budget: Budget, stop: StopSignal = NEVER
) -> FairShare:
    """Lexicographic fairness steps from a shift-stage roster (the model is changed)."""
    model = context.model
    steps = fairness_steps(context)
    result = FairShare(values=values)
    if not steps:
        return result
    started = time.perf_counter()
    keep_staffing(context, values)
    # The search's terms took the squared mean by its tangent; with the staffing fixed the
    # exact product is cheap, so the steps minimise the variance itself.
    if context.fairness_tangents:
        exact_penalties(context, context.fairness_tangents)
        context.fairness_tangents.clear()
        values = settle_penalties(context, values, budget)
        if len(values) < len(model.proto.variables):
            return result  # the exact terms could not be settled in time: keep the roster
    allowance = _Allowance(budget.share(STEPS_SHARE))
    for rule in steps:
        # Each step may take half of what is left: a step that proves its minimum early
        # leaves the rest to the next ones.
        step_budget = allowance.left(STEP_SHARE)
        if stop.requested or step_budget is None:
            break
        penalty = sum(p.expr for p in context.penalties if p.rule == rule)
        model.minimize(penalty)
        solver, status = _solve_hinted(model, values, step_budget, stop)
        allowance.deterministic += solver.deterministic_time
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = list(solver.response_proto.solution)
        reached = evaluate(penalty, values)
        result.proven[rule] = status == cp_model.OPTIMAL and not stop.requested
        result.penalties[rule] = reached / SCALE
        model.add(penalty <= reached)
    # The steps minimised one penalty each, so the others' own variables may sit above the
    # values the roster implies: settle them, then let the whole objective restore wishes
    # and rotation under the caps in the time that is left.
    values = settle_penalties(context, values, budget)
    model.minimize(sum(p.expr for p in context.penalties))
    left = budget.seconds - (time.perf_counter() - started)
    if not stop.requested and left > 0.1:
        last = replace(budget.share(1 - STEPS_SHARE), seconds=left)
        values = _minimise(model, values, last, stop) or values
    result.values = values
    return result


def _solve_hinted(
    model: cp_model.CpModel, values: list[int], budget: Budget, stop: StopSignal = NEVER
) -> tuple[cp_model.CpSolver, int]:
    """Solve the model from `values` as a hint: the solver and its status."""
    solver = make_solver()
    configure(solver, budget)
    hint_solution(model, values)
    with stop.running(solver):
        status = solver.solve(model)
    model.proto.clear_solution_hint()
    return solver, status


def _minimise(
    model: cp_model.CpModel, values: list[int], budget: Budget, stop: StopSignal = NEVER
) -> list[int] | None:
    solver, status = _solve_hinted(model, values, budget, stop)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return list(solver.response_proto.solution)
    return None


def settle_penalties(context: ModelContext, values: list[int], budget: Budget) -> list[int]:
    """The same roster with every penalty variable at the least value the roster allows.

    Every variable outside the penalty expressions is kept, and so is every shift, so the
    solve is decided by presolve alone even on large teams."""
    kept = context.model.clone()
    in_penalties = {v.index for p in context.penalties for v in _variables(p.expr)}
    shifts = {o.var.index for o in context.all_occurrences()}
    for index, value in enumerate(values):
        if index in shifts or index not in in_penalties:
            set_domain(kept, index, [value, value])
    kept.minimize(sum(p.expr for p in context.penalties))
    settled = _minimise(kept, values, replace(budget, seconds=min(budget.seconds, 10.0)))
    return settled or values


def _variables(expr: cp_model.LinearExprT) -> list[cp_model.IntVar]:
    if isinstance(expr, int):
        return []
    return list(cp_model_helper.FlatIntExpr(expr).vars)


class _Allowance:
    """What is left of a budget as solves spend it: wall clock, and deterministic time."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.started = time.perf_counter()
        self.deterministic = 0.0

    def left(self, fraction: float = 1.0) -> Budget | None:
        """A part of what is left, or None when it is used up. Under a deterministic limit the
        clock stays a safety net only, as in Budget.share."""
        seconds = self.budget.seconds - (time.perf_counter() - self.started)
        if seconds < 0.05:
            return None
        if self.budget.deterministic is None:
            return replace(self.budget, seconds=seconds * fraction)
        deterministic = self.budget.deterministic - self.deterministic
        if deterministic < 0.01:
            return None
        return replace(self.budget, seconds=seconds, deterministic=deterministic * fraction)
