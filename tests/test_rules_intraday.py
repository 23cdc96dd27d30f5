"""Intraday hard rules bind: breaks, activity tiling, time on the phone, complaint limits,
queue skills and new_hire_complaints. One day, one to three agents, 15- or 30-minute intervals.
"""

from __future__ import annotations

import datetime as dt
import itertools

from builders import (
    CMP,
    GEN,
    MONDAY,
    agent,
    make_instance,
    minute_of_day,
    roster_of,
    shift,
    solve_and_audit,
)

from scheduler.audit import audit
from scheduler.model import Activity, Queue

SAL = Queue(queue_id="SAL", name="Sales", aht_seconds=300)
# Weekly limits scale down on a 1-day horizon (40 h x 1/7 -> 6 h); lift them.
FREE = {"max_hours_week": 168, "min_hours_week": 0, "max_days_week": 7}
NO_PHONE_CAP = {"max_continuous_phone_minutes": 1440}


def build(agents, shifts, interval=15, queues=(GEN,), rules=None, **kwargs):
    return make_instance(
        agents,
        shifts,
        days=1,
        interval=interval,
        queues=queues,
        rules={**FREE, **(rules or {})},
        **kwargs,
    )


def need(*spans):
    """Requirements from ('HH:MM' start, 'HH:MM' end, agents, queue) spans on day 0."""

    def required(day: int, minute: int, queue_id: str) -> int:
        if day:
            return 0
        return sum(
            n
            for s, e, n, q in spans
            if q == queue_id and minute_of_day(s) <= minute < minute_of_day(e)
        )

    return required


def blocks(result, agent_id: str = "A1") -> list[tuple[str, str, str]]:
    """(start 'HH:MM', end 'HH:MM', activity) of an agent's blocks in time order."""
    return [
        (f"{b.start:%H:%M}", f"{b.end:%H:%M}", b.activity)
        for b in sorted(result.roster.activities or (), key=lambda b: b.start)
        if b.agent_id == agent_id
    ]


def stretches(result, inside, agent_id: str = "A1") -> list[tuple[int, int]]:
    """Maximal (start, end) minute stretches of consecutive blocks whose activity is inside."""
    found: list[tuple[int, int]] = []
    for begin, finish, activity in blocks(result, agent_id):
        if activity not in inside:
            continue
        start, end = minute_of_day(begin), minute_of_day(finish) or 1440
        if found and found[-1][1] == start:
            found[-1] = (found[-1][0], end)
        else:
            found.append((start, end))
    return found


def assert_tiles(instance, roster):
    """Each worked shift's blocks run from its start to its end without gap or overlap."""
    for assignment in roster.assignments:
        own = sorted(
            (
                b
                for b in roster.activities
                if b.agent_id == assignment.agent_id and b.date == assignment.date
            ),
            key=lambda b: b.start,
        )
        assert own, assignment
        cursor = assignment.start
        for block in own:
            assert block.start == cursor and block.end > block.start, own
            cursor = block.end
        assert cursor == assignment.end, own


def flagged(report, rule: str) -> list:
    return [v for v in report.hard if v.rule == rule]


def assert_flags(report, rule: str, agent_id: str = "A1"):
    found = flagged(report, rule)
    assert found, f"{rule} not flagged: {[str(v) for v in report.hard]}"
    assert any(v.agent_id == agent_id and v.date == MONDAY for v in found), [str(v) for v in found]


def check(instance, rows, activities):
    return audit(instance, roster_of(instance, rows, activities))


# --- breaks -----------------------------------------------------------------------------------
# Two 15-minute BREAKs: the first may start 09:45 or 10:00, the second 10:00 or 10:15.
TWO_BREAKS = shift("B", "08:00", 240, breaks=[("BREAK", 15, 105, 120), ("BREAK", 15, 120, 135)])


def _two_breaks_instance():
    # nobody is needed 09:45-10:15: the solver would like both breaks there, touching
    return build(
        [agent("A1")],
        [TWO_BREAKS],
        rules=NO_PHONE_CAP,
        need=need(("08:00", "09:45", 1, "GEN"), ("10:15", "12:00", 1, "GEN")),
    )


def test_solver_keeps_blocks_of_one_activity_apart():
    instance = _two_breaks_instance()
    result, _ = solve_and_audit(instance)
    breaks = [(s, e) for s, e, a in blocks(result) if a == "BREAK"]
    # the only placement inside both windows where the breaks neither overlap nor touch
    assert breaks == [("09:45", "10:00"), ("10:15", "10:30")]
    assert_tiles(instance, result.roster)


