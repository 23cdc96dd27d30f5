"""Soft rules: the checker's penalty equals a value computed by hand, the solver's objective
equals the checker's on a solved tiny instance, and the solver prefers the smaller penalty.
Also Gini and Jain's index against hand-computed values.
"""

from __future__ import annotations

import datetime as dt

import pytest
from builders import (
    CMP,
    FREE,
    GEN,
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
from scheduler.audit.fairness import gini, jain
from scheduler.model import Queue, ShiftDemand

SAL = Queue(queue_id="SAL", name="Sales", aht_seconds=300)
SATURDAY = MONDAY + dt.timedelta(days=5)

D = shift("D", "08:00", 480)
E = shift("E", "06:00", 480)
L = shift("L", "14:00", 480)
N = shift("N", "22:00", 480, night=True)


def build(agents, shifts, days=1, rules=None, **kwargs):
    return make_instance(agents, shifts, days=days, rules={**FREE, **(rules or {})}, **kwargs)


def worked(result, start: dt.date = MONDAY) -> set[tuple[str, int, str]]:
    return {(a.agent_id, (a.date - start).days, a.shift_id) for a in result.roster.assignments}


def check(instance, rows, activities=None):
    report = audit(instance, roster_of(instance, rows, activities))
    assert not report.hard, [str(v) for v in report.hard]
    return report


def penalty(report, rule: str) -> float:
    return report.penalties().get(rule, 0.0)


def assert_objectives_agree(result, report):
    """The solver's objective is the independent checker's total soft penalty."""
    assert result.objective == pytest.approx(report.objective, abs=0.01), (
        result.penalties,
        report.penalties(),
    )


# --- preferred_rest_hours ---------------------------------------------------------------------
MIDDAY = shift("M", "09:00", 480)
REST = {"preferred_rest_hours": 13, "weight_short_rest": 4}


def test_checker_prices_short_rest_per_hour():
    instance = build([agent("A1")], [L, MIDDAY], days=2, rules=REST)
    # L ends 22:00, M starts 09:00: 11 h of rest, 2 h short of 13 -> 4 x 2 = 8
    assert penalty(check(instance, [("A1", 0, "L"), ("A1", 1, "M")]), "preferred_rest_hours") == 8
    assert penalty(check(instance, [("A1", 0, "L"), ("A1", 1, "L")]), "preferred_rest_hours") == 0


def test_solver_short_rest_penalty_matches_checker():
    instance = build(
        [agent("A1")],
        [L, MIDDAY],
        days=2,
        rules=REST,
        need=need((0, "14:00", "22:00", 1), (1, "09:00", "17:00", 1)),
        requests=[request("A1", 0, "FIXED", "L"), request("A1", 1, "FIXED", "M")],
    )
    result, report = solve_and_audit(instance)
    assert penalty(report, "preferred_rest_hours") == 8
    assert result.penalties["preferred_rest_hours"] == pytest.approx(8)
    assert_objectives_agree(result, report)


SHORT = shift("S", "12:00", 120)  # 12:00-14:00: 22 h of rest until the next day's S


def test_preferred_rest_over_a_day_counts_only_the_next_shift():
    # preferred 50 h: each rest of 22 h is 28 h short (280); S on day 0 and S on day 2 are not
    # consecutive shifts (day 1 lies between), so their 46 h apart costs nothing.
    instance = build(
        [agent("A1")],
        [SHORT],
        days=3,
        rules={"preferred_rest_hours": 50, "weight_short_rest": 10},
        requests=[request("A1", d, "FIXED", "S") for d in range(3)],
    )
    result, report = solve_and_audit(instance)
    assert penalty(report, "preferred_rest_hours") == 560
    assert result.penalties["preferred_rest_hours"] == pytest.approx(560)
    assert_objectives_agree(result, report)


def test_preferred_rest_from_last_shift_end_counts_only_the_first_shift():
    # last shift ended Monday 00:00; preferred 40 h: S on day 0 rests 12 h (28 h short, 280),
    # S on day 1 rests 22 h after S on day 0 (18 h short, 180): 460 in all.
    instance = build(
        [agent("A1", last_shift_end=dt.datetime(2026, 3, 2, 0, 0))],
        [SHORT],
        days=2,
        rules={"preferred_rest_hours": 40, "weight_short_rest": 10},
        requests=[request("A1", d, "FIXED", "S") for d in range(2)],
    )
    result, report = solve_and_audit(instance)
    assert penalty(report, "preferred_rest_hours") == 460
    assert result.penalties["preferred_rest_hours"] == pytest.approx(460)
    assert_objectives_agree(result, report)


# --- forward_rotation -------------------------------------------------------------------------
ROTATION = {"forward_rotation": 7, "weight_short_rest": 0}


def test_checker_prices_backward_rotation():
    # L starts 14:00, M 09:00 (11 h of rest after L: allowed, and short rest costs 0 here)
    instance = build([agent("A1")], [MIDDAY, L], days=3, rules=ROTATION)
    backward = check(instance, [("A1", 0, "L"), ("A1", 1, "M")])
    assert penalty(backward, "forward_rotation") == 7
    (violation,) = [v for v in backward.soft if v.rule == "forward_rotation"]
    assert (violation.agent_id, violation.date) == ("A1", MONDAY + dt.timedelta(days=1))
    assert penalty(check(instance, [("A1", 0, "M"), ("A1", 1, "L")]), "forward_rotation") == 0
    # a day off in between: no rotation
    assert penalty(check(instance, [("A1", 0, "L"), ("A1", 2, "M")]), "forward_rotation") == 0


def test_solver_rotation_penalty_matches_checker():
    instance = build(
        [agent("A1")],
        [MIDDAY, L],
        days=2,
        rules=ROTATION,
        requests=[request("A1", 0, "FIXED", "L"), request("A1", 1, "FIXED", "M")],
    )
    result, report = solve_and_audit(instance)
    assert penalty(report, "forward_rotation") == 7
    assert result.penalties["forward_rotation"] == pytest.approx(7)
    assert_objectives_agree(result, report)


# --- requests ---------------------------------------------------------------------------------
def _requests(*extra):
    return [
        request("A1", 0, "OFF", weight=3),
        request("A1", 1, "AVOID", "D", weight=4),
        request("A1", 2, "PREFER", "E", weight=6),
        *extra,
    ]


def test_checker_prices_each_request_with_its_weight():
    instance = build([agent("A1")], [D, E], days=3, requests=_requests())
    report = check(instance, [("A1", d, "D") for d in range(3)])
    assert sorted(v.penalty for v in report.soft if v.rule == "requests") == [3, 4, 6]
    assert penalty(report, "requests") == 13
    met = check(instance, [("A1", 1, "E"), ("A1", 2, "E")])
    assert penalty(met, "requests") == 0


def test_solver_request_penalties_match_checker():
    fixed = [request("A1", d, "FIXED", "D") for d in range(3)]
    instance = build(
        [agent("A1")],
        [D, E],
        days=3,
        need=need(*[(d, "08:00", "16:00", 1) for d in range(3)]),
        requests=_requests(*fixed),
    )
    result, report = solve_and_audit(instance)
    assert penalty(report, "requests") == 13
    assert result.penalties["requests"] == pytest.approx(13)
    assert_objectives_agree(result, report)


@pytest.mark.parametrize(
    ("off_weight", "expected", "objective"),
    [(30, "A2", 20), (15, "A1", 15)],
)
def test_solver_weighs_an_off_request_against_fairness(off_weight, expected, objective):
    # One of two agents covers a holiday. Holiday fairness wants A1 (A1 0 + 1, A2 1: variance
    # 0; A2 working makes 0 against 2, variance 1: 20 x 1 = 20), but A1 asked for the day off.
    # The solver picks the roster with the smaller penalty.
    instance = build(
        [agent("A1"), agent("A2", hist_holidays=1)],
        [D],
        holidays=[MONDAY],
        need=need((0, "08:00", "16:00", 1)),
        requests=[request("A1", 0, "OFF", weight=off_weight)],
    )
    result, report = solve_and_audit(instance)
    assert worked(result) == {(expected, 0, "D")}
    assert report.objective == pytest.approx(objective)
    assert_objectives_agree(result, report)


def test_solver_honours_avoid_and_prefer_requests():
    # X fits the demand exactly; Y and Z run an hour over (1 of overstaffing)
    twins = [shift("X", "08:00", 480), shift("Y", "08:00", 540), shift("Z", "08:00", 540)]
    instance = build(
        [agent("A1")],
        twins,
        need=need((0, "08:00", "16:00", 1)),
        requests=[request("A1", 0, "AVOID", "X", weight=2), request("A1", 0, "PREFER", "Z")],
    )
    result, report = solve_and_audit(instance)
    # X costs 2 + 1 (AVOID, PREFER), Y 1 + 1, Z only its hour over
    assert worked(result) == {("A1", 0, "Z")}
    assert report.penalties() == {"weight_over": 1}
    assert_objectives_agree(result, report)


# --- fairness ---------------------------------------------------------------------------------
def test_checker_fair_weekends_per_fte_with_history():
    instance = build(
        [agent("A", hist_weekends=2), agent("B", fte=0.5)],
        [D],
        days=7,
    )
    # A: (2 + 2) / 1 = 4; B: (0 + 1) / 0.5 = 2 -> mean 3, variance 1: 20 x 1 = 20
    report = check(instance, [("A", 5, "D"), ("A", 6, "D"), ("B", 5, "D")])
    assert penalty(report, "fair_weekends") == pytest.approx(20)
    (violation,) = [v for v in report.soft if v.rule == "fair_weekends"]
    assert violation.agent_id == "A"


def test_checker_fair_holidays_per_fte_with_history():
    instance = build(
        [agent("A", hist_holidays=2), agent("B", fte=0.5, hist_holidays=0.5)],
        [D],
        holidays=[MONDAY],
    )
    # B works: A 2, B 1.5 / 0.5 = 3 -> variance 0.25: 5; A works: A 3, B 0.5 / 0.5 = 1 -> 20
    assert penalty(check(instance, [("B", 0, "D")]), "fair_holidays") == pytest.approx(5)
    assert penalty(check(instance, [("A", 0, "D")]), "fair_holidays") == pytest.approx(20)


def _nights_team(**rules):
    return build(
        [
            agent("A", hist_nights=1),
            agent("B"),
            agent("C", night_ok=False),
            agent("NH", hire_date=MONDAY - dt.timedelta(days=30)),
        ],
        [N],
        rules=rules,
        need=need((0, "22:00", "06:00", 2)),
    )


def test_checker_fair_nights_among_eligible_agents():
    # C (night_ok no) and NH (new hire) are not eligible: A 2, B 1, variance 0.25
    instance = _nights_team()
    both = [("A", 0, "N"), ("B", 0, "N")]
    assert penalty(check(instance, both), "fair_nights") == pytest.approx(2.5)
    assert penalty(check(instance, [("A", 0, "N")]), "fair_nights") == pytest.approx(10)
    # when new hires may work nights they count too: A 2, B 1, NH 0, variance 2/3
    counted = _nights_team(new_hire_nights=True)
    assert penalty(check(counted, both), "fair_nights") == pytest.approx(10 * 2 / 3)


TWO_HOURS = shift("C", "08:00", 120)


def _complaint_team(hist_a: float, **extra):
    return build(
        [
            agent("A", skills=("GEN", "CMP"), hist_complaint_hours=hist_a),
            agent("B", skills=("GEN", "CMP"), **extra),
            agent("G", skills=("GEN",)),
            agent("NH", skills=("GEN", "CMP"), hire_date=MONDAY - dt.timedelta(days=30)),
        ],
        [TWO_HOURS],
        interval=30,
        queues=(GEN, CMP),
        need=need((0, "08:00", "10:00", 1, "CMP"), (0, "08:00", "10:00", 1, "GEN")),
    )


def test_checker_fair_complaint_hours_among_eligible_agents():
    instance = _complaint_team(1, fte=0.5, hist_complaint_hours=0.5)
    rows = [("A", 0, "C"), ("B", 0, "C")]
    blocks = [("A", 0, "08:00", "10:00", "CMP"), ("B", 0, "08:00", "10:00", "GEN")]
    # A: 1 + 2 = 3; B: 0.5 / 0.5 = 1; G (no complaint skill) and NH (new hire) do not count:
    # variance 1
    report = check(instance, rows, blocks)
    assert penalty(report, "fair_complaint_hours") == pytest.approx(5)
    # without activities complaint hours are unknown and not penalised
    assert penalty(check(instance, rows), "fair_complaint_hours") == 0


def _saturday_team():
    """Four agents with 0, 4, 6 and 10 weekend days behind them, one needed this Saturday; the
    agent with none is on leave."""
    return build(
        [agent(f"H{h}", hist_weekends=h) for h in (0, 4, 6, 10)],
        [D],
        days=1,
        start=SATURDAY,
        need=need((0, "08:00", "16:00", 1)),
        requests=[request("H0", 5, "LEAVE")],
    )


def test_checker_fair_weekends_weighs_every_agent_not_only_the_extremes():
    instance = _saturday_team()
    # Either way the extremes stay 0 and 10, so a spread could not tell the rosters apart.
    # H4 works: 0, 5, 6, 10, mean 5.25, variance 12.6875; H6 works: 0, 4, 7, 10, 13.6875.
    compensating = penalty(check(instance, [("H4", 0, "D")]), "fair_weekends")
    unfair = penalty(check(instance, [("H6", 0, "D")]), "fair_weekends")
    assert compensating == pytest.approx(20 * 12.6875)
    assert unfair == pytest.approx(20 * 13.6875)


def test_solver_gives_the_weekend_to_the_agent_who_carried_least():
    result, report = solve_and_audit(_saturday_team())
    assert worked(result, SATURDAY) == {("H4", 0, "D")}
    assert penalty(report, "fair_weekends") == pytest.approx(20 * 12.6875)
    assert_objectives_agree(result, report)


def test_solver_shares_weekends_fairly():
    instance = build(
        [agent("A", hist_weekends=3), agent("B")],
        [D],
        days=2,
        start=SATURDAY,
        need=need((0, "08:00", "16:00", 1), (1, "08:00", "16:00", 1)),
        requests=[request("B", 5, "OFF", weight=10)],  # day 5 from Monday: this Saturday
    )
    result, report = solve_and_audit(instance)
    # B takes both days despite the OFF wish: A 3, B 2, variance 0.25 -> 5, plus 10 for the
    # wish; any other split costs 45 (A 4, B 1) or 125 (A 5, B 0)
    assert worked(result, SATURDAY) == {("B", 0, "D"), ("B", 1, "D")}
    assert penalty(report, "fair_weekends") == pytest.approx(5)
    assert report.objective == pytest.approx(15)
    assert_objectives_agree(result, report)


def test_solver_shares_holidays_fairly():
    instance = build(
        [agent("A", hist_holidays=2), agent("B", fte=0.5, hist_holidays=0.5)],
        [D],
        holidays=[MONDAY],
        rules={"weight_over": 5},  # both working would cost 8 x 5 of overstaffing
        need=need((0, "08:00", "16:00", 1)),
        requests=[request("B", 0, "OFF", weight=10)],
    )
    result, report = solve_and_audit(instance)
    # B works: A 2, B 1.5 / 0.5 = 3 -> 5, plus 10 for B's wish; A works: A 3, B 1 -> 20
    assert worked(result) == {("B", 0, "D")}
    assert penalty(report, "fair_holidays") == pytest.approx(5)
    assert report.objective == pytest.approx(15)
    assert_objectives_agree(result, report)


def test_solver_night_fairness_matches_checker():
    result, report = solve_and_audit(_nights_team())
    assert worked(result) == {("A", 0, "N"), ("B", 0, "N")}
    assert penalty(report, "fair_nights") == pytest.approx(2.5)
    assert result.penalties["fair_nights"] == pytest.approx(2.5)
    assert_objectives_agree(result, report)


def test_solver_shares_complaint_hours_fairly():
    result, report = solve_and_audit(_complaint_team(3))
    # B takes the two complaint hours: A 3, B 2, variance 0.25 -> 1.25; one hour each would
    # make A 4, B 1: 11.25
    complaint = [b for b in result.roster.activities if b.activity == "CMP"]
    assert {b.agent_id for b in complaint} == {"B"}
    assert sum((b.end - b.start).total_seconds() for b in complaint) == 2 * 3600
    assert penalty(report, "fair_complaint_hours") == pytest.approx(1.25)
    assert_objectives_agree(result, report)


# --- weight_under / weight_over ---------------------------------------------------------------
COVER = {"weight_under": 50, "weight_over": 3}
FOUR_HOURS = shift("D4", "08:00", 240)


def test_checker_prices_each_agent_interval_under_and_over():
    instance = build([agent("A1")], [FOUR_HOURS], rules=COVER, need=need((0, "08:00", "10:00", 2)))
    report = check(instance, [("A1", 0, "D4")])
    # 08-10: 1 of 2 twice -> 2 x 50; 10-12: 1 of 0 twice -> 2 x 3
    assert report.penalties() == {"weight_under": 100, "weight_over": 6}


def test_checker_counts_coverage_per_queue_with_activities():
    instance = build(
        [agent("A1", skills=("GEN", "SAL"))],
        [FOUR_HOURS],
        rules=COVER,
        queues=(GEN, SAL),
        need=need((0, "08:00", "12:00", 1, "SAL")),
    )
    rows = [("A1", 0, "D4")]
    wrong_queue = check(instance, rows, [("A1", 0, "08:00", "12:00", "GEN")])
    assert wrong_queue.penalties() == {"weight_under": 200, "weight_over": 12}
    assert check(instance, rows, [("A1", 0, "08:00", "12:00", "SAL")]).penalties() == {}
    # without activities only presence is known: 1 agent for 1 required
    assert check(instance, rows).penalties() == {}


def test_solver_coverage_penalties_match_checker():
    instance = build(
        [agent("A1")],
        [FOUR_HOURS, shift("D2", "08:00", 120)],
        rules=COVER,
        need=need((0, "08:00", "10:00", 2)),
    )
    result, report = solve_and_audit(instance)
    assert worked(result) == {("A1", 0, "D2")}  # D4 would add 2 x 3 of overstaffing
    assert report.penalties() == {"weight_under": 100}
    assert_objectives_agree(result, report)


def _with_shift_demand(instance, rows):
    return instance.model_copy(
        update={
            "shift_demand": tuple(
                ShiftDemand(date=MONDAY + dt.timedelta(days=d), shift_id=s, agents=n, **w)
                for d, s, n, w in rows
            )
        }
    )


def test_checker_prices_shift_demand_per_person():
    base = build([agent("A1"), agent("A2")], [D], days=3, rules=COVER, shift_demand=[])
    instance = _with_shift_demand(
        base,
        [
            (0, "D", 3, {}),  # 1 of 3: 2 x 50
            (1, "D", 1, {"weight_over": 4}),  # 2 for 1: 1 x 4
            (2, "D", 1, {"weight_under": 7}),  # nobody: 1 x 7
        ],
    )
    report = check(instance, [("A1", 0, "D"), ("A1", 1, "D"), ("A2", 1, "D")])
    assert report.penalties() == {"weight_under": 107, "weight_over": 4}


@pytest.mark.parametrize("queues", [(), (GEN,)], ids=["no-queues", "with-a-queue"])
def test_solver_shift_demand_penalties_match_checker(queues):
    instance = build(
        [agent("A1"), agent("A2")],
        [D],
        days=2,
        queues=queues,
        shift_demand=[(0, "D", 1), (1, "D", 3)],
    )
    result, report = solve_and_audit(instance)
    days = sorted(d for _, d, _ in worked(result))
    assert days == [0, 1, 1]
    assert report.penalties() == {"weight_under": 1000}  # one person short on day 1
    assert_objectives_agree(result, report)


# --- Gini and Jain's index --------------------------------------------------------------------
def test_gini_hand_computed():
    # [1, 2, 3, 4]: sum over ordered pairs of |a - b| = 20; 20 / (2 x 16 x 2.5) = 0.25
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25)
    # [0, 0, 0, 6]: 36 / (2 x 16 x 1.5) = 0.75
    assert gini([0, 0, 0, 6]) == pytest.approx(0.75)
    assert gini([3, 1]) == pytest.approx(0.25)  # 4 / (2 x 4 x 2)


def test_jain_hand_computed():
    # (1 + 2 + 3 + 4)^2 / (4 x 30) = 100 / 120
    assert jain([1, 2, 3, 4]) == pytest.approx(5 / 6)
    assert jain([0, 0, 0, 6]) == pytest.approx(0.25)  # one agent carries all: 1 / n
    assert jain([3, 1]) == pytest.approx(0.8)  # 16 / (2 x 10)


@pytest.mark.parametrize("values", [[2, 2, 2], [0.5] * 4, [7]])
def test_gini_and_jain_all_equal(values):
    assert gini(values) == pytest.approx(0.0)
    assert jain(values) == pytest.approx(1.0)


@pytest.mark.parametrize("values", [[0, 0, 0], []])
def test_gini_and_jain_all_zero_or_empty(values):
    assert gini(values) == 0.0
    assert jain(values) == 1.0
