"""Write the audit report workbook of `scheduler audit`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from openpyxl.styles import Font

from scheduler.audit import RULE_TITLES, AuditReport, agent_loads
from scheduler.audit.view import RosterView
from scheduler.io.excel import TITLE_FONT, new_workbook, put, save_atomically, style_header
from scheduler.io.roster_reader import LoadedRoster
from scheduler.io.sheets import write_coverage, write_fairness, write_violations
from scheduler.model import Instance
from scheduler.report import compensation_table, fairness_table, service_level


def write_audit_workbook(
    instance: Instance, loaded: LoadedRoster, report: AuditReport, path: str | Path
) -> None:
    workbook = new_workbook()
    _summary(workbook.create_sheet("Summary"), instance, loaded, report)
    write_violations(workbook.create_sheet("Violations"), report.violations, loaded.cells)
    loads = agent_loads(RosterView(instance, loaded.roster))
    write_fairness(
        workbook.create_sheet("Fairness"),
        loads,
        fairness_table(loads),
        compensation_table(loads),
        intraday_known=loaded.roster.has_activities,
    )
    if report.coverage:
        write_coverage(workbook.create_sheet("Coverage"), report, instance)
    save_atomically(workbook, path)


def _summary(ws: Any, instance: Instance, loaded: LoadedRoster, report: AuditReport) -> None:
    put(ws, 1, 1, f"Audit of a roster for {instance.name}").font = TITLE_FONT
    verdict = "no hard rule is broken" if not report.hard else f"{len(report.hard)} hard violations"
    rows: list[tuple[str, Any]] = [
        ("verdict", verdict),
        ("roster read from", f"the {loaded.source} sheet"),
        ("shifts in the roster", len(loaded.roster.assignments)),
        ("activities given", "yes" if loaded.roster.has_activities else "no"),
        ("soft penalty", round(report.objective, 2)),
    ]
    if report.coverage or report.shift_demand_hours:
        basis = "" if loaded.roster.has_activities else " (presence: breaks not known)"
        rows += [
            ("coverage" + basis, report.coverage_percent / 100),
            ("understaffed agent-hours", round(report.under_hours, 2)),
            ("overstaffed agent-hours", round(report.over_hours, 2)),
        ]
        level = service_level(report)
        if level is not None:
            rows.append(("service level (estimate)", level))
    if report.not_checked:
        rows.append(("not checked", ", ".join(report.not_checked) + " (no Activities sheet)"))
    style_header(ws, ["figure", "value"], 3)
    for offset, (name, value) in enumerate(rows, start=4):
        put(ws, offset, 1, name).font = Font(bold=True)
        cell = put(ws, offset, 2, value)
        if name.startswith(("coverage", "service level")):
            cell.number_format = "0.0%"
    top = 4 + len(rows) + 2
    put(ws, top - 1, 1, "Violations per rule").font = TITLE_FONT
    style_header(ws, ["rule", "what it means", "severity", "count", "penalty"], top)
    counts = Counter((v.rule, v.severity) for v in report.violations)
    penalties = report.penalties()
    ordered = sorted(counts, key=lambda key: (key[1] != "hard", key[0]))
    for offset, (rule, severity) in enumerate(ordered, start=1):
        put(ws, top + offset, 1, rule)
        put(ws, top + offset, 2, RULE_TITLES.get(rule, rule))
        put(ws, top + offset, 3, severity)
        put(ws, top + offset, 4, counts[(rule, severity)])
        put(ws, top + offset, 5, round(penalties.get(rule, 0), 2) if severity == "soft" else None)
    for column, width in zip("ABCDE", (28, 48, 10, 8, 10)):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A4"
