"""The rule checker: recomputes every rule and the coverage from a roster's own rows.

It never imports the solver, so it can judge any roster, hand-made ones included, and every
roster the solver writes is checked by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from scheduler.audit.coverage import check_coverage, check_shift_demand
from scheduler.audit.fairness import AgentLoad, SpreadStats, agent_loads, check_fairness
from scheduler.audit.findings import (
    HARD,
    HARD_RULES,
    INTRADAY_RULES,
    RULE_TITLES,
    SOFT,
    AuditReport,
    CoverageRow,
    Violation,
)
from scheduler.audit.intraday import check_intraday
from scheduler.audit.rest import check_rest
from scheduler.audit.sequences import check_sequences
from scheduler.audit.shifts import check_shifts
from scheduler.audit.view import RosterView
from scheduler.audit.workload import check_workload
from scheduler.model import Instance, Roster


def audit(instance: Instance, roster: Roster, relaxed: Iterable[str] = ()) -> AuditReport:
    """Check a roster against every rule of the instance, except any relaxed on purpose
    (a what-if scenario that prices a rule)."""
    view = RosterView(instance, roster)
    violations = []
    violations += check_shifts(view)
    violations += check_rest(view)
    violations += check_sequences(view)
    violations += check_workload(view)
    violations += check_intraday(view)
    coverage, coverage_penalties = check_coverage(view)
    violations += coverage_penalties
    shift_demand, shift_hours = check_shift_demand(view)
    violations += shift_demand
    violations += check_fairness(view, agent_loads(view))
    ignored = set(relaxed)
    violations = [v for v in violations if v.rule not in ignored]
    violations.sort(
        key=lambda v: (v.severity != HARD, v.rule, v.agent_id, v.date or dt.date.min, v.detail)
    )
    return AuditReport(
        violations=violations,
        coverage=coverage,
        not_checked=()
        if view.has_activities or not instance.queues
        else (*INTRADAY_RULES, "skills (queues)"),
        interval_minutes=instance.settings.interval_minutes,
        shift_demand_hours=shift_hours if instance.demand_kind == "shift" else None,
    )


__all__ = [
    "HARD",
    "HARD_RULES",
    "INTRADAY_RULES",
    "RULE_TITLES",
    "SOFT",
    "AgentLoad",
    "AuditReport",
    "CoverageRow",
    "RosterView",
    "SpreadStats",
    "Violation",
    "agent_loads",
    "audit",
]
