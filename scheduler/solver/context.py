"""The model under construction: decision variables, penalty terms and rule guards.

Rule modules receive a ModelContext, add their constraints through it and return named penalty
terms. In diagnosis mode every hard constraint is guarded by a literal keyed by its rule, agent and
dates, so that an infeasible instance can be explained by the guards that cannot all hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model, cp_model_helper

from scheduler.horizon import AgentTerms, Horizon, agent_terms
from scheduler.model import Agent, BreakSpec, Instance, Shift

# Objective units per unit of penalty: fractional penalties (hours of short rest, per-FTE
# fairness) stay integers with three decimals.
SCALE = 1000
# Per-FTE fairness totals are modelled in hundredths.
FAIRNESS_RESOLUTION = 100

Literal = cp_model.IntVar | int


@dataclass
class BreakChoice:
    """Where one break of one shift occurrence may start: (first slot, literal) options."""

    spec: BreakSpec
    length: int
    options: list[tuple[int, cp_model.IntVar]]


@dataclass
class Occurrence:
    """An agent working a shift starting on a day: the literal and its timing."""

    agent: int
    day: int
    shift: Shift
    var: cp_model.IntVar
    start: int
    end: int
    slots: range
    breaks: list[BreakChoice] = field(default_factory=list)


@dataclass(frozen=True)
class BurdenLoad:
    """One agent's burden total per FTE with history, in hundredths: the history part plus
    `step` for each true literal (a weekend day, holiday or night worked)."""

    history: int
    step: int
    literals: tuple[cp_model.IntVar, ...]

    def expr(self) -> cp_model.LinearExprT:
        return self.history + self.step * sum(self.literals)

    def value(self, values: Sequence[int]) -> int:
        """The total under a full solution."""
        return self.history + self.step * sum(values[lit.index] for lit in self.literals)

    def totals(self) -> list[int]:
        """Every total the agent can reach, fewest literals first."""
        return [self.history + self.step * n for n in range(len(self.literals) + 1)]


@dataclass(frozen=True)
class GuardKey:
    """What a guarded hard constraint stands for, in the user's terms."""

    rule: str
    agent: str = ""
    days: tuple[int, ...] = ()
    detail: str = ""


@dataclass
class Penalty:
    """A named soft-rule term of the objective, in SCALE units."""

    rule: str
    expr: cp_model.LinearExprT


