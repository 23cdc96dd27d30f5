"""Checks inside shifts, from the activity blocks: activities tile the shift, breaks,
max_continuous_phone_minutes, complaint limits and recovery, queue skills, new_hire_complaints."""

from __future__ import annotations

import itertools
from collections import defaultdict

from scheduler.audit.findings import HARD, Violation
from scheduler.audit.view import RosterView, Worked
from scheduler.model import BREAK, LUNCH, Activity


def check_intraday(view: RosterView) -> list[Violation]:
    if not view.has_activities:
        return []
    found: list[Violation] = []
    queues = view.instance.queue_by_id
    worked_keys = set()
    for agent_id, worked in view.by_agent.items():
        for w in worked:
            worked_keys.add((agent_id, w.date))
            problems = _tiling(view, w)
            found += problems
            if problems:
                continue
            found += _breaks(w)
            found += _queues(view, w, queues)
            found += _phone_runs(view, w, queues)
    for block in view.roster.activities or ():
        if (block.agent_id, block.date) not in worked_keys:
            found.append(
                Violation("activities", HARD, block.agent_id, block.date,
                          f"{block.activity} {block.start:%H:%M}-{block.end:%H:%M} is outside "
                          "any worked shift")
            )  # fmt: skip
    return found


def _minutes(view: RosterView, block: Activity) -> tuple[int, int]:
    return view.horizon.minute_of(block.start), view.horizon.minute_of(block.end)


def _tiling(view: RosterView, w: Worked) -> list[Violation]:
    """Blocks must cover the shift from start to end, without gaps or overlaps."""
    if not w.blocks:
        return [
            Violation("activities", HARD, w.agent_id, w.date,
                      f"no activities are given for shift {w.shift.shift_id}")
        ]  # fmt: skip
    known = set(view.instance.queue_by_id) | {BREAK, LUNCH}
    found = []
    cursor = w.start
    for block in w.blocks:
        start, end = _minutes(view, block)
        if block.activity not in known:
            found.append(
                Violation("activities", HARD, w.agent_id, w.date,
                          f"unknown activity '{block.activity}' at {block.start:%H:%M}")
            )  # fmt: skip
        if start != cursor or end <= start:
            found.append(
                Violation("activities", HARD, w.agent_id, w.date,
                          f"{block.activity} at {block.start:%H:%M}-{block.end:%H:%M} leaves a "
                          f"gap or overlaps inside shift {w.shift.shift_id}")
            )  # fmt: skip
        cursor = max(cursor, end)
    if cursor != w.end:
        found.append(
            Violation("activities", HARD, w.agent_id, w.date,
                      f"the activities end at {view.horizon.moment(cursor):%H:%M}, the shift "
                      f"{w.shift.shift_id} at {w.assignment.end:%H:%M}")
        )  # fmt: skip
    return found


