"""`scheduler audit` on a roster typed by hand as a Roster grid (SPEC sections 2, 4 and 6).

A scheduler types agent ids down column A, dates across the header row (Excel dates or text such
as "Tue 2026-03-03"), a shift code per cell (any case), blank for a day off and LEAVE for leave;
optionally an Activities sheet says what each agent does inside the shift. For every hard rule a
tiny grid breaks exactly that rule once, and the audit must exit 1, name the rule, the agent, the
date and the Roster cell, and break no other hard rule. Bad grids exit 2 and write nothing.
Nothing here solves.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from builders import CMP, GEN, MONDAY, agent, make_instance, request, shift
from openpyxl import Workbook, load_workbook

from scheduler.audit.findings import HARD_RULES, INTRADAY_RULES
from scheduler.cli import main
from scheduler.io.instance_writer import write_instance
from scheduler.model import Instance

# Weekly limits scale down on short horizons (40 h x 3/7 -> 18 h); lift them unless tested.
FREE = {"max_hours_week": 168, "min_hours_week": 0, "max_days_week": 7}
NO_PHONE_CAP = {"max_continuous_phone_minutes": 1440}
COLUMNS = "BCDEFGHIJKLMNOP"  # column of horizon day 0, 1, ... when ids are in column A

E = shift("E", "08:00", 480)
L = shift("L", "14:00", 480)
N = shift("N", "22:00", 480, night=True)
M = shift("M", "06:00", 240)
D = shift("D", "09:00", 180, breaks=[("BREAK", 15, 60, 120)])  # break starts 10:00-11:00
C = shift("C", "08:00", 240)
NB = shift("NB", "22:00", 240, night=True, breaks=[("BREAK", 15, 60, 120)])  # 23:00-00:00
SATURDAY = dt.date(2026, 3, 7)
DAY_BLOCKS = [("09:00", "10:30", "GEN"), ("10:30", "10:45", "BREAK"), ("10:45", "12:00", "GEN")]


# --- writing the workbooks --------------------------------------------------------------------


def header_value(date: dt.date, index: int) -> Any:
    """Even columns hold an Excel date, odd ones text like 'Tue 2026-03-03'."""
    return date if index % 2 == 0 else f"{date:%a} {date:%Y-%m-%d}"


def write_grid(
    path: Path,
    codes: dict[str, list[str | None]],
    start: dt.date = MONDAY,
    activities: list[tuple[str, int, str, str, str]] | None = None,
    title: str | None = None,
    names: bool = False,
    extra_dates: tuple[dt.date, ...] = (),
) -> dict[tuple[str, dt.date], str]:
    """A workbook with a Roster grid (and optionally Activities, given as (agent_id, day,
    'HH:MM' start, 'HH:MM' end, activity)); returns the cell we typed each (agent, date) in."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Roster"
    days = max(len(row) for row in codes.values())
    dates = [start + dt.timedelta(days=i) for i in range(days)]
    letters = COLUMNS[1:] if names else COLUMNS  # a name column pushes the dates right
    if title is not None:
        ws.append([title])
    header_row = ws.max_row + 1 if title is not None else 1
    lead = ["Agent", "Name"] if names else ["Agent"]
    header = [header_value(d, i) for i, d in enumerate([*dates, *extra_dates])]
    ws.append([*lead, *header])
    refs = {}
    for offset, (agent_id, row) in enumerate(codes.items(), start=1):
        lead_cells = [agent_id, f"Agent {agent_id}"] if names else [agent_id]
        ws.append([*lead_cells, *row])
        for index, date in enumerate(dates):
            refs[(agent_id, date)] = f"Roster!{letters[index]}{header_row + offset}"
    if activities is not None:
        sheet = workbook.create_sheet("Activities")
        sheet.append(["agent_id", "date", "start", "end", "activity"])
        first: dict[tuple[str, int], dt.datetime] = {}  # each shift's first block
        for agent_id, day, begin, finish, activity in activities:
            date = dates[day]
            start_at = dt.datetime.combine(date, dt.time.fromisoformat(begin))
            if start_at < first.setdefault((agent_id, day), start_at):  # past midnight
                start_at += dt.timedelta(days=1)
            end_at = dt.datetime.combine(date, dt.time.fromisoformat(finish))
            while end_at <= start_at:
                end_at += dt.timedelta(days=1)
            shown_date = date if day % 2 == 0 else date.isoformat()
            sheet.append(
                [agent_id, shown_date, f"{start_at:%Y-%m-%d %H:%M}", f"{end_at:%Y-%m-%d %H:%M}",
                 activity]
            )  # fmt: skip
    workbook.save(path)
    return refs


