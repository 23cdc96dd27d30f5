"""Large neighbourhood search over a built model: free a part of the roster, fix the rest,
re-solve the part with CP-SAT, keep what improves.

Neighbourhoods follow the roster's structure, which CP-SAT's generic ones do not know: a few
agents over several days (swaps between agents), many agents over a few days (moves within
days), and agents who take the same queues over a few days. Auxiliary variables (break counts,
queue flows, coverage gaps) that no freed shift can change are fixed too, so each part is small.
Its size grows while parts solve to optimality and shrinks when they time out.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.solver.context import ModelContext
from scheduler.solver.stopping import NEVER, StopSignal, hint_solution, make_solver, set_domain


@dataclass
class Incumbent:
    """A full solution (every variable's value) and its objective."""

    values: list[int]
    objective: float


class SharedIncumbent:
    """The best solution and bound found by any search thread."""

    def __init__(self, report: Callable[[float, float | None], None] | None = None) -> None:
        self._lock = threading.Lock()
        self.best: Incumbent | None = None
        self.bound = float("-inf")
        self.report = report

    def offer(self, values: list[int], objective: float) -> bool:
        with self._lock:
            if self.best is not None and objective >= self.best.objective:
                return False
            self.best = Incumbent(values, objective)
        if self.report:
            self.report(objective, self.bound)
        return True

    def raise_bound(self, bound: float) -> None:
        with self._lock:
            self.bound = max(self.bound, bound)


@dataclass
class LnsSettings:
    """Limits of one LNS run; deterministic limits make a run reproducible."""

    workers: int
    seed: int
    deadline: float
    deterministic_budget: float | None = None
    part_seconds: float = 1.0
    part_deterministic: float = 0.5
    linearization: int = 2


class ShiftNeighbourhoods:
    """Which agents and days to free in each move."""

    def __init__(self, context: ModelContext, groups: list[list[int]], rng: random.Random):
        self.context = context
        self.rng = rng
        self.groups = [g for g in groups if len(g) > 1]
        self.agents = list(range(len(context.agents)))
        self.days = context.horizon.days
        self.size = 0.2  # share of the agents freed, adapted as parts solve or time out
        self.width = min(3, self.days)  # days freed

    def pick(self, values: list[int] | None = None) -> tuple[list[int], range]:
        kinds = ["agents", "days"] + (["group"] if self.groups else [])
        if values is not None and self.context.fairness_loads:
            kinds.append("extremes")
        kind = self.rng.choice(kinds)
        if kind == "extremes":
            return self._extremes(values), range(self.days)
        width = self.width if kind != "agents" else min(self.days, self.width + 2)
        first = self.rng.randrange(0, self.days - width + 1)
        days = range(first, first + width)
        if kind == "group":
            group = self.rng.choice(self.groups)
            count = max(2, round(len(group) * min(1.0, self.size * 2)))
            return self.rng.sample(group, min(count, len(group))), days
        share = self.size if kind == "days" else self.size / 2
        count = max(2, round(len(self.agents) * share))
        return self.rng.sample(self.agents, min(count, len(self.agents))), days

    def _extremes(self, values: list[int]) -> list[int]:
        """The most and least loaded agents of one fairness measure, and a few others: the
        moves that lower a variance take load from one end to the other."""
        rule = self.rng.choice(sorted(self.context.fairness_loads))
        loads = self.context.fairness_loads[rule]
        ranked = sorted(loads, key=lambda agent: (loads[agent].value(values), agent))
        ends = max(1, round(len(ranked) * self.size / 4))
        chosen = set(ranked[:ends] + ranked[-ends:])
        others = [a for a in self.agents if a not in chosen]
        extra = min(len(others), max(2, round(len(self.agents) * self.size / 4)))
        chosen.update(self.rng.sample(others, extra))
        return sorted(chosen)

    def free_occurrences(self, agents: list[int], days: range) -> set[int]:
        return {
            o.var.index for a in agents for d in days for o in self.context.day_occurrences(a, d)
        }

    def succeeded(self, optimal: bool) -> None:
        if optimal:
            self.size = min(1.0, self.size * 1.2)
        else:
            self.size = max(0.05, self.size * 0.8)


def improve(
    context: ModelContext,
    shared: SharedIncumbent,
    neighbourhoods: ShiftNeighbourhoods,
    settings: LnsSettings,
    should_stop: Callable[[], bool] = lambda: False,
    stop: StopSignal = NEVER,
) -> None:
    """Run LNS moves from the shared best solution until the deadline or budget is spent,
    or until should_stop() says so; `stop` interrupts a move under way."""
    model = context.model
    proto = model.proto
    spent = 0.0
    iteration = 0
    while shared.best is not None:
        if time.perf_counter() >= settings.deadline or should_stop():
            break
        if settings.deterministic_budget is not None and spent >= settings.deterministic_budget:
            break
        iteration += 1
        incumbent = shared.best
        agents, days = neighbourhoods.pick(incumbent.values)
        free = neighbourhoods.free_occurrences(agents, days)
        to_fix = [o.var.index for o in context.all_occurrences() if o.var.index not in free]
        to_fix += _untouched_auxiliaries(context, agents, days)
        saved = []
        for index in to_fix:
            value = incumbent.values[index]
            saved.append((index, set_domain(model, index, [value, value])))
        hint_solution(model, incumbent.values)
        solver = make_solver()
        params = solver.parameters
        params.num_workers = settings.workers
        params.random_seed = settings.seed + iteration
        params.linearization_level = settings.linearization
        remaining = settings.deadline - time.perf_counter()
        params.max_time_in_seconds = max(0.05, min(settings.part_seconds, remaining))
        if settings.deterministic_budget is not None:
            params.max_time_in_seconds = max(0.05, remaining)
            params.max_deterministic_time = settings.part_deterministic
            params.interleave_search = settings.workers > 1
        with stop.running(solver):
            status = solver.solve(model)
        spent += solver.deterministic_time
        for index, original in saved:
            set_domain(model, index, original)
        proto.clear_solution_hint()
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            neighbourhoods.succeeded(False)
            continue
        neighbourhoods.succeeded(status == cp_model.OPTIMAL)
        if solver.objective_value < incumbent.objective:
            shared.offer(list(solver.response_proto.solution), solver.objective_value)


def _untouched_auxiliaries(context: ModelContext, agents: list[int], days: range) -> list[int]:
    """Indexes of scoped auxiliaries no freed shift can change."""
    groups = {context.group_of.get(a) for a in agents}
    # A freed night runs into the next morning: that day's coverage must stay free too.
    coverage_days = set(days) | {d + 1 for d in days}
    found = []
    for (group, day), variables in context.scoped.items():
        free = day in coverage_days if group is None else (group in groups and day in days)
        if not free:
            found.extend(v.index for v in variables)
    return found
