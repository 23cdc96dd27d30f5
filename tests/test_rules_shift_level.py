"""Shift-level hard rules bind: per rule, the solver never breaks it on a tiny instance whose
demand (or a request) pulls towards breaking it, and the checker flags a hand-made roster that
breaks it, naming the agent and the date.

Every instance here lifts the weekly limits (max_hours_week 168, max_days_week 7,
min_hours_week 0) and max_continuous_phone_minutes unless a test is about them: the defaults
scale down on short horizons (40 h x 3/7 -> 18 h) and a shift without breaks longer than
150 minutes could not be worked at all.
"""

from __future__ import annotations

import datetime as dt

import pytest
from builders import (
    FREE,
    MONDAY,
    agent,
    make_instance,
    need,
    request,
    roster_of,
    shift,
    solve_and_audit,
)

from scheduler.audit import audit
from scheduler.errors import InfeasibleError
from scheduler.solver import SolveOptions, solve

D = shift("D", "08:00", 480)
E = shift("E", "06:00", 480)
L = shift("L", "14:00", 480)
N = shift("N", "22:00", 480, night=True)


def build(agents, shifts, days=3, rules=None, **kwargs):
    return make_instance(agents, shifts, days=days, rules={**FREE, **(rules or {})}, **kwargs)


def date(day: int, start: dt.date = MONDAY) -> dt.date:
    return start + dt.timedelta(days=day)


def each_day(days: int, begin: str, finish: str, agents: int = 1):
    return need(*[(d, begin, finish, agents) for d in range(days)])


def worked(result) -> set[tuple[str, int, str]]:
    return {(a.agent_id, (a.date - MONDAY).days, a.shift_id) for a in result.roster.assignments}


def days_of(result, agent_id: str = "A1", start: dt.date = MONDAY) -> set[int]:
    return {(a.date - start).days for a in result.roster.assignments if a.agent_id == agent_id}


def paid_hours(instance, result, agent_id: str = "A1") -> float:
    return sum(
        instance.shift_by_id[a.shift_id].paid_minutes / 60
        for a in result.roster.assignments
        if a.agent_id == agent_id
    )


def flagged(report, rule: str) -> list:
    return [v for v in report.hard if v.rule == rule]


def assert_flags(report, rule: str, agent_id: str = "A1", day: int | None = None, start=MONDAY):
    found = flagged(report, rule)
    assert found, f"{rule} not flagged: {[str(v) for v in report.hard]}"
    assert any(v.agent_id == agent_id for v in found), [str(v) for v in found]
    if day is not None:
        assert any(v.agent_id == agent_id and v.date == date(day, start) for v in found), [
            str(v) for v in found
        ]


def check(instance, rows):
    return audit(instance, roster_of(instance, rows))


# --- one_shift_per_day ------------------------------------------------------------------------
def _one_shift_instance():
    early = shift("E", "06:00", 240)
    late = shift("L", "14:00", 240)
    return build(
        [agent("A1")],
        [early, late],
        days=2,
        need=need((0, "06:00", "10:00", 1), (0, "14:00", "18:00", 1), (1, "06:00", "10:00", 1)),
        requests=[request("A1", 1, "LEAVE")],
    )


def test_solver_one_shift_per_day_and_none_on_leave():
    result, _ = solve_and_audit(_one_shift_instance())
    per_day = [a.date for a in result.roster.assignments]
    assert len(per_day) == len(set(per_day)), worked(result)
    assert days_of(result) == {0}  # demand on day 0 is met once; the LEAVE day stays empty


def test_checker_flags_two_shifts_on_one_date():
    instance = _one_shift_instance()
    report = check(instance, [("A1", 0, "E"), ("A1", 0, "L")])
    assert_flags(report, "one_shift_per_day", "A1", 0)


def test_checker_flags_a_shift_on_leave():
    instance = _one_shift_instance()
    report = check(instance, [("A1", 1, "E")])
    assert_flags(report, "one_shift_per_day", "A1", 1)
    assert "LEAVE" in flagged(report, "one_shift_per_day")[0].detail
    assert not flagged(check(instance, [("A1", 0, "E")]), "one_shift_per_day")