@dataclass
class Run:
    code: int
    out: str
    err: str
    report: Path
    refs: dict[tuple[str, dt.date], str]


def run_audit(tmp_path: Path, capsys, instance: Instance, codes: dict, **grid: Any) -> Run:
    instance_path = tmp_path / "instance.xlsx"
    roster_path = tmp_path / "roster.xlsx"
    report_path = tmp_path / "report.xlsx"
    write_instance(instance, instance_path)
    refs = write_grid(roster_path, codes, instance.settings.start_date, **grid)
    capsys.readouterr()
    code = main(["audit", str(instance_path), str(roster_path), "-o", str(report_path)])
    captured = capsys.readouterr()
    # The first line echoes the roster path, which holds the test's name; keep it out of searches.
    out = captured.out.replace(str(tmp_path), "<tmp>")
    return Run(code, out, captured.err.replace(str(tmp_path), "<tmp>"), report_path, refs)


def violation_rows(report: Path) -> list[dict[str, Any]]:
    workbook = load_workbook(report, read_only=True)
    try:
        rows = list(workbook["Violations"].iter_rows(values_only=True))
    finally:
        workbook.close()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r)) for r in rows[1:] if r[0] is not None]


def hard_rows(report: Path) -> list[dict[str, Any]]:
    return [r for r in violation_rows(report) if r["severity"] == "hard"]


def as_date(value: Any) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def build(agents, shifts=(E, L, N), days=3, rules=None, **kwargs) -> Instance:
    return make_instance(agents, shifts, days=days, rules={**FREE, **(rules or {})}, **kwargs)


# --- one case per hard rule -------------------------------------------------------------------


@dataclass
class Case:
    id: str
    rule: str
    instance: Instance
    codes: dict[str, list[str | None]]
    agent_id: str = "A2"
    day: int | None = None  # the offending cell's day; None when no single cell is at fault
    activities: list[tuple[str, int, str, str, str]] | None = None

    @property
    def date(self) -> dt.date | None:
        if self.day is None:
            return None
        return self.instance.settings.start_date + dt.timedelta(days=self.day)


