"""Bad instance workbooks: every problem is reported with its sheet, Excel row and column.

Each test writes a valid small instance, breaks it with openpyxl and checks that
read_instance raises InputError naming the right place (SPEC sections 2 and 3).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from scheduler.cli import main
from scheduler.errors import InputError, Problem
from scheduler.generate import GeneratorSpec, generate
from scheduler.io.instance_reader import read_instance
from scheduler.io.instance_writer import write_instance

# Agents A01..A04 (A01 has nights_before=1 and a last_shift_end); queues GEN (row 2) and
# CMP (row 3); shifts E, D, M, L, N, P on rows 2-7; Breaks rows 2-4 belong to shift E;
# Requests: row 2 LEAVE A04, row 3 OFF A02, row 4 PREFER A01 D.
BASE = generate(GeneratorSpec(agents=4, days=2, queues=2, seed=1))

Mutation = Callable[[Workbook], None]


def column_of(ws, name: str) -> int:
    """The 1-based index of a header on row 1."""
    for cell in ws[1]:
        if isinstance(cell.value, str) and cell.value.strip().lower() == name.lower():
            return cell.column
    raise KeyError(f"{ws.title} has no column {name}")


def set_cell(wb: Workbook, sheet: str, row: int, column: str, value) -> None:
    ws = wb[sheet]
    ws.cell(row=row, column=column_of(ws, column)).value = value


def setting_row(wb: Workbook, sheet: str, key: str) -> int:
    ws = wb[sheet]
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == key:
            return row
    raise KeyError(key)


def set_setting(wb: Workbook, key: str, value, sheet: str = "Settings") -> int:
    row = setting_row(wb, sheet, key)
    wb[sheet].cell(row=row, column=2).value = value
    return row


def workbook_path(tmp_path: Path, *mutations: Mutation, name: str = "bad.xlsx") -> Path:
    """A valid instance written to tmp_path, then changed by each mutation."""
    path = tmp_path / name
    write_instance(BASE, path)
    wb = load_workbook(path)
    for mutate in mutations:
        mutate(wb)
    wb.save(path)
    return path


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        read_instance(path)
    assert caught.value.problems, "InputError without problems"
    return caught.value.problems


def find(problems: list[Problem], sheet: str, row: int | None, column: str, *words: str) -> Problem:
    """The problem at sheet/row/column (case-insensitive names) whose message has all words."""
    for p in problems:
        if p.sheet.lower() != sheet.lower():
            continue
        if row is not None and p.row != row:
            continue
        if p.column.lower() != column.lower():
            continue
        if all(w.lower() in p.message.lower() for w in words):
            return p
    shown = "\n".join(f"  {p.sheet!r} row {p.row} {p.column!r}: {p.message}" for p in problems[:15])
    if len(problems) > 15:
        shown += f"\n  ... and {len(problems) - 15} more"
    raise AssertionError(
        f"no problem at {sheet} row {row} column {column!r} mentioning {words}; got:\n{shown}"
    )


def test_base_workbook_is_valid(tmp_path):
    instance = read_instance(workbook_path(tmp_path))
    assert [a.agent_id for a in instance.agents] == ["A01", "A02", "A03", "A04"]
    assert instance.demand_kind == "forecast"


# --- sheets -----------------------------------------------------------------------------------
@pytest.mark.parametrize("sheet", ["Settings", "Shifts", "Agents"])
def test_missing_required_sheet(tmp_path, sheet):
    path = workbook_path(tmp_path, lambda wb: wb.remove(wb[sheet]))
    problem = find(problems_of(path), sheet, None, "", "missing")
    assert sheet in problem.message


def test_misspelt_sheet_is_suggested(tmp_path):
    def rename(wb):
        wb["Agents"].title = "Agent"

    problem = find(problems_of(workbook_path(tmp_path, rename)), "Agents", None, "", "missing")
    assert "did you mean Agent?" in problem.message


def test_no_demand_sheet(tmp_path):
    path = workbook_path(tmp_path, lambda wb: wb.remove(wb["Forecast"]))
    problems = problems_of(path)
    demand = [p for p in problems if "demand" in p.message.lower()]
    assert demand, problems
    for name in ("Forecast", "Requirements", "ShiftDemand"):
        assert name in demand[0].message


def test_demand_sheet_with_header_only(tmp_path):
    def empty_forecast(wb):
        wb["Forecast"].delete_rows(2, wb["Forecast"].max_row)

    problems = problems_of(workbook_path(tmp_path, empty_forecast))
    assert any("demand" in p.message.lower() for p in problems), problems


def test_missing_required_column(tmp_path):
    def drop(wb):
        ws = wb["Queues"]
        ws.delete_cols(column_of(ws, "aht_seconds"))

    problem = find(problems_of(workbook_path(tmp_path, drop)), "Queues", 1, "aht_seconds")
    assert "missing" in problem.message


def test_misspelt_column_is_suggested(tmp_path):
    def misspell(wb):
        ws = wb["Shifts"]
        ws.cell(row=1, column=column_of(ws, "duration_minutes")).value = "duration_minuts"

    problem = find(problems_of(workbook_path(tmp_path, misspell)), "Shifts", 1, "duration_minutes")
    assert "duration_minuts" in problem.message


def test_empty_sheet_header_only(tmp_path):
    def empty(wb):
        wb["Agents"].delete_rows(2, wb["Agents"].max_row)

    find(problems_of(workbook_path(tmp_path, empty)), "Agents", 1, "", "no rows")


def test_empty_sheet_without_header(tmp_path):
    def blank(wb):
        index = wb.sheetnames.index("Shifts")
        wb.remove(wb["Shifts"])
        wb.create_sheet("Shifts", index)

    problems = problems_of(workbook_path(tmp_path, blank))
    assert any(p.sheet == "Shifts" and p.row >= 1 for p in problems), problems
    assert any(p.sheet == "Shifts" and "no rows" in p.message for p in problems), problems


# --- identifiers --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sheet", "column", "value"),
    [("Agents", "agent_id", "A01"), ("Shifts", "shift_id", "E"), ("Queues", "queue_id", "GEN")],
)
def test_duplicate_ids(tmp_path, sheet, column, value):
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, sheet, 3, column, value))
    problem = find(problems_of(path), sheet, 3, column, value)
    assert "row 2" in problem.message


def test_row_numbers_are_excel_rows_despite_blank_rows(tmp_path):
    def mutate(wb):
        ws = wb["Agents"]
        ws.insert_rows(1)  # a blank row above the header: header on 2, A01 on 3, A02 on 4
        ws.insert_rows(5)  # a blank row after A02: A03 moves to row 6
        assert ws.cell(row=6, column=1).value == "A03"
        ws.cell(row=6, column=1).value = "A02"

    problem = find(problems_of(workbook_path(tmp_path, mutate)), "Agents", 6, "agent_id", "A02")
    assert "row 4" in problem.message


def test_unknown_queue_in_skills(tmp_path):
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, "Agents", 2, "skills", "GEN;XYZ"))
    find(problems_of(path), "Agents", 2, "skills", "XYZ")


@pytest.mark.parametrize(
    ("sheet", "row", "column", "value"),
    [
        ("Breaks", 2, "shift_id", "Q"),
        ("Requests", 4, "shift_id", "Q"),
        ("Agents", 2, "shifts", "D;Q"),
        ("Agents", 2, "max_shifts", "Q=2"),
        ("Shifts", 2, "not_followed_by", "Q"),
    ],
)
def test_unknown_shift(tmp_path, sheet, row, column, value):
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, sheet, row, column, value))
    find(problems_of(path), sheet, row, column, "'Q'")


def test_unknown_agent_in_requests(tmp_path):
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, "Requests", 2, "agent_id", "ZZZ"))
    find(problems_of(path), "Requests", 2, "agent_id", "ZZZ")


# --- cell values --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sheet", "row", "column", "value"),
    [
        ("Queues", 2, "aht_seconds", "three hundred"),
        ("Forecast", 5, "calls", "lots"),
        ("Shifts", 3, "duration_minutes", "8h"),
    ],
)
def test_text_in_number_column(tmp_path, sheet, row, column, value):
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, sheet, row, column, value))
    problem = find(problems_of(path), sheet, row, column, "number")
    assert value in problem.message


def test_impossible_date(tmp_path):
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, "Forecast", 7, "date", "2026-02-30"))
    problem = find(problems_of(path), "Forecast", 7, "date")
    assert "2026-02-30" in problem.message


def test_impossible_start_date_setting(tmp_path):
    rows = {}

    def mutate(wb):
        rows["start_date"] = set_setting(wb, "start_date", "2026-13-01")

    problems = problems_of(workbook_path(tmp_path, mutate))
    find(problems, "Settings", rows["start_date"], "value", "start_date")


def test_year_203_start_date_names_the_setting_and_where_the_demand_lies(tmp_path):
    # A slip of the keyboard: 0203 for 2003. Every forecast row then lies outside the horizon.
    rows = {}
    start = BASE.settings.start_date

    def mutate(wb):
        rows["start_date"] = set_setting(wb, "start_date", "0" + start.isoformat()[1:])

    path = workbook_path(tmp_path, mutate)
    problems = problems_of(path)
    problem = find(problems, "Settings", rows["start_date"], "value", "start_date", "year")
    first = min(d.date for d in BASE.interval_demand)
    last = max(d.date for d in BASE.interval_demand)
    assert f"Forecast has {len(BASE.interval_demand):,} rows from {first} to {last}" in (
        problem.message
    )
    output = tmp_path / "roster.xlsx"
    assert main(["solve", str(path), "-o", str(output)]) == 2
    assert not output.exists()


def test_horizon_that_misses_the_demand_is_an_error_saying_where_it_lies(tmp_path):
    start = BASE.settings.start_date
    moved = start + dt.timedelta(days=400)
    path = workbook_path(tmp_path, lambda wb: set_setting(wb, "start_date", moved))
    problem = find(problems_of(path), "Settings", 0, "start_date", "Forecast has", "horizon")
    assert f"the horizon is {moved}" in problem.message
    assert "(0 of the rows fall inside it)" in problem.message


def test_demand_partly_outside_the_horizon_stays_a_warning(tmp_path):
    # One of two days outside: half the rows stay inside, so the roster is still meaningful.
    later = BASE.settings.start_date + dt.timedelta(days=1)
    path = workbook_path(tmp_path, lambda wb: set_setting(wb, "start_date", later))
    warnings: list[str] = []
    instance = read_instance(path, warnings)
    assert instance.interval_demand
    assert any("outside the horizon are ignored" in w for w in warnings)


@pytest.mark.parametrize(
    ("sheet", "row", "column", "value"),
    [
        ("Forecast", 3, "date", "1899-12-31"),
        ("Forecast", 3, "date", "2101-01-01"),
        ("Holidays", 2, "date", "1066-10-14"),
        ("Agents", 2, "hire_date", "0203-07-08"),
        ("Agents", 2, "last_shift_end", "2201-01-01 22:00"),
    ],
)
def test_dates_before_1900_or_after_2100_are_errors_with_their_cell(
    tmp_path, sheet, row, column, value
):
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, sheet, row, column, value))
    find(problems_of(path), sheet, row, column, "between 1900 and 2100")


def test_impossible_time(tmp_path):
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, "Shifts", 2, "start", "25:00"))
    problem = find(problems_of(path), "Shifts", 2, "start")
    assert "25:00" in problem.message


def test_negative_calls(tmp_path):
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, "Forecast", 9, "calls", -5))
    problem = find(problems_of(path), "Forecast", 9, "calls")
    assert "-5" in problem.message


@pytest.mark.parametrize("value", [1, 1.5, "100%"])
def test_shrinkage_not_below_one(tmp_path, value):
    rows = {}

    def mutate(wb):
        rows["shrinkage"] = set_setting(wb, "shrinkage", value)

    problems = problems_of(workbook_path(tmp_path, mutate))
    find(problems, "Settings", rows["shrinkage"], "value", "shrinkage")


@pytest.mark.parametrize("value", [20, 45, 0])
def test_interval_minutes_must_be_15_30_or_60(tmp_path, value):
    rows = {}

    def mutate(wb):
        rows["interval"] = set_setting(wb, "interval_minutes", value)

    problems = problems_of(workbook_path(tmp_path, mutate))
    find(problems, "Settings", rows["interval"], "value", "interval_minutes")


def test_shift_start_off_the_grid(tmp_path):
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, "Shifts", 3, "start", "08:10"))
    find(problems_of(path), "Shifts", 3, "start", "08:10", "grid")


def test_break_window_ends_after_the_shift(tmp_path):
    # Breaks row 2: a 15-minute BREAK of the 510-minute shift E; starting at 500 it ends at 515.
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, "Breaks", 2, "latest", 500))
    find(problems_of(path), "Breaks", 2, "latest", "510")


def test_min_hours_week_above_max_hours_week(tmp_path):
    def mutate(wb):
        set_cell(wb, "Agents", 3, "min_hours_week", 40)
        set_cell(wb, "Agents", 3, "max_hours_week", 30)

    problems = problems_of(workbook_path(tmp_path, mutate))
    located = [
        p
        for p in problems
        if p.sheet == "Agents"
        and p.row == 3
        and p.column in ("min_hours_week", "max_hours_week")
        and "min_hours_week" in p.message
    ]
    assert located, [str(p) for p in problems]


def test_rules_min_hours_week_above_max_hours_week(tmp_path):
    rows = {}

    def mutate(wb):
        rows["min"] = set_setting(wb, "min_hours_week", 45, sheet="Rules")
        rows["max"] = setting_row(wb, "Rules", "max_hours_week")

    problems = problems_of(workbook_path(tmp_path, mutate))
    located = [
        p
        for p in problems
        if p.sheet == "Rules" and p.row in rows.values() and "min_hours_week" in p.message
    ]
    assert located, [str(p) for p in problems]


@pytest.mark.parametrize(
    ("sheet", "row", "column"),
    [("Forecast", 4, "calls"), ("Queues", 3, "aht_seconds"), ("Agents", 2, "skills")],
)
def test_excel_error_value(tmp_path, sheet, row, column):
    def mutate(wb):
        set_cell(wb, sheet, row, column, "#N/A")
        cell = wb[sheet].cell(row=row, column=column_of(wb[sheet], column))
        assert cell.data_type == "e"  # written as a real Excel error, not as text

    find(problems_of(workbook_path(tmp_path, mutate)), sheet, row, column, "#N/A")


def test_unknown_request_type(tmp_path):
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, "Requests", 3, "type", "HOLIDAY"))
    find(problems_of(path), "Requests", 3, "type", "HOLIDAY")


def test_avoid_without_shift_id(tmp_path):
    # Requests row 3 is an OFF request without a shift_id; as AVOID it needs one.
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, "Requests", 3, "type", "AVOID"))
    problems = problems_of(path)
    located = [
        p
        for p in problems
        if p.sheet == "Requests" and p.row == 3 and p.column == "shift_id" and "AVOID" in p.message
    ]
    assert located, [str(p) for p in problems]


def test_nights_before_without_last_shift_end(tmp_path):
    path = workbook_path(tmp_path, lambda wb: set_cell(wb, "Agents", 2, "last_shift_end", None))
    problems = problems_of(path)
    located = [
        p
        for p in problems
        if p.sheet == "Agents"
        and p.row == 2
        and p.column in ("nights_before", "last_shift_end")
        and "last_shift_end" in p.message
    ]
    assert located, [str(p) for p in problems]


# --- files that are not instance workbooks ------------------------------------------------------
def test_csv_renamed_to_xlsx(tmp_path):
    path = tmp_path / "forecast.xlsx"
    path.write_text("date,time,queue_id,calls\n2026-12-21,08:00,GEN,12\n")
    (problem,) = problems_of(path)
    assert "forecast.xlsx" in problem.message
    assert "xlsx" in problem.message.lower()


def test_truncated_zip(tmp_path):
    good = workbook_path(tmp_path, name="good.xlsx")
    path = tmp_path / "truncated.xlsx"
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    problems = problems_of(path)
    assert any("truncated.xlsx" in p.message for p in problems), problems


def test_zip_with_damaged_parts(tmp_path):
    good = workbook_path(tmp_path, name="good.xlsx")
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = b"<workbook this is not xml"
            target.writestr(item, data)
    problems = problems_of(path)
    assert any("damaged.xlsx" in p.message for p in problems), problems


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    problems = problems_of(path)
    assert any("archive.xlsx" in p.message for p in problems), problems


def test_workbook_with_none_of_our_sheets(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active.title = "Budget"
    wb.active["A1"] = "cost centre"
    wb.active["B1"] = "amount"
    wb.active["A2"] = "CC-1"
    wb.active["B2"] = 100
    wb.save(path)
    problems = problems_of(path)
    for sheet in ("Settings", "Shifts", "Agents"):
        find(problems, sheet, None, "", "missing")
    assert any("demand" in p.message.lower() for p in problems), problems


# --- all at once, and what is tolerated -----------------------------------------------------------
def test_all_problems_reported_at_once(tmp_path):
    rows = {}

    def mutate(wb):
        rows["shrinkage"] = set_setting(wb, "shrinkage", 1.2)
        set_cell(wb, "Shifts", 4, "start", "11:07")
        set_cell(wb, "Breaks", 3, "minutes", "half an hour")
        set_cell(wb, "Agents", 4, "agent_id", "A02")
        set_cell(wb, "Requests", 2, "agent_id", "NOBODY")
        set_cell(wb, "Forecast", 10, "calls", -1)

    path = workbook_path(tmp_path, mutate)
    with pytest.raises(InputError) as caught:
        read_instance(path)
    problems = caught.value.problems
    find(problems, "Settings", rows["shrinkage"], "value", "shrinkage")
    find(problems, "Shifts", 4, "start", "11:07")
    find(problems, "Breaks", 3, "minutes", "half an hour")
    find(problems, "Agents", 4, "agent_id", "A02")
    find(problems, "Requests", 2, "agent_id", "NOBODY")
    find(problems, "Forecast", 10, "calls", "-1")
    report = caught.value.report()
    assert report.count("\n  - ") == len(problems) >= 6
    assert "bad.xlsx" in report


def test_bad_queue_row_does_not_hide_other_problems(tmp_path):
    """A queue with one bad cell is still a known queue: rows naming it are checked as usual."""

    def mutate(wb):
        set_cell(wb, "Queues", 2, "aht_seconds", "slow")
        set_cell(wb, "Forecast", 10, "calls", -1)

    problems = problems_of(workbook_path(tmp_path, mutate))
    find(problems, "Queues", 2, "aht_seconds", "slow")
    find(problems, "Forecast", 10, "calls", "-1")
    phantom = [p for p in problems if "unknown queue 'GEN'" in p.message]
    assert not phantom, f"{len(phantom)} rows call the defined queue GEN unknown: {phantom[0]}"


def test_spaces_around_ids_are_tolerated(tmp_path):
    def pad(wb):
        set_cell(wb, "Agents", 2, "agent_id", "  A01 ")
        set_cell(wb, "Agents", 2, "skills", " GEN ; CMP ")
        set_cell(wb, "Agents", 3, "shifts", " D , M ")
        set_cell(wb, "Queues", 2, "queue_id", "GEN  ")
        set_cell(wb, "Shifts", 3, "shift_id", " D")
        set_cell(wb, "Requests", 4, "agent_id", "A01 ")
        set_cell(wb, "Requests", 4, "shift_id", " D ")
        set_cell(wb, "Forecast", 2, "queue_id", " GEN")
        set_cell(wb, "Breaks", 2, "shift_id", " E ")

    instance = read_instance(workbook_path(tmp_path, pad))
    a01 = instance.agent_by_id["A01"]
    assert a01.skills == ("GEN", "CMP")
    assert instance.agent_by_id["A02"].shifts == ("D", "M")
    assert "GEN" in instance.queue_by_id
    assert "D" in instance.shift_by_id
    prefer = [r for r in instance.requests if r.type.value == "PREFER"]
    assert [(r.agent_id, r.shift_id) for r in prefer] == [("A01", "D")]
    assert len(instance.shift_by_id["E"].breaks) == 3


def test_sheet_and_column_names_match_case_insensitively(tmp_path):
    def recase(wb):
        for number, ws in enumerate(wb.worksheets):
            wanted = ws.title.upper() if ws.title != "Forecast" else "forecast"
            ws.title = f"renaming{number}"  # openpyxl dedups a title against itself
            ws.title = wanted
            for cell in ws[1]:
                if isinstance(cell.value, str):
                    cell.value = cell.value.upper()

    path = workbook_path(tmp_path, recase)
    assert "AGENTS" in load_workbook(path, read_only=True).sheetnames
    instance = read_instance(path)
    expected = read_instance(workbook_path(tmp_path, name="plain.xlsx"))
    assert instance.model_dump(exclude={"name"}) == expected.model_dump(exclude={"name"})


def test_requirements_win_over_forecast_with_a_warning(tmp_path):
    def add_requirements(wb):
        ws = wb.create_sheet("Requirements")
        ws.append(["date", "time", "queue_id", "agents"])
        ws.append([dt.date(2026, 12, 21), dt.time(9, 0), "GEN", 3])
        ws.append([dt.date(2026, 12, 21), "09:15", "GEN", 4])

    warnings: list[str] = []
    instance = read_instance(workbook_path(tmp_path, add_requirements), warnings)
    assert instance.demand_kind == "requirements"
    assert [(d.time, d.agents) for d in instance.interval_demand] == [
        (dt.time(9, 0), 3),
        (dt.time(9, 15), 4),
    ]
    assert any("Forecast" in w and "ignored" in w for w in warnings), warnings


# --- the CLI on bad input: exit 2, no traceback, located message, nothing written -----------------
def _duplicate_agent(wb):
    set_cell(wb, "Agents", 3, "agent_id", "A01")


def _text_in_aht(wb):
    set_cell(wb, "Queues", 3, "aht_seconds", "long")


def _no_shifts_sheet(wb):
    wb.remove(wb["Shifts"])


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (_duplicate_agent, ("sheet Agents", "row 3", "column agent_id", "A01")),
        (_text_in_aht, ("sheet Queues", "row 3", "column aht_seconds", "long")),
        (_no_shifts_sheet, ("sheet Shifts", "missing")),
    ],
)
def test_cli_solve_rejects_bad_input(tmp_path, capsys, mutate, words):
    path = workbook_path(tmp_path, mutate)
    before = path.read_bytes()
    out = tmp_path / "out.xlsx"
    code = main(["solve", str(path), "-o", str(out), "--deterministic-time", "2",
                 "--time-limit", "60", "--workers", "1"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err + captured.out
    for word in words:
        assert word in captured.err, captured.err
    assert not out.exists()
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