def _breaks(w: Worked) -> list[Violation]:
    """The shift has exactly its BREAK and LUNCH blocks, each starting inside its window."""
    found = []
    previous: Activity | None = None
    for block in w.blocks:
        if previous and previous.activity == block.activity and block.activity in (BREAK, LUNCH):
            found.append(
                Violation("breaks", HARD, w.agent_id, w.date,
                          f"two {block.activity} blocks touch at {block.start:%H:%M}")
            )  # fmt: skip
        previous = block
    for activity in (BREAK, LUNCH):
        specs = [b for b in w.shift.breaks if b.activity == activity]
        blocks = [
            (int((b.start - w.assignment.start).total_seconds() // 60),
             int((b.end - b.start).total_seconds() // 60))
            for b in w.blocks
            if b.activity == activity
        ]  # fmt: skip
        if len(blocks) != len(specs):
            found.append(
                Violation("breaks", HARD, w.agent_id, w.date,
                          f"{len(blocks)} {activity} block(s); shift {w.shift.shift_id} needs "
                          f"{len(specs)}")
            )  # fmt: skip
            continue
        if not specs or _matches(blocks, specs):
            continue
        shown = ", ".join(f"{m} min at +{o} min" for o, m in blocks)
        wanted = ", ".join(f"{s.minutes} min starting +{s.earliest}..+{s.latest}" for s in specs)
        found.append(
            Violation("breaks", HARD, w.agent_id, w.date,
                      f"{activity} {shown} does not fit the windows ({wanted})")
        )  # fmt: skip
    return found


def _matches(blocks: list[tuple[int, int]], specs) -> bool:
    """Some pairing of blocks with break rules where every block fits its window and length."""
    for order in itertools.permutations(specs):
        if all(
            minutes == spec.minutes and spec.earliest <= offset <= spec.latest
            for (offset, minutes), spec in zip(blocks, order)
        ):
            return True
    return False


def _queues(view: RosterView, w: Worked, queues) -> list[Violation]:
    terms = view.terms[w.agent_id]
    found = []
    for block in w.blocks:
        queue = queues.get(block.activity)
        if queue is None:
            continue
        if block.activity not in terms.agent.skills:
            found.append(
                Violation("skills", HARD, w.agent_id, w.date,
                          f"on queue {block.activity} at {block.start:%H:%M} without that skill")
            )  # fmt: skip
        if queue.complaint and terms.new_hire and not view.rules.new_hire_complaints:
            found.append(
                Violation("new_hire_complaints", HARD, w.agent_id, w.date,
                          f"new hire on complaint queue {block.activity} at {block.start:%H:%M}")
            )  # fmt: skip
    return found


def _stretches(view: RosterView, w: Worked, inside) -> list[tuple[int, int]]:
    """Maximal (start, end) minute stretches of consecutive blocks for which inside() holds."""
    stretches: list[tuple[int, int]] = []
    for block in w.blocks:
        start, end = _minutes(view, block)
        if not inside(block.activity):
            continue
        if stretches and stretches[-1][1] == start:
            stretches[-1] = (stretches[-1][0], end)
        else:
            stretches.append((start, end))
    return stretches


def _phone_runs(view: RosterView, w: Worked, queues) -> list[Violation]:
    rules = view.rules
    found = []
    at = view.horizon.moment
    for start, end in _stretches(view, w, lambda a: a in queues):
        if end - start > rules.max_continuous_phone_minutes:
            found.append(
                Violation("max_continuous_phone_minutes", HARD, w.agent_id, w.date,
                          f"{end - start} min on the phone without a break "
                          f"({at(start):%H:%M}-{at(end):%H:%M}); at most "
                          f"{rules.max_continuous_phone_minutes}")
            )  # fmt: skip
    complaint = {q for q, queue in queues.items() if queue.complaint}
    stretches = _stretches(view, w, lambda a: a in complaint)
    total = 0
    for start, end in stretches:
        total += end - start
        if end - start > rules.max_complaint_continuous_minutes:
            found.append(
                Violation("max_complaint_continuous_minutes", HARD, w.agent_id, w.date,
                          f"{end - start} min of complaint calls in a row "
                          f"({at(start):%H:%M}-{at(end):%H:%M}); at most "
                          f"{rules.max_complaint_continuous_minutes}")
            )  # fmt: skip
    for (_, first_end), (second_start, _) in itertools.pairwise(stretches):
        if second_start - first_end < rules.complaint_recovery_minutes:
            found.append(
                Violation("complaint_recovery_minutes", HARD, w.agent_id, w.date,
                          f"only {second_start - first_end} min away from complaints "
                          f"({at(first_end):%H:%M}-{at(second_start):%H:%M}); at least "
                          f"{rules.complaint_recovery_minutes}")
            )  # fmt: skip
    if total > rules.max_complaint_daily_minutes:
        found.append(
            Violation("max_complaint_daily_minutes", HARD, w.agent_id, w.date,
                      f"{total} complaint minutes in shift {w.shift.shift_id}; at most "
                      f"{rules.max_complaint_daily_minutes}")
        )  # fmt: skip
    return found


def complaint_minutes(view: RosterView) -> dict[str, float]:
    """Complaint-queue minutes per agent in the roster."""
    complaint = {q.queue_id for q in view.instance.queues if q.complaint}
    totals: dict[str, float] = defaultdict(float)
    for block in view.roster.activities or ():
        if block.activity in complaint:
            totals[block.agent_id] += (block.end - block.start).total_seconds() / 60
    return totals
