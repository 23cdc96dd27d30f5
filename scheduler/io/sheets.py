"""Sheets shared by the roster, audit and comparison workbooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from openpyxl.chart import LineChart, Reference, ScatterChart, Series
from openpyxl.chart.series import SeriesLabel
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side

from scheduler.audit import AuditReport, Violation
from scheduler.audit.fairness import (
    MEASURE_TITLES,
    AgentLoad,
    HistoryCompensation,
    SpreadStats,
)
from scheduler.horizon import Horizon
from scheduler.io.excel import (
    HOLIDAY_FILL,
    NIGHT_COLOUR,
    TITLE_FONT,
    WEEKEND_FILL,
    colour_map,
    fill,
    put,
    size_columns,
    style_header,
    write_table,
)
from scheduler.io.roster_reader import roster_cell
from scheduler.model import LEAVE, Instance, Roster

LOAD_COLUMNS = ("shifts", "hours", "nights", "weekend_days", "holidays", "complaint_hours")


def write_violations(
    ws: Any, violations: Sequence[Violation], cells: dict[tuple[str, Any], str] | None = None
) -> None:
    """rule, severity, agent_id, date, detail, penalty (and the Roster cell when known)."""
    headers = ["rule", "severity", "agent_id", "date", "detail", "penalty", "what it means"]
    if cells is not None:
        headers.insert(4, "cell")
    rows = []
    for v in violations:
        penalty = round(v.penalty, 2) if v.severity == "soft" else None
        row: list[Any] = [v.rule, v.severity, v.agent_id or None, v.date, v.detail, penalty,
                          v.title]  # fmt: skip
        if cells is not None:
            row.insert(4, roster_cell(cells, v.rule, v.agent_id, v.date) or None)
        rows.append(row)
    if not rows:
        rows = [["(none)", None, None, None, "no rule is broken", None, None]]
        if cells is not None:
            rows[0].insert(4, None)
    write_table(ws, headers, rows, widths={"detail": 70, "what it means": 44})


def write_coverage(ws: Any, report: AuditReport, instance: Instance) -> None:
    """One row per queue and interval, and a chart of required against scheduled per queue."""
    headers = ["date", "time", "queue_id", "calls", "required", "scheduled", "gap",
               "service_level"]  # fmt: skip
    rows = sorted(report.coverage, key=lambda r: (r.queue_id, r.date, r.time))
    write_table(
        ws,
        headers,
        (
            [r.date, r.time, r.queue_id, r.calls, r.required, r.scheduled, r.gap,
             None if r.service_level is None else round(r.service_level, 3)]
            for r in rows
        ),
        widths={"date": 11, "time": 7, "queue_id": 16, "service_level": 13},
    )  # fmt: skip
    for row in range(2, len(rows) + 2):
        ws.cell(row=row, column=8).number_format = "0.0%"
    blocks: list[tuple[str, int, int]] = []
    for excel_row, row in enumerate(rows, start=2):
        if blocks and blocks[-1][0] == row.queue_id:
            blocks[-1] = (row.queue_id, blocks[-1][1], excel_row)
        else:
            blocks.append((row.queue_id, excel_row, excel_row))
    for number, (queue_id, first, last) in enumerate(blocks):
        chart = LineChart()
        chart.title = f"{queue_id}: required and scheduled agents"
        chart.y_axis.title = "agents"
        chart.x_axis.title = f"{instance.settings.interval_minutes}-minute intervals by day"
        chart.height, chart.width = 7.5, 26
        chart.add_data(
            Reference(ws, min_col=5, max_col=6, min_row=first, max_row=last),
            titles_from_data=False,
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        per_day = max(1, (last - first + 1) // max(1, instance.settings.days))
        chart.x_axis.tickLblSkip = per_day
        chart.x_axis.tickMarkSkip = per_day
        chart.x_axis.number_format = "ddd dd"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        for series, name in zip(chart.series, ("required", "scheduled")):
            series.tx = SeriesLabel(v=name)
            series.smooth = False
        ws.add_chart(chart, f"J{2 + 16 * number}")


def write_fairness(
    ws: Any,
    loads: list[AgentLoad],
    stats: list[SpreadStats],
    compensation: list[HistoryCompensation],
    intraday_known: bool = True,
) -> None:
    """Per-agent load this horizon, history and with history; then spread statistics and the
    history compensation per measure; then a chart per measure of each agent's history against
    this horizon's load."""
    headers = ["agent_id", "name", "fte"]
    for column in LOAD_COLUMNS:
        headers.append(column)
        if column in MEASURE_TITLES:
            headers += [f"{column} history", f"{column} with history"]
    rows = []
    for load in loads:
        row: list[Any] = [load.agent_id, load.name, load.fte]
        for column in LOAD_COLUMNS:
            value = getattr(load, column)
            if column == "complaint_hours" and (value is None or not intraday_known):
                row += [None, round(load.history[column], 2), None]
                continue
            row.append(round(value, 2) if isinstance(value, float) else value)
            if column in MEASURE_TITLES:
                row += [round(load.history[column], 2), round(load.value(column, True), 2)]
        rows.append(row)
    last = write_table(ws, headers, rows, widths={"agent_id": 18, "name": 16})
    top = last + 3
    put(
        ws, top - 1, 1, "How evenly each burden is shared (per FTE, eligible agents only)"
    ).font = TITLE_FONT
    stat_headers = ["measure", "period", "agents", "min", "max", "spread", "mean", "variance",
                    "Gini", "Jain's index"]  # fmt: skip
    style_header(ws, stat_headers, top)
    for offset, stat in enumerate(stats, start=1):
        unknown = stat.measure == "complaint_hours" and not intraday_known
        values = [
            MEASURE_TITLES[stat.measure],
            "with history" if stat.with_history else "this roster",
            stat.agents,
        ]
        numbers = [stat.minimum, stat.maximum, stat.spread, stat.mean, stat.variance, stat.gini,
                   stat.jain]  # fmt: skip
        values += [None if unknown else round(n, 3) for n in numbers]
        for column, value in enumerate(values, start=1):
            put(ws, top + offset, column, value)
    top += len(stats) + 3
    put(
        ws, top - 1, 1, "Did this roster's burden go to those who carried least? (per FTE)"
    ).font = TITLE_FONT
    style_header(ws, COMPENSATION_HEADERS, top)
    for offset, row in enumerate(compensation, start=1):
        unknown = row.measure == "complaint_hours" and not intraday_known
        values = [MEASURE_TITLES[row.measure], row.agents, round(row.top_history, 2),
                  round(row.bottom_history, 2)]  # fmt: skip
        if unknown:
            values += [None, None, "not checked (no Activities)"]
        else:
            if abs(row.top_load - row.bottom_load) < 1e-9:
                verdict = "equal loads"
            elif row.top_load < row.bottom_load:
                verdict = "yes"
            else:
                verdict = "no: the top quartile carried more"
            values += [round(row.top_load, 3), round(row.bottom_load, 3), verdict]
        for column, value in enumerate(values, start=1):
            put(ws, top + offset, column, value)
    chart_row = top + len(compensation) + 3
    for index, measure in enumerate(MEASURE_TITLES):
        if measure == "complaint_hours" and not intraday_known:
            continue
        chart = ScatterChart()
        chart.title = f"{MEASURE_TITLES[measure]}: history against this roster"
        chart.style = 13
        chart.height, chart.width = 8, 14
        chart.x_axis.title = "history"
        chart.y_axis.title = "this roster"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        history = Reference(
            ws, min_col=headers.index(f"{measure} history") + 1, min_row=2, max_row=len(loads) + 1
        )
        load = Reference(ws, min_col=headers.index(measure) + 1, min_row=2, max_row=len(loads) + 1)
        series = Series(load, history, title="agents")
        series.marker.symbol = "circle"
        series.marker.size = 5
        series.graphicalProperties.line.noFill = True
        chart.series.append(series)
        chart.legend = None
        ws.add_chart(chart, f"{'A' if index % 2 == 0 else 'J'}{chart_row + (index // 2) * 17}")