def shift_cases() -> list[Case]:
    """Rules read from the grid alone; A1 works a clean pattern, A2 breaks the rule."""
    one, two = agent("A1"), agent
    return [
        Case("one_shift_per_day-leave", "one_shift_per_day",
             build([one, two("A2")], requests=[request("A2", 1, "LEAVE")]),
             {"A1": ["E", "e", None], "A2": [None, "E", None]}, day=1),
        Case("one_shift_per_day-two-codes", "one_shift_per_day",
             build([one, two("A2")], shifts=(E, M, N)),
             {"A1": ["E", None, "e"], "A2": [None, "M/N", None]}, day=1),
        Case("min_rest_hours", "min_rest_hours", build([one, two("A2")]),
             {"A1": ["E", "e", None], "A2": ["L", "e", None]}, day=1),
        Case("max_consecutive_days", "max_consecutive_days",
             build([one, two("A2", max_consecutive_days=2)]),
             {"A1": ["E", "e", None], "A2": ["E", "e", "E"]}, day=2),
        Case("max_consecutive_days-history", "max_consecutive_days",
             build([one, two("A2", consecutive_days_before=5)]),
             {"A1": ["E", "e", None], "A2": ["E", "e", None]}, day=1),
        Case("max_days_week", "max_days_week",
             build([one, two("A2", max_days_week=2)], days=7),
             {"A1": ["E", "E", None, None, None, None, None],
              "A2": ["E", None, "e", None, "E", None, None]}),
        Case("min_hours_week", "min_hours_week",
             build([one, two("A2", min_hours_week=20)], days=7),
             {"A1": ["E", "E", None, None, None, None, None],
              "A2": ["E", None, "e", None, None, None, None]}),
        Case("max_hours_week", "max_hours_week",
             build([one, two("A2", max_hours_week=10)], days=7),
             {"A1": ["E", "E", None, None, None, None, None],
              "A2": ["E", None, "e", None, None, None, None]}),
        Case("min_consecutive_days", "min_consecutive_days",
             build([one, two("A2", min_consecutive_days=2)], days=5),
             {"A1": ["E", "E", None, "E", "E"], "A2": [None, None, "e", None, None]}, day=2),
        Case("min_consecutive_days_off", "min_consecutive_days_off",
             build([one, two("A2", min_consecutive_days_off=2)], days=5),
             {"A1": ["E", "E", None, "E", "E"], "A2": ["E", "e", None, "E", "E"]}, day=2),
        Case("max_shifts", "max_shifts", build([one, two("A2", max_shifts={"E": 1})]),
             {"A1": ["E", None, "E"], "A2": ["E", None, "e"]}),
        Case("max_weekends", "max_weekends",
             build([one, two("A2", max_weekends=0)], start=SATURDAY),
             {"A1": ["E", None, None], "A2": [None, "e", None]}),
        Case("min_total_hours", "min_total_hours",
             build([one, two("A2", min_total_hours=20)]),
             {"A1": ["E", None, "E"], "A2": ["E", None, "e"]}),
        Case("max_total_hours", "max_total_hours",
             build([one, two("A2", max_total_hours=10)]),
             {"A1": ["E", None, "E"], "A2": ["E", None, "e"]}),
        Case("not_followed_by", "not_followed_by",
             build([one, two("A2")], shifts=(shift("E", not_followed_by=["L"]), L, N)),
             {"A1": ["E", None, "E"], "A2": ["e", "L", None]}, day=1),
        Case("max_consecutive_nights", "max_consecutive_nights",
             build([one, two("A2", max_consecutive_nights=1)]),
             {"A1": ["E", None, "E"], "A2": ["N", "n", None]}, day=1),
        Case("rest_after_nights_hours", "rest_after_nights_hours", build([one, two("A2")]),
             {"A1": ["E", None, "E"], "A2": ["N", None, "e"]}, day=2),
        Case("new_hire_nights", "new_hire_nights",
             build([one, two("A2", hire_date=MONDAY - dt.timedelta(days=30))]),
             {"A1": ["E", None, "E"], "A2": [None, "n", None]}, day=1),
        Case("skills-shift-list", "skills", build([one, two("A2", shifts=("E",))]),
             {"A1": ["E", None, "E"], "A2": ["E", "l", None]}, day=1),
        Case("skills-night_ok", "skills", build([one, two("A2", night_ok=False)]),
             {"A1": ["E", None, "E"], "A2": [None, "N", None]}, day=1),
        Case("shift_weekdays", "shift_weekdays",
             build([one, two("A2")], shifts=(shift("E", weekdays=[0, 1]), L, N)),
             {"A1": ["E", "E", None], "A2": [None, None, "e"]}, day=2),
        Case("fixed", "fixed", build([one, two("A2")], requests=[request("A2", 1, "FIXED", "E")]),
             {"A1": ["E", None, "E"], "A2": [None, "L", None]}, day=1),
    ]  # fmt: skip


def intraday(
    rule, blocks, case_id=None, rules=None, shifts=(D,), extra=(), day=1, **fields
) -> Case:
    """A2 works one shift on `day` (cell C3 for day 1) with these (start, end, activity) blocks;
    `extra` blocks are (agent_id, day, start, end, activity)."""
    instance = build(
        [agent("A1"), agent("A2", **{"skills": ("GEN", "CMP"), **fields})],
        shifts=shifts,
        interval=15,
        queues=(GEN, CMP),
        rules=rules,
    )
    code = shifts[0].shift_id.lower()
    return Case(
        case_id or rule,
        rule,
        instance,
        {"A1": [None, None, None], "A2": [None, code, None]},
        day=day,
        activities=[("A2", 1, s, e, a) for s, e, a in blocks] + list(extra),
    )


