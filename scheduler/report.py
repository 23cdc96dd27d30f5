"""Figures a roster workbook shows, derived from the instance, the roster and its audit.

Kept apart from the Excel writers so the same numbers serve the solve, audit and compare outputs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.audit import AuditReport
from scheduler.audit.fairness import (
    MEASURES,
    AgentLoad,
    HistoryCompensation,
    SpreadStats,
    history_compensation,
    spread_stats,
)
from scheduler.horizon import Horizon
from scheduler.model import Instance, Roster

HISTORY_COLUMNS = (
    "hist_weekends",
    "hist_holidays",
    "hist_nights",
    "hist_complaint_hours",
    "consecutive_days_before",
    "last_shift_end",
    "nights_before",
)


def service_level(report: AuditReport) -> float | None:
    """Call-weighted Erlang-C service level estimate over the horizon, or None without calls."""
    calls = sum(r.calls or 0 for r in report.coverage if r.service_level is not None)
    if calls <= 0:
        return None
    weighted = sum(
        (r.calls or 0) * (r.service_level or 0)
        for r in report.coverage
        if r.service_level is not None
    )
    return weighted / calls


def fairness_table(loads: list[AgentLoad]) -> list[SpreadStats]:
    """Spread statistics per measure, this horizon and with history."""
    return [
        spread_stats(loads, measure, with_history)
        for _, measure, _, _ in MEASURES
        for with_history in (False, True)
    ]


def compensation_table(loads: list[AgentLoad]) -> list[HistoryCompensation]:
    """Per measure with at least four eligible agents, the history quartiles' loads."""
    found = (history_compensation(loads, measure) for _, measure, _, _ in MEASURES)
    return [row for row in found if row is not None]


@dataclass(frozen=True)
class HistoryRow:
    agent_id: str
    name: str
    values: dict[str, object]


def next_history(instance: Instance, roster: Roster, loads: list[AgentLoad]) -> list[HistoryRow]:
    """The Agents history columns as they stand at the end of this roster."""
    horizon = Horizon(instance)
    last_day = horizon.days - 1
    by_agent: dict[str, list] = {a.agent_id: [] for a in instance.agents}
    for assignment in roster.assignments:
        by_agent.setdefault(assignment.agent_id, []).append(assignment)
    load_of = {load.agent_id: load for load in loads}
    rows = []
    for agent in instance.agents:
        worked = sorted(by_agent.get(agent.agent_id, []), key=lambda a: a.start)
        days = {(a.date - horizon.start_date).days for a in worked}
        nights = {
            (a.date - horizon.start_date).days
            for a in worked
            if instance.shift_by_id[a.shift_id].night
        }
        load = load_of[agent.agent_id]
        complaint = (
            agent.hist_complaint_hours
            if load.complaint_hours is None
            else agent.hist_complaint_hours + load.complaint_hours
        )
        rows.append(
            HistoryRow(
                agent_id=agent.agent_id,
                name=agent.name,
                values={
                    "hist_weekends": agent.hist_weekends + load.weekend_days,
                    "hist_holidays": agent.hist_holidays + load.holidays,
                    "hist_nights": agent.hist_nights + load.nights,
                    "hist_complaint_hours": round(complaint, 2),
                    "consecutive_days_before": _run_to_end(
                        days, last_day, agent.consecutive_days_before
                    ),
                    "last_shift_end": worked[-1].end if worked else agent.last_shift_end,
                    "nights_before": _run_to_end(nights, last_day, agent.nights_before),
                },
            )
        )
    return rows


def _run_to_end(days: set[int], last_day: int, before: int) -> int:
    """Length of the run of days ending on the last day (continuing the run from before)."""
    run = 0
    day = last_day
    while day >= 0 and day in days:
        run += 1
        day -= 1
    if day < 0:
        run += before
    return run


def holiday_names(instance: Instance) -> dict[dt.date, str]:
    return {h.date: h.name for h in instance.holidays}
