"""Static files: fingerprinted URLs, brotli and gzip copies, a year's caching for the current
fingerprint and revalidation for anything else."""

import gzip
import re
from pathlib import Path

import brotli
import pytest

from diary.pwa import static_files


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


@pytest.mark.parametrize("path", ["/", "/advice", "/advice/warning-signs", "/history", "/settings"])
def test_every_static_file_a_page_links_carries_its_fingerprint(app, client, auth, path):
    """Unfingerprinted links would be revalidated on every visit (and outlive a release in the worker)."""
    pages = [client.get(path).get_data(as_text=True)]  # anonymous: the landing page, the library
    auth.register()
    pages.append(client.get(path).get_data(as_text=True))  # logged in: tips, call box, tab bar
    links = [link for page in pages for link in re.findall(r'(?:href|src)="(/static/[^"#]+)', page)]
    assert links and all(re.search(r"\?v=[0-9a-f]{10}$", link) for link in links), links


def fingerprinted(client, path: str) -> str:
    return re.search(rf'"({re.escape(path)}\?v=\w+)"', client.get("/login").get_data(as_text=True))[1]


def test_a_fingerprinted_static_file_is_cached_for_a_year(client):
    response = fetch(client, fingerprinted(client, "/static/css/app.css"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("query", ["", "?v=0123456789", "?v="])
def test_a_static_file_without_its_current_fingerprint_is_revalidated(client, query):
    response = fetch(client, "/static/js/stepper.js" + query)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    again = fetch(
        client, "/static/js/stepper.js" + query, headers={"If-None-Match": response.headers["ETag"]}
    )
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


def modules(folder: Path, **texts: str) -> Path:
    for name, text in texts.items():
        (folder / f"{name}.js").write_text(text)
    return folder


def test_module_imports_are_pinned_to_the_fingerprint_of_the_module_they_name(tmp_path):
    folder = modules(
        tmp_path,
        app='import { a } from "./a.js";\nimport "./side.js";\n',
        a="export const a = 1;\n",
        side="self.x = 1;\n",
    )
    raw = static_files.file_hashes(folder)

    hashes, texts = static_files.pin_module_imports(folder, raw)

    assert (
        texts["app.js"].decode()
        == f'import {{ a }} from "./a.js?v={raw["a.js"]}";\nimport "./side.js?v={raw["side.js"]}";\n'
    )
    assert hashes["app.js"] == static_files.short_hash(texts["app.js"]) != raw["app.js"]
    assert hashes["a.js"] == raw["a.js"] and "a.js" not in texts


def test_a_changed_module_changes_the_fingerprint_of_every_module_that_leads_to_it(tmp_path):
    folder = modules(
        tmp_path,
        app='import "./b.js";',
        b='import { c } from "./c.js";',
        c="export const c = 1;",
        d="export const d = 1;",
    )
    before, _ = static_files.pin_module_imports(folder, static_files.file_hashes(folder))
    (folder / "c.js").write_text("export const c = 2;")

    after, _ = static_files.pin_module_imports(folder, static_files.file_hashes(folder))

    assert {name for name in before if before[name] != after[name]} == {"app.js", "b.js", "c.js"}


def test_imports_of_files_that_are_not_there_and_bare_names_are_left_alone(tmp_path):
    text = 'import { x } from "./missing.js";\nimport y from "lib";\n// from "https://example.dk/z.js"\n'
    folder = modules(tmp_path, app=text)
    _, texts = static_files.pin_module_imports(folder, static_files.file_hashes(folder))
    assert texts == {}


def test_an_import_cycle_stops_start_up_naming_the_modules(tmp_path):
    folder = modules(tmp_path, a='import "./b.js";', b='import "./a.js";')
    with pytest.raises(ValueError, match="a.js -> b.js -> a.js"):
        static_files.pin_module_imports(folder, static_files.file_hashes(folder))


def test_the_served_app_js_imports_each_module_by_the_fingerprint_it_is_served_with(client, app):
    served = fetch(client, fingerprinted(client, "/static/js/app.js")).get_data(as_text=True)
    imports = re.findall(r'from "\./([\w-]+\.js)\?v=(\w+)"', served)

    assert {name for name, _ in imports} >= {"outbox.js", "pwa.js", "log-form.js"}
    for name, digest in imports:
        assert app.extensions["static_files"]["hashes"][f"js/{name}"] == digest
        assert (
            fetch(client, f"/static/js/{name}?v={digest}").headers["Cache-Control"] == static_files.IMMUTABLE
        )
    assert (
        Path(app.static_folder, "js", "app.js").read_text().count("?v=") == 0
    )  # static/ itself is untouched


def test_with_no_folder_to_copy_to_static_is_served_as_it_is_hashed_only_once(tmp_path, monkeypatch):
    from flask import Flask

    (tmp_path / "static").mkdir()
    folder = modules(tmp_path / "static", app='import { a } from "./a.js";\n', a="export const a = 1;\n")
    bare = Flask(__name__, static_folder=str(folder), instance_path=str(tmp_path / "instance"))
    bare.config["HTTPS"] = False
    calls = []
    hash_files = static_files.file_hashes
    monkeypatch.setattr(static_files, "file_hashes", lambda path: calls.append(path) or hash_files(path))

    def unwritable(*args, **kwargs):
        raise OSError("read-only file system")

    monkeypatch.setattr(static_files, "compressed_copy", unwritable)
    static_files.init_app(bare)

    served = bare.extensions["static_files"]
    assert served["root"] == folder
    assert served["hashes"] == hash_files(folder)  # app.js as it is, its import not pinned
    assert calls == [folder]
