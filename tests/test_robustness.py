"""Never crash on a workbook, never lose work: formulas, merged cells, size limits, safe output,
reproducible rosters, and a fuzz test that mutates valid workbooks cell by cell."""

import datetime as dt
import hashlib
import random
import re
import shutil
import zipfile
from xml.etree import ElementTree

import defusedxml
import openpyxl
import pytest
from builders import agent, make_instance, shift
from conftest import INSTANCES
from openpyxl import load_workbook

from scheduler import limits
from scheduler.audit import audit
from scheduler.cli import main
from scheduler.errors import InputError
from scheduler.generate import GeneratorSpec, generate
from scheduler.io.instance_reader import read_instance
from scheduler.io.instance_writer import write_instance
from scheduler.io.roster_reader import read_roster
from scheduler.model import Roster

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


# --- XML attacks inside a workbook part ---------------------------------------------------------
SECRET = "s3cr3t-payroll-7f1c9"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _sheet_part(path, sheet: str) -> str:
    """The zip member that holds a sheet's XML, found through the workbook's relationships."""
    with zipfile.ZipFile(path) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    sheets = book.iter(f"{MAIN_NS}sheet")
    [rel_id] = [s.get(f"{REL_NS}id") for s in sheets if s.get("name") == sheet]
    [target] = [r.get("Target") for r in rels.iter(f"{PACKAGE_NS}Relationship")
                if r.get("Id") == rel_id]  # fmt: skip
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _with_entity(source, target, sheet: str, doctype: str, reference: str) -> None:
    """A copy of the workbook whose sheet XML declares `doctype` and shows `reference` as the
    text of cell B2 (an agent's name on the Agents sheet)."""
    part = _sheet_part(source, sheet)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == part:
                xml = data.decode("utf-8")
                cell = f'<c r="B2" t="inlineStr"><is><t>{reference}</t></is></c>'
                xml, count = re.subn(r'<c r="B2"[^>]*?(?:/>|>.*?</c>)', cell, xml, count=1)
                assert count == 1
                if xml.startswith("<?xml"):
                    head, xml = xml.split("?>", 1)
                    xml = f"{head}?>{doctype}{xml}"
                else:
                    xml = doctype + xml
                data = xml.encode("utf-8")
            new.writestr(item, data)


def _billion_laughs() -> tuple[str, str]:
    """Ten levels of ten: &lol9; would expand to 10**9 copies of 'lol', 3 GB of text."""
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return f"<!DOCTYPE worksheet [{''.join(levels)}]>", "&lol9;"


def _external_entity(secret_file) -> tuple[str, str]:
    return f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">]>', "&xxe;"


