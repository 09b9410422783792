"""The database handle: declared once, bound to SQLite or PostgreSQL at app creation."""

from urllib.parse import unquote, urlparse

from peewee import DatabaseProxy, SqliteDatabase
from playhouse.pool import PooledPostgresqlDatabase

db = DatabaseProxy()

POOL_SIZE = 32  # PostgreSQL connections per app process, at most

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
}


def open_database(url: str):
    """Return an (unconnected) peewee database for a sqlite:/// or postgresql:// URL."""
    if url.startswith("sqlite:///"):
        return SqliteDatabase(url.removeprefix("sqlite:///"), pragmas=SQLITE_PRAGMAS)
    parts = urlparse(url)
    # Connecting costs ~10 ms; a pool keeps them open between requests (one per server thread).
    return PooledPostgresqlDatabase(
        unquote(parts.path.lstrip("/")),
        max_connections=POOL_SIZE,
        stale_timeout=300,
        user=unquote(parts.username or "") or None,
        password=unquote(parts.password or "") or None,
        host=parts.hostname,
        port=parts.port,
    )


def init_app(app) -> None:
    """Bind the database to the app's DATABASE_URL and open a connection per request."""
    db.initialize(open_database(app.config["DATABASE_URL"]))

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            db.close()


def is_sqlite() -> bool:
    """Whether the bound database is SQLite."""
    return isinstance(db.obj, SqliteDatabase)


def write_transaction():
    """A transaction that takes the write lock at once, so read-check-write cannot interleave."""
    if is_sqlite():
        return db.obj.atomic("IMMEDIATE")
    return db.atomic()


def locked(query):
    """Add FOR UPDATE where the database has row locks (PostgreSQL); SQLite locks the file."""
    return query if is_sqlite() else query.for_update()