# --- min_rest_hours ---------------------------------------------------------------------------
def _rest_instance(**fields):
    return build(
        [agent("A1", **fields)],
        [E, L],
        days=2,
        need=need((0, "14:00", "22:00", 1), (1, "06:00", "14:00", 1)),
    )


def test_solver_keeps_min_rest_between_days():
    result, _ = solve_and_audit(_rest_instance())
    shifts = worked(result)
    assert not {("A1", 0, "L"), ("A1", 1, "E")} <= shifts
    assert shifts & {("A1", 0, "L"), ("A1", 1, "E")}  # one of the two is still worked


def test_solver_keeps_min_rest_after_last_shift_end():
    instance = build(
        [agent("A1", last_shift_end=dt.datetime(2026, 3, 1, 23, 0))],
        [E, L],
        days=1,
        need=need((0, "06:00", "14:00", 1)),
    )
    result, _ = solve_and_audit(instance)
    # E starts 7 h after the last shift before the horizon: it may not be worked.
    assert ("A1", 0, "E") not in worked(result)


def test_checker_flags_short_rest_between_days():
    instance = _rest_instance()
    report = check(instance, [("A1", 0, "L"), ("A1", 1, "E")])
    assert_flags(report, "min_rest_hours", "A1", 1)
    assert not flagged(check(instance, [("A1", 0, "L"), ("A1", 1, "L")]), "min_rest_hours")


def test_checker_flags_short_rest_after_last_shift_end():
    instance = _rest_instance(last_shift_end=dt.datetime(2026, 3, 1, 23, 0))
    assert_flags(check(instance, [("A1", 0, "E")]), "min_rest_hours", "A1", 0)
    assert not flagged(check(instance, [("A1", 0, "L")]), "min_rest_hours")


# --- max_consecutive_days ---------------------------------------------------------------------
def test_solver_caps_consecutive_days():
    instance = build(
        [agent("A1")],
        [D],
        days=3,
        need=each_day(3, "08:00", "16:00"),
        rules={"max_consecutive_days": 2},
    )
    result, _ = solve_and_audit(instance)
    assert days_of(result) != {0, 1, 2}
    assert len(days_of(result)) == 2


def test_solver_caps_consecutive_days_counting_days_before():
    instance = build(
        [agent("A1", max_consecutive_days=3, consecutive_days_before=2)],
        [D],
        days=3,
        need=each_day(3, "08:00", "16:00"),
    )
    result, _ = solve_and_audit(instance)
    assert not {0, 1} <= days_of(result)  # 2 before + days 0 and 1 would be 4 in a row
    assert len(days_of(result)) == 2


def test_checker_flags_too_many_consecutive_days():
    instance = build([agent("A1")], [D], days=3, rules={"max_consecutive_days": 2})
    report = check(instance, [("A1", d, "D") for d in range(3)])
    assert_flags(report, "max_consecutive_days", "A1", 2)


def test_checker_counts_consecutive_days_before():
    instance = build([agent("A1", max_consecutive_days=3, consecutive_days_before=2)], [D], days=3)
    assert_flags(check(instance, [("A1", 0, "D"), ("A1", 1, "D")]), "max_consecutive_days", "A1", 1)
    # a run that does not start on day 0 does not continue the earlier one
    assert not flagged(check(instance, [("A1", 1, "D"), ("A1", 2, "D")]), "max_consecutive_days")


# --- max_days_week ----------------------------------------------------------------------------
def test_solver_caps_days_per_week():
    instance = build(
        [agent("A1", max_days_week=3)], [D], days=7, need=each_day(7, "08:00", "16:00")
    )
    result, _ = solve_and_audit(instance)
    assert len(days_of(result)) == 3


def test_solver_scales_days_per_week_in_a_short_block():
    # 3-day block: 2 days x 3/7 rounded up = 1 day
    instance = build(
        [agent("A1")],
        [D],
        days=3,
        need=each_day(3, "08:00", "16:00"),
        rules={"max_days_week": 2},
    )
    result, _ = solve_and_audit(instance)
    assert len(days_of(result)) == 1


def test_checker_flags_too_many_days_per_week():
    instance = build([agent("A1", max_days_week=3)], [D], days=7)
    assert_flags(check(instance, [("A1", d, "D") for d in (0, 2, 4, 6)]), "max_days_week", "A1", 0)
    assert not flagged(check(instance, [("A1", d, "D") for d in (0, 2, 4)]), "max_days_week")


