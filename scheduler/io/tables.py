"""Read sheets of a workbook as tables of cells that remember their Excel row and column."""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from pydantic import BaseModel, ValidationError

from scheduler.errors import InputError, Problem
from scheduler.io.cells import CellError, Parser, is_blank
from scheduler.limits import MAX_FILE_MEGABYTES, STRUCTURE_CHECK_MEGABYTES

HEADER_SEARCH_ROWS = 10


def open_workbook(path: str | Path) -> Workbook:
    """Open an .xlsx workbook read-only with cached formula values, or raise InputError."""
    path = Path(path)
    if not path.exists():
        raise InputError([Problem(message=f"the file {path} does not exist")])
    if path.is_dir():
        raise InputError([Problem(message=f"{path} is a folder, not an Excel workbook")])
    megabytes = path.stat().st_size / 1e6
    if megabytes > MAX_FILE_MEGABYTES:
        raise InputError(
            [
                Problem(
                    message=f"{path.name} is {megabytes:.0f} MB; workbooks up to "
                    f"{MAX_FILE_MEGABYTES} MB are accepted (split the horizon or the team)"
                )
            ]
        )
    if not zipfile.is_zipfile(path):
        raise InputError(
            [
                Problem(
                    message=f"{path.name} is not an Excel .xlsx workbook (a CSV or an old .xls "
                    "file renamed to .xlsx?); open it in Excel and save it as .xlsx"
                )
            ]
        )
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(
            [Problem(message=f"{path.name} cannot be opened as an Excel workbook ({exc})")]
        ) from None
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise InputError(
            [Problem(message=f"{path.name} is damaged and cannot be read ({type(exc).__name__})")]
        ) from None


def open_structure(path: str | Path) -> Workbook | None:
    """The workbook with formulas and merged cells (a full load), for files small enough."""
    path = Path(path)
    if path.stat().st_size / 1e6 > STRUCTURE_CHECK_MEGABYTES:
        return None
    try:
        return load_workbook(path, read_only=False, data_only=False)
    except Exception:  # the values were readable; structure checks are a courtesy
        return None


def structure_problems(structure: Workbook | None, table: Table) -> list[Problem]:
    """Merged cells and formulas without a saved result inside a table's sheet."""
    if structure is None:
        return []
    sheet = find_sheet(structure, table.sheet)
    if sheet is None:
        return []
    names = {index: name for name, index in table.columns.items()}
    problems = []
    for merged in sheet.merged_cells.ranges:
        if merged.max_row < max(table.header_row, 1):
            continue
        where = "header " if merged.min_row <= table.header_row else ""
        problems.append(
            Problem(table.sheet, merged.min_row, names.get(merged.min_col - 1, ""),
                    f"the {where}cells {merged.coord} are merged; unmerge them so that each "
                    "cell holds its own value")
        )  # fmt: skip
    values = {row: cells_ for row, cells_ in table.rows}
    for row in sheet.iter_rows(min_row=max(table.header_row, 1)):
        for cell in row:
            is_formula = cell.data_type == "f" or (
                isinstance(cell.value, str) and cell.value.startswith("=")
            )
            if not is_formula:
                continue
            saved = values.get(cell.row)
            index = cell.column - 1
            if saved is not None and index < len(saved) and saved[index] is not None:
                continue
            problems.append(
                Problem(table.sheet, cell.row, names.get(index, cell.column_letter),
                        f"holds the formula {str(cell.value)[:40]} but no saved result; open the "
                        "workbook in Excel (or LibreOffice), let it calculate, and save it")
            )  # fmt: skip
    return problems


def find_sheet(workbook: Workbook, name: str) -> Any | None:
    """The sheet whose name matches case-insensitively (surrounding spaces ignored)."""
    wanted = name.strip().lower()
    for title in workbook.sheetnames:
        if title.strip().lower() == wanted:
            return workbook[title]
    return None


@dataclass
class Table:
    """A sheet as a header and data rows; column names are lower-case, rows are Excel rows."""

    sheet: str
    header_row: int
    columns: dict[str, int]
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def has(self, column: str) -> bool:
        return column in self.columns

    def value(self, values: tuple[Any, ...], column: str) -> Any:
        index = self.columns.get(column)
        if index is None or index >= len(values):
            return None
        return values[index]


