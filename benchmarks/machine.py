"""The line every benchmark prints first: which machine, software and day the numbers are from."""

from __future__ import annotations

import os
import platform
import time

import ortools


def describe() -> str:
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, OR-Tools {ortools.__version__}; "
        f"date {time.strftime('%Y-%m-%d')}"
    )
