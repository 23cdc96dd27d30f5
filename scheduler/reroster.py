"""Repair a published roster after absences, changing it only where the coverage is worth it.

Every assignment that starts before the cutoff (`--from`) stays exactly as published, with its
activity blocks; the absences become LEAVE requests; from the cutoff on the solver re-rosters
under every hard rule, starting from the published roster, and each agent-day it changes costs
`change_weight` (scheduler/solver/changes.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from scheduler.audit import AuditReport, Violation, audit
from scheduler.audit.findings import WEEK_RULES
from scheduler.errors import InputError, Problem
from scheduler.horizon import agent_terms, leave_dates
from scheduler.io.roster_reader import roster_cell
from scheduler.io.tables import suggest
from scheduler.model import Instance, Request, RequestType, Roster
from scheduler.solver import Progress, SolveOptions, SolveResult, solve
from scheduler.solver.changes import Keep

Absences = Mapping[str, Iterable[dt.date]] | Iterable[tuple[str, dt.date]]
# Rules a roster breaks by having too little: a part of it may break them where the whole
# does not, so a kept part breaks them for certain only when the span they judge is all past.
SHORTFALL_RULES = frozenset(
    {
        "min_hours_week",
        "min_total_hours",
        "min_consecutive_days",
        "min_consecutive_days_off",
        "fixed",
    }
)

# Reasons of changes no repair could avoid, which cost nothing.
FORCED = frozenset({"absent", "LEAVE request"})


@dataclass(frozen=True)
class Change:
    """One agent-day whose shift differs from the published roster ("" for a day off)."""

    agent_id: str
    date: dt.date
    published: str
    new: str
    reason: str


@dataclass
class RerosterResult:
    """The repaired roster, its changes, and the coverage before and after.

    Coverage figures are percentages of the required agent-hours: as published, after the
    absences alone (their shifts removed) and after the repair, all under the current instance.
    `instance` is the instance with the absences as LEAVE requests; `report` is the rule
    checker's report on the repaired roster under it.
    """

    roster: Roster
    changes: list[Change]
    coverage_published: float
    coverage_after_absences: float
    coverage_repaired: float
    result: SolveResult
    instance: Instance
    report: AuditReport
    cutoff: dt.datetime

    @property
    def change_penalty(self) -> float:
        """change_weight times the changes the repair chose (not those leave forced)."""
        chosen = sum(1 for change in self.changes if change.reason not in FORCED)
        return chosen * self.instance.rules.change_weight


def reroster(
    instance: Instance,
    published: Roster,
    start: dt.date | dt.datetime,
    absences: Absences = (),
    options: SolveOptions | None = None,
    progress: Callable[[Progress], None] | None = None,
    cells: Mapping[tuple[str, dt.date], str] | None = None,
    published_name: str = "published roster",
) -> RerosterResult:
    """Repair `published` from `start` on, with `absences` ((agent_id, date) pairs, or agent_id
    -> dates) added as LEAVE.

    Raises InputError (every problem listed) when an absence or the start does not fit the
    instance or the published roster already breaks a hard rule before the start, named with
    its Roster cell when `cells` (as read_roster gives them) are known and reported under
    `published_name`; InfeasibleError when the kept days leave no roster; NoRosterFound when
    none was found in time.
    """
    cutoff = cutoff_moment(start)
    pairs = absence_pairs(absences)
    problems = check_request(instance, published, cutoff, pairs)
    if problems:
        raise InputError(problems)
    repaired = with_absences(instance, pairs)
    keep = keep_of(published, cutoff, pairs)
    as_published = audit(repaired, published)
    past = past_violations(repaired, published, keep, as_published, cells or {})
    if past:
        raise InputError(past, source=published_name)
    interim = without(published, keep.cleared)
    after_absences = audit(repaired, interim)
    hint = {key: shift_id for key, shift_id in keep.published.items() if key not in keep.cleared}
    options = replace(options or SolveOptions(), hint=hint or None, keep=keep, method="staged")
    result = solve(repaired, options, progress)
    report = audit(repaired, result.roster)
    return RerosterResult(
        roster=result.roster,
        changes=changes_between(instance, published, result.roster, keep, after_absences),
        coverage_published=as_published.coverage_percent,
        coverage_after_absences=after_absences.coverage_percent,
        coverage_repaired=report.coverage_percent,
        result=result,
        instance=repaired,
        report=report,
        cutoff=cutoff,
    )


def cutoff_moment(start: dt.date | dt.datetime) -> dt.datetime:
    """The moment from which the roster may change: a date means its midnight."""
    if isinstance(start, dt.datetime):
        return start.replace(tzinfo=None, second=0, microsecond=0)
    return dt.datetime.combine(start, dt.time(0))


def absence_pairs(absences: Absences) -> list[tuple[str, dt.date]]:
    """(agent_id, date) pairs, sorted and without repeats."""
    if isinstance(absences, Mapping):
        pairs = [(agent_id, date) for agent_id, dates in absences.items() for date in dates]
    else:
        pairs = [(agent_id, date) for agent_id, date in absences]
    return sorted(set(pairs))


def _stamp(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment.time() != dt.time(0) else f"{moment:%Y-%m-%d}"


def check_request(
    instance: Instance,
    published: Roster,
    cutoff: dt.datetime,
    pairs: list[tuple[str, dt.date]],
) -> list[Problem]:
    """Every problem with the start and the absences, each naming what is wrong."""
    problems: list[Problem] = []
    dates = set(instance.dates)
    horizon = f"the horizon {instance.dates[0]} to {instance.dates[-1]}"
    if cutoff.date() not in dates:
        problems.append(Problem(message=f"--from {_stamp(cutoff)} is outside {horizon}"))
    kept = {(a.agent_id, a.date): a for a in published.assignments if a.start < cutoff}
    by_agent: dict[str, list[dt.date]] = {}
    for agent_id, date in pairs:
        by_agent.setdefault(agent_id, []).append(date)
    for agent_id, absent in by_agent.items():
        if agent_id not in instance.agent_by_id:
            hint = suggest(agent_id, instance.agent_by_id)
            problems.append(
                Problem(message=f"--absent {agent_id}: unknown agent '{agent_id}'{hint}")
            )
            continue
        outside = [d for d in absent if d not in dates]
        if outside:
            problems.append(
                Problem(message=f"--absent {agent_id}: {_days(outside)} outside {horizon}")
            )
        past = [d for d in absent if d in dates and d < cutoff.date()]
        if past:
            problems.append(
                Problem(
                    message=f"--absent {agent_id}: {_days(past)} before --from "
                    f"{_stamp(cutoff)}; the roster before --from is kept as published"
                )
            )
        for date in absent:
            worked = kept.get((agent_id, date))
            if worked is not None and date >= cutoff.date():
                problems.append(
                    Problem(
                        message=f"--absent {agent_id}={date}: {agent_id} works "
                        f"{worked.shift_id} from {worked.start:%H:%M}, before --from "
                        f"{_stamp(cutoff)}, so that shift is kept as published; start the "
                        "absence the next day or move --from earlier"
                    )
                )
    return problems


def _days(dates: list[dt.date]) -> str:
    """'2026-03-09 is' or '2026-03-09 to 2026-03-12 are' (first to last of the dates)."""
    if len(dates) == 1:
        return f"{dates[0]} is"
    return f"{min(dates)} to {max(dates)} are"


def with_absences(instance: Instance, pairs: list[tuple[str, dt.date]]) -> Instance:
    """The instance with a LEAVE request for every absence (as if typed into Requests)."""
    known = leave_dates(instance)
    added = tuple(
        Request(agent_id=agent_id, date=date, type=RequestType.LEAVE)
        for agent_id, date in pairs
        if (agent_id, date) not in known
    )
    return instance.replace(requests=instance.requests + added) if added else instance


def keep_of(published: Roster, cutoff: dt.datetime, pairs: list[tuple[str, dt.date]]) -> Keep:
    """What the repair keeps: the published shifts, the blocks of those starting before the
    cutoff, and the agent-days the absences clear."""
    shifts: dict[tuple[str, dt.date], str] = {}
    for assignment in sorted(published.assignments, key=lambda a: a.start):
        shifts.setdefault((assignment.agent_id, assignment.date), assignment.shift_id)
    kept = {(a.agent_id, a.date) for a in published.assignments if a.start < cutoff}
    blocks: dict[tuple[str, dt.date], list] = {}
    for block in published.activities or ():
        key = (block.agent_id, block.date)
        if key in kept:
            blocks.setdefault(key, []).append(block)
    return Keep(
        published=shifts,
        cutoff=cutoff,
        cleared=frozenset(pair for pair in pairs if pair in shifts),
        activities={
            key: tuple(sorted(found, key=lambda b: b.start)) for key, found in blocks.items()
        },
    )


def without(roster: Roster, cleared: Iterable[tuple[str, dt.date]]) -> Roster:
    """The roster with the shifts (and their blocks) of these agent-days removed."""
    gone = set(cleared)
    activities = roster.activities
    if activities is not None:
        activities = tuple(b for b in activities if (b.agent_id, b.date) not in gone)
    return Roster(
        assignments=tuple(a for a in roster.assignments if (a.agent_id, a.date) not in gone),
        activities=activities,
    )


def _kept_part(published: Roster, cutoff: dt.datetime) -> Roster:
    kept = {(a.agent_id, a.date) for a in published.assignments if a.start < cutoff}
    later = {(a.agent_id, a.date) for a in published.assignments} - kept
    return without(published, later)


def past_violations(
    instance: Instance,
    published: Roster,
    keep: Keep,
    as_published: AuditReport,
    cells: Mapping[tuple[str, dt.date], str],
) -> list[Problem]:
    """Hard rules the published roster breaks before the cutoff, where no repair can reach.

    The kept part alone is checked: a rule it breaks by having too much (rest, runs, hours,
    activities) stays broken whatever is added after the cutoff. A rule broken by having too
    little is only certain when the whole roster breaks it too and what it judges (the week,
    the run and the day after it) lies before the cutoff's date.
    """
    full = {(v.rule, v.agent_id, v.date) for v in as_published.hard}
    found = []
    for violation in audit(instance, _kept_part(published, keep.cutoff)).hard:
        if violation.rule in SHORTFALL_RULES:
            judged = _judged_until(instance, violation)
            if judged is None or judged > keep.cutoff.date():
                continue
            if (violation.rule, violation.agent_id, violation.date) not in full:
                continue
        found.append(violation)
    return [_past_problem(v, keep.cutoff, cells) for v in found]


def _judged_until(instance: Instance, violation: Violation) -> dt.date | None:
    """The day after the last one that decides a shortfall (the week, or the run and the day
    after it), or None when it has no date."""
    if violation.date is None:
        return None
    days = 1
    agent = instance.agent_by_id.get(violation.agent_id)
    if violation.rule in WEEK_RULES:
        days = 7
    elif agent is not None and violation.rule == "min_consecutive_days":
        days = agent_terms(instance, agent).min_consecutive_days
    elif agent is not None and violation.rule == "min_consecutive_days_off":
        days = agent_terms(instance, agent).min_consecutive_days_off
    return violation.date + dt.timedelta(days=days)


def _past_problem(
    violation: Violation, cutoff: dt.datetime, cells: Mapping[tuple[str, dt.date], str]
) -> Problem:
    cell = roster_cell(dict(cells), violation.rule, violation.agent_id, violation.date)
    where = " ".join(p for p in (violation.agent_id, str(violation.date or ""), cell) if p)
    return Problem(
        message=f"{violation.rule}: {where}: {violation.detail} (before --from "
        f"{_stamp(cutoff)}: the repair cannot change the past)"
    )


def changes_between(
    instance: Instance,
    published: Roster,
    repaired: Roster,
    keep: Keep,
    after_absences: AuditReport,
) -> list[Change]:
    """Every agent-day whose shift differs, with what the change serves: "absent", "LEAVE
    request", the hard rule the published roster broke there once the absences were applied,
    or else "coverage"."""
    before = _codes(published)
    after = _codes(repaired)
    leave = leave_dates(instance)
    broken: dict[str, list[Violation]] = {}
    for violation in after_absences.hard:
        broken.setdefault(violation.agent_id, []).append(violation)
    found = []
    for key in sorted(set(before) | set(after), key=lambda k: (k[1], k[0])):
        old, new = before.get(key, ""), after.get(key, "")
        if old == new:
            continue
        if key in keep.cleared:
            reason = "absent"
        elif key in leave and not new:
            reason = "LEAVE request"
        else:
            rules = sorted({v.rule for v in broken.get(key[0], []) if _concerns(v, key[1])})
            reason = ", ".join(rules) or "coverage"
        found.append(Change(key[0], key[1], old, new, reason))
    return found


def _codes(roster: Roster) -> dict[tuple[str, dt.date], str]:
    shifts: dict[tuple[str, dt.date], list[str]] = {}
    for assignment in sorted(roster.assignments, key=lambda a: a.start):
        shifts.setdefault((assignment.agent_id, assignment.date), []).append(assignment.shift_id)
    return {key: ";".join(found) for key, found in shifts.items()}


def _concerns(violation: Violation, date: dt.date) -> bool:
    """Whether a violation's date (a week's first day for weekly rules; none for rules over
    the whole roster) covers this date."""
    if violation.date is None:
        return True
    if violation.rule in WEEK_RULES:
        return violation.date <= date < violation.date + dt.timedelta(days=7)
    return violation.date == date
