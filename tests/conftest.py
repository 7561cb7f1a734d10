"""Hypothesis profiles: `dev` (fast, the default) and `ci` (more examples).

`.ci/run` sets HYPOTHESIS_PROFILE=ci; CI=true selects it too.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# CI is derandomized: a landing run must not fail on a case no earlier run saw;
# exploration is the dev profile's job (random seeds, every local run).
settings.register_profile(
    "ci",
    max_examples=400,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev")
)
