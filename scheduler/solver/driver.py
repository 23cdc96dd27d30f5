"""Solve an instance: run the models the rule modules build and read the roster back.

Two methods share the rule modules (docs/DESIGN.md has the measurements behind the default):
- staged (default): a shift stage decides who works which shift, with coverage counted per group
  of interchangeable agents; then an intraday stage per day places breaks and queues, with the
  agents of earlier days counted as already scheduled.
- integrated: one model with shifts, breaks and queues per agent.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduler.errors import InfeasibleError
from scheduler.model import Activity, Assignment, Instance, Roster, Shift
from scheduler.solver.assemble import build, build_intraday, unworkable_shifts
from scheduler.solver.assign import assign_to_plan
from scheduler.solver.break_start import greedy_break_starts, start_from_breaks
from scheduler.solver.changes import Keep, published_solution
from scheduler.solver.context import SCALE, ModelContext, Occurrence, evaluate
from scheduler.solver.coverage import demand_by_slot
from scheduler.solver.diagnosis import explain_infeasibility
from scheduler.solver.fair_share import fairness_steps, share_fairly
from scheduler.solver.fairness import exact_variance, tangent_slack
from scheduler.solver.plan import HeadcountPlanner, plannable
from scheduler.solver.search import Budget, Outcome, Progress, search
from scheduler.solver.stopping import NEVER, StopSignal

METHODS = ("staged", "integrated")
# After an interruption, each remaining day's breaks and queues get this much search.
FINISH_BUDGET = Budget(seconds=5.0, deterministic=None, workers=1, seed=0, first_only=True)
FINISH_DETERMINISTIC = 2.0  # the same under a deterministic limit, in deterministic seconds
COVERAGE_FIRST_SHARE = 0.7  # of a day's time, for coverage before the complaint-hours shares
BREAKS_FIXED_SHARE = 0.4  # of the coverage share, at most, to choose queues for the placed breaks
SHIFT_STAGE_SHARE = 0.8  # of the time limit; the days' intraday solves share the rest
FAIR_SHARE = 0.25  # of the shift stage, for the lexicographic fairness steps
# Of the shift stage's search time: the head-count plan (HiGHS), named agents assigned to it
# and the completion of each roster so found (CP-SAT); the search gets the rest. The LP's plan
# is assigned first, briefly, for an early roster; then again from that roster, for longer:
# the assignment is where most coverage is won or lost (week-247: 17 planned shifts missed
# after 30 s against 24 after 8 s), and the search that follows gains little on it. The MIP's
# plan, assigned in place of the LP's, did worse on week-247 (docs/BENCHMARKS.md).
PLAN_SHARE = 0.3
FIRST_ASSIGN_SHARE = 0.1
SECOND_ASSIGN_SHARE = 0.5
ASSIGN_SHARE = 0.3  # the single assignment under a deterministic limit
COMPLETE_SHARE = 0.05
LAST_STAGE_SHARE = 0.1  # of the time limit kept for breaks and queues when shifts came late
PUBLISHED_SHARE = 0.1  # of a re-roster's shift search, at most, to complete the published roster


class NoRosterFound(Exception):
    """The search ended (time limit or interruption) before any roster was found."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class SolveOptions:
    """How to run the search; None means the instance's Settings value."""

    time_limit: float | None = None
    workers: int | None = None
    seed: int | None = None
    deterministic_time: float | None = None
    relaxed: frozenset[str] = frozenset()
    method: str = "staged"
    log_search: bool = False
    stop: StopSignal = NEVER
    # A roster to start from, (agent_id, date) -> shift_id, e.g. the baseline of a what-if
    # scenario; the search repairs it where the scenario's rules differ.
    hint: dict | None = None
    # A re-roster: the published roster's past is kept and each change costs change_weight.
    keep: Keep | None = None


@dataclass
class SolveResult:
    """What a solve produced: the roster and how good it is known to be.

    `objective` is the model's value of the roster and `bound` a proven lower bound on the
    objective of any roster (from the shift stage, whose coverage count is a relaxation).
    """

    status: str
    roster: Roster
    objective: float
    bound: float
    seconds: float
    penalties: dict[str, float]
    stats: dict[str, float] = field(default_factory=dict)
    method: str = "staged"
    interrupted: bool = False
    # fairness rule -> (penalty reached, proven the least possible with this staffing)
    fairness: dict[str, tuple[float, bool]] = field(default_factory=dict)
    # proven: no roster of this team covers more of the demand (share of agent-intervals)
    coverage_bound: float | None = None


