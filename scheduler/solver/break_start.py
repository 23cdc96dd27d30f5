"""A first placement of one day's breaks, by coverage, for the day model to start from.

The day model (breaks, lunches and queues of every agent on shift) reaches coverage close to its
bound only after about ten seconds of CP-SAT per day at a hundred agents; its own first
placements leave four to ten times the shortfall (docs/BENCHMARKS.md). Breaks matter most, and
placing them is easy to do well by hand: each agent takes each break where the most colleagues
stay on the phone. So every worked shift's breaks are chosen in turn, by the agents left on the
phone in each interval beside the demand, and revised over a few passes; CP-SAT then picks the
queues with those breaks fixed (seconds), and the day's search starts from that roster with
every variable free again.

Only combinations of break starts that keep every hard rule of the shift are tried: inside
their windows, not overlapping, blocks of the same activity not touching, and no phone run
longer than `max_continuous_phone_minutes`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.solver.context import ModelContext, Occurrence
from scheduler.solver.search import Budget, solve_fixed
from scheduler.solver.stopping import StopSignal

PASSES = 3  # rounds of revising each shift's breaks with the others' in place
MOST_COMBINATIONS = 20_000  # per shift; beyond it the day's search places breaks alone


def greedy_break_starts(
    context: ModelContext,
    demand: dict[tuple[int, str], int],
    baseline: dict[tuple[int, str], int] | None = None,
) -> dict[int, int] | None:
    """A value for every break-start literal of the day model (variable index -> 0 or 1), or
    None when no shift has breaks, or some shift allows no combination (or too many to try)."""
    occurrences = sorted(
        (o for found in context.occurrences.values() for o in found if o.breaks),
        key=lambda o: (o.start, o.agent),
    )
    if not occurrences:
        return None
    on_phone: dict[int, float] = defaultdict(float)  # agents on the phone less demand, per slot
    for (slot, _), required in demand.items():
        on_phone[slot] -= required
    for (slot, _), scheduled in (baseline or {}).items():
        on_phone[slot] += scheduled
    combinations: dict[tuple[str, int], list[tuple[int, ...]]] = {}
    for occurrence in occurrences:
        for slot in occurrence.slots:
            on_phone[slot] += 1
        key = (occurrence.shift.shift_id, occurrence.start)
        if key not in combinations:
            combinations[key] = _allowed_combinations(context, occurrence)
            if not combinations[key]:
                return None
    placed: dict[int, tuple[int, ...]] = {}
    for _ in range(PASSES):
        for number, occurrence in enumerate(occurrences):
            lengths = [choice.length for choice in occurrence.breaks]
            if number in placed:
                _take_breaks(on_phone, placed[number], lengths, -1)
            best = max(
                combinations[(occurrence.shift.shift_id, occurrence.start)],
                key=lambda starts: _kept_on_phone(on_phone, starts, lengths),
            )
            placed[number] = best
            _take_breaks(on_phone, best, lengths, +1)
    values: dict[int, int] = {}
    for number, occurrence in enumerate(occurrences):
        for choice, chosen in zip(occurrence.breaks, placed[number]):
            for start, literal in choice.options:
                values[literal.index] = int(start == chosen)
    return values


def start_from_breaks(
    context: ModelContext,
    breaks: dict[int, int],
    budget: Budget,
    stop: StopSignal,
) -> tuple[list[int], float] | None:
    """The day model's best solution with these break starts fixed (queues chosen for them),
    with its objective; None when none was found in the budget."""
    solver, status = solve_fixed(context.model, breaks.items(), replace(budget, log=False), stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(solver.response_proto.solution), solver.objective_value


def _kept_on_phone(on_phone, starts: tuple[int, ...], lengths: list[int]) -> tuple[float, float]:
    """How good a set of break starts is: first the intervals it leaves covered (an interval
    with nobody to spare loses coverage), then the spare agents where the breaks fall."""
    covered = spare = 0.0
    for start, length in zip(starts, lengths):
        for slot in range(start, start + length):
            left = on_phone[slot]
            covered += min(left, 1.0)
            spare += left
    return covered, spare


def _take_breaks(on_phone, starts: tuple[int, ...], lengths: list[int], sign: int) -> None:
    for start, length in zip(starts, lengths):
        for slot in range(start, start + length):
            on_phone[slot] -= sign


def _allowed_combinations(context: ModelContext, occurrence: Occurrence) -> list[tuple[int, ...]]:
    """Every combination of break starts that keeps the shift's hard rules."""
    choices = occurrence.breaks
    count = 1
    for choice in choices:
        count *= len(choice.options)
    if count > MOST_COMBINATIONS:
        return []
    limit = None
    if context.enabled("max_continuous_phone_minutes"):
        limit = context.rules.max_continuous_phone_minutes // context.horizon.interval
    first, last = occurrence.slots.start, occurrence.slots.stop
    allowed = []
    for starts in itertools.product(*[[start for start, _ in c.options] for c in choices]):
        blocks = sorted(
            (start, start + choice.length, choice.spec.activity)
            for start, choice in zip(starts, choices)
        )
        if any(
            later[0] < earlier[1] or (later[0] == earlier[1] and later[2] == earlier[2])
            for earlier, later in itertools.pairwise(blocks)
        ):
            continue
        if limit is not None:
            ends = [first] + [end for _, end, _ in blocks]
            begins = [begin for begin, _, _ in blocks] + [last]
            if any(begin - end > limit for end, begin in zip(ends, begins)):
                continue
        allowed.append(starts)
    return allowed