def read_table(worksheet: Any) -> Table:
    """Read a sheet: the header is the first non-empty row, blank rows are skipped."""
    title = worksheet.title
    rows = worksheet.iter_rows(values_only=True)
    header_row = 0
    header: tuple[Any, ...] = ()
    for number, values in enumerate(rows, start=1):
        if any(not is_blank(v) for v in values):
            header_row, header = number, values
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    table = Table(sheet=title, header_row=header_row, columns={})
    if not header_row:
        return table
    for index, cell in enumerate(header):
        if is_blank(cell):
            continue
        name = str(cell).strip().lower()
        if name in table.columns:
            table.problems.append(
                Problem(title, header_row, name, "this column name appears twice in the header")
            )
            continue
        table.columns[name] = index
    for number, values in enumerate(rows, start=header_row + 1):
        if any(not is_blank(v) for v in values):
            table.rows.append((number, values))
    return table


@dataclass(frozen=True)
class Column:
    """A column a sheet may have: how to parse it and whether it must be filled."""

    name: str
    parse: Parser
    required: bool = False
    field: str = ""

    @property
    def key(self) -> str:
        return self.field or self.name


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean X?)' when a close match exists."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not match:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            match = [lowered[word.lower()]]
    return f" (did you mean {match[0]}?)" if match else ""


def check_columns(table: Table, columns: list[Column], problems: list[Problem]) -> bool:
    """Report missing required columns; False when the sheet cannot be read row by row."""
    ok = True
    known = [c.name for c in columns]
    for column in columns:
        if column.required and not table.has(column.name):
            hint = ""
            for present in table.columns:
                if present not in known:
                    hint = suggest(column.name, [present])
                    if hint:
                        hint = f" (is it the column '{present}'?)"
                        break
            problems.append(
                Problem(
                    table.sheet,
                    table.header_row or 1,
                    column.name,
                    f"the required column '{column.name}' is missing{hint}",
                )
            )
            ok = False
    return ok


def parse_rows(
    table: Table, columns: list[Column], problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Parse every data row; yields (Excel row, values) for rows whose cells all parsed.

    Blank optional cells are left out so the model's default applies.
    """
    if not check_columns(table, columns, problems):
        return
    for row_number, values in table.rows:
        parsed: dict[str, Any] = {}
        row_ok = True
        for column in columns:
            if not table.has(column.name):
                continue
            raw = table.value(values, column.name)
            if is_blank(raw):
                if column.required:
                    problems.append(
                        Problem(table.sheet, row_number, column.name, "is empty but required")
                    )
                    row_ok = False
                continue
            try:
                parsed[column.key] = column.parse(raw)
            except CellError as exc:
                problems.append(Problem(table.sheet, row_number, column.name, str(exc)))
                row_ok = False
        if row_ok:
            yield row_number, parsed


ModelT = TypeVar("ModelT", bound=BaseModel)


def build_model(
    model: type[ModelT],
    values: dict[str, Any],
    problems: list[Problem],
    sheet: str,
    row: int,
    column_names: dict[str, str] | None = None,
) -> ModelT | None:
    """Validate values into a model; each pydantic error becomes a located Problem."""
    try:
        return model(**values)
    except ValidationError as exc:
        for error in exc.errors():
            location = [str(part) for part in error.get("loc", ())]
            message = plain_message(error)
            field_name = location[0] if location else mentioned_field(model, message)
            column = (column_names or {}).get(field_name, field_name)
            problems.append(Problem(sheet, row, column, message))
        return None


def mentioned_field(model: type[BaseModel], message: str) -> str:
    """The first of the model's fields a whole-row message names (a rule between columns)."""
    positions = [
        (match.start(), name)
        for name in model.model_fields
        if (match := re.search(rf"\b{re.escape(name)}\b", message))
    ]
    return min(positions)[1] if positions else ""


def plain_message(error: Any) -> str:
    """Pydantic's message in a scheduler's words."""
    if error.get("type") == "missing":
        return "is required but missing"
    message = str(error.get("msg", "is not valid"))
    message = message.removeprefix("Value error, ")
    message = message.replace("Input should be", "should be")
    given = error.get("input")
    if error.get("type", "").startswith(("greater", "less", "literal")) and given is not None:
        shown = int(given) if isinstance(given, float) and given.is_integer() else given
        message = f"{message}, found {shown}"
    return message