def intraday_cases() -> list[Case]:
    return [
        intraday("breaks", [("09:00", "09:30", "GEN"), ("09:30", "09:45", "BREAK"),
                            ("09:45", "12:00", "GEN")]),
        intraday("activities", [("09:00", "10:30", "GEN"), ("10:30", "10:45", "BREAK"),
                                ("11:00", "12:00", "GEN")]),
        intraday("activities", case_id="activities-on-a-day-off", blocks=DAY_BLOCKS,
                 extra=[("A2", 2, "09:00", "10:00", "GEN")], day=2),
        intraday("breaks", case_id="breaks-night-past-midnight", shifts=(NB,),
                 blocks=[("22:00", "00:15", "GEN"), ("00:15", "00:30", "BREAK"),
                         ("00:30", "02:00", "GEN")]),
        intraday("max_continuous_phone_minutes",
                 [("09:00", "10:45", "GEN"), ("10:45", "11:00", "BREAK"),
                  ("11:00", "12:00", "GEN")],
                 rules={"max_continuous_phone_minutes": 90}),
        intraday("max_complaint_continuous_minutes",
                 [("08:00", "10:30", "CMP"), ("10:30", "12:00", "GEN")],
                 rules=NO_PHONE_CAP, shifts=(C,)),
        intraday("complaint_recovery_minutes",
                 [("08:00", "09:00", "CMP"), ("09:00", "09:15", "GEN"),
                  ("09:15", "10:00", "CMP"), ("10:00", "12:00", "GEN")],
                 rules=NO_PHONE_CAP, shifts=(C,)),
        intraday("max_complaint_daily_minutes",
                 [("08:00", "09:30", "CMP"), ("09:30", "12:00", "GEN")],
                 rules={**NO_PHONE_CAP, "max_complaint_daily_minutes": 60}, shifts=(C,)),
        intraday("new_hire_complaints",
                 [("08:00", "09:00", "CMP"), ("09:00", "12:00", "GEN")],
                 rules=NO_PHONE_CAP, shifts=(C,), hire_date=MONDAY - dt.timedelta(days=30)),
        intraday("skills", [("08:00", "09:00", "CMP"), ("09:00", "12:00", "GEN")],
                 case_id="skills-queue", rules=NO_PHONE_CAP, shifts=(C,), skills=("GEN",)),
    ]  # fmt: skip


CASES = shift_cases() + intraday_cases()


def test_every_hard_rule_has_a_grid_case():
    assert {case.rule for case in CASES} == set(HARD_RULES)
    intraday_rules = {case.rule for case in CASES if case.activities is not None}
    assert set(INTRADAY_RULES) <= intraday_rules


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_grid_breaking_one_rule(case: Case, tmp_path, capsys):
    run = run_audit(tmp_path, capsys, case.instance, case.codes, activities=case.activities)
    assert run.code == 1, run.out + run.err
    assert "Traceback" not in run.err
    # The printed line names the rule, the agent, the date and the cell the scheduler typed.
    lines = [
        line
        for line in run.out.splitlines()
        if re.search(rf"\b{case.rule}\b", line) and re.search(rf"\b{case.agent_id}\b", line)
    ]
    assert len(lines) == 1, run.out
    if case.date is not None:
        ref = run.refs[(case.agent_id, case.date)]
        assert case.date.isoformat() in lines[0], run.out
        assert re.search(rf"{re.escape(ref)}(?!\d)", lines[0]), (ref, run.out)
    # That rule, once, and no other hard rule.
    hard = hard_rows(run.report)
    assert [(r["rule"], r["agent_id"]) for r in hard] == [(case.rule, case.agent_id)], hard
    if case.date is not None:
        assert as_date(hard[0]["date"]) == case.date
        assert hard[0]["cell"] == run.refs[(case.agent_id, case.date)]


def test_cell_reference_follows_a_title_row_and_a_name_column(tmp_path, capsys):
    """The grid starts lower and further right: the cell named is still the one typed."""
    instance = build([agent("A1"), agent("A2")])
    codes = {"A1": ["E", "e", None], "A2": ["L", "e", None]}
    run = run_audit(tmp_path, capsys, instance, codes, title="Team B roster", names=True)
    assert run.code == 1, run.out + run.err
    assert run.refs[("A2", MONDAY + dt.timedelta(days=1))] == "Roster!D4"
    assert re.search(r"min_rest_hours: A2 2026-03-03 Roster!D4(?!\d)", run.out), run.out
    hard = hard_rows(run.report)
    assert [(r["rule"], r["cell"]) for r in hard] == [("min_rest_hours", "Roster!D4")]


def test_title_row_holding_a_date_is_not_taken_for_the_header(tmp_path, capsys):
    """A title like 'Roster for the week of 2026-03-02' above the real header row."""
    instance = build([agent("A1"), agent("A2")])
    codes = {"A1": ["E", "e", None], "A2": ["L", "e", None]}
    run = run_audit(tmp_path, capsys, instance, codes, title="Roster for the week of 2026-03-02")
    assert run.code == 1, run.out + run.err
    assert re.search(r"min_rest_hours: A2 2026-03-03 Roster!C4(?!\d)", run.out), run.out


