"""The CP-SAT roster model: one module per rule family and a driver that assembles them."""

from scheduler.solver.assemble import build
from scheduler.solver.diagnosis import explain_infeasibility
from scheduler.solver.driver import METHODS, NoRosterFound, SolveOptions, SolveResult, solve
from scheduler.solver.search import Progress

__all__ = [
    "METHODS",
    "NoRosterFound",
    "Progress",
    "SolveOptions",
    "SolveResult",
    "build",
    "explain_infeasibility",
    "solve",
]