def test_checker_scales_days_per_week_in_a_short_block():
    instance = build([agent("A1")], [D], days=3, rules={"max_days_week": 2})
    assert_flags(check(instance, [("A1", 0, "D"), ("A1", 2, "D")]), "max_days_week", "A1", 0)
    assert not flagged(check(instance, [("A1", 1, "D")]), "max_days_week")


# --- min_hours_week ---------------------------------------------------------------------------
def test_solver_meets_min_hours_week():
    # No demand at all: every worked hour is overstaffing, only the minimum makes A1 work.
    instance = build([agent("A1")], [D], days=7, rules={"min_hours_week": 24})
    result, _ = solve_and_audit(instance)
    assert paid_hours(instance, result) == 24


def test_solver_credits_leave_towards_min_hours_week():
    # fte 0.5: minimum 48 x 0.5 = 24 h; two LEAVE days credit 2 x 8 x 0.5 = 8 h; 16 h remain.
    instance = build(
        [agent("A1", fte=0.5)],
        [D],
        days=7,
        rules={"min_hours_week": 48},
        requests=[request("A1", 0, "LEAVE"), request("A1", 1, "LEAVE")],
    )
    result, _ = solve_and_audit(instance)
    assert paid_hours(instance, result) == 16
    assert not days_of(result) & {0, 1}


def test_checker_flags_too_few_hours_in_a_week():
    instance = build([agent("A1")], [D], days=7, rules={"min_hours_week": 24})
    report = check(instance, [("A1", 0, "D"), ("A1", 1, "D")])
    assert_flags(report, "min_hours_week", "A1", 0)
    assert not flagged(check(instance, [("A1", d, "D") for d in range(3)]), "min_hours_week")


def test_checker_credits_leave_hours_times_fte():
    instance = build(
        [agent("A1", fte=0.5)],
        [D],
        days=7,
        rules={"min_hours_week": 48},
        requests=[request("A1", 0, "LEAVE"), request("A1", 1, "LEAVE")],
    )
    assert not flagged(check(instance, [("A1", 2, "D"), ("A1", 3, "D")]), "min_hours_week")
    assert_flags(check(instance, [("A1", 2, "D")]), "min_hours_week", "A1", 0)


def test_checker_skips_min_hours_in_a_short_block():
    instance = build([agent("A1")], [D], days=3, rules={"min_hours_week": 32})
    assert not flagged(check(instance, []), "min_hours_week")


# --- max_hours_week ---------------------------------------------------------------------------
def test_solver_caps_hours_per_week():
    instance = build(
        [agent("A1", max_hours_week=20)], [D], days=7, need=each_day(7, "08:00", "16:00")
    )
    result, _ = solve_and_audit(instance)
    assert paid_hours(instance, result) == 16


@pytest.mark.parametrize(("minutes", "expected_days"), [(420, 2), (360, 3)])
def test_solver_scales_hours_in_a_short_block(minutes, expected_days):
    # 3-day block: 40 h x 3/7 = 17.14 h, rounded up to 18 h: 3 x 7 h is too much, 3 x 6 h fits.
    instance = build(
        [agent("A1")],
        [shift("S", "08:00", minutes)],
        days=3,
        need=each_day(3, "08:00", "16:00"),
        rules={"max_hours_week": 40},
    )
    result, _ = solve_and_audit(instance)
    assert len(days_of(result)) == expected_days


def test_checker_flags_too_many_hours_in_a_week():
    instance = build([agent("A1", max_hours_week=20)], [D], days=7)
    report = check(instance, [("A1", d, "D") for d in range(3)])
    assert_flags(report, "max_hours_week", "A1", 0)
    assert not flagged(check(instance, [("A1", 0, "D"), ("A1", 1, "D")]), "max_hours_week")


@pytest.mark.parametrize(("minutes", "broken"), [(420, True), (360, False)])
def test_checker_scales_hours_in_a_short_block(minutes, broken):
    instance = build(
        [agent("A1")], [shift("S", "08:00", minutes)], days=3, rules={"max_hours_week": 40}
    )
    report = check(instance, [("A1", d, "S") for d in range(3)])
    assert bool(flagged(report, "max_hours_week")) is broken
    if broken:
        assert_flags(report, "max_hours_week", "A1", 0)


