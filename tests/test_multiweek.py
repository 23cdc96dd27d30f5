"""Four weeks as one roster against four weeks rostered one at a time with the History sheet
pasted forward: the joint solve sees the week boundaries and is never worse."""

import datetime as dt

from builders import MONDAY, agent, make_instance, shift
from openpyxl import load_workbook

from scheduler.audit import audit
from scheduler.io.instance_writer import write_instance
from scheduler.model import Roster
from scheduler.report import HISTORY_COLUMNS
from scheduler.solver import SolveOptions
from scheduler.workflows import solve_workbook

AGENTS = ("A1", "A2", "A3")
WEEKS = 4
# Fairness is weighed by history, which the two ways count differently; coverage is compared.
RULES = {
    "min_hours_week": 0,
    "max_consecutive_days": 4,
    "max_continuous_phone_minutes": 480,  # the shift has no breaks
    "fair_weekends": 0,
    "fair_nights": 0,
    "fair_holidays": 0,
    "fair_complaint_hours": 0,
}
OPTIONS = SolveOptions(time_limit=120, workers=1, deterministic_time=5)


def _need(first_day: int):
    """Two agents 09-17 every day, three on each Monday after the first: 59 agent-days against
    the 60 that three agents of five days a week can work, and four days in a row at most, so
    each week's end decides who can work the next Monday."""

    def required(day: int, minute: int, queue_id: str) -> int:
        on_day = first_day + day
        if not 9 * 60 <= minute < 17 * 60:
            return 0
        return 3 if on_day % 7 == 0 and on_day > 0 else 2

    return required


def _instance(first_day: int, days: int, history: dict[str, dict]):
    return make_instance(
        [agent(a, **history.get(a, {})) for a in AGENTS],
        [shift("D", "09:00", 480)],
        days=days,
        need=_need(first_day),
        rules=RULES,
        start=MONDAY + dt.timedelta(days=first_day),
    )


def _pasted(path) -> dict[str, dict]:
    """The History sheet pasted over the Agents history columns, as a scheduler does it."""
    rows = list(load_workbook(path)["History"].iter_rows(values_only=True))
    header = rows[0]
    pasted = {}
    for row in rows[1:]:
        values = dict(zip(header, row))
        if values.get("agent_id") in AGENTS:
            pasted[values["agent_id"]] = {k: values[k] for k in HISTORY_COLUMNS}
    return pasted


def test_four_weeks_at_once_never_cover_less_than_week_by_week(tmp_path):
    whole = _instance(0, 7 * WEEKS, {})
    write_instance(whole, tmp_path / "month.xlsx")
    joint = solve_workbook(tmp_path / "month.xlsx", tmp_path / "month-roster.xlsx", OPTIONS)
    joint_report = audit(joint.instance, joint.result.roster)
    assert joint_report.hard == []

    assignments, activities, history = [], [], {}
    for week in range(WEEKS):
        path = tmp_path / f"week{week}.xlsx"
        write_instance(_instance(7 * week, 7, history), path)
        run = solve_workbook(path, tmp_path / f"week{week}-roster.xlsx", OPTIONS)
        assert run.report.hard == []
        assignments.extend(run.result.roster.assignments)
        activities.extend(run.result.roster.activities or ())
        history = _pasted(tmp_path / f"week{week}-roster.xlsx")
    pieced = audit(joint.instance, Roster(assignments=tuple(assignments), activities=activities))

    # Pasted history carries every cross-week rule: the pieced month breaks none.
    assert pieced.hard == []
    assert joint_report.coverage_percent == 100.0
    assert joint_report.coverage_percent >= pieced.coverage_percent - 1e-9
