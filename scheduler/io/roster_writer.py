"""Write the roster workbook of `scheduler solve` (SPEC section 6)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from scheduler.audit import RULE_TITLES, AuditReport, agent_loads
from scheduler.audit.view import RosterView
from scheduler.horizon import Horizon
from scheduler.io.excel import (
    TITLE_FONT,
    fill,
    new_workbook,
    put,
    save_atomically,
    size_columns,
    style_header,
    write_table,
)
from scheduler.io.sheets import (
    ChangeRow,
    activity_colours,
    mark_changes,
    write_changes,
    write_coverage,
    write_fairness,
    write_roster_grid,
    write_violations,
)
from scheduler.model import Instance, Roster
from scheduler.report import (
    HISTORY_COLUMNS,
    compensation_table,
    fairness_table,
    next_history,
    service_level,
)

SHORT_LABELS = {"BREAK": "brk", "LUNCH": "lun"}


@dataclass(frozen=True)
class RunInfo:
    """How the roster was made, for the Summary sheet."""

    status: str
    objective: float
    bound: float
    seconds: float
    method: str = "staged"
    interrupted: bool = False
    note: str = ""
    # fairness rule -> proven the least possible variance with this roster's staffing
    fairness_proven: dict[str, bool] = field(default_factory=dict)
    # proven: no roster of this team covers a larger share of demand (None: not computed)
    coverage_bound: float | None = None

    @property
    def gap(self) -> float:
        if self.objective <= 1e-9:
            return 0.0
        return max(0.0, (self.objective - self.bound) / self.objective)


@dataclass(frozen=True)
class RerosterFigures:
    """What a re-roster changed, for the Changes sheet, the Roster marks and the Summary.

    Coverage figures are percentages of the required agent-hours."""

    changes: Sequence[ChangeRow]
    cutoff: dt.datetime
    coverage_published: float
    coverage_after_absences: float
    change_weight: float
    published_activities: bool = True


def coverage_sentence(coverage: float, bound: float) -> str:
    """A roster's coverage beside the most any roster of the team can cover, in words."""
    return (
        f"covers {coverage:.2%} of demand; no roster of this team can cover more than "
        f"{max(bound, coverage):.2%}"
    )