# --- min_consecutive_days ---------------------------------------------------------------------
def test_solver_keeps_runs_of_work_long_enough():
    instance = build(
        [agent("A1")],
        [D],
        days=5,
        need=need((2, "08:00", "16:00", 1)),
        rules={"min_consecutive_days": 2},
    )
    result, _ = solve_and_audit(instance)
    days = days_of(result)
    assert 2 in days
    assert days in ({1, 2}, {2, 3})  # a lone day 2 would be a run of 1


def test_solver_allows_short_runs_at_the_horizon_ends():
    instance = build(
        [agent("A1")],
        [D],
        days=5,
        need=need((0, "08:00", "16:00", 1), (4, "08:00", "16:00", 1)),
        rules={"min_consecutive_days": 2},
    )
    result, _ = solve_and_audit(instance)
    assert days_of(result) == {0, 4}


def test_checker_flags_short_run_of_work():
    instance = build([agent("A1")], [D], days=5, rules={"min_consecutive_days": 2})
    assert_flags(check(instance, [("A1", 2, "D")]), "min_consecutive_days", "A1", 2)


def test_checker_exempts_runs_of_work_touching_the_ends():
    instance = build([agent("A1")], [D], days=5, rules={"min_consecutive_days": 2})
    assert not flagged(check(instance, [("A1", 0, "D"), ("A1", 4, "D")]), "min_consecutive_days")


# --- min_consecutive_days_off -----------------------------------------------------------------
def test_solver_keeps_days_off_together():
    instance = build(
        [agent("A1")],
        [D],
        days=5,
        need=need(*[(d, "08:00", "16:00", 1) for d in (0, 1, 3, 4)]),
        rules={"min_consecutive_days_off": 2},
    )
    result, _ = solve_and_audit(instance)
    # a single day off on day 2 is forbidden; working it is cheaper than two days off
    assert days_of(result) == {0, 1, 2, 3, 4}


def test_solver_allows_single_days_off_at_the_horizon_ends():
    instance = build(
        [agent("A1")],
        [D],
        days=5,
        need=need(*[(d, "08:00", "16:00", 1) for d in (1, 2, 3)]),
        rules={"min_consecutive_days_off": 2},
    )
    result, _ = solve_and_audit(instance)
    assert days_of(result) == {1, 2, 3}


def test_checker_flags_single_day_off():
    instance = build([agent("A1")], [D], days=5, rules={"min_consecutive_days_off": 2})
    report = check(instance, [("A1", d, "D") for d in (0, 1, 3, 4)])
    assert_flags(report, "min_consecutive_days_off", "A1", 2)


def test_checker_exempts_days_off_touching_the_ends():
    instance = build([agent("A1")], [D], days=5, rules={"min_consecutive_days_off": 2})
    report = check(instance, [("A1", d, "D") for d in (1, 2, 3)])
    assert not flagged(report, "min_consecutive_days_off")


# --- max_shifts -------------------------------------------------------------------------------
def _max_shifts_instance():
    # D2 covers the same hours; A1 would rather work D every day (PREFER requests)
    twin = shift("D2", "08:00", 480)
    return build(
        [agent("A1", max_shifts={"D": 1})],
        [D, twin],
        days=3,
        need=each_day(3, "08:00", "16:00"),
        requests=[request("A1", d, "PREFER", "D") for d in range(3)],
    )


def test_solver_caps_shifts_of_one_type():
    result, _ = solve_and_audit(_max_shifts_instance())
    shifts = [a.shift_id for a in result.roster.assignments]
    assert shifts.count("D") <= 1
    assert len(shifts) == 3  # the other days are covered with D2


def test_checker_flags_too_many_shifts_of_one_type():
    instance = _max_shifts_instance()
    report = check(instance, [("A1", 0, "D"), ("A1", 1, "D"), ("A1", 2, "D2")])
    assert_flags(report, "max_shifts", "A1")
    assert "D" in flagged(report, "max_shifts")[0].detail
    assert not flagged(
        check(instance, [("A1", 0, "D"), ("A1", 1, "D2"), ("A1", 2, "D2")]), "max_shifts"
    )


