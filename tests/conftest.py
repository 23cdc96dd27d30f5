import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

INSTANCES = ROOT / "instances"
SHARED = ROOT.parent / "shared"

# Hypothesis profiles, chosen with HYPOTHESIS_PROFILE: "ci" (the default) runs a fixed, derandomized
# set of examples, the same on every run and machine; "long" explores many more, for a local run
# (HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py). Tests that fix their own
# max_examples keep it under both.
_SLOW_EXAMPLES = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "ci",
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=_SLOW_EXAMPLES,
)
settings.register_profile(
    "long", max_examples=300, deadline=None, suppress_health_check=_SLOW_EXAMPLES
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or "ci")


@pytest.fixture
def instances_dir() -> Path:
    return INSTANCES
