"""The day model's first placement of breaks: where colleagues stay on the phone, and never
against a shift's hard rules (windows, no overlap, same activity apart, phone-time cap)."""

from __future__ import annotations

from builders import (
    GEN,
    WEEK_LIMITS_OFF,
    agent,
    make_instance,
    minute_of_day,
    need,
    shift,
    solve_and_audit,
)

from scheduler.solver.assemble import build_intraday
from scheduler.solver.break_start import greedy_break_starts, start_from_breaks
from scheduler.solver.context import ModelContext, evaluate
from scheduler.solver.coverage import demand_by_slot
from scheduler.solver.search import Budget
from scheduler.solver.stopping import NEVER

# One 15-minute break anywhere from 09:00 to 11:00 of a 08:00-12:00 shift.
MORNING = shift("M", "08:00", 240, breaks=[("BREAK", 15, 60, 180)])
BUDGET = Budget(seconds=60.0, deterministic=5.0, workers=1, seed=0)


def _day_model(instance):
    """The day model of day 0 with every agent on the instance's first shift."""
    probe = ModelContext(instance)
    demand = demand_by_slot(probe)
    today = {(number, 0): instance.shifts[0] for number in range(len(instance.agents))}
    return build_intraday(instance, today, demand), demand


def _break_starts(context, values: dict[int, int]) -> list[str]:
    """'HH:MM' of every chosen break start, in time order."""
    interval = context.horizon.interval
    found = []
    for occurrences in context.occurrences.values():
        for occurrence in occurrences:
            for choice in occurrence.breaks:
                for slot, literal in choice.options:
                    if values[literal.index]:
                        minute = slot * interval
                        found.append(f"{minute // 60:02d}:{minute % 60:02d}")
    return sorted(found)


def _three_agents_one_quiet_stretch():
    # Three agents are needed all morning except 10:00-10:45, where two will do: one agent
    # can be spared in each of those three intervals and nowhere else.
    def required(day: int, minute: int, queue_id: str) -> int:
        if day or queue_id != "GEN" or not 480 <= minute < 720:
            return 0
        return 2 if minute_of_day("10:00") <= minute < minute_of_day("10:45") else 3

    agents = [agent(f"A{n}") for n in (1, 2, 3)]
    return make_instance(
        agents, [MORNING], days=1, interval=15, need=required, rules=WEEK_LIMITS_OFF
    )


def test_breaks_go_where_an_agent_can_be_spared():
    instance = _three_agents_one_quiet_stretch()
    context, demand = _day_model(instance)
    breaks = greedy_break_starts(context, demand)
    assert breaks is not None
    assert _break_starts(context, breaks) == ["10:00", "10:15", "10:30"]
    found = start_from_breaks(context, breaks, BUDGET, NEVER)
    assert found is not None
    values, _ = found
    under = sum(p.expr for p in context.penalties if p.rule == "weight_under")
    assert evaluate(under, values) == 0  # every call covered with these breaks


def test_solver_roster_from_the_placed_breaks_covers_everything():
    result, report = solve_and_audit(_three_agents_one_quiet_stretch())
    starts = sorted(f"{b.start:%H:%M}" for b in result.roster.activities if b.activity == "BREAK")
    assert starts == ["10:00", "10:15", "10:30"]
    assert "weight_under" not in report.penalties()  # every call covered


def test_placed_breaks_keep_same_activity_apart_and_the_phone_cap():
    # Two breaks whose best spots (nobody needed 09:45-10:15) would touch, and a 150-minute
    # phone cap that a break late in the window would break.
    two_breaks = shift("B", "08:00", 240, breaks=[("BREAK", 15, 105, 120), ("BREAK", 15, 120, 135)])
    instance = make_instance(
        [agent("A1")],
        [two_breaks],
        days=1,
        interval=15,
        need=need((0, "08:00", "09:45", 1, "GEN"), (0, "10:15", "12:00", 1, "GEN")),
        rules=WEEK_LIMITS_OFF | {"max_continuous_phone_minutes": 150},
        queues=(GEN,),
    )
    context, demand = _day_model(instance)
    breaks = greedy_break_starts(context, demand)
    assert breaks is not None
    first, second = _break_starts(context, breaks)
    assert minute_of_day(second) - minute_of_day(first) > 15  # not touching
    assert start_from_breaks(context, breaks, BUDGET, NEVER) is not None  # every rule holds


def test_no_placement_when_the_phone_cap_leaves_no_combination():
    # A 60-minute cap on a four-hour shift with one break: no placement keeps it.
    instance = make_instance(
        [agent("A1")],
        [MORNING],
        days=1,
        interval=15,
        need=need((0, "08:00", "12:00", 1, "GEN")),
        rules=WEEK_LIMITS_OFF | {"max_continuous_phone_minutes": 60},
    )
    context, demand = _day_model(instance)
    assert greedy_break_starts(context, demand) is None