# --- max_weekends -----------------------------------------------------------------------------
SUNDAY = dt.date(2026, 3, 8)  # days 0 (Sun 8 Mar) and 6 (Sat 14 Mar) lie in two weekends


def _weekends_instance(**extra):
    return build(
        [agent("A1", max_weekends=1)],
        [D],
        days=7,
        start=SUNDAY,
        **extra,
    )


def test_solver_caps_weekends():
    instance = _weekends_instance(need=need((0, "08:00", "16:00", 1), (6, "08:00", "16:00", 1)))
    result, _ = solve_and_audit(instance)
    assert len(days_of(result, start=SUNDAY)) == 1


def test_checker_flags_too_many_weekends():
    instance = _weekends_instance()
    report = audit(
        instance,
        roster_of(instance, [("A1", 0, "D"), ("A1", 6, "D")]),
    )
    assert_flags(report, "max_weekends", "A1")
    # Friday and Saturday touch one weekend only
    calm = audit(instance, roster_of(instance, [("A1", 5, "D"), ("A1", 6, "D")]))
    assert not flagged(calm, "max_weekends")


# --- min_total_hours / max_total_hours ----------------------------------------------------------
def _min_total_instance():
    return build(
        [agent("A1", min_total_hours=16)], [D], days=3, requests=[request("A1", 0, "LEAVE")]
    )


def test_solver_meets_min_total_hours_without_leave_credit():
    instance = _min_total_instance()
    result, _ = solve_and_audit(instance)
    assert paid_hours(instance, result) == 16
    assert days_of(result) == {1, 2}


def test_checker_flags_too_few_total_hours():
    instance = _min_total_instance()
    assert_flags(check(instance, [("A1", 1, "D")]), "min_total_hours", "A1")
    assert not flagged(check(instance, [("A1", 1, "D"), ("A1", 2, "D")]), "min_total_hours")


def _max_total_instance():
    return build([agent("A1", max_total_hours=12)], [D], days=3, need=each_day(3, "08:00", "16:00"))


def test_solver_caps_total_hours():
    instance = _max_total_instance()
    result, _ = solve_and_audit(instance)
    assert paid_hours(instance, result) == 8


def test_checker_flags_too_many_total_hours():
    instance = _max_total_instance()
    assert_flags(check(instance, [("A1", 0, "D"), ("A1", 2, "D")]), "max_total_hours", "A1")
    assert not flagged(check(instance, [("A1", 1, "D")]), "max_total_hours")


# --- not_followed_by --------------------------------------------------------------------------
def _followed_instance():
    day = shift("D", "08:00", 480, not_followed_by=("E",))
    return build(
        [agent("A1")],
        [day, E],
        days=2,
        need=need((0, "08:00", "16:00", 1), (1, "06:00", "14:00", 1)),
    )


def test_solver_respects_not_followed_by():
    result, _ = solve_and_audit(_followed_instance())
    shifts = worked(result)
    assert not {("A1", 0, "D"), ("A1", 1, "E")} <= shifts
    assert len(shifts) == 2


def test_checker_flags_not_followed_by():
    instance = _followed_instance()
    assert_flags(check(instance, [("A1", 0, "D"), ("A1", 1, "E")]), "not_followed_by", "A1", 1)
    assert not flagged(check(instance, [("A1", 0, "E"), ("A1", 1, "D")]), "not_followed_by")


# --- max_consecutive_nights -------------------------------------------------------------------
NIGHTS = {"max_consecutive_nights": 2, "rest_after_nights_hours": 0}
AFTER_NIGHT = dt.datetime(2026, 3, 2, 6, 0)  # end of a night worked just before the horizon


def test_solver_caps_consecutive_nights():
    instance = build([agent("A1")], [N], days=3, need=each_day(3, "22:00", "06:00"), rules=NIGHTS)
    result, _ = solve_and_audit(instance)
    assert days_of(result) != {0, 1, 2}
    assert len(days_of(result)) == 2


