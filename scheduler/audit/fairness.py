"""Who carries the load: per-agent totals, spread statistics and the fairness penalties.

Totals are per FTE and include the history carried from earlier rosters; each burden is compared
among the agents eligible for it (nights: may work nights; complaint hours: complaint-skilled and
allowed on complaint queues; weekends and holidays: everyone). The penalty is the weight times
the population variance of those totals, so every agent counts, not only the two extremes.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.audit.findings import SOFT, Violation
from scheduler.audit.intraday import complaint_minutes
from scheduler.audit.view import RosterView

MEASURES = (
    # (rule key, measure, history field, eligibility)
    ("fair_weekends", "weekend_days", "hist_weekends", "everyone"),
    ("fair_holidays", "holidays", "hist_holidays", "everyone"),
    ("fair_nights", "nights", "hist_nights", "night_fairness"),
    ("fair_complaint_hours", "complaint_hours", "hist_complaint_hours", "complaint_fairness"),
)
MEASURE_TITLES = {
    "weekend_days": "weekend days",
    "holidays": "holidays",
    "nights": "nights",
    "complaint_hours": "complaint hours",
}


@dataclass(frozen=True)
class AgentLoad:
    """One agent's load in this roster and with history."""

    agent_id: str
    name: str
    fte: float
    shifts: int
    hours: float
    weekend_days: int
    holidays: int
    nights: int
    complaint_hours: float | None
    history: dict[str, float]
    eligible: dict[str, bool]

    def value(self, measure: str, with_history: bool) -> float:
        own = getattr(self, measure) or 0.0
        return own + (self.history[measure] if with_history else 0.0)


@dataclass(frozen=True)
class SpreadStats:
    """How evenly a burden is shared (per FTE) among the eligible agents."""

    measure: str
    with_history: bool
    agents: int
    minimum: float
    maximum: float
    mean: float
    variance: float  # population variance
    gini: float
    jain: float

    @property
    def spread(self) -> float:
        return self.maximum - self.minimum


@dataclass(frozen=True)
class HistoryCompensation:
    """Whether this horizon's burden went to those who carried least: the mean load this
    horizon (per FTE) of the eligible agents in the top quartile of history beside that of the
    bottom quartile."""

    measure: str
    agents: int  # in each quartile
    top_history: float  # mean history per FTE of the top quartile
    bottom_history: float
    top_load: float  # mean load this horizon per FTE of the top quartile
    bottom_load: float


def variance(values: list[float]) -> float:
    """Population variance (0 for fewer than two values)."""
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / len(values)


def gini(values: list[float]) -> float:
    """Gini coefficient: mean absolute difference over twice the mean (0 = equal)."""
    if not values:
        return 0.0
    mean = sum(values) / len(values)
    if mean <= 0:
        return 0.0
    total = sum(abs(a - b) for a in values for b in values)
    return total / (2 * len(values) ** 2 * mean)


def jain(values: list[float]) -> float:
    """Jain's fairness index: (sum x)^2 / (n sum x^2), 1 = equal."""
    if not values:
        return 1.0
    squares = sum(v * v for v in values)
    if squares <= 0:
        return 1.0
    return sum(values) ** 2 / (len(values) * squares)


def agent_loads(view: RosterView) -> list[AgentLoad]:
    horizon = view.horizon
    complaint = complaint_minutes(view) if view.has_activities else None
    loads = []
    for agent in view.instance.agents:
        terms = view.terms[agent.agent_id]
        worked = view.by_agent.get(agent.agent_id, [])
        loads.append(
            AgentLoad(
                agent_id=agent.agent_id,
                name=agent.name,
                fte=agent.fte,
                shifts=len(worked),
                hours=sum(w.shift.paid_minutes for w in worked) / 60,
                weekend_days=len({w.day for w in worked if horizon.is_weekend(w.day)}),
                holidays=len({w.day for w in worked if horizon.is_holiday(w.day)}),
                nights=len({w.day for w in worked if w.shift.night}),
                complaint_hours=None
                if complaint is None
                else complaint.get(agent.agent_id, 0.0) / 60,
                history={
                    "weekend_days": agent.hist_weekends,
                    "holidays": agent.hist_holidays,
                    "nights": agent.hist_nights,
                    "complaint_hours": agent.hist_complaint_hours,
                },
                eligible={
                    "weekend_days": True,
                    "holidays": True,
                    "nights": terms.night_fairness,
                    "complaint_hours": terms.complaint_fairness,
                },
            )
        )
    return loads


def spread_stats(loads: list[AgentLoad], measure: str, with_history: bool) -> SpreadStats:
    values = [
        load.value(measure, with_history) / load.fte for load in loads if load.eligible[measure]
    ]
    if not values:
        return SpreadStats(measure, with_history, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)
    return SpreadStats(
        measure=measure,
        with_history=with_history,
        agents=len(values),
        minimum=min(values),
        maximum=max(values),
        mean=sum(values) / len(values),
        variance=variance(values),
        gini=gini(values),
        jain=jain(values),
    )


def history_compensation(loads: list[AgentLoad], measure: str) -> HistoryCompensation | None:
    """The top and bottom quartiles of history among the eligible agents (ties broken by agent
    id) and their mean load this horizon, per FTE; None with fewer than four eligible agents."""
    eligible = sorted(
        (load for load in loads if load.eligible[measure]),
        key=lambda load: (load.history[measure] / load.fte, load.agent_id),
    )
    quarter = len(eligible) // 4
    if quarter == 0:
        return None

    def mean(group: list[AgentLoad], with_history: bool) -> float:
        if with_history:
            return sum(load.history[measure] / load.fte for load in group) / len(group)
        return sum(load.value(measure, False) / load.fte for load in group) / len(group)

    top, bottom = eligible[-quarter:], eligible[:quarter]
    return HistoryCompensation(
        measure=measure,
        agents=quarter,
        top_history=mean(top, True),
        bottom_history=mean(bottom, True),
        top_load=mean(top, False),
        bottom_load=mean(bottom, False),
    )


def check_fairness(view: RosterView, loads: list[AgentLoad]) -> list[Violation]:
    """Soft penalty weight x population variance (history included, per FTE) per burden."""
    found = []
    for rule, measure, _, _ in MEASURES:
        weight = getattr(view.rules, rule)
        if weight <= 0 or (measure == "complaint_hours" and not view.has_activities):
            continue
        eligible = [load for load in loads if load.eligible[measure]]
        if len(eligible) < 2:
            continue
        stats = spread_stats(loads, measure, with_history=True)
        if stats.variance <= 1e-12:
            continue
        top = max(eligible, key=lambda load: load.value(measure, True) / load.fte)
        low = min(eligible, key=lambda load: load.value(measure, True) / load.fte)
        title = MEASURE_TITLES[measure]
        found.append(
            Violation(rule, SOFT, top.agent_id, None,
                      f"{title} per FTE with history vary by {stats.variance:.3f} (variance over "
                      f"{stats.agents} agents, mean {stats.mean:.2f}, from {stats.minimum:.2f} "
                      f"({low.agent_id}) to {stats.maximum:.2f} ({top.agent_id}))",
                      weight * stats.variance)
        )  # fmt: skip
    return found
