"""`scheduler reroster` (issue 13): repair a published roster after absences.

Every repair keeps the published shifts that start before the cutoff, holds every hard rule
across the cutoff with those kept days, and changes an agent-day only when the coverage it wins
is worth change_weight. Each repaired roster is checked by the rule checker (no hard violation).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from builders import (
    CMP,
    DIAGNOSIS_CLOCK,
    FREE,
    GEN,
    MONDAY,
    DiagnosisClock,
    agent,
    make_instance,
    need,
    request,
    roster_of,
    shift,
)
from openpyxl import Workbook, load_workbook

from scheduler import reroster
from scheduler.audit import audit
from scheduler.cli import main
from scheduler.errors import InfeasibleError
from scheduler.io.instance_writer import write_instance
from scheduler.reroster import RerosterResult
from scheduler.solver import SolveOptions

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = SolveOptions(time_limit=120, workers=1, deterministic_time=5)
LIMITS = ["--deterministic-time", "3", "--time-limit", "120", "--workers", "1"]
D = shift("D", "08:00", 480)
E = shift("E", "06:00", 480)
N = shift("N", "22:00", 480, night=True)


def day(number: int) -> dt.date:
    return MONDAY + dt.timedelta(days=number)


def build(agents, shifts, days, rules=None, **kwargs):
    return make_instance(agents, shifts, days=days, rules={**FREE, **(rules or {})}, **kwargs)


def repair(instance, published, start, absences=(), options=OPTIONS) -> RerosterResult:
    """Re-roster and check: no hard rule broken, every shift before the cutoff as published."""
    outcome = reroster(instance, published, start, absences, options)
    report = audit(outcome.instance, outcome.roster)
    assert not report.hard, [str(v) for v in report.hard]

    def before(roster):
        return {
            (a.agent_id, a.date, a.shift_id) for a in roster.assignments if a.start < outcome.cutoff
        }

    assert before(outcome.roster) == before(published)
    return outcome


def worked(roster) -> set[tuple[str, int, str]]:
    return {(a.agent_id, (a.date - MONDAY).days, a.shift_id) for a in roster.assignments}


def by_repair(outcome: RerosterResult) -> list[tuple[str, int, str, str]]:
    return [
        (c.agent_id, (c.date - MONDAY).days, c.published, c.new)
        for c in outcome.changes
        if c.reason != "absent"
    ]


# --- the change count -------------------------------------------------------------------------
def _two_a_day(rules=None):
    instance = build(
        [agent(f"A{i}") for i in range(1, 5)], [D], days=5, rules=rules,
        need=need(*[(d, "08:00", "16:00", 2) for d in range(5)]),
    )  # fmt: skip
    published = roster_of(instance, [(a, d, "D") for a in ("A1", "A2") for d in range(5)])
    return instance, published


def test_an_absence_filled_by_one_agent_gives_exactly_those_changes():
    instance, published = _two_a_day()
    outcome = repair(instance, published, day(2), {"A1": [day(2), day(3)]})
    absent = [
        (c.agent_id, c.date, c.published, c.new) for c in outcome.changes if c.reason == "absent"
    ]
    assert absent == [("A1", day(2), "D", ""), ("A1", day(3), "D", "")]
    added = by_repair(outcome)
    assert sorted(d for _, d, _, _ in added) == [2, 3]
    assert all(a in ("A3", "A4") and old == "" and new == "D" for a, _, old, new in added)
    assert all(c.reason == "coverage" for c in outcome.changes if c.reason != "absent")
    # everything else stands: A2 all week, A1 on the days the absence leaves
    assert {("A2", d, "D") for d in range(5)} | {("A1", 4, "D")} <= worked(outcome.roster)
    assert outcome.result.penalties["change_weight"] == pytest.approx(2 * 2000)
    assert outcome.coverage_published == pytest.approx(100.0)
    assert outcome.coverage_after_absences < outcome.coverage_repaired == pytest.approx(100.0)


def test_an_absence_not_worth_a_change_is_left_open_when_changes_cost_more():
    # one agent short for 8 hours costs 8 x 1000; a change here costs more
    instance, published = _two_a_day(rules={"change_weight": 100_000})
    outcome = repair(instance, published, day(2), {"A1": [day(2), day(3)]})
    assert by_repair(outcome) == []
    assert [c.reason for c in outcome.changes] == ["absent", "absent"]
    assert outcome.coverage_repaired == pytest.approx(outcome.coverage_after_absences)
    assert outcome.coverage_after_absences < outcome.coverage_published


def test_no_absence_and_no_new_demand_changes_nothing():
    instance, published = _two_a_day()
    outcome = repair(instance, published, day(1))
    assert outcome.changes == []
    assert worked(outcome.roster) == worked(published)


# --- hard rules across the cutoff -------------------------------------------------------------
def test_rest_after_a_kept_night_holds_across_the_cutoff():
    instance = build(
        [agent("A1"), agent("A2")], [N, E], days=3, need=need((1, "06:00", "14:00", 1)),
    )  # fmt: skip
    published = roster_of(instance, [("A1", 0, "N"), ("A2", 1, "E")])
    outcome = repair(instance, published, day(1), {"A2": [day(1)]})
    # E at 06:00 would start as the kept night ends: the gap stays open
    assert ("A1", 1, "E") not in worked(outcome.roster)
    assert ("A1", 0, "N") in worked(outcome.roster)
    assert outcome.coverage_repaired == pytest.approx(outcome.coverage_after_absences)


def test_a_run_of_days_counts_the_kept_days_before_the_cutoff():
    instance = build(
        [agent("A1"), agent("A2"), agent("A3")], [D], days=5,
        rules={"max_consecutive_days": 3},
        need=need(*[(d, "08:00", "16:00", 1) for d in range(5)]),
    )  # fmt: skip
    published = roster_of(instance, [("A1", 0, "D"), ("A1", 1, "D"), ("A1", 2, "D"),
                                     ("A2", 3, "D"), ("A2", 4, "D")])  # fmt: skip
    outcome = repair(instance, published, day(3), {"A2": [day(3)]})
    # A1 would work a fourth day in a row; A3 fills the gap instead
    assert by_repair(outcome) == [("A3", 3, "", "D")]


def test_weekly_hours_of_a_half_worked_week_count_the_kept_days():
    instance = build(
        [agent("A1"), agent("A2"), agent("A3")], [D], days=7,
        rules={"max_hours_week": 24},
        need=need(*[(d, "08:00", "16:00", 1) for d in range(7)]),
    )  # fmt: skip
    published = roster_of(
        instance, [("A1", d, "D") for d in range(3)] + [("A2", d, "D") for d in (3, 4, 5)]
        + [("A3", 6, "D")],
    )  # fmt: skip
    outcome = repair(instance, published, day(3), {"A2": [day(3), day(4)]})
    # A1 has its 24 hours in the kept days; A3 has room for two more shifts
    assert sorted(by_repair(outcome)) == [("A3", 3, "", "D"), ("A3", 4, "", "D")]
    assert outcome.coverage_repaired == pytest.approx(100.0)


def test_a_shift_already_started_keeps_its_complaint_blocks_at_a_midday_cutoff():
    rules = {"max_complaint_daily_minutes": 180, "max_complaint_continuous_minutes": 120,
             "complaint_recovery_minutes": 60}  # fmt: skip
    late = shift("L", "12:00", 480)
    instance = build(
        [agent(f"A{i}", skills=("GEN", "CMP")) for i in (1, 2, 3)], [D, late], days=2,
        queues=(GEN, CMP), rules=rules,
        need=need((0, "08:00", "16:00", 1, "GEN"), (0, "12:00", "20:00", 1, "CMP")),
    )  # fmt: skip
    published = roster_of(
        instance,
        [("A1", 0, "D"), ("A2", 0, "L")],
        [("A1", 0, "08:00", "10:00", "CMP"), ("A1", 0, "10:00", "11:00", "GEN"),
         ("A1", 0, "11:00", "12:00", "CMP"), ("A1", 0, "12:00", "16:00", "GEN"),
         ("A2", 0, "12:00", "16:00", "GEN"), ("A2", 0, "16:00", "18:00", "CMP"),
         ("A2", 0, "18:00", "20:00", "GEN")],
    )  # fmt: skip
    cutoff = dt.datetime.combine(day(0), dt.time(12, 0))
    outcome = repair(instance, published, cutoff, [("A2", day(0))])
    # A1 has taken its 180 complaint minutes by noon: its blocks stand as published
    kept = {b for b in published.activities if b.agent_id == "A1"}
    assert {b for b in outcome.roster.activities if b.agent_id == "A1"} == kept
    assert by_repair(outcome) == [("A3", 0, "", "L")]


def _night_then_fixed_early():
    """A7 published on Monday night; since publishing, Tuesday's early shift was pinned."""
    early = shift("E", "12:00", 300)
    return build(
        [agent("A7")], [N, early], days=2, requests=[request("A7", 1, "FIXED", "E")],
        need=need((1, "12:00", "17:00", 1)),
    )  # fmt: skip


