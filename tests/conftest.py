"""Shared fixtures: an app per test on a fresh database (SQLite, and PostgreSQL when asked),
a client, and Alice and Bob as users."""

import os
import re
from datetime import timedelta

import pytest
from hypothesis import settings

from diary import create_app
from diary.db import db
from diary.models import MODELS
from diary.ops.migrations import SchemaVersion, migrate
from tests.support.database import in_app
from tests.support.pgcluster import ClusterUnavailable, start_cluster
from tests.support.required import missing, required

# Requiring PostgreSQL (make test, CI) means testing on it: both engines unless told otherwise.
DEFAULT_DATABASES = "sqlite,postgresql" if required("POSTGRES") else "sqlite"
BACKENDS = [
    name.strip()
    for name in os.environ.get("DIARY_TEST_DATABASES", DEFAULT_DATABASES).split(",")
    if name.strip()
]
if required("POSTGRES") and "postgresql" not in BACKENDS:
    raise pytest.UsageError(
        "PostgreSQL is required (DIARY_REQUIRE_POSTGRES=1 or CI), but DIARY_TEST_DATABASES leaves it out"
    )
PASSWORD = "correct horse battery"

# Hypothesis's 200 ms per example is a timing test, and the suite measures speed in bench/ instead:
# on a loaded machine (CI beside other jobs) an example that waits for the CPU is not a failure.
settings.register_profile("diary", deadline=None)
settings.load_profile("diary")


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL cluster for the whole run."""
    try:
        cluster = start_cluster()
    except ClusterUnavailable as problem:
        missing("POSTGRES", f"PostgreSQL is not available: {problem}")
    yield cluster.url
    cluster.stop()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A fresh, empty database of each configured engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'diary.sqlite3'}"
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    raise ValueError(f"unknown test database {request.param!r}")


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({"DATABASE_URL": database_url})
    with db.connection_context():
        db.drop_tables([*MODELS, SchemaVersion], safe=True)
        migrate()  # as `manage.py init-db` makes it: the tables and the schema version they are at
    yield app
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()  # the PostgreSQL pool of this test's app


@pytest.fixture
def csrf_app(app):
    """The same app with CSRF checks on, for the tests that are about them."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def today(app):
    from diary.clock import local_today

    with app.app_context():
        return local_today()


def csrf_token_of(client, path: str = "/settings") -> str:
    """The CSRF token a page carries in its csrf-token meta tag, as the PWA reads it."""
    page = client.get(path).get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


class Auth:
    """Registers and logs in users through the real forms."""

    def __init__(self, client):
        self.client = client

    def register(self, email="alice@example.dk", password=PASSWORD, remember=True):
        data = {"email": email, "password": password}
        if remember:  # ticked by default on the form, as a browser sends it
            data["remember"] = "y"
        return self.client.post("/register", data=data)

    def login(self, email="alice@example.dk", password=PASSWORD, remember=False):
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self.client.post("/login", data=data)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def alice(app, auth):
    """Alice, registered and logged in on `client`, due in twelve weeks."""
    auth.register("alice@example.dk")
    from diary.clock import local_today
    from diary.models import User

    with in_app(app):
        user = User.by_email("alice@example.dk")
        user.due_date = local_today() + timedelta(weeks=12)
        user.save(only=[User.due_date])
    return user


@pytest.fixture
def bob_client(app):
    """A second browser, logged in as Bob."""
    other = app.test_client()
    Auth(other).register("bob@example.dk")
    return other