def test_solver_keeps_lunch_inside_its_window():
    lunch = shift("B", "08:00", 240, breaks=[("LUNCH", 30, 60, 90)])
    # nobody is needed 08:00-08:30: the lunch would best sit there, before its window
    instance = build(
        [agent("A1")], [lunch], rules=NO_PHONE_CAP, need=need(("08:30", "12:00", 1, "GEN"))
    )
    result, _ = solve_and_audit(instance)
    lunches = [(s, e) for s, e, a in blocks(result) if a == "LUNCH"]
    assert len(lunches) == 1
    assert "09:00" <= lunches[0][0] <= "09:30"


def test_checker_flags_break_outside_its_window():
    instance = _two_breaks_instance()
    report = check(
        instance,
        [("A1", 0, "B")],
        [
            ("A1", 0, "08:00", "08:15", "BREAK"),
            ("A1", 0, "08:15", "10:15", "GEN"),
            ("A1", 0, "10:15", "10:30", "BREAK"),
            ("A1", 0, "10:30", "12:00", "GEN"),
        ],
    )
    assert_flags(report, "breaks")


def test_checker_flags_touching_breaks():
    instance = _two_breaks_instance()
    report = check(
        instance,
        [("A1", 0, "B")],
        [
            ("A1", 0, "08:00", "09:45", "GEN"),
            ("A1", 0, "09:45", "10:00", "BREAK"),
            ("A1", 0, "10:00", "10:15", "BREAK"),
            ("A1", 0, "10:15", "12:00", "GEN"),
        ],
    )
    assert_flags(report, "breaks")
    assert any("touch" in v.detail for v in flagged(report, "breaks"))


def test_checker_flags_missing_break_and_accepts_a_good_one():
    instance = _two_breaks_instance()
    missing = check(
        instance,
        [("A1", 0, "B")],
        [
            ("A1", 0, "08:00", "09:45", "GEN"),
            ("A1", 0, "09:45", "10:00", "BREAK"),
            ("A1", 0, "10:00", "12:00", "GEN"),
        ],
    )
    assert_flags(missing, "breaks")
    good = check(
        instance,
        [("A1", 0, "B")],
        [
            ("A1", 0, "08:00", "09:45", "GEN"),
            ("A1", 0, "09:45", "10:00", "BREAK"),
            ("A1", 0, "10:00", "10:15", "GEN"),
            ("A1", 0, "10:15", "10:30", "BREAK"),
            ("A1", 0, "10:30", "12:00", "GEN"),
        ],
    )
    assert not good.hard, [str(v) for v in good.hard]


# --- activities (tiling) ----------------------------------------------------------------------
PLAIN = shift("P", "08:00", 240)


def _plain_instance():
    return build(
        [agent("A1")], [PLAIN], rules=NO_PHONE_CAP, need=need(("09:00", "10:00", 1, "GEN"))
    )


def test_solver_tiles_every_shift():
    # demand covers only an hour of the shift; the other hours must still be filled
    instance = _plain_instance()
    result, _ = solve_and_audit(instance)
    assert result.roster.assignments
    assert_tiles(instance, result.roster)


def test_checker_flags_gap_between_blocks():
    instance = _plain_instance()
    report = check(
        instance,
        [("A1", 0, "P")],
        [("A1", 0, "08:00", "10:00", "GEN"), ("A1", 0, "10:15", "12:00", "GEN")],
    )
    assert_flags(report, "activities")


def test_checker_flags_overlapping_blocks():
    instance = _plain_instance()
    report = check(
        instance,
        [("A1", 0, "P")],
        [("A1", 0, "08:00", "10:15", "GEN"), ("A1", 0, "10:00", "12:00", "GEN")],
    )
    assert_flags(report, "activities")


def test_checker_flags_blocks_ending_early():
    instance = _plain_instance()
    report = check(instance, [("A1", 0, "P")], [("A1", 0, "08:00", "11:00", "GEN")])
    assert_flags(report, "activities")


def test_checker_flags_shift_without_blocks_and_unknown_activity():
    instance = _plain_instance()
    assert_flags(check(instance, [("A1", 0, "P")], []), "activities")
    unknown = check(instance, [("A1", 0, "P")], [("A1", 0, "08:00", "12:00", "COFFEE")])
    assert_flags(unknown, "activities")


