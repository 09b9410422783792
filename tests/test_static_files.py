"""Static files: fingerprinted URLs, brotli and gzip copies, a year's caching for the current
fingerprint and revalidation for anything else."""

import gzip
import re
from pathlib import Path

import brotli
import pytest

from diary import static_files


def fetch(client, url: str, **options):
    """GET a URL and close the response (WhiteNoise's open file with it)."""
    response = client.get(url, **options)
    response.get_data()
    response.close()
    return response


def test_pages_link_their_styles_and_scripts_fingerprinted(client):
    body = client.get("/login").get_data(as_text=True)
    assert re.search(r'href="/static/css/app\.css\?v=[0-9a-f]{10}"', body)
    assert re.search(r'src="/static/js/app\.js\?v=[0-9a-f]{10}"', body)


def fingerprinted(client, path: str) -> str:
    return re.search(rf'"({re.escape(path)}\?v=\w+)"', client.get("/login").get_data(as_text=True))[1]


def test_a_fingerprinted_static_file_is_cached_for_a_year(client):
    response = fetch(client, fingerprinted(client, "/static/css/app.css"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("query", ["", "?v=0123456789", "?v="])
def test_a_static_file_without_its_current_fingerprint_is_revalidated(client, query):
    response = fetch(client, "/static/js/pelvis.js" + query)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    again = fetch(client, "/static/js/pelvis.js" + query, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("encoding", "decompress"),
    [("br", brotli.decompress), ("gzip", gzip.decompress)],
)
def test_static_files_are_sent_compressed_to_a_browser_that_accepts_it(client, app, encoding, decompress):
    url = fingerprinted(client, "/static/css/app.css")
    plain = Path(app.static_folder, "css", "app.css").read_bytes()

    response = fetch(client, url, headers={"Accept-Encoding": f"{encoding}"})

    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(response.data) < len(plain) / 3
    assert decompress(response.data) == plain


def test_images_that_do_not_shrink_are_sent_as_they_are(client):
    response = fetch(client, "/static/icons/icon-512.png", headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers


def test_the_compressed_copy_is_built_once_per_version_and_old_ones_are_pruned(tmp_path):
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "css" / "app.css").write_text("body { color: red; }\n" * 200)
    builds = tmp_path / "builds"

    first = static_files.compressed_copy(source, builds, "v1")
    assert (first / "css" / "app.css.br").is_file() and (first / "css" / "app.css.gz").is_file()
    assert static_files.compressed_copy(source, builds, "v1") == first
    for version in ("v2", "v3", "v4"):
        static_files.compressed_copy(source, builds, version)

    assert sorted(path.name for path in builds.iterdir()) == ["v2", "v3", "v4"]


def test_the_hashes_change_with_a_files_content(tmp_path):
    (tmp_path / "a.js").write_text("one")
    before = static_files.file_hashes(tmp_path)
    (tmp_path / "a.js").write_text("two")
    assert static_files.file_hashes(tmp_path)["a.js"] != before["a.js"]