@pytest.mark.parametrize("attack", ["billion laughs", "external entity"])
def test_entities_in_a_sheet_are_refused_as_bad_input(tmp_path, capsys, attack):
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET)
    clean = tmp_path / "clean.xlsx"
    instance = make_instance([agent("A1"), agent("A2")], [shift("D", "09:00", 240)], days=1,
                             shift_demand=[(0, "D", 1)], rules={"min_hours_week": 0})  # fmt: skip
    write_instance(instance, clean)  # a normal workbook, written by openpyxl
    assert read_instance(clean).agents[0].name == "A1"  # readable before the attack
    doctype, reference = (
        _billion_laughs() if attack == "billion laughs" else _external_entity(secret_file)
    )
    bad = tmp_path / "attack.xlsx"
    _with_entity(clean, bad, "Agents", doctype, reference)

    # The reader refuses the entity declaration itself: nothing is ever expanded or fetched
    # (expanding &lol9; would not finish; this test does in well under a second).
    with pytest.raises(InputError) as caught:
        read_instance(bad)
    causes, error = [], caught.value
    while error is not None:
        causes.append(error)
        error = error.__cause__ or error.__context__
    assert any(isinstance(e, defusedxml.DefusedXmlException) for e in causes), causes
    assert all(SECRET not in str(e) for e in causes)

    output = tmp_path / "roster.xlsx"
    code = main(["solve", str(bad), "-o", str(output), "--deterministic-time", "1",
                 "--workers", "1", "-q"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 2
    assert "attack.xlsx" in captured.err  # the problem names the workbook
    assert "Traceback" not in captured.out + captured.err
    assert SECRET not in captured.out + captured.err
    assert not output.exists()
    code = main(["staffing", str(bad)])
    captured = capsys.readouterr()
    assert code == 2 and "attack.xlsx" in captured.err
    assert SECRET not in captured.out + captured.err
    for path in tmp_path.iterdir():  # no file but the secret itself holds the secret
        assert path == secret_file or SECRET.encode() not in path.read_bytes()


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
    # The roster written is re-checked by the rule checker, agent ids read back as text. (Its
    # shifts have no activities, as the instance has no queues; `scheduler audit` on the file
    # itself is the test below.)
    instance = read_instance(tmp_path / "i.xlsx")
    loaded = read_roster(tmp_path / "r.xlsx", instance).roster
    assert [a.agent_id for a in loaded.assignments] in (['=HYPERLINK("x")'], ["+1"])
    assert audit(instance, Roster(assignments=loaded.assignments)).hard == []


def test_a_roster_solved_without_queues_passes_audit_from_its_file(tmp_path, capsys):
    instance = make_instance([agent("A1", skills=()), agent("A2", skills=())],
                             [shift("D", "09:00", 240)], days=1, queues=(),
                             shift_demand=[(0, "D", 1)], rules={"min_hours_week": 0})  # fmt: skip
    write_instance(instance, tmp_path / "i.xlsx")
    code = main(["solve", str(tmp_path / "i.xlsx"), "-o", str(tmp_path / "r.xlsx"),
                 "--deterministic-time", "1", "--workers", "1", "-q"])  # fmt: skip
    assert code == 0
    assert main(["audit", str(tmp_path / "i.xlsx"), str(tmp_path / "r.xlsx")]) == 0


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
    instance = read_instance(TINY)
    report = audit(instance, read_roster(outputs[0], instance).roster)
    assert report.hard == []


# --- fuzz: mutate a valid workbook cell by cell ------------------------------------------------
# Each case applies one to three mutations to a valid workbook: hostile ones (any value in any
# cell, one row past the data included) and benign ones that a valid workbook may also show
# (other spellings, extra columns and sheets, dates as text, changed numbers and names, blank
# optional cells). Every case is seeded, so the share that stays valid is the same on every run.
HOSTILE_VALUES = (
    None, 0, -1, 10_001, -10_000, 0.5, -0.0, 1e308, 3.4e38, "", " ", "#N/A", "#REF!", "yes",
    "no", "=1+1", "  GEN  ", "LEAVE", "25:00", "2026-02-30", "1e309", "-0", "N=2;X", "Mon-Sun",
    "A01;A01", "ÄÖü 中文", dt.date(1900, 3, 1), dt.date(2100, 1, 1), dt.time(23, 59),
    dt.datetime(2026, 12, 21, 7, 13),
)  # fmt: skip
TEXT = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789;,.-_=:éßü中"
YES = ("yes", "Yes", "Y", "y", "TRUE", "true", "1", 1)
NO = ("no", "No", "N", "n", "FALSE", "false", "0", 0)
OPTIONAL_BLANKS = {
    "Queues": ("service_level", "answer_seconds", "max_occupancy"),
    "Agents": ("hist_weekends", "hist_holidays", "hist_nights", "hist_complaint_hours"),
    "Requests": ("weight",),
}


def _columns(sheet) -> dict[str, int]:
    return {str(c.value).strip().lower(): c.column for c in sheet[1] if c.value is not None}


def _data_row(sheet, rng) -> int:
    return rng.randint(2, max(sheet.max_row, 2))


def _hostile(workbook, rng) -> str:
    sheet = workbook[rng.choice(workbook.sheetnames)]
    row = rng.randint(1, sheet.max_row + 1)
    column = rng.randint(1, max(sheet.max_column, 1))
    roll = rng.random()
    if roll < 0.6:
        value = rng.choice(HOSTILE_VALUES)
    elif roll < 0.8:
        value = rng.randint(-10_000, 10_000)
    else:
        value = "".join(rng.choice(TEXT) for _ in range(rng.randint(1, 12)))
    if sheet.title == "Settings" and column == 2 and sheet.cell(row, 1).value == "seed":
        value = rng.randint(0, 10_000)  # a seed past 32 bits is refused: see below
    sheet.cell(row=row, column=column).value = value
    return f"{sheet.title}!R{row}C{column}={value!r}"


def _benign(workbook, rng) -> str:
    kind = rng.choice(
        ("header case", "sheet case", "extra column", "extra sheet", "yes/no", "name", "calls",
         "weight", "date as text", "time as text", "history", "blank optional")
    )  # fmt: skip
    if kind == "header case":
        sheet = workbook[rng.choice(workbook.sheetnames)]
        cell = sheet.cell(row=1, column=rng.randint(1, sheet.max_column))
        cell.value = rng.choice((str.upper, str.title))(cell.value)
    elif kind == "sheet case":
        sheet = workbook[rng.choice(workbook.sheetnames)]
        sheet.title = sheet.title.upper()
    elif kind == "extra column":
        sheet = workbook[rng.choice(workbook.sheetnames)]
        column = sheet.max_column + 1
        sheet.cell(row=1, column=column).value = "comment"
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row=row, column=column).value = rng.choice(HOSTILE_VALUES[1:])
    elif kind == "extra sheet":
        extra = workbook.create_sheet("Scratch")
        for row in range(1, 4):
            for column in range(1, 4):
                extra.cell(row=row, column=column).value = rng.choice(HOSTILE_VALUES)
    elif kind == "yes/no":
        title, header = rng.choice((("Queues", "complaint"), ("Shifts", "night"),
                                    ("Agents", "night_ok")))  # fmt: skip
        sheet = workbook[title]
        cell = sheet.cell(row=_data_row(sheet, rng), column=_columns(sheet)[header])
        cell.value = rng.choice(YES if str(cell.value).lower() == "yes" else NO)
    elif kind == "name":
        sheet = workbook["Agents"]
        text = "".join(rng.choice(TEXT.replace("=", "")) for _ in range(rng.randint(1, 20)))
        sheet.cell(row=_data_row(sheet, rng), column=_columns(sheet)["name"]).value = text
    elif kind == "calls":
        sheet = workbook["Forecast"]
        calls = round(rng.uniform(0, 40), 1)
        sheet.cell(row=_data_row(sheet, rng), column=_columns(sheet)["calls"]).value = calls
    elif kind == "weight":
        sheet = workbook["Requests"]
        weight = rng.choice((0.5, 1, 2.5, 7, 100))
        sheet.cell(row=_data_row(sheet, rng), column=_columns(sheet)["weight"]).value = weight
    elif kind == "date as text":
        sheet = workbook[rng.choice(("Forecast", "Requests"))]
        cell = sheet.cell(row=_data_row(sheet, rng), column=_columns(sheet)["date"])
        cell.value = cell.value.date().isoformat()
    elif kind == "time as text":
        sheet = workbook["Forecast"]
        cell = sheet.cell(row=_data_row(sheet, rng), column=_columns(sheet)["time"])
        cell.value = cell.value.strftime("%H:%M")
    elif kind == "history":
        sheet = workbook["Agents"]
        header = rng.choice(("hist_weekends", "hist_holidays", "hist_nights",
                             "hist_complaint_hours"))  # fmt: skip
        sheet.cell(row=_data_row(sheet, rng), column=_columns(sheet)[header]).value = rng.randint(
            0, 40
        )
    else:
        title = rng.choice(sorted(OPTIONAL_BLANKS))
        sheet = workbook[title]
        header = rng.choice(OPTIONAL_BLANKS[title])
        sheet.cell(row=_data_row(sheet, rng), column=_columns(sheet)[header]).value = None
    return kind


FUZZ_CASES = 32


@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory):
    base = tmp_path_factory.mktemp("fuzz") / "base.xlsx"
    instance = generate(GeneratorSpec(agents=3, days=2, queues=2, seed=4, interval_minutes=30))
    write_instance(instance, base)
    return base