def test_kept_days_that_leave_no_roster_name_the_conflict(monkeypatch):
    monkeypatch.setattr(DIAGNOSIS_CLOCK, DiagnosisClock())
    instance = _night_then_fixed_early()
    published = roster_of(instance, [("A7", 0, "N")])
    with pytest.raises(InfeasibleError) as caught:
        reroster(instance, published, day(1), (), OPTIONS)
    found = {(c.rule, c.agent_id, c.dates) for c in caught.value.conflicts}
    assert ("published", "A7", (day(0).isoformat(),)) in found
    assert ("fixed", "A7", (day(1).isoformat(),)) in found
    assert {rule for rule, _, _ in found} & {"min_rest_hours", "rest_after_nights_hours"}


# --- through the command ----------------------------------------------------------------------
def _grid(path: Path, instance, rows: dict[str, list[str]], dates=None) -> Path:
    """A hand-typed Roster grid: agents down, dates across."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Roster"
    ws.append(["agent_id", *(dates or instance.dates)])
    for agent_id, codes in rows.items():
        ws.append([agent_id, *codes])
    workbook.save(path)
    return path


@pytest.fixture
def small(tmp_path):
    instance, _ = _two_a_day()
    source = tmp_path / "week.xlsx"
    write_instance(instance, source)
    published = _grid(tmp_path / "published.xlsx", instance,
                      {"A1": ["D"] * 5, "A2": ["D"] * 5})  # fmt: skip
    return instance, source, published, tmp_path / "new.xlsx"


def _run(source, published, output, *extra) -> int:
    return main(["reroster", str(source), str(published), "-o", str(output), *LIMITS, "-q",
                 *extra])  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--from", "2026-03-04", "--absent", "A99=2026-03-04"], "A99"),
        (["--from", "2026-03-04", "--absent", "A1=2026-03-04..2026-03-10"], "2026-03-07"),
        (["--from", "2026-03-09"], "--from 2026-03-09"),
        (["--from", "2026-03-04", "--absent", "A1=2026-03-03"], "before --from"),
        (["--from", "2026-03-04", "--absent", "A1:2026-03-04"], "AGENT=YYYY-MM-DD"),
        (["--from", "Wednesday"], "--from 'Wednesday'"),
    ],
)
def test_bad_absences_and_cutoffs_exit_2_and_write_nothing(small, capsys, extra, named):
    _, source, published, output = small
    assert _run(source, published, output, *extra) == 2
    assert named in capsys.readouterr().err
    assert not output.exists()


def test_a_published_roster_of_another_team_exits_2(small, capsys):
    instance, source, _, output = small
    other = _grid(output.parent / "other.xlsx", instance, {"A1": ["D"] * 5, "Z9": ["D"] * 5})
    assert _run(source, other, output, "--from", "2026-03-04") == 2
    assert "unknown agent 'Z9'" in capsys.readouterr().err
    assert not output.exists()


def test_a_published_roster_of_other_dates_exits_2(small, capsys):
    instance, source, _, output = small
    later = [d + dt.timedelta(days=7) for d in instance.dates]
    other = _grid(output.parent / "other.xlsx", instance, {"A1": ["D"] * 5}, dates=later)
    assert _run(source, other, output, "--from", "2026-03-04") == 2
    assert "2026-03-09 is outside the instance's horizon" in capsys.readouterr().err
    assert not output.exists()


def test_a_published_roster_that_breaks_a_rule_before_the_cutoff_exits_2(tmp_path, capsys):
    instance = build(
        [agent("A1"), agent("A2")], [N, E], days=4, need=need((3, "06:00", "14:00", 1))
    )
    source = tmp_path / "week.xlsx"
    write_instance(instance, source)
    # E at 06:00 on Tuesday starts as Monday's night ends: the past already breaks the rest rule
    published = _grid(tmp_path / "published.xlsx", instance, {"A1": ["N", "E", "", ""]})
    output = tmp_path / "new.xlsx"
    assert _run(source, published, output, "--from", "2026-03-04") == 2
    err = capsys.readouterr().err
    assert "min_rest_hours: A1 2026-03-03 Roster!C2" in err
    assert "repair cannot change the past" in err
    assert not output.exists()


def test_kept_days_that_leave_no_roster_exit_3(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(DIAGNOSIS_CLOCK, DiagnosisClock())
    instance = _night_then_fixed_early()
    source = tmp_path / "week.xlsx"
    write_instance(instance, source)
    published = _grid(tmp_path / "published.xlsx", instance, {"A7": ["N", ""]})
    output = tmp_path / "new.xlsx"
    assert _run(source, published, output, "--from", "2026-03-03") == 3
    err = capsys.readouterr().err
    assert "published - agent A7 - 2026-03-02" in err and "fixed - agent A7 - 2026-03-03" in err
    assert not output.exists()


def _table(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def _summary(ws) -> dict:
    return {r[0]: r[1] for r in ws.iter_rows(min_row=4, values_only=True) if r[0] is not None}


def test_the_command_repairs_a_solved_roster_and_writes_the_changes(tmp_path, capsys):
    lunch = shift("D", "08:00", 480, breaks=[("LUNCH", 60, 180, 300)])
    instance = make_instance(
        [agent(f"A{i}") for i in range(1, 6)], [lunch], days=5, interval=60,
        rules={**FREE, "max_continuous_phone_minutes": 240},
        need=need(*[(d, "08:00", "16:00", 2) for d in range(5)]),
    )  # fmt: skip
    source, published, output = tmp_path / "w.xlsx", tmp_path / "pub.xlsx", tmp_path / "new.xlsx"
    write_instance(instance, source)
    assert main(["solve", str(source), "-o", str(published), *LIMITS, "-q"]) == 0
    capsys.readouterr()
    before = load_workbook(published)
    sick = next(r["agent_id"] for r in _table(before["Assignments"]) if r["date"].day == 4)
    code = _run(source, published, output, "--from", "2026-03-04",
                "--absent", f"{sick}=2026-03-04..2026-03-05")  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert re.search(rf"{sick}\s+2026-03-04\s+D\s+off\s+absent", out)
    after = load_workbook(output)
    changes = _table(after["Changes"])
    assert list(changes[0]) == ["agent_id", "date", "published", "new", "reason", "cell"]
    assert {(r["agent_id"], r["reason"]) for r in changes} >= {(sick, "absent")}
    cell = after["Roster"][changes[0]["cell"].partition("!")[2]]
    assert cell.comment is not None and cell.border.left.style == "thick"
    summary = _summary(after["Summary"])
    assert summary["changes"] == len(changes)
    for figure in ("coverage as published", "coverage after the absences",
                   "coverage after the repair", "changes by the repair"):  # fmt: skip
        assert summary[figure] is not None
    assert summary["hard violations"] == 0

    def until_wednesday(book, sheet):
        return sorted(
            tuple(r.values()) for r in _table(book[sheet]) if str(r["date"])[:10] < "2026-03-04"
        )

    for sheet in ("Assignments", "Activities"):
        assert until_wednesday(after, sheet) == until_wednesday(before, sheet)
    assert main(["audit", str(source), str(output)]) == 0


def test_readme_reroster_example_runs(capsys):
    readme = (ROOT / "README.md").read_text()
    [example] = re.findall(r"```py\n(.*?)```", readme, flags=re.DOTALL)
    assert "reroster(" in example
    exec(compile(example.replace("instances/", f"{ROOT}/instances/"), "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "coverage" in printed
