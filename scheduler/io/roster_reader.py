"""Read a roster workbook for auditing: an Assignments sheet, or a Roster grid typed by hand.

A grid has agents down the first column and dates across the header row; each cell holds a shift
code, LEAVE, or nothing (off). Activities are optional; without them the intraday rules cannot be
checked. Every cell that cannot be read is reported with its sheet and Excel cell.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from scheduler.audit.findings import WEEK_RULES
from scheduler.errors import InputError, Problem
from scheduler.horizon import Horizon
from scheduler.io import cells
from scheduler.io.tables import (
    Column,
    find_sheet,
    open_workbook,
    parse_rows,
    read_table,
    suggest,
)
from scheduler.model import LEAVE, Activity, Assignment, Instance, Roster

OFF_WORDS = {"", "-", "OFF", "X", "FREE", "REST"}
ASSIGNMENT_COLUMNS = [
    Column("agent_id", cells.text, required=True),
    Column("date", cells.date, required=True),
    Column("shift_id", cells.text, required=True),
]
ACTIVITY_COLUMNS = [
    Column("agent_id", cells.text, required=True),
    Column("date", cells.date, required=True),
    Column("start", cells.datetime, required=True),
    Column("end", cells.datetime, required=True),
    Column("activity", cells.text, required=True),
]


@dataclass
class LoadedRoster:
    """A roster read from a workbook, with the cell that shows each (agent, date)."""

    roster: Roster
    cells: dict[tuple[str, dt.date], str] = field(default_factory=dict)
    source: str = "Assignments"
    leave_marked: set[tuple[str, dt.date]] = field(default_factory=set)


def roster_cell(
    cells: dict[tuple[str, dt.date], str], rule: str, agent_id: str, date: dt.date | None
) -> str:
    """The Roster cell a finding points at; for a weekly rule the row's range over that week."""
    if date is None:
        return ""
    if rule not in WEEK_RULES:
        return cells.get((agent_id, date), "")
    week = [cells[(agent_id, day)] for day in _week(date) if (agent_id, day) in cells]
    if not week:
        return ""
    first, last = week[0], week[-1]
    return first if first == last else f"{first}:{last.partition('!')[2]}"


def _week(start: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=offset) for offset in range(7)]


def read_roster(path: str | Path, instance: Instance) -> LoadedRoster:
    """Read a roster workbook against its instance; raise InputError listing every problem."""
    path = Path(path)
    workbook = open_workbook(path)
    problems: list[Problem] = []
    try:
        grid_sheet = find_sheet(workbook, "Roster")
        grid = _read_grid(grid_sheet, instance, problems) if grid_sheet is not None else None
        assignments_sheet = find_sheet(workbook, "Assignments")
        if assignments_sheet is not None:
            loaded = _read_assignments(assignments_sheet, instance, problems)
            if grid is not None:
                loaded.cells = grid.cells
                loaded.leave_marked = grid.leave_marked
        elif grid is not None:
            loaded = grid
        else:
            raise InputError(
                [Problem(message="the workbook has neither an Assignments nor a Roster sheet")],
                source=path.name,
            )
        activities_sheet = find_sheet(workbook, "Activities")
        activities = None
        if activities_sheet is not None:
            # An Activities sheet without rows (as solve writes for a centre without queues)
            # gives no activities, just like a workbook without the sheet.
            activities = _read_activities(activities_sheet, instance, problems) or None
    finally:
        workbook.close()
    if problems:
        raise InputError(problems, source=path.name)
    loaded.roster = Roster(assignments=loaded.roster.assignments, activities=activities)
    return loaded


def _assignment(instance: Instance, horizon: Horizon, agent_id, date, shift_id) -> Assignment:
    shift = instance.shift_by_id[shift_id]
    day = (date - horizon.start_date).days
    start, end = horizon.shift_window(shift, day)
    return Assignment(
        agent_id=agent_id,
        date=date,
        shift_id=shift_id,
        start=horizon.moment(start),
        end=horizon.moment(end),
    )


def _match_shift(code: str, instance: Instance) -> str | None:
    if code in instance.shift_by_id:
        return code
    folded = [s for s in instance.shift_by_id if s.lower() == code.lower()]
    return folded[0] if len(folded) == 1 else None


def _read_assignments(sheet: Any, instance: Instance, problems: list[Problem]) -> LoadedRoster:
    table = read_table(sheet)
    problems.extend(table.problems)
    horizon = Horizon(instance)
    assignments = []
    refs: dict[tuple[str, dt.date], str] = {}
    for row, values in parse_rows(table, ASSIGNMENT_COLUMNS, problems):
        agent_id, date, code = values["agent_id"], values["date"], values["shift_id"]
        ok = True
        if agent_id not in instance.agent_by_id:
            hint = suggest(agent_id, instance.agent_by_id)
            problems.append(
                Problem(table.sheet, row, "agent_id", f"unknown agent '{agent_id}'{hint}")
            )
            ok = False
        shift_id = _match_shift(code, instance)
        if shift_id is None:
            hint = suggest(code, instance.shift_by_id)
            problems.append(Problem(table.sheet, row, "shift_id", f"unknown shift '{code}'{hint}"))
            ok = False
        if horizon.day_of(date) is None:
            problems.append(
                Problem(table.sheet, row, "date", f"{date} is outside the instance's horizon")
            )
            ok = False
        if ok:
            assignments.append(_assignment(instance, horizon, agent_id, date, shift_id))
            refs.setdefault((agent_id, date), f"{table.sheet}!A{row}")
    return LoadedRoster(Roster(assignments=tuple(assignments)), refs, "Assignments")


