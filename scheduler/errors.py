"""Errors a user can act on: bad input (exit 2) and rules that cannot all hold (exit 3)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in an input workbook, located as Excel shows it."""

    sheet: str = ""
    row: int = 0
    column: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class InputError(Exception):
    """The input cannot be used; every problem found is listed."""

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        self.problems = sorted(set(problems), key=_problem_order)
        self.source = source
        super().__init__(self.report())

    def report(self) -> str:
        head = f"{self.source}: " if self.source else ""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{head}{count} {noun} in the input, nothing was written:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


def _problem_order(problem: Problem) -> tuple:
    return (problem.sheet.lower(), problem.row, problem.column.lower(), problem.message)


@dataclass(frozen=True)
class Conflict:
    """A hard rule taking part in a conflict, with the agent and dates it concerns."""

    rule: str
    agent_id: str = ""
    dates: tuple[str, ...] = ()
    detail: str = ""

    def __str__(self) -> str:
        parts = [self.rule]
        if self.agent_id:
            parts.append(f"agent {self.agent_id}")
        if self.dates:
            parts.append(", ".join(self.dates))
        text = " - ".join(parts)
        return f"{text}: {self.detail}" if self.detail else text


class InfeasibleError(Exception):
    """The hard rules cannot all hold together."""

    def __init__(self, conflicts: list[Conflict], note: str = "") -> None:
        self.conflicts = conflicts
        self.note = note
        super().__init__(self.report())

    def report(self) -> str:
        lines = ["The hard rules cannot all hold; no roster was written."]
        if self.conflicts:
            lines.append("These rules conflict (relaxing any one of them removes this conflict):")
            lines += [f"  - {c}" for c in self.conflicts]
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)
