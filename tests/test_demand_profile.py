"""The demand shape kept in the code matches the public bank call data it was computed from."""

import pytest
from conftest import SHARED

from scheduler.demand_profile import (
    BANK_WEEKDAY_PROFILE,
    WEEKDAY_FACTOR,
    day_shape,
    profile_from_bank_calls,
)

BANK_CALLS = SHARED / "benchmarks" / "callcenter" / "bank_calls.csv"


@pytest.mark.skipif(not BANK_CALLS.exists(), reason="../shared benchmark data not present")
def test_profile_recomputed_from_the_csv():
    profile, factors = profile_from_bank_calls(BANK_CALLS)
    assert profile == BANK_WEEKDAY_PROFILE
    assert factors == WEEKDAY_FACTOR


def test_day_shape_follows_the_bank_by_day_and_dips_at_night():
    tuesday = day_shape(1)
    assert len(tuesday) == 96
    # 07:00-21:00 is the bank's own curve (Tuesday factor applied)
    assert tuesday[28] == pytest.approx(BANK_WEEKDAY_PROFILE[0] * WEEKDAY_FACTOR[1])
    assert min(tuesday) == pytest.approx(min(tuesday[:28]))  # quietest at night
    assert min(tuesday) < 0.1 * max(tuesday)
    assert sum(day_shape(6)) < sum(day_shape(5)) < sum(tuesday)
    assert sum(day_shape(1, holiday=True)) == pytest.approx(sum(day_shape(6)))
    assert day_shape(1, interval_minutes=30)[0] == pytest.approx(tuesday[0] + tuesday[1])
