"""Running solves: stopping one from outside (Ctrl-C, SIGTERM) without losing the best roster,
and starting one from a known solution."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ortools.sat.python import cp_model


class StopSignal:
    """Set once to stop every CP-SAT search of a solve; searches check it between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._running: set[Any] = set()

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    def request(self) -> None:
        """Ask every running search to stop; safe from a signal handler or another thread."""
        self._event.set()
        with self._lock:
            running = list(self._running)
        for solver in running:
            solver.stop_search()

    @contextmanager
    def running(self, solver: Any) -> Iterator[Any]:
        """Register a solver for the duration of its solve; stop it at once if already asked.

        Any object with a `stop_search()` method can be registered (a CP-SAT solver, or a
        wrapper around another solver)."""
        with self._lock:
            self._running.add(solver)
        try:
            if self.requested:
                if isinstance(solver, cp_model.CpSolver):
                    solver.parameters.max_time_in_seconds = 0.0
                else:
                    solver.stop_search()
            yield solver
        finally:
            with self._lock:
                self._running.discard(solver)


NEVER = StopSignal()  # for solves nobody can interrupt (tests, inner probes)


def make_solver() -> cp_model.CpSolver:
    """A CP-SAT solver that leaves Ctrl-C to us.

    CP-SAT's own Ctrl-C handler resets SIGINT to the default action when a solve ends, which
    would make the next Ctrl-C kill the process without writing the best roster.
    """
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    return solver


def hint_solution(model: cp_model.CpModel, values: list[int]) -> None:
    """Start the next solve of the model from a full solution (one value per variable)."""
    proto = model.proto
    proto.clear_solution_hint()
    proto.solution_hint.vars.extend(range(len(values)))
    proto.solution_hint.values.extend(values)


def set_domain(model: cp_model.CpModel, index: int, domain: list[int]) -> list[int]:
    """Give one variable a new domain (flat [lo, hi, ...] intervals); returns the old one."""
    current = model.proto.variables[index].domain
    old = list(current)
    current.clear()
    current.extend(domain)
    return old