def test_mutated_workbooks_never_crash_and_a_share_still_solves(fuzz_base, tmp_path, capsys):
    codes = []
    for case in range(FUZZ_CASES):
        rng = random.Random(case)
        workbook = load_workbook(fuzz_base)
        done = [
            _benign(workbook, rng) if rng.random() < 0.6 else _hostile(workbook, rng)
            for _ in range(rng.randint(1, 3))
        ]
        folder = tmp_path / f"case{case}"
        folder.mkdir()
        path = folder / "mutated.xlsx"
        workbook.save(path)
        output = folder / "out.xlsx"
        code = main(["solve", str(path), "-o", str(output), "--deterministic-time", "0.5",
                     "--time-limit", "120", "--workers", "1", "-q"])  # fmt: skip
        captured = capsys.readouterr()
        # A mutated workbook is either still valid (0; or rules that cannot hold, 3) or refused
        # (2); never a traceback, and only a complete roster is ever written.
        assert code in (0, 2, 3), (case, done, captured.err)
        assert "Traceback" not in captured.out + captured.err, (case, done)
        assert output.exists() == (code == 0), (case, done)
        assert [p.name for p in folder.iterdir() if p.name != "mutated.xlsx"] == (
            ["out.xlsx"] if code == 0 else []
        ), (case, done)
        if code == 0:  # the roster written passes the independent rule checker
            audited = main(["audit", str(path), str(output)])
            captured = capsys.readouterr()
            assert audited == 0, (case, done, captured.out)
        codes.append(code)
    # The benign mutations keep a good share of the workbooks valid, and those are solved.
    assert codes.count(0) >= FUZZ_CASES // 4, codes
    assert codes.count(2) >= FUZZ_CASES // 4, codes  # and the hostile ones are refused


