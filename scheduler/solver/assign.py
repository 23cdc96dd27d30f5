"""Named agents onto the head-count plan: the shift stage's first roster at real sizes.

The shift stage's coverage is counted per group through break counts and queue flows; CP-SAT
finds that model hard to fill well once a centre has more than a few dozen agents. The plan
(scheduler.solver.plan) has already decided, per group, day and shift, how many agents to staff.
Here CP-SAT assigns named agents to those head counts under every per-agent hard rule: a clone
of the shift-stage model whose objective is only a cost per agent short of, or beyond, each
planned head count, less what one agent beyond it would cover where the plan leaves demand short
(the plan ignores rest and runs of days, so some planned shifts find no agent; the agents they
leave idle go where they still cover calls). The soft rules are left to the search that follows.
The roster found is then completed
(break counts and flows chosen for those shifts, in the shift-stage model itself) and handed to
the search as its first incumbent.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.solver.context import ModelContext, scaled
from scheduler.solver.plan import HeadcountPlan
from scheduler.solver.search import Budget, configure, solve_fixed
from scheduler.solver.stopping import StopSignal, make_solver

# An agent beyond a planned head count costs this share of one short of it: extra agents help
# coverage, but the days and hours they use were planned elsewhere.
EXTRA_SHARE = 0.2


@dataclass
class Assigned:
    """A complete shift-stage solution built on the plan."""

    values: list[int]
    objective: int  # the shift-stage objective of these values, in SCALE units
    short: int  # agents short of the plan's head counts, over all groups, days and shifts
    seconds: float


def assign_to_plan(
    context: ModelContext,
    plan: HeadcountPlan,
    assign_budget: Budget,
    complete_budget: Budget,
    stop: StopSignal,
    start: list[int] | None = None,
) -> Assigned | None:
    """A full shift-stage solution whose shifts follow the plan as closely as the per-agent
    rules allow; None when none was found within the budgets. `start`, a full shift-stage
    solution, is where the search for the assignment starts (a hint)."""
    shifts, short = _assign_shifts(context, plan, assign_budget, stop, start)
    if shifts is None or stop.requested:
        return None
    values, objective, seconds = _complete(context, shifts, complete_budget, stop)
    if values is None:
        # Not completed in time: the shifts still guide the search, as a hint.
        _hint(context, shifts)
        return None
    return Assigned(values=values, objective=objective, short=short, seconds=seconds)


def _hint(context: ModelContext, shifts: list[tuple[int, int]]) -> None:
    proto = context.model.proto
    proto.clear_solution_hint()
    proto.solution_hint.vars.extend(index for index, _ in shifts)
    proto.solution_hint.values.extend(value for _, value in shifts)


def _shift_cost(context: ModelContext, shift) -> int:
    """What one planned agent missing from a shift costs: the agent-intervals it would have
    been on the phone, at the weight of an interval short of demand."""
    on_phone = _phone_minutes(shift)
    return max(scaled(context.rules.weight_under, on_phone // context.horizon.interval), 1)


def _marginal_values(context, plan) -> dict[tuple[int, str], float]:
    """(day, shift_id) -> agent-intervals of demand one more agent on that shift would cover
    beyond the plan's head counts of every group (each agent on the phone for the shift's
    length less its breaks; queues and groups are not told apart)."""
    horizon = context.horizon
    demand = plan.demand
    shifts = context.instance.shift_by_id
    supply: dict[int, float] = {}
    for (_, day, shift_id), count in plan.workers.items():
        shift = shifts[shift_id]
        share = _phone_share(shift)
        for slot in horizon.shift_slots(shift, day):
            supply[slot] = supply.get(slot, 0.0) + count * share
    found = {}
    for day in context.days:
        for shift in context.instance.shifts:
            share = _phone_share(shift)
            gained = 0.0
            for slot in horizon.shift_slots(shift, day):
                short = demand.get(slot, 0.0) - supply.get(slot, 0.0)
                gained += min(share, max(0.0, short))
            found[(day, shift.shift_id)] = gained
    return found


def _phone_minutes(shift) -> int:
    return shift.duration_minutes - sum(b.minutes for b in shift.breaks)


def _phone_share(shift) -> float:
    minutes = shift.duration_minutes
    return max(_phone_minutes(shift), 0) / minutes if minutes else 0.0


def _assign_shifts(
    context, plan, budget, stop, start=None
) -> tuple[list[tuple[int, int]] | None, int]:
    """(variable index, value) for every shift literal, and the agents short of the plan."""
    model = context.model.clone()
    _drop_coverage(context, model)
    model.proto.clear_solution_hint()
    if start is not None:
        indexes = [o.var.index for o in context.all_occurrences()]
        model.proto.solution_hint.vars.extend(indexes)
        model.proto.solution_hint.values.extend(start[i] for i in indexes)
    members: dict[int, list[int]] = {}
    for agent, group in context.group_of.items():
        members.setdefault(group, []).append(agent)
    # Only the head counts: the soft rules cost little beside coverage, and CP-SAT fills the
    # plan better without them; the search and the fairness steps that follow weigh them all.
    terms: list = []
    shorts = []
    shift_by_id = context.instance.shift_by_id
    literals: dict[tuple[int, int, str], list[cp_model.IntVar]] = {}
    for group, agents in members.items():
        for agent in agents:
            for day in context.days:
                for occurrence in context.day_occurrences(agent, day):
                    key = (group, day, occurrence.shift.shift_id)
                    literals.setdefault(key, []).append(occurrence.var)
    values = _marginal_values(context, plan)
    for key, found in sorted(literals.items()):
        target = min(plan.workers.get(key, 0), len(found))
        cost = _shift_cost(context, shift_by_id[key[2]])
        gained = values.get((key[1], key[2]), 0.0)
        if target > 0:
            short = model.new_int_var(0, target, f"short{key}")
            model.add(short >= target - sum(found))
            terms.append(cost * short)
            shorts.append(short)
        if len(found) > target:
            extra = model.new_int_var(0, len(found) - target, f"extra{key}")
            model.add(extra >= sum(found) - target)
            terms.append(max(round(cost * EXTRA_SHARE), 1) * extra)
            reward = scaled(context.rules.weight_under, gained)
            if reward > cost * EXTRA_SHARE:
                # One more agent where the plan leaves demand short is worth what it covers:
                # it takes up capacity that planned shifts no agent could fill have left idle.
                first = model.new_bool_var(f"first_extra{key}")
                model.add(first <= extra)
                terms.append(-reward * first)
    model.minimize(sum(terms))
    solver = make_solver()
    configure(solver, budget)
    with stop.running(solver):
        status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, 0
    shifts = [
        (occurrence.var.index, int(solver.boolean_value(occurrence.var)))
        for occurrence in context.all_occurrences()
    ]
    return shifts, sum(int(solver.value(s)) for s in shorts)


def _drop_coverage(context: ModelContext, model: cp_model.CpModel) -> None:
    """Remove the aggregate coverage count (break counts, flows, shortfalls and their rows):
    the head-count targets stand in for it, and CP-SAT then has only per-agent rules to solve."""
    counted = {var.index for var in context.aggregate_vars.values()}
    for scoped in context.scoped.values():
        counted.update(var.index for var in scoped)
    for constraint in model.proto.constraints:
        if not constraint.has_linear():
            continue
        linear = constraint.linear
        if any((ref if ref >= 0 else -ref - 1) in counted for ref in linear.vars):
            # An empty sum in [0, 0]: the row stays in place (indices unchanged) but binds nothing.
            linear.vars.clear()
            linear.coeffs.clear()
            linear.domain.clear()
            linear.domain.extend([0, 0])


def _complete(context, shifts, budget, stop) -> tuple[list[int] | None, int, float]:
    """The shift-stage model's best solution with these shifts fixed: break counts, flows and
    every penalty follow from them."""
    solver, status = solve_fixed(context.model, shifts, budget, stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, 0, solver.wall_time
    return list(solver.response_proto.solution), round(solver.objective_value), solver.wall_time
