"""min_rest_hours binds: the solver never breaks it and the checker flags a roster that does."""

from builders import agent, make_instance, roster_of, rules_broken, shift, solve_and_audit

from scheduler.audit import audit


def _instance():
    late = shift("L", "14:00", 480)
    early = shift("E", "06:00", 480)
    return make_instance(
        [agent("A1")],
        [early, late],
        days=2,
        need=lambda day, minute, q: 1 if (day == 0 and minute >= 14 * 60 and minute < 22 * 60)
        or (day == 1 and 6 * 60 <= minute < 14 * 60) else 0,
        rules={"min_consecutive_days": 1},
    )


def test_solver_keeps_minimum_rest():
    result, report = solve_and_audit(_instance())
    worked = {(a.date.day, a.shift_id) for a in result.roster.assignments}
    assert not ({(2, "L"), (3, "E")} <= worked)


def test_checker_flags_short_rest():
    instance = _instance()
    report = audit(instance, roster_of(instance, [("A1", 0, "L"), ("A1", 1, "E")]))
    assert "min_rest_hours" in rules_broken(report)