class ModelContext:
    """Everything rule modules share while the CP-SAT model is built."""

    def __init__(
        self,
        instance: Instance,
        relaxed: Iterable[str] = (),
        diagnose: bool = False,
        stage: str = "integrated",
    ) -> None:
        self.instance = instance
        self.rules = instance.rules
        self.horizon = Horizon(instance)
        self.model = cp_model.CpModel()
        self.relaxed = frozenset(relaxed)
        self.diagnose = diagnose
        # "integrated": shifts and activities in one model; "shifts": the shift stage, with
        # coverage counted per group; "intraday": activities of shifts already chosen.
        self.stage = stage
        self.intraday = stage != "shifts" and bool(instance.queues)
        self.agents: list[Agent] = list(instance.agents)
        self.terms: list[AgentTerms] = [agent_terms(instance, a) for a in self.agents]
        self.days = range(self.horizon.days)
        # (agent, day) -> possible shift occurrences
        self.occurrences: dict[tuple[int, int], list[Occurrence]] = {}
        # (agent, day) -> literal "works that day" (absent when no shift is possible)
        self.works: dict[tuple[int, int], cp_model.IntVar] = {}
        # (agent, day) -> {slot: literal "on a queue in that slot"}
        self.phone: dict[tuple[int, int], dict[int, cp_model.IntVar]] = {}
        # (agent, day) -> {slot: {queue_id: literal}}
        self.queue_at: dict[tuple[int, int], dict[int, dict[str, cp_model.IntVar]]] = {}
        self.penalties: list[Penalty] = []
        # (group or None, day) -> auxiliary variables that only matter for that group of agents
        # on that day (break counts, queue flows) or for that day's coverage (group None);
        # search moves that leave them alone may fix them
        self.scoped: dict[tuple[int | None, int], list[cp_model.IntVar]] = {}
        # the shift stage's break counts and queue flows by key: ("k", group, day, shift_id,
        # break, offset) and ("f", group, day, slot, queue_id); a head-count plan maps onto them
        self.aggregate_vars: dict[tuple, cp_model.IntVar] = {}
        # agent -> the group whose scoped variables its shifts feed
        self.group_of: dict[int, int] = {}
        # fairness rule -> {agent: per-FTE load}; search moves and fairness steps use them
        self.fairness_loads: dict[str, dict[int, BurdenLoad]] = {}
        # Fairness rules whose squared mean is a tangent in this model (large shift stages).
        self.fairness_tangents: set[str] = set()
        # (agent, shift_id) pairs whose breaks and call limits can never all hold
        self.unworkable: set[tuple[int, str]] = set()
        self.guards: dict[GuardKey, cp_model.IntVar] = {}

    # --- rule switches --------------------------------------------------------------------
    def enabled(self, rule: str) -> bool:
        """False when the rule is relaxed for this solve (e.g. a price-of-rules scenario)."""
        return rule not in self.relaxed

    # --- access ---------------------------------------------------------------------------
    def day_occurrences(self, agent: int, day: int) -> list[Occurrence]:
        return self.occurrences.get((agent, day), [])

    def all_occurrences(self) -> Iterable[Occurrence]:
        for found in self.occurrences.values():
            yield from found

    def works_on(self, agent: int, day: int) -> cp_model.IntVar | None:
        """The 'works that day' literal, or None when the agent cannot work that day."""
        return self.works.get((agent, day))

    def agent_id(self, agent: int) -> str:
        return self.agents[agent].agent_id

    # --- hard constraints -----------------------------------------------------------------
    def guard(self, rule: str, agent: int | None = None, days: Sequence[int] = (), detail=""):
        key = GuardKey(
            rule=rule,
            agent="" if agent is None else self.agent_id(agent),
            days=tuple(days),
            detail=detail,
        )
        literal = self.guards.get(key)
        if literal is None:
            literal = self.model.new_bool_var(f"guard[{len(self.guards)}]")
            self.guards[key] = literal
        return literal

    def hard(
        self,
        constraint: cp_model.Constraint,
        rule: str,
        agent: int | None = None,
        days: Sequence[int] = (),
        detail: str = "",
    ) -> cp_model.Constraint:
        """Register a hard constraint; in diagnosis mode it only holds under its rule's guard."""
        if self.diagnose:
            constraint.only_enforce_if(self.guard(rule, agent, days, detail))
        return constraint

    def at_most_one(
        self, literals: Sequence[cp_model.IntVar], rule: str, agent: int | None = None, days=()
    ) -> None:
        if len(literals) <= 1:
            return
        if self.diagnose:
            self.hard(self.model.add(sum(literals) <= 1), rule, agent, days)
        else:
            self.model.add_at_most_one(literals)

    def forbid_together(
        self,
        literals: Sequence[cp_model.IntVar],
        rule: str,
        agent: int | None = None,
        days: Sequence[int] = (),
        detail: str = "",
    ) -> None:
        """Not all of these literals may be true at once."""
        constraint = self.model.add_bool_or([lit.Not() for lit in literals])
        self.hard(constraint, rule, agent, days, detail)

    def scope(self, group: int | None, day: int, *variables: cp_model.IntVar) -> None:
        self.scoped.setdefault((group, day), []).extend(variables)

    # --- soft terms -----------------------------------------------------------------------
    def penalise(self, rule: str, expr: cp_model.LinearExprT) -> None:
        self.penalties.append(Penalty(rule, expr))


def evaluate(expr: cp_model.LinearExprT, values: Sequence[int]) -> int:
    """Value of a linear expression under a full solution (one value per model variable)."""
    if isinstance(expr, int):
        return expr
    flat = cp_model_helper.FlatIntExpr(expr)
    return flat.offset + sum(c * values[v.index] for v, c in zip(flat.vars, flat.coeffs))


def scaled(weight: float, units: float = 1.0) -> int:
    """Objective coefficient for a weight times a quantity of units."""
    return round(weight * units * SCALE)
