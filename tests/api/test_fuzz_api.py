"""Schemathesis fuzzes every operation of the app's own OpenAPI document as a logged-in user:
no request gets a 5xx, and every answer has a documented status, content type and shape.

Each operation is a test of its own, on each configured database. Its cases come from
Schemathesis' Hypothesis strategies (`APIOperation.as_strategy`): valid ones, then invalid ones
where the operation takes any input. They are sent with Carol's session cookie and the CSRF
token of her page, to a diary that already holds a few days and report links. Examples are
derandomized, so every run sends the same requests.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from diary.api.openapi import openapi_document
from tests.conftest import PASSWORD, csrf_token_of

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 25
EXAMPLES_WITH_CSRF = 10
DOCUMENT = openapi_document("http://localhost/api/v1")
OPERATIONS = [(path, method.upper()) for path, item in DOCUMENT["paths"].items() for method in item]


def _takes_input(path: str, method: str) -> bool:
    """Whether an operation has anything besides the CSRF header (which stays valid) to make invalid."""
    operation = DOCUMENT["paths"][path][method.lower()]
    parameters = [
        parameter for parameter in operation.get("parameters", []) if parameter["name"] != "X-CSRFToken"
    ]
    return bool(parameters) or "requestBody" in operation


def _is_write(path: str, method: str) -> bool:
    operation = DOCUMENT["paths"][path][method.lower()]
    return any(parameter["name"] == "X-CSRFToken" for parameter in operation.get("parameters", []))


WITH_INPUT = [operation for operation in OPERATIONS if _takes_input(*operation)]
WRITES = [operation for operation in OPERATIONS if _is_write(*operation)]


def operations(chosen):
    return pytest.mark.parametrize(
        "path, method", chosen, ids=[f"{method} {path}" for path, method in chosen]
    )


@dataclass(frozen=True)
class Login:
    """What a logged-in browser sends with an API call: its session cookie and its page's CSRF token."""

    cookies: dict
    headers: dict


