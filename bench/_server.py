"""Shared helpers for bench/load.py and bench/faults.py: the real server in a subprocess,
a small stdlib HTTP client with a cookie jar, entry bodies, and reading entries straight
from the database.

Network: every request goes to 127.0.0.1, to a port that this code picked and on which it
started the server itself.
"""

import http.client
import json
import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from diary.entries.codes import ALLOWED

PASSWORD = "en lang og rolig sætning til bench"
HOST = "127.0.0.1"
# Generous limits for the bench's own runs, if the app reads them (diary/config.py, limits.py).
RATE_LIMIT_ENV = {
    "LOGIN_RATE_LIMIT": "10000 per minute",
    "REGISTER_RATE_LIMIT": "10000 per minute",
    "RESET_RATE_LIMIT": "10000 per minute",
    "REPORT_RATE_LIMIT": "10000 per minute",
    "IMPORT_RATE_LIMIT": "10000 per minute",
}
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# --- The server -------------------------------------------------------------------------


class Server:
    """`manage.py init-db` then `manage.py serve` in its own process group, on database_url."""

    def __init__(self, database_url: str, folder: Path, threads: int = 8, secret_key: str | None = None):
        self.database_url = database_url
        self.folder = Path(folder)
        self.threads = threads
        self.port = free_port()
        self.env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
        self.env |= RATE_LIMIT_ENV | {
            "DATABASE_URL": database_url,
            "SECRET_KEY": secret_key or secrets.token_hex(32),
            "PYTHONUNBUFFERED": "1",
        }
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self._log = None

    @property
    def log_path(self) -> Path:
        return self.folder / f"server-{self.starts}.log"

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            check=False,
            cwd=REPO_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def init_db(self) -> None:
        self.manage("init-db")

    def start(self, timeout: float = 60.0) -> float:
        """Start serving (on the same port every time); return the seconds until it answered."""
        self.starts += 1
        self._log = open(self.log_path, "w")
        started = time.monotonic()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "serve",
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--threads",
                str(self.threads),
            ],
            cwd=REPO_ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a SIGKILL takes all of it
        )
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server stopped with exit code {self.process.returncode}:\n"
                    + self.log_path.read_text()
                )
            try:
                with socket.create_connection((HOST, self.port), timeout=0.2):
                    return time.monotonic() - started
            except OSError:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"the server did not answer on port {self.port} within {timeout:.0f} s")

    def kill(self) -> None:
        """SIGKILL the server's process group: no clean-up, no last commit, as in a crash."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self._close()

    def stop(self) -> None:
        """Stop the server politely (SIGTERM to its group), or kill it after 10 s."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            self.kill()
        self._close()

    def _close(self) -> None:
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_text(self) -> str:
        return "".join(path.read_text(errors="replace") for path in sorted(self.folder.glob("server-*.log")))


# --- A throwaway PostgreSQL cluster -------------------------------------------------------


def start_postgres():
    """tests/support/pgcluster.py's cluster (fsync=off: a throwaway, not a production setup)."""
    from tests.support.pgcluster import start_cluster

    return start_cluster()


def crash_postgres(cluster) -> None:
    """Stop PostgreSQL as a crash would (immediate: no checkpoint; WAL replay on restart)."""
    cluster.run("pg_ctl", "-D", str(cluster.folder / "data"), "-m", "immediate", "-w", "stop")


#: pgcluster.start_cluster's settings (fast, for tests: a crash of PostgreSQL may lose the
#: last acknowledged commits) and production's (every acknowledged commit is on disk).
PG_SETTINGS = {
    "throwaway": "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
    "durable": "-c fsync=on -c synchronous_commit=on -c full_page_writes=on",
}


def restart_postgres(cluster, settings: str = "throwaway", stop_first: bool = False) -> None:
    """Start the cluster (again) with pgcluster.start_cluster's options, or the durable settings."""
    if stop_first:
        cluster.run("pg_ctl", "-D", str(cluster.folder / "data"), "-m", "fast", "-w", "stop")
    options = (
        f"-p {cluster.port} -k {cluster.folder} -c listen_addresses=127.0.0.1 "
        f"{PG_SETTINGS[settings]} -c max_connections=200"
    )
    cluster.run(
        "pg_ctl",
        "-D",
        str(cluster.folder / "data"),
        "-o",
        options,
        "-l",
        str(cluster.folder / "server.log"),
        "-w",
        "start",
    )
    cluster.settings = settings


