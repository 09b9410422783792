"""The OpenAPI 3.1 description of the JSON API, kept true by tests/api/test_openapi.py."""

from diary.api.formats import DATE
from diary.api.schemas import component_schemas


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(description: str, ref: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


DAY_PARAMETER = {"name": "date", "in": "path", "required": True, "schema": DATE}
CSRF_PARAMETER = {
    "name": "X-CSRFToken",
    "in": "header",
    "required": True,
    "description": 'The token from the page\'s <meta name="csrf-token">.',
    "schema": {"type": "string"},
}
ANONYMOUS = {"401": _error("Not logged in.")}
WEEK_PARAMETER = {
    "name": "week",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": r"^\d{4}-W\d{2}$"},
}


def openapi_document(server_url: str) -> dict:
    """The whole OpenAPI document, with the given server URL."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Bækkendagbog API",
            "version": "1",
            "description": "The diary's JSON API. Calls use the session cookie of a logged-in user; "
            "writes also send the page's CSRF token in the X-CSRFToken header.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/csrf-token": {
                "get": {
                    "summary": "A fresh CSRF token, for writes from a page that has been open or offline a long time",
                    "operationId": "getCsrfToken",
                    "description": "The phone's outbox fetches one before sending entries saved offline. `owner` is an "
                    "opaque key of the logged-in account: the outbox sends only the entries written by that account.",
                    "responses": {
                        "200": {
                            "description": "The token for the X-CSRFToken header, and the account's key.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["csrf_token", "owner"],
                                        "properties": {
                                            "csrf_token": {"type": "string"},
                                            "owner": {"type": "string"},
                                        },
                                    }
                                }
                            },
                        },
                        **ANONYMOUS,
                    },
                },
            },
            "/entries": {
                "get": {
                    "summary": "List entries in a date range, oldest first",
                    "operationId": "listEntries",
                    "parameters": [
                        {"name": "from", "in": "query", "required": False, "schema": DATE},
                        {"name": "to", "in": "query", "required": False, "schema": DATE},
                    ],
                    "responses": {
                        "200": _json("The entries.", "EntryList"),
                        "400": _error("A bound is not a date, or the range is reversed."),
                        **ANONYMOUS,
                    },
                },
            },
            "/entries/{date}": {
                "get": {
                    "summary": "Get one day's entry",
                    "operationId": "getEntry",
                    "parameters": [DAY_PARAMETER],
                    "responses": {
                        "200": _json("The entry.", "Entry"),
                        "404": _error("No entry that day."),
                        **ANONYMOUS,
                    },
                },
                "put": {
                    "summary": "Create or replace one day's entry",
                    "operationId": "putEntry",
                    "description": "Idempotent. An `updated_at` older than the stored entry's gets 409 "
                    "with the stored entry, so an old offline edit never overwrites a newer one.",
                    "parameters": [DAY_PARAMETER, CSRF_PARAMETER],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/EntryInput"}}
                        },
                    },
                    "responses": {
                        "200": _json("The stored entry.", "Entry"),
                        "400": _error("Invalid input (see error.fields), or a missing CSRF token."),
                        "404": _error("No such date (e.g. 30 February)."),
                        "409": _json("A newer edit is stored; it is returned as `entry`.", "Conflict"),
                        "413": _error("The body is too large."),
                        **ANONYMOUS,
                    },
                },
                "delete": {
                    "summary": "Delete one day's entry",
                    "operationId": "deleteEntry",
                    "parameters": [DAY_PARAMETER, CSRF_PARAMETER],
                    "responses": {
                        "204": {"description": "Deleted."},
                        "400": _error("A missing CSRF token."),
                        "404": _error("No entry that day."),
                        **ANONYMOUS,
                    },
                },
            },
            "/summary/{week}": {
                "get": {
                    "summary": "One ISO week's summary (Monday to Sunday)",
                    "operationId": "getSummary",
                    "parameters": [
                        {
                            "name": "week",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": r"^\d{4}-W\d{2}$"},
                        }
                    ],
                    "responses": {
                        "200": _json(
                            "The week's figures, the change from the week before, and the week's tips.",
                            "Summary",
                        ),
                        "404": _error("No such ISO week, or it has not begun."),
                        **ANONYMOUS,
                    },
                },
            },
            "/checkins/{week}": {
                "get": {
                    "summary": "One ISO week's weekly check",
                    "operationId": "getCheckin",
                    "parameters": [WEEK_PARAMETER],
                    "responses": {
                        "200": _json("The check.", "Checkin"),
                        "400": _error(
                            "Not a week written YYYY-Www, a week not begun, or one before the diary."
                        ),
                        "404": _error("No check that week."),
                        **ANONYMOUS,
                    },
                },
                "put": {
                    "summary": "Create or replace one ISO week's weekly check",
                    "operationId": "putCheckin",
                    "description": "Ten everyday activities, each 0-3 or null (does not apply), and the "
                    "optional self-rated leg raise. The week must have begun and not end before the "
                    "diary's lower bound (two years back, or 42 weeks before the due date).",
                    "parameters": [WEEK_PARAMETER, CSRF_PARAMETER],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/CheckinInput"}}
                        },
                    },
                    "responses": {
                        "200": _json("The stored check, with its score.", "Checkin"),
                        "400": _error("Invalid input or week (see error.fields), or a missing CSRF token."),
                        "413": _error("The body is too large."),
                        **ANONYMOUS,
                    },
                },
            },
            "/tips": {
                "get": {
                    "summary": "Today's tips, safety first, at most three",
                    "operationId": "listTips",
                    "responses": {"200": _json("The tips.", "TipList"), **ANONYMOUS},
                },
            },
            "/tips/{advice_id}/feedback": {
                "post": {
                    "summary": "Mark a tip helpful, or dismiss it (for good, or for the week of a weekly tip)",
                    "operationId": "tipFeedback",
                    "parameters": [
                        {"name": "advice_id", "in": "path", "required": True, "schema": {"type": "string"}},
                        CSRF_PARAMETER,
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/FeedbackInput"}}
                        },
                    },
                    "responses": {
                        "200": _json("The feedback was stored before.", "Feedback"),
                        "201": _json("The feedback is stored.", "Feedback"),
                        "400": _error("Not helpful or dismissed, or a missing CSRF token."),
                        "404": _error("No such advice item."),
                        "409": _error("A safety tip that holds today cannot be dismissed."),
                        **ANONYMOUS,
                    },
                },
            },
            "/shares": {
                "post": {
                    "summary": "Make a report link for a midwife",
                    "operationId": "createShare",
                    "parameters": [CSRF_PARAMETER],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/ShareInput"}}
                        },
                    },
                    "responses": {
                        "201": _json("The new link (absolute URLs).", "NewShare"),
                        "400": _error("Invalid input (see error.fields), or a missing CSRF token."),
                        **ANONYMOUS,
                    },
                },
                "get": {
                    "summary": "The user's report links, newest first",
                    "operationId": "listShares",
                    "responses": {
                        "200": _json("The links, with views and revocation.", "ShareList"),
                        **ANONYMOUS,
                    },
                },
            },
            "/shares/{share_id}": {
                "delete": {
                    "summary": "Revoke a report link at once",
                    "operationId": "revokeShare",
                    "parameters": [
                        {
                            "name": "share_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 0},
                        },
                        CSRF_PARAMETER,
                    ],
                    "responses": {
                        "204": {"description": "Revoked."},
                        "400": _error("A missing CSRF token."),
                        "404": _error("No such share of this user."),
                        **ANONYMOUS,
                    },
                },
            },
            "/export": {
                "get": {
                    "summary": "All of the user's data as JSON",
                    "operationId": "exportJson",
                    "responses": {
                        "200": _json("Profile, entries, weekly checks and tip feedback.", "Export"),
                        **ANONYMOUS,
                    },
                },
            },
            "/export.csv": {
                "get": {
                    "summary": "The user's entries as CSV, one row per day",
                    "operationId": "exportCsv",
                    "description": "In the user's language's conventions. English: comma-separated, the "
                    "entry's field names as headers, code sets joined with ';'. Danish (for Danish Excel): a "
                    "UTF-8 byte-order mark, separated by ';', Danish headers, labels instead of codes (joined "
                    "with ', '), and a column of the average pain of the last 7 days with a decimal comma. "
                    "Cells a spreadsheet would run as a formula (starting with =, +, -, @) are prefixed with "
                    "an apostrophe. The JSON export keeps the codes.",
                    "responses": {
                        "200": {
                            "description": "CSV",
                            "content": {"text/csv": {"schema": {"type": "string"}}},
                        },
                        **ANONYMOUS,
                    },
                },
            },
            "/import": {
                "post": {
                    "summary": "Merge an export into the diary",
                    "operationId": "importJson",
                    "description": "Entries are merged by date: an imported day replaces the stored one only when "
                    "its updated_at is newer. The whole file is checked first; a bad file changes nothing. "
                    "Tip feedback on advice the library no longer has is left out and counted. The profile "
                    "and report links are not imported. Imports are rate-limited per account (IMPORT_RATE_LIMIT).",
                    "parameters": [CSRF_PARAMETER],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Export"}}},
                    },
                    "responses": {
                        "200": _json("How many days were created, updated and skipped.", "ImportCounts"),
                        "400": _error(
                            "Not an export, an invalid day (see error.fields), or a missing CSRF token."
                        ),
                        "413": _error("The file is too large."),
                        "429": _error("Too many imports in a short time."),
                        **ANONYMOUS,
                    },
                },
            },
            "/reminder": {
                "get": {
                    "summary": "Her daily reminder",
                    "operationId": "getReminder",
                    "description": "Off, at 20:00 Copenhagen time, until she sets it.",
                    "responses": {"200": _json("The reminder settings.", "Reminder"), **ANONYMOUS},
                },
                "put": {
                    "summary": "Set her daily reminder",
                    "operationId": "putReminder",
                    "description": "Pushed to every device she subscribed, at her time in her time zone; none when "
                    "the day is already logged, never two a day.",
                    "parameters": [CSRF_PARAMETER],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Reminder"}}
                        },
                    },
                    "responses": {
                        "200": _json("The stored settings.", "Reminder"),
                        "400": _error("A bad time, an unknown time zone, or a missing CSRF token."),
                        **ANONYMOUS,
                    },
                },
            },
            "/push-subscriptions": {
                "post": {
                    "summary": "Keep this device's Web Push subscription",
                    "operationId": "addPushSubscription",
                    "description": "The browser's PushSubscription JSON. The endpoint must be an https address "
                    "on the public internet (unless the operator set PUSH_ALLOW_PRIVATE_ENDPOINTS). The same "
                    "endpoint again updates the one row.",
                    "parameters": [CSRF_PARAMETER],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/PushSubscriptionInput"}
                            }
                        },
                    },
                    "responses": {
                        "200": _json("The subscription was kept already.", "PushSubscription"),
                        "201": _json("The subscription is kept.", "PushSubscription"),
                        "400": _error("Not a subscription the server will call, or a missing CSRF token."),
                        **ANONYMOUS,
                    },
                },
                "delete": {
                    "summary": "Forget a device's Web Push subscription",
                    "operationId": "removePushSubscription",
                    "parameters": [CSRF_PARAMETER],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/PushSubscription"}}
                        },
                    },
                    "responses": {
                        "204": {"description": "Forgotten (or it was not hers)."},
                        "400": _error("No endpoint, or a missing CSRF token."),
                        **ANONYMOUS,
                    },
                },
            },
            "/push-key": {
                "get": {
                    "summary": "The server's VAPID public key",
                    "operationId": "getPushKey",
                    "responses": {"200": _json("The application server key.", "PushKey"), **ANONYMOUS},
                },
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi",
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}},
                },
            },
        },
        "components": {"schemas": component_schemas()},
    }
