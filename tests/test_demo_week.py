"""The shipped 40-agent demo week solves through the CLI with no hard violation."""

from conftest import INSTANCES
from openpyxl import load_workbook

from scheduler.audit import audit
from scheduler.cli import main
from scheduler.io.instance_reader import read_instance
from scheduler.io.roster_reader import read_roster


def test_demo_week_solves_and_passes_the_rule_checker(tmp_path):
    output = tmp_path / "roster.xlsx"
    code = main(
        [
            "solve",
            str(INSTANCES / "demo-week.xlsx"),
            "-o",
            str(output),
            "--deterministic-time",
            "2",
            "--workers",
            "1",
            "-q",
        ]
    )
    assert code == 0
    instance = read_instance(INSTANCES / "demo-week.xlsx")
    loaded = read_roster(output, instance)
    report = audit(instance, loaded.roster)
    assert report.hard == []
    assert loaded.roster.has_activities
    sheet = load_workbook(output, read_only=True)["Summary"]
    figures = {row[0]: row[1] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    assert figures["hard violations"] == 0
    assert abs(figures["coverage"] - report.coverage_percent / 100) < 1e-9