def test_checker_flags_block_outside_any_shift():
    instance = _plain_instance()
    roster = roster_of(instance, [], [])
    stray = Activity(
        agent_id="A1",
        date=MONDAY,
        start=dt.datetime(2026, 3, 2, 8, 0),
        end=dt.datetime(2026, 3, 2, 9, 0),
        activity="GEN",
    )
    report = audit(instance, roster.model_copy(update={"activities": (stray,)}))
    assert_flags(report, "activities")


def test_checker_accepts_exact_tiling():
    instance = _plain_instance()
    report = check(
        instance,
        [("A1", 0, "P")],
        [("A1", 0, "08:00", "10:00", "GEN"), ("A1", 0, "10:00", "12:00", "GEN")],
    )
    assert not flagged(report, "activities")


# --- max_continuous_phone_minutes -------------------------------------------------------------
# One 15-minute break anywhere in a 4-hour shift: with at most 150 minutes on the phone it
# must start between +75 and +150 minutes (09:15 to 10:30).
ONE_BREAK = shift("P", "08:00", 240, breaks=[("BREAK", 15, 0, 225)])


def _phone_instance():
    # nobody is needed 08:00-08:15: the break would best sit there, leaving 225 min of calls
    return build([agent("A1")], [ONE_BREAK], need=need(("08:15", "12:00", 1, "GEN")))


def test_solver_caps_continuous_phone_time():
    result, _ = solve_and_audit(_phone_instance())
    assert result.roster.assignments
    assert max(e - s for s, e in stretches(result, {"GEN"})) <= 150
    (start,) = [s for s, _, a in blocks(result) if a == "BREAK"]
    assert "09:15" <= start <= "10:30"


def test_checker_flags_too_long_on_the_phone():
    instance = _phone_instance()
    report = check(
        instance,
        [("A1", 0, "P")],
        [("A1", 0, "08:00", "08:15", "BREAK"), ("A1", 0, "08:15", "12:00", "GEN")],
    )
    assert_flags(report, "max_continuous_phone_minutes")
    fine = check(
        instance,
        [("A1", 0, "P")],
        [
            ("A1", 0, "08:00", "10:00", "GEN"),
            ("A1", 0, "10:00", "10:15", "BREAK"),
            ("A1", 0, "10:15", "12:00", "GEN"),
        ],
    )
    assert not fine.hard, [str(v) for v in fine.hard]


# --- complaint limits -------------------------------------------------------------------------
COMPLAINT_SHIFT = shift("C", "08:00", 240)


def _complaint_instance(**rules):
    # complaints are wanted all shift long; general calls not at all
    return build(
        [agent("A1", skills=("GEN", "CMP"))],
        [COMPLAINT_SHIFT],
        interval=30,
        queues=(GEN, CMP),
        rules={**NO_PHONE_CAP, **rules},
        need=need(("08:00", "12:00", 1, "CMP")),
    )


def _minutes(spans) -> int:
    return sum(e - s for s, e in spans)


def test_solver_caps_continuous_complaint_minutes():
    instance = _complaint_instance(
        max_complaint_continuous_minutes=60, complaint_recovery_minutes=0
    )
    result, _ = solve_and_audit(instance)
    spans = stretches(result, {"CMP"})
    assert max(e - s for s, e in spans) <= 60
    assert _minutes(spans) == 180  # CC G CC G CC: 6 of 8 half-hours


def test_solver_keeps_complaint_recovery_time():
    instance = _complaint_instance(
        max_complaint_continuous_minutes=60, complaint_recovery_minutes=60
    )
    result, _ = solve_and_audit(instance)
    spans = stretches(result, {"CMP"})
    assert all(b[0] - a[1] >= 60 for a, b in itertools.pairwise(spans)), spans
    assert _minutes(spans) == 120  # CC GG CC GG at best


def test_solver_caps_daily_complaint_minutes():
    instance = _complaint_instance(max_complaint_daily_minutes=60)
    result, _ = solve_and_audit(instance)
    assert _minutes(stretches(result, {"CMP"})) == 60


def test_checker_flags_long_complaint_stretch():
    instance = _complaint_instance(
        max_complaint_continuous_minutes=60, complaint_recovery_minutes=0
    )
    report = check(
        instance,
        [("A1", 0, "C")],
        [("A1", 0, "08:00", "09:30", "CMP"), ("A1", 0, "09:30", "12:00", "GEN")],
    )
    assert_flags(report, "max_complaint_continuous_minutes")
    assert not flagged(
        check(
            instance,
            [("A1", 0, "C")],
            [("A1", 0, "08:00", "09:00", "CMP"), ("A1", 0, "09:00", "12:00", "GEN")],
        ),
        "max_complaint_continuous_minutes",
    )


