"""The figures a planner compares between scenarios: coverage, cost, fairness and wellbeing
exposure, all recomputed from a roster by the rule checker's view of it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from scheduler.audit import AuditReport, agent_loads
from scheduler.audit.fairness import spread_stats
from scheduler.audit.view import RosterView
from scheduler.model import Instance, Roster
from scheduler.report import service_level


@dataclass(frozen=True)
class Kpi:
    """A row of the comparison: its name, unit and which way is better (+1 up, -1 down)."""

    name: str
    unit: str
    better: int


KPIS: tuple[Kpi, ...] = (
    Kpi("status", "", 0),
    Kpi("gap", "%", -1),
    Kpi("solve seconds", "s", 0),
    Kpi("coverage", "%", +1),
    Kpi("understaffed agent-hours", "h", -1),
    Kpi("overstaffed agent-hours", "h", -1),
    Kpi("service level (call-weighted estimate)", "%", +1),
    Kpi("paid hours", "h", -1),
    Kpi("weekend days variance per FTE", "days²", -1),
    Kpi("holidays variance per FTE", "days²", -1),
    Kpi("nights variance per FTE", "nights²", -1),
    Kpi("complaint hours variance per FTE", "h²", -1),
    Kpi("weekend days Gini", "", -1),
    Kpi("holidays Gini", "", -1),
    Kpi("nights Gini", "", -1),
    Kpi("complaint hours Gini", "", -1),
    Kpi("longest complaint stretch", "min", -1),
    Kpi("mean complaint stretch", "min", -1),
    Kpi("complaint minutes per agent-day", "min", -1),
    Kpi("nights per night-eligible agent", "nights", -1),
    Kpi("rests under preferred_rest_hours", "count", -1),
    Kpi("soft penalty", "", -1),
)
MEASURE_NAMES = {
    "weekend_days": "weekend days",
    "holidays": "holidays",
    "nights": "nights",
    "complaint_hours": "complaint hours",
}


def roster_kpis(
    instance: Instance,
    roster: Roster,
    report: AuditReport,
    preferred_rest_hours: float | None = None,
) -> dict[str, Any]:
    """Every KPI except status, gap and seconds (the solve's), for one roster.

    preferred_rest_hours sets the yardstick for short rests, so that scenarios that change
    the rule are still measured the same way.
    """
    view = RosterView(instance, roster)
    loads = agent_loads(view)
    figures: dict[str, Any] = {
        "coverage": report.coverage_percent,
        "understaffed agent-hours": report.under_hours,
        "overstaffed agent-hours": report.over_hours,
        "service level (call-weighted estimate)": _percent(service_level(report)),
        "paid hours": sum(load.hours for load in loads),
    }
    for measure, title in MEASURE_NAMES.items():
        unknown = measure == "complaint_hours" and not roster.has_activities
        stats = spread_stats(loads, measure, with_history=True)
        figures[f"{title} variance per FTE"] = None if unknown else stats.variance
        figures[f"{title} Gini"] = None if unknown else stats.gini
    stretches, complaint_minutes, shifts_with_complaint_skill = _complaint_exposure(view)
    figures["longest complaint stretch"] = max(stretches, default=0) if stretches else 0
    figures["mean complaint stretch"] = sum(stretches) / len(stretches) if stretches else 0.0
    figures["complaint minutes per agent-day"] = (
        complaint_minutes / shifts_with_complaint_skill if shifts_with_complaint_skill else 0.0
    )
    if not roster.has_activities:
        for name in ("longest complaint stretch", "mean complaint stretch",
                     "complaint minutes per agent-day"):  # fmt: skip
            figures[name] = None
    eligible = [load for load in loads if load.eligible["nights"]]
    figures["nights per night-eligible agent"] = (
        sum(load.nights for load in eligible) / len(eligible) if eligible else 0.0
    )
    preferred = (
        instance.rules.preferred_rest_hours
        if preferred_rest_hours is None
        else preferred_rest_hours
    )
    figures["rests under preferred_rest_hours"] = _short_rests(view, preferred * 60)
    figures["soft penalty"] = report.objective
    for rule, penalty in report.penalties().items():
        figures[f"penalty: {rule}"] = penalty
    return figures


def _percent(value: float | None) -> float | None:
    return None if value is None else 100 * value


def _complaint_exposure(view: RosterView) -> tuple[list[int], float, int]:
    """Complaint stretch lengths (minutes), total complaint minutes, and worked shifts of
    agents who may take complaint queues."""
    complaint = {q.queue_id for q in view.instance.queues if q.complaint}
    stretches: list[int] = []
    total = 0.0
    shifts = 0
    for agent_id, worked in view.by_agent.items():
        skilled = view.terms[agent_id].complaint_fairness
        for w in worked:
            shifts += skilled
            length = 0
            for block in w.blocks:
                minutes = int((block.end - block.start).total_seconds() // 60)
                if block.activity in complaint:
                    length += minutes
                    total += minutes
                elif length:
                    stretches.append(length)
                    length = 0
            if length:
                stretches.append(length)
    return stretches, total, shifts


def _short_rests(view: RosterView, preferred_minutes: float) -> int:
    count = 0
    for worked in view.by_agent.values():
        for first, second in itertools.pairwise(worked):
            if second.start - first.end < preferred_minutes:
                count += 1
    return count
