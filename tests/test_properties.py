"""Property: on any small generated instance the solver's roster passes the rule checker."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest
from builders import solve_and_audit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.generate import GeneratorSpec, generate
from scheduler.model import BREAK, LUNCH


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    agents=st.integers(min_value=3, max_value=6),
    days=st.integers(min_value=1, max_value=3),
    queues=st.integers(min_value=1, max_value=3),
    seed=st.integers(min_value=0, max_value=2**31 - 1),
)
def test_generated_rosters_pass_the_rule_checker(agents, days, queues, seed):
    instance = generate(
        GeneratorSpec(agents=agents, days=days, queues=queues, seed=seed, interval_minutes=30)
    )
    result, report = solve_and_audit(instance, deterministic=2.0)

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