def test_checker_flags_short_complaint_recovery():
    instance = _complaint_instance(
        max_complaint_continuous_minutes=60, complaint_recovery_minutes=60
    )
    short = [
        ("A1", 0, "08:00", "09:00", "CMP"),
        ("A1", 0, "09:00", "09:30", "GEN"),
        ("A1", 0, "09:30", "10:00", "CMP"),
        ("A1", 0, "10:00", "12:00", "GEN"),
    ]
    assert_flags(check(instance, [("A1", 0, "C")], short), "complaint_recovery_minutes")
    enough = [
        ("A1", 0, "08:00", "09:00", "CMP"),
        ("A1", 0, "09:00", "10:00", "GEN"),
        ("A1", 0, "10:00", "11:00", "CMP"),
        ("A1", 0, "11:00", "12:00", "GEN"),
    ]
    assert not check(instance, [("A1", 0, "C")], enough).hard


def test_checker_flags_too_many_complaint_minutes_in_a_shift():
    instance = _complaint_instance(max_complaint_daily_minutes=60)
    report = check(
        instance,
        [("A1", 0, "C")],
        [
            ("A1", 0, "08:00", "09:00", "CMP"),
            ("A1", 0, "09:00", "10:00", "GEN"),
            ("A1", 0, "10:00", "10:30", "CMP"),
            ("A1", 0, "10:30", "12:00", "GEN"),
        ],
    )
    assert_flags(report, "max_complaint_daily_minutes")
    assert "90" in flagged(report, "max_complaint_daily_minutes")[0].detail


# --- new_hire_complaints ----------------------------------------------------------------------
def _new_hire_instance(**rules):
    return build(
        [
            agent("NH", skills=("GEN", "CMP"), hire_date=MONDAY - dt.timedelta(days=30)),
            agent("EX", skills=("GEN", "CMP")),
        ],
        [COMPLAINT_SHIFT],
        interval=30,
        queues=(GEN, CMP),
        rules={**NO_PHONE_CAP, **rules},
        need=need(("08:00", "12:00", 1, "CMP"), ("08:00", "12:00", 1, "GEN")),
    )


def test_solver_keeps_new_hires_off_complaints():
    # EX cannot take complaints all four hours (120 min cap, 30 min recovery): NH is needed
    # there but may not go
    result, _ = solve_and_audit(_new_hire_instance())
    assert blocks(result, "NH"), "the new hire should work the general queue"
    assert not [b for b in blocks(result, "NH") if b[2] == "CMP"]


def test_checker_flags_new_hire_on_complaints():
    instance = _new_hire_instance()
    rows = [("NH", 0, "C")]
    activities = [("NH", 0, "08:00", "09:00", "CMP"), ("NH", 0, "09:00", "12:00", "GEN")]
    assert_flags(check(instance, rows, activities), "new_hire_complaints", "NH")
    allowed = _new_hire_instance(new_hire_complaints=True)
    assert not flagged(check(allowed, rows, activities), "new_hire_complaints")


# --- skills (queues) --------------------------------------------------------------------------
def _queue_skills_instance():
    return build(
        [agent("A1", skills=("GEN",)), agent("A2", skills=("GEN", "SAL"))],
        [COMPLAINT_SHIFT],
        interval=30,
        queues=(GEN, SAL),
        rules=NO_PHONE_CAP,
        need=need(("08:00", "10:00", 1, "GEN"), ("08:00", "12:00", 2, "SAL")),
    )


def test_solver_keeps_agents_on_their_queues():
    # after 10:00 A1 is idle on GEN while SAL is short: A1 may still not take SAL
    result, _ = solve_and_audit(_queue_skills_instance())
    assert blocks(result, "A1")
    assert {a for _, _, a in blocks(result, "A1")} == {"GEN"}


def test_checker_flags_queue_outside_skills():
    instance = _queue_skills_instance()
    report = check(
        instance,
        [("A1", 0, "C")],
        [("A1", 0, "08:00", "10:00", "GEN"), ("A1", 0, "10:00", "12:00", "SAL")],
    )
    assert_flags(report, "skills")
    assert "SAL" in flagged(report, "skills")[0].detail