def test_shift_codes_under_an_unreadable_date_header_are_not_silently_skipped(tmp_path, capsys):
    """A header typed '03.03.2026' (not YYYY-MM-DD) above shift codes: the audit must not
    call the roster clean while ignoring that column (SPEC 2: bad input is named, exit 2)."""
    instance = build([agent("A1"), agent("A2")])
    roster_path = tmp_path / "roster.xlsx"
    write_instance(instance, tmp_path / "instance.xlsx")
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Roster"
    ws.append(["Agent", MONDAY, "03.03.2026", dt.date(2026, 3, 4)])
    ws.append(["A1", "E", "e", None])
    ws.append(["A2", "L", "e", None])  # L then E: 10 h rest, if the column were read
    workbook.save(roster_path)
    report = tmp_path / "report.xlsx"
    code = main(["audit", str(tmp_path / "instance.xlsx"), str(roster_path), "-o", str(report)])
    captured = capsys.readouterr()
    assert code == 2, captured.out
    assert "03.03.2026" in captured.err
    assert not report.exists()


# --- clean grids ------------------------------------------------------------------------------


def clean_instance(**kwargs) -> Instance:
    return build(
        [agent("A1"), agent("A2", skills=("GEN", "CMP")), agent("A3")],
        shifts=(D, C, NB),
        interval=15,
        queues=(GEN, CMP),
        requests=[request("A2", 2, "LEAVE")],
        rules=NO_PHONE_CAP,  # shift C has no break
        **kwargs,
    )


CLEAN_CODES = {"A1": ["D", "d", None], "A2": ["c", None, "LEAVE"], "A3": [None, "nb", None]}
CLEAN_BLOCKS = [
    ("A1", 0, "09:00", "10:30", "GEN"),
    ("A1", 0, "10:30", "10:45", "BREAK"),
    ("A1", 0, "10:45", "12:00", "GEN"),
    ("A1", 1, "09:00", "10:15", "GEN"),
    ("A1", 1, "10:15", "10:30", "BREAK"),
    ("A1", 1, "10:30", "12:00", "GEN"),
    ("A2", 0, "08:00", "09:30", "CMP"),
    ("A2", 0, "09:30", "10:15", "GEN"),
    ("A2", 0, "10:15", "12:00", "CMP"),
    ("A3", 1, "22:00", "23:30", "GEN"),  # the night's blocks carry the shift's date
    ("A3", 1, "23:30", "23:45", "BREAK"),
    ("A3", 1, "23:45", "02:00", "GEN"),
]


def test_clean_grid_without_activities_exits_0_and_names_unchecked_rules(tmp_path, capsys):
    run = run_audit(tmp_path, capsys, clean_instance(), CLEAN_CODES)
    assert run.code == 0, run.out + run.err
    assert "no hard rule is broken" in run.out
    assert "Roster" in run.out.splitlines()[0]
    unchecked = [line for line in run.out.splitlines() if "not checked" in line]
    assert len(unchecked) == 1, run.out
    for rule in INTRADAY_RULES:
        assert re.search(rf"\b{rule}\b", unchecked[0]), (rule, unchecked[0])
    assert hard_rows(run.report) == []


def test_clean_grid_with_activities_checks_every_rule(tmp_path, capsys):
    run = run_audit(tmp_path, capsys, clean_instance(), CLEAN_CODES, activities=CLEAN_BLOCKS)
    assert run.code == 0, run.out + run.err
    assert "no hard rule is broken" in run.out
    assert "not checked" not in run.out
    assert hard_rows(run.report) == []


def test_leave_typed_without_a_request_and_off_words_are_not_shifts(tmp_path, capsys):
    """LEAVE on a day without a LEAVE request, and '-' / 'OFF' for days off, are no shifts."""
    instance = build([agent("A1"), agent("A2")])
    run = run_audit(
        tmp_path, capsys, instance, {"A1": ["E", "LEAVE", "e"], "A2": ["-", "OFF", " L "]}
    )
    assert run.code == 0, run.out + run.err
    workbook = load_workbook(run.report, read_only=True)
    try:
        summary = {r[0]: r[1] for r in workbook["Summary"].iter_rows(values_only=True) if r}
    finally:
        workbook.close()
    assert summary.get("shifts in the roster") == 3


# --- bad grids: exit 2, every problem named, nothing written ------------------------------------


def bad_run(tmp_path, capsys, codes, instance=None, **grid) -> Run:
    instance = instance or build([agent("A1"), agent("A2"), agent("A3")], days=4)
    run = run_audit(tmp_path, capsys, instance, codes, **grid)
    assert run.code == 2, run.out + run.err
    assert "Traceback" not in run.err + run.out
    assert not run.report.exists()
    return run


GOOD = {"A1": ["E", None, "E", None], "A2": [None, "L", None, "L"], "A3": ["E", "e", None, None]}