def write_roster_workbook(
    instance: Instance,
    roster: Roster,
    report: AuditReport,
    run: RunInfo,
    path: str | Path,
    reroster: RerosterFigures | None = None,
) -> None:
    """Save the roster workbook atomically; a re-roster adds its Changes sheet, marks the
    changed Roster cells and gives its figures in the Summary."""
    workbook = new_workbook()
    loads = agent_loads(RosterView(instance, roster))
    _summary(workbook.create_sheet("Summary"), instance, roster, report, run, reroster)
    grid = workbook.create_sheet("Roster")
    cells = write_roster_grid(grid, instance, roster, loads)
    if reroster is not None:
        mark_changes(grid, cells, reroster.changes)
        write_changes(workbook.create_sheet("Changes"), reroster.changes, cells)
    write_table(
        workbook.create_sheet("Assignments"),
        ["agent_id", "date", "shift_id", "start", "end"],
        (
            [a.agent_id, a.date, a.shift_id, _stamp(a.start), _stamp(a.end)]
            for a in sorted(roster.assignments, key=lambda a: (a.agent_id, a.start))
        ),
        widths={"start": 17, "end": 17},
    )
    write_table(
        workbook.create_sheet("Activities"),
        ["agent_id", "date", "start", "end", "activity"],
        (
            [b.agent_id, b.date, _stamp(b.start), _stamp(b.end), b.activity]
            for b in sorted(roster.activities or (), key=lambda b: (b.agent_id, b.start))
        ),
        widths={"start": 17, "end": 17},
    )
    if roster.activities is not None:
        _timeline(workbook.create_sheet("Timeline"), instance, roster)
    if report.coverage:
        write_coverage(workbook.create_sheet("Coverage"), report, instance)
    write_fairness(
        workbook.create_sheet("Fairness"), loads, fairness_table(loads), compensation_table(loads)
    )
    write_violations(workbook.create_sheet("Violations"), report.violations)
    _history(workbook.create_sheet("History"), instance, roster, loads)
    save_atomically(workbook, path)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _summary(
    ws: Any,
    instance: Instance,
    roster: Roster,
    report: AuditReport,
    run: RunInfo,
    reroster: RerosterFigures | None = None,
):
    dates = instance.dates
    put(ws, 1, 1, f"Roster {instance.name}: {dates[0]} to {dates[-1]}").font = TITLE_FONT
    level = service_level(report)
    status = run.status + (" (interrupted: best roster found so far)" if run.interrupted else "")
    rows: list[tuple[str, Any, str]] = [
        ("status", status, "OPTIMAL: no better roster exists; FEASIBLE: best found in time"),
        ("objective", round(run.objective, 2), "total soft penalty (lower is better)"),
        ("best bound", round(run.bound, 2), "no roster can have a lower objective"),
        ("gap", run.gap, "how far the objective may be from the best possible"),
        ("solve seconds", round(run.seconds, 1), ""),
        ("method", run.method, "see docs/DESIGN.md"),
        ("agents", len(instance.agents), ""),
        ("shifts worked", len(roster.assignments), ""),
        ("coverage", report.coverage_percent / 100,
         "sum of min(scheduled, required) over sum of required (Coverage sheet)"),
        ("coverage bound", run.coverage_bound,
         "no roster of this team can cover more of the demand (proven by the LP relaxation of "
         "the head-count plan)" if run.coverage_bound is not None else "not computed"),
        ("required agent-hours", round(report.required_hours, 2), ""),
        ("understaffed agent-hours", round(report.under_hours, 2), ""),
        ("overstaffed agent-hours", round(report.over_hours, 2), ""),
        ("service level (estimate)", level,
         "call-weighted Erlang-C service level with the scheduled agents"),
        ("hard violations", len(report.hard), "always 0 for a roster the solver writes"),
    ]  # fmt: skip
    for rule, proven in sorted(run.fairness_proven.items()):
        burden = rule.removeprefix("fair_").replace("_", " ")
        rows.append(
            (f"{burden} shared", "as evenly as possible" if proven else "best found",
             "as evenly as possible: no roster with the same staffing per shift gives the "
             f"{burden} per FTE, history included, a smaller variance (proven)")
        )  # fmt: skip
    if run.coverage_bound is not None:
        rows.insert(0, ("in short", coverage_sentence(report.coverage_percent / 100,
                                                      run.coverage_bound), ""))  # fmt: skip
    if reroster is not None:
        rows += _reroster_rows(report, reroster)
    if run.note:
        rows.append(("note", run.note, ""))
    style_header(ws, ["figure", "value", "meaning"], 3)
    for offset, (name, value, meaning) in enumerate(rows, start=4):
        put(ws, offset, 1, name).font = Font(bold=True)
        cell = put(ws, offset, 2, value)
        if name in ("gap", "service level (estimate)") and value is not None:
            cell.number_format = "0.0%"
        if name.startswith("coverage") and isinstance(value, float):
            cell.number_format = "0.00%"
        put(ws, offset, 3, meaning)
    top = 4 + len(rows) + 2
    put(ws, top - 1, 1, "Soft penalty per rule").font = TITLE_FONT
    style_header(ws, ["rule", "what it means", "deviations", "penalty"], top)
    counts: dict[str, int] = defaultdict(int)
    for violation in report.soft:
        counts[violation.rule] += 1
    penalties = report.penalties()
    for offset, rule in enumerate(sorted(penalties, key=lambda r: -penalties[r]), start=1):
        put(ws, top + offset, 1, rule)
        put(ws, top + offset, 2, RULE_TITLES.get(rule, rule))
        put(ws, top + offset, 3, counts[rule])
        put(ws, top + offset, 4, round(penalties[rule], 2))
    for column, width in zip("ABCD", (26, 44, 62, 12)):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A4"