def test_solver_caps_consecutive_nights_counting_nights_before():
    instance = build(
        [agent("A1", nights_before=1, last_shift_end=AFTER_NIGHT)],
        [N],
        days=3,
        need=each_day(3, "22:00", "06:00"),
        rules=NIGHTS,
    )
    result, _ = solve_and_audit(instance)
    assert not {0, 1} <= days_of(result)
    assert len(days_of(result)) == 2


def test_checker_flags_too_many_nights_in_a_row():
    instance = build([agent("A1")], [N], days=3, rules=NIGHTS)
    report = check(instance, [("A1", d, "N") for d in range(3)])
    assert_flags(report, "max_consecutive_nights", "A1", 2)


def test_checker_counts_nights_before():
    instance = build(
        [agent("A1", nights_before=1, last_shift_end=AFTER_NIGHT)], [N], days=3, rules=NIGHTS
    )
    report = check(instance, [("A1", 0, "N"), ("A1", 1, "N")])
    assert_flags(report, "max_consecutive_nights", "A1", 1)
    assert not flagged(check(instance, [("A1", 1, "N"), ("A1", 2, "N")]), "max_consecutive_nights")


# --- rest_after_nights_hours ------------------------------------------------------------------
def _after_nights_instance():
    # N of day 0 ends on day 1 at 06:00; 48 h later is day 3 at 06:00.
    return build(
        [agent("A1")],
        [N, shift("X", "05:00", 480), shift("E", "06:00", 480)],
        days=4,
        need=need((0, "22:00", "06:00", 1), (3, "05:00", "13:00", 1)),
    )


def test_solver_rests_after_nights_from_the_real_end():
    result, _ = solve_and_audit(_after_nights_instance())
    # X on day 3 starts 47 h after the night ends: forbidden; E starts 48 h after it: allowed.
    assert worked(result) == {("A1", 0, "N"), ("A1", 3, "E")}


def test_solver_rests_after_nights_before_the_horizon():
    instance = build(
        [agent("A1", nights_before=1, last_shift_end=AFTER_NIGHT)],
        [D],
        days=3,
        need=each_day(3, "08:00", "16:00"),
    )
    result, _ = solve_and_audit(instance)
    assert days_of(result) == {2}  # day 1 starts 26 h after the night, day 2 50 h after it


def test_checker_flags_short_rest_after_nights():
    instance = _after_nights_instance()
    report = check(instance, [("A1", 0, "N"), ("A1", 3, "X")])
    assert_flags(report, "rest_after_nights_hours", "A1", 3)
    assert not flagged(check(instance, [("A1", 0, "N"), ("A1", 3, "E")]), "rest_after_nights_hours")


def test_checker_measures_rest_from_the_last_night_of_the_run():
    instance = build([agent("A1")], [N, D], days=4, rules={"max_consecutive_nights": 3})
    # the run N, N ends on day 2 at 06:00; D on day 3 at 08:00 is 26 h later
    report = check(instance, [("A1", 0, "N"), ("A1", 1, "N"), ("A1", 3, "D")])
    assert_flags(report, "rest_after_nights_hours", "A1", 3)


def test_checker_flags_short_rest_after_nights_before_the_horizon():
    instance = build([agent("A1", nights_before=1, last_shift_end=AFTER_NIGHT)], [D], days=3)
    assert_flags(check(instance, [("A1", 1, "D")]), "rest_after_nights_hours", "A1", 1)
    assert not flagged(check(instance, [("A1", 2, "D")]), "rest_after_nights_hours")


# --- new_hire_nights --------------------------------------------------------------------------
def _new_hire_instance(**rules):
    return build(
        [agent("NH", hire_date=MONDAY - dt.timedelta(days=30)), agent("EX")],
        [N],
        days=1,
        need=need((0, "22:00", "06:00", 2)),
        rules=rules,
    )


def test_solver_keeps_new_hires_off_nights():
    result, _ = solve_and_audit(_new_hire_instance())
    assert worked(result) == {("EX", 0, "N")}


def test_solver_lets_new_hires_work_nights_when_allowed():
    result, _ = solve_and_audit(_new_hire_instance(new_hire_nights=True))
    assert worked(result) == {("EX", 0, "N"), ("NH", 0, "N")}


