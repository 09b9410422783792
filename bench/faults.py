"""Faults: kill the server in the middle of writes, start it again, and check that every
acknowledged write is still there, unchanged, in a sound database.

    .venv/bin/python bench/faults.py [--rounds 5] [--writers 4] [--seed 7] [--postgres [--crash-postgres]]

Starts the production command (`manage.py init-db`, `manage.py serve`) on a fresh SQLite
database in a temporary folder (or, with --postgres, on a throwaway PostgreSQL 15 cluster).
A few writer threads register and then PUT entries as fast as the server answers, each
recording every write it sent and every write the server acknowledged (HTTP 200). At a
seeded random moment (3-6 s into the round) the server's whole process group gets SIGKILL:
no clean shutdown, no chance to finish a commit. The server is started again on the same
database, and then:

  - SQLite: PRAGMA integrity_check must answer "ok" (and PRAGMA foreign_key_check nothing);
    PostgreSQL: row counts, and amcheck's bt_index_check over every B-tree index with its heap;
  - read directly from the database, every acknowledged write must be stored exactly once
    for its (person, day) with the acknowledged content — or with the content of a later
    write to the same day that was in flight when the server died (sent, never answered:
    it may or may not have been committed, and either is correct);
  - the restarted server must serve the same entries through GET /api/v1/entries.

With --crash-postgres, PostgreSQL itself is also stopped as a crash would (pg_ctl -m
immediate) at the same moment, and restarted (WAL replay) before the server.

Repeats for --rounds rounds on the same database. Exits 1 on any lost or changed write,
doubled row, or integrity failure. Traffic goes only to 127.0.0.1, to the port this script
started the server on; every loop is bounded in time and count.
"""

import argparse
import random
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import (
    Client,
    ConnectionProblem,
    Server,
    comparable,
    crash_postgres,
    entry_body,
    past_days,
    postgres_integrity,
    postgres_settings,
    read_entries,
    restart_postgres,
    sqlite_integrity,
    start_postgres,
    temporary_folder,
)

MAX_WRITES_PER_ROUND = 50_000  # per writer: a cap besides the time limit


