"""Wellbeing-aware rostering for contact centres."""

__version__ = "0.1.0"

# `scheduler.reroster` is the function (the module stays importable by its full name:
# `from scheduler.reroster import RerosterResult`).
from scheduler.reroster import reroster

__all__ = ["__version__", "reroster"]