COMPENSATION_HEADERS = [
    "measure",
    "agents per quartile",
    "top quartile: history",
    "bottom quartile: history",
    "top quartile: this roster",
    "bottom quartile: this roster",
    "went to those who carried least",
]


def shift_colours(instance: Instance) -> dict[str, str]:
    return colour_map(
        [s.shift_id for s in instance.shifts],
        night=[s.shift_id for s in instance.shifts if s.night],
    )


def activity_colours(instance: Instance) -> dict[str, str]:
    return colour_map([q.queue_id for q in instance.queues] + ["BREAK", "LUNCH"])


def write_roster_grid(
    ws: Any,
    instance: Instance,
    roster: Roster,
    loads: list[AgentLoad] | None = None,
) -> dict[tuple[str, dt.date], str]:
    """Agents by dates with the shift code (or LEAVE) per cell; returns the cell of each."""
    horizon = Horizon(instance)
    leave = {(r.agent_id, r.date) for r in instance.requests if r.type.value == LEAVE}
    shifts: dict[tuple[str, dt.date], list[str]] = {}
    for a in roster.assignments:
        shifts.setdefault((a.agent_id, a.date), []).append(a.shift_id)
    colours = colour_map(
        [s.shift_id for s in instance.shifts],
        night=[s.shift_id for s in instance.shifts if s.night],
    )
    total_headers = ["hours", "nights", "weekend days", "holidays"] if loads else []
    headers = ["agent_id", "name", *[d.isoformat() for d in horizon.dates], *total_headers]
    style_header(ws, headers)
    for column, date in enumerate(horizon.dates, start=3):
        cell = put(ws, 1, column, date, number_format="ddd dd mmm")
        day = column - 3
        if horizon.is_holiday(day):
            cell.fill = fill("C65911")
        elif horizon.is_weekend(day):
            cell.fill = fill("595959")
    by_agent = {load.agent_id: load for load in loads or []}
    cells: dict[tuple[str, dt.date], str] = {}
    for row, agent in enumerate(instance.agents, start=2):
        put(ws, row, 1, agent.agent_id)
        put(ws, row, 2, agent.name)
        for column, date in enumerate(horizon.dates, start=3):
            cell = ws.cell(row=row, column=column)
            cells[(agent.agent_id, date)] = f"{ws.title}!{cell.coordinate}"
            worked = shifts.get((agent.agent_id, date))
            day = column - 3
            if worked:
                put(ws, row, column, ";".join(worked))
                cell.fill = fill(colours.get(worked[0], "FFFFFF"))
                if colours.get(worked[0]) == NIGHT_COLOUR:
                    cell.font = Font(color="FFFFFF", bold=True)
            elif (agent.agent_id, date) in leave:
                put(ws, row, column, LEAVE)
                cell.fill = fill("D9D9D9")
            elif horizon.is_holiday(day):
                cell.fill = HOLIDAY_FILL
            elif horizon.is_weekend(day):
                cell.fill = WEEKEND_FILL
            cell.alignment = Alignment(horizontal="center")
        if loads:
            load = by_agent[agent.agent_id]
            base = 3 + horizon.days
            for offset, value in enumerate(
                (load.hours, load.nights, load.weekend_days, load.holidays)
            ):
                put(ws, row, base + offset, round(value, 2))
    ws.freeze_panes = "C2"
    size_columns(ws, headers, {"agent_id": 10, "name": 16})
    for column in range(3, 3 + horizon.days):
        ws.column_dimensions[ws.cell(row=1, column=column).column_letter].width = 11
    return cells


