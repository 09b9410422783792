"""GET /api/v1/openapi.json describes every /api/v1/ route, and nothing that is not one."""

import re

import pytest


def documented(client):
    return client.get("/api/v1/openapi.json").get_json()


def api_routes(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((path, method.lower()))
    return routes


def test_it_is_an_openapi_3_1_document_readable_without_logging_in(client):
    document = documented(client)
    assert document["openapi"] == "3.1.0"
    assert document["servers"][0]["url"].endswith("/api/v1")


def test_every_api_route_is_described(app, client):
    paths = documented(client)["paths"]
    described = {(path, method) for path, item in paths.items() for method in item}
    missing = api_routes(app) - described
    assert not missing, f"routes missing from openapi.json: {sorted(missing)}"


def test_nothing_is_described_that_the_app_does_not_serve(app, client):
    paths = documented(client)["paths"]
    described = {(path, method) for path, item in paths.items() for method in item}
    assert described <= api_routes(app)


def test_the_entry_schema_lists_every_code(client):
    from diary.entries.codes import CODE_SETS

    schema = documented(client)["components"]["schemas"]["Entry"]["properties"]
    for field, codes in CODE_SETS.items():
        assert schema[field]["items"]["enum"] == [code.code for code in codes]


@pytest.mark.parametrize("field, value", [("pain", 3), ("night_wakings", 0)])
def test_a_stored_entry_matches_the_described_shape(client, alice, today, field, value):
    document = documented(client)
    schema = document["components"]["schemas"]["Entry"]
    entry = client.put(f"/api/v1/entries/{today}", json={"pain": 3, field: value}).get_json()
    assert set(entry) == set(schema["required"]) == set(schema["properties"])


def test_the_entry_schemas_list_the_fields_in_the_apis_order(client):
    from diary.entries.entry import ENTRY_FIELDS

    schemas = documented(client)["components"]["schemas"]
    assert tuple(schemas["Entry"]["properties"]) == ENTRY_FIELDS == tuple(schemas["Entry"]["required"])
    assert tuple(schemas["EntryInput"]["properties"]) == ENTRY_FIELDS
