"""Pages and JSON answers travel compressed when the browser accepts it."""

import gzip
import json

import brotli
import pytest

from diary.web.compression import accepted_encoding


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br", "br"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0.5", "gzip"),
        ("identity", None),
        ("", None),
        ("*", "br"),
        ("br;q=nonsense, gzip", "gzip"),
        ("GZIP", "gzip"),
        ("gzip;q=0.5, br;q=0.8", "br"),
    ],
)
def test_it_picks_the_best_encoding_the_browser_accepts(header, expected):
    assert accepted_encoding(header) == expected


@pytest.mark.parametrize(("encoding", "decompress"), [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_a_page_is_sent_compressed(client, alice, encoding, decompress):
    plain = client.get("/").get_data()

    response = client.get("/", headers={"Accept-Encoding": encoding})

    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert int(response.headers["Content-Length"]) == len(response.data) < len(plain) / 3
    assert b"<form" in decompress(response.data)


def test_a_page_is_sent_plain_to_a_browser_that_does_not_ask(client):
    response = client.get("/login")
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]
    assert b"<form" in response.data


def test_json_answers_are_compressed_too(client, alice, today):
    for offset in range(20):
        client.put(
            f"/api/v1/entries/{today.fromordinal(today.toordinal() - offset)}",
            json={"pain": 3, "note": "x" * 50},
        )

    response = client.get("/api/v1/entries", headers={"Accept-Encoding": "br"})

    assert response.headers["Content-Encoding"] == "br"
    assert len(json.loads(brotli.decompress(response.data))["entries"]) == 20


def test_small_answers_are_left_alone(client):
    response = client.get("/api/v1/csrf-token", headers={"Accept-Encoding": "br"})
    assert response.status_code == 401
    assert "Content-Encoding" not in response.headers
