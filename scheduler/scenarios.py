"""What-if scenarios: the baseline instance with rules or settings changed, agents added or
removed, or a wellbeing rule family relaxed."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from scheduler.errors import InputError, Problem
from scheduler.io.cells import CellError, id_list
from scheduler.io.instance_reader import RULES_PARSERS, SETTINGS_PARSERS
from scheduler.io.tables import plain_message, suggest
from scheduler.model import Instance, Rules, Settings

SHEET = "Scenarios"
# Settings a scenario may change; the horizon and the grid are the baseline's.
SCENARIO_SETTINGS = ("shrinkage", "time_limit_seconds", "workers", "seed")
AGENT_KEYS = ("add_agents", "remove_agents")

# Wellbeing rule families a planner can price, in a scheduler's words.
RULE_FAMILIES: dict[str, tuple[str, ...]] = {
    "rest between shifts": ("min_rest_hours", "preferred_rest_hours"),
    "limits on nights": ("max_consecutive_nights", "rest_after_nights_hours"),
    "days in a row": ("max_consecutive_days",),
    "breaks from the phone": ("max_continuous_phone_minutes",),
    "complaint-call limits": (
        "max_complaint_continuous_minutes",
        "complaint_recovery_minutes",
        "max_complaint_daily_minutes",
    ),
    "new-hire protection": ("new_hire_complaints", "new_hire_nights"),
    "fair shares": ("fair_weekends", "fair_holidays", "fair_nights", "fair_complaint_hours"),
    "forward rotation": ("forward_rotation",),
    "agents' wishes": ("requests",),
}


@dataclass
class Scenario:
    """One column of a comparison."""

    name: str
    settings: dict[str, Any] = field(default_factory=dict)
    rules: dict[str, Any] = field(default_factory=dict)
    add_agents: list[tuple[str, int]] = field(default_factory=list)
    remove_agents: list[str] = field(default_factory=list)
    relaxed: frozenset[str] = frozenset()
    changes: list[tuple[str, str]] = field(default_factory=list)  # (what, how) for people
    swept: float | None = None

    @property
    def is_baseline(self) -> bool:
        return not (
            self.settings or self.rules or self.add_agents or self.remove_agents or self.relaxed
        )


def baseline() -> Scenario:
    return Scenario(name="baseline", changes=[("(nothing)", "the workbook as it is")])


def _parse_value(key: str, text: str) -> Any:
    parser = SETTINGS_PARSERS.get(key) or RULES_PARSERS[key]
    return parser(text)


def _known_keys() -> list[str]:
    return [*SCENARIO_SETTINGS, *RULES_PARSERS, *AGENT_KEYS]


def _parse_agent_counts(text: str) -> list[tuple[str, int]]:
    """'A01=2;A05' -> [('A01', 2), ('A05', 1)]."""
    found = []
    for item in id_list(text):
        name, _, count = item.partition("=")
        name = name.strip()
        if not count.strip():
            found.append((name, 1))
            continue
        if not re.fullmatch(r"\d+", count.strip()) or int(count) < 1:
            raise CellError(f"'{item}' should be written agent_id=n with n a whole number >= 1")
        found.append((name, int(count)))
    return found


def _apply_change(scenario: Scenario, key: str, text: str, instance: Instance) -> str | None:
    """Add one change to a scenario; the problem in words, or None."""
    key = key.strip().lower()
    if key in AGENT_KEYS:
        try:
            if key == "add_agents":
                counts = _parse_agent_counts(text)
                ids = [name for name, _ in counts]
            else:
                ids = list(id_list(text))
        except CellError as exc:
            return str(exc)
        unknown = [i for i in ids if i not in instance.agent_by_id]
        if unknown:
            hint = suggest(unknown[0], instance.agent_by_id)
            return f"unknown agent '{unknown[0]}'{hint}"
        if not ids:
            return "names no agent"
        if key == "add_agents":
            scenario.add_agents.extend(counts)
        else:
            scenario.remove_agents.extend(ids)
        scenario.changes.append((key, text))
        return None
    if key not in SETTINGS_PARSERS and key not in RULES_PARSERS:
        return f"unknown key '{key}'{suggest(key, _known_keys())}"
    if key in SETTINGS_PARSERS and key not in SCENARIO_SETTINGS:
        return f"'{key}' cannot change in a scenario (only {', '.join(SCENARIO_SETTINGS)})"
    try:
        value = _parse_value(key, text)
    except CellError as exc:
        return f"{key} {exc}"
    target = scenario.settings if key in SETTINGS_PARSERS else scenario.rules
    target[key] = value
    scenario.changes.append((key, text))
    try:
        apply(instance, scenario)
    except ValidationError as exc:
        del target[key]
        scenario.changes.pop()
        return f"{key} {plain_message(exc.errors()[0])}"
    return None


def workbook_scenarios(instance: Instance) -> list[Scenario]:
    """The Scenarios sheet's scenarios, in order of first appearance; InputError on problems."""
    problems: list[Problem] = []
    by_name: dict[str, Scenario] = {}
    for change in instance.scenarios:
        scenario = by_name.setdefault(change.scenario, Scenario(name=change.scenario))
        problem = _apply_change(scenario, change.key, change.value, instance)
        if problem:
            column = "key" if problem.startswith(("unknown key", "'")) else "value"
            problems.append(Problem(SHEET, change.row, column, problem))
    if problems:
        raise InputError(problems)
    return list(by_name.values())


