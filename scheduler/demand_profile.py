"""A realistic intraday call-arrival shape, from a real bank call centre.

BANK_WEEKDAY_PROFILE is the mean number of calls per 15 minutes from 07:00 to 21:00 on weekdays,
computed from the public `bank_calls` data set (a North American bank, 2003-03-03 to 2003-06-30;
see ../shared/benchmarks/callcenter). WEEKDAY_FACTOR is each weekday's daily volume relative to
the weekday mean in the same data. `profile_from_bank_calls` recomputes both from the CSV file;
a test checks that the figures here match it.

The bank was closed at night and at weekends; `day_shape` extends the shape to 24 hours with a
night trough and scales weekends and public holidays down, as 24/7 centres see.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections import defaultdict
from pathlib import Path

BANK_WEEKDAY_PROFILE: tuple[float, ...] = (
    258.0, 226.7, 250.1, 291.7, 385.8, 440.1, 513.9, 577.9, 725.4, 794.9, 836.5, 834.3, 839.0,
    843.8, 840.8, 832.4, 812.7, 816.9, 796.8, 795.5, 775.5, 764.9, 758.6, 756.8, 742.5, 730.6,
    730.5, 727.6, 710.9, 716.4, 716.9, 714.8, 698.8, 695.9, 687.0, 675.5, 646.2, 632.3, 586.9,
    564.6, 501.5, 477.3, 444.9, 418.0, 382.0, 370.8, 340.5, 328.0, 303.7, 290.5, 279.2, 265.5,
    250.2, 237.4, 232.4, 214.7,
)  # fmt: skip
WEEKDAY_FACTOR: tuple[float, ...] = (1.131, 0.999, 0.943, 0.946, 0.981)
WEEKEND_FACTOR = {5: 0.60, 6: 0.45}
HOLIDAY_FACTOR = 0.45
OPEN_MINUTE, CLOSE_MINUTE = 7 * 60, 21 * 60
NIGHT_LOW_MINUTE = 4 * 60  # the quietest time of the night
NIGHT_LOW_SHARE = 0.06  # of the daytime peak


def profile_from_bank_calls(path: str | Path) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(mean calls per 15 min 07:00-21:00, weekday factors Mon-Fri) from bank_calls.csv."""
    per_day_slot: dict[tuple[dt.date, int], float] = defaultdict(float)
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            moment = dt.datetime.fromisoformat(row["DateTime"])
            minute = moment.hour * 60 + moment.minute
            if OPEN_MINUTE <= minute < CLOSE_MINUTE:
                slot = (minute - OPEN_MINUTE) // 15
                per_day_slot[(moment.date(), slot)] += float(row["Calls"])
    days = sorted({day for day, _ in per_day_slot})
    slots = (CLOSE_MINUTE - OPEN_MINUTE) // 15
    profile = tuple(
        round(sum(per_day_slot.get((day, s), 0.0) for day in days) / len(days), 1)
        for s in range(slots)
    )
    daily: dict[int, list[float]] = defaultdict(list)
    for day in days:
        daily[day.weekday()].append(sum(per_day_slot.get((day, s), 0.0) for s in range(slots)))
    means = {wd: sum(v) / len(v) for wd, v in daily.items()}
    overall = sum(means.values()) / len(means)
    factors = tuple(round(means[wd] / overall, 3) for wd in range(5))
    return profile, factors


def _night_value(minute: int, evening: float, morning: float, low: float) -> float:
    """Calls per 15 min between 21:00 and 07:00: a smooth dip to `low` at 04:00 (log scale)."""
    since_close = (minute - CLOSE_MINUTE) % 1440
    to_low = (NIGHT_LOW_MINUTE - CLOSE_MINUTE) % 1440
    night_length = (OPEN_MINUTE - CLOSE_MINUTE) % 1440
    if since_close <= to_low:
        share = since_close / to_low
        start, end = evening, low
    else:
        share = (since_close - to_low) / (night_length - to_low)
        start, end = low, morning
    weight = (1 - math.cos(math.pi * share)) / 2
    return math.exp(math.log(start) * (1 - weight) + math.log(end) * weight)


def day_shape(weekday: int, holiday: bool = False, interval_minutes: int = 15) -> list[float]:
    """Expected calls per interval over 24 hours for a day of the week (bank scale)."""
    profile = BANK_WEEKDAY_PROFILE
    peak = max(profile)
    if holiday:
        factor = HOLIDAY_FACTOR
    elif weekday >= 5:
        factor = WEEKEND_FACTOR[weekday]
    else:
        factor = WEEKDAY_FACTOR[weekday]
    quarter_hours = []
    for quarter in range(96):
        minute = quarter * 15
        if OPEN_MINUTE <= minute < CLOSE_MINUTE:
            value = profile[(minute - OPEN_MINUTE) // 15]
        else:
            value = _night_value(minute, profile[-1], profile[0], NIGHT_LOW_SHARE * peak)
        quarter_hours.append(value * factor)
    per_interval = interval_minutes // 15
    return [sum(quarter_hours[i : i + per_interval]) for i in range(0, 96, per_interval)]
