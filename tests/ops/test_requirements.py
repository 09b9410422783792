"""The test run cannot quietly skip PostgreSQL or Chromium when it is meant to test them:
`make test` and CI say so with DIARY_REQUIRE_POSTGRES=1 and DIARY_REQUIRE_BROWSER=1."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.required import missing, required

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_flags(monkeypatch):
    for name in ("CI", "DIARY_REQUIRE_POSTGRES", "DIARY_REQUIRE_BROWSER"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("name", ["POSTGRES", "BROWSER"])
def test_a_required_dependency_that_is_missing_fails_the_test(no_flags, name):
    no_flags.setenv(f"DIARY_REQUIRE_{name}", "1")
    with pytest.raises(pytest.fail.Exception, match=f"DIARY_REQUIRE_{name}=1"):
        missing(name, "it is not installed")


@pytest.mark.parametrize("ci", ["true", "1", "TRUE", "yes"])
def test_any_way_of_saying_ci_requires_both(no_flags, ci):
    no_flags.setenv("CI", ci)
    assert required("POSTGRES") and required("BROWSER")


def test_without_the_flags_a_missing_dependency_skips(no_flags):
    assert not required("POSTGRES")
    with pytest.raises(pytest.skip.Exception, match="install it"):
        missing("POSTGRES", "PostgreSQL is not available")


def test_a_flag_that_is_neither_yes_nor_no_stops_the_run(no_flags):
    no_flags.setenv("DIARY_REQUIRE_BROWSER", "maybe")
    with pytest.raises(pytest.UsageError, match="DIARY_REQUIRE_BROWSER"):
        required("BROWSER")


def test_requiring_postgres_while_leaving_it_out_of_the_databases_stops_the_run():
    env = os.environ | {"DIARY_REQUIRE_POSTGRES": "1", "DIARY_TEST_DATABASES": "sqlite"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/entries/test_pregnancy.py",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "DIARY_TEST_DATABASES leaves it out" in done.stdout + done.stderr


def test_make_test_and_ci_require_postgres_and_the_browser():
    env = {name: value for name, value in os.environ.items() if not name.startswith("DIARY_REQUIRE_")}
    env["DIARY_REQUIRE_POSTGRES"] = env["DIARY_REQUIRE_BROWSER"] = "1"  # as .ci/run exports them
    planned = subprocess.run(
        ["make", "-n", "test"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    ).stdout
    assert "DIARY_REQUIRE_POSTGRES=1" in planned and "DIARY_REQUIRE_BROWSER=1" in planned
    assert "DIARY_TEST_DATABASES=sqlite,postgresql" in planned
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert "export DIARY_REQUIRE_POSTGRES=1 DIARY_REQUIRE_BROWSER=1" in ci and "make test" in ci
