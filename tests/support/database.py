"""Reading and writing rows from a test, as a request does."""

from contextlib import contextmanager

from diary.db import db
from diary.models import Entry, EntryCode


@contextmanager
def in_app(app):
    """Inside the app and one database connection, for the rows a test sets up or checks.

    A context manager rather than a fixture held for the whole test: the test client's
    requests must push their own app context, or flask-login's ``g`` would carry one
    request's user into the next.
    """
    with app.app_context(), db.connection_context():
        yield


def row_count(app) -> tuple[int, int]:
    """How many entries and entry codes the database holds."""
    with in_app(app):
        return Entry.select().count(), EntryCode.select().count()
