"""Benchmark: how long the app takes to start, as a server process and as each test sees it.

    .venv/bin/python bench/app_start.py [--runs 10]

"first" is a fresh Python process importing the package and calling create_app() once (what
`manage.py serve` pays at start-up); "again" is a further create_app() in the same process
(what every test pays, since the suite makes an app per test). Each run uses a new SQLite
file in a temporary folder. Prints the median and the slowest run of each, in milliseconds.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

ONE_RUN = """
import sys, time
started = time.perf_counter()
from diary import create_app
create_app({"DATABASE_URL": f"sqlite:///{sys.argv[1]}/first.sqlite3"})
first = time.perf_counter() - started
started = time.perf_counter()
for n in range(10):
    create_app({"DATABASE_URL": f"sqlite:///{sys.argv[1]}/again-{n}.sqlite3"})
print(first, (time.perf_counter() - started) / 10)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    firsts, agains = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            answer = subprocess.run(
                [sys.executable, "-c", ONE_RUN, folder],
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
        first, again = (float(value) for value in answer.stdout.split())
        firsts.append(first * 1000)
        agains.append(again * 1000)
    for name, times in (("first create_app (fresh process)", firsts), ("again, same process", agains)):
        print(f"{name}: median {statistics.median(times):.1f} ms, slowest {max(times):.1f} ms ({runs} runs)")


if __name__ == "__main__":
    main()