def postgres_settings(database_url: str) -> str:
    """The durability settings in effect, as PostgreSQL reports them."""
    import psycopg2

    connection = psycopg2.connect(database_url)
    try:
        cursor = connection.cursor()
        shown = []
        for name in ("fsync", "synchronous_commit", "full_page_writes"):
            cursor.execute(f"SHOW {name}")
            shown.append(f"{name}={cursor.fetchone()[0]}")
        return " ".join(shown)
    finally:
        connection.close()


def temporary_folder(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


def fresh_database(postgres: bool, folder: Path, name: str):
    """A throwaway PostgreSQL cluster, or a new SQLite file in folder: (cluster or None, url, label)."""
    if postgres:
        cluster = start_postgres()
        return cluster, cluster.url, f"postgresql 15 (throwaway cluster: {postgres_settings(cluster.url)})"
    return None, f"sqlite:///{folder / name}", "sqlite (WAL, synchronous=NORMAL)"


# --- The HTTP client ---------------------------------------------------------------------


class ConnectionProblem(Exception):
    """The request got no HTTP answer (refused, reset, timed out).

    ``unsent`` means the connection was never made, so the request surely did nothing.
    """

    def __init__(self, message: str, unsent: bool = False):
        super().__init__(message)
        self.unsent = unsent


class Client:
    """One simulated person: a keep-alive connection, her cookies and her CSRF token."""

    def __init__(self, port: int, timeout: float = 30.0):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.csrf: str | None = None
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self._conn is None:
            self._conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                self._conn.connect()
            except OSError as problem:
                self.close()
                raise ConnectionProblem(f"{type(problem).__name__}: {problem}", unsent=True) from None
        try:
            self._conn.request(method, path, body=body, headers=headers)
            response = self._conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as problem:
            self.close()
            raise ConnectionProblem(f"{type(problem).__name__}: {problem}") from None
        for header in response.headers.get_all("Set-Cookie") or ():
            self._take_cookie(header)
        if response.will_close:
            self.close()
        return response.status, data

    def _take_cookie(self, header: str) -> None:
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            expired = morsel["max-age"] == "0" or "1970" in morsel["expires"]
            if expired or morsel.value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def page_token(self, path: str) -> tuple[int, str | None]:
        """GET an HTML page and keep its CSRF token (meta csrf-token)."""
        status, data = self.request("GET", path)
        found = CSRF_META.search(data.decode("utf-8", "replace"))
        if found:
            self.csrf = found.group(1)
        return status, self.csrf

    def register(self, email: str) -> int:
        """Register (and so log in); then read the new session's CSRF token. Returns the POST status."""
        status, token = self.page_token("/register")
        if status != 200 or token is None:
            raise RuntimeError(f"GET /register answered {status} without a CSRF token")
        form = urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode()
        status, _ = self.request(
            "POST", "/register", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302:
            return status
        status, token = self.page_token("/welcome")  # the log-in started a fresh session: a new token
        if token is None:
            raise RuntimeError(f"GET /welcome answered {status} without a CSRF token")
        return 302

    def json(self, method: str, path: str, payload=None) -> tuple[int, object]:
        headers = {"Accept": "application/json"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if method not in ("GET", "HEAD"):
            headers["X-CSRFToken"] = self.csrf or ""
        status, data = self.request(method, path, body, headers)
        try:
            return status, json.loads(data) if data else None
        except ValueError:
            return status, data.decode("utf-8", "replace")[:200]


# --- Entries -----------------------------------------------------------------------------

FIELDS = ("locations", "sensations", "triggers", "relief")
CODES = {name: sorted(ALLOWED[name]) for name in FIELDS}
EPOCH = datetime.now(UTC).replace(tzinfo=None, microsecond=0) - timedelta(hours=6)


def timestamp(sequence: int) -> str:
    """The client's edit time for the sequence-th edit: strictly increasing, in the past."""
    moment = EPOCH + timedelta(milliseconds=sequence)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def past_days(count: int) -> list[date]:
    """The `count` days before yesterday (UTC), so no day is 'in the future' anywhere."""
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    return [yesterday - timedelta(days=offset) for offset in range(count)]


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def entry_body(rng, day: date, sequence: int, who: str) -> dict:
    """A valid entry for `day`, with random content and the sequence-th edit time."""
    return {
        "date": day.isoformat(),
        "pain": rng.randint(0, 10),
        **{name: sorted(rng.sample(CODES[name], rng.randint(0, 3))) for name in FIELDS},
        "night_wakings": rng.randint(0, 5),
        "note": f"{who} edit {sequence}: trapper og sengevending æøå" if rng.random() < 0.5 else "",
        "updated_at": timestamp(sequence),
    }


def parse_moment(value) -> datetime:
    """A stored or sent edit time as a naive UTC datetime (to the millisecond)."""
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def comparable(entry: dict) -> tuple:
    """The content of an entry (sent, answered or stored), in one comparable shape."""
    return (
        str(entry["date"])[:10],
        int(entry["pain"]),
        *(tuple(sorted(entry.get(name) or ())) for name in FIELDS),
        int(entry.get("night_wakings") or 0),
        entry.get("note") or "",
        parse_moment(entry["updated_at"]),
    )


# --- Reading the database directly -------------------------------------------------------


def read_entries(database_url: str, emails: list[str]) -> dict:
    """Every stored entry of these users, straight from the database (not through the app).

    Returns {"rows": {(email, date): [entry, …]} (a list, so doubles show), "orphan_codes": n,
    "misfiled_codes": n, "unknown_emails": [...]}.
    """
    if database_url.startswith("sqlite:///"):
        import sqlite3

        path = database_url.removeprefix("sqlite:///")
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        mark = "?"
    else:
        import psycopg2

        connection = psycopg2.connect(database_url)
        mark = "%s"
    try:
        cursor = connection.cursor()
        marks = ",".join([mark] * len(emails))
        cursor.execute(f"SELECT id, email FROM users WHERE email IN ({marks})", emails)
        ids = {user_id: email for user_id, email in cursor.fetchall()}
        unknown = sorted(set(emails) - set(ids.values()))
        rows: dict = {}
        if ids:
            marks = ",".join([mark] * len(ids))
            cursor.execute(
                f"SELECT id, user_id, date, pain, night_wakings, note, updated_at FROM entries "
                f"WHERE user_id IN ({marks})",
                list(ids),
            )
            entries = {}
            for entry_id, user_id, day, pain, wakings, note, updated_at in cursor.fetchall():
                entry = {
                    "date": str(day)[:10],
                    "pain": pain,
                    "night_wakings": wakings,
                    "note": note,
                    "updated_at": updated_at,
                    **{name: [] for name in FIELDS},
                }
                entries[entry_id] = (user_id, entry)
                rows.setdefault((ids[user_id], entry["date"]), []).append(entry)
            cursor.execute(
                f"SELECT entry_id, user_id, date, field, code FROM entry_codes WHERE user_id IN ({marks})",
                list(ids),
            )
            orphan = misfiled = 0
            for entry_id, user_id, day, field, code in cursor.fetchall():
                if entry_id not in entries:
                    orphan += 1
                    continue
                owner, entry = entries[entry_id]
                if owner != user_id or str(day)[:10] != entry["date"] or field not in FIELDS:
                    misfiled += 1
                    continue
                entry[field].append(code)
        else:
            orphan = misfiled = 0
        return {"rows": rows, "orphan_codes": orphan, "misfiled_codes": misfiled, "unknown_emails": unknown}
    finally:
        connection.close()


def sqlite_integrity(database_url: str) -> tuple[str, int]:
    """PRAGMA integrity_check's answer ('ok' when sound) and the foreign_key_check's row count."""
    import sqlite3

    path = database_url.removeprefix("sqlite:///")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        answer = "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
        foreign = len(connection.execute("PRAGMA foreign_key_check").fetchall())
        return answer, foreign
    finally:
        connection.close()


def postgres_integrity(database_url: str) -> tuple[str, int]:
    """amcheck over every B-tree index of the public schema (when the extension is there),
    plus row counts; returns ('ok' or the problem, rows counted)."""
    import psycopg2

    connection = psycopg2.connect(database_url)
    connection.autocommit = True
    try:
        cursor = connection.cursor()
        counted = 0
        for table in ("users", "entries", "entry_codes"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counted += cursor.fetchone()[0]
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        except psycopg2.Error as problem:
            return f"ok (rows counted; amcheck not available: {problem.pgerror or problem})".strip(), counted
        cursor.execute(
            "SELECT c.relname, c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE am.amname = 'btree' AND n.nspname = 'public'"
        )
        indexes = cursor.fetchall()
        for name, oid in indexes:
            try:
                cursor.execute("SELECT bt_index_check(%s::regclass, true)", (oid,))
            except psycopg2.Error as problem:
                return f"index {name}: {problem.pgerror or problem}".strip(), counted
        return f"ok (amcheck: {len(indexes)} B-tree indexes with their heaps)", counted
    finally:
        connection.close()


def quantile(sorted_values: list[float], fraction: float) -> float:
    """The nearest-rank quantile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = math.ceil(fraction * len(sorted_values))
    return sorted_values[min(len(sorted_values), max(1, rank)) - 1]
