"""The head-count plan: how many agents of each group work each shift on each day, with their
breaks and queue flows, as a mixed-integer program solved by HiGHS (through highspy: unlike
OR-Tools' wrapper it returns the best plan found when the time limit ends the search).

It is the shift stage's aggregate coverage model (scheduler.solver.aggregate) without named
agents. Agents of a group who may work the same shifts are one type; per type and day the plan
staffs no more shifts than members are available, and per week no more days and hours (nor fewer
hours) than the members' contracts add up to. Each of these sums is implied by the per-agent
rules, so any roster's counts satisfy the plan's constraints:

- its LP relaxation, minimising the agent-intervals short of demand, is a proven floor on the
  shortfall of any roster of this team, hence a ceiling on coverage;
- the MIP's best bound is a proven floor on the coverage penalties, hence on the objective (every
  other penalty term is at least 0);
- the MIP's solution is a plan the named agents are assigned to (scheduler.solver.assign).

Rest, runs of days and nights and other per-agent sequencing rules are left out: they are what
the assignment of named agents adds.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

import highspy
import numpy as np

from scheduler.horizon import leave_dates, requests_by_type
from scheduler.model import RequestType
from scheduler.solver.aggregate import break_windows, complaint_cap, phone_queues, queue_groups
from scheduler.solver.context import ModelContext
from scheduler.solver.stopping import NEVER, StopSignal

MIP_RELATIVE_GAP = 1e-4
DUAL_SIMPLEX, PRIMAL_SIMPLEX = 1, 4  # HiGHS's simplex_strategy values


@dataclass
class HeadcountPlan:
    """A plan of head counts, and what it proves about every roster of the team."""

    # (group, day, shift_id) -> agents of the group planned on that shift
    workers: dict[tuple[int, int, str], int]
    required: float  # agent-intervals of demand inside the horizon
    planned_under: float  # agent-intervals short in the plan (None-free: inf if no plan)
    least_under: float  # proven: every roster is short by at least this many agent-intervals
    objective_bound: float  # proven floor on the objective, penalty units
    planned_objective: float  # coverage penalties of the plan, penalty units
    seconds: float
    optimal: bool = False
    stats: dict[str, float] = field(default_factory=dict)
    # interval -> agents required over every queue, the demand the head counts were planned for
    demand: dict[int, float] = field(default_factory=dict)

    @property
    def coverage_bound(self) -> float:
        """No roster of this team covers a larger share of demand (1.0 without demand)."""
        if self.required <= 0:
            return 1.0
        return max(0.0, 1.0 - self.least_under / self.required)

    @property
    def planned_coverage(self) -> float | None:
        if self.required <= 0:
            return 1.0
        if self.planned_under == math.inf:
            return None
        return max(0.0, 1.0 - self.planned_under / self.required)


class _Program:
    """The plan's columns and rows, collected in Python and handed to HiGHS in one go, so that
    the LP and the MIP share one build."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integers: list[int] = []
        self.rows: list[tuple[float, float, list[tuple[int, float]]]] = []
        self.under: list[int] = []
        self.over: list[tuple[float, int]] = []  # (coefficient, column) counted as excess
        self.under_constant = 0.0

    def column(self, low: float, high: float = math.inf, integer: bool = False) -> int:
        self.lower.append(low)
        self.upper.append(high)
        if integer:
            self.integers.append(len(self.lower) - 1)
        return len(self.lower) - 1

    def row(self, terms: list[tuple[int, float]], low: float = -math.inf, high=math.inf) -> None:
        if terms:
            self.rows.append((low, high, terms))

    def equal(self, left: list[int], right: list[int]) -> None:
        """sum(left) == sum(right)"""
        self.row([(c, 1.0) for c in left] + [(c, -1.0) for c in right], 0.0, 0.0)

    def highs(self, seconds: float) -> highspy.Highs:
        """A HiGHS instance holding the program (continuous; see `solve`)."""
        solver = _quiet_highs()
        solver.setOptionValue("time_limit", max(seconds, 0.1))
        solver.setOptionValue("mip_rel_gap", MIP_RELATIVE_GAP)
        solver.setOptionValue("threads", 1)
        inf = highspy.kHighsInf
        count = len(self.lower)
        bounds = [np.array([_finite(v, inf) for v in side]) for side in (self.lower, self.upper)]
        solver.addCols(count, np.zeros(count), bounds[0], bounds[1], 0, [], [], [])
        starts, index, value = [], [], []
        for _, _, terms in self.rows:
            starts.append(len(index))
            for column, coefficient in terms:
                index.append(column)
                value.append(coefficient)
        solver.addRows(
            len(self.rows),
            np.array([_finite(low, inf) for low, _, _ in self.rows]),
            np.array([_finite(high, inf) for _, high, _ in self.rows]),
            len(index),
            np.array(starts, dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.array(value),
        )
        return solver

    def set_objective(self, solver: highspy.Highs, costs: dict[int, float]) -> None:
        columns = np.array(sorted(costs), dtype=np.int32)
        solver.changeColsCost(len(columns), columns, np.array([costs[c] for c in columns]))

    def set_integer(self, solver: highspy.Highs, integer: bool) -> None:
        kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        columns = np.array(self.integers, dtype=np.int32)
        solver.changeColsIntegrality(len(columns), columns, np.array([kind] * len(columns)))


def _finite(value: float, inf: float) -> float:
    if value == math.inf:
        return inf
    return -inf if value == -math.inf else value


def _quiet_highs() -> highspy.Highs:
    """A silent HiGHS instance. Its first construction in a process prints a banner straight to
    the C-level standard output, which would land in the middle of the progress lines."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        solver = highspy.Highs()
        solver.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    return solver


class _Cancel:
    """Lets a StopSignal stop a running HiGHS solve."""

    def __init__(self, solver: highspy.Highs) -> None:
        self.solver = solver

    def stop_search(self) -> None:
        self.solver.cancelSolve()


class HeadcountPlanner:
    """The plan's program, built once, solved as an LP (fast: a bound and rounded head counts)
    and, when time allows, as a MIP (whole head counts, a stronger objective bound)."""

    def __init__(self, context: ModelContext, demand: dict[tuple[int, str], int]) -> None:
        started = time.perf_counter()
        self.context = context
        self.program = _Program()
        self.heads = _build(context, demand, self.program)
        end = context.horizon.days * context.horizon.slots_per_day
        self.required = float(sum(v for (slot, _), v in demand.items() if slot < end and v > 0))
        self.demand: dict[int, float] = defaultdict(float)
        for (slot, _), need in demand.items():
            self.demand[slot] += max(need, 0)
        self.solver = self.program.highs(1.0)
        self.solver.HandleUserInterrupt = True
        self.least_under = 0.0  # proven once the LP is solved
        self.stats = {
            "plan_variables": float(len(self.program.lower)),
            "plan_rows": float(len(self.program.rows)),
            "plan_build_seconds": time.perf_counter() - started,
        }

    def _costs(self) -> dict[int, float]:
        rules = self.context.rules
        costs: dict[int, float] = {column: rules.weight_under for column in self.program.under}
        for coefficient, column in self.program.over:
            costs[column] = costs.get(column, 0.0) + coefficient
        return costs

    def _run(self, seconds: float, stop: StopSignal) -> bool:
        """Solve the program as it stands; True when solved to optimality."""
        # HiGHS measures its time limit on a clock that runs from the instance's creation.
        self.solver.setOptionValue("time_limit", self.solver.getRunTime() + max(seconds, 0.1))
        with stop.running(_Cancel(self.solver)):
            self.solver.run()
        return self.solver.getModelStatus() == highspy.HighsModelStatus.kOptimal

    def relaxed(self, seconds: float, stop: StopSignal = NEVER) -> HeadcountPlan:
        """The LP relaxation twice: the least shortfall any roster can have (the coverage
        bound), then the coverage penalties, whose head counts, rounded, are the plan.

        Interior point solves these LPs two to four times faster than the dual simplex
        (measured: 16 s against 64 s on four weeks of 116 agents)."""
        started = time.perf_counter()
        program, solver = self.program, self.solver
        solver.setOptionValue("solver", "ipm")
        program.set_objective(solver, {column: 1.0 for column in program.under})
        least_under = program.under_constant
        if self._run(seconds, stop):
            least_under += max(solver.getInfo().objective_function_value, 0.0)
        else:
            least_under = 0.0  # no proof within the time
        self.least_under = least_under
        self.stats["plan_lp_seconds"] = time.perf_counter() - started
        plan = self._plan(started)
        if stop.requested:
            return plan
        # The first LP's optimal basis stays primal feasible under the new costs: the primal
        # simplex goes on from it (four weeks of 116 agents: 1.6 s, against 22 s from scratch).
        solver.setOptionValue("solver", "simplex")
        solver.setOptionValue("simplex_strategy", PRIMAL_SIMPLEX)
        program.set_objective(solver, self._costs())
        remaining = seconds - (time.perf_counter() - started)
        if self._run(remaining, stop):
            value = solver.getInfo().objective_function_value + self._constant()
            plan.objective_bound = max(plan.objective_bound, value)
            values = np.array(solver.getSolution().col_value)
            plan.workers = _head_counts(self.heads, values)
            # The LP's shortfall: the rounded head counts are a guide for the assignment.
            plan.planned_under = program.under_constant + float(values[program.under].sum())
            plan.planned_objective = value
        plan.seconds = time.perf_counter() - started
        return plan

    def integral(self, seconds: float, stop: StopSignal = NEVER) -> HeadcountPlan:
        """The MIP on the head counts (break counts and flows stay continuous: the intraday
        stage places the breaks): the best plan by the coverage penalties found in time."""
        started = time.perf_counter()
        program, solver = self.program, self.solver
        solver.setOptionValue("solver", "choose")
        solver.setOptionValue("simplex_strategy", DUAL_SIMPLEX)
        program.set_objective(solver, self._costs())
        program.set_integer(solver, True)
        solved = self._run(seconds, stop)
        info = solver.getInfo()
        plan = self._plan(started)
        dual = info.mip_dual_bound
        if math.isfinite(dual) and abs(dual) < highspy.kHighsInf:
            plan.objective_bound = max(plan.objective_bound, dual + self._constant())
        if info.primal_solution_status == 2:  # a feasible point
            values = np.array(solver.getSolution().col_value)
            plan.workers = _head_counts(self.heads, values)
            plan.planned_under = program.under_constant + float(values[program.under].sum())
            plan.planned_objective = info.objective_function_value + self._constant()
            plan.optimal = solved
        plan.seconds = time.perf_counter() - started
        return plan

    def _constant(self) -> float:
        return self.context.rules.weight_under * self.program.under_constant

    def _plan(self, started: float) -> HeadcountPlan:
        return HeadcountPlan(
            workers={},
            required=self.required,
            planned_under=math.inf,
            least_under=self.least_under,
            objective_bound=self.context.rules.weight_under * self.least_under,
            planned_objective=math.inf,
            seconds=time.perf_counter() - started,
            stats=self.stats,
            demand=self.demand,
        )


def plan_headcount(
    context: ModelContext,
    demand: dict[tuple[int, str], int],
    seconds: float,
    integer: bool = True,
    stop: StopSignal = NEVER,
) -> HeadcountPlan | None:
    """The head-count plan of a built shift-stage model within about `seconds`: the LP's
    rounded, or with `integer` the MIP's when it finds one. None when the instance has no
    interval demand (ShiftDemand, or no queues)."""
    if not plannable(context):
        return None
    started = time.perf_counter()
    planner = HeadcountPlanner(context, demand)
    plan = planner.relaxed(seconds, stop)
    if integer and not stop.requested:
        whole = planner.integral(seconds - (time.perf_counter() - started), stop)
        whole.objective_bound = max(whole.objective_bound, plan.objective_bound)
        if whole.workers:
            plan = whole
    plan.seconds = time.perf_counter() - started
    return plan


def plannable(context: ModelContext) -> bool:
    """Whether the instance has interval demand on queues, which the plan covers."""
    return context.instance.demand_kind != "shift" and bool(context.instance.queues)


def _head_counts(heads: dict[tuple, int], values: np.ndarray) -> dict[tuple[int, int, str], int]:
    """Agents per (group, day, shift_id), the types' head counts rounded."""
    workers: dict[tuple[int, int, str], int] = defaultdict(int)
    for (_, group, day, shift_id, _), column in heads.items():
        workers[(group, day, shift_id)] += round(values[column])
    return dict(workers)


def _build(context: ModelContext, demand, program: _Program) -> dict[tuple, int]:
    """Columns and rows of the plan; returns its head-count columns by ("y", group, day,
    shift_id, type)."""
    horizon = context.horizon
    interval = horizon.interval
    complaint = {q.queue_id for q in context.instance.queues if q.complaint}
    heads: dict[tuple, int] = {}
    scheduled: dict[tuple[int, str], list[int]] = defaultdict(list)
    pinned = _pinned(context)
    workable = {agent: _workable(context, agent) for agent in range(len(context.agents))}
    for group, (queues, members) in enumerate(queue_groups(context)):
        staffed: dict[tuple[int, str], list[int]] = defaultdict(list)  # (day, shift) -> types
        for kind, type_members in enumerate(_types(context, members, workable)):
            for (day, shift_id), column in _add_type(
                context, program, type_members, pinned, workable
            ).items():
                heads[("y", group, day, shift_id, kind)] = column
                staffed[(day, shift_id)].append(column)
        for day in context.days:
            phone: dict[int, list[tuple[int, float]]] = defaultdict(list)
            capacity: list[tuple[int, float]] = []
            for shift in context.instance.shifts:
                counts = staffed.get((day, shift.shift_id))
                if not counts:
                    continue
                slots = horizon.shift_slots(shift, day)
                cap = complaint_cap(context, shift, slots, queues, complaint, demand)
                if cap:
                    capacity.extend((column, -cap) for column in counts)
                for slot in slots:
                    phone[slot].extend((column, 1.0) for column in counts)
                if not context.enabled("breaks"):
                    continue
                for options in break_windows(shift, slots, interval):
                    starts = []
                    for covered in options.values():
                        column = program.column(0.0)
                        starts.append(column)
                        for slot in covered:
                            phone[slot].append((column, -1.0))
                    program.equal(starts, counts)
            complaint_flows = []
            for slot, parts in sorted(phone.items()):
                flows = []
                for queue_id in phone_queues(queues, complaint, demand, slot):
                    column = program.column(0.0)
                    flows.append((column, 1.0))
                    scheduled[(slot, queue_id)].append(column)
                    if queue_id in complaint:
                        complaint_flows.append((column, 1.0))
                program.row(flows + [(c, -v) for c, v in parts], 0.0, 0.0)
            if complaint_flows:
                program.row(complaint_flows + capacity, high=0.0)
    _add_coverage(context, program, demand, scheduled)
    return heads


def _types(context: ModelContext, members: list[int], workable) -> list[list[int]]:
    """Members who may work the same shifts on the same days form one type."""
    types: dict[frozenset, list[int]] = defaultdict(list)
    for agent in members:
        shifts = frozenset((day, s) for day, found in workable[agent].items() for s in found)
        if shifts:
            types[shifts].append(agent)
    return [types[key] for key in sorted(types, key=sorted)]


def _workable(context: ModelContext, agent: int) -> dict[int, list[str]]:
    """day -> shifts the agent may work, after what the history before the horizon rules out
    (rest after the last shift and after a run of nights, runs already at their cap)."""
    terms = context.terms[agent]
    person = terms.agent
    rules = context.rules
    last_end = None
    if person.last_shift_end is not None:
        last_end = context.horizon.minute_of(person.last_shift_end)
    night_run_full = (
        context.enabled("max_consecutive_nights")
        and person.nights_before >= terms.max_consecutive_nights
    )
    day_run_full = (
        context.enabled("max_consecutive_days")
        and person.consecutive_days_before >= terms.max_consecutive_days
    )
    can_continue_nights = not night_run_full and any(
        o.shift.night for o in context.day_occurrences(agent, 0)
    )
    found: dict[int, list[str]] = {}
    for day in context.days:
        allowed = []
        for occurrence in context.day_occurrences(agent, day):
            if day == 0 and (day_run_full or (occurrence.shift.night and night_run_full)):
                continue
            if last_end is not None:
                gap = occurrence.start - last_end
                if context.enabled("min_rest_hours") and gap < rules.min_rest_hours * 60:
                    continue
                if (
                    person.nights_before > 0
                    and context.enabled("rest_after_nights_hours")
                    and gap < rules.rest_after_nights_hours * 60
                    and (not can_continue_nights or (day == 0 and not occurrence.shift.night))
                ):
                    continue
            allowed.append(occurrence.shift.shift_id)
        found[day] = allowed
    return found


def _first_days_cap(context: ModelContext, agent: int, first: int) -> int:
    """Most days the agent can work among the horizon's first days, given the run of days
    worked just before it (max_consecutive_days)."""
    terms = context.terms[agent]
    cap = terms.max_consecutive_days
    before = terms.agent.consecutive_days_before
    if not context.enabled("max_consecutive_days") or before + first <= cap:
        return first
    room = max(cap - before, 0)  # days before the first forced day off
    return first - 1 - (first - room - 1) // (cap + 1)


def _pinned(context: ModelContext) -> dict[tuple[int, int, str], bool]:
    """(agent, day, shift_id) of FIXED requests that hold."""
    if not context.enabled("fixed"):
        return {}
    horizon = context.horizon
    index = {a.agent_id: i for i, a in enumerate(context.agents)}
    found = {}
    for (agent_id, date), requests in requests_by_type(context.instance, RequestType.FIXED).items():
        day = horizon.day_of(date)
        if day is None or agent_id not in index:
            continue
        for request in requests:
            found[(index[agent_id], day, request.shift_id)] = True
    return found


def _add_type(context, program: _Program, members, pinned, workable) -> dict[tuple[int, str], int]:
    """Head counts of one type per day and shift, within what its members can work."""
    horizon = context.horizon
    counts: dict[tuple[int, str], int] = {}
    for day in context.days:
        eligible: dict[str, int] = defaultdict(int)
        fixed: dict[str, int] = defaultdict(int)
        available = 0
        for agent in members:
            found = workable[agent][day]
            available += bool(found)
            for shift_id in found:
                eligible[shift_id] += 1
                fixed[shift_id] += pinned.get((agent, day, shift_id), False)
        for shift_id, most in eligible.items():
            counts[(day, shift_id)] = program.column(fixed[shift_id], most, integer=True)
        day_counts = [(counts[(day, s)], 1.0) for s in eligible]
        if len(day_counts) > 1 and context.enabled("one_shift_per_day"):
            program.row(day_counts, high=available)
    paid = {shift.shift_id: shift.paid_minutes for shift in context.instance.shifts}
    leave = leave_dates(context.instance)
    for block in horizon.week_blocks:
        days = list(block.days)
        terms = [(counts[k], paid[k[1]]) for k in counts if k[0] in block.days]
        if not terms:
            continue
        # Each member works a whole number of shifts: hours bound the count per member, which
        # is tighter than the hours summed over the type.
        shortest = min((paid[k[1]] for k in counts if k[0] in block.days), default=0)
        longest = max((paid[k[1]] for k in counts if k[0] in block.days), default=0)
        most_days = least_days = most_minutes = least_minutes = 0
        for agent in members:
            agent_terms = context.terms[agent]
            min_hours, max_hours, max_days = agent_terms.week_limits(block)
            open_days = sum(1 for d in days if workable[agent][d])
            agent_days = min(max_days, open_days) if context.enabled("max_days_week") else open_days
            agent_most = math.floor(max_hours * 60 + 1e-9)
            if context.enabled("max_hours_week") and shortest > 0:
                agent_days = min(agent_days, agent_most // shortest)
            most_days += agent_days
            most_minutes += agent_most
            if min_hours is not None and context.enabled("min_hours_week"):
                person = agent_terms.agent
                leave_days = sum(1 for d in days if (person.agent_id, horizon.dates[d]) in leave)
                credit = leave_days * context.rules.leave_hours * person.fte * 60
                agent_least = max(0, math.ceil(min_hours * 60 - credit - 1e-9))
                least_minutes += agent_least
                if longest > 0:
                    least_days += min(-(-agent_least // longest), agent_days)
        program.row([(column, 1.0) for column, _ in terms], low=least_days, high=most_days)
        if context.enabled("max_hours_week"):
            program.row(terms, high=most_minutes)
        if least_minutes:
            program.row(terms, low=least_minutes)
    for first in range(1, len(context.days) + 1):
        cap = sum(_first_days_cap(context, agent, first) for agent in members)
        if cap < first * len(members):
            program.row([(c, 1.0) for (day, _), c in counts.items() if day < first], high=cap)
    _add_totals(context, program, members, counts, paid)
    return counts


def _add_totals(context, program: _Program, members, counts, paid) -> None:
    """min/max_total_hours and max_shifts, summed over the type's members."""
    people = [context.terms[a].agent for a in members]
    worked = [(column, float(paid[shift_id])) for (_, shift_id), column in counts.items()]
    if context.enabled("max_total_hours") and all(p.max_total_hours is not None for p in people):
        most = sum(math.floor(p.max_total_hours * 60 + 1e-9) for p in people)
        program.row(worked, high=most)
    if context.enabled("min_total_hours"):
        least = sum(math.ceil(p.min_total_hours * 60 - 1e-9) for p in people if p.min_total_hours)
        if least > 0:
            program.row(worked, low=least)
    if not context.enabled("max_shifts"):
        return
    limited = {shift_id for p in people for shift_id in p.max_shifts}
    for shift_id in limited:
        columns = [(column, 1.0) for (_, s), column in counts.items() if s == shift_id]
        most = sum(p.max_shifts.get(shift_id, len(context.days)) for p in people)
        program.row(columns, high=most)


def _add_coverage(context, program: _Program, demand, scheduled) -> None:
    """Shortfall and excess per interval and queue, as the shift stage counts them."""
    weight_over = context.rules.weight_over
    end = context.horizon.days * context.horizon.slots_per_day
    keys = {key for key in scheduled if key[0] < end} | {
        k for k, v in demand.items() if v > 0 and k[0] < end
    }
    for key in sorted(keys):
        terms = [(column, 1.0) for column in scheduled.get(key, [])]
        need = demand.get(key, 0)
        if not terms:
            program.under_constant += max(need, 0)
            continue
        if need > 0:
            under = program.column(0.0, need)
            program.row([(under, 1.0), *terms], low=need)  # under >= need - scheduled
            program.under.append(under)
        if not weight_over:
            continue
        if need <= 0:
            program.over.extend((weight_over, column) for column, _ in terms)
        else:
            over = program.column(0.0)
            program.row([(over, 1.0)] + [(c, -1.0) for c, _ in terms], low=-need)
            program.over.append((weight_over, over))
