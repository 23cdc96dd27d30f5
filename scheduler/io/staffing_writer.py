"""Staffing output: required agents per interval and queue (SPEC section 5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from scheduler.horizon import Horizon
from scheduler.io.excel import new_workbook, save_atomically, write_table
from scheduler.model import Instance
from scheduler.staffing import interval_requirements, required_agents, service_level


@dataclass(frozen=True)
class StaffingRow:
    date: dt.date
    time: dt.time
    queue_id: str
    calls: float | None
    load: float | None
    erlang_agents: int | None
    occupancy_agents: int | None
    required: int
    service_level: float | None


def staffing_rows(instance: Instance) -> list[StaffingRow]:
    """One row per queue and interval with demand, in time order."""
    horizon = Horizon(instance)
    settings = instance.settings
    rows = []
    cells = interval_requirements(instance)
    for (slot, queue_id), cell in sorted(cells.items(), key=lambda item: (item[0][1], item[0][0])):
        moment = horizon.slot_moment(slot)
        queue = instance.queue_by_id[queue_id]
        if cell.calls is None:
            rows.append(StaffingRow(moment.date(), moment.time(), queue_id, None, None, None,
                                    None, cell.required, None))  # fmt: skip
            continue
        staffing = required_agents(cell.calls, queue, settings.interval_minutes, settings.shrinkage)
        level = service_level(
            staffing.erlang_agents, staffing.load, queue.aht_seconds, queue.answer_seconds
        )
        rows.append(
            StaffingRow(moment.date(), moment.time(), queue_id, cell.calls, staffing.load,
                        staffing.erlang_agents, staffing.occupancy_agents, staffing.required,
                        level)
        )  # fmt: skip
    return rows


def write_staffing(instance: Instance, rows: list[StaffingRow], path: str | Path) -> None:
    workbook = new_workbook()
    ws = workbook.create_sheet("Staffing")
    write_table(
        ws,
        ["date", "time", "queue_id", "calls", "load_erlangs", "erlang_agents",
         "occupancy_agents", "required", "service_level"],
        (
            [r.date, r.time, r.queue_id, r.calls,
             None if r.load is None else round(r.load, 3), r.erlang_agents, r.occupancy_agents,
             r.required, None if r.service_level is None else round(r.service_level, 4)]
            for r in rows
        ),
    )  # fmt: skip
    for row in range(2, len(rows) + 2):
        ws.cell(row=row, column=9).number_format = "0.0%"
    save_atomically(workbook, path)