def test_checker_flags_new_hire_on_nights():
    instance = _new_hire_instance()
    assert_flags(check(instance, [("NH", 0, "N")]), "new_hire_nights", "NH", 0)
    assert not flagged(check(instance, [("EX", 0, "N")]), "new_hire_nights")
    allowed = _new_hire_instance(new_hire_nights=True)
    assert not flagged(check(allowed, [("NH", 0, "N")]), "new_hire_nights")


# --- skills (shift list and night_ok) ---------------------------------------------------------
def _skills_instance():
    return build(
        [agent("A1", shifts=("D",)), agent("A2", night_ok=False)],
        [D, L, N],
        days=1,
        need=need((0, "14:00", "22:00", 2), (0, "22:00", "06:00", 2)),
    )


def test_solver_keeps_shift_lists_and_night_ok():
    result, _ = solve_and_audit(_skills_instance())
    shifts = worked(result)
    assert not {s for a, _, s in shifts if a == "A1"} - {"D"}
    assert ("A2", 0, "N") not in shifts
    assert ("A2", 0, "L") in shifts


def test_checker_flags_shift_outside_the_agents_list():
    instance = _skills_instance()
    report = check(instance, [("A1", 0, "L")])
    assert_flags(report, "skills", "A1", 0)
    assert "shifts list" in flagged(report, "skills")[0].detail


def test_checker_flags_night_without_night_ok():
    instance = _skills_instance()
    report = check(instance, [("A2", 0, "N")])
    assert_flags(report, "skills", "A2", 0)
    assert "night_ok" in flagged(report, "skills")[0].detail
    assert not flagged(check(instance, [("A2", 0, "L"), ("A1", 0, "D")]), "skills")


# --- shift_weekdays ---------------------------------------------------------------------------
def _weekdays_instance():
    monday_only = shift("W", "08:00", 480, weekdays=[0])
    return build([agent("A1")], [monday_only], days=2, need=each_day(2, "08:00", "16:00"))


def test_solver_starts_shifts_on_their_weekdays_only():
    result, _ = solve_and_audit(_weekdays_instance())
    assert worked(result) == {("A1", 0, "W")}


def test_checker_flags_shift_on_a_wrong_weekday():
    instance = _weekdays_instance()
    assert_flags(check(instance, [("A1", 1, "W")]), "shift_weekdays", "A1", 1)
    assert not flagged(check(instance, [("A1", 0, "W")]), "shift_weekdays")


# --- fixed ------------------------------------------------------------------------------------
def _fixed_instance():
    # demand wants E and A1 asks for the day off, but L is pinned
    return build(
        [agent("A1")],
        [E, L],
        days=1,
        need=need((0, "06:00", "14:00", 1)),
        requests=[request("A1", 0, "FIXED", "L"), request("A1", 0, "OFF", weight=50)],
    )


def test_solver_holds_fixed_shifts():
    result, _ = solve_and_audit(_fixed_instance())
    assert worked(result) == {("A1", 0, "L")}


def test_checker_flags_fixed_shift_not_worked():
    instance = _fixed_instance()
    assert_flags(check(instance, [("A1", 0, "E")]), "fixed", "A1", 0)
    assert_flags(check(instance, []), "fixed", "A1", 0)
    assert not flagged(check(instance, [("A1", 0, "L")]), "fixed")


# --- an impossible pair of FIXED shifts is explained --------------------------------------------
def test_fixed_night_then_shift_six_hours_later_is_infeasible():
    night = shift("N", "22:00", 480, night=True)  # ends on day 1 at 06:00
    midday = shift("M", "12:00", 480)  # 6 h of rest after the night
    instance = build(
        [agent("A1")],
        [night, midday],
        days=2,
        rules={"rest_after_nights_hours": 0},
        requests=[request("A1", 0, "FIXED", "N"), request("A1", 1, "FIXED", "M")],
    )
    with pytest.raises(InfeasibleError) as caught:
        solve(instance, SolveOptions(time_limit=60, workers=1, deterministic_time=5))
    conflicts = caught.value.conflicts
    rest = [c for c in conflicts if c.rule == "min_rest_hours"]
    assert rest, [str(c) for c in conflicts]
    assert all(c.agent_id == "A1" for c in rest)
    assert any(date(1).isoformat() in c.dates for c in rest)
