"""Erlang-C staffing: how many agents an interval's calls need (SPEC section 5).

Erlang C is computed through the Erlang-B recursion, which is exact and numerically stable for
thousands of agents (no factorials, no powers of the traffic).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scheduler.model import Instance, Queue


def traffic(calls: float, aht_seconds: float, interval_minutes: int) -> float:
    """Offered load in Erlangs: calls x AHT / interval length."""
    return calls * aht_seconds / (interval_minutes * 60)


def erlang_c(agents: int, load: float) -> float:
    """Probability that a call waits, with `agents` servers and `load` Erlangs (agents > load)."""
    if load <= 0:
        return 0.0
    if agents <= load:
        return 1.0
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    return agents * blocking / (agents - load * (1 - blocking))


def service_level(agents: int, load: float, aht_seconds: float, answer_seconds: float) -> float:
    """Share of calls answered within answer_seconds with `agents` on the queue."""
    if load <= 0:
        return 1.0
    if agents <= load:
        return 0.0
    wait = erlang_c(agents, load)
    return 1.0 - wait * math.exp(-(agents - load) * answer_seconds / aht_seconds)


def agents_for_service_level(
    load: float, aht_seconds: float, answer_seconds: float, target: float
) -> int:
    """Smallest N > load whose Erlang-C service level reaches target.

    The Erlang-B value for N is carried from N-1, so the search costs one step per agent.
    """
    if load <= 0:
        return 0
    agents = math.floor(load) + 1
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    while True:
        wait = agents * blocking / (agents - load * (1 - blocking))
        level = 1.0 - wait * math.exp(-(agents - load) * answer_seconds / aht_seconds)
        if level >= target:
            return agents
        agents += 1
        blocking = load * blocking / (agents + load * blocking)


@dataclass(frozen=True)
class Staffing:
    """Staffing for one queue-interval."""

    load: float
    erlang_agents: int
    occupancy_agents: int
    required: int


def required_agents(
    calls: float, queue: Queue, interval_minutes: int, shrinkage: float
) -> Staffing:
    """Rostered agents needed: Erlang-C, then the occupancy cap, then shrinkage (SPEC 5)."""
    load = traffic(calls, queue.aht_seconds, interval_minutes)
    if load <= 0:
        return Staffing(load=0.0, erlang_agents=0, occupancy_agents=0, required=0)
    erlang = agents_for_service_level(
        load, queue.aht_seconds, queue.answer_seconds, queue.service_level
    )
    occupancy = math.ceil(load / queue.occupancy_cap - 1e-9)
    on_phone = max(erlang, occupancy)
    rostered = math.ceil(on_phone / (1 - shrinkage) - 1e-9)
    return Staffing(load, erlang, occupancy, rostered)


@dataclass(frozen=True)
class DemandCell:
    """Calls and required agents for one queue in one interval of the horizon."""

    slot: int
    queue_id: str
    calls: float | None
    required: int


def interval_requirements(instance: Instance) -> dict[tuple[int, str], DemandCell]:
    """Required agents per (interval index from the horizon start, queue) from the demand sheet.

    Requirements are used as given; a Forecast is turned into agents with Erlang C. Intervals
    without a row need nobody and are left out.
    """
    settings = instance.settings
    interval = settings.interval_minutes
    cells: dict[tuple[int, str], DemandCell] = {}
    cache: dict[tuple[str, float], int] = {}
    for row in instance.interval_demand:
        day = (row.date - settings.start_date).days
        if not 0 <= day < settings.days:
            continue
        slot = (day * 1440 + row.time.hour * 60 + row.time.minute) // interval
        if instance.demand_kind == "requirements":
            required = row.agents or 0
        else:
            calls = row.calls or 0.0
            key = (row.queue_id, calls)
            if key not in cache:
                queue = instance.queue_by_id[row.queue_id]
                cache[key] = required_agents(calls, queue, interval, settings.shrinkage).required
            required = cache[key]
        cells[(slot, row.queue_id)] = DemandCell(slot, row.queue_id, row.calls, required)
    return cells
