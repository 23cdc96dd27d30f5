"""When the hard rules cannot all hold, solve names them with agent and dates (exit 3).

The diagnosis narrows the conflict until a wall-clock deadline. So that no verdict here depends
on the machine's speed, the clock the diagnosis reads is replaced: frozen, the deadline never
comes and the narrowing always runs to the end (each re-solve is single-worker without presolve,
so the minimal conflict is the same everywhere); already past, the narrowing stops at once, and
the conflict named must still contain every rule it cannot do without.
"""

import datetime as dt

import pytest
from builders import (
    CMP,
    DIAGNOSIS_CLOCK,
    GEN,
    MONDAY,
    DiagnosisClock,
    agent,
    make_instance,
    request,
    shift,
)

from scheduler.cli import main
from scheduler.errors import InfeasibleError
from scheduler.io.instance_writer import write_instance
from scheduler.solver import SolveOptions, solve

OPTIONS = SolveOptions(time_limit=120, workers=1, deterministic_time=5)
DAY_SHIFT = shift("D", "09:00", 480, breaks=[("BREAK", 30, 120, 150), ("LUNCH", 30, 270, 300)])


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """The diagnosis's deadline never comes: it always narrows the conflict to the end."""
    monkeypatch.setattr(DIAGNOSIS_CLOCK, DiagnosisClock())


def _conflicts(instance) -> set[tuple[str, str, tuple[str, ...]]]:
    with pytest.raises(InfeasibleError) as caught:
        solve(instance, OPTIONS)
    return {(c.rule, c.agent_id, c.dates) for c in caught.value.conflicts}


def test_fixed_night_then_fixed_early_six_hours_later_names_the_rest_rule():
    night = shift("N", "22:00", 480, night=True)
    early = shift("E", "12:00", 300)
    instance = make_instance(
        [agent("A7", skills=())], [night, early], days=2, queues=(),
        shift_demand=[], requests=[request("A7", 0, "FIXED", "N"), request("A7", 1, "FIXED", "E")],
        rules={"min_hours_week": 0},
    )  # fmt: skip
    found = _conflicts(instance)
    rules = {rule for rule, _, _ in found}
    assert "min_rest_hours" in rules or "rest_after_nights_hours" in rules
    assert ("fixed", "A7", ("2026-03-02",)) in found
    assert ("fixed", "A7", ("2026-03-03",)) in found
    assert all(agent_id == "A7" for _, agent_id, _ in found)


def _leave_instance():
    return make_instance(
        [agent("A1")], [DAY_SHIFT], days=7, interval=30,
        requests=[request("A1", day, "LEAVE") for day in range(4)],
        rules={"leave_hours": 0},
    )  # fmt: skip


def test_leave_making_min_hours_week_impossible_names_leave_and_the_week():
    found = _conflicts(_leave_instance())
    assert ("min_hours_week", "A1", ("2026-03-02 to 2026-03-08",)) in found
    leave_days = {dates for rule, _, dates in found if rule == "one_shift_per_day"}
    # 4 shifts of 7.5 paid hours make 30 < 32: three LEAVE days are already too many
    assert len(leave_days) == 3


def _new_hire_instance():
    new_hire = agent("A1", skills=("CMP",), hire_date=MONDAY - dt.timedelta(days=10))
    return make_instance(
        [new_hire], [shift("D", "09:00", 240, breaks=[("BREAK", 60, 60, 120)])], days=2,
        queues=(GEN, CMP), requests=[request("A1", 1, "FIXED", "D")],
        rules={"min_hours_week": 0},
    )  # fmt: skip


NEW_HIRE_CONFLICT = {
    ("fixed", "A1", ("2026-03-03",)),
    ("new_hire_complaints", "A1", ("2026-03-03",)),
}


def test_fixed_complaint_shift_for_a_new_hire_with_only_complaint_skills():
    assert _conflicts(_new_hire_instance()) == NEW_HIRE_CONFLICT


def test_a_deadline_that_stops_the_narrowing_at_once_still_names_the_needed_rules(monkeypatch):
    """Whatever the deadline does, every rule without which the rules would hold is named: here
    the deadline has passed as soon as the first conflict is found, so nothing is dropped."""
    monkeypatch.setattr(DIAGNOSIS_CLOCK, DiagnosisClock(now=0.0, later=1e9, turn=2))
    found = _conflicts(_new_hire_instance())
    assert found >= NEW_HIRE_CONFLICT  # without either one the agent could work that day
    assert {agent_id for _, agent_id, _ in found} == {"A1"}

    found = _conflicts(_leave_instance())
    assert ("min_hours_week", "A1", ("2026-03-02 to 2026-03-08",)) in found
    # 5 of the 7 days must be worked for 32 h (7.5 h a shift): any 3 LEAVE days are a conflict,
    # so at least 3 of them are named.
    assert len({dates for rule, _, dates in found if rule == "one_shift_per_day"}) >= 3
    assert {agent_id for _, agent_id, _ in found} == {"A1"}


def test_cli_exits_3_and_writes_nothing(tmp_path, capsys):
    instance = make_instance(
        [agent("A1")], [DAY_SHIFT], days=7, interval=30,
        requests=[request("A1", day, "LEAVE") for day in range(4)], rules={"leave_hours": 0},
    )  # fmt: skip
    write_instance(instance, tmp_path / "i.xlsx")
    code = main(["solve", str(tmp_path / "i.xlsx"), "-o", str(tmp_path / "r.xlsx"),
                 "--deterministic-time", "2", "--workers", "1", "-q"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 3
    assert "min_hours_week" in err and "A1" in err and "LEAVE" in err
    assert not (tmp_path / "r.xlsx").exists()
    assert MONDAY.isoformat() in err
