"""Running CP-SAT on a built model: limits, progress, and the search portfolio.

With two or more workers and a wall-clock limit, two searches share the cores: CP-SAT on the
whole model (its LP-guided dives find strong rosters and its LP gives the bound) and the
structured LNS of scheduler.solver.lns, which starts from the first roster found and adopts any
better one either search finds. Under a deterministic limit the same steps run one after the other
with deterministic budgets, so a run can be reproduced exactly.
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from scheduler.solver.activities import usable_queues
from scheduler.solver.context import SCALE, ModelContext
from scheduler.solver.lns import LnsSettings, SharedIncumbent, ShiftNeighbourhoods, improve
from scheduler.solver.stopping import NEVER, StopSignal, hint_solution, make_solver, set_domain

FIRST_ROSTER_SHARE = 0.25  # of a deterministic budget spent on the first full solve
FIRST_ROSTER_SECONDS = 10.0  # at most, for the quick first roster before the LP search starts


@dataclass(frozen=True)
class Progress:
    """A report from a running search (objective and bound in penalty units)."""

    stage: str
    elapsed: float
    objective: float | None
    bound: float | None
    # the head-count plan's share of demand covered, and the proven most any roster covers
    coverage: float | None = None
    coverage_bound: float | None = None


@dataclass
class Budget:
    """Wall-clock and deterministic limits, shared out between stages."""

    seconds: float
    deterministic: float | None
    workers: int
    seed: int
    log: bool = False
    first_only: bool = False  # stop at the first roster (finishing after an interruption)

    def share(self, fraction: float) -> Budget:
        """A part of the budget. Under a deterministic limit the clock is only a safety net
        (a part that ran into it would end differently on a busier machine), so it is kept."""
        if self.deterministic is not None:
            return replace(self, deterministic=self.deterministic * fraction)
        return replace(self, seconds=self.seconds * fraction)


@dataclass
class Outcome:
    """What a search found: the best full solution, the bound, and whether it is optimal."""

    values: list[int] | None
    objective: float
    bound: float
    optimal: bool
    status: int
    first_solution: float | None

    def value(self, var: cp_model.IntVar) -> bool:
        assert self.values is not None
        return bool(self.values[var.index])


def configure(solver: cp_model.CpSolver, budget: Budget, workers: int | None = None) -> None:
    params = solver.parameters
    params.max_time_in_seconds = max(budget.seconds, 0.05)
    params.num_workers = workers or budget.workers
    params.random_seed = budget.seed
    if budget.deterministic is not None:
        params.max_deterministic_time = max(budget.deterministic, 0.01)
        # Parallel workers only reproduce a run when they take turns.
        params.interleave_search = params.num_workers > 1
    params.log_search_progress = budget.log
    if budget.first_only:
        params.stop_after_first_solution = True
        params.linearization_level = 0


def solve_fixed(
    model: cp_model.CpModel, fixed, budget: Budget, stop: StopSignal = NEVER
) -> tuple[cp_model.CpSolver, int]:
    """Solve the model with the (variable index, value) pairs of `fixed` held at their values;
    the model's domains are restored afterwards. Returns the solver and its status."""
    saved = [(index, set_domain(model, index, [value, value])) for index, value in fixed]
    try:
        solver = make_solver()
        configure(solver, budget)
        with stop.running(solver):
            status = solver.solve(model)
    finally:
        for index, domain in saved:
            set_domain(model, index, domain)
    return solver, status


class _Publisher(cp_model.CpSolverSolutionCallback):
    """Hands every improving solution of a full solve to the shared incumbent."""

    def __init__(self, shared: SharedIncumbent, clock: Callable[[], float]) -> None:
        super().__init__()
        self.shared = shared
        self.clock = clock
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = self.clock()
        self.shared.raise_bound(self.best_objective_bound)
        self.shared.offer(list(self.response_proto.solution), self.objective_value)


def search(
    context: ModelContext,
    budget: Budget,
    stage: str,
    report: Callable[[Progress], None] | None = None,
    use_lns: bool = True,
    stop: StopSignal = NEVER,
    initial: tuple[list[int], float] | None = None,
) -> Outcome:
    """Find the best roster for a built model within the budget, or until stopped.

    `initial` is a full solution (one value per variable) and its objective to start from, in
    place of the search's own quick first roster.
    """
    started = time.perf_counter()

    def clock() -> float:
        return time.perf_counter() - started

    def relay(objective: float, bound: float | None) -> None:
        if report:
            shown = None if bound is None or bound == float("-inf") else bound / SCALE
            report(Progress(stage, clock(), objective / SCALE, shown))

    shared = SharedIncumbent(relay)
    publisher = _Publisher(shared, clock)
    if initial is not None:
        publisher.first = 0.0
        shared.offer(list(initial[0]), initial[1])
    parallel = use_lns and budget.deterministic is None and budget.workers >= 2
    if parallel:
        return _side_by_side(context, budget, shared, publisher, stop, started)
    return _one_after_the_other(context, budget, shared, publisher, use_lns, stop)


def _first_roster(context: ModelContext, budget: Budget, stop: StopSignal, workers: int = 1):
    """A first roster without the LP: it comes in about a second even on large models."""
    quick = make_solver()
    configure(quick, budget, workers=workers)
    quick.parameters.stop_after_first_solution = True
    quick.parameters.linearization_level = 0
    with stop.running(quick):
        status = quick.solve(context.model)
    return quick, status


