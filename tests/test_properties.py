"""Property: on any small generated instance the solver's roster passes the rule checker.

The instances come from the seeded generator (24/7 demand, nights that cross midnight, breaks,
complaint queues, new hires, history and requests), varied further here: 15- or 30-minute
intervals, horizons over weekends and public holidays, history columns overridden (nights worked
just before the horizon among them) and extra OFF, AVOID, PREFER, LEAVE and FIXED requests. FIXED
requests only go where some roster can honour them, so every instance has a roster.

How many examples run is the hypothesis profile's business (tests/conftest.py): "ci" by default,
derandomized; HYPOTHESIS_PROFILE=long for a long local run.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict

import pytest
from builders import solve_and_audit
from hypothesis import event, example, given
from hypothesis import strategies as st

from scheduler.generate import GeneratorSpec, generate
from scheduler.model import BREAK, LUNCH, Agent, Instance, Request, RequestType

# Monday; Thursday before Christmas (25 and 26 December are German holidays, then a weekend);
# Friday (a weekend follows).
STARTS = (dt.date(2026, 12, 21), dt.date(2026, 12, 24), dt.date(2026, 3, 6))
NIGHT_END = dt.time(6, 30)  # the generator's night shift N runs 22:00-06:30
DAY_SHIFTS = ("E", "D", "M", "L", "P")
WISHES = (RequestType.OFF, RequestType.AVOID, RequestType.PREFER, RequestType.LEAVE)


class _Choices:
    """Where an instance's variations come from: hypothesis's draws, or a seeded generator for
    the pinned examples that make sure every feature is run whatever hypothesis draws."""

    def __init__(self, draw=None, seed: int = 0) -> None:
        self._draw = draw
        self._rng = random.Random(seed)

    def integer(self, low: int, high: int) -> int:
        if self._draw is None:
            return self._rng.randint(low, high)
        return self._draw(st.integers(min_value=low, max_value=high))

    def pick(self, options):
        options = tuple(options)
        if self._draw is None:
            return self._rng.choice(options)
        return self._draw(st.sampled_from(options))


def _with_history(choose: _Choices, agent: Agent, start: dt.date, before=None) -> Agent:
    """The agent with history columns chosen: burden carried so far and, sometimes, a run of
    nights (ending 06:30 on the first day) or of days worked right up to the horizon."""
    changes: dict = {
        "hist_weekends": choose.integer(0, 12),
        "hist_holidays": choose.integer(0, 4),
        "hist_nights": choose.integer(0, 20) if agent.night_ok else 0,
        "hist_complaint_hours": choose.integer(0, 80) if "CMP" in agent.skills else 0,
    }
    before = before or choose.pick(("as generated", "rested", "nights", "days"))
    if before == "rested":
        changes.update(consecutive_days_before=0, last_shift_end=None, nights_before=0)
    elif before == "nights" and agent.night_ok:
        nights = choose.integer(1, 3)
        changes.update(
            consecutive_days_before=choose.integer(nights, 6),
            nights_before=nights,
            last_shift_end=dt.datetime.combine(start, NIGHT_END),
        )
    elif before == "days":
        changes.update(
            consecutive_days_before=choose.integer(1, 6),
            nights_before=0,
            last_shift_end=dt.datetime.combine(start - dt.timedelta(days=1), dt.time(16, 30)),
        )
    return Agent(**{**agent.model_dump(), **changes})


def _instance(
    choose: _Choices,
    interval: int | None = None,
    days: int | None = None,
    queues: int | None = None,
    start: dt.date | None = None,
    every_feature: bool = False,
) -> Instance:
    """A generated instance varied by `choose`. With every_feature, an agent who can work
    nights has worked them up to the horizon, every kind of wish is asked for, and a fresh
    night-capable agent (if any) is pinned to a night shift."""
    interval = interval or choose.pick((15, 30))
    days = days or choose.pick((3, 2, 1))
    start = start or choose.pick(STARTS)
    spec = GeneratorSpec(
        agents=choose.integer(3, 6),
        days=days,
        queues=queues or choose.pick((2, 1, 3)),  # 2 and 3 have a complaint queue
        seed=choose.integer(0, 2**31 - 1),
        interval_minutes=interval,
        start_date=start,
    )
    instance = generate(spec)
    dates = [start + dt.timedelta(days=d) for d in range(days)]
    night_runner = next((a.agent_id for a in instance.agents if a.night_ok), None)
    agents = [
        _with_history(choose, agent, start,
                      "nights" if every_feature and agent.agent_id == night_runner else None)
        for agent in instance.agents
    ]  # fmt: skip

    requests = list(instance.requests)
    taken = {(r.agent_id, r.date) for r in requests}
    all_shifts = [s.shift_id for s in instance.shifts]
    wishes = WISHES if every_feature else [choose.pick(WISHES) for _ in range(choose.integer(0, 4))]
    for kind in wishes:
        agent = choose.pick(agents)
        date = choose.pick(dates)
        if (agent.agent_id, date) in taken:
            continue
        shift_id = choose.pick(agent.shifts or all_shifts)
        requests.append(Request(agent_id=agent.agent_id, date=date, type=kind,
                                shift_id=shift_id, weight=choose.pick((1, 2, 5))))  # fmt: skip
        taken.add((agent.agent_id, date))

    # FIXED: at most one per agent, for agents fresh at the start (no shift just before, no
    # run to continue), full-time so one shift fits the short horizon's scaled weekly limits;
    # a night shift only for experienced agents who may work nights.
    new_hire_before = start - dt.timedelta(days=instance.rules.new_hire_days)

    def night_capable(a: Agent) -> bool:
        return a.night_ok and (a.hire_date is None or a.hire_date <= new_hire_before)

    fixed = {r.agent_id for r in requests if r.type == RequestType.FIXED}
    fresh = [
        a for a in agents
        if a.agent_id not in fixed and a.last_shift_end is None
        and a.consecutive_days_before == 0 and a.nights_before == 0 and a.fte == 1.0
        and a.shifts is None
    ]  # fmt: skip
    if every_feature:
        fresh.sort(key=lambda a: not night_capable(a))
    for number in range(choose.integer(1, 2) if days >= 2 else 0):
        if not fresh:
            break
        agent = fresh[0] if every_feature and number == 0 else choose.pick(fresh)
        fresh.remove(agent)
        choices = (("N",) if night_capable(agent) else ()) + DAY_SHIFTS
        shift_id = choices[0] if every_feature and number == 0 else choose.pick(choices)
        free = [d for d in dates if (agent.agent_id, d) not in taken]
        if free:
            date = choose.pick(free)
            requests.append(Request(agent_id=agent.agent_id, date=date, type=RequestType.FIXED,
                                    shift_id=shift_id))  # fmt: skip
            taken.add((agent.agent_id, date))
    return instance.replace(agents=tuple(agents), requests=tuple(requests))


@st.composite
def instances(draw) -> Instance:
    return _instance(_Choices(draw))


# Pinned examples, run under every profile: each feature at least once.
FEATURED = (
    # 15-minute intervals, Christmas holidays then a weekend, a complaint queue among three
    _instance(_Choices(seed=1), interval=15, days=3, queues=3, start=STARTS[1], every_feature=True),
    # 30-minute intervals over four days (the generator pins day shifts itself), two queues
    _instance(_Choices(seed=2), interval=30, days=4, queues=2, start=STARTS[0], every_feature=True),
    # 15-minute intervals into a weekend, one queue
    _instance(_Choices(seed=3), interval=15, days=2, queues=1, start=STARTS[2], every_feature=True),
)


@given(instance=instances())
@example(instance=FEATURED[0])
@example(instance=FEATURED[1])
@example(instance=FEATURED[2])
def test_generated_rosters_pass_the_rule_checker(instance):
    settings = instance.settings
    event(f"{settings.interval_minutes}-minute intervals, {settings.days} day(s)")
    event(f"{len(instance.agents)} agents, {len(instance.queues)} queue(s)")
    for kind in sorted({r.type.value for r in instance.requests}):
        event(f"request {kind}")
    if any(a.nights_before for a in instance.agents):
        event("nights worked just before the horizon")
    result, report = solve_and_audit(instance, deterministic=1.0)
    if any(a.end.date() > a.date for a in result.roster.assignments):
        event("a shift worked across midnight")
    if any(b.activity in {q.queue_id for q in instance.queues if q.complaint}
           for b in result.roster.activities or ()):  # fmt: skip
        event("complaint calls taken")

    assert report.hard == []
    assert result.objective == pytest.approx(report.objective, abs=0.01)
    assert result.status in ("OPTIMAL", "FEASIBLE")

    roster = result.roster
    assert roster.activities is not None
    allowed = {q.queue_id for q in instance.queues} | {BREAK, LUNCH}
    blocks = defaultdict(list)
    for block in roster.activities:
        assert block.start < block.end
        assert block.activity in allowed
        blocks[(block.agent_id, block.date)].append(block)
    keys = {(a.agent_id, a.date) for a in roster.assignments}
    assert len(keys) == len(roster.assignments)  # one shift per agent and date
    assert set(blocks) == keys
    for assignment in roster.assignments:
        parts = sorted(blocks[(assignment.agent_id, assignment.date)], key=lambda b: b.start)
        assert parts[0].start == assignment.start
        assert parts[-1].end == assignment.end
        for before, after in itertools.pairwise(parts):
            assert before.end == after.start
    # Hard requests, seen directly as well as by the checker.
    worked = {(a.agent_id, a.date): a.shift_id for a in roster.assignments}
    for request in instance.requests:
        if request.type == RequestType.FIXED:
            assert worked.get((request.agent_id, request.date)) == request.shift_id
        elif request.type == RequestType.LEAVE:
            assert (request.agent_id, request.date) not in worked


def test_the_pinned_examples_cover_every_feature():
    """Whatever hypothesis draws, the property runs on each feature at least once."""
    kinds = {r.type for instance in FEATURED for r in instance.requests}
    assert kinds == set(RequestType)
    assert {instance.settings.interval_minutes for instance in FEATURED} == {15, 30}
    assert any(q.complaint for instance in FEATURED for q in instance.queues)
    assert any(instance.holidays for instance in FEATURED)
    assert any(a.nights_before for instance in FEATURED for a in instance.agents)
    night_pins = [
        r for instance in FEATURED for r in instance.requests
        if r.type == RequestType.FIXED and instance.shift_by_id[r.shift_id].night
    ]  # fmt: skip
    assert night_pins  # a night shift that runs past midnight must be worked
    assert all(
        instance.shift_by_id["N"].start.hour * 60 + instance.shift_by_id["N"].duration_minutes
        > 24 * 60
        for instance in FEATURED
    )
