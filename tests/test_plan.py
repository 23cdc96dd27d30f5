"""The head-count plan: its coverage bound holds for every roster, it binds where the team or
its history runs short, and the solve it starts is audited clean."""

import datetime as dt

import pytest
from builders import MONDAY, agent, make_instance, need, shift, solve_and_audit

from scheduler.generate import GeneratorSpec, generate
from scheduler.solver.assemble import build, unworkable_shifts
from scheduler.solver.coverage import demand_by_slot
from scheduler.solver.plan import plan_headcount

# Whole weeks (a shorter horizon scales the weekly hours down below one shift) and eight-hour
# shifts without breaks: no cap on continuous phone time, no weekly minimum.
FREE = {"max_continuous_phone_minutes": 1440, "min_hours_week": 0}
WEEK = 7


def _plan(instance, seconds: float = 10.0):
    context = build(instance, stage="shifts", unworkable=unworkable_shifts(instance))
    return plan_headcount(context, demand_by_slot(context), seconds, integer=True)


def test_a_team_too_small_for_the_demand_is_bounded_below_full_coverage():
    # Two agents on eight-hour days against three needed all day: at most 2/3 covered.
    instance = make_instance([agent("A1"), agent("A2")], [shift("D", "08:00", 480)], days=WEEK,
                             need=need((0, "08:00", "16:00", 3)), rules=FREE)  # fmt: skip
    plan = _plan(instance)
    assert plan.coverage_bound == pytest.approx(2 / 3)
    assert plan.planned_coverage == pytest.approx(2 / 3)
    assert plan.workers[(0, 0, "D")] == 2


def test_history_that_forbids_the_first_morning_lowers_the_bound():
    # A1 ended a shift at 23:00 the evening before: with 11 h of rest, the 08:00 shift of the
    # first day is out of reach, so only A2 can cover it.
    late = dt.datetime.combine(MONDAY - dt.timedelta(days=1), dt.time(23, 0))
    team = [agent("A1", last_shift_end=late), agent("A2")]
    instance = make_instance(team, [shift("D", "08:00", 480)], days=WEEK,
                             need=need((0, "08:00", "16:00", 2)), rules=FREE)  # fmt: skip
    assert _plan(instance).coverage_bound == pytest.approx(0.5)
    rested = make_instance([agent("A1"), agent("A2")], [shift("D", "08:00", 480)], days=WEEK,
                           need=need((0, "08:00", "16:00", 2)), rules=FREE)  # fmt: skip
    assert _plan(rested).coverage_bound == pytest.approx(1.0)


def test_a_run_of_days_at_its_cap_before_the_horizon_keeps_the_first_day_off():
    team = [agent("A1", consecutive_days_before=6), agent("A2")]
    instance = make_instance(team, [shift("D", "08:00", 480)], days=WEEK,
                             need=need((0, "08:00", "16:00", 2), (1, "08:00", "16:00", 2)),
                             rules={"max_consecutive_days": 6, **FREE})  # fmt: skip
    assert _plan(instance).coverage_bound == pytest.approx(0.75)


def test_whole_shifts_per_agent_bound_a_part_time_team():
    # 20 h a week is two eight-hour shifts, not two and a half.
    team = [agent("P1", fte=0.5, min_hours_week=0, max_hours_week=20)]
    instance = make_instance(team, [shift("D", "08:00", 480)], days=WEEK,
                             need=need(*[(d, "08:00", "16:00", 1) for d in range(3)]),
                             rules=FREE)  # fmt: skip
    assert _plan(instance).coverage_bound == pytest.approx(2 / 3)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_roster_found_covers_more_than_the_bound(seed):
    instance = generate(GeneratorSpec(agents=14, days=4, queues=2, seed=seed, load=1.1))
    result, report = solve_and_audit(instance, deterministic=4.0)
    assert result.coverage_bound is not None
    assert report.coverage_percent / 100 <= result.coverage_bound + 1e-9
    # The objective bound holds for the roster too.
    assert result.bound <= report.objective + 1e-6
