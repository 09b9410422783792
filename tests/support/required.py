"""Whether a missing PostgreSQL or Chromium fails the run or only skips its tests.

`make test` and CI (.ci/run) say so explicitly with DIARY_REQUIRE_POSTGRES=1 and
DIARY_REQUIRE_BROWSER=1, so a run that should test everything cannot quietly skip part of
it; a CI that sets CI=true (or 1) requires both as well. Without either, a laptop that
lacks them skips those tests and says what to install.
"""

import os

import pytest

YES = {"1", "true", "yes", "on"}
NO = {"", "0", "false", "no", "off"}


def flag(name: str) -> bool:
    """A yes/no setting from the environment; anything else stops the run naming it."""
    raw = os.environ.get(name, "").strip().lower()
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise pytest.UsageError(f"{name} must be 1 or 0, not {os.environ[name]!r}")


def required(name: str) -> bool:
    """Whether DIARY_REQUIRE_<name> (or CI) makes the dependency a must."""
    return flag(f"DIARY_REQUIRE_{name}") or flag("CI")


def missing(name: str, problem: str) -> None:
    """Fail the test when the dependency is required, else skip it; either way say why."""
    if required(name):
        pytest.fail(f"{problem} (DIARY_REQUIRE_{name}=1 or CI requires it)", pytrace=False)
    pytest.skip(f"{problem}; install it to run these tests")
