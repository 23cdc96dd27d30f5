"""Rest between shifts: min_rest_hours, preferred_rest_hours (soft), not_followed_by and
rest_after_nights_hours. Night shifts run past midnight, so rest is measured on real end times.
"""

from __future__ import annotations

from collections.abc import Iterator

from scheduler.solver.context import ModelContext, Occurrence, scaled


def add_rest_rules(context: ModelContext) -> None:
    for agent in range(len(context.agents)):
        _min_rest(context, agent)
        _preferred_rest(context, agent)
        _not_followed_by(context, agent)
        _rest_after_nights(context, agent)


def _later(
    context: ModelContext, occurrence: Occurrence, gap_minutes: float
) -> Iterator[tuple[int, list[Occurrence]]]:
    """(day, occurrences on that later day starting less than gap_minutes after it ends)."""
    last_day = (occurrence.end + int(gap_minutes)) // 1440 + 1
    for day in range(occurrence.day + 1, min(last_day + 1, context.horizon.days)):
        close = [
            other
            for other in context.day_occurrences(occurrence.agent, day)
            if other.start - occurrence.end < gap_minutes
        ]
        if close:
            yield day, close


def _min_rest(context: ModelContext, agent: int) -> None:
    rule = "min_rest_hours"
    if not context.enabled(rule):
        return
    model = context.model
    rest = context.rules.min_rest_hours * 60
    last_end = context.terms[agent].agent.last_shift_end
    if last_end is not None:
        before = context.horizon.minute_of(last_end)
        for day in context.days:
            for occurrence in context.day_occurrences(agent, day):
                if occurrence.start - before < rest:
                    context.hard(
                        model.add(occurrence.var == 0),
                        rule,
                        agent,
                        (day,),
                        f"{occurrence.shift.shift_id} starts too soon after last_shift_end",
                    )
    for day in context.days:
        for occurrence in context.day_occurrences(agent, day):
            for later_day, close in _later(context, occurrence, rest):
                days = (day, later_day)
                if context.diagnose:
                    for other in close:
                        gap = (other.start - occurrence.end) / 60
                        when = f"{gap:g} h after" if gap >= 0 else f"{-gap:g} h before"
                        detail = (
                            f"{other.shift.shift_id} would start {when} "
                            f"{occurrence.shift.shift_id} ends; {rest / 60:g} h of rest needed"
                        )
                        context.forbid_together(
                            [occurrence.var, other.var], rule, agent, days, detail
                        )
                else:
                    model.add(occurrence.var + sum(o.var for o in close) <= 1)


def _preferred_rest(context: ModelContext, agent: int) -> None:
    rules = context.rules
    rule = "preferred_rest_hours"
    if not context.enabled(rule) or rules.weight_short_rest <= 0:
        return
    preferred = rules.preferred_rest_hours * 60
    minimum = rules.min_rest_hours * 60 if context.enabled("min_rest_hours") else float("-inf")
    model = context.model
    last_end = context.terms[agent].agent.last_shift_end

    def worked_between(first: int, last: int) -> list:
        """'Works that day' literals strictly between two days: the rest is only measured to
        the next shift, so a shift in between cancels the penalty."""
        return [w for d in range(first + 1, last) if (w := context.works_on(agent, d)) is not None]

    def penalise_pair(literals: list, between: list, short_hours: float) -> None:
        if not between and len(literals) == 1:
            context.penalise(rule, scaled(rules.weight_short_rest, short_hours) * literals[0])
            return
        short = model.new_bool_var("")
        model.add(short >= sum(literals) - (len(literals) - 1) - sum(between))
        context.penalise(rule, scaled(rules.weight_short_rest, short_hours) * short)

    if last_end is not None:
        before = context.horizon.minute_of(last_end)
        for day in context.days:
            for occurrence in context.day_occurrences(agent, day):
                rest = occurrence.start - before
                if minimum <= rest < preferred:
                    short_hours = (preferred - max(rest, 0)) / 60
                    penalise_pair([occurrence.var], worked_between(-1, day), short_hours)
    for day in context.days:
        for occurrence in context.day_occurrences(agent, day):
            for later_day, close in _later(context, occurrence, preferred):
                between = worked_between(day, later_day)
                for other in close:
                    rest = other.start - occurrence.end
                    if rest < minimum:
                        continue
                    short_hours = (preferred - max(rest, 0)) / 60
                    penalise_pair([occurrence.var, other.var], between, short_hours)


def _not_followed_by(context: ModelContext, agent: int) -> None:
    rule = "not_followed_by"
    if not context.enabled(rule):
        return
    for day in context.days[:-1]:
        for occurrence in context.day_occurrences(agent, day):
            banned = set(occurrence.shift.not_followed_by)
            if not banned:
                continue
            after = [
                o for o in context.day_occurrences(agent, day + 1) if o.shift.shift_id in banned
            ]
            if after:
                _at_most_one_of(context, occurrence, after, rule, agent, (day, day + 1))


def _at_most_one_of(
    context: ModelContext,
    occurrence: Occurrence,
    others: list[Occurrence],
    rule: str,
    agent: int,
    days: tuple[int, ...],
) -> None:
    """occurrence excludes all of others (which are alternatives on one later day)."""
    if context.diagnose:
        for other in others:
            detail = f"{other.shift.shift_id} after {occurrence.shift.shift_id}"
            context.forbid_together([occurrence.var, other.var], rule, agent, days, detail)
    else:
        context.model.add(occurrence.var + sum(o.var for o in others) <= 1)


def _nights_on(context: ModelContext, agent: int, day: int) -> list:
    return [o.var for o in context.day_occurrences(agent, day) if o.shift.night]


def _rest_after_nights(context: ModelContext, agent: int) -> None:
    """After the last night of a run, no shift starts within rest_after_nights_hours."""
    rule = "rest_after_nights_hours"
    if not context.enabled(rule):
        return
    model = context.model
    rest = context.rules.rest_after_nights_hours * 60
    horizon = context.horizon
    for day in context.days:
        for night in context.day_occurrences(agent, day):
            if not night.shift.night:
                continue
            for later_day, close in _later(context, night, rest):
                if later_day == day + 1:
                    ending = [o for o in close if not o.shift.night]
                    if ending:
                        _at_most_one_of(context, night, ending, rule, agent, (day, later_day))
                    continue
                continuing = _nights_on(context, agent, day + 1)
                context.hard(
                    model.add(night.var + sum(o.var for o in close) - sum(continuing) <= 1),
                    rule,
                    agent,
                    (day, later_day),
                )
    person = context.terms[agent].agent
    if person.nights_before > 0 and person.last_shift_end is not None:
        end = horizon.minute_of(person.last_shift_end)
        continuing = _nights_on(context, agent, 0)
        for day in context.days:
            for occurrence in context.day_occurrences(agent, day):
                if occurrence.start - end >= rest:
                    continue
                if day == 0:
                    if not occurrence.shift.night:
                        context.hard(model.add(occurrence.var == 0), rule, agent, (0,))
                else:
                    context.hard(
                        model.add(occurrence.var <= sum(continuing)), rule, agent, (0, day)
                    )
