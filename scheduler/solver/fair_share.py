"""Share the burdens as evenly as the roster's staffing allows: lexicographic window steps.

After the shift stage has found its roster, the number of agents of each queue group on each
shift of each day is kept, so coverage (counted per group) cannot change. Then each burden's
spread (weekends, then holidays, then nights) is narrowed in turn and capped at the value
reached, and finally the whole objective is minimised again under those caps, so wishes and
rotation are not sacrificed to fairness gained elsewhere.

A spread is narrowed by asking, for the next smaller spread s, whether every agent's total can
lie in one window [L, L + s]. Each window turns into a hard lower and upper count of burden days
per agent, which CP-SAT's linear relaxation refutes in well under a second where a min-max
objective leaves it searching for minutes (docs/DESIGN.md). When every window of the next
smaller spread is refuted, no roster with this staffing shares the burden more evenly.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model, cp_model_helper

from scheduler.solver.context import SCALE, BurdenLoad, ModelContext
from scheduler.solver.fairness import spread_coefficient
from scheduler.solver.search import Budget, configure
from scheduler.solver.stopping import NEVER, StopSignal, hint_solution, make_solver, set_domain

ORDER = ("fair_weekends", "fair_holidays", "fair_nights")
STEPS_SHARE = 0.6  # of the fairness budget for the burdens' steps; the last solve gets the rest
STEP_SHARE = 0.5  # of the steps' budget still left, at most, for each burden's step

# A window: the least and most burden literals each agent may have, in agent order.
Window = tuple[tuple[int, int], ...]


@dataclass
class FairShare:
    """The roster after the fairness steps, and which spreads are proven minimal."""

    values: list[int]
    proven: dict[str, bool] = field(default_factory=dict)
    spreads: dict[str, float] = field(default_factory=dict)


@dataclass
class Narrowed:
    """A burden's spread after narrowing, in hundredths per FTE."""

    values: list[int]
    spread: int
    proven: bool
    deterministic_time: float = 0.0


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
    allowance = _Allowance(budget.share(STEPS_SHARE))
    for rule in steps:
        # Each step may take half of what is left: a step that proves its spread early
        # leaves the rest to the next ones.
        step_budget = allowance.left(STEP_SHARE)
        if stop.requested or step_budget is None:
            break
        narrowed = narrow_spread(model, context.fairness_loads[rule], values, step_budget, stop)
        allowance.deterministic += narrowed.deterministic_time
        values = narrowed.values
        result.proven[rule] = narrowed.proven
        result.spreads[rule] = spread_penalty(context, rule, narrowed.spread)
        penalty = sum(p.expr for p in context.penalties if p.rule == rule)
        # The penalty's min and max variables bound every load, so this caps the spread.
        model.add(penalty <= _coefficient(context, rule) * narrowed.spread)
    # The window solves had no objective, so the penalties' own variables may sit above the
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


def spread_penalty(context: ModelContext, rule: str, spread: int) -> float:
    """The penalty of a burden's spread given in hundredths per FTE."""
    return _coefficient(context, rule) * spread / SCALE


def _coefficient(context: ModelContext, rule: str) -> int:
    return spread_coefficient(getattr(context.rules, rule))


def _minimise(
    model: cp_model.CpModel, values: list[int], budget: Budget, stop: StopSignal = NEVER
) -> list[int] | None:
    solver = make_solver()
    configure(solver, budget)
    hint_solution(model, values)
    with stop.running(solver):
        status = solver.solve(model)
    model.proto.clear_solution_hint()
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


def narrow_spread(
    model: cp_model.CpModel,
    loads: Mapping[int, BurdenLoad],
    values: list[int],
    budget: Budget,
    stop: StopSignal = NEVER,
) -> Narrowed:
    """Narrow the spread of the loads from a solution of the model, as far as the budget
    allows; `proven` when no solution of the model has a smaller spread."""
    ordered = [loads[agent] for agent in sorted(loads)]
    spread = _spread(loads, values)
    candidates = candidate_spreads(loads.values())
    allowance = _Allowance(budget)

    def narrowed(proven: bool) -> Narrowed:
        return Narrowed(values, spread, proven, allowance.deterministic)

    while not stop.requested:
        smaller = [s for s in candidates if s < spread]
        if not smaller:
            return narrowed(proven=True)
        refuted = True
        for window in spread_windows(ordered, smaller[-1]):
            remaining = allowance.left()
            if remaining is None:
                return narrowed(proven=False)
            trial = _within_window(model, ordered, window)
            hint_solution(trial, values)
            solver = _window_solver(remaining)
            with stop.running(solver):
                status = solver.solve(trial)
            allowance.deterministic += solver.deterministic_time
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                values = list(solver.response_proto.solution)
                spread = _spread(loads, values)
                refuted = False
                break
            if status != cp_model.INFEASIBLE:
                return narrowed(proven=False)
        if refuted:
            return narrowed(proven=not stop.requested)
    return narrowed(proven=False)


def candidate_spreads(loads: Iterable[BurdenLoad]) -> list[int]:
    """Every spread the agents' reachable totals allow, smallest first."""
    totals = sorted({total for load in loads for total in load.totals()})
    return sorted({high - low for i, low in enumerate(totals) for high in totals[i:]})


def spread_windows(loads: Sequence[BurdenLoad], spread: int) -> list[Window]:
    """The ways every total can lie within `spread` of each other: per window [L, L + spread],
    each agent's least and most burden literals. Windows contained in another are dropped
    (refuting the larger refutes them), and none is returned when the history alone makes
    the spread impossible."""
    reachable = [load.totals() for load in loads]
    found: set[Window] = set()
    for low in sorted({total for totals in reachable for total in totals}):
        window = []
        for totals in reachable:
            counts = [n for n, total in enumerate(totals) if low <= total <= low + spread]
            if not counts:
                break
            window.append((counts[0], counts[-1]))
        else:
            found.add(tuple(window))
    return sorted(w for w in found if not any(other != w and _within(w, other) for other in found))


def _within_window(model: cp_model.CpModel, loads: Sequence[BurdenLoad], window: Window):
    """A copy of the model, without objective, where each agent's count lies in the window."""
    trial = model.clone()
    trial.clear_objective()
    for load, (least, most) in zip(loads, window):
        if load.literals:
            count = sum(trial.get_bool_var_from_proto_index(lit.index) for lit in load.literals)
            trial.add_linear_constraint(count, least, most)
    return trial


def _within(inner: Window, outer: Window) -> bool:
    return all(o_lo <= i_lo and i_hi <= o_hi for (i_lo, i_hi), (o_lo, o_hi) in zip(inner, outer))


def _spread(loads: Mapping[int, BurdenLoad], values: Sequence[int]) -> int:
    totals = [load.value(values) for load in loads.values()]
    return max(totals) - min(totals)


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


def _window_solver(budget: Budget) -> cp_model.CpSolver:
    """A solver that leads with CP-SAT's strongest linear relaxation: the windows and the fixed
    staffing are linear, and the relaxation refutes a window at the root where search cannot."""
    solver = make_solver()
    # A reproducible run uses one worker here: CP-SAT 9.15 can abort on interleaved workers
    # when presolve leaves a window with nothing to search.
    configure(solver, budget, workers=1 if budget.deterministic is not None else None)
    if solver.parameters.num_workers == 1:
        solver.parameters.linearization_level = 2
    else:
        solver.parameters.subsolvers.append("max_lp")
    return solver
