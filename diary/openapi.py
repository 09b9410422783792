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
