"""End to end through the `scheduler` command (SPEC sections 2 and 6)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from pathlib import Path

import pytest
from builders import DIAGNOSIS_CLOCK, DiagnosisClock, agent, make_instance, request, shift
from openpyxl import load_workbook

from scheduler.audit import audit
from scheduler.cli import main
from scheduler.io.instance_reader import read_instance
from scheduler.io.instance_writer import write_instance
from scheduler.io.roster_reader import read_roster

SOLVE_LIMITS = ["--deterministic-time", "3", "--time-limit", "120", "--workers", "1"]
ROSTER_SHEETS = [
    "Summary",
    "Roster",
    "Assignments",
    "Activities",
    "Timeline",
    "Coverage",
    "Fairness",
    "Violations",
    "History",
]
STAMP = "%Y-%m-%d %H:%M"


def _solve(instance: Path, roster: Path) -> tuple[int, bytes, bytes]:
    before = instance.read_bytes()
    code = main(["solve", str(instance), "-o", str(roster), *SOLVE_LIMITS])
    return code, before, instance.read_bytes()


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> dict[str, tuple[Path, Path, int, bool]]:
    """Template and tiny.xlsx solved once: name -> (instance, roster, exit code, input kept)."""
    folder = tmp_path_factory.mktemp("cli")
    template = folder / "t.xlsx"
    assert main(["template", str(template)]) == 0
    tiny = Path(__file__).resolve().parents[1] / "instances" / "tiny.xlsx"
    runs = {}
    for name, source in (("template", template), ("tiny", tiny)):
        roster = folder / f"{name}-roster.xlsx"
        code, before, after = _solve(source, roster)
        runs[name] = (source, roster, code, before == after)
    return runs


CASES = ["template", "tiny"]


def _table(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    header = [h for h in rows[0] if h is not None]
    return [dict(zip(header, r)) for r in rows[1:] if any(v is not None for v in r[: len(header)])]


def _summary(ws) -> dict[str, object]:
    figures = {}
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        figures[row[0]] = row[1]
    return figures


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def test_template_writes_every_sheet_with_notes(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert main(["template", str(out)]) == 0
    assert "Notes" in capsys.readouterr().out
    names = load_workbook(out, read_only=True).sheetnames
    for sheet in ("Notes", "Settings", "Rules", "Queues", "Forecast", "Shifts", "Breaks",
                  "Agents", "Requests", "Holidays"):  # fmt: skip
        assert sheet in names
    instance = read_instance(out)
    assert instance.agents and instance.interval_demand


@pytest.mark.parametrize("case", CASES)
def test_solve_exits_0_and_keeps_the_input(solved, case):
    _, roster, code, input_kept = solved[case]
    assert code == 0
    assert input_kept
    assert roster.exists()


@pytest.mark.parametrize("case", CASES)
def test_roster_workbook_has_every_sheet(solved, case):
    _, roster, _, _ = solved[case]
    assert load_workbook(roster, read_only=True).sheetnames == ROSTER_SHEETS


@pytest.mark.parametrize("case", CASES)
def test_summary_coverage_is_recomputed_from_the_coverage_sheet(solved, case):
    _, roster, _, _ = solved[case]
    wb = load_workbook(roster, read_only=True)
    summary = _summary(wb["Summary"])
    coverage = _table(wb["Coverage"])
    assert list(coverage[0]) == ["date", "time", "queue_id", "calls", "required", "scheduled",
                                 "gap", "service_level"]  # fmt: skip
    required = sum(r["required"] for r in coverage)
    met = sum(min(r["scheduled"], r["required"]) for r in coverage)
    assert required > 0
    assert summary["coverage"] == pytest.approx(met / required, abs=1e-9)
    for row in coverage:
        assert row["gap"] == row["scheduled"] - row["required"]
    interval = read_instance(solved[case][0]).settings.interval_minutes
    under = sum(max(0, r["required"] - r["scheduled"]) for r in coverage) * interval / 60
    assert summary["understaffed agent-hours"] == pytest.approx(under, abs=0.01)


@pytest.mark.parametrize("case", CASES)
def test_summary_reports_no_hard_violation(solved, case):
    _, roster, _, _ = solved[case]
    wb = load_workbook(roster, read_only=True)
    summary = _summary(wb["Summary"])
    assert summary["hard violations"] == 0
    assert str(summary["status"]).split()[0] in ("OPTIMAL", "FEASIBLE")
    violations = _table(wb["Violations"])
    assert all(v["severity"] != "hard" for v in violations)
    penalties = sum(v["penalty"] or 0 for v in violations)
    assert summary["objective"] == pytest.approx(penalties, abs=0.05)


@pytest.mark.parametrize("case", CASES)
def test_written_roster_passes_the_rule_checker(solved, case, tmp_path, capsys):
    """The roster file is re-checked by the independent rule checker, not trusted from its
    own Summary: `scheduler audit` exits 0 and the checker's figures match the Summary's."""
    source, roster, _, _ = solved[case]
    report_path = tmp_path / "audit.xlsx"
    code = main(["audit", str(source), str(roster), "-o", str(report_path)])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    assert report_path.exists()
    instance = read_instance(source)
    loaded = read_roster(roster, instance)
    assert loaded.roster.has_activities
    report = audit(instance, loaded.roster)
    assert report.hard == []
    assert report.not_checked == ()
    summary = _summary(load_workbook(roster, read_only=True)["Summary"])
    assert summary["objective"] == pytest.approx(report.objective, abs=0.05)
    assert summary["coverage"] == pytest.approx(report.coverage_percent / 100, abs=1e-9)


@pytest.mark.parametrize("case", CASES)
def test_assignments_match_the_spec(solved, case):
    source, roster, _, _ = solved[case]
    instance = read_instance(source)
    ws = load_workbook(roster, read_only=True)["Assignments"]
    header = next(ws.iter_rows(max_row=1, values_only=True))
    assert list(header) == ["agent_id", "date", "shift_id", "start", "end"]
    rows = _table(ws)
    assert rows
    seen = set()
    for row in rows:
        start = dt.datetime.strptime(row["start"], STAMP)
        end = dt.datetime.strptime(row["end"], STAMP)
        shift_ = instance.shift_by_id[row["shift_id"]]
        assert row["agent_id"] in instance.agent_by_id
        assert start.date() == _day(row["date"])
        assert start.time() == shift_.start
        assert end - start == dt.timedelta(minutes=shift_.duration_minutes)
        assert (row["agent_id"], _day(row["date"])) not in seen  # one shift per agent and day
        seen.add((row["agent_id"], _day(row["date"])))


@pytest.mark.parametrize("case", CASES)
def test_activities_tile_each_assignment_exactly(solved, case):
    source, roster, _, _ = solved[case]
    instance = read_instance(source)
    wb = load_workbook(roster, read_only=True)
    header = next(wb["Activities"].iter_rows(max_row=1, values_only=True))
    assert list(header) == ["agent_id", "date", "start", "end", "activity"]
    allowed = {q.queue_id for q in instance.queues} | {"BREAK", "LUNCH"}
    blocks: dict[tuple[str, dt.date], list[tuple[dt.datetime, dt.datetime, str]]]
    blocks = defaultdict(list)
    for row in _table(wb["Activities"]):
        start = dt.datetime.strptime(row["start"], STAMP)
        end = dt.datetime.strptime(row["end"], STAMP)
        assert start < end
        assert row["activity"] in allowed
        blocks[(row["agent_id"], _day(row["date"]))].append((start, end, row["activity"]))
    assignments = _table(wb["Assignments"])
    assert {(a["agent_id"], _day(a["date"])) for a in assignments} == set(blocks)
    for a in assignments:
        parts = sorted(blocks[(a["agent_id"], _day(a["date"]))])
        assert parts[0][0] == dt.datetime.strptime(a["start"], STAMP)
        assert parts[-1][1] == dt.datetime.strptime(a["end"], STAMP)
        for before, after in itertools.pairwise(parts):
            assert before[1] == after[0], (a, before, after)  # no gap, no overlap
            assert before[2] != after[2], (a, before, after)  # one row per contiguous block
        kinds = [p[2] for p in parts]
        breaks = instance.shift_by_id[a["shift_id"]].breaks
        assert kinds.count("BREAK") == sum(b.activity == "BREAK" for b in breaks)
        assert kinds.count("LUNCH") == sum(b.activity == "LUNCH" for b in breaks)


# --- refusals, help and infeasibility -------------------------------------------------------------
def test_solve_refuses_to_write_over_the_input(tmp_path, capsys):
    source = tmp_path / "t.xlsx"
    assert main(["template", str(source)]) == 0
    before = source.read_bytes()
    same_file = tmp_path / "." / "t.xlsx"
    code = main(["solve", str(source), "-o", str(same_file), *SOLVE_LIMITS])
    err = capsys.readouterr().err
    assert code == 2
    assert "input" in err
    assert "Traceback" not in err
    assert source.read_bytes() == before


COMMANDS = ["solve", "staffing", "template", "generate", "audit", "compare", "bench"]


def test_top_level_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert command in out


@pytest.mark.parametrize("command", COMMANDS)
def test_help_works_for_every_command(capsys, command):
    """SPEC 2: every command of the table has --help (generate is an extra)."""
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    captured = capsys.readouterr()
    assert done.value.code == 0, captured.err
    assert f"usage: scheduler {command}" in captured.out
    if command == "solve":
        for option in ("--output", "--time-limit", "--workers", "--seed", "exit codes"):
            assert option in captured.out


BREAKS = [("BREAK", 30, 90, 120), ("LUNCH", 30, 210, 240), ("BREAK", 30, 330, 360)]


def _infeasible_instance():
    """A1 is pinned to a night shift ending 06:00 and an early shift at 12:00: 6 h of rest."""
    night = shift("N", "22:00", 480, night=True, breaks=BREAKS)
    early = shift("E", "12:00", 480, breaks=BREAKS)
    return make_instance(
        [agent("A1"), agent("A2")],
        [night, early],
        days=2,
        interval=30,
        # only min_rest_hours can then conflict with the two FIXED requests
        rules={"rest_after_nights_hours": 0},
        requests=[request("A1", 0, "FIXED", "N"), request("A1", 1, "FIXED", "E")],
    )


def test_infeasible_instance_exits_3_and_names_the_rule(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(DIAGNOSIS_CLOCK, DiagnosisClock())  # the conflict is narrowed fully
    source = tmp_path / "infeasible.xlsx"
    write_instance(_infeasible_instance(), source)
    out = tmp_path / "roster.xlsx"
    code = main(["solve", str(source), "-o", str(out), "--deterministic-time", "2",
                 "--time-limit", "60", "--workers", "1"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 3
    assert "Traceback" not in captured.err
    lines = [line for line in captured.err.splitlines() if "min_rest_hours" in line]
    assert lines, captured.err
    assert any("A1" in line for line in lines), captured.err
    assert "A2" not in captured.err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["infeasible.xlsx"]


def test_infeasible_instance_leaves_an_existing_roster_alone(tmp_path, capsys):
    source = tmp_path / "infeasible.xlsx"
    write_instance(_infeasible_instance(), source)
    out = tmp_path / "roster.xlsx"
    out.write_bytes(b"last week's roster")
    code = main(["solve", str(source), "-o", str(out), "--deterministic-time", "2",
                 "--time-limit", "60", "--workers", "1"])  # fmt: skip
    capsys.readouterr()
    assert code == 3
    assert out.read_bytes() == b"last week's roster"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["infeasible.xlsx", "roster.xlsx"]
