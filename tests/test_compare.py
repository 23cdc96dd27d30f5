"""Planners compare scenarios: parsing errors located, reproducible tables, infeasible scenarios
reported while the others solve, sweeps and the price of each rule."""

import re

import pytest
from builders import CMP, GEN, agent, make_instance, request, shift
from conftest import INSTANCES
from openpyxl import load_workbook

from scheduler.audit import audit
from scheduler.cli import main
from scheduler.compare import CONFLICTS, ROSTER_FROM, compare
from scheduler.errors import InputError
from scheduler.io.instance_reader import read_instance
from scheduler.io.instance_writer import write_instance
from scheduler.io.roster_reader import read_roster
from scheduler.model import ScenarioChange
from scheduler.scenarios import RULE_FAMILIES, apply, workbook_scenarios

TINY = INSTANCES / "tiny.xlsx"
LIMITS = {"time_limit": 60, "deterministic_time": 1.0}


def _with_scenarios(instance, *rows):
    changes = [
        ScenarioChange(scenario=name, key=key, value=value, row=row)
        for row, (name, key, value) in enumerate(rows, start=2)
    ]
    return instance.replace(scenarios=tuple(changes))


def test_unknown_key_and_bad_values_name_sheet_row_and_column():
    instance = _with_scenarios(
        read_instance(TINY),
        ("a", "min_rest_hour", "12"),
        ("b", "min_rest_hours", "twelve"),
        ("c", "add_agents", "NOBODY=2"),
        ("d", "start_date", "2027-01-01"),
        ("e", "min_hours_week", "50"),
    )
    with pytest.raises(InputError) as caught:
        workbook_scenarios(instance)
    found = {(p.sheet, p.row, p.column): p.message for p in caught.value.problems}
    assert "did you mean min_rest_hours?" in found[("Scenarios", 2, "key")]
    assert "should be a number" in found[("Scenarios", 3, "value")]
    assert "unknown agent 'NOBODY'" in found[("Scenarios", 4, "value")]
    assert "cannot change in a scenario" in found[("Scenarios", 5, "key")]
    assert "min_hours_week is above max_hours_week" in found[("Scenarios", 6, "value")]


def test_scenario_errors_exit_2_through_the_cli(tmp_path, capsys):
    instance = _with_scenarios(read_instance(TINY), ("typo", "max_complaint_cap", "90"))
    write_instance(instance, tmp_path / "i.xlsx")
    code = main(["compare", str(tmp_path / "i.xlsx"), "-o", str(tmp_path / "c.xlsx")])
    err = capsys.readouterr().err
    assert code == 2
    assert "sheet Scenarios, row 2, column key" in err
    assert not (tmp_path / "c.xlsx").exists()


def test_agents_are_added_as_copies_and_removed_with_their_requests():
    instance = read_instance(TINY)
    first, last = instance.agents[0].agent_id, instance.agents[-1].agent_id
    scenario = workbook_scenarios(
        _with_scenarios(instance, ("s", "add_agents", f"{first}=2"), ("s", "remove_agents", last))
    )[0]
    changed = apply(instance, scenario)
    ids = [a.agent_id for a in changed.agents]
    assert f"{first}+1" in ids and f"{first}+2" in ids and last not in ids
    assert changed.agent_by_id[f"{first}+1"].skills == instance.agent_by_id[first].skills
    assert all(r.agent_id != last for r in changed.requests)


def test_the_table_is_the_same_on_a_rerun_and_with_parallel_jobs():
    instance = read_instance(TINY)
    serial = compare(instance, jobs=1, **LIMITS).table
    parallel = compare(instance, jobs=2, **LIMITS).table
    again = parallel.drop(index="solve seconds")
    assert serial.drop(index="solve seconds").equals(again)
    assert serial.columns[0] == "baseline"