def test_unknown_shift_code_names_the_roster_cell(tmp_path, capsys):
    run = bad_run(tmp_path, capsys, {**GOOD, "A3": ["E", "e", None, "Q"]})
    assert re.search(r"Roster!E4(?!\d)", run.err), run.err
    assert "'Q'" in run.err


def test_unknown_agent_names_the_row(tmp_path, capsys):
    run = bad_run(tmp_path, capsys, {**GOOD, "A9": ["E", None, None, None]})
    assert "A9" in run.err
    assert "Roster" in run.err and "row 5" in run.err, run.err


def test_date_outside_the_horizon(tmp_path, capsys):
    outside = MONDAY + dt.timedelta(days=4)
    run = bad_run(tmp_path, capsys, GOOD, extra_dates=(outside,))
    assert outside.isoformat() in run.err
    assert "horizon" in run.err and "Roster" in run.err, run.err


def test_date_before_the_horizon(tmp_path, capsys):
    instance = build([agent("A1"), agent("A2"), agent("A3")], days=4, start=MONDAY)
    instance_path = tmp_path / "instance.xlsx"
    roster_path = tmp_path / "roster.xlsx"
    write_instance(instance, instance_path)
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Roster"
    ws.append(["Agent", "Sun 2026-03-01", MONDAY])
    ws.append(["A1", "E", None])
    workbook.save(roster_path)
    report = tmp_path / "report.xlsx"
    code = main(["audit", str(instance_path), str(roster_path), "-o", str(report)])
    err = capsys.readouterr().err
    assert code == 2
    assert "2026-03-01" in err and "horizon" in err
    assert not report.exists()


def test_every_problem_is_reported_at_once(tmp_path, capsys):
    codes = {**GOOD, "A3": ["E", "e", None, "Q"], "A9": ["E", None, None, None]}
    run = bad_run(tmp_path, capsys, codes)
    assert re.search(r"Roster!E4(?!\d)", run.err) and "A9" in run.err, run.err
    assert "2 problems" in run.err, run.err


def test_workbook_without_roster_or_assignments_sheet(tmp_path, capsys):
    instance = build([agent("A1")])
    instance_path = tmp_path / "instance.xlsx"
    roster_path = tmp_path / "roster.xlsx"
    report = tmp_path / "report.xlsx"
    write_instance(instance, instance_path)
    workbook = Workbook()
    workbook.active.title = "Plan"
    workbook.active.append(["Agent", MONDAY])
    workbook.active.append(["A1", "E"])
    workbook.save(roster_path)
    code = main(["audit", str(instance_path), str(roster_path), "-o", str(report)])
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err
    assert "Roster" in captured.err and "Assignments" in captured.err, captured.err
    assert not report.exists()


def test_bad_grid_leaves_an_existing_report_untouched(tmp_path, capsys):
    report = tmp_path / "report.xlsx"
    report.write_bytes(b"previous report")
    instance = build([agent("A1"), agent("A2"), agent("A3")], days=4)
    write_instance(instance, tmp_path / "instance.xlsx")
    write_grid(tmp_path / "roster.xlsx", {**GOOD, "A3": ["E", "e", None, "Q"]})
    code = main(
        ["audit", str(tmp_path / "instance.xlsx"), str(tmp_path / "roster.xlsx"), "-o", str(report)]
    )
    assert code == 2
    assert report.read_bytes() == b"previous report"


# --- the report workbook ----------------------------------------------------------------------


def test_report_workbook_of_a_violating_grid(tmp_path, capsys):
    instance = build(
        [agent("A1"), agent("A2")],
        need=lambda day, minute, queue: 1 if 8 * 60 <= minute < 16 * 60 else 0,
    )
    run = run_audit(tmp_path, capsys, instance, {"A1": ["E", "e", None], "A2": ["L", "e", None]})
    assert run.code == 1
    workbook = load_workbook(run.report, read_only=True)
    try:
        sheets = workbook.sheetnames
        header = next(workbook["Violations"].iter_rows(max_row=1, values_only=True))
    finally:
        workbook.close()
    assert {"Summary", "Violations", "Fairness", "Coverage"} <= set(sheets), sheets
    assert "cell" in header
    rows = violation_rows(run.report)
    rest = [r for r in rows if r["rule"] == "min_rest_hours"]
    assert len(rest) == 1 and rest[0]["cell"] == "Roster!C3"
    assert rest[0]["agent_id"] == "A2" and as_date(rest[0]["date"]) == dt.date(2026, 3, 3)
