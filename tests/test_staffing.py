"""Erlang-C staffing (SPEC section 5): known values, large loads, the occupancy cap, properties."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from scheduler.cli import main
from scheduler.io.instance_reader import read_instance
from scheduler.model import Queue
from scheduler.staffing import (
    agents_for_service_level,
    erlang_c,
    required_agents,
    service_level,
    traffic,
)

QUEUE_180 = Queue(queue_id="GEN", aht_seconds=180)  # 80/20, occupancy cap 0.85


def erlang_c_textbook(agents: int, load: float) -> float:
    """C(N, A) from its closed form, summed in log space (independent of the Erlang-B path)."""
    log_terms = [k * math.log(load) - math.lgamma(k + 1) for k in range(agents)]
    log_last = (
        agents * math.log(load) - math.lgamma(agents + 1) + math.log(agents / (agents - load))
    )
    top = max([*log_terms, log_last])
    head = sum(math.exp(t - top) for t in log_terms)
    last = math.exp(log_last - top)
    return last / (head + last)


# --- the SPEC's worked example --------------------------------------------------------------------
def test_known_values_100_calls_in_30_minutes():
    assert traffic(100, 180, 30) == pytest.approx(10.0)
    assert service_level(14, 10.0, 180, 20) == pytest.approx(0.888, abs=0.0005)
    assert service_level(13, 10.0, 180, 20) == pytest.approx(0.796, abs=0.0005)
    assert agents_for_service_level(10.0, 180, 20, 0.80) == 14
    staffing = required_agents(100, QUEUE_180, 30, 0.10)
    assert staffing.load == pytest.approx(10.0)
    assert staffing.erlang_agents == 14
    assert staffing.occupancy_agents == 12  # ceil(10 / 0.85): not binding here
    assert staffing.required == 16  # ceil(14 / 0.9)


def test_erlang_c_matches_the_closed_form():
    assert erlang_c(14, 10.0) == pytest.approx(erlang_c_textbook(14, 10.0), rel=1e-12)
    assert erlang_c(1, 0.5) == pytest.approx(0.5)  # M/M/1: waiting probability = utilisation


def test_no_shrinkage_rosters_the_erlang_number():
    assert required_agents(100, QUEUE_180, 30, 0.0).required == 14


@pytest.mark.parametrize("calls", [0, 0.0])
def test_zero_calls_need_zero_agents(calls):
    staffing = required_agents(calls, QUEUE_180, 30, 0.10)
    assert (staffing.load, staffing.erlang_agents, staffing.occupancy_agents) == (0, 0, 0)
    assert staffing.required == 0
    assert agents_for_service_level(0.0, 180, 20, 0.8) == 0


def test_thousands_of_agents_are_exact_and_sensible():
    """2,000 Erlangs: the recursion stays finite and exact (its speed is a benchmark matter)."""
    load = 2000.0
    agents = agents_for_service_level(load, 180, 20, 0.80)
    level = service_level(agents, load, 180, 20)
    below = service_level(agents - 1, load, 180, 20)
    assert load < agents < load * 1.05
    # The Erlang-B recursion agrees with the closed form summed in log space, at this size too.
    for n in (agents - 1, agents, agents + 50):
        assert erlang_c(n, load) == pytest.approx(erlang_c_textbook(n, load), rel=1e-9)
    assert math.isfinite(level) and math.isfinite(below)
    assert level >= 0.80 > below
    # Through required_agents: 12,000 calls of 300 s in 30 minutes are 2,000 Erlangs.
    queue = Queue(queue_id="BIG", aht_seconds=300, max_occupancy=0.99)
    staffing = required_agents(12_000, queue, 30, 0.0)
    assert staffing.load == pytest.approx(2000.0)
    assert staffing.erlang_agents == agents_for_service_level(2000.0, 300, 20, 0.80)
    assert staffing.required == max(staffing.erlang_agents, staffing.occupancy_agents)


def test_occupancy_cap_binds_on_large_queues():
    # 1,000 calls, AHT 180 s, 30 minutes: A = 100; Erlang C needs about 107, but 85 % occupancy
    # needs ceil(100 / 0.85) = 118 on the phone, so 118 / 0.9 -> 132 are rostered.
    staffing = required_agents(1000, QUEUE_180, 30, 0.10)
    assert staffing.load == pytest.approx(100.0)
    assert staffing.erlang_agents < staffing.occupancy_agents == 118
    assert staffing.required == 132
    capped = Queue(queue_id="CMP", aht_seconds=180, complaint=True)  # default cap 0.75
    assert required_agents(1000, capped, 30, 0.0).occupancy_agents == math.ceil(100 / 0.75)


def test_occupancy_cap_exact_multiple_is_not_rounded_up():
    # A = 85 with a 0.85 cap needs exactly 100 on the phone, not 101.
    queue = Queue(queue_id="Q", aht_seconds=180, service_level=0.01, max_occupancy=0.85)
    staffing = required_agents(850, queue, 30, 0.0)
    assert staffing.occupancy_agents == 100


# --- properties --------------------------------------------------------------------------------
targets = st.sampled_from([0.5, 0.7, 0.8, 0.9, 0.95])
answers = st.sampled_from([0, 10, 20, 30, 60])
ahts = st.floats(min_value=30, max_value=1200)


@settings(max_examples=60, deadline=None)
@given(
    calls=st.floats(min_value=0, max_value=400),
    extra=st.floats(min_value=0, max_value=200),
    aht=ahts,
    target=targets,
    answer=answers,
    shrinkage=st.sampled_from([0.0, 0.1, 0.3]),
)
def test_required_agents_are_monotone_in_calls(calls, extra, aht, target, answer, shrinkage):
    queue = Queue(queue_id="Q", aht_seconds=aht, service_level=target, answer_seconds=answer)
    fewer = required_agents(calls, queue, 15, shrinkage)
    more = required_agents(calls + extra, queue, 15, shrinkage)
    assert fewer.erlang_agents <= more.erlang_agents
    assert fewer.required <= more.required


@settings(max_examples=60, deadline=None)
@given(
    load=st.floats(min_value=0.01, max_value=5000),
    aht=ahts,
    target=targets,
    answer=answers,
)
def test_n_is_the_smallest_that_meets_the_target(load, aht, target, answer):
    agents = agents_for_service_level(load, aht, answer, target)
    level = service_level(agents, load, aht, answer)
    assert agents > load
    assert math.isfinite(level) and 0.0 <= level <= 1.0
    assert level >= target
    if agents - 1 > load:
        assert service_level(agents - 1, load, aht, answer) < target
    else:
        assert agents == math.floor(load) + 1


@settings(max_examples=40, deadline=None)
@given(
    load=st.floats(min_value=0.01, max_value=5000),
    offset=st.integers(min_value=1, max_value=200),
)
def test_erlang_c_is_a_finite_probability(load, offset):
    agents = math.floor(load) + offset
    wait = erlang_c(agents, load)
    assert math.isfinite(wait)
    assert 0.0 <= wait <= 1.0
    assert erlang_c(agents + 1, load) <= wait + 1e-12  # one more agent never waits longer


@settings(max_examples=40, deadline=None)
@given(load=st.floats(min_value=0.05, max_value=150), offset=st.integers(1, 40))
def test_erlang_b_recursion_matches_the_closed_form(load, offset):
    agents = math.floor(load) + offset
    assert erlang_c(agents, load) == pytest.approx(
        erlang_c_textbook(agents, load), rel=1e-9, abs=1e-300
    )


# --- the staffing command ------------------------------------------------------------------------
STAFFING_COLUMNS = [
    "date",
    "time",
    "queue_id",
    "calls",
    "load_erlangs",
    "erlang_agents",
    "occupancy_agents",
    "required",
    "service_level",
]


def test_staffing_command_writes_the_table(tmp_path, capsys, instances_dir):
    source = instances_dir / "tiny.xlsx"
    before = source.read_bytes()
    out = tmp_path / "staffing.xlsx"
    assert main(["staffing", str(source), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Required agents per 30-minute interval" in printed
    assert source.read_bytes() == before

    instance = read_instance(source)
    ws = load_workbook(out, read_only=True)["Staffing"]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    assert header == STAFFING_COLUMNS
    data = [dict(zip(header, r)) for r in rows[1:] if any(v is not None for v in r)]
    assert len(data) == len(instance.interval_demand)
    demand = {(d.date, d.time, d.queue_id): d.calls for d in instance.interval_demand}
    interval = instance.settings.interval_minutes
    shrinkage = instance.settings.shrinkage
    for row in data:
        day = row["date"].date() if isinstance(row["date"], dt.datetime) else row["date"]
        key = (day, row["time"], row["queue_id"])
        assert key in demand
        assert row["calls"] == pytest.approx(demand[key])
        queue = instance.queue_by_id[row["queue_id"]]
        expected = required_agents(demand[key], queue, interval, shrinkage)
        assert row["required"] == expected.required
        assert row["erlang_agents"] == expected.erlang_agents
        assert row["occupancy_agents"] == expected.occupancy_agents
        assert row["load_erlangs"] == pytest.approx(expected.load, abs=0.001)
        if expected.load > 0:
            assert row["service_level"] >= queue.service_level - 1e-4
    assert any(r["required"] > 0 for r in data)
    peaks = {q.queue_id: max(r["required"] for r in data if r["queue_id"] == q.queue_id)
             for q in instance.queues}  # fmt: skip
    for queue_id, peak in peaks.items():
        line = next(x for x in printed.splitlines() if x.split()[:1] == [queue_id])
        assert int(line.split()[2]) == peak