def _reroster_rows(report: AuditReport, figures: RerosterFigures) -> list[tuple[str, Any, str]]:
    """The re-roster's Summary rows: from when, coverage before and after, the changes."""
    absent = sum(1 for c in figures.changes if c.reason == "absent")
    chosen = len(figures.changes) - absent
    basis = (
        ""
        if figures.published_activities
        else " (the published roster has no Activities: counted by presence, breaks not known)"
    )
    return [
        ("rerostered from", f"{figures.cutoff:%Y-%m-%d %H:%M}",
         "every shift starting earlier is kept as published, with its breaks and queues"),
        ("coverage as published", figures.coverage_published / 100,
         f"the published roster against the current demand{basis}"),
        ("coverage after the absences", figures.coverage_after_absences / 100,
         f"the published roster without the absent agents' shifts, before any repair{basis}"),
        ("coverage after the repair", report.coverage_percent / 100, "this roster"),
        ("changes", len(figures.changes),
         "agent-days whose shift differs from the published roster (Changes sheet; marked "
         "with a red border in the Roster sheet)"),
        ("changes by the repair", chosen,
         f"changes beyond the {absent} shift(s) the absences removed; each costs "
         f"change_weight {figures.change_weight:g} in the objective"),
    ]  # fmt: skip


def _timeline(ws: Any, instance: Instance, roster: Roster) -> None:
    """Per calendar date, agents by interval, each cell coloured by activity."""
    horizon = Horizon(instance)
    interval = horizon.interval
    per_day = horizon.slots_per_day
    colours = activity_colours(instance)
    by_date: dict[dt.date, dict[str, dict[int, str]]] = defaultdict(lambda: defaultdict(dict))
    shift_of: dict[tuple[str, dt.date], str] = {
        (a.agent_id, a.date): a.shift_id for a in roster.assignments
    }
    for block in roster.activities or ():
        moment = block.start
        while moment < block.end:
            slot = (moment.hour * 60 + moment.minute) // interval
            by_date[moment.date()][block.agent_id][slot] = block.activity
            moment += dt.timedelta(minutes=interval)
    row = 1
    for date in horizon.dates:
        agents = by_date.get(date, {})
        put(ws, row, 1, f"{date:%A %d %B %Y}").font = TITLE_FONT
        row += 1
        headers = ["agent_id", "shift"] + [
            f"{(s * interval) // 60:02d}:{(s * interval) % 60:02d}" for s in range(per_day)
        ]
        style_header(ws, headers, row)
        for column in range(3, per_day + 3):
            ws.cell(row=row, column=column).alignment = Alignment(text_rotation=90)
        row += 1
        if not agents:
            put(ws, row, 1, "nobody works")
            row += 2
            continue
        for agent_id in sorted(agents):
            put(ws, row, 1, agent_id)
            shift = shift_of.get((agent_id, date)) or shift_of.get(
                (agent_id, date - dt.timedelta(days=1)), ""
            )
            put(ws, row, 2, shift)
            for slot, activity in agents[agent_id].items():
                cell = put(ws, row, slot + 3, SHORT_LABELS.get(activity, activity[:3]))
                cell.fill = fill(colours.get(activity, "FFFFFF"))
                cell.font = Font(size=7)
            row += 1
        row += 1
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 7
    for column in range(3, per_day + 3):
        ws.column_dimensions[get_column_letter(column)].width = 3.6
    ws.freeze_panes = "C1"


def _history(ws: Any, instance: Instance, roster: Roster, loads) -> None:
    rows = next_history(instance, roster, loads)
    headers = ["agent_id", "name", *HISTORY_COLUMNS]
    write_table(
        ws,
        headers,
        ([r.agent_id, r.name, *[r.values[c] for c in HISTORY_COLUMNS]] for r in rows),
    )
    column = headers.index("last_shift_end") + 1
    for row in range(2, len(rows) + 2):
        ws.cell(row=row, column=column).number_format = "yyyy-mm-dd hh:mm"
    note_row = len(rows) + 3
    put(
        ws,
        note_row,
        1,
        "Paste these columns over the same columns of next roster's Agents sheet "
        "(same agents, same order).",
    ).font = Font(italic=True)
    size_columns(ws, headers, {"last_shift_end": 17, "name": 16})
