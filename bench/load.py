"""Load: many people using the real server at once, and proof that no write was lost or doubled.

    .venv/bin/python bench/load.py [--users 50] [--seconds 30] [--threads 8] [--postgres]

Starts the production command (`manage.py init-db`, then `manage.py serve --threads N`
under waitress) on a fresh SQLite database in a temporary folder (or, with --postgres, on a
throwaway PostgreSQL 15 cluster from tests/support/pgcluster.py). Then each simulated person
(one thread, a stdlib keep-alive HTTP connection with her own cookies) registers, reads the
CSRF token from a page, and until the time is up repeats:

  PUT /api/v1/entries/{day}   a day from a small pool, so many PUTs replace an earlier one;
                              sometimes the same body twice (idempotent), sometimes an edit
                              stamped older than the stored one (must get 409, change nothing)
  GET /api/v1/entries/{day}   must return exactly the acknowledged body
  GET /api/v1/summary/{week}
  GET /api/v1/entries?from=…&to=…

Every acknowledged write (HTTP 200 to a PUT) is recorded with the person, the day and the
exact body. After the run the server is stopped and the database is read directly (sqlite3
or psycopg2): for every (person, day) there must be exactly one row, holding the last
acknowledged write's content (pain, codes, night wakings, note, updated_at). Exits 1 if any
write was lost or doubled, or any request failed (5xx, no answer, a wrong answer).

Traffic goes only to 127.0.0.1, to the port this script started the server on; every loop
stops by itself (time limit and an iteration cap).
"""

import argparse
import itertools
import random
import shutil
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import (
    EPOCH,
    Client,
    ConnectionProblem,
    Server,
    comparable,
    entry_body,
    fresh_database,
    iso_week,
    parse_moment,
    past_days,
    quantile,
    read_entries,
    temporary_folder,
    timestamp,
)

KINDS = ("register", "PUT entry", "GET entry", "GET summary", "GET entries")
MAX_ITERATIONS = 100_000  # per person: a cap besides the time limit


