"""Write an Instance as an instance workbook (SPEC section 3), optionally with a Notes sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Font

from scheduler.io.excel import (
    DATETIME_FORMAT,
    TITLE_FONT,
    new_workbook,
    put,
    save_atomically,
    write_table,
)
from scheduler.io.notes import NOTES
from scheduler.model import WEEKDAYS, Agent, Instance, Rules

AGENT_HEADERS = [
    "agent_id",
    "name",
    "skills",
    "hire_date",
    "fte",
    "min_hours_week",
    "max_hours_week",
    "max_days_week",
    "shifts",
    "night_ok",
    "max_shifts",
    "max_weekends",
    "min_total_hours",
    "max_total_hours",
    "max_consecutive_days",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_consecutive_nights",
    "hist_weekends",
    "hist_holidays",
    "hist_nights",
    "hist_complaint_hours",
    "consecutive_days_before",
    "last_shift_end",
    "nights_before",
]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _list(values: Any) -> str | None:
    if not values:
        return None
    return ";".join(values)


def _weekdays(days: frozenset[int]) -> str | None:
    if len(days) == 7:
        return None
    return ";".join(WEEKDAYS[d] for d in sorted(days))


def _agent_row(agent: Agent) -> list[Any]:
    row: list[Any] = []
    for header in AGENT_HEADERS:
        value = getattr(agent, header)
        if header in ("skills", "shifts"):
            value = _list(value)
        elif header == "night_ok":
            value = _yes(value)
        elif header == "max_shifts":
            value = ";".join(f"{k}={v}" for k, v in value.items()) or None
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        row.append(value)
    return row


def instance_workbook(instance: Instance, with_notes: bool = False):
    """The openpyxl workbook for an instance."""
    workbook = new_workbook()
    settings = instance.settings
    write_table(
        workbook.create_sheet("Settings"),
        ["key", "value"],
        [
            ["start_date", settings.start_date],
            ["days", settings.days],
            ["interval_minutes", settings.interval_minutes],
            ["country", settings.country],
            ["shrinkage", settings.shrinkage],
            ["time_limit_seconds", settings.time_limit_seconds],
            ["workers", settings.workers],
            ["seed", settings.seed],
        ],
        widths={"key": 24, "value": 14},
    )
    rules = instance.rules
    write_table(
        workbook.create_sheet("Rules"),
        ["key", "value"],
        [
            [name, _yes(value) if isinstance(value, bool) else value]
            for name, value in rules.model_dump().items()
            if name in Rules.model_fields
        ],
        widths={"key": 34, "value": 12},
    )
    write_table(
        workbook.create_sheet("Queues"),
        ["queue_id", "name", "aht_seconds", "complaint", "service_level", "answer_seconds",
         "max_occupancy"],
        [
            [q.queue_id, q.name, q.aht_seconds, _yes(q.complaint), q.service_level,
             q.answer_seconds, q.max_occupancy]
            for q in instance.queues
        ],
    )  # fmt: skip
    _write_demand(workbook, instance)
    write_table(
        workbook.create_sheet("Shifts"),
        ["shift_id", "start", "duration_minutes", "paid_minutes", "night", "weekdays",
         "not_followed_by"],
        [
            [s.shift_id, s.start, s.duration_minutes, s.paid_minutes, _yes(s.night),
             _weekdays(s.weekdays), _list(s.not_followed_by)]
            for s in instance.shifts
        ],
    )  # fmt: skip
    write_table(
        workbook.create_sheet("Breaks"),
        ["shift_id", "activity", "minutes", "earliest", "latest"],
        [
            [s.shift_id, b.activity, b.minutes, b.earliest, b.latest]
            for s in instance.shifts
            for b in s.breaks
        ],
    )
    agents = workbook.create_sheet("Agents")
    write_table(agents, AGENT_HEADERS, [_agent_row(a) for a in instance.agents])
    last_shift_column = AGENT_HEADERS.index("last_shift_end") + 1
    for row in range(2, len(instance.agents) + 2):
        agents.cell(row=row, column=last_shift_column).number_format = DATETIME_FORMAT
    agents.column_dimensions["X"].width = 17
    write_table(
        workbook.create_sheet("Requests"),
        ["agent_id", "date", "type", "shift_id", "weight"],
        [[r.agent_id, r.date, r.type.value, r.shift_id, r.weight] for r in instance.requests],
    )
    write_table(
        workbook.create_sheet("Holidays"),
        ["date", "name"],
        [[h.date, h.name] for h in instance.holidays],
    )
    if instance.scenarios:
        write_table(
            workbook.create_sheet("Scenarios"),
            ["scenario", "key", "value"],
            [[s.scenario, s.key, s.value] for s in instance.scenarios],
        )
    if with_notes:
        _write_notes(workbook)
    return workbook


def write_instance(instance: Instance, path: str | Path, with_notes: bool = False) -> None:
    """Save an instance workbook (atomically)."""
    save_atomically(instance_workbook(instance, with_notes), path)


def _write_demand(workbook, instance: Instance) -> None:
    if instance.demand_kind == "shift":
        write_table(
            workbook.create_sheet("ShiftDemand"),
            ["date", "shift_id", "agents", "weight_under", "weight_over"],
            [
                [d.date, d.shift_id, d.agents, d.weight_under, d.weight_over]
                for d in instance.shift_demand
            ],
        )
        return
    forecast = instance.demand_kind == "forecast"
    value_name = "calls" if forecast else "agents"
    rows = []
    for d in instance.interval_demand:
        value = d.calls if forecast else d.agents
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        rows.append([d.date, d.time, d.queue_id, value])
    write_table(
        workbook.create_sheet("Forecast" if forecast else "Requirements"),
        ["date", "time", "queue_id", value_name],
        rows,
        widths={"date": 12, "time": 8, "queue_id": 10, value_name: 8},
    )


def _write_notes(workbook) -> None:
    ws = workbook.create_sheet("Notes", 0)
    put(ws, 1, 1, "How to fill in this workbook").font = TITLE_FONT
    put(
        ws,
        2,
        1,
        "Sheet and column names are matched without regard to case; extra sheets and columns "
        "are ignored. Dates are Excel dates or YYYY-MM-DD, times Excel times or HH:MM. Lists "
        "are separated by ; or , and yes/no cells accept yes/no, true/false, y/n, 1/0. "
        "Blank cells take the default. Use one demand sheet: Requirements, Forecast or "
        "ShiftDemand (this example uses Forecast).",
    )
    ws.merge_cells("A2:D2")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 60
    headers = ["sheet", "column / key", "default", "meaning"]
    write_table(ws, headers, NOTES, first_row=4, widths={
        "sheet": 14, "column / key": 30, "default": 16, "meaning": 100,
    })  # fmt: skip
    for row in range(5, 5 + len(NOTES)):
        ws.cell(row=row, column=4).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=row, column=1).font = Font(bold=True)
