"""Read an instance workbook (SPEC section 3) into a validated Instance.

Every problem is collected with its sheet, Excel row and column before anything is reported, so a
scheduler can fix the whole workbook in one pass.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import holidays as holiday_calendars

from scheduler.errors import InputError, Problem
from scheduler.horizon import is_night_by_default
from scheduler.io import cells
from scheduler.io.tables import (
    Column,
    Table,
    build_model,
    find_sheet,
    open_structure,
    open_workbook,
    parse_rows,
    read_table,
    structure_problems,
    suggest,
)
from scheduler.limits import MAX_AGENTS, MAX_SHIFT_CHOICES, MAX_SHIFT_TYPES
from scheduler.model import (
    Agent,
    BreakSpec,
    Holiday,
    Instance,
    IntervalDemand,
    Queue,
    Request,
    RequestType,
    Rules,
    ScenarioChange,
    Settings,
    Shift,
    ShiftDemand,
)

SETTINGS_PARSERS: dict[str, cells.Parser] = {
    "start_date": cells.date,
    "days": cells.integer,
    "interval_minutes": cells.integer,
    "country": cells.text,
    "shrinkage": cells.fraction,
    "time_limit_seconds": cells.number,
    "workers": cells.integer,
    "seed": cells.integer,
}


def _parser_for(annotation: Any) -> cells.Parser:
    if annotation is bool:
        return cells.boolean
    if annotation is int:
        return cells.integer
    return cells.number


RULES_PARSERS: dict[str, cells.Parser] = {
    name: _parser_for(info.annotation) for name, info in Rules.model_fields.items()
}

QUEUE_COLUMNS = [
    Column("queue_id", cells.text, required=True),
    Column("name", cells.text),
    Column("aht_seconds", cells.number, required=True),
    Column("complaint", cells.boolean),
    Column("service_level", cells.fraction),
    Column("answer_seconds", cells.number),
    Column("max_occupancy", cells.fraction),
]
FORECAST_COLUMNS = [
    Column("date", cells.date, required=True),
    Column("time", cells.time, required=True),
    Column("queue_id", cells.text, required=True),
    Column("calls", cells.number, required=True),
]
REQUIREMENT_COLUMNS = [
    Column("date", cells.date, required=True),
    Column("time", cells.time, required=True),
    Column("queue_id", cells.text, required=True),
    Column("agents", cells.integer, required=True),
]
SHIFT_DEMAND_COLUMNS = [
    Column("date", cells.date, required=True),
    Column("shift_id", cells.text, required=True),
    Column("agents", cells.integer, required=True),
    Column("weight_under", cells.number),
    Column("weight_over", cells.number),
]
SHIFT_COLUMNS = [
    Column("shift_id", cells.text, required=True),
    Column("start", cells.time, required=True),
    Column("duration_minutes", cells.integer, required=True),
    Column("paid_minutes", cells.integer),
    Column("night", cells.boolean),
    Column("weekdays", cells.weekdays),
    Column("not_followed_by", cells.id_list),
]
BREAK_COLUMNS = [
    Column("shift_id", cells.text, required=True),
    Column("activity", lambda v: cells.text(v).upper(), required=True),
    Column("minutes", cells.integer, required=True),
    Column("earliest", cells.integer, required=True),
    Column("latest", cells.integer, required=True),
]
AGENT_COLUMNS = [
    Column("agent_id", cells.text, required=True),
    Column("name", cells.text),
    Column("skills", cells.id_list),
    Column("hire_date", cells.date),
    Column("fte", cells.number),
    Column("min_hours_week", cells.number),
    Column("max_hours_week", cells.number),
    Column("max_days_week", cells.integer),
    Column("shifts", cells.id_list),
    Column("night_ok", cells.boolean),
    Column("max_shifts", cells.limits),
    Column("max_weekends", cells.integer),
    Column("min_total_hours", cells.number),
    Column("max_total_hours", cells.number),
    Column("max_consecutive_days", cells.integer),
    Column("min_consecutive_days", cells.integer),
    Column("min_consecutive_days_off", cells.integer),
    Column("max_consecutive_nights", cells.integer),
    Column("hist_weekends", cells.number),
    Column("hist_holidays", cells.number),
    Column("hist_nights", cells.number),
    Column("hist_complaint_hours", cells.number),
    Column("consecutive_days_before", cells.integer),
    Column("last_shift_end", cells.datetime),
    Column("nights_before", cells.integer),
]
REQUEST_COLUMNS = [
    Column("agent_id", cells.text, required=True),
    Column("date", cells.date, required=True),
    Column("type", lambda v: cells.text(v).upper(), required=True),
    Column("shift_id", cells.text),
    Column("weight", cells.number),
]
HOLIDAY_COLUMNS = [
    Column("date", cells.date, required=True),
    Column("name", cells.text),
]
SCENARIO_COLUMNS = [
    Column("scenario", cells.text, required=True),
    Column("key", cells.text, required=True),
    Column("value", cells.text, required=True),
]
DEMAND_SHEETS = ("Requirements", "Forecast", "ShiftDemand")
KEY_VALUE_COLUMNS = [Column("key", cells.text, required=True), Column("value", lambda v: v)]


@dataclass
class _Reading:
    """State of one workbook read: the open tables and everything found wrong so far."""

    workbook: Any
    structure: Any = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # ids present in a sheet, also on rows with other problems: a reference to them is not
    # reported again as unknown
    ids: dict[str, set[str]] = field(default_factory=dict)

    def note_ids(self, table: Table, column: str) -> None:
        found = self.ids.setdefault(table.sheet.lower(), set())
        for _, raw in table.rows:
            value = table.value(raw, column)
            if not cells.is_blank(value):
                with contextlib.suppress(cells.CellError):
                    found.add(cells.text(value))

    def known(self, sheet: str) -> set[str]:
        return self.ids.get(sheet.lower(), set())

    def table(self, name: str, required: bool = False) -> Table | None:
        sheet = find_sheet(self.workbook, name)
        if sheet is None:
            if required:
                hint = suggest(name, self.workbook.sheetnames)
                self.problems.append(Problem(name, 0, "", f"the sheet '{name}' is missing{hint}"))
            return None
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        table = read_table(sheet)
        self.problems.extend(table.problems)
        self.problems.extend(structure_problems(self.structure, table))
        if required and not table.rows:
            self.problems.append(
                Problem(table.sheet, table.header_row or 1, "", "the sheet has no rows")
            )
        return table


def read_instance(path: str | Path, warnings: list[str] | None = None) -> Instance:
    """Read and validate an instance workbook; raise InputError listing every problem."""
    path = Path(path)
    workbook = open_workbook(path)
    try:
        reading = _Reading(workbook, structure=open_structure(path))
        instance = _read(reading, path.stem)
        if instance is not None:
            reading.problems.extend(_size_problems(instance))
    finally:
        workbook.close()
    if warnings is not None:
        warnings.extend(reading.warnings)
    if reading.problems or instance is None:
        raise InputError(reading.problems, source=path.name)
    return instance


def _size_problems(instance: Instance) -> list[Problem]:
    problems = []
    if len(instance.agents) > MAX_AGENTS:
        problems.append(
            Problem("Agents", 0, "", f"{len(instance.agents)} agents; at most {MAX_AGENTS} "
                    "in one roster (roster teams separately)")
        )  # fmt: skip
    if len(instance.shifts) > MAX_SHIFT_TYPES:
        problems.append(
            Problem("Shifts", 0, "", f"{len(instance.shifts)} shift types; at most "
                    f"{MAX_SHIFT_TYPES}")
        )  # fmt: skip
    choices = len(instance.agents) * instance.settings.days * len(instance.shifts)
    if choices > MAX_SHIFT_CHOICES:
        problems.append(
            Problem("Settings", 0, "days", f"{len(instance.agents)} agents x "
                    f"{instance.settings.days} days x {len(instance.shifts)} shifts is more "
                    f"than one solve handles ({MAX_SHIFT_CHOICES:,} choices); shorten the horizon")
        )  # fmt: skip
    return problems


def _read(reading: _Reading, name: str) -> Instance | None:
    problems = reading.problems
    settings = _read_settings(reading)
    rules = _read_rules(reading)
    queues = _read_queues(reading)
    shifts = _read_shifts(reading, settings)
    agents = _read_agents(reading, queues, shifts)
    requests = _read_requests(reading, settings, agents, shifts)
    holidays = _read_holidays(reading, settings)
    demand_kind, interval_demand, shift_demand = _read_demand(reading, settings, queues, shifts)
    scenarios = _read_scenarios(reading)
    if problems or settings is None or rules is None or demand_kind is None:
        return None
    try:
        return Instance(
            settings=settings,
            rules=rules,
            queues=tuple(queues.values()),
            shifts=tuple(shifts.values()),
            agents=tuple(agents.values()),
            requests=tuple(requests),
            holidays=tuple(holidays),
            demand_kind=demand_kind,
            interval_demand=tuple(interval_demand),
            shift_demand=tuple(shift_demand),
            scenarios=tuple(scenarios),
            name=name,
        )
    except ValueError as exc:  # pragma: no cover - every field was validated above
        problems.append(Problem(message=str(exc)))
        return None


# --- key/value sheets -------------------------------------------------------------------------
def _read_key_values(
    reading: _Reading, sheet: str, parsers: dict[str, cells.Parser], required: bool
) -> tuple[dict[str, Any], dict[str, int], str]:
    """Settings-style sheet: {key: value} with the Excel row of each key."""
    table = reading.table(sheet, required=required)
    values: dict[str, Any] = {}
    rows: dict[str, int] = {}
    if table is None:
        return values, rows, sheet
    for row, parsed in parse_rows(table, KEY_VALUE_COLUMNS, reading.problems):
        key = parsed["key"].strip().lower()
        if key not in parsers:
            hint = suggest(key, parsers)
            reading.problems.append(
                Problem(table.sheet, row, "key", f"unknown key '{parsed['key']}'{hint}")
            )
            continue
        if key in rows:
            reading.problems.append(
                Problem(table.sheet, row, "key", f"'{key}' is set twice (also row {rows[key]})")
            )
            continue
        raw = parsed.get("value")
        rows[key] = row
        if cells.is_blank(raw):
            continue
        try:
            values[key] = parsers[key](raw)
        except cells.CellError as exc:
            reading.problems.append(Problem(table.sheet, row, "value", f"{key} {exc}"))
    return values, rows, table.sheet


def _read_settings(reading: _Reading) -> Settings | None:
    values, rows, sheet = _read_key_values(reading, "Settings", SETTINGS_PARSERS, required=True)
    if "start_date" not in values:
        if "start_date" not in rows and find_sheet(reading.workbook, "Settings") is not None:
            reading.problems.append(
                Problem(sheet, 0, "key", "the required setting 'start_date' is missing")
            )
        return None
    settings = _build_key_values(Settings, values, rows, sheet, reading.problems)
    if settings is not None and settings.country:
        try:
            holiday_calendars.country_holidays(settings.country)
        except NotImplementedError:
            reading.problems.append(
                Problem(
                    sheet,
                    rows.get("country", 0),
                    "value",
                    f"country '{settings.country}' is not a known ISO country code "
                    "(for example DE, GB, US, NL)",
                )
            )
    return settings


def _read_rules(reading: _Reading) -> Rules | None:
    values, rows, sheet = _read_key_values(reading, "Rules", RULES_PARSERS, required=False)
    return _build_key_values(Rules, values, rows, sheet, reading.problems)


def _build_key_values(
    model: type, values: dict[str, Any], rows: dict[str, int], sheet: str, problems: list
) -> Any:
    found: list[Problem] = []
    result = build_model(model, values, found, sheet, 0)
    for problem in found:
        key = problem.column
        if key in rows:
            message = problem.message
            if not message.startswith(key):
                message = f"{key} {message}"
            problems.append(Problem(sheet, rows[key], "value", message))
        else:
            first = min(rows.values(), default=0)
            problems.append(Problem(sheet, first, "value", problem.message))
    return result


# --- queues and shifts ------------------------------------------------------------------------
def _read_queues(reading: _Reading) -> dict[str, Queue]:
    table = reading.table("Queues")
    queues: dict[str, Queue] = {}
    if table is None:
        return queues
    reading.note_ids(table, "queue_id")
    first_row: dict[str, int] = {}
    for row, values in parse_rows(table, QUEUE_COLUMNS, reading.problems):
        queue_id = values["queue_id"]
        if queue_id in first_row:
            reading.problems.append(_duplicate(table.sheet, row, "queue_id", queue_id, first_row))
            continue
        first_row[queue_id] = row
        queue = build_model(Queue, values, reading.problems, table.sheet, row)
        if queue is not None:
            if queue_id.upper() in ("BREAK", "LUNCH", "LEAVE", "OFF"):
                reading.problems.append(
                    Problem(table.sheet, row, "queue_id", f"'{queue_id}' is a reserved word")
                )
                continue
            queues[queue_id] = queue
    return queues


def _duplicate(sheet: str, row: int, column: str, value: str, first: dict[str, int]) -> Problem:
    return Problem(sheet, row, column, f"'{value}' appears twice (first on row {first[value]})")


def _read_shifts(reading: _Reading, settings: Settings | None) -> dict[str, Shift]:
    table = reading.table("Shifts", required=True)
    if table is None:
        return {}
    interval = settings.interval_minutes if settings else 15
    reading.note_ids(table, "shift_id")
    raw_shifts: dict[str, tuple[int, dict[str, Any]]] = {}
    for row, values in parse_rows(table, SHIFT_COLUMNS, reading.problems):
        shift_id = values["shift_id"]
        if shift_id in raw_shifts:
            first = {k: v[0] for k, v in raw_shifts.items()}
            reading.problems.append(_duplicate(table.sheet, row, "shift_id", shift_id, first))
            continue
        if shift_id.upper() in ("LEAVE", "OFF"):
            reading.problems.append(
                Problem(table.sheet, row, "shift_id", f"'{shift_id}' is a reserved word")
            )
            continue
        raw_shifts[shift_id] = (row, values)
    breaks = _read_breaks(reading, raw_shifts, interval)
    shifts: dict[str, Shift] = {}
    for shift_id, (row, values) in raw_shifts.items():
        shift = _build_shift(reading, table.sheet, row, values, breaks.get(shift_id, []), interval)
        if shift is not None:
            shifts[shift_id] = shift
    for row, values in raw_shifts.values():
        for follower in values.get("not_followed_by", ()):
            if follower not in reading.known("Shifts"):
                hint = suggest(follower, raw_shifts)
                reading.problems.append(
                    Problem(
                        table.sheet,
                        row,
                        "not_followed_by",
                        f"names the unknown shift '{follower}'{hint}",
                    )
                )
    return shifts


def _build_shift(
    reading: _Reading,
    sheet: str,
    row: int,
    values: dict[str, Any],
    breaks: list[BreakSpec],
    interval: int,
) -> Shift | None:
    start: dt.time = values["start"]
    duration = values["duration_minutes"]
    start_minute = start.hour * 60 + start.minute
    ok = True
    if start.second or start_minute % interval:
        reading.problems.append(
            Problem(sheet, row, "start", f"{start:%H:%M} is not on the {interval}-minute grid")
        )
        ok = False
    if duration % interval:
        reading.problems.append(
            Problem(
                sheet,
                row,
                "duration_minutes",
                f"{duration} is not a multiple of the {interval}-minute interval",
            )
        )
        ok = False
    lunch = sum(b.minutes for b in breaks if b.activity == "LUNCH")
    values = dict(values)
    values.setdefault("paid_minutes", max(duration - lunch, 0))
    if "night" not in values:
        values["night"] = is_night_by_default(start_minute, duration)
    values["breaks"] = tuple(breaks)
    shift = build_model(Shift, values, reading.problems, sheet, row)
    if shift is None or not ok:
        return None
    if shift.paid_minutes > shift.duration_minutes:
        reading.problems.append(
            Problem(sheet, row, "paid_minutes", "is longer than duration_minutes")
        )
        return None
    break_minutes = sum(b.minutes for b in breaks)
    if break_minutes >= duration:
        reading.problems.append(
            Problem(sheet, row, "duration_minutes", "the shift's breaks take the whole shift")
        )
        return None
    return shift


def _read_breaks(
    reading: _Reading, raw_shifts: dict[str, tuple[int, dict[str, Any]]], interval: int
) -> dict[str, list[BreakSpec]]:
    table = reading.table("Breaks")
    breaks: dict[str, list[BreakSpec]] = {}
    if table is None:
        return breaks
    for row, values in parse_rows(table, BREAK_COLUMNS, reading.problems):
        shift_id = values["shift_id"]
        if shift_id not in reading.known("Shifts"):
            hint = suggest(shift_id, raw_shifts)
            reading.problems.append(
                Problem(table.sheet, row, "shift_id", f"unknown shift '{shift_id}'{hint}")
            )
            continue
        spec = build_model(BreakSpec, values, reading.problems, table.sheet, row)
        if spec is None or shift_id not in raw_shifts:
            continue  # a shift row with problems of its own is reported on the Shifts sheet
        ok = True
        for column in ("minutes", "earliest", "latest"):
            if getattr(spec, column) % interval:
                reading.problems.append(
                    Problem(
                        table.sheet,
                        row,
                        column,
                        f"{getattr(spec, column)} is not a multiple of the {interval}-minute "
                        "interval",
                    )
                )
                ok = False
        duration = raw_shifts[shift_id][1]["duration_minutes"]
        if spec.latest + spec.minutes > duration:
            reading.problems.append(
                Problem(
                    table.sheet,
                    row,
                    "latest",
                    f"a {spec.minutes}-minute {spec.activity} starting {spec.latest} minutes "
                    f"after the start would end after the {duration}-minute shift {shift_id}",
                )
            )
            ok = False
        if ok:
            breaks.setdefault(shift_id, []).append(spec)
    return breaks


# --- agents and requests ----------------------------------------------------------------------
def _read_agents(
    reading: _Reading, queues: dict[str, Queue], shifts: dict[str, Shift]
) -> dict[str, Agent]:
    table = reading.table("Agents", required=True)
    agents: dict[str, Agent] = {}
    if table is None:
        return agents
    first_row: dict[str, int] = {}
    queues_known = bool(queues) or find_sheet(reading.workbook, "Queues") is not None
    reading.note_ids(table, "agent_id")
    for row, values in parse_rows(table, AGENT_COLUMNS, reading.problems):
        agent_id = values["agent_id"]
        if agent_id in first_row:
            reading.problems.append(_duplicate(table.sheet, row, "agent_id", agent_id, first_row))
            continue
        first_row[agent_id] = row
        problems_before = len(reading.problems)
        for skill in values.get("skills", ()):
            if queues_known and skill not in reading.known("Queues"):
                reading.problems.append(
                    Problem(
                        table.sheet,
                        row,
                        "skills",
                        f"names the unknown queue '{skill}'{suggest(skill, queues)}",
                    )
                )
        if queues and not values.get("skills"):
            reading.problems.append(
                Problem(
                    table.sheet,
                    row,
                    "skills",
                    "is empty: list the queues this agent can take (e.g. GEN;CMP)",
                )
            )
        for shift_id in values.get("shifts", ()) or ():
            if shift_id not in reading.known("Shifts"):
                reading.problems.append(
                    Problem(
                        table.sheet,
                        row,
                        "shifts",
                        f"names the unknown shift '{shift_id}'{suggest(shift_id, shifts)}",
                    )
                )
        for shift_id in values.get("max_shifts", {}):
            if shift_id not in reading.known("Shifts"):
                reading.problems.append(
                    Problem(
                        table.sheet,
                        row,
                        "max_shifts",
                        f"names the unknown shift '{shift_id}'{suggest(shift_id, shifts)}",
                    )
                )
        agent = build_model(Agent, values, reading.problems, table.sheet, row)
        if agent is not None and len(reading.problems) == problems_before:
            agents[agent_id] = agent
    return agents


def _read_requests(
    reading: _Reading,
    settings: Settings | None,
    agents: dict[str, Agent],
    shifts: dict[str, Shift],
) -> list[Request]:
    table = reading.table("Requests")
    requests: list[Request] = []
    if table is None:
        return requests
    agent_rows = reading.known("Agents")
    types = [t.value for t in RequestType]
    seen: dict[tuple[str, dt.date, str, str], int] = {}
    for row, values in parse_rows(table, REQUEST_COLUMNS, reading.problems):
        ok = True
        if values["type"] not in types:
            reading.problems.append(
                Problem(
                    table.sheet,
                    row,
                    "type",
                    f"'{values['type']}' is not a request type; use one of {', '.join(types)}",
                )
            )
            ok = False
        if values["agent_id"] not in agent_rows:
            hint = suggest(values["agent_id"], agent_rows)
            reading.problems.append(
                Problem(table.sheet, row, "agent_id", f"unknown agent '{values['agent_id']}'{hint}")
            )
            ok = False
        shift_id = values.get("shift_id")
        if shift_id and shift_id not in reading.known("Shifts"):
            hint = suggest(shift_id, shifts)
            reading.problems.append(
                Problem(table.sheet, row, "shift_id", f"unknown shift '{shift_id}'{hint}")
            )
            ok = False
        if settings is not None and not _in_horizon(settings, values["date"]):
            reading.warnings.append(
                f"{table.sheet} row {row}: {values['date']} is outside the horizon and is ignored"
            )
            continue
        if not ok:
            continue
        request = build_model(Request, values, reading.problems, table.sheet, row)
        if request is None:
            continue
        key = (request.agent_id, request.date, request.type.value, request.shift_id or "")
        if key in seen:
            reading.problems.append(
                Problem(table.sheet, row, "type", f"the same request is on row {seen[key]} already")
            )
            continue
        seen[key] = row
        if request.type in (RequestType.LEAVE, RequestType.OFF) and request.shift_id:
            reading.warnings.append(
                f"{table.sheet} row {row}: a {request.type.value} request ignores its shift_id"
            )
            request = request.model_copy(update={"shift_id": None})
        requests.append(request)
    return requests


def _in_horizon(settings: Settings, date: dt.date) -> bool:
    return 0 <= (date - settings.start_date).days < settings.days


def _read_holidays(reading: _Reading, settings: Settings | None) -> list[Holiday]:
    table = reading.table("Holidays")
    found: dict[dt.date, Holiday] = {}
    if table is not None:
        for row, values in parse_rows(table, HOLIDAY_COLUMNS, reading.problems):
            holiday = build_model(Holiday, values, reading.problems, table.sheet, row)
            if holiday is not None:
                found.setdefault(holiday.date, holiday)
    if settings is not None and settings.country:
        last = settings.start_date + dt.timedelta(days=settings.days - 1)
        years = list(range(settings.start_date.year, last.year + 1))
        try:
            calendar = holiday_calendars.country_holidays(settings.country, years=years)
        except NotImplementedError:
            calendar = {}
        for day, name in calendar.items():
            if settings.start_date <= day <= last:
                found.setdefault(day, Holiday(date=day, name=str(name)))
    return sorted(found.values(), key=lambda h: h.date)


# --- demand -----------------------------------------------------------------------------------
def _read_demand(
    reading: _Reading,
    settings: Settings | None,
    queues: dict[str, Queue],
    shifts: dict[str, Shift],
) -> tuple[Any, list[IntervalDemand], list[ShiftDemand]]:
    tables = {name: reading.table(name) for name in DEMAND_SHEETS}
    with_rows = [name for name in DEMAND_SHEETS if tables[name] is not None and tables[name].rows]
    if not with_rows:
        reading.problems.append(
            Problem(
                "Forecast",
                0,
                "",
                "no demand: add a Forecast, Requirements or ShiftDemand sheet with rows",
            )
        )
        return None, [], []
    chosen = with_rows[0]
    for ignored in with_rows[1:]:
        reading.warnings.append(f"the {ignored} sheet is ignored because {chosen} is present")
    table = tables[chosen]
    assert table is not None
    if chosen == "ShiftDemand":
        return "shift", [], _read_shift_demand(reading, table, settings, shifts)
    if not queues:
        reading.problems.append(
            Problem("Queues", 0, "", f"the {chosen} sheet needs a Queues sheet with rows")
        )
        return None, [], []
    kind = "requirements" if chosen == "Requirements" else "forecast"
    columns = REQUIREMENT_COLUMNS if kind == "requirements" else FORECAST_COLUMNS
    interval = settings.interval_minutes if settings else 15
    rows: list[IntervalDemand] = []
    seen: dict[tuple[dt.date, dt.time, str], int] = {}
    dates: list[dt.date] = []
    for row, values in parse_rows(table, columns, reading.problems):
        if values["queue_id"] not in reading.known("Queues"):
            hint = suggest(values["queue_id"], queues)
            reading.problems.append(
                Problem(table.sheet, row, "queue_id", f"unknown queue '{values['queue_id']}'{hint}")
            )
            continue
        moment: dt.time = values["time"]
        if moment.second or (moment.hour * 60 + moment.minute) % interval:
            reading.problems.append(
                Problem(
                    table.sheet,
                    row,
                    "time",
                    f"{moment:%H:%M} is not the start of a {interval}-minute interval",
                )
            )
            continue
        demand = build_model(IntervalDemand, values, reading.problems, table.sheet, row)
        if demand is None:
            continue
        key = (demand.date, demand.time, demand.queue_id)
        if key in seen:
            reading.problems.append(
                Problem(
                    table.sheet,
                    row,
                    "time",
                    f"{demand.date} {demand.time:%H:%M} {demand.queue_id} is also on row "
                    f"{seen[key]}",
                )
            )
            continue
        seen[key] = row
        dates.append(demand.date)
        if settings is None or _in_horizon(settings, demand.date):
            rows.append(demand)
    _check_demand_dates(reading, table.sheet, settings, dates)
    return kind, rows, []


def _check_demand_dates(
    reading: _Reading, sheet: str, settings: Settings | None, dates: list[dt.date]
) -> None:
    """Demand mostly outside the horizon is a wrong start date or a wrong sheet, not a roster
    with nothing to cover: an error when fewer than half the rows fall inside, else a warning
    for those outside."""
    if not dates:
        return
    where = f"{sheet} has {len(dates):,} rows from {min(dates)} to {max(dates)}"
    if settings is None:
        # The horizon is unknown: say where the demand lies beside what is wrong with it.
        for index, problem in enumerate(reading.problems):
            if problem.sheet.lower() == "settings" and problem.message.startswith("start_date "):
                reading.problems[index] = replace(problem, message=f"{problem.message}; {where}")
        return
    inside = sum(1 for day in dates if _in_horizon(settings, day))
    outside = len(dates) - inside
    if 2 * inside < len(dates):
        last = settings.start_date + dt.timedelta(days=settings.days - 1)
        reading.problems.append(
            Problem(
                "Settings",
                0,
                "start_date",
                f"{where}; the horizon is {settings.start_date} to {last} ({inside:,} of the "
                "rows fall inside it): "
                "check start_date and days in Settings, or the dates in " + sheet,
            )
        )
    elif outside:
        reading.warnings.append(f"{sheet}: {outside} rows outside the horizon are ignored")


def _read_shift_demand(
    reading: _Reading, table: Table, settings: Settings | None, shifts: dict[str, Shift]
) -> list[ShiftDemand]:
    rows: list[ShiftDemand] = []
    dates: list[dt.date] = []
    seen: Counter[tuple[dt.date, str]] = Counter()
    for row, values in parse_rows(table, SHIFT_DEMAND_COLUMNS, reading.problems):
        if values["shift_id"] not in reading.known("Shifts"):
            hint = suggest(values["shift_id"], shifts)
            reading.problems.append(
                Problem(table.sheet, row, "shift_id", f"unknown shift '{values['shift_id']}'{hint}")
            )
            continue
        demand = build_model(ShiftDemand, values, reading.problems, table.sheet, row)
        if demand is None:
            continue
        seen[(demand.date, demand.shift_id)] += 1
        if seen[(demand.date, demand.shift_id)] > 1:
            reading.problems.append(
                Problem(
                    table.sheet,
                    row,
                    "shift_id",
                    f"{demand.date} {demand.shift_id} has more than one row",
                )
            )
            continue
        dates.append(demand.date)
        if settings is None or _in_horizon(settings, demand.date):
            rows.append(demand)
    _check_demand_dates(reading, table.sheet, settings, dates)
    return rows


def _read_scenarios(reading: _Reading) -> list[ScenarioChange]:
    table = reading.table("Scenarios")
    if table is None:
        return []
    return [
        ScenarioChange(scenario=v["scenario"], key=v["key"], value=v["value"], row=row)
        for row, v in parse_rows(table, SCENARIO_COLUMNS, reading.problems)
    ]
