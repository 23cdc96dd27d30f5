"""Runs of working days, days off and nights: max_consecutive_days, min_consecutive_days,
min_consecutive_days_off and max_consecutive_nights (history from before the horizon included).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solver.context import ModelContext


def add_sequence_rules(context: ModelContext) -> None:
    for agent, terms in enumerate(context.terms):
        person = terms.agent
        works = [context.works_on(agent, day) for day in context.days]
        nights = [
            [o.var for o in context.day_occurrences(agent, day) if o.shift.night]
            for day in context.days
        ]
        if context.enabled("max_consecutive_days"):
            _cap_runs(
                context,
                agent,
                [[w] if w is not None else [] for w in works],
                terms.max_consecutive_days,
                person.consecutive_days_before,
                "max_consecutive_days",
            )
        if context.enabled("max_consecutive_nights"):
            _cap_runs(
                context,
                agent,
                nights,
                terms.max_consecutive_nights,
                person.nights_before,
                "max_consecutive_nights",
            )
        if context.enabled("min_consecutive_days"):
            _min_runs(context, agent, works, terms.min_consecutive_days, "min_consecutive_days")
        if context.enabled("min_consecutive_days_off"):
            _min_runs(
                context, agent, works, terms.min_consecutive_days_off, "min_consecutive_days_off"
            )


def _cap_runs(
    context: ModelContext,
    agent: int,
    per_day: list[list[cp_model.IntVar]],
    limit: int,
    before: int,
    rule: str,
) -> None:
    """No more than `limit` consecutive days with a literal set, counting `before` days."""
    model = context.model
    days = len(per_day)
    for first in range(0, days - limit):
        window = range(first, first + limit + 1)
        literals = [lit for day in window for lit in per_day[day]]
        if len(literals) > limit:
            context.hard(model.add(sum(literals) <= limit), rule, agent, tuple(window))
    if before > 0:
        # The run in progress at the start: at most limit - before more days of it.
        allowed = max(limit - before, 0)
        window = range(0, min(allowed + 1, days))
        literals = [lit for day in window for lit in per_day[day]]
        if len(literals) > allowed:
            context.hard(model.add(sum(literals) <= allowed), rule, agent, tuple(window))


def _min_runs(
    context: ModelContext,
    agent: int,
    works: list[cp_model.IntVar | None],
    minimum: int,
    rule: str,
) -> None:
    """Runs (of work, or of days off) shorter than `minimum` are forbidden unless they touch the
    start or the end of the horizon."""
    if minimum <= 1:
        return
    model = context.model
    off_runs = rule == "min_consecutive_days_off"
    days = len(works)
    for first in range(1, days - 1):
        for length in range(1, minimum):
            last = first + length - 1
            if last + 1 > days - 1:
                break
            # A run of `length` days from `first` bounded by the opposite state on both sides.
            clause: list = []
            trivially_true = False
            pattern = [(first - 1, False), *[(d, True) for d in range(first, last + 1)]]
            for day, inside in [*pattern, (last + 1, False)]:
                literal = works[day]
                # The forbidden pattern has "works" == inside for work runs and the opposite for
                # off runs; the clause needs one day that differs from it.
                wants_work = inside != off_runs
                if literal is None:
                    if wants_work:
                        trivially_true = True
                        break
                    continue
                clause.append(literal.Not() if wants_work else literal)
            if trivially_true or not clause:
                continue
            context.hard(model.add_bool_or(clause), rule, agent, tuple(range(first - 1, last + 2)))
