"""Ctrl-C or SIGTERM during a solve: the best roster so far is written (exit 130) and passes the
rule checker; before any roster exists nothing is written."""

import signal
import subprocess
import sys

from conftest import INSTANCES
from openpyxl import load_workbook

from scheduler.audit import audit
from scheduler.io.instance_reader import read_instance
from scheduler.io.roster_reader import read_roster

DEMO = INSTANCES / "demo-week.xlsx"


def _start(output, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "scheduler.cli", "solve", str(DEMO), "-o", str(output),
         "--time-limit", "300", "--workers", "2", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def _wait_for(process, text: str) -> list[str]:
    seen = []
    for line in process.stderr:
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"never printed {text!r}: {''.join(seen)}")


def test_sigint_after_a_roster_writes_it_and_exits_130(tmp_path):
    output = tmp_path / "roster.xlsx"
    process = _start(output)
    _wait_for(process, "best objective")
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert "interrupted" in out
    instance = read_instance(DEMO)
    report = audit(instance, read_roster(output, instance).roster)
    assert report.hard == []
    summary = load_workbook(output, read_only=True)["Summary"]
    figures = {row[0]: row[1] for row in summary.iter_rows(min_row=4, values_only=True) if row[0]}
    assert "interrupted" in figures["status"]
    assert figures["gap"] is not None


def test_sigterm_before_any_roster_writes_nothing(tmp_path):
    output = tmp_path / "roster.xlsx"
    process = _start(output)
    _wait_for(process, "Solving")
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert "Nothing was written" in err or "nothing was written" in err
    assert not output.exists()
    assert not list(tmp_path.iterdir())  # no temporary file left behind either