def solve(
    instance: Instance,
    options: SolveOptions | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> SolveResult:
    """Build a roster; raise InfeasibleError (explained) or NoRosterFound."""
    options = options or SolveOptions()
    if options.method not in METHODS:
        raise ValueError(f"unknown method {options.method!r}; use one of {', '.join(METHODS)}")
    if options.method == "integrated":
        return _solve_integrated(instance, options, progress)
    return _solve_staged(instance, options, progress)


def _budget(instance: Instance, options: SolveOptions) -> Budget:
    settings = instance.settings
    limit = options.time_limit if options.time_limit is not None else settings.time_limit_seconds
    workers = options.workers if options.workers is not None else settings.workers
    return Budget(
        seconds=float(limit),
        deterministic=options.deterministic_time,
        workers=workers if workers > 0 else (os.cpu_count() or 1),
        seed=options.seed if options.seed is not None else settings.seed,
        log=options.log_search,
    )


def _failure(instance: Instance, options: SolveOptions, status: int, budget: Budget, spent=None):
    if options.stop.requested:
        return NoRosterFound("the solve was interrupted before any roster was found")
    if status == cp_model.INFEASIBLE:
        conflicts, note = explain_infeasibility(instance, options.relaxed, keep=options.keep)
        return InfeasibleError(conflicts, note)
    seconds = budget.seconds if spent is None else spent
    return NoRosterFound(
        f"no roster was found in {seconds:.0f} s (the rules were not shown to "
        "conflict); allow more time with --time-limit"
    )


def _penalties(context: ModelContext, outcome: Outcome) -> dict[str, float]:
    """Each rule's penalty in the roster found; the fairness terms exactly, from the loads (the
    search's model took their squared mean by a tangent)."""
    assert outcome.values is not None
    totals: dict[str, float] = defaultdict(float)
    for penalty in context.penalties:
        if penalty.rule not in context.fairness_loads:
            totals[penalty.rule] += evaluate(penalty.expr, outcome.values) / SCALE
    for rule in {p.rule for p in context.penalties} & set(context.fairness_loads):
        loads = list(context.fairness_loads[rule].values())
        totals[rule] = exact_variance(loads, getattr(context.rules, rule), outcome.values)
    return dict(totals)


def _model_stats(context: ModelContext, built: float, outcome: Outcome) -> dict[str, float]:
    proto = context.model.proto
    return {
        "variables": float(len(proto.variables)),
        "constraints": float(len(proto.constraints)),
        "build_seconds": built,
        "first_solution_seconds": outcome.first_solution or 0.0,
    }


# --- integrated -------------------------------------------------------------------------------
def _solve_integrated(instance, options, progress) -> SolveResult:
    started = time.perf_counter()
    budget = _budget(instance, options)
    context = build(instance, relaxed=options.relaxed, keep=options.keep)
    built = time.perf_counter() - started
    budget.seconds = max(budget.seconds - built, 0.5)
    outcome = search(context, budget, "roster", progress, use_lns=False, stop=options.stop)
    if outcome.values is None:
        raise _failure(instance, options, outcome.status, budget)
    return SolveResult(
        interrupted=options.stop.requested,
        status="OPTIMAL" if outcome.optimal else "FEASIBLE",
        roster=extract_roster(context, outcome.value),
        objective=outcome.objective / SCALE,
        bound=outcome.bound / SCALE,
        seconds=time.perf_counter() - started,
        penalties=dict(sorted(_penalties(context, outcome).items())),
        stats=_model_stats(context, built, outcome)
        | {"first_roster_seconds": built + (outcome.first_solution or 0.0)},
        method="integrated",
    )


# --- staged -----------------------------------------------------------------------------------
def _solve_staged(instance, options, progress) -> SolveResult:
    started = time.perf_counter()
    budget = _budget(instance, options)
    unworkable = unworkable_shifts(instance, options.relaxed)
    context = build(
        instance, relaxed=options.relaxed, stage="shifts", unworkable=unworkable, keep=options.keep
    )
    if options.hint:
        _hint_shifts(context, options.hint)
    slack = tangent_slack(context)  # the search's bound is on terms this far above the exact
    built = time.perf_counter() - started
    # Without queues there is no intraday stage, and without fairness terms no fairness steps:
    # the shift stage's search then gets their share of the time too.
    shift_budget = budget.share(SHIFT_STAGE_SHARE if instance.queues else 1.0)
    if budget.deterministic is None:
        shift_budget.seconds = max(shift_budget.seconds - built, 0.5)
    if options.stop.requested:
        raise _failure(instance, options, cp_model.UNKNOWN, budget)
    # A re-roster skips the fairness steps: they move shifts between agents with the same
    # staffing, and every such move is a change to the published roster.
    fair_share = FAIR_SHARE if fairness_steps(context) and options.keep is None else 0.0
    search_budget = shift_budget.share(1 - fair_share)
    plan, assigned, first_at = None, None, None
    if not options.hint and options.keep is None:
        # A what-if scenario starts from its baseline roster instead, a re-roster from the
        # published one.
        plan, assigned, first_at = _plan_first(
            context, search_budget, options.stop, progress, started
        )
    if plan is not None:
        search_budget = _what_is_left(search_budget, time.perf_counter() - started - built)
    initial = (assigned.values, assigned.objective) if assigned else None
    if options.keep is not None and not options.stop.requested:
        initial = published_solution(
            context, options.keep, search_budget.share(PUBLISHED_SHARE), options.stop
        )
        if initial is not None and progress:
            elapsed = time.perf_counter() - started
            progress(Progress("shifts", elapsed, initial[1] / SCALE, None))
    searched = time.perf_counter() - started
    outcome = search(context, search_budget, "shifts", progress, stop=options.stop, initial=initial)
    left = budget.seconds * (1 - LAST_STAGE_SHARE) - (time.perf_counter() - started)
    searching = outcome.status != cp_model.INFEASIBLE and not options.stop.requested
    if outcome.values is None and budget.deterministic is None and left > 1.0 and searching:
        # No roster yet: the search keeps the time limit, save the last stage's share.
        again = replace(search_budget, seconds=left)
        outcome = search(context, again, "shifts", progress, stop=options.stop)
    if outcome.values is None:
        raise _failure(instance, options, outcome.status, budget, time.perf_counter() - started)
    stats = _model_stats(context, built, outcome)
    if plan is not None:
        stats.update(plan.stats)
        stats["plan_seconds"] = plan.seconds
    if first_at is None and outcome.first_solution is not None:
        first_at = searched + outcome.first_solution
    if first_at is not None:
        stats["first_roster_seconds"] = first_at  # from the start, the build included
    if assigned is not None:
        stats["plan_short_agents"] = float(assigned.short)
    fairness: dict[str, tuple[float, bool]] = {}
    if fair_share and not outcome.optimal and not options.stop.requested:
        if progress:
            progress(Progress("fair share", time.perf_counter() - started, None, None))
        fair_budget = shift_budget.share(FAIR_SHARE)
        if budget.deterministic is None:
            fair_budget.seconds = max(
                shift_budget.seconds + built - (time.perf_counter() - started), 0.5
            )
        sharing = time.perf_counter()
        shared = share_fairly(context, outcome.values, fair_budget, options.stop)
        stats["fair_share_seconds"] = time.perf_counter() - sharing
        outcome = replace(outcome, values=shared.values)
        fairness = {rule: (shared.penalties[rule], shared.proven[rule]) for rule in shared.proven}
    stats["shift_stage_seconds"] = time.perf_counter() - started
    penalties = _penalties(context, outcome)
    chosen: dict[int, dict[tuple[int, int], Shift]] = defaultdict(dict)
    assignments = []
    for (agent, day), found in sorted(context.occurrences.items()):
        for occurrence in found:
            if outcome.value(occurrence.var):
                chosen[day][(agent, day)] = occurrence.shift
                assignments.append(_assignment(context, occurrence))
    activities = None
    intraday_optimal = True
    if instance.queues:
        remaining = budget.seconds - (time.perf_counter() - started)
        days = _days_to_place(context, options.keep, chosen)
        if budget.deterministic is None:
            day_budget = replace(budget, seconds=max(remaining / days, 0.5))
        else:
            # One worker: the day models often have many optimal placements, and two
            # interleaved workers were seen to return different ones from run to run.
            day_budget = replace(
                budget,
                seconds=max(remaining, 1.0),
                deterministic=budget.deterministic * (1 - SHIFT_STAGE_SHARE) / days,
                workers=1,
            )
        activities, intraday, intraday_optimal = _intraday_days(
            instance, options, day_budget, chosen, progress
        )
        # The day models count interval coverage exactly; the shift stage's was an estimate.
        replaced = ["fair_complaint_hours"]
        if instance.demand_kind != "shift":
            replaced += ["weight_under", "weight_over"]
        for rule in replaced:
            penalties.pop(rule, None)
            if rule in intraday:
                penalties[rule] = intraday[rule]
    optimal = outcome.optimal and intraday_optimal
    objective = sum(penalties.values())
    bound = outcome.bound / SCALE - slack
    if plan is not None:
        bound = max(bound, plan.objective_bound)
    return SolveResult(
        status="OPTIMAL" if optimal and objective <= bound + 1e-6 else "FEASIBLE",
        roster=Roster(
            assignments=tuple(assignments),
            activities=None if activities is None else tuple(activities),
        ),
        objective=objective,
        bound=min(bound, objective),
        seconds=time.perf_counter() - started,
        penalties=dict(sorted(penalties.items())),
        stats=stats,
        method="staged",
        interrupted=options.stop.requested,
        fairness=fairness,
        coverage_bound=plan.coverage_bound if plan is not None else None,
    )


def _plan_first(context, budget: Budget, stop: StopSignal, progress, started: float):
    """The head-count plan, and named agents assigned to it as the search's first roster:
    (plan, assigned roster or None, seconds to the first roster or None)."""
    if stop.requested or not plannable(context):
        return None, None, None
    plan_seconds = budget.seconds * PLAN_SHARE
    planner = HeadcountPlanner(context, demand_by_slot(context))
    plan = planner.relaxed(plan_seconds, stop)
    if progress:
        progress(
            Progress(
                "plan",
                time.perf_counter() - started,
                None,
                None,
                coverage=plan.planned_coverage,
                coverage_bound=plan.coverage_bound,
            )
        )
    if not plan.workers or stop.requested:
        return plan, None, None

    def report(assigned) -> None:
        if progress:
            elapsed = time.perf_counter() - started
            progress(Progress("shifts", elapsed, assigned.objective / SCALE, None))

    complete = budget.share(COMPLETE_SHARE)
    complete.seconds = max(complete.seconds, 5.0)
    first_share = FIRST_ASSIGN_SHARE if budget.deterministic is None else ASSIGN_SHARE
    best = assign_to_plan(context, plan, budget.share(first_share), complete, stop)
    first_at = time.perf_counter() - started if best else None
    if best:
        report(best)
    if budget.deterministic is not None or stop.requested:
        return plan, best, first_at
    # The same plan again, from the first roster, with the longer share.
    hint = best.values if best else None
    second = assign_to_plan(context, plan, budget.share(SECOND_ASSIGN_SHARE), complete, stop, hint)
    if second and (best is None or second.objective < best.objective):
        if first_at is None:
            first_at = time.perf_counter() - started
        best = second
        report(best)
    return plan, best, first_at


def _what_is_left(budget: Budget, spent: float) -> Budget:
    """The search's part of the shift stage once the plan and the assignment have run."""
    if budget.deterministic is not None:
        return budget.share(1 - PLAN_SHARE - ASSIGN_SHARE - COMPLETE_SHARE)
    return replace(budget, seconds=max(budget.seconds - spent, 0.5))


def _hint_shifts(context: ModelContext, worked: dict) -> None:
    """Hint every shift literal from a known roster (1 where it worked that shift, else 0)."""
    horizon = context.horizon
    variables, values = [], []
    for occurrence in context.all_occurrences():
        key = (context.agent_id(occurrence.agent), horizon.dates[occurrence.day])
        variables.append(occurrence.var.index)
        values.append(int(worked.get(key) == occurrence.shift.shift_id))
    proto = context.model.proto
    proto.clear_solution_hint()
    proto.solution_hint.vars.extend(variables)
    proto.solution_hint.values.extend(values)


def _intraday_days(instance, options, day_budget, chosen, progress):
    """Breaks and queues day by day; earlier days' agents count as already scheduled.

    In a re-roster, kept shifts with published activity blocks keep them: they count as
    already scheduled and stay out of the day's model.

    Returns the activity blocks, the coverage and complaint-fairness penalties of the whole
    roster, and whether every day was solved to optimality.
    """
    probe = ModelContext(instance, relaxed=options.relaxed)
    demand = demand_by_slot(probe)
    horizon = probe.horizon
    index = {a.agent_id: i for i, a in enumerate(probe.agents)}
    complaint = {q.queue_id for q in instance.queues if q.complaint}
    baseline: dict[tuple[int, str], int] = defaultdict(int)
    carried: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    activities: list[Activity] = []
    kept_blocks = options.keep.activities if options.keep is not None else {}

    def schedule(block: Activity) -> None:
        activities.append(block)
        if block.activity not in instance.queue_by_id:
            return
        first = horizon.minute_of(block.start) // horizon.interval
        last = horizon.minute_of(block.end) // horizon.interval
        for slot in range(first, last):
            baseline[(slot, block.activity)] += 1
        if block.activity in complaint:
            hours = (last - first) * horizon.interval / 60
            carried[index[block.agent_id]]["fair_complaint_hours"] += hours

    all_optimal = True
    days = instance.settings.days
    for day in range(days):
        today = dict(chosen.get(day, {}))
        for agent, _ in list(today):
            blocks = kept_blocks.get((probe.agent_id(agent), horizon.dates[day]))
            if blocks:
                del today[(agent, day)]
                for block in blocks:
                    schedule(block)
        if not today:
            continue
        context = build_intraday(instance, today, demand, options.relaxed, dict(baseline), carried)
        stage = f"day {day + 1}/{days}"
        outcome = _place_day(
            context, day_budget, stage, progress, options.stop, demand, dict(baseline)
        )
        if outcome.values is None and options.stop.requested:
            # Interrupted: the shifts are kept, so place this day's breaks quickly.
            outcome = search(context, FINISH_BUDGET, stage, progress, use_lns=False)
        elif outcome.values is None and outcome.status != cp_model.INFEASIBLE:
            # The day's share ran out before any placement: the first one found still makes
            # a complete roster, where stopping would leave none.
            finish = FINISH_BUDGET
            if day_budget.deterministic is not None:
                finish = replace(FINISH_BUDGET, deterministic=FINISH_DETERMINISTIC)
            outcome = search(context, finish, stage, progress, use_lns=False, stop=options.stop)
        if outcome.values is None:
            raise _failure(instance, options, outcome.status, day_budget)
        all_optimal &= outcome.optimal
        for block in extract_roster(context, outcome.value).activities or ():
            schedule(block)
    return activities, _final_coverage(probe, demand, baseline, carried), all_optimal


def _days_to_place(context: ModelContext, keep: Keep | None, chosen) -> int:
    """Days with shifts whose breaks and queues are still to place (a re-roster's kept shifts
    keep their published blocks), at least 1: the day models share the time by them."""
    if keep is None:
        return context.horizon.days
    open_days = {
        day
        for day, today in chosen.items()
        for agent, _ in today
        if (context.agent_id(agent), context.horizon.dates[day]) not in keep.activities
    }
    return max(1, len(open_days))


def _place_day(
    context: ModelContext,
    budget: Budget,
    stage: str,
    progress,
    stop: StopSignal,
    demand: dict[tuple[int, str], int],
    baseline: dict[tuple[int, str], int],
) -> Outcome:
    """A day's breaks and queues: coverage first, from breaks placed by hand where colleagues
    stay on the phone (scheduler.solver.break_start); then, with that coverage kept, complaint
    hours shared by history. With both in one objective, the day's search spent its time on
    who takes complaint calls: 0.5 points of coverage lost on week-day (docs/DESIGN.md)."""
    penalties = [p.expr for p in context.penalties]
    others = [p.expr for p in context.penalties if p.rule != "fair_complaint_hours"]
    started = time.perf_counter()
    split = len(others) < len(penalties)
    context.model.minimize(sum(others))
    cover = budget.share(COVERAGE_FIRST_SHARE) if split else budget
    start = None
    breaks = greedy_break_starts(context, demand, baseline)
    if breaks is not None and not stop.requested:
        start = start_from_breaks(context, breaks, cover.share(BREAKS_FIXED_SHARE), stop)
    if budget.deterministic is None:
        cover = replace(cover, seconds=max(cover.seconds - (time.perf_counter() - started), 0.1))
    elif breaks is not None:
        cover = cover.share(1 - BREAKS_FIXED_SHARE)
    first = search(context, cover, stage, progress, use_lns=False, stop=stop, initial=start)
    context.model.minimize(sum(penalties))
    if not split or first.values is None or stop.requested:
        return first
    context.model.add(sum(others) <= evaluate(sum(others), first.values))
    rest = budget.share(1 - COVERAGE_FIRST_SHARE)
    if budget.deterministic is None:
        rest = replace(budget, seconds=max(budget.seconds - (time.perf_counter() - started), 0.1))
    start = (first.values, evaluate(sum(penalties), first.values))
    second = search(context, rest, stage, progress, use_lns=False, stop=stop, initial=start)
    return second if second.values is not None else first


def _final_coverage(probe: ModelContext, demand, scheduled, carried) -> dict[str, float]:
    """Coverage and complaint-fairness penalties of the assembled roster, in penalty units."""
    rules = probe.rules
    horizon = probe.horizon
    end = horizon.days * horizon.slots_per_day
    under = over = 0
    for key in set(demand) | set(scheduled):
        if key[0] >= end:
            continue
        gap = scheduled.get(key, 0) - demand.get(key, 0)
        under += max(0, -gap)
        over += max(0, gap)
    totals = {"weight_under": rules.weight_under * under, "weight_over": rules.weight_over * over}
    eligible = [
        (agent, terms) for agent, terms in enumerate(probe.terms) if terms.complaint_fairness
    ]
    if rules.fair_complaint_hours > 0 and len(eligible) > 1:
        loads = [
            (terms.agent.hist_complaint_hours + carried.get(agent, {}).get(
                "fair_complaint_hours", 0.0)) / terms.agent.fte
            for agent, terms in eligible
        ]  # fmt: skip
        mean = sum(loads) / len(loads)
        variance = sum((load - mean) ** 2 for load in loads) / len(loads)
        totals["fair_complaint_hours"] = rules.fair_complaint_hours * variance
    return totals


# --- reading solutions ------------------------------------------------------------------------
def _assignment(context: ModelContext, occurrence: Occurrence) -> Assignment:
    horizon = context.horizon
    return Assignment(
        agent_id=context.agent_id(occurrence.agent),
        date=horizon.dates[occurrence.day],
        shift_id=occurrence.shift.shift_id,
        start=horizon.moment(occurrence.start),
        end=horizon.moment(occurrence.end),
    )


def extract_roster(context: ModelContext, value: Callable[[cp_model.IntVar], bool]) -> Roster:
    """Read assignments and activity blocks from a solution."""
    assignments: list[Assignment] = []
    activities: list[Activity] = []
    for found in context.occurrences.values():
        for occurrence in found:
            if not value(occurrence.var):
                continue
            assignments.append(_assignment(context, occurrence))
            if context.intraday:
                activities.extend(_blocks(context, occurrence, value))
    return Roster(
        assignments=tuple(sorted(assignments, key=lambda a: (a.agent_id, a.start))),
        activities=tuple(activities) if context.intraday else None,
    )


def _blocks(context: ModelContext, occurrence: Occurrence, value) -> list[Activity]:
    """The occurrence's activity per interval, merged into contiguous blocks."""
    labels: dict[int, str] = {}
    for choice in occurrence.breaks:
        for start, var in choice.options:
            if value(var):
                for slot in range(start, start + choice.length):
                    labels[slot] = choice.spec.activity
    per_slot = context.queue_at.get((occurrence.agent, occurrence.day), {})
    for slot in occurrence.slots:
        if slot not in labels:
            chosen = [q for q, literal in per_slot.get(slot, {}).items() if value(literal)]
            labels[slot] = chosen[0] if chosen else "?"
    horizon = context.horizon
    agent_id = context.agent_id(occurrence.agent)
    date = horizon.dates[occurrence.day]
    blocks = []
    slots = occurrence.slots
    start = slots.start
    for slot in slots:
        if slot == slots.stop - 1 or labels[slot + 1] != labels[slot]:
            blocks.append(
                Activity(
                    agent_id=agent_id,
                    date=date,
                    start=horizon.slot_moment(start),
                    end=horizon.slot_moment(slot + 1),
                    activity=labels[slot],
                )
            )
            start = slot + 1
    return blocks
