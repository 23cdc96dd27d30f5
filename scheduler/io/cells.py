"""Turn Excel cell values into Python values, or explain in words why a cell cannot be read.

Each parser takes what openpyxl returns for a cell and either returns the value or raises
CellError with a message a scheduler understands.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

EXCEL_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!"}
TRUE_WORDS = {"yes", "y", "true", "1", "ja", "oui", "si"}
FALSE_WORDS = {"no", "n", "false", "0", "nein", "non"}
DAY_NAMES = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}


class CellError(ValueError):
    """A cell holds something that cannot be read as the column needs."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value.strip())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_excel_error(value: Any) -> None:
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        raise CellError(f"holds the Excel error {value.strip()}; fix the formula or type a value")


def text(value: Any) -> str:
    """Any cell as trimmed text (numbers without a trailing .0)."""
    check_excel_error(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value).strip()


def number(value: Any) -> float:
    """A number; text like '12.5' is accepted, a decimal comma too."""
    check_excel_error(value)
    if isinstance(value, bool):
        raise CellError(f"should be a number, found {_show(value)}")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError("should be a finite number")
        return float(value)
    if isinstance(value, str):
        cleaned = value.strip().replace(",", ".")
        try:
            result = float(cleaned)
        except ValueError:
            raise CellError(f"should be a number, found {_show(value)}") from None
        if not math.isfinite(result):
            raise CellError("should be a finite number")
        return result
    raise CellError(f"should be a number, found {_show(value)}")


def integer(value: Any) -> int:
    """A whole number."""
    result = number(value)
    if not result.is_integer():
        raise CellError(f"should be a whole number, found {_show(value)}")
    return int(result)


def fraction(value: Any) -> float:
    """A share such as 0.8; '80%' is accepted too."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return number(value.strip()[:-1]) / 100
    return number(value)


def boolean(value: Any) -> bool:
    """yes/no, true/false, y/n, 1/0."""
    check_excel_error(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise CellError(f"should be yes or no, found {_show(value)}")


# A date outside these years is a typing slip (0203 for 2003), never a roster's date.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def date(value: Any) -> dt.date:
    """An Excel date or YYYY-MM-DD text, in the years 1900 to 2100."""
    check_excel_error(value)
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError(f"should be a date without a time, found {_show(value)}")
        return _plausible(value.date())
    if isinstance(value, dt.date):
        return _plausible(value)
    if isinstance(value, str):
        try:
            found = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise CellError(
                f"should be a date written YYYY-MM-DD (or an Excel date), found {_show(value)}"
            ) from None
        return _plausible(found)
    raise CellError(f"should be a date, found {_show(value)}")


def _plausible(day: dt.date) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CellError(
            f"the date {day.isoformat()} is not between {FIRST_YEAR} and {LAST_YEAR}; "
            "check the year"
        )
    return day


_TIME_TEXT = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def time(value: Any) -> dt.time:
    """An Excel time or HH:MM text."""
    check_excel_error(value)
    if isinstance(value, dt.datetime):
        if value.date() not in (dt.date(1899, 12, 30), dt.date(1899, 12, 31), dt.date(1900, 1, 1)):
            raise CellError(f"should be a time of day, found the date and time {_show(value)}")
        return value.time()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        seconds = round(value * 86400)
        return dt.time(seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if isinstance(value, str):
        match = _TIME_TEXT.match(value.strip())
        if match:
            hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
            if hours < 24 and minutes < 60 and seconds < 60:
                return dt.time(hours, minutes, seconds)
        if value.strip() == "24:00":
            raise CellError("24:00 is not a start time; write 00:00")
    raise CellError(f"should be a time written HH:MM (or an Excel time), found {_show(value)}")


def datetime(value: Any) -> dt.datetime:
    """An Excel date-time or 'YYYY-MM-DD HH:MM' text."""
    check_excel_error(value)
    if isinstance(value, dt.datetime):
        _plausible(value.date())
        return value.replace(microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime.combine(_plausible(value), dt.time(0))
    if isinstance(value, str):
        try:
            found = dt.datetime.fromisoformat(value.strip().replace("T", " "))
        except ValueError:
            found = None
        if found is not None:
            _plausible(found.date())
            return found
    raise CellError(f"should be a date and time written YYYY-MM-DD HH:MM, found {_show(value)}")


def id_list(value: Any) -> tuple[str, ...]:
    """A list of ids separated by ';' or ','."""
    raw = text(value)
    return tuple(item.strip() for item in re.split(r"[;,]", raw) if item.strip())


def weekdays(value: Any) -> frozenset[int]:
    """Day names (Mon..Sun, also full names and ranges like Mon-Fri) as weekday numbers."""
    days: set[int] = set()
    for item in id_list(value):
        parts = [p.strip() for p in item.split("-")]
        numbers = [_day_number(p, value) for p in parts]
        if len(numbers) == 1:
            days.add(numbers[0])
        elif len(numbers) == 2:
            first, last = numbers
            day = first
            days.add(day)
            while day != last:
                day = (day + 1) % 7
                days.add(day)
        else:
            raise CellError(f"cannot read the day range {item!r}")
    return frozenset(days)


def _day_number(name: str, whole: Any) -> int:
    key = name.strip().lower()
    if len(key) >= 3 and key[:3] in DAY_NAMES:
        return DAY_NAMES[key[:3]]
    raise CellError(f"should list weekdays such as Mon;Wed;Fri, found {_show(whole)}")


def limits(value: Any) -> dict[str, int]:
    """A 'shift_id=n' list such as 'N=3;E=5'."""
    result: dict[str, int] = {}
    for item in id_list(value):
        if "=" not in item:
            raise CellError(f"should be written shift_id=n (for example N=3), found {item!r}")
        key, _, count = item.partition("=")
        key = key.strip()
        try:
            limit = integer(count.strip())
        except CellError:
            raise CellError(f"the limit in {item!r} should be a whole number") from None
        if not key:
            raise CellError(f"{item!r} has no shift_id before '='")
        result[key] = limit
    return result


Parser = Callable[[Any], Any]
