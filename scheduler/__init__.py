"""Wellbeing-aware rostering for contact centres."""

__version__ = "0.1.0"
