"""Write the comparison workbook of `scheduler compare`: scenarios as columns, KPIs as rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.styles import Alignment, Font

from scheduler.compare import CONFLICTS, Comparison
from scheduler.io.excel import (
    TITLE_FONT,
    fill,
    new_workbook,
    put,
    save_atomically,
    style_header,
    write_table,
)
from scheduler.kpis import KPIS

BETTER = fill("C6EFCE")
WORSE = fill("FFC7CE")
SWEEP_KPIS = (
    "coverage",
    "understaffed agent-hours",
    "longest complaint stretch",
    "complaint minutes per agent-day",
    "soft penalty",
)
PERCENT_ROWS = {"gap", "coverage", "service level (call-weighted estimate)"}


def write_comparison(comparison: Comparison, path: str | Path) -> None:
    workbook = new_workbook()
    _kpi_sheet(workbook.create_sheet("Comparison"), comparison)
    write_table(
        workbook.create_sheet("Changes"),
        ["scenario", "changes", "value"],
        [
            [scenario.name, key, value]
            for scenario in comparison.scenarios
            for key, value in scenario.changes
        ],
        widths={"scenario": 34, "changes": 34, "value": 24},
    )
    if comparison.sweep_key:
        _sweep_sheet(workbook.create_sheet("Sweep"), comparison)
    save_atomically(workbook, path)


def _direction(name: str) -> int:
    for kpi in KPIS:
        if kpi.name == name:
            return kpi.better
    return -1 if name.startswith("penalty:") or name == "hard violations" else 0


def _unit(name: str) -> str:
    return next((kpi.unit for kpi in KPIS if kpi.name == name), "")


def _kpi_sheet(ws: Any, comparison: Comparison) -> None:
    table = comparison.table
    names = list(table.columns)
    limits = comparison.limits
    put(ws, 1, 1, "Scenarios side by side").font = TITLE_FONT
    put(
        ws,
        2,
        1,
        f"Each scenario: one worker, deterministic limit {limits.get('deterministic_time', 0):g}"
        f", time limit {limits.get('time_limit', 0):g} s. Green: better than the baseline, "
        "red: worse.",
    )
    style_header(ws, ["KPI", "unit", *names], 4)
    for offset, row_name in enumerate(table.index, start=5):
        put(ws, offset, 1, row_name).font = Font(bold=row_name in ("status", "coverage"))
        put(ws, offset, 2, _unit(row_name))
        base = table.iloc[:, 0][row_name]
        direction = _direction(row_name)
        for column, name in enumerate(names, start=3):
            value = table[name][row_name]
            if isinstance(value, float):
                value = round(value, 3)
            cell = put(ws, offset, column, value)
            if row_name in PERCENT_ROWS and isinstance(value, (int, float)):
                cell.number_format = '0.0"%"'
            if row_name == CONFLICTS and value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.fill = WORSE
            if row_name == "status" and value == "INFEASIBLE":
                cell.fill = WORSE
            if (
                column > 3
                and direction
                and isinstance(value, (int, float))
                and isinstance(base, (int, float))
                and abs(value - base) > 1e-9
            ):
                cell.fill = BETTER if (value - base) * direction > 0 else WORSE
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 8
    for column in range(3, len(names) + 3):
        ws.column_dimensions[ws.cell(row=4, column=column).column_letter].width = 20
    ws.freeze_panes = "C5"


def _sweep_sheet(ws: Any, comparison: Comparison) -> None:
    """The swept value against the KPIs that move with it, and a chart per KPI."""
    key = comparison.sweep_key or ""
    swept = [
        (scenario.swept, outcome)
        for scenario, outcome in zip(comparison.scenarios, comparison.outcomes)
        if scenario.swept is not None
    ]
    headers = [key, *SWEEP_KPIS]
    rows = [[value, *[outcome.kpis.get(k) for k in SWEEP_KPIS]] for value, outcome in swept]
    last = write_table(ws, headers, rows, widths={key: 30})
    for index, kpi in enumerate(SWEEP_KPIS):
        chart = ScatterChart()
        chart.title = f"{kpi} against {key}"
        chart.style = 13
        chart.x_axis.title = key
        chart.y_axis.title = kpi
        chart.height, chart.width = 7, 14
        x_values = Reference(ws, min_col=1, min_row=2, max_row=last)
        y_values = Reference(ws, min_col=index + 2, min_row=1, max_row=last)
        series = Series(y_values, x_values, title_from_data=True)
        series.marker.symbol = "circle"
        chart.series.append(series)
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        ws.add_chart(chart, f"{'H' if index % 2 == 0 else 'Q'}{2 + (index // 2) * 15}")