def log_in(app, client) -> Login:
    """Register Carol through the real form, then take her session cookie and her page's token."""
    token = csrf_token_of(client, "/register")
    response = client.post(
        "/register", data={"email": "carol@example.dk", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    token = csrf_token_of(client, "/")
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name)
    assert cookie is not None
    # Werkzeug's client, which Schemathesis uses in-process, does not undo brotli or gzip.
    return Login(cookies={name: cookie.value}, headers={"X-CSRFToken": token, "Accept-Encoding": "identity"})


def fill_diary(client, login: Login, today) -> None:
    """A week of days, one with a long note, and two report links (one revoked), so answers have data."""
    for offset in range(7):
        day = today - timedelta(days=offset)
        body = {
            "pain": offset,
            "locations": ["symphysis"],
            "triggers": ["stairs"],
            "night_wakings": offset % 3,
            "note": 'Trappen <b>igen</b> & "hård"' * (offset + 1),
        }
        assert client.put(f"/api/v1/entries/{day}", json=body, headers=login.headers).status_code == 200
    for include_notes in (True, False):
        response = client.post("/api/v1/shares", json={"include_notes": include_notes}, headers=login.headers)
        assert response.status_code == 201
    assert (
        client.delete(f"/api/v1/shares/{response.get_json()['id']}", headers=login.headers).status_code == 204
    )


@pytest.fixture
def login(app, client, today) -> Login:
    login = log_in(app, client)
    fill_diary(client, login, today)
    return login


def fuzz(app, login: Login, path: str, method: str, mode: GenerationMode, examples: int) -> None:
    """Send Schemathesis' cases for one operation and check every answer against the document."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    csrf = {"X-CSRFToken": login.headers["X-CSRFToken"]} if _is_write(path, method) else None

    @settings(
        max_examples=examples,
        derandomize=True,  # the same requests on every run, so CI is stable
        deadline=None,  # a slow PostgreSQL round trip on a busy machine is not a bug
        database=None,  # and nothing carried over from an earlier run
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    @given(case=operation.as_strategy(mode, headers=csrf))
    def send(case):
        response = case.call_and_validate(headers=login.headers, cookies=login.cookies, checks=CHECKS)
        assert response.status_code != 401, "the session cookie was not accepted"
        if response.status_code == 400:  # the error body's shape is checked above
            assert response.json()["error"]["code"] != "csrf", "the page's CSRF token was refused"

    send()


@operations(OPERATIONS)
def test_it_answers_valid_requests_as_documented(app, client, login, path, method):
    fuzz(app, login, path, method, GenerationMode.POSITIVE, EXAMPLES)


@operations(WITH_INPUT)
def test_it_refuses_invalid_requests_as_documented(app, client, login, path, method):
    fuzz(app, login, path, method, GenerationMode.NEGATIVE, EXAMPLES)


@operations(WRITES)
def test_it_answers_writes_as_documented_with_csrf_checks_on(csrf_app, client, path, method, today):
    login = log_in(csrf_app, client)
    fill_diary(client, login, today)
    fuzz(csrf_app, login, path, method, GenerationMode.POSITIVE, EXAMPLES_WITH_CSRF)


#: Hand-picked requests at the edges that random examples seldom reach: (id, path, method, case).
#: "{empty day}" in a path parameter stands for a past day with no entry yet.
EDGES = [
    ("share id beyond 64 bits", "/shares/{share_id}", "DELETE", {"path_parameters": {"share_id": 2**63}}),
    ("share id of 64 bits", "/shares/{share_id}", "DELETE", {"path_parameters": {"share_id": 2**63 - 1}}),
    ("no 30 February to read", "/entries/{date}", "GET", {"path_parameters": {"date": "2026-02-30"}}),
    (
        "no 30 February to log",
        "/entries/{date}",
        "PUT",
        {"path_parameters": {"date": "2026-02-30"}, "body": {"pain": 3}},
    ),
    ("no 30 February to delete", "/entries/{date}", "DELETE", {"path_parameters": {"date": "2026-02-30"}}),
    (
        "no month 13 to log",
        "/entries/{date}",
        "PUT",
        {"path_parameters": {"date": "2026-13-01"}, "body": {"pain": 3}},
    ),
    (
        "a day that is not a date",
        "/entries/{date}",
        "PUT",
        {"path_parameters": {"date": "today"}, "body": {"pain": 3}},
    ),
    (
        "an edit made in the year 999",
        "/entries/{date}",
        "PUT",
        {
            "path_parameters": {"date": "{empty day}"},
            "body": {"pain": 3, "updated_at": "0999-06-01T12:00:00Z"},
        },
    ),
    (
        "an edit before year 1 in UTC",
        "/entries/{date}",
        "PUT",
        {
            "path_parameters": {"date": "{empty day}"},
            "body": {"pain": 3, "updated_at": "0001-01-01T00:00:00+14:00"},
        },
    ),
    (
        "an edit after year 9999 in UTC",
        "/entries/{date}",
        "PUT",
        {
            "path_parameters": {"date": "{empty day}"},
            "body": {"pain": 3, "updated_at": "9999-12-31T23:59:59-14:00"},
        },
    ),
    ("the first week of year 1", "/summary/{week}", "GET", {"path_parameters": {"week": "0001-W01"}}),
    ("week 53 of a year with 52", "/summary/{week}", "GET", {"path_parameters": {"week": "2025-W53"}}),
    ("every day there is", "/entries", "GET", {"query": {"from": "0001-01-01", "to": "9999-12-31"}}),
    (
        "an import with an edit before year 1 in UTC",
        "/import",
        "POST",
        {
            "body": {
                "format": "baekkendagbog-export",
                "version": 1,
                "entries": [
                    {
                        "date": "2026-01-05",
                        "pain": 3,
                        "locations": [],
                        "sensations": [],
                        "triggers": [],
                        "night_wakings": 0,
                        "relief": [],
                        "note": "",
                        "updated_at": "0001-01-01T00:00:00+14:00",
                    }
                ],
            }
        },
    ),
]


@pytest.mark.parametrize("path, method, case", [edge[1:] for edge in EDGES], ids=[edge[0] for edge in EDGES])
def test_it_answers_edge_cases_as_documented(app, client, login, today, path, method, case):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    parameters = {
        name: str(today - timedelta(days=40)) if value == "{empty day}" else value
        for name, value in case.get("path_parameters", {}).items()
    }
    headers = {"X-CSRFToken": login.headers["X-CSRFToken"]} if _is_write(path, method) else {}
    edge = schema[path][method].Case(**case | {"path_parameters": parameters, "headers": headers})
    response = edge.call_and_validate(headers=login.headers, cookies=login.cookies, checks=CHECKS)
    assert response.status_code != 401
