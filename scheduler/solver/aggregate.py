"""Coverage as the shift stage sees it: breaks and queues counted per group, not per agent.

Agents who may take the same queues form a group. For each group, day and shift the model
chooses how many of the group's workers start each break at each allowed interval (anonymous
break counts) and how many of those on the phone take each queue (flows). Any per-agent plan
gives such counts, so the stage's objective never exceeds what the full roster can reach: it is a
relaxation, and its bound is a valid bound for the whole problem. Per-agent rules that only the
intraday stage sees (continuous phone and complaint time, recovery) are left to that stage; the
daily complaint cap is kept per group.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.solver.activities import usable_queues
from scheduler.solver.context import ModelContext
from scheduler.solver.coverage import penalise_coverage


def queue_groups(context: ModelContext) -> list[tuple[tuple[str, ...], list[int]]]:
    """Agents who may take the same queues, as (queues, members), in a fixed order: the
    group index is the position in this list."""
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for agent in range(len(context.agents)):
        queues = tuple(usable_queues(context, agent))
        if queues:
            groups[queues].append(agent)
    return sorted(groups.items())


def phone_queues(
    queues: tuple[str, ...], complaint: set[str], demand: dict[tuple[int, str], int], slot: int
) -> list[str]:
    """The queues a group's agents on the phone in a slot are counted on: those with demand
    there, and a regular queue (if the group has one) for agents nobody needs."""
    regular = [q for q in queues if q not in complaint]
    options = [q for q in queues if demand.get((slot, q), 0) > 0]
    if not any(q in regular for q in options):
        options += regular[:1] or ([] if options else list(queues[:1]))
    return options


def add_aggregate_coverage(context: ModelContext, demand: dict[tuple[int, str], int]) -> None:
    if context.instance.demand_kind == "shift" or not context.instance.queues:
        return
    model = context.model
    interval = context.horizon.interval
    complaint = {q.queue_id for q in context.instance.queues if q.complaint}
    scheduled: dict[tuple[int, str], list] = defaultdict(list)
    for group_index, (queues, members) in enumerate(queue_groups(context)):
        for agent in members:
            context.group_of[agent] = group_index
        for day in context.days:
            phone: dict[int, list] = defaultdict(list)  # slot -> +literals / -break counts
            complaint_capacity = []  # most complaint intervals the day's workers can give
            for shift in context.instance.shifts:
                literals = [
                    o.var
                    for agent in members
                    for o in context.day_occurrences(agent, day)
                    if o.shift.shift_id == shift.shift_id
                ]
                if not literals:
                    continue
                slots = context.horizon.shift_slots(shift, day)
                cap = complaint_cap(context, shift, slots, queues, complaint, demand)
                if cap:
                    complaint_capacity.append(cap * sum(literals))
                for slot in slots:
                    phone[slot].extend(literals)
                if not context.enabled("breaks"):
                    continue
                for b, options in enumerate(break_windows(shift, slots, interval)):
                    counts = []
                    for offset, covered in options.items():
                        count = model.new_int_var(
                            0,
                            len(literals),
                            f"k[{group_index},{day},{shift.shift_id},{b},{offset}]",
                        )
                        counts.append(count)
                        context.aggregate_vars[
                            ("k", group_index, day, shift.shift_id, b, offset)
                        ] = count
                        context.scope(group_index, day, count)
                        for slot in covered:
                            phone[slot].append(-count)
                    model.add(sum(counts) == sum(literals))
            if not phone:
                continue
            complaint_flows = []
            for slot, parts in sorted(phone.items()):
                available = sum(parts)
                options = phone_queues(queues, complaint, demand, slot)
                if len(options) == 1:
                    scheduled[(slot, options[0])].append(available)
                    if options[0] in complaint:
                        complaint_flows.append(available)
                    continue
                flows = {
                    q: model.new_int_var(0, len(members), f"f[{group_index},{day},{slot},{q}]")
                    for q in options
                }
                model.add(sum(flows.values()) == available)
                context.scope(group_index, day, *flows.values())
                for queue_id, flow in flows.items():
                    context.aggregate_vars[("f", group_index, day, slot, queue_id)] = flow
                for queue_id, flow in flows.items():
                    scheduled[(slot, queue_id)].append(flow)
                    if queue_id in complaint:
                        complaint_flows.append(flow)
            if complaint_flows:
                model.add(sum(complaint_flows) <= sum(complaint_capacity))
    penalise_coverage(context, demand, scheduled, {})


def break_windows(shift, slots: range, interval: int) -> list[dict[int, range]]:
    """Per break of a shift occurrence: start offset (in intervals) -> the slots the break
    covers when it starts there."""
    windows = []
    for spec in shift.breaks:
        length = spec.minutes // interval
        windows.append(
            {
                offset: range(slots.start + offset, slots.start + offset + length)
                for offset in range(spec.earliest // interval, spec.latest // interval + 1)
            }
        )
    return windows


def complaint_cap(context: ModelContext, shift, slots: range, queues, complaint, demand) -> int:
    """Most complaint intervals one agent can work in this shift occurrence.

    Only intervals where a complaint queue has demand count; within them, the continuous cap
    and the recovery time allow at most `on` of every `on + off` intervals, and the daily cap
    and the breaks bound the total.
    """
    mine = [q for q in queues if q in complaint]
    if not mine:
        return 0
    rules = context.rules
    interval = context.horizon.interval
    open_slots = sum(1 for slot in slots if any(demand.get((slot, q), 0) > 0 for q in mine))
    phone = len(slots) - sum(b.minutes for b in shift.breaks) // interval
    cap = min(open_slots, phone)
    if context.enabled("max_complaint_daily_minutes"):
        cap = min(cap, rules.max_complaint_daily_minutes // interval)
    if context.enabled("max_complaint_continuous_minutes"):
        on = max(rules.max_complaint_continuous_minutes // interval, 0)
        off = (
            -(-rules.complaint_recovery_minutes // interval)
            if context.enabled("complaint_recovery_minutes")
            else 0
        )
        if on + off > 0:
            full, rest = divmod(open_slots, on + off)
            cap = min(cap, full * on + min(rest, on))
    return max(cap, 0)