_DATE_IN_TEXT = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _header_date(value: Any) -> dt.date | None:
    """A date from a grid header: an Excel date, or text containing YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        found = _DATE_IN_TEXT.search(value)
        if found:
            try:
                return dt.date.fromisoformat(found.group(1))
            except ValueError:
                return None
    return None


def _read_grid(sheet: Any, instance: Instance, problems: list[Problem]) -> LoadedRoster:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    title = sheet.title
    rows = list(sheet.iter_rows(values_only=True))
    horizon = Horizon(instance)
    # The header is the row with the most dates (a title row above it may hold one too); the
    # first column holds the agent ids, never a date.
    counts = [sum(_header_date(v) is not None for v in r[1:]) for r in rows[:10]]
    header_index = max(range(len(counts)), key=lambda i: (counts[i], -i)) if counts else None
    if header_index is None or counts[header_index] == 0:
        problems.append(
            Problem(title, 1, "", "no dates found in the header row (write dates as YYYY-MM-DD)")
        )
        return LoadedRoster(Roster(assignments=()), {}, "Roster")
    header = rows[header_index]
    date_columns: dict[int, dt.date] = {}
    body = rows[header_index + 1 :]
    for index, value in enumerate(header):
        if index == 0:
            continue
        date = _header_date(value)
        if date is None:
            if _holds_shift_codes(body, index, instance):
                problems.append(
                    Problem(title, header_index + 1, get_column_letter(index + 1),
                            f"the header {cells.text(value) if value is not None else '(empty)'!r} "
                            "is not a date, but shift codes are typed below it; write the date "
                            "as YYYY-MM-DD (or as an Excel date)")
                )  # fmt: skip
            continue
        if horizon.day_of(date) is None:
            problems.append(
                Problem(title, header_index + 1, get_column_letter(index + 1),
                        f"{date} is outside the instance's horizon")
            )  # fmt: skip
            continue
        date_columns[index] = date
    id_column = 0
    assignments = []
    refs: dict[tuple[str, dt.date], str] = {}
    leave_marked: set[tuple[str, dt.date]] = set()
    shifts = ", ".join(instance.shift_by_id)
    for offset, values in enumerate(rows[header_index + 1 :], start=header_index + 2):
        raw_id = values[id_column] if values else None
        if cells.is_blank(raw_id):
            continue
        agent_id = cells.text(raw_id)
        if agent_id not in instance.agent_by_id:
            hint = suggest(agent_id, instance.agent_by_id)
            problems.append(Problem(title, offset, "A", f"unknown agent '{agent_id}'{hint}"))
            continue
        for index, date in date_columns.items():
            ref = f"{title}!{get_column_letter(index + 1)}{offset}"
            refs[(agent_id, date)] = ref
            value = values[index] if index < len(values) else None
            code = "" if value is None else cells.text(value).strip()
            if code.upper() in OFF_WORDS:
                continue
            if code.upper() == LEAVE:
                leave_marked.add((agent_id, date))
                continue
            shift_ids = []
            for part in re.split(r"[;,/+]", code):
                shift_id = _match_shift(part.strip(), instance)
                if shift_id is None:
                    problems.append(
                        Problem(title, offset, get_column_letter(index + 1),
                                f"'{code}' in {ref} is not a shift code (shifts: {shifts}; "
                                "LEAVE, or blank for a day off)")
                    )  # fmt: skip
                    shift_ids = []
                    break
                shift_ids.append(shift_id)
            for shift_id in shift_ids:
                assignments.append(_assignment(instance, horizon, agent_id, date, shift_id))
    return LoadedRoster(Roster(assignments=tuple(assignments)), refs, "Roster", leave_marked)


def _holds_shift_codes(body: list, index: int, instance: Instance) -> bool:
    """Whether a column's cells read as shift codes or LEAVE (a roster column without a date)."""
    for values in body:
        if index >= len(values) or values[index] is None:
            continue
        code = str(values[index]).strip()
        if code.upper() == LEAVE or _match_shift(code, instance) is not None:
            return True
    return False


def _read_activities(sheet: Any, instance: Instance, problems: list[Problem]) -> tuple:
    """The Activities rows as blocks; problems are collected, not raised."""
    table = read_table(sheet)
    problems.extend(table.problems)
    blocks = []
    known = set(instance.queue_by_id) | {"BREAK", "LUNCH"}
    for row, values in parse_rows(table, ACTIVITY_COLUMNS, problems):
        if values["agent_id"] not in instance.agent_by_id:
            problems.append(
                Problem(table.sheet, row, "agent_id", f"unknown agent '{values['agent_id']}'")
            )
            continue
        activity = values["activity"]
        if activity not in known:
            upper = activity.upper()
            activity = upper if upper in known else activity
        if values["end"] <= values["start"]:
            problems.append(Problem(table.sheet, row, "end", "is not after start"))
            continue
        blocks.append(
            Activity(
                agent_id=values["agent_id"],
                date=values["date"],
                start=values["start"],
                end=values["end"],
                activity=activity,
            )
        )
    return tuple(blocks)
