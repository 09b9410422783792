"""The OpenAPI 3.1 description of the JSON API, kept true by tests/test_openapi.py."""

from .codes import ALLOWED, CODE_SETS, NIGHT_WAKINGS_MAX, NOTE_MAX_LENGTH, PAIN_MAX, PAIN_MIN

DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
TIMESTAMP = {"type": "string", "format": "date-time"}


def _code_list(field: str) -> dict:
    return {
        "type": "array",
        "items": {"type": "string", "enum": [code.code for code in CODE_SETS[field]]},
        "uniqueItems": True,
        "maxItems": len(ALLOWED[field]),
    }


def _entry_properties() -> dict:
    return {
        "date": DATE,
        "pain": {"type": "integer", "minimum": PAIN_MIN, "maximum": PAIN_MAX},
        "locations": _code_list("locations"),
        "sensations": _code_list("sensations"),
        "triggers": _code_list("triggers"),
        "night_wakings": {"type": "integer", "minimum": 0, "maximum": NIGHT_WAKINGS_MAX},
        "relief": _code_list("relief"),
        "note": {"type": "string", "maxLength": NOTE_MAX_LENGTH},
        "updated_at": TIMESTAMP,
    }


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json(description: str, ref: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


DAY_PARAMETER = {"name": "date", "in": "path", "required": True, "schema": DATE}
CSRF_PARAMETER = {
    "name": "X-CSRFToken",
    "in": "header",
    "required": True,
    "description": "The token from the page's <meta name=\"csrf-token\">.",
    "schema": {"type": "string"},
}
ANONYMOUS = {"401": _error("Not logged in.")}


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
                    "responses": {"200": _json("The entry.", "Entry"), "404": _error("No entry that day."), **ANONYMOUS},
                },
                "put": {
                    "summary": "Create or replace one day's entry",
                    "operationId": "putEntry",
                    "description": "Idempotent. An `updated_at` older than the stored entry's gets 409 "
                    "with the stored entry, so an old offline edit never overwrites a newer one.",
                    "parameters": [DAY_PARAMETER, CSRF_PARAMETER],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EntryInput"}}},
                    },
                    "responses": {
                        "200": _json("The stored entry.", "Entry"),
                        "400": _error("Invalid input (see error.fields), or a missing CSRF token."),
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
                        {"name": "week", "in": "path", "required": True, "schema": {"type": "string", "pattern": r"^\d{4}-W\d{2}$"}}
                    ],
                    "responses": {
                        "200": _json("The week's figures, the change from the week before, and the week's tips.", "Summary"),
                        "404": _error("No such ISO week, or it has not begun."),
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
                    "summary": "Mark a tip helpful, or dismiss it for good",
                    "operationId": "tipFeedback",
                    "parameters": [
                        {"name": "advice_id", "in": "path", "required": True, "schema": {"type": "string"}},
                        CSRF_PARAMETER,
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FeedbackInput"}}},
                    },
                    "responses": {
                        "200": _json("The feedback was stored before.", "Feedback"),
                        "201": _json("The feedback is stored.", "Feedback"),
                        "400": _error("Not helpful or dismissed, or a missing CSRF token."),
                        "404": _error("No such advice item."),
                        **ANONYMOUS,
                    },
                },
            },
            "/export": {
                "get": {
                    "summary": "All of the user's data as JSON",
                    "operationId": "exportJson",
                    "responses": {"200": _json("Profile, entries and tip feedback.", "Export"), **ANONYMOUS},
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
        "components": {
            "schemas": {
                "EntryInput": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["pain"],
                    "properties": _entry_properties(),
                },
                "Entry": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": list(_entry_properties()),
                    "properties": _entry_properties(),
                },
                "EntryList": {
                    "type": "object",
                    "required": ["entries"],
                    "properties": {"entries": {"type": "array", "items": {"$ref": "#/components/schemas/Entry"}}},
                },
                "Tip": {
                    "type": "object",
                    "required": ["id", "title", "reason", "url"],
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "summary": {"type": "string"},
                        "reason": {"type": "string"},
                        "url": {"type": "string"},
                        "safety": {"type": "boolean"},
                    },
                },
                "TipList": {
                    "type": "object",
                    "required": ["tips"],
                    "properties": {"tips": {"type": "array", "maxItems": 3, "items": {"$ref": "#/components/schemas/Tip"}}},
                },
                "CodeCount": {
                    "type": "object",
                    "required": ["code", "days"],
                    "properties": {"code": {"type": "string"}, "days": {"type": "integer", "minimum": 1, "maximum": 7}},
                },
                "Summary": {
                    "type": "object",
                    "required": ["week", "start", "end", "days_logged", "pain", "nights_disrupted", "night_wakings",
                                 "triggers", "locations", "sensations", "relief", "gestational_week", "tips"],
                    "properties": {
                        "week": {"type": "string"},
                        "start": DATE,
                        "end": DATE,
                        "days_logged": {"type": "integer", "minimum": 0, "maximum": 7},
                        "pain": {
                            "type": "object",
                            "required": ["mean", "max", "min", "previous_mean", "change"],
                            "properties": {
                                name: {"type": ["number", "null"]} for name in ("mean", "max", "min", "previous_mean", "change")
                            },
                        },
                        "nights_disrupted": {"type": "integer", "minimum": 0},
                        "night_wakings": {"type": "integer", "minimum": 0},
                        **{name: {"type": "array", "items": {"$ref": "#/components/schemas/CodeCount"}}
                           for name in ("triggers", "locations", "sensations", "relief")},
                        "gestational_week": {"type": ["string", "null"]},
                        "days": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "date": DATE,
                                    "pain": {"type": ["integer", "null"]},
                                    "night_wakings": {"type": ["integer", "null"]},
                                },
                            },
                        },
                        "tips": {"type": "array", "items": {"$ref": "#/components/schemas/Tip"}},
                    },
                },
                "FeedbackInput": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["kind"],
                    "properties": {"kind": {"type": "string", "enum": ["helpful", "dismissed"]}},
                },
                "Feedback": {
                    "type": "object",
                    "required": ["id", "kind"],
                    "properties": {"id": {"type": "string"}, "kind": {"type": "string", "enum": ["helpful", "dismissed"]}},
                },
                "Export": {
                    "type": "object",
                    "required": ["format", "version", "profile", "entries", "tip_feedback"],
                    "properties": {
                        "format": {"const": "baekkendagbog-export"},
                        "version": {"type": "integer"},
                        "profile": {"type": "object"},
                        "entries": {"type": "array", "items": {"$ref": "#/components/schemas/Entry"}},
                        "tip_feedback": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["advice", "kind", "created_at"],
                                "properties": {"advice": {"type": "string"}, "kind": {"type": "string"}, "created_at": TIMESTAMP},
                            },
                        },
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                            },
                        }
                    },
                },
                "Conflict": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Error"},
                        {"type": "object", "required": ["entry"], "properties": {"entry": {"$ref": "#/components/schemas/Entry"}}},
                    ]
                },
            },
        },
    }
