"""The lexicographic fairness steps: from an unfair roster to the proven least weekend variance
the staffing allows; and the penalty variables settled to what the roster implies."""

from __future__ import annotations

from collections import Counter

import pytest
from builders import agent, make_instance, shift

from scheduler.audit import audit
from scheduler.solver.assemble import build
from scheduler.solver.context import SCALE, evaluate
from scheduler.solver.driver import extract_roster
from scheduler.solver.fair_share import settle_penalties, share_fairly
from scheduler.solver.search import Budget
from scheduler.solver.stopping import make_solver

SATURDAY, SUNDAY = 5, 6


def weekend_team():
    """Six full-time agents, two needed on each day of the week, weekends worked before
    0, 0, 1, 2, 4, 6."""
    histories = [0, 0, 1, 2, 4, 6]
    agents = [agent(f"A{i}", hist_weekends=h) for i, h in enumerate(histories)]
    return make_instance(
        agents,
        [shift("D", "08:00", 480)],
        days=7,
        rules={"min_hours_week": 0, "max_days_week": 5, "weight_under": 1000},
        shift_demand=[(day, "D", 2) for day in range(7)],
    )


def unfair_roster(context):
    """A roster meeting demand exactly where the two agents with most weekends work both
    weekend days and the rest none."""
    trial = context.model.clone()
    trial.clear_objective()
    for day in range(7):
        trial.add(sum(context.works_on(a, day) for a in range(6)) == 2)
    for a in range(6):
        for day in (SATURDAY, SUNDAY):
            trial.add(context.works_on(a, day) == (1 if a >= 4 else 0))
    solver = make_solver()
    solver.parameters.num_workers = 1
    assert solver.solve(trial) in (2, 4)  # FEASIBLE or OPTIMAL
    return list(solver.response_proto.solution)


def staffing(roster):
    return Counter((a.date, a.shift_id) for a in roster.assignments)


# Four weekend shifts among histories 0, 0, 1, 2, 4, 6 (at most two each): the least variance
# lifts the two 0s to 2 (or one 0 to 2, the other to 1 and the 1 to 2): totals 2, 2, 1, 2, 4, 6
# or 2, 1, 2, 2, 4, 6, mean 17/6, variance 65/6 - (17/6)^2 = 2.806, 20 x that = 56.11.
LEAST_WEEKENDS = 20 * (65 / 6 - (17 / 6) ** 2)
# The unfair start gives both weekend days to the 4 and the 6: sum of squares 105.
UNFAIR_WEEKENDS = 20 * (105 / 6 - (17 / 6) ** 2)


@pytest.mark.parametrize("workers", [1, 2])
def test_share_fairly_reaches_and_proves_the_least_weekend_variance(workers):
    instance = weekend_team()
    context = build(instance, stage="shifts")
    start = unfair_roster(context)
    before = extract_roster(context, lambda var: bool(start[var.index]))
    shared = share_fairly(
        context, start, Budget(seconds=60, deterministic=5.0, workers=workers, seed=0)
    )
    after = extract_roster(context, lambda var: bool(shared.values[var.index]))
    assert audit(instance, before).penalties()["fair_weekends"] == pytest.approx(UNFAIR_WEEKENDS)
    report = audit(instance, after)
    assert not report.hard, [str(v) for v in report.hard]
    assert report.penalties()["fair_weekends"] == pytest.approx(LEAST_WEEKENDS)
    assert shared.penalties["fair_weekends"] == pytest.approx(LEAST_WEEKENDS, abs=0.01)
    assert shared.proven["fair_weekends"]
    assert staffing(after) == staffing(before)
    weekend = [p.expr for p in context.penalties if p.rule == "fair_weekends"]
    solver_penalty = sum(evaluate(e, shared.values) for e in weekend) / SCALE
    assert solver_penalty == pytest.approx(LEAST_WEEKENDS, abs=0.01)


def test_settling_brings_penalty_variables_down_to_what_the_roster_implies():
    instance = weekend_team()
    context = build(instance, stage="shifts")
    start = unfair_roster(context)
    objective = sum(p.expr for p in context.penalties)
    # The least objective with these shifts, from a solve where everything else is free.
    fixed = context.model.clone()
    for occurrence in context.all_occurrences():
        index = occurrence.var.index
        fixed.add(fixed.get_bool_var_from_proto_index(index) == start[index])
    fixed.minimize(objective)
    solver = make_solver()
    solver.parameters.num_workers = 1
    assert solver.solve(fixed) == 4  # OPTIMAL
    least = round(solver.objective_value)
    # A solve without objective leaves penalty variables anywhere that bounds the roster:
    # push the total up on purpose.
    fixed.clear_objective()
    fixed.add(objective >= least + 50 * SCALE)
    assert solver.solve(fixed) in (2, 4)
    loose = list(solver.response_proto.solution)
    settled = settle_penalties(
        context, loose, Budget(seconds=30, deterministic=2.0, workers=1, seed=0)
    )
    assert evaluate(objective, settled) == least
    kept = extract_roster(context, lambda var: bool(settled[var.index]))
    assert kept == extract_roster(context, lambda var: bool(start[var.index]))