class ChangeRow(Protocol):
    """One changed agent-day of a re-roster ("" for a day off)."""

    agent_id: str
    date: dt.date
    published: str
    new: str
    reason: str


CHANGED = Side(style="thick", color="C00000")
CHANGED_BORDER = Border(left=CHANGED, right=CHANGED, top=CHANGED, bottom=CHANGED)


def write_changes(ws: Any, changes: Sequence[ChangeRow], cells: dict) -> None:
    """agent_id, date, published, new, reason: one row per changed agent-day, and its cell."""
    rows = [
        [c.agent_id, c.date, c.published or None, c.new or None, c.reason,
         cells.get((c.agent_id, c.date))]
        for c in changes
    ]  # fmt: skip
    if not rows:
        rows = [[None, None, None, None, "no change: the published roster stands", None]]
    write_table(
        ws,
        ["agent_id", "date", "published", "new", "reason", "cell"],
        rows,
        widths={"date": 11, "reason": 40, "cell": 12},
    )


def mark_changes(ws: Any, cells: dict, changes: Sequence[ChangeRow]) -> None:
    """A thick red border and a comment on every changed cell of a Roster grid; `cells` are
    the grid's cells as write_roster_grid returns them."""
    for change in changes:
        ref = cells.get((change.agent_id, change.date))
        if ref is None:
            continue
        cell = ws[ref.partition("!")[2]]
        cell.border = CHANGED_BORDER
        text = (
            f"Changed: published {change.published or 'off'}, now {change.new or 'off'} "
            f"({change.reason})"
        )
        cell.comment = Comment(text, "scheduler reroster", width=220, height=60)