READ_FUZZ_CASES = 96


def _mutate(workbook, rng) -> str:
    """One benign or hostile mutation; after a sheet was renamed in another case, a mutation
    that looks the sheet up by its usual name is skipped."""
    try:
        return _benign(workbook, rng) if rng.random() < 0.5 else _hostile(workbook, rng)
    except KeyError:
        return "skipped"


def test_hundreds_of_mutated_workbooks_are_read_or_refused_with_located_errors(tmp_path):
    """Every sheet of the shipped tiny example, mutated: the reader either gives a valid
    instance or an InputError whose every problem says where; never anything else. (Solving
    the valid ones is the test above; this one only reads, so it covers many more cases.)"""
    outcomes = {"valid": 0, "refused": 0}
    for case in range(READ_FUZZ_CASES):
        rng = random.Random(case)
        workbook = load_workbook(TINY)
        done = [_mutate(workbook, rng) for _ in range(rng.randint(1, 4))]
        path = tmp_path / f"case{case}.xlsx"
        workbook.save(path)
        try:
            read_instance(path)
        except InputError as error:
            assert error.problems, (case, done)
            assert all(problem.sheet or problem.message for problem in error.problems)
            outcomes["refused"] += 1
        else:
            outcomes["valid"] += 1
        path.unlink()
    assert outcomes["valid"] >= READ_FUZZ_CASES // 8, outcomes
    assert outcomes["refused"] >= READ_FUZZ_CASES // 8, outcomes


@pytest.mark.parametrize("seed", [2**31, 1e308])
def test_a_seed_too_large_for_the_solver_is_bad_input(tmp_path, seed):
    path = _copy_tiny(tmp_path)
    workbook = load_workbook(path)
    settings = workbook["Settings"]
    [row] = [r for r in settings.iter_rows(min_row=2) if r[0].value == "seed"]
    row[1].value = seed
    workbook.save(path)
    output = tmp_path / "r.xlsx"
    code = main(["solve", str(path), "-o", str(output), "--deterministic-time", "0.2",
                 "--workers", "1", "-q"])  # fmt: skip
    assert code == 2
    assert not output.exists()


def test_an_id_in_another_case_is_reported_with_the_right_spelling(tmp_path):
    path = _copy_tiny(tmp_path)
    workbook = load_workbook(path)
    agents = workbook["Agents"]
    agents["C2"] = "gen"  # skills: the queue is GEN
    workbook.save(path)
    [problem] = _problems(path)
    assert (problem.sheet, problem.row, problem.column) == ("Agents", 2, "skills")
    assert "'gen'" in problem.message and "did you mean GEN?" in problem.message
