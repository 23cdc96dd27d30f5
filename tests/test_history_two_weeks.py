"""History carries the load forward: week 1, History pasted into week 2, week 2 spreads the
two-week weekend load at least as evenly (variance) as solving both weeks at once."""

import datetime as dt

from builders import MONDAY, agent, make_instance, shift
from openpyxl import load_workbook

from scheduler.audit import agent_loads, audit
from scheduler.audit.fairness import spread_stats
from scheduler.audit.view import RosterView
from scheduler.io.instance_reader import read_instance
from scheduler.io.instance_writer import write_instance
from scheduler.io.roster_reader import read_roster
from scheduler.model import Roster
from scheduler.solver import SolveOptions
from scheduler.workflows import solve_workbook

HISTORY = {"A1": 0, "A2": 2, "A3": 4, "A4": 6}
RULES = {"min_hours_week": 0, "fair_nights": 0, "fair_holidays": 0}
OPTIONS = SolveOptions(time_limit=120, workers=1, deterministic_time=5)


def _checked(run, path) -> None:
    """The roster file holds the roster the rule checker passed. (These instances have no queues,
    so no activities: `scheduler audit` on such a file is a known bug, see test_robustness.)"""
    assert run.report.hard == []
    written = read_roster(path, run.instance).roster
    assert set(written.assignments) == set(run.result.roster.assignments)
    assert audit(run.instance, Roster(assignments=written.assignments)).hard == []


def _instance(days: int, start: dt.date, history: dict[str, dict]):
    agents = [agent(agent_id, skills=(), **history[agent_id]) for agent_id in HISTORY]
    demand = [(day, "D", 2) for day in range(days)]
    instance = make_instance(
        agents, [shift("D", "09:00", 480)], days=days, queues=(), shift_demand=demand,
        rules=RULES, start=start,
    )  # fmt: skip
    return instance


def _weekend_variance(instance, roster) -> float:
    loads = agent_loads(RosterView(instance, roster))
    return spread_stats(loads, "weekend_days", with_history=True).variance


def _pasted(history_sheet) -> dict[str, dict]:
    """What a scheduler gets by pasting the History sheet over the Agents history columns."""
    rows = list(history_sheet.iter_rows(values_only=True))
    header = rows[0]
    pasted = {}
    for row in rows[1:]:
        if row[0] not in HISTORY:
            continue
        values = dict(zip(header, row))
        pasted[row[0]] = {
            "hist_weekends": values["hist_weekends"],
            "consecutive_days_before": values["consecutive_days_before"],
            "last_shift_end": values["last_shift_end"],
            "nights_before": values["nights_before"],
        }
    return pasted


def test_week_by_week_with_history_is_as_fair_as_two_weeks_at_once(tmp_path):
    start_history = {a: {"hist_weekends": h} for a, h in HISTORY.items()}
    both = _instance(14, MONDAY, start_history)
    write_instance(both, tmp_path / "both.xlsx")
    joint = solve_workbook(tmp_path / "both.xlsx", tmp_path / "both-roster.xlsx", OPTIONS)
    _checked(joint, tmp_path / "both-roster.xlsx")
    joint_variance = _weekend_variance(joint.instance, joint.result.roster)

    write_instance(_instance(7, MONDAY, start_history), tmp_path / "week1.xlsx")
    first = solve_workbook(tmp_path / "week1.xlsx", tmp_path / "week1-roster.xlsx", OPTIONS)
    _checked(first, tmp_path / "week1-roster.xlsx")
    history = _pasted(load_workbook(tmp_path / "week1-roster.xlsx")["History"])
    week2 = _instance(7, MONDAY + dt.timedelta(days=7), history)
    write_instance(week2, tmp_path / "week2.xlsx")
    second = solve_workbook(tmp_path / "week2.xlsx", tmp_path / "week2-roster.xlsx", OPTIONS)
    _checked(second, tmp_path / "week2-roster.xlsx")
    sequential_variance = _weekend_variance(second.instance, second.result.roster)

    # With history [0, 2, 4, 6] and 8 weekend shifts to give out (at most 4 each), the totals
    # can do no better than [4, 5, 5, 6] in some order: mean 5, variance 0.5.
    assert joint_variance == 0.5
    assert sequential_variance <= joint_variance * 1.05
    # The pasted history really is week 1's load on top of the starting history.
    for agent_id, start in HISTORY.items():
        week1_weekends = sum(
            1
            for a in first.result.roster.assignments
            if a.agent_id == agent_id and a.date.weekday() >= 5
        )
        assert history[agent_id]["hist_weekends"] == start + week1_weekends


def test_history_columns_continue_runs_across_the_week_boundary(tmp_path):
    instance = _instance(7, MONDAY, {a: {"hist_weekends": h} for a, h in HISTORY.items()})
    write_instance(instance, tmp_path / "week.xlsx")
    run = solve_workbook(tmp_path / "week.xlsx", tmp_path / "roster.xlsx", OPTIONS)
    _checked(run, tmp_path / "roster.xlsx")
    history = _pasted(load_workbook(tmp_path / "roster.xlsx")["History"])
    read_back = read_instance(tmp_path / "week.xlsx")
    for agent_id in HISTORY:
        worked = sorted(a.date for a in run.result.roster.assignments if a.agent_id == agent_id)
        last_day = read_back.dates[-1]
        run_length = 0
        day = last_day
        while day in worked:
            run_length += 1
            day -= dt.timedelta(days=1)
        assert history[agent_id]["consecutive_days_before"] == run_length
        if worked:
            end = max(a.end for a in run.result.roster.assignments if a.agent_id == agent_id)
            assert history[agent_id]["last_shift_end"] == end
    assert audit(read_back, run.result.roster).hard == []