class Tally:
    """What every person saw: latencies, errors and acknowledged writes (thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter = Counter()
        self.error_examples: dict[str, str] = {}
        self.acks: dict[tuple[str, str], dict] = {}  # (email, day) -> the last acknowledged body
        self.ack_count = 0
        self.replacements = 0
        self.repeats = 0
        self.stale_refused = 0
        self.timed_requests = 0

    def took(self, kind: str, seconds: float, timed: bool = True) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if timed:
                self.timed_requests += 1

    def error(self, category: str, detail: str) -> None:
        with self.lock:
            self.errors[category] += 1
            self.error_examples.setdefault(category, detail[:300])

    def acknowledged(self, email: str, body: dict, repeat: bool) -> None:
        with self.lock:
            key = (email, body["date"])
            if repeat:
                self.repeats += 1
            elif key in self.acks:
                self.replacements += 1
            self.acks[key] = body
            self.ack_count += 1


def call(client: Client, tally: Tally, kind: str, method: str, path: str, payload=None):
    """One timed request; returns (status, answer) or None when there was no HTTP answer."""
    started = time.perf_counter()
    try:
        status, answer = client.json(method, path, payload)
    except ConnectionProblem as problem:
        tally.took(kind, time.perf_counter() - started)
        tally.error("no answer (connection error)", f"{kind} {path}: {problem}")
        return None
    tally.took(kind, time.perf_counter() - started)
    if status >= 500:
        tally.error("5xx", f"{kind} {path}: {status} {answer}")
        return None
    if status == 429:
        tally.error("429 rate limited", f"{kind} {path}: {answer}")
        return None
    return status, answer


def person(
    index: int,
    port: int,
    tally: Tally,
    start: threading.Barrier,
    deadline_box: list,
    days: list,
    seed: int,
    sequence,
) -> None:
    rng = random.Random(seed * 1000 + index)
    email = f"load{index}-{seed}@bench.example"
    client = Client(port)
    try:
        started = time.perf_counter()
        try:
            status = client.register(email)
        except (ConnectionProblem, RuntimeError) as problem:
            tally.error("registration failed", f"{email}: {problem}")
            status = None
        tally.took("register", time.perf_counter() - started, timed=False)
        if status not in (None, 302):
            tally.error("registration failed", f"{email}: POST /register answered {status}")
        try:
            start.wait(timeout=300)
        except threading.BrokenBarrierError:
            return
        if status != 302:
            return
        mine: dict[str, dict] = {}  # day -> my last acknowledged body
        deadline = deadline_box[0]
        for _ in range(MAX_ITERATIONS):
            if time.monotonic() >= deadline:
                break
            day = rng.choice(days)
            key = day.isoformat()
            roll = rng.random()
            if key in mine and roll < 0.05:
                # An old offline edit arriving late: older than the stored one, so 409, no change.
                stale = entry_body(rng, day, next(sequence), f"stale{index}")
                stale["updated_at"] = timestamp(_sequence_of(mine[key]) - 1000)
                answer = call(client, tally, "PUT entry", "PUT", f"/api/v1/entries/{key}", stale)
                if answer is not None:
                    status, body = answer
                    if status == 409 and comparable(body["entry"]) == comparable(mine[key]):
                        with tally.lock:
                            tally.stale_refused += 1
                    else:
                        tally.error("stale edit not refused", f"{email} {key}: {status} {body}")
                continue
            repeat = key in mine and roll < 0.15
            body = dict(mine[key]) if repeat else entry_body(rng, day, next(sequence), f"user{index}")
            answer = call(client, tally, "PUT entry", "PUT", f"/api/v1/entries/{key}", body)
            if answer is None:
                continue
            status, stored = answer
            if status != 200:
                tally.error("PUT not acknowledged", f"{email} {key}: {status} {stored}")
                continue
            if comparable(stored) != comparable(body):
                tally.error("PUT answered other content", f"{email} {key}: sent {body}, got {stored}")
            mine[key] = body
            tally.acknowledged(email, body, repeat)

            answer = call(client, tally, "GET entry", "GET", f"/api/v1/entries/{key}")
            if answer is not None:
                status, got = answer
                if status != 200 or comparable(got) != comparable(body):
                    tally.error("read after write differs", f"{email} {key}: {status} {got}")
            answer = call(client, tally, "GET summary", "GET", f"/api/v1/summary/{iso_week(day)}")
            if answer is not None:
                status, summary = answer
                if status != 200 or not summary.get("days_logged"):
                    tally.error("summary wrong", f"{email} {iso_week(day)}: {status} {summary}")
            since = (day - timedelta(days=6)).isoformat()
            answer = call(client, tally, "GET entries", "GET", f"/api/v1/entries?from={since}&to={key}")
            if answer is not None:
                status, listing = answer
                if status != 200 or key not in {entry["date"] for entry in listing.get("entries", ())}:
                    tally.error("list wrong", f"{email} {since}..{key}: {status}")
    except Exception as problem:  # a bug in the bench must show, not hang the run
        tally.error("bench thread crashed", f"{email}: {type(problem).__name__}: {problem}")
    finally:
        client.close()


def _sequence_of(body: dict) -> int:
    return int((parse_moment(body["updated_at"]) - EPOCH).total_seconds() * 1000)


def verify(database_url: str, tally: Tally, emails: list[str]) -> dict:
    """Compare the database with the acknowledged writes."""
    found = read_entries(database_url, emails)
    rows = found["rows"]
    lost_missing = lost_changed = doubled = unexpected = 0
    examples = []
    for key, body in tally.acks.items():
        stored = rows.get(key, [])
        if not stored:
            lost_missing += 1
            examples.append(f"missing {key}")
        elif len(stored) > 1:
            doubled += 1
            examples.append(f"{len(stored)} rows for {key}")
        elif comparable(stored[0]) != comparable(body):
            lost_changed += 1
            examples.append(f"{key}: stored {stored[0]}, last acknowledged {body}")
    for key in rows:
        if key not in tally.acks:
            unexpected += 1
            examples.append(f"row without an acknowledged write: {key}")
    return {
        "checked": len(tally.acks),
        "rows": sum(len(stored) for stored in rows.values()),
        "lost": lost_missing + lost_changed,
        "lost_missing": lost_missing,
        "lost_changed": lost_changed,
        "doubled": doubled,
        "unexpected": unexpected,
        "orphan_codes": found["orphan_codes"],
        "misfiled_codes": found["misfiled_codes"],
        "unknown_emails": found["unknown_emails"],
        "examples": examples[:5],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    parser.add_argument("--days", type=int, default=21, help="how many different days each person writes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgres", action="store_true", help="a throwaway PostgreSQL cluster instead of SQLite"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (database, server logs)"
    )
    args = parser.parse_args()
    if not 1 <= args.users <= 500 or not 0 < args.seconds <= 600:
        parser.error("keep it bounded: 1-500 users, at most 600 seconds")

    folder = temporary_folder("diary-load-")
    cluster, database_url, label = fresh_database(args.postgres, folder, "load.sqlite3")
    server = Server(database_url, folder, threads=args.threads)
    tally = Tally()
    emails = [f"load{index}-{args.seed}@bench.example" for index in range(args.users)]
    try:
        server.init_db()
        server.start()
        deadline_box = [0.0]
        timing = {}

        def go():  # runs once, when every person has registered
            timing["start"] = time.monotonic()
            deadline_box[0] = timing["start"] + args.seconds

        start = threading.Barrier(args.users, action=go)
        sequence = itertools.count(1)
        days = past_days(args.days)
        registered_at = time.monotonic()
        threads = [
            threading.Thread(
                target=person,
                name=f"person-{index}",
                daemon=True,
                args=(index, server.port, tally, start, deadline_box, days, args.seed, sequence),
            )
            for index in range(args.users)
        ]
        for thread in threads:
            thread.start()
        limit = time.monotonic() + args.seconds + 360
        for thread in threads:
            thread.join(timeout=max(0.1, limit - time.monotonic()))
        stuck = sum(thread.is_alive() for thread in threads)
        if stuck:
            tally.error("bench thread did not finish", f"{stuck} threads still running")
        elapsed = time.monotonic() - timing.get("start", registered_at)
        registration = timing.get("start", time.monotonic()) - registered_at
    finally:
        server.stop()
    log = server.log_text()
    try:
        result = verify(database_url, tally, emails)
    finally:
        if cluster is not None:
            cluster.stop()
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    print(f"database: {label}; server: manage.py serve (waitress) --threads {args.threads}")
    print(
        f"{args.users} people registered in {registration:.1f} s, then {args.seconds:.0f} s of use "
        f"(measured {elapsed:.1f} s) over {args.days} days each"
    )
    print(
        f"requests: {tally.timed_requests} in {elapsed:.1f} s = {tally.timed_requests / elapsed:.1f} per second"
    )
    print(f"{'request':<13} {'count':>7} {'median':>10} {'p95':>10} {'p99':>10} {'max':>10}")
    for kind in KINDS:
        values = sorted(tally.latencies.get(kind, ()))
        if values:
            figures = "".join(f"{quantile(values, q) * 1000:>8.1f} ms" for q in (0.5, 0.95, 0.99, 1.0))
            print(f"{kind:<13} {len(values):>7} {figures}")
    errors = sum(tally.errors.values())
    print(
        f"errors: {errors}"
        + "".join(
            f"\n  {category}: {count} (e.g. {tally.error_examples[category]})"
            for category, count in tally.errors.items()
        )
    )
    print(
        f"acknowledged writes: {tally.ack_count} (new days {tally.ack_count - tally.replacements - tally.repeats}, "
        f"replacements {tally.replacements}, same body again {tally.repeats}); "
        f"older edits refused with 409: {tally.stale_refused}"
    )
    print(
        f"database check: {result['checked']} (person, day) pairs, {result['rows']} rows; "
        f"lost writes: {result['lost']} (missing {result['lost_missing']}, other content {result['lost_changed']}); "
        f"doubled writes: {result['doubled']}; rows nobody was told about: {result['unexpected']}; "
        f"orphan or misfiled codes: {result['orphan_codes'] + result['misfiled_codes']}"
    )
    for example in result["examples"]:
        print(f"  {example}")
    if result["unknown_emails"]:
        print(f"  people missing from the users table: {len(result['unknown_emails'])}")
    problems = [
        line
        for line in log.splitlines()
        if "Traceback" in line or "locked" in line.lower() or "Error" in line
    ]
    print(
        f"server log: {len(problems)} lines with Traceback/Error/locked"
        + "".join(f"\n  {line}" for line in problems[:10])
    )
    failed = (
        errors
        or result["lost"]
        or result["doubled"]
        or result["unexpected"]
        or result["orphan_codes"]
        or result["misfiled_codes"]
        or result["unknown_emails"]
        or not tally.ack_count
    )
    print("RESULT: " + ("FAILED" if failed else "ok: nothing lost, nothing doubled, no errors"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
