"""Shared Excel writing: safe cells, header styling, widths, colours and atomic saving."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=13)
WEEKEND_FILL = PatternFill("solid", fgColor="EDEDED")
HOLIDAY_FILL = PatternFill("solid", fgColor="FCE4D6")
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

# Distinct, print-friendly fills for shifts and queues; breaks and lunches have fixed colours.
PALETTE = (
    "9BC2E6",
    "A9D08E",
    "F4B084",
    "C9A0DC",
    "FFD966",
    "8EA9DB",
    "F8CBAD",
    "B4C6E7",
    "C6E0B4",
    "D9D2E9",
)
ACTIVITY_COLOURS = {"BREAK": "FFF2CC", "LUNCH": "FFC000", "LEAVE": "D9D9D9"}
NIGHT_COLOUR = "305496"
FORMULA_STARTS = ("=", "+", "-", "@")


def fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def colour_map(keys: Iterable[str], night: Iterable[str] = ()) -> dict[str, str]:
    """A stable colour per key; night shifts share a dark blue."""
    nights = set(night)
    colours: dict[str, str] = {}
    index = 0
    for key in keys:
        if key in ACTIVITY_COLOURS:
            colours[key] = ACTIVITY_COLOURS[key]
        elif key in nights:
            colours[key] = NIGHT_COLOUR
        else:
            colours[key] = PALETTE[index % len(PALETTE)]
            index += 1
    return colours


def put(ws: Any, row: int, column: int, value: Any, number_format: str | None = None) -> Any:
    """Write one cell; text that Excel would read as a formula is kept as text."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    elif isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, dt.time):
        cell.number_format = TIME_FORMAT
    return cell


def write_table(
    ws: Any,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    first_row: int = 1,
    widths: dict[str, float] | None = None,
    freeze: bool = True,
) -> int:
    """A header row and data rows, with a frozen, filterable header; returns the last row."""
    style_header(ws, headers, first_row)
    row_number = first_row
    for row_number, values in enumerate(rows, start=first_row + 1):
        for column, value in enumerate(values, start=1):
            put(ws, row_number, column, value)
    if freeze:
        ws.freeze_panes = ws.cell(row=first_row + 1, column=1)
    if row_number > first_row:
        last = get_column_letter(len(headers))
        ws.auto_filter.ref = f"A{first_row}:{last}{row_number}"
    size_columns(ws, headers, widths)
    return row_number


def style_header(ws: Any, headers: Sequence[str], row: int = 1) -> None:
    for column, name in enumerate(headers, start=1):
        cell = put(ws, row, column, name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def size_columns(ws: Any, headers: Sequence[str], widths: dict[str, float] | None = None) -> None:
    """Width from the header and a sample of values, within sensible bounds."""
    widths = widths or {}
    for column, name in enumerate(headers, start=1):
        letter = get_column_letter(column)
        if name in widths:
            ws.column_dimensions[letter].width = widths[name]
            continue
        longest = len(str(name))
        for row in range(2, min(ws.max_row, 200) + 1):
            value = ws.cell(row=row, column=column).value
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                length = 16
            elif isinstance(value, (dt.date, dt.time)):
                length = 10
            elif isinstance(value, float):
                length = len(f"{value:.2f}")
            else:
                length = len(str(value))
            longest = max(longest, length)
        ws.column_dimensions[letter].width = max(8, min(longest + 2, 60))


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def fit_for_print(workbook: Workbook) -> None:
    """Landscape pages, each sheet one page wide, so printed rosters stay readable."""
    for ws in workbook.worksheets:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0


def save_atomically(workbook: Workbook, path: str | Path) -> None:
    """Write to a temporary file beside the target, then rename it into place.

    An existing file is only replaced by a complete new one.
    """
    fit_for_print(workbook)
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx", dir=directory)
    os.close(handle)
    try:
        workbook.save(temporary)
        # mkstemp makes the file private; give it the permissions a new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
