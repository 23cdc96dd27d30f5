"""The lexicographic fairness steps: windows of per-agent totals, and narrowing a spread from an
unfair roster to the proven least value the staffing allows."""

from __future__ import annotations

from collections import Counter

import pytest
from builders import agent, make_instance, shift

from scheduler.audit import audit
from scheduler.solver.assemble import build
from scheduler.solver.context import SCALE, BurdenLoad, evaluate
from scheduler.solver.driver import extract_roster
from scheduler.solver.fair_share import (
    candidate_spreads,
    settle_penalties,
    share_fairly,
    spread_windows,
)
from scheduler.solver.search import Budget
from scheduler.solver.stopping import make_solver


def load(history: int, step: int, count: int) -> BurdenLoad:
    """A load whose literals are only counted, never solved."""
    return BurdenLoad(history=history, step=step, literals=tuple(range(count)))  # type: ignore[arg-type]


def test_windows_pin_each_agent_between_its_least_and_most_burden_days():
    # totals reachable: A 300/400/500, B 900/1000/1100, C 400/600/800 (a half-time agent)
    loads = [load(300, 100, 2), load(900, 100, 2), load(400, 200, 2)]
    # within 400 of each other only as [500, 900]: A works both days, B none, C one or two
    assert spread_windows(loads, 400) == [((2, 2), (0, 0), (1, 2))]
    # A reaches at most 500 and B has at least 900: history alone rules out a spread of 300
    assert spread_windows(loads, 300) == []
    assert 400 in candidate_spreads(loads)
    assert candidate_spreads(loads)[0] == 0


def test_windows_inside_another_are_dropped():
    # A reaches 0/100/200, B has 150 whatever happens: [0, 200] holds every other window
    loads = [load(0, 100, 2), load(150, 0, 0)]
    assert spread_windows(loads, 200) == [((0, 2), (0, 0))]


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


@pytest.mark.parametrize("workers", [1, 2])
def test_share_fairly_reaches_and_proves_the_least_weekend_spread(workers):
    instance = weekend_team()
    context = build(instance, stage="shifts")
    start = unfair_roster(context)
    before = extract_roster(context, lambda var: bool(start[var.index]))
    shared = share_fairly(
        context, start, Budget(seconds=60, deterministic=5.0, workers=workers, seed=0)
    )
    after = extract_roster(context, lambda var: bool(shared.values[var.index]))
    # Four weekend shifts among totals 0, 0, 1, 2, 4, 6: the 6 stays, and lifting the 0, 0
    # and 1 all to 2 would take five, so someone stays at 1 or below: least spread 5 days
    # (20 x 5 = 100); the unfair start had 4 + 2, 6 + 2 against 0: 160.
    assert audit(instance, before).penalties()["fair_weekends"] == pytest.approx(160)
    report = audit(instance, after)
    assert not report.hard, [str(v) for v in report.hard]
    assert report.penalties()["fair_weekends"] == pytest.approx(100)
    assert shared.spreads["fair_weekends"] == pytest.approx(100)
    assert shared.proven["fair_weekends"]
    assert staffing(after) == staffing(before)
    weekend = [p.expr for p in context.penalties if p.rule == "fair_weekends"]
    assert sum(evaluate(e, shared.values) for e in weekend) / SCALE == pytest.approx(100)


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
