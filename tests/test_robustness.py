"""Never crash on a workbook, never lose work: formulas, merged cells, size limits, safe output,
reproducible rosters, and a fuzz test that mutates valid workbooks cell by cell."""

import datetime as dt
import hashlib
import shutil

import openpyxl.xml
import pytest
from builders import agent, make_instance, shift
from conftest import INSTANCES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from scheduler import limits
from scheduler.cli import main
from scheduler.errors import InputError
from scheduler.generate import GeneratorSpec, generate
from scheduler.io.instance_reader import read_instance
from scheduler.io.instance_writer import write_instance

TINY = INSTANCES / "tiny.xlsx"


def _problems(path) -> list:
    with pytest.raises(InputError) as caught:
        read_instance(path)
    return caught.value.problems


def _copy_tiny(tmp_path):
    target = tmp_path / "instance.xlsx"
    shutil.copy(TINY, target)
    return target


def test_a_formula_without_saved_result_is_reported(tmp_path):
    path = _copy_tiny(tmp_path)
    workbook = load_workbook(path)
    workbook["Agents"]["E2"] = "=0.5+0.5"  # fte, written by a tool that never calculated it
    workbook.save(path)
    [problem] = _problems(path)
    assert (problem.sheet, problem.row, problem.column) == ("Agents", 2, "fte")
    assert "formula" in problem.message and "save" in problem.message


def test_merged_header_cells_are_reported(tmp_path):
    path = _copy_tiny(tmp_path)
    workbook = load_workbook(path)
    workbook["Queues"].merge_cells("A1:B1")
    workbook.save(path)
    problems = _problems(path)
    assert any(p.sheet == "Queues" and p.row == 1 and "merged" in p.message for p in problems)


def test_merged_data_cells_are_reported(tmp_path):
    path = _copy_tiny(tmp_path)
    workbook = load_workbook(path)
    workbook["Shifts"].merge_cells("E3:F3")
    workbook.save(path)
    problems = _problems(path)
    assert any(p.sheet == "Shifts" and p.row == 3 and "E3:F3" in p.message for p in problems)


def test_a_workbook_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("scheduler.io.tables.MAX_FILE_MEGABYTES", 0.001)
    [problem] = _problems(TINY)
    assert "MB" in problem.message


def test_too_many_agents_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("scheduler.io.instance_reader.MAX_AGENTS", 3)
    problems = _problems(TINY)
    assert any(p.sheet == "Agents" and "at most 3" in p.message for p in problems)
    assert limits.MAX_AGENTS >= 1000


def test_an_empty_workbook_names_the_missing_sheets(tmp_path):
    path = tmp_path / "empty.xlsx"
    workbook = openpyxl.Workbook()
    workbook.save(path)
    sheets = {p.sheet for p in _problems(path)}
    assert {"Settings", "Shifts", "Agents"} <= sheets


def test_workbook_xml_is_parsed_safely():
    assert openpyxl.xml.DEFUSEDXML, "defusedxml must be installed so openpyxl uses it"


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    instance = make_instance(
        [agent('=HYPERLINK("x")', skills=()), agent("+1", skills=())],
        [shift("D", "09:00", 240)],
        days=1,
        queues=(),
        shift_demand=[(0, "D", 1)],
        rules={"min_hours_week": 0},
    )
    write_instance(instance, tmp_path / "i.xlsx")
    code = main(["solve", str(tmp_path / "i.xlsx"), "-o", str(tmp_path / "r.xlsx"),
                 "--deterministic-time", "1", "--workers", "1", "-q"])  # fmt: skip
    assert code == 0
    for path in (tmp_path / "i.xlsx", tmp_path / "r.xlsx"):
        workbook = load_workbook(path)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{path.name} {sheet.title}!{cell.coordinate}"
    roster = load_workbook(tmp_path / "r.xlsx")["Roster"]
    assert roster["A2"].value == '=HYPERLINK("x")'


def _sheet_bytes(path, sheet: str) -> str:
    rows = load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True)
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_same_workbook_seed_workers_and_limit_give_the_same_roster(tmp_path, workers):
    outputs = []
    for run in range(2):
        output = tmp_path / f"roster-{run}.xlsx"
        code = main(["solve", str(TINY), "-o", str(output), "--deterministic-time", "2",
                     "--workers", workers, "--seed", "5", "-q"])  # fmt: skip
        assert code == 0
        outputs.append(output)
    for sheet in ("Assignments", "Activities"):
        assert _sheet_bytes(outputs[0], sheet) == _sheet_bytes(outputs[1], sheet)


# --- fuzz: mutate a valid workbook cell by cell ------------------------------------------------
FUZZ_VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-10_000, max_value=10_000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.sampled_from(["#N/A", "#REF!", "yes", "no", "=1+1", "  GEN  ", "LEAVE", "25:00",
                     "2026-02-30", "1e309", "-0", "N=2;X", "Mon-Sun"]),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.times(),
)  # fmt: skip


@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory):
    base = tmp_path_factory.mktemp("fuzz") / "base.xlsx"
    instance = generate(GeneratorSpec(agents=3, days=1, queues=2, seed=4, interval_minutes=30))
    write_instance(instance, base)
    return base


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_workbooks_never_crash(fuzz_base, tmp_path_factory, data):
    workbook = load_workbook(fuzz_base)
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        sheet = workbook[data.draw(st.sampled_from(workbook.sheetnames))]
        row = data.draw(st.integers(min_value=1, max_value=max(sheet.max_row, 1) + 1))
        column = data.draw(st.integers(min_value=1, max_value=max(sheet.max_column, 1)))
        sheet.cell(row=row, column=column).value = data.draw(FUZZ_VALUES)
    folder = tmp_path_factory.mktemp("case")
    path = folder / "mutated.xlsx"
    workbook.save(path)
    output = folder / "out.xlsx"
    code = main(["solve", str(path), "-o", str(output), "--deterministic-time", "0.5",
                 "--workers", "1", "-q"])  # fmt: skip
    # A mutated workbook is either still valid (0; or rules that cannot hold, 3) or refused (2);
    # never a traceback, and only a complete roster is ever written.
    assert code in (0, 2, 3)
    assert output.exists() == (code == 0)


def test_an_id_in_another_case_is_reported_with_the_right_spelling(tmp_path):
    path = _copy_tiny(tmp_path)
    workbook = load_workbook(path)
    agents = workbook["Agents"]
    agents["C2"] = "gen"  # skills: the queue is GEN
    workbook.save(path)
    [problem] = _problems(path)
    assert (problem.sheet, problem.row, problem.column) == ("Agents", 2, "skills")
    assert "'gen'" in problem.message and "did you mean GEN?" in problem.message
