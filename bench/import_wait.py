"""Import: how long other people's saves wait while one person imports a large export.

    .venv/bin/python bench/import_wait.py [--days 700] [--writers 4] [--rounds 3] [--postgres]

Starts the production command (`manage.py init-db`, then `manage.py serve`, waitress) on a
fresh SQLite database in a temporary folder (or, with --postgres, on a throwaway PostgreSQL
15 cluster from tests/support/pgcluster.py). Each round, a new person imports an export of
`--days` days (`POST /api/v1/import`, every day new, so every day is written), while
`--writers` other people (a thread each, a keep-alive connection with her own cookies)
save days (`PUT /api/v1/entries/{day}`), each `--think` seconds after her last save was
answered (0 for as fast as they are answered: then the writers mostly measure how the two
cores are shared, not the lock).

Prints the import's duration and, for the saves that overlapped it, how many there were and
the median, 95th percentile and longest wait, beside the same writers' waits with no import
running. Exits 1 if any request failed (not 200) or a round's import was not 200.

Traffic goes only to 127.0.0.1, to the port this script started the server on; every loop
stops by itself (an iteration cap besides the end of the import).
"""

import argparse
import itertools
import json
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import (
    Client,
    Server,
    fresh_database,
    past_days,
    quantile,
    temporary_folder,
    timestamp,
)

MAX_SAVES = 20_000  # per writer and phase: a cap besides the end of the import


def export_of(days: int) -> bytes:
    """An export file of `days` days before yesterday, each with codes and a short note."""
    entries = [
        {
            "date": day.isoformat(),
            "pain": offset % 11,
            "triggers": ["stairs", "walking"],
            "locations": ["symphysis"],
            "night_wakings": offset % 4,
            "note": "Trapper og sengevending.",
            "updated_at": timestamp(offset),
        }
        for offset, day in enumerate(past_days(days), start=1)
    ]
    return json.dumps(
        {
            "format": "baekkendagbog-export",
            "version": 1,
            "entries": entries,
            "tip_feedback": [{"advice": "stairs", "kind": "helpful"}],
        }
    ).encode()


def writer(
    client: Client, running: threading.Event, think: float, waits: list, errors: list, sequence
) -> None:
    """Save days until running is cleared, `think` seconds apart; note each save's wait."""
    days = past_days(30)
    for _ in range(MAX_SAVES):
        if running.wait(0) and think:
            time.sleep(think)
        if not running.is_set():
            return
        number = next(sequence)
        started = time.monotonic()
        status, body = client.json(
            "PUT",
            f"/api/v1/entries/{days[number % len(days)]}",
            {"pain": number % 11, "note": f"save {number}"},
        )
        waits.append(time.monotonic() - started)
        if status != 200:
            errors.append(f"PUT answered {status}: {str(body)[:120]}")


def timed_saves(
    clients: list[Client], think: float, seconds: float | None, until: threading.Thread | None, sequence
):
    """Every writer saving at once, for `seconds` or until the thread `until` ends; their waits."""
    running = threading.Event()
    running.set()
    waits: list[float] = []
    errors: list[str] = []
    threads = [
        threading.Thread(target=writer, args=(client, running, think, waits, errors, sequence), daemon=True)
        for client in clients
    ]
    for thread in threads:
        thread.start()
    if until is not None:
        until.join(timeout=600)
    else:
        time.sleep(seconds)
    running.clear()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(waits), errors


def describe(label: str, waits: list[float]) -> str:
    ms = [wait * 1000 for wait in waits]
    return (
        f"{label:<28} saves {len(ms):5d}   median {quantile(ms, 0.5):7.1f} ms   "
        f"p95 {quantile(ms, 0.95):7.1f} ms   max {ms[-1] if ms else float('nan'):7.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=700, help="days in the imported file (at most 1098)")
    parser.add_argument("--writers", type=int, default=4, help="other people saving during the import")
    parser.add_argument("--rounds", type=int, default=3, help="imports, one after another")
    parser.add_argument("--think", type=float, default=0.2, help="seconds between one writer's saves")
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    parser.add_argument(
        "--postgres", action="store_true", help="a throwaway PostgreSQL cluster instead of SQLite"
    )
    args = parser.parse_args()
    if (
        not 1 <= args.days <= 1098
        or not 1 <= args.writers <= 50
        or not 1 <= args.rounds <= 20
        or args.think < 0
    ):
        parser.error("keep it bounded: 1-1098 days, 1-50 writers, 1-20 rounds, a think time of 0 or more")

    folder = temporary_folder("diary-import-wait-")
    cluster, database_url, label = fresh_database(args.postgres, folder, "import.sqlite3")
    server = Server(database_url, folder, threads=args.threads)
    body = export_of(args.days)
    failures: list[str] = []
    lines: list[str] = []
    clients: list[Client] = []
    sequence = itertools.count(1)
    try:
        server.init_db()
        server.start()
        for index in range(args.writers):
            clients.append(Client(server.port, timeout=60))
            if clients[-1].register(f"writer{index}@bench.example") != 302:
                raise RuntimeError("a writer could not register")
        quiet, errors = timed_saves(clients, args.think, 3.0, None, sequence)
        failures += errors
        lines.append(describe("no import running", quiet))
        for round_number in range(1, args.rounds + 1):
            importer = Client(server.port, timeout=600)
            clients.append(importer)
            if importer.register(f"importer{round_number}@bench.example") != 302:
                raise RuntimeError("the importer could not register")
            answer = {}

            def import_it(importer=importer, answer=answer):
                started = time.monotonic()
                answer["status"], answer["body"] = importer.request(
                    "POST",
                    "/api/v1/import",
                    body,
                    {
                        "Content-Type": "application/json",
                        "Accept": "application/json",
                        "X-CSRFToken": importer.csrf,
                    },
                )
                answer["seconds"] = time.monotonic() - started

            thread = threading.Thread(target=import_it, daemon=True)
            thread.start()
            during, errors = timed_saves(clients[: args.writers], args.think, None, thread, sequence)
            failures += errors
            if answer.get("status") != 200:
                failures.append(
                    f"round {round_number}: the import answered {answer.get('status')}: "
                    f"{answer.get('body', b'')[:200]!r}"
                )
            lines.append(
                describe(f"import {round_number} ({answer.get('seconds', float('nan')):.2f} s)", during)
            )
    finally:
        for client in clients:
            client.close()
        server.stop()
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)

    print(f"database: {label}; server: manage.py serve (waitress) --threads {args.threads}")
    print(
        f"each import: {args.days} new days ({len(body) / 1024:.0f} KiB); {args.writers} other people saving, "
        f"each {args.think:g} s after her last save was answered"
    )
    for line in lines:
        print(line)
    print(f"errors: {len(failures)}")
    for failure in failures[:10]:
        print(f"  {failure}")
    print("RESULT: " + ("ok" if not failures else "FAILED"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