def _side_by_side(context, budget, shared, publisher, stop, started) -> Outcome:
    """CP-SAT on the whole model in a background thread, the LNS in this one."""
    full_model = context.model.clone()
    solver = make_solver()
    configure(solver, budget, workers=budget.workers - 1)
    if budget.workers - 1 == 1:
        solver.parameters.subsolvers.append("max_lp")
    solver.best_bound_callback = shared.raise_bound
    outcome: dict[str, int] = {}
    finished = threading.Event()

    def full_solve() -> None:
        with stop.running(solver):
            outcome["status"] = solver.solve(full_model, publisher)
        finished.set()

    status = cp_model.FEASIBLE  # when started from a given roster
    if shared.best is None:
        # The first roster uses every worker: CP-SAT's portfolio (feasibility jump, several
        # strategies) finds one in about a second where any single strategy can take minutes on
        # tightly constrained teams (docs/BENCHMARKS.md).
        quick, status = _first_roster(
            context, replace(budget, seconds=min(budget.seconds, FIRST_ROSTER_SECONDS)), stop,
            workers=budget.workers,
        )  # fmt: skip
        if status == cp_model.INFEASIBLE:
            return _outcome(shared, status, status, None)
        if status == cp_model.OPTIMAL:
            shared.offer(list(quick.response_proto.solution), quick.objective_value)
            shared.raise_bound(quick.best_objective_bound)
            return _outcome(shared, status, status, publisher.clock())
        if status == cp_model.FEASIBLE:
            publisher.first = publisher.clock()
            shared.offer(list(quick.response_proto.solution), quick.objective_value)
    if shared.best is not None:  # the LP search starts from it too
        hint_solution(full_model, shared.best.values)
    solver.parameters.max_time_in_seconds = max(budget.seconds - publisher.clock(), 0.1)
    thread = threading.Thread(target=full_solve, daemon=True)
    thread.start()
    if status != cp_model.FEASIBLE:
        while (
            shared.best is None
            and not finished.wait(0.1)
            and not stop.requested
            and publisher.clock() < budget.seconds
        ):
            pass
    settings = LnsSettings(workers=1, seed=budget.seed, deadline=started + budget.seconds)
    improve(
        context,
        shared,
        _neighbourhoods(context, budget.seed),
        settings,
        lambda: finished.is_set() or stop.requested,
        stop,
    )
    solver.stop_search()
    thread.join()
    full_status = outcome.get("status", cp_model.UNKNOWN)
    if shared.best is not None:
        shared.raise_bound(solver.best_objective_bound)
    return _outcome(shared, full_status, status, publisher.first)


def _one_after_the_other(context, budget, shared, publisher, use_lns, stop) -> Outcome:
    """A quick first roster, a full solve, then LNS moves: reproducible under a deterministic
    budget, since every step is limited by deterministic time."""
    started = time.perf_counter()
    spent = 0.0
    if use_lns and shared.best is None:
        quick, status = _first_roster(context, budget, stop)
        spent = quick.deterministic_time
        if status == cp_model.INFEASIBLE:
            return _outcome(shared, status, status, None)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            publisher.first = time.perf_counter() - started
            shared.offer(list(quick.response_proto.solution), quick.objective_value)
    full = budget.share(FIRST_ROSTER_SHARE) if use_lns else budget
    if full.deterministic is not None:
        full.deterministic = max(full.deterministic - spent, 0.01)
    full.seconds = max(min(full.seconds, budget.seconds - (time.perf_counter() - started)), 0.05)
    solver = make_solver()
    configure(solver, full)
    if shared.best is not None:
        hint_solution(context.model, shared.best.values)
    with stop.running(solver):
        status = solver.solve(context.model, publisher)
    context.model.proto.clear_solution_hint()
    spent += solver.deterministic_time
    shared.raise_bound(solver.best_objective_bound)
    if status == cp_model.INFEASIBLE:
        return _outcome(shared, status, status, publisher.first)
    if use_lns and status != cp_model.OPTIMAL and shared.best is not None and not stop.requested:
        deterministic = None
        if budget.deterministic is not None:
            deterministic = max(budget.deterministic - spent, 0.0)
        settings = LnsSettings(
            workers=budget.workers,
            seed=budget.seed,
            deadline=started + budget.seconds,
            deterministic_budget=deterministic,
        )
        improve(
            context,
            shared,
            _neighbourhoods(context, budget.seed),
            settings,
            lambda: stop.requested,
            stop,
        )
    full_status = status if status == cp_model.OPTIMAL else cp_model.FEASIBLE
    return _outcome(shared, full_status, status, publisher.first)


def _neighbourhoods(context: ModelContext, seed: int) -> ShiftNeighbourhoods:
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for agent in range(len(context.agents)):
        groups[tuple(usable_queues(context, agent))].append(agent)
    return ShiftNeighbourhoods(context, list(groups.values()), random.Random(seed))


def _outcome(shared: SharedIncumbent, full_status: int, status: int, first) -> Outcome:
    best = shared.best
    if best is None:
        worst = full_status if full_status == cp_model.INFEASIBLE else status
        return Outcome(None, 0.0, shared.bound, False, worst, first)
    optimal = full_status == cp_model.OPTIMAL or best.objective <= shared.bound + 1e-9
    return Outcome(
        values=best.values,
        objective=best.objective,
        bound=min(shared.bound, best.objective),
        optimal=optimal,
        status=cp_model.OPTIMAL if optimal else cp_model.FEASIBLE,
        first_solution=first,
    )