class Ledger:
    """What the writers sent and what the server acknowledged (thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked: dict[tuple[str, str], dict] = {}  # (email, day) -> last acknowledged body
        self.pending: dict[tuple[str, str], list[dict]] = {}  # sent after that, never answered
        self.sequence = 0
        self.round_attempts = 0
        self.round_acks = 0
        self.round_uncertain = 0
        self.other_answers: list[str] = []

    def next_sequence(self) -> int:
        with self.lock:
            self.sequence += 1
            return self.sequence

    def sent(self, key, body) -> None:
        with self.lock:
            self.pending.setdefault(key, []).append(body)
            self.round_attempts += 1

    def unsent(self, key, body) -> None:
        """The connection was never made: this write surely did nothing."""
        with self.lock:
            self.pending[key].remove(body)
            self.round_attempts -= 1

    def acknowledged(self, key, body) -> None:
        with self.lock:
            self.acked[key] = body
            self.pending[key] = []  # everything sent before was sequential, so older: superseded
            self.round_acks += 1

    def uncertain(self) -> None:
        with self.lock:
            self.round_uncertain += 1


def writer(
    client: Client, email: str, ledger: Ledger, stop: threading.Event, days, rng, deadline: float
) -> None:
    """PUT entries until the server stops answering, the round ends, or the cap is reached."""
    for _ in range(MAX_WRITES_PER_ROUND):
        if stop.is_set() or time.monotonic() >= deadline:
            return
        day = rng.choice(days)
        key = (email, day.isoformat())
        body = entry_body(rng, day, ledger.next_sequence(), email.split("@")[0])
        ledger.sent(key, body)
        try:
            status, answer = client.json("PUT", f"/api/v1/entries/{key[1]}", body)
        except ConnectionProblem as problem:
            if problem.unsent:
                ledger.unsent(key, body)
            else:
                ledger.uncertain()
            return  # the server is gone: this writer's round is over
        if status == 200:
            if comparable(answer) != comparable(body):
                with ledger.lock:
                    ledger.other_answers.append(f"{key}: sent {body}, answered {answer}")
            ledger.acknowledged(key, body)
        else:
            # Not acknowledged, so not promised; a 5xx may or may not have committed.
            ledger.uncertain()
            with ledger.lock:
                ledger.other_answers.append(f"{key}: {status} {str(answer)[:200]}")
            return


def check(database_url: str, ledger: Ledger, emails: list[str], clients: dict[str, Client]) -> dict:
    """Compare the database (and the restarted server's answers) with the ledger."""
    found = read_entries(database_url, emails)
    rows = found["rows"]
    lost = doubled = landed = unexpected = 0
    examples = []
    keys = set(ledger.acked) | {key for key, bodies in ledger.pending.items() if bodies}
    for key in keys:
        stored = rows.get(key, [])
        acked = ledger.acked.get(key)
        pending = ledger.pending.get(key, [])
        if len(stored) > 1:
            doubled += 1
            examples.append(f"{len(stored)} rows for {key}")
            continue
        if not stored:
            if acked is not None:
                lost += 1
                examples.append(f"acknowledged, missing: {key}")
                del ledger.acked[key]  # reported once
            continue
        content = comparable(stored[0])
        if acked is not None and content == comparable(acked):
            continue
        landing = next((body for body in pending if comparable(body) == content), None)
        if landing is not None:
            landed += 1  # in flight at the kill, committed without an answer: now the stored truth
            ledger.acked[key] = landing
        elif acked is not None:
            lost += 1
            examples.append(f"{key}: stored {stored[0]}, last acknowledged {acked}")
            ledger.acked[key] = stored[0]  # reported once; later rounds start from what is stored
        else:
            unexpected += 1
            examples.append(f"{key}: stored {stored[0]}, which nobody sent")
    for key in rows:
        if key not in keys:
            unexpected += 1
            examples.append(f"row nobody wrote: {key}")
    # The killed process can commit nothing more: what was in flight has landed or never will.
    ledger.pending.clear()

    # The restarted server must serve the same (its own read path, through the API).
    served_mismatch = 0
    for email, client in clients.items():
        try:
            status, answer = client.json("GET", "/api/v1/entries")
        except ConnectionProblem as problem:
            served_mismatch += 1
            examples.append(f"{email}: GET /api/v1/entries failed after restart: {problem}")
            continue
        if status != 200:
            served_mismatch += 1
            examples.append(f"{email}: GET /api/v1/entries answered {status} after restart")
            continue
        served = {entry["date"]: comparable(entry) for entry in answer["entries"]}
        stored = {day: comparable(entries[0]) for (owner, day), entries in rows.items() if owner == email}
        if served != stored:
            served_mismatch += 1
            examples.append(f"{email}: the API serves other entries than the database holds")
    return {
        "keys": len(keys),
        "rows": sum(len(entries) for entries in rows.values()),
        "lost": lost,
        "doubled": doubled,
        "landed": landed,
        "unexpected": unexpected,
        "served_mismatch": served_mismatch,
        "bad_codes": found["orphan_codes"] + found["misfiled_codes"],
        "examples": examples[:5],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4, help="waitress worker threads")
    parser.add_argument("--days", type=int, default=30, help="how many different days each writer writes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-kill", type=float, default=3.0, help="earliest kill, seconds into a round")
    parser.add_argument("--max-kill", type=float, default=6.0, help="latest kill, seconds into a round")
    parser.add_argument(
        "--postgres", action="store_true", help="a throwaway PostgreSQL cluster instead of SQLite"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (database, server logs)"
    )
    parser.add_argument(
        "--crash-postgres",
        action="store_true",
        help="with --postgres: also crash PostgreSQL (pg_ctl -m immediate) at each kill",
    )
    parser.add_argument(
        "--pg-settings",
        choices=("durable", "throwaway"),
        default="durable",
        help="with --crash-postgres: production's durable commit settings (default), or the "
        "test cluster's fsync=off, synchronous_commit=off (expect lost commits)",
    )
    args = parser.parse_args()
    if (
        not 1 <= args.rounds <= 50
        or not 1 <= args.writers <= 50
        or not 0 < args.min_kill <= args.max_kill <= 60
    ):
        parser.error("keep it bounded: 1-50 rounds, 1-50 writers, kill within 60 s")
    if args.crash_postgres and not args.postgres:
        parser.error("--crash-postgres needs --postgres")

    rng = random.Random(args.seed)
    folder = temporary_folder("diary-faults-")
    cluster = None
    if args.postgres:
        cluster = start_postgres()
        database_url = cluster.url
        if args.crash_postgres and args.pg_settings == "durable":
            restart_postgres(cluster, "durable", stop_first=True)
        crash = (
            f", crashed too (pg_ctl -m immediate) with {args.pg_settings} settings"
            if args.crash_postgres
            else ""
        )
        label = f"postgresql 15 (throwaway cluster: {postgres_settings(database_url)}){crash}"
    else:
        database_url, label = f"sqlite:///{folder / 'faults.sqlite3'}", "sqlite (WAL, synchronous=NORMAL)"
    server = Server(database_url, folder, threads=args.threads)
    ledger = Ledger()
    emails = [f"faults{index}-{args.seed}@bench.example" for index in range(args.writers)]
    clients = {email: Client(server.port, timeout=20) for email in emails}
    days = past_days(args.days)
    failures = 0
    totals = {"attempts": 0, "acks": 0, "uncertain": 0, "landed": 0, "lost": 0, "doubled": 0}
    print(
        f"database: {label}; server: manage.py serve (waitress) --threads {args.threads}; "
        f"{args.writers} writers, {args.rounds} rounds, seed {args.seed}"
    )
    print(
        f"{'round':>5} {'kill at':>8} {'sent':>6} {'acked':>6} {'in flight':>9} {'landed':>6} "
        f"{'checked':>7} {'lost':>4} {'doubled':>7} {'WAL at kill':>11} {'restart':>8}  integrity"
    )
    try:
        server.init_db()
        server.start()
        for email, client in clients.items():
            status = client.register(email)
            if status != 302:
                raise RuntimeError(f"registering {email} answered {status}")
        for round_number in range(1, args.rounds + 1):
            kill_at = rng.uniform(args.min_kill, args.max_kill)
            ledger.round_attempts = ledger.round_acks = ledger.round_uncertain = 0
            stop = threading.Event()
            started = time.monotonic()
            deadline = started + kill_at + 30
            threads = [
                threading.Thread(
                    target=writer,
                    daemon=True,
                    name=f"writer-{index}",
                    args=(
                        clients[email],
                        email,
                        ledger,
                        stop,
                        days,
                        random.Random(args.seed * 100_000 + round_number * 100 + index),
                        deadline,
                    ),
                )
                for index, email in enumerate(emails)
            ]
            for thread in threads:
                thread.start()
            time.sleep(max(0.0, started + kill_at - time.monotonic()))
            server.kill()  # SIGKILL to the process group, mid-writes
            if cluster is not None and args.crash_postgres:
                crash_postgres(cluster)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            if any(thread.is_alive() for thread in threads):
                raise RuntimeError("a writer did not stop within 60 s")
            wal = Path(database_url.removeprefix("sqlite:///") + "-wal") if cluster is None else None
            wal_size = (
                f"{wal.stat().st_size // 1024:>5} KiB" if wal is not None and wal.exists() else "    -    "
            )
            restart_started = time.monotonic()
            if cluster is not None and args.crash_postgres:
                restart_postgres(cluster, args.pg_settings)
            server.start()
            restart = time.monotonic() - restart_started
            if cluster is None:
                answer, foreign = sqlite_integrity(database_url)
                integrity_ok = answer == "ok" and foreign == 0
                integrity = f"integrity_check: {answer}; foreign_key_check: {foreign} rows"
            else:
                answer, counted = postgres_integrity(database_url)
                integrity_ok = answer.startswith("ok")
                integrity = f"{answer}; {counted} rows counted"
            result = check(database_url, ledger, emails, clients)
            bad = (
                not integrity_ok
                or result["lost"]
                or result["doubled"]
                or result["unexpected"]
                or result["served_mismatch"]
                or result["bad_codes"]
                or ledger.round_acks == 0
            )
            failures += bool(bad)
            for name, value in (
                ("attempts", ledger.round_attempts),
                ("acks", ledger.round_acks),
                ("uncertain", ledger.round_uncertain),
                ("landed", result["landed"]),
                ("lost", result["lost"]),
                ("doubled", result["doubled"]),
            ):
                totals[name] += value
            print(
                f"{round_number:>5} {kill_at:>7.2f}s {ledger.round_attempts:>6} {ledger.round_acks:>6} "
                f"{ledger.round_uncertain:>9} {result['landed']:>6} {result['keys']:>7} {result['lost']:>4} "
                f"{result['doubled']:>7} {wal_size:>11} {restart:>7.1f}s  {integrity}"
                + ("  FAILED" if bad else "")
            )
            for example in result["examples"]:
                print(f"      {example}")
            if result["unexpected"] or result["served_mismatch"] or result["bad_codes"]:
                print(
                    f"      rows nobody wrote: {result['unexpected']}; API differs for {result['served_mismatch']} "
                    f"writers; orphan or misfiled codes: {result['bad_codes']}"
                )
    finally:
        server.stop()
        for client in clients.values():
            client.close()
        if cluster is not None:
            cluster.stop()
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    if ledger.other_answers:
        print(f"answers other than 200 or a dropped connection: {len(ledger.other_answers)}, e.g.")
        for line in ledger.other_answers[:5]:
            print(f"  {line}")
    print(
        f"summary: {args.rounds} kills; {totals['attempts']} writes sent, {totals['acks']} acknowledged, "
        f"{totals['uncertain']} in flight at a kill ({totals['landed']} of them found committed); "
        f"lost {totals['lost']}, doubled {totals['doubled']}; rounds failed: {failures}"
    )
    print("RESULT: " + ("FAILED" if failures else "ok: every acknowledged write survived every kill"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
