"""Sizes the tool accepts; larger inputs are refused with a message instead of running out of
memory or time."""

MAX_FILE_MEGABYTES = 50
# Formulas and merged cells are checked on workbooks up to this size (a second, full load).
STRUCTURE_CHECK_MEGABYTES = 15
MAX_AGENTS = 3000
MAX_SHIFT_TYPES = 200
# Possible (agent, day, shift) choices in one solve.
MAX_SHIFT_CHOICES = 3_000_000
