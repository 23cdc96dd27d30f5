"""Explain why the hard rules cannot all hold: a small set of rules, agents and dates.

The model is rebuilt with every hard constraint under a guard literal keyed by its rule, agent and
dates. CP-SAT reports guards that are sufficient for infeasibility; a deletion pass then drops
every guard the conflict does not need, so what remains names only the rules involved.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from ortools.sat.python import cp_model

from scheduler.errors import Conflict
from scheduler.model import Instance
from scheduler.solver.assemble import build
from scheduler.solver.changes import Keep
from scheduler.solver.context import GuardKey, ModelContext
from scheduler.solver.stopping import make_solver


class _CoreSearch:
    """Re-solves the guarded model under chosen guards and remembers the last core found."""

    def __init__(self, context: ModelContext, deadline: float) -> None:
        self.context = context
        self.deadline = deadline
        self.literals = {lit.index: lit for lit in context.guards.values()}
        self.core: list[int] = []

    def infeasible(self, indexes: list[int]) -> bool | None:
        """True when these guards cannot all hold, False when they can, None when unknown."""
        model = self.context.model
        model.clear_assumptions()
        model.add_assumptions([self.literals[i] for i in indexes])
        solver = make_solver()
        # Assumption cores are only reliable with one worker and without presolve.
        solver.parameters.num_workers = 1
        solver.parameters.cp_model_presolve = False
        solver.parameters.max_time_in_seconds = max(1.0, self.deadline - time.perf_counter())
        status = solver.solve(model)
        if status == cp_model.INFEASIBLE:
            found = [i for i in solver.sufficient_assumptions_for_infeasibility() if i in indexes]
            self.core = sorted(found) if found else sorted(indexes)
            return True
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        return None


def explain_infeasibility(
    instance: Instance,
    relaxed: Iterable[str] = (),
    time_limit: float = 60.0,
    keep: Keep | None = None,
) -> tuple[list[Conflict], str]:
    """The conflicting rules (with agent and dates), and a note when they cannot be named.

    With `keep` (a re-roster) the shifts kept as published take part as rule "published"."""
    context = build(instance, relaxed=relaxed, diagnose=True, keep=keep)
    keys: dict[int, GuardKey] = {lit.index: key for key, lit in context.guards.items()}
    search = _CoreSearch(context, time.perf_counter() + time_limit)
    outcome = search.infeasible(sorted(keys))
    if outcome is None:
        return [], "The conflict could not be narrowed down to named rules within the time allowed."
    if outcome is False:
        return [], "The rules hold for each agent alone; the conflict involves the whole team."
    core = search.core
    for index in list(core):
        if time.perf_counter() > search.deadline:
            break
        trial = [i for i in core if i != index]
        if trial and search.infeasible(trial) is True:
            core = search.core
    conflicts = {_conflict(context, keys[i]) for i in core}
    return sorted(conflicts, key=lambda c: (c.agent_id, c.dates, c.rule)), ""


def _conflict(context: ModelContext, key: GuardKey) -> Conflict:
    dates = tuple(context.horizon.dates[d].isoformat() for d in key.days)
    if len(dates) > 2:
        dates = (f"{dates[0]} to {dates[-1]}",)
    return Conflict(rule=key.rule, agent_id=key.agent, dates=dates, detail=key.detail)
