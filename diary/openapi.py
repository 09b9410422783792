"""The OpenAPI 3.1 description of the JSON API, kept true by tests/test_openapi.py."""

from .openapi_schemas import DATE, component_schemas


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
            "/export.csv": {
                "get": {
                    "summary": "The user's entries as CSV, one row per day",
                    "operationId": "exportCsv",
                    "description": "Code sets are joined with ';'. Cells a spreadsheet would run as a formula "
                    "(starting with =, +, -, @) are prefixed with an apostrophe.",
                    "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}, **ANONYMOUS},
                },
            },
            "/import": {
                "post": {
                    "summary": "Merge an export into the diary",
                    "operationId": "importJson",
                    "description": "Entries are merged by date: an imported day replaces the stored one only when "
                    "its updated_at is newer. The whole file is checked first; a bad file changes nothing.",
                    "parameters": [CSRF_PARAMETER],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Export"}}},
                    },
                    "responses": {
                        "200": _json("How many days were created, updated and skipped.", "ImportCounts"),
                        "400": _error("Not an export, an invalid day (see error.fields), or a missing CSRF token."),
                        "413": _error("The file is too large."),
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
        "components": {"schemas": component_schemas()},
    }
