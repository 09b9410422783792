"""Benchmark: one weekly summary and today's tips for a user with a year of entries,
in a database of many such users.

    .venv/bin/python bench/summary_and_tips.py [--users 1000] [--days 365] [--repeat 200]
        [--database-url postgresql://user@host:port/name]

Builds a fresh SQLite database in a temporary folder, or fills the database named by
--database-url (never DATABASE_URL from the environment: the benchmark drops and refills
the tables, and refuses a database that already holds users), with demo diaries, then
times the two calls the weekly page makes.
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from diary import create_app  # noqa: E402
from diary.advice.tips import tips_as_of  # noqa: E402
from diary.clock import local_today  # noqa: E402
from diary.db import db  # noqa: E402
from diary.entries.codes import CODE_SETS  # noqa: E402
from diary.entries.pregnancy import stage_on  # noqa: E402
from diary.models import MODELS, Entry, EntryCode, User, utc_now  # noqa: E402
from diary.ops.demo import demo_entries  # noqa: E402
from diary.summary.weekly import weekly_summary  # noqa: E402
from diary.summary.weeks import week_of  # noqa: E402


def fill(users: int, days: int, today) -> None:
    """Bulk-load ``users`` diaries of ``days`` days each (ids given here, for speed)."""
    db.drop_tables(MODELS, safe=True)
    db.create_tables(MODELS)
    now = utc_now()
    entry_id = 0
    for index in range(users):
        due = today + timedelta(days=30 + index % 200)
        with db.atomic():
            user = User.create(email=f"user{index}@bench.example", password_hash="x", due_date=due)
            entries, codes = [], []
            for clean in demo_entries(days, today, due, seed=index, skip_rate=0.0):
                entry_id += 1
                entries.append(
                    {
                        "id": entry_id,
                        "user": user.id,
                        "date": clean.date,
                        "pain": clean.pain,
                        "night_wakings": clean.night_wakings,
                        "note": clean.note,
                        "updated_at": now,
                    }
                )
                for field in CODE_SETS:
                    codes.extend(
                        {"entry": entry_id, "user": user.id, "date": clean.date, "field": field, "code": code}
                        for code in getattr(clean, field)
                    )
            for start in range(0, len(entries), 500):
                Entry.insert_many(entries[start : start + 500]).execute()
            for start in range(0, len(codes), 500):
                EntryCode.insert_many(codes[start : start + 500]).execute()


def users_in_database() -> int:
    """How many users the database holds (0 before its tables exist)."""
    return User.select().count() if User.table_exists() else 0


def timed(function, repeat: int) -> list[float]:
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def describe(name: str, durations: list[float]) -> str:
    ordered = sorted(durations)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"{name:<28} median {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms   max {ordered[-1]:7.2f} ms"


def main(argv=None) -> None:
    """Fill a database and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument(
        "--database-url", help="an empty database to fill (default: a new SQLite file in a temporary folder)"
    )
    args = parser.parse_args(argv)

    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='diary-bench-')}/bench.sqlite3"
    app = create_app({"DATABASE_URL": url})
    with app.test_request_context(), db.connection_context():
        users = users_in_database()
        if users:
            parser.exit(
                2,
                f"{parser.prog}: refused: the database already holds users ({users}), and the benchmark drops "
                "and refills its tables; give it an empty database, or no --database-url\n",
            )
        today = local_today()
        started = time.perf_counter()
        fill(args.users, args.days, today)
        print(
            f"database: {url.split(':')[0]}, {args.users} users x {args.days} days: "
            f"{Entry.select().count()} entries, {EntryCode.select().count()} codes "
            f"(loaded in {time.perf_counter() - started:.0f} s)"
        )
        user = User.get(User.email == f"user{args.users // 2}@bench.example")
        monday = week_of(today)
        stage = stage_on(today, user.due_date)
        summary = timed(lambda: weekly_summary(user, monday, stage), args.repeat)
        tips = timed(lambda: tips_as_of(user, today, "da"), args.repeat)
        both = timed(
            lambda: (weekly_summary(user, monday, stage), tips_as_of(user, today, "da")), args.repeat
        )
    print(describe("weekly summary", summary))
    print(describe("tips", tips))
    print(describe("summary + tips (week page)", both))


if __name__ == "__main__":
    main()
