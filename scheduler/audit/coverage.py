"""Coverage: agents scheduled against required per queue and interval (or per shift, for
ShiftDemand), with understaffing and overstaffing penalties (soft)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from scheduler.audit.findings import SOFT, CoverageRow, Violation
from scheduler.audit.view import RosterView
from scheduler.staffing import interval_requirements, service_level

ALL_QUEUES = "(all queues)"


def scheduled_per_slot(view: RosterView) -> dict[tuple[int, str], int]:
    """Agents on each queue in each interval of the horizon, from the activity blocks.

    Without activities, only presence is known: agents on shift count towards ALL_QUEUES.
    """
    horizon = view.horizon
    interval = horizon.interval
    last = horizon.days * horizon.slots_per_day
    counts: dict[tuple[int, str], int] = defaultdict(int)
    if view.has_activities:
        queues = view.instance.queue_by_id
        for block in view.roster.activities or ():
            if block.activity not in queues:
                continue
            first = horizon.minute_of(block.start) // interval
            end = -(-horizon.minute_of(block.end) // interval)
            for slot in range(max(first, 0), min(end, last)):
                counts[(slot, block.activity)] += 1
        return counts
    for worked in view.by_agent.values():
        for w in worked:
            for slot in range(max(w.start // interval, 0), min(-(-w.end // interval), last)):
                counts[(slot, ALL_QUEUES)] += 1
    return counts


def check_coverage(view: RosterView) -> tuple[list[CoverageRow], list[Violation]]:
    if view.instance.demand_kind == "shift":
        return [], []
    horizon = view.horizon
    instance = view.instance
    demand = interval_requirements(instance)
    scheduled = scheduled_per_slot(view)
    if not view.has_activities:
        merged: dict[tuple[int, str], list] = defaultdict(lambda: [0.0, 0])
        for (slot, _), cell in demand.items():
            merged[(slot, ALL_QUEUES)][0] += cell.calls or 0.0
            merged[(slot, ALL_QUEUES)][1] += cell.required
        cells = {key: (calls, required) for key, (calls, required) in merged.items()}
    else:
        cells = {key: (cell.calls, cell.required) for key, cell in demand.items()}
    rows = []
    for key in sorted(set(cells) | set(scheduled)):
        slot, queue_id = key
        calls, required = cells.get(key, (None, 0))
        count = scheduled.get(key, 0)
        level = None
        queue = instance.queue_by_id.get(queue_id)
        if calls is not None and queue is not None and instance.demand_kind == "forecast":
            load = calls * queue.aht_seconds / (horizon.interval * 60)
            level = service_level(count, load, queue.aht_seconds, queue.answer_seconds)
        moment = horizon.slot_moment(slot)
        rows.append(
            CoverageRow(moment.date(), moment.time(), queue_id, calls, required, count, level)
        )
    return rows, _penalties(view, rows)


def _penalties(view: RosterView, rows: list[CoverageRow]) -> list[Violation]:
    """One soft violation per contiguous understaffed or overstaffed stretch of a queue."""
    rules = view.rules
    interval = view.horizon.interval
    found = []
    for rule, weight, sign, word in (
        ("weight_under", rules.weight_under, -1, "short"),
        ("weight_over", rules.weight_over, 1, "over"),
    ):
        if weight <= 0:
            continue
        stretch: list[CoverageRow] = []
        for row in [*sorted(rows, key=lambda r: (r.queue_id, r.date, r.time)), None]:
            off = row is None or sign * row.gap <= 0
            joins = (
                row is not None
                and stretch
                and stretch[-1].queue_id == row.queue_id
                and _next(stretch[-1], interval) == (row.date, row.time)
            )
            if stretch and (off or not joins):
                units = sum(sign * r.gap for r in stretch)
                first, last = stretch[0], stretch[-1]
                end = (dt.datetime.combine(last.date, last.time)
                       + dt.timedelta(minutes=interval))  # fmt: skip
                found.append(
                    Violation(rule, SOFT, "", first.date,
                              f"{first.queue_id} {first.time:%H:%M}-{end:%H:%M}: {units} "
                              f"agent-interval(s) {word}", weight * units)
                )  # fmt: skip
                stretch = []
            if not off:
                stretch.append(row)
    return found


def _next(row: CoverageRow, interval: int) -> tuple[dt.date, dt.time]:
    moment = dt.datetime.combine(row.date, row.time) + dt.timedelta(minutes=interval)
    return moment.date(), moment.time()


def check_shift_demand(view: RosterView) -> tuple[list[Violation], tuple[float, float, float]]:
    """ShiftDemand: missing or extra people per shift and date; hours for the summary."""
    if view.instance.demand_kind != "shift":
        return [], (0.0, 0.0, 0.0)
    rules = view.rules
    counts: dict[tuple[dt.date, str], int] = defaultdict(int)
    for worked in view.by_agent.values():
        for w in worked:
            counts[(w.date, w.shift.shift_id)] += 1
    found = []
    required_hours = under_hours = over_hours = 0.0
    for row in view.instance.shift_demand:
        paid = view.instance.shift_by_id[row.shift_id].paid_hours
        have = counts.get((row.date, row.shift_id), 0)
        required_hours += row.agents * paid
        if have < row.agents:
            weight = rules.weight_under if row.weight_under is None else row.weight_under
            missing = row.agents - have
            under_hours += missing * paid
            found.append(
                Violation("weight_under", SOFT, "", row.date,
                          f"{row.shift_id}: {have} of {row.agents} wanted", weight * missing)
            )  # fmt: skip
        elif have > row.agents:
            weight = rules.weight_over if row.weight_over is None else row.weight_over
            extra = have - row.agents
            over_hours += extra * paid
            if weight > 0:
                found.append(
                    Violation("weight_over", SOFT, "", row.date,
                              f"{row.shift_id}: {have} for {row.agents} wanted", weight * extra)
                )  # fmt: skip
    return found, (required_hours, under_hours, over_hours)
