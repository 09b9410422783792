"""The load, fault and import benchmarks, run small the way an operator runs them (bench/*.py against
`manage.py serve` on loopback): no errors, no acknowledged write lost or doubled.

Each run is bounded: two people for two seconds, and one SIGKILL during writes.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BACKENDS
from tests.support.pgcluster import ClusterUnavailable, find_bindir
from tests.support.required import missing

REPO_ROOT = Path(__file__).resolve().parents[2]

RUNS = {
    "load": ["bench/load.py", "--users", "2", "--seconds", "2"],
    "faults": ["bench/faults.py", "--rounds", "1", "--writers", "2", "--min-kill", "1", "--max-kill", "1.5"],
    "import_wait": ["bench/import_wait.py", "--days", "150", "--writers", "2", "--rounds", "1"],
    "forgot": ["bench/forgot_timing.py", "--requests", "5"],
    "app_start": ["bench/app_start.py", "--runs", "1"],
}


def run_bench(name: str, database: str) -> str:
    command = [sys.executable, *RUNS[name]] + (["--postgres"] if database == "postgresql" else [])
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


@pytest.fixture(params=BACKENDS)
def database(request):
    if request.param == "postgresql":
        try:
            find_bindir()
        except ClusterUnavailable as problem:
            missing("POSTGRES", f"PostgreSQL is not available: {problem}")
    return request.param


def test_the_load_run_has_no_errors_and_loses_or_doubles_no_write(database):
    output = run_bench("load", database)
    assert re.search(r"^errors: 0$", output, re.M), output
    acknowledged = int(re.search(r"acknowledged writes: (\d+)", output).group(1))
    assert acknowledged > 0
    assert re.search(r"lost writes: 0 .*; doubled writes: 0; rows nobody was told about: 0", output), output
    assert "server log: 0 lines with Traceback/Error/locked" in output
    assert "RESULT: ok" in output


def test_the_kill_run_keeps_every_acknowledged_write_in_a_sound_database(database):
    output = run_bench("faults", database)
    row = re.search(r"^\s+1\s+.*$", output, re.M).group(0)
    sound = "integrity_check: ok; foreign_key_check: 0 rows" if database == "sqlite" else "ok ("
    assert sound in row, output
    summary = re.search(
        r"summary: 1 kills; \d+ writes sent, (\d+) acknowledged.*lost (\d+), doubled (\d+); "
        r"rounds failed: (\d+)",
        output,
    )
    assert summary, output
    acknowledged, lost, doubled, failed = map(int, summary.groups())
    assert acknowledged > 0 and (lost, doubled, failed) == (0, 0, 0)
    assert "RESULT: ok" in output


def test_the_import_run_has_no_errors_and_every_import_succeeds(database):
    output = run_bench("import_wait", database)
    assert re.search(r"^import 1 \(.* s\)\s+saves\s+\d+ .* max\s+[\d.]+ ms$", output, re.M), output
    assert re.search(r"^errors: 0$", output, re.M) and "RESULT: ok" in output, output


def test_the_forgot_timing_run_prints_both_medians_and_their_separability():
    output = run_bench("forgot", "sqlite")
    for kind in ("known email", "unknown email"):
        assert re.search(rf"^{kind}\s+median\s+[\d.]+ ms\s+p95\s+[\d.]+ ms\s+n 5$", output, re.M), output
    assert re.search(r"^best threshold\s+[\d.]+ % classified right", output, re.M), output
    assert re.search(r"^AUC\s+[\d.]+ %", output, re.M), output
    assert "mails received   15 of 15" in output  # every mail to the known address left; none to the others


def test_the_app_start_run_prints_both_times():
    output = run_bench("app_start", "sqlite")
    assert re.search(r"^first create_app \(fresh process\): median [\d.]+ ms", output, re.M), output
    assert re.search(r"^again, same process: median [\d.]+ ms", output, re.M), output
