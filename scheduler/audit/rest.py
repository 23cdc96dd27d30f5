"""Rest checks: min_rest_hours, preferred_rest_hours (soft), not_followed_by,
rest_after_nights_hours, and forward_rotation (soft)."""

from __future__ import annotations

import itertools

from scheduler.audit.findings import HARD, SOFT, Violation
from scheduler.audit.view import RosterView, Worked, runs


def _hours(minutes: float) -> str:
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".") + " h"


def check_rest(view: RosterView) -> list[Violation]:
    found: list[Violation] = []
    for agent_id, worked in view.by_agent.items():
        found += _rest(view, agent_id, worked)
        found += _not_followed_by(view, agent_id, worked)
        found += _after_nights(view, agent_id, worked)
        found += _rotation(view, agent_id, worked)
    return found


def _rest(view: RosterView, agent_id: str, worked: list[Worked]) -> list[Violation]:
    rules = view.rules
    minimum = rules.min_rest_hours * 60
    preferred = rules.preferred_rest_hours * 60
    person = view.terms[agent_id].agent
    pairs: list[tuple[int, str, Worked]] = []
    if person.last_shift_end is not None and worked:
        before = view.horizon.minute_of(person.last_shift_end)
        pairs.append((before, f"last_shift_end {person.last_shift_end:%Y-%m-%d %H:%M}", worked[0]))
    for previous, following in itertools.pairwise(worked):
        label = f"{previous.shift.shift_id} on {previous.date}"
        pairs.append((previous.end, label, following))
    found = []
    for end, label, following in pairs:
        rest = following.start - end
        what = f"{_hours(rest)} rest between {label} and {following.shift.shift_id}"
        if rest < minimum:
            found.append(
                Violation("min_rest_hours", HARD, agent_id, following.date,
                          f"{what}; at least {rules.min_rest_hours:g} h needed")
            )  # fmt: skip
        elif rest < preferred and rules.weight_short_rest > 0:
            short = preferred - rest
            found.append(
                Violation("preferred_rest_hours", SOFT, agent_id, following.date,
                          f"{what}; {_hours(short)} short of {rules.preferred_rest_hours:g} h",
                          rules.weight_short_rest * short / 60)
            )  # fmt: skip
    return found


def _not_followed_by(view: RosterView, agent_id: str, worked: list[Worked]) -> list[Violation]:
    by_day: dict[int, list[Worked]] = {}
    for w in worked:
        by_day.setdefault(w.day, []).append(w)
    found = []
    for w in worked:
        banned = set(w.shift.not_followed_by)
        for following in by_day.get(w.day + 1, []):
            if following.shift.shift_id in banned:
                found.append(
                    Violation("not_followed_by", HARD, agent_id, following.date,
                              f"{following.shift.shift_id} may not follow {w.shift.shift_id} "
                              f"of the day before")
                )  # fmt: skip
    return found


def _after_nights(view: RosterView, agent_id: str, worked: list[Worked]) -> list[Violation]:
    rules = view.rules
    rest = rules.rest_after_nights_hours * 60
    person = view.terms[agent_id].agent
    night_days = {w.day for w in worked if w.shift.night}
    night_end = {w.day: w.end for w in worked if w.shift.night}
    ends: list[tuple[int, str]] = []
    for _, last in runs(night_days, 0, view.horizon.days - 1):
        ends.append((night_end[last], f"the night run ending {view.date(last)}"))
    if person.nights_before > 0 and person.last_shift_end is not None and 0 not in night_days:
        ends.append((view.horizon.minute_of(person.last_shift_end), "the nights before the roster"))
    found = []
    for end, label in ends:
        for w in worked:
            gap = w.start - end
            if 0 <= gap < rest:
                found.append(
                    Violation("rest_after_nights_hours", HARD, agent_id, w.date,
                              f"{w.shift.shift_id} starts {_hours(gap)} after {label}; "
                              f"{rules.rest_after_nights_hours:g} h of rest needed")
                )  # fmt: skip
    return found


def _rotation(view: RosterView, agent_id: str, worked: list[Worked]) -> list[Violation]:
    weight = view.rules.forward_rotation
    if weight <= 0:
        return []
    first_of_day: dict[int, Worked] = {}
    for w in worked:
        first_of_day.setdefault(w.day, w)
    found = []
    for day, w in sorted(first_of_day.items()):
        following = first_of_day.get(day + 1)
        if following is not None and following.shift.start_minute < w.shift.start_minute:
            found.append(
                Violation("forward_rotation", SOFT, agent_id, following.date,
                          f"{following.shift.shift_id} ({following.shift.start:%H:%M}) after "
                          f"{w.shift.shift_id} ({w.shift.start:%H:%M}) the day before", weight)
            )  # fmt: skip
    return found
