"""Whether a missing PostgreSQL or Chromium fails the run or only skips its tests.

`make test` and CI (.ci/run) say so explicitly with DIARY_REQUIRE_POSTGRES=1 and
DIARY_REQUIRE_BROWSER=1, so a run that should test everything cannot quietly skip part of
it; a CI that sets CI=true (or 1) requires both as well. Without either, a laptop that
lacks them skips those tests and says what to install.
"""

import pytest

from diary.config import ConfigError, env_bool


def flag(name: str) -> bool:
    """A yes/no setting from the environment, read as the app reads its own; anything else stops the run."""
    try:
        return env_bool(name)
    except ConfigError as problem:
        raise pytest.UsageError(str(problem)) from None


def required(name: str) -> bool:
    """Whether DIARY_REQUIRE_<name> (or CI) makes the dependency a must."""
    return flag(f"DIARY_REQUIRE_{name}") or flag("CI")


def missing(name: str, problem: str) -> None:
    """Fail the test when the dependency is required, else skip it; either way say why."""
    if required(name):
        pytest.fail(f"{problem} (DIARY_REQUIRE_{name}=1 or CI requires it)", pytrace=False)
    pytest.skip(f"{problem}; install it to run these tests")