def sweep_scenarios(instance: Instance, text: str) -> list[Scenario]:
    """--sweep KEY=V1,V2,...: one scenario per value."""
    key, _, values = text.partition("=")
    key = key.strip().lower()
    if not values.strip():
        raise InputError([Problem(message=f"--sweep {text}: write KEY=V1,V2,... ")])
    problems = []
    scenarios = []
    for value in [v.strip() for v in values.split(",") if v.strip()]:
        scenario = Scenario(name=f"{key}={value}")
        problem = _apply_change(scenario, key, value, instance)
        if problem:
            problems.append(Problem(message=f"--sweep {key}={value}: {problem}"))
            continue
        swept = scenario.settings.get(key, scenario.rules.get(key))
        scenario.swept = float(swept) if isinstance(swept, (int, float)) else None
        scenarios.append(scenario)
    if problems:
        raise InputError(problems)
    return scenarios


def price_of_rules_scenarios() -> list[Scenario]:
    """One scenario per wellbeing rule family, with that family relaxed."""
    return [
        Scenario(
            name=f"without {family}",
            relaxed=frozenset(rules),
            changes=[(rule, "relaxed") for rule in rules],
        )
        for family, rules in RULE_FAMILIES.items()
    ]


def apply(instance: Instance, scenario: Scenario) -> Instance:
    """The instance a scenario solves (validated)."""
    if scenario.is_baseline and not scenario.relaxed:
        return instance
    settings = Settings(**{**instance.settings.model_dump(), **scenario.settings})
    rules = Rules(**{**instance.rules.model_dump(), **scenario.rules})
    removed = set(scenario.remove_agents)
    agents = [a for a in instance.agents if a.agent_id not in removed]
    used = {a.agent_id for a in instance.agents}
    copies: dict[str, int] = defaultdict(int)
    for template_id, count in scenario.add_agents:
        template = instance.agent_by_id[template_id]
        for _ in range(count):
            copies[template_id] += 1
            new_id = f"{template_id}+{copies[template_id]}"
            while new_id in used:
                copies[template_id] += 1
                new_id = f"{template_id}+{copies[template_id]}"
            used.add(new_id)
            agents.append(
                template.model_copy(
                    update={
                        "agent_id": new_id,
                        "name": f"{template.name} (copy)".strip(),
                        "consecutive_days_before": 0,
                        "last_shift_end": None,
                        "nights_before": 0,
                    }
                )
            )
    requests = [r for r in instance.requests if r.agent_id not in removed]
    return instance.replace(
        settings=settings,
        rules=rules,
        agents=tuple(agents),
        requests=tuple(requests),
        name=f"{instance.name} [{scenario.name}]",
    )