def test_an_infeasible_scenario_is_reported_while_the_others_solve(tmp_path):
    instance = make_instance(
        [agent("A1"), agent("A2")],
        [shift("D", "09:00", 480, breaks=[("BREAK", 30, 120, 150), ("LUNCH", 30, 270, 300)])],
        days=3,
        interval=30,
        need=lambda day, minute, queue: 1 if 9 * 60 <= minute < 17 * 60 else 0,
        requests=[request("A1", 0, "FIXED", "D"), request("A1", 1, "FIXED", "D")],
        rules={"min_hours_week": 0},
    )
    # D ends 17:00 and starts 09:00: 16 h of rest between two pinned days
    instance = _with_scenarios(
        instance, ("rest 20 h", "min_rest_hours", "20"), ("more rest", "min_rest_hours", "12")
    )
    write_instance(instance, tmp_path / "i.xlsx")
    code = main(["compare", str(tmp_path / "i.xlsx"), "-o", str(tmp_path / "c.xlsx"),
                 "--deterministic-time", "1", "-q"])  # fmt: skip
    assert code == 0
    sheet = load_workbook(tmp_path / "c.xlsx", read_only=True)["Comparison"]
    rows = {row[0]: row[2:] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["status"][1] == "INFEASIBLE"
    assert "min_rest_hours" in rows[CONFLICTS][1] and "A1" in rows[CONFLICTS][1]
    assert rows["status"][0] in ("OPTIMAL", "FEASIBLE")
    assert rows["status"][2] in ("OPTIMAL", "FEASIBLE")
    changes = load_workbook(tmp_path / "c.xlsx", read_only=True)["Changes"]
    assert ("rest 20 h", "min_rest_hours", "20") in set(changes.iter_rows(values_only=True))


def _rechecked(instance, comparison) -> None:
    """Every roster compare wrote passes the rule checker under its scenario's own rules."""
    scenarios = {scenario.name: scenario for scenario in comparison.scenarios}
    for outcome in comparison.outcomes:
        scenario = scenarios[outcome.name]
        own = apply(instance, scenario)
        roster = read_roster(outcome.roster_path, own).roster
        report = audit(own, roster, relaxed=scenario.relaxed)
        assert report.hard == [], (outcome.name, [str(v) for v in report.hard])
        assert report.objective == pytest.approx(outcome.kpis["soft penalty"], abs=0.01)


def _complaint_instance():
    """Four agents on general and complaint calls; complaint calls for all four all day, so
    only the complaint limits stop them taking complaints whenever they are on the phone."""
    breaks = [("BREAK", 30, 90, 150), ("LUNCH", 30, 210, 270), ("BREAK", 30, 330, 390)]
    return make_instance(
        [agent(f"A{i}", skills=("GEN", "CMP")) for i in range(1, 5)],
        [shift("D", "08:00", 510, breaks=breaks)],
        days=1,
        interval=30,
        queues=(GEN, CMP),
        need=lambda day, minute, queue: 4 if queue == "CMP" and 8 * 60 <= minute < 16 * 60 else 0,
        # one day is a short trailing block: its weekly maximum would scale down to 6 hours
        rules={"min_hours_week": 0, "max_hours_week": 168, "max_complaint_daily_minutes": 480},
    )


def test_a_complaint_cap_sweep_moves_exposure_and_coverage_the_way_the_rule_implies(tmp_path):
    instance = _complaint_instance()
    comparison = compare(
        instance, sweep="max_complaint_continuous_minutes=30,60,120", rosters_dir=tmp_path,
        **LIMITS,
    )  # fmt: skip
    table = comparison.table
    caps = {"max_complaint_continuous_minutes=30": 30,
            "max_complaint_continuous_minutes=60": 60,
            "max_complaint_continuous_minutes=120": 120}  # fmt: skip
    longest = {name: table[name]["longest complaint stretch"] for name in caps}
    coverage = {name: table[name]["coverage"] for name in caps}
    for name, cap in caps.items():
        assert longest[name] <= cap
    ordered = list(caps)
    assert coverage[ordered[0]] < coverage[ordered[1]] < coverage[ordered[2]]
    penalty = [table[name]["soft penalty"] for name in ordered]
    assert penalty[0] >= penalty[1] >= penalty[2]  # a looser cap never shows a worse roster
    for outcome in comparison.outcomes:
        roster = read_roster(outcome.roster_path, instance).roster
        assert table[outcome.name]["hard violations"] == 0
        assert outcome.roster_path and roster.assignments
    _rechecked(instance, comparison)


def test_price_of_rules_relaxes_each_family_and_checks_each_roster_by_its_own_rules(tmp_path):
    # With a 90-minute cap the last stretch (14:00-16:00 after the latest second break) needs a
    # recovery off complaint calls: freeing the complaint limits must then cover more.
    base = _complaint_instance()
    rules = base.rules.model_copy(update={"max_complaint_continuous_minutes": 90})
    instance = base.model_copy(update={"rules": rules})
    comparison = compare(instance, price_of_rules=True, rosters_dir=tmp_path, **LIMITS)
    table = comparison.table
    _rechecked(instance, comparison)
    names = [f"without {family}" for family in RULE_FAMILIES]
    assert list(table.columns) == ["baseline", *names]
    assert all(table[name]["hard violations"] == 0 for name in table.columns)
    for name in names:  # the baseline's roster is allowed in every relaxed scenario
        assert table[name]["soft penalty"] <= table["baseline"]["soft penalty"] + 1e-6
        assert table[name][ROSTER_FROM] in table.columns
    relaxed = "without complaint-call limits"
    assert table[relaxed]["coverage"] > table["baseline"]["coverage"]
    assert table[relaxed]["longest complaint stretch"] > 90
    assert table["baseline"]["longest complaint stretch"] <= 90
    # Checked with all rules, the relaxed roster breaks the complaint limits it was freed from.
    outcome = next(o for o in comparison.outcomes if o.name == relaxed)
    report = audit(instance, read_roster(outcome.roster_path, instance).roster)
    assert {v.rule for v in report.hard} & {
        "max_complaint_continuous_minutes", "complaint_recovery_minutes",
        "max_complaint_daily_minutes",
    }  # fmt: skip


def test_readme_python_example_runs(capsys):
    """The README's Python example, on the tiny instance with a small deterministic limit (the
    clock limit stays far above it, so the outcome does not depend on the machine's speed)."""
    readme = (INSTANCES.parent / "README.md").read_text()
    [example] = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert "instances/demo-week.xlsx" in example and "time_limit=60" in example
    code = example.replace("instances/demo-week.xlsx", str(TINY)).replace(
        "time_limit=60", "time_limit=600, deterministic_time=1.0"
    )
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "coverage" in printed and "12 h rest" in printed and "=150" in printed
