"""Build CP-SAT models from the rule modules: the whole horizon, or one day's activities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ortools.sat.python import cp_model

from scheduler.model import Instance, Shift
from scheduler.solver.activities import add_activities, usable_queues
from scheduler.solver.aggregate import add_aggregate_coverage
from scheduler.solver.changes import Keep, add_change_penalty, add_kept_days
from scheduler.solver.complaints import add_complaint_rules, complaint_literals
from scheduler.solver.context import ModelContext
from scheduler.solver.coverage import add_interval_coverage, add_shift_coverage, demand_by_slot
from scheduler.solver.fairness import add_fairness
from scheduler.solver.preferences import add_forward_rotation, add_requests
from scheduler.solver.rest import add_rest_rules
from scheduler.solver.sequences import add_sequence_rules
from scheduler.solver.shifts import add_chosen_shifts, add_shift_choices
from scheduler.solver.stopping import make_solver
from scheduler.solver.workload import add_workload_rules


def build(
    instance: Instance,
    relaxed: Iterable[str] = (),
    diagnose: bool = False,
    stage: str = "integrated",
    unworkable: set[tuple[int, str]] | None = None,
    keep: Keep | None = None,
) -> ModelContext:
    """The whole-horizon model: every rule family adds its constraints and penalty terms.

    With `keep` (a re-roster) the published roster's past is fixed and changes cost.
    """
    context = ModelContext(instance, relaxed=relaxed, diagnose=diagnose, stage=stage)
    context.unworkable = unworkable or set()
    add_shift_choices(context)
    if keep is not None:
        add_kept_days(context, keep)
    demand = demand_by_slot(context)
    add_activities(context, demand)
    add_rest_rules(context)
    add_sequence_rules(context)
    add_workload_rules(context)
    complaints = complaint_literals(context)
    add_complaint_rules(context, complaints)
    if diagnose:
        return context
    if stage == "shifts":
        add_aggregate_coverage(context, demand)
    else:
        add_interval_coverage(context, demand)
    add_shift_coverage(context)
    add_requests(context)
    add_forward_rotation(context)
    add_fairness(context, complaints, linear_mean=stage == "shifts")
    if keep is not None:
        add_change_penalty(context, keep)
    context.model.minimize(sum(p.expr for p in context.penalties))
    return context


def build_intraday(
    instance: Instance,
    chosen: dict[tuple[int, int], Shift],
    demand: dict[tuple[int, str], int],
    relaxed: Iterable[str] = (),
    baseline: dict[tuple[int, str], int] | None = None,
    carried: dict[int, dict[str, float]] | None = None,
) -> ModelContext:
    """Breaks and queues for shifts already chosen (one day of the staged method)."""
    context = ModelContext(instance, relaxed=relaxed, stage="intraday")
    add_chosen_shifts(context, chosen)
    add_activities(context, demand)
    complaints = complaint_literals(context)
    add_complaint_rules(context, complaints)
    add_interval_coverage(context, demand, baseline)
    add_fairness(
        context,
        complaints,
        only=frozenset({"fair_complaint_hours"}),
        carried=carried,
        expected_complaint_slots=_complaint_slots_wanted(context, complaints, demand, baseline),
    )
    context.model.minimize(sum(p.expr for p in context.penalties))
    return context


def unworkable_shifts(instance: Instance, relaxed: Iterable[str] = ()) -> set[tuple[int, str]]:
    """(agent, shift_id) pairs whose breaks and call limits can never all hold.

    Agents with the same usable queues share the answer; each (queues, shift) pair is tried once
    on a one-agent intraday model without demand.
    """
    if not instance.queues:
        return set()
    probe = ModelContext(instance, relaxed=relaxed)
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for agent in range(len(probe.agents)):
        groups[tuple(usable_queues(probe, agent))].append(agent)
    found: set[tuple[int, str]] = set()
    for queues, members in groups.items():
        if not queues:
            continue
        for shift in instance.shifts:
            context = build_intraday(instance, {(members[0], 0): shift}, {}, relaxed=relaxed)
            solver = make_solver()
            solver.parameters.num_workers = 1
            solver.parameters.max_deterministic_time = 5.0
            if solver.solve(context.model) == cp_model.INFEASIBLE:
                found.update((agent, shift.shift_id) for agent in members)
    return found


def _complaint_slots_wanted(context, complaints, demand, baseline) -> int:
    """Agent-slots of complaint demand today's agents can take: per slot, the demand still
    open on complaint queues, at most the agents who could take it."""
    complaint = {q.queue_id for q in context.instance.queues if q.complaint}
    able: dict[int, int] = defaultdict(int)
    for slots in complaints.values():
        for slot in slots:
            able[slot] += 1
    baseline = baseline or {}
    wanted = 0
    for slot, agents in able.items():
        open_demand = sum(
            max(0, demand.get((slot, queue), 0) - baseline.get((slot, queue), 0))
            for queue in complaint
        )
        wanted += min(agents, open_demand)
    return wanted
