"""Static files under the release's version (/static/<version>/…): cached for a year, sent
compressed, and ES modules whose relative imports carry the version without any rewriting."""

import gzip
import re
from pathlib import Path
from urllib.parse import urljoin

import brotli
import pytest

from diary import create_app
from diary.config import PROJECT_ROOT
from diary.pwa import static_files
from diary.pwa.static_files import PRECACHED_PAGE_SOURCES
from diary.web.i18n import LANGUAGES

VERSIONED = re.compile(r"^/static/[0-9a-f]{12}/")


def fetch(client, url: str, **options):
    """GET a URL and close the response (and the file it opened with it)."""
    response = client.get(url, **options)
    response.get_data()
    response.close()
    return response


def linked(client, path: str) -> str:
    """The URL the log-in page links a static file by (e.g. "css/app.css")."""
    return re.search(rf'"(/static/\w+/{re.escape(path)})"', client.get("/login").get_data(as_text=True))[1]


def assert_cached_for_a_year(response) -> None:
    cache_control = response.headers["Cache-Control"]
    assert "immutable" in cache_control and "public" in cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control)[1]) >= 365 * 24 * 3600


def test_pages_link_their_styles_and_scripts_under_the_releases_version(app, client):
    version = app.extensions["static_version"]
    body = client.get("/login").get_data(as_text=True)
    assert f'href="/static/{version}/css/app.css"' in body
    assert f'src="/static/{version}/js/app.js"' in body


@pytest.mark.parametrize("path", ["/", "/advice", "/advice/warning-signs", "/history", "/settings"])
def test_every_static_file_a_page_links_carries_the_version(app, client, auth, path):
    """Unversioned links would be revalidated on every visit (and outlive a release in the worker)."""
    pages = [client.get(path).get_data(as_text=True)]  # anonymous: the landing page, the library
    auth.register()
    pages.append(client.get(path).get_data(as_text=True))  # logged in: tips, call box, tab bar
    links = [link for page in pages for link in re.findall(r'(?:href|src)="(/static/[^"#]+)', page)]
    assert links and all(VERSIONED.match(link) for link in links), links


def test_a_versioned_static_file_is_cached_for_a_year_with_the_security_headers(client):
    response = fetch(client, linked(client, "css/app.css"))
    assert response.status_code == 200
    assert_cached_for_a_year(response)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_a_static_file_without_a_version_is_revalidated(client):
    """The report's stylesheet and outside links name files without a version."""
    response = fetch(client, "/static/js/stepper.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    again = fetch(client, "/static/js/stepper.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("version", ["0123456789ab", "..", "js"])
def test_a_static_file_of_another_version_is_not_found(client, version):
    assert fetch(client, f"/static/{version}/js/app.js").status_code == 404


@pytest.mark.parametrize(
    ("encoding", "decompress"),
    [("br", brotli.decompress), ("gzip", gzip.decompress)],
)
def test_static_files_are_sent_compressed_to_a_browser_that_accepts_it(client, app, encoding, decompress):
    plain = Path(app.static_folder, "css", "app.css").read_bytes()

    response = fetch(client, linked(client, "css/app.css"), headers={"Accept-Encoding": encoding})

    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(response.data) < len(plain) / 3
    assert decompress(response.data) == plain


def test_images_that_do_not_shrink_are_sent_as_they_are(client):
    response = fetch(client, linked(client, "icons/apple-touch-icon.png"), headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers


def test_the_modules_import_each_other_relatively_so_their_imports_carry_the_version(app, client):
    app_js = linked(client, "js/app.js")
    served = fetch(client, app_js).get_data(as_text=True)
    imports = re.findall(r'from "(\.[^"]+)"', served)

    assert {"./outbox.js", "./pwa.js", "./log-form.js"} <= set(imports)
    assert served == Path(app.static_folder, "js", "app.js").read_text()  # served as it is written
    for name in imports:
        module = fetch(client, urljoin(app_js, name))
        assert module.status_code == 200, name
        assert_cached_for_a_year(module)


def copy_of_the_sources(tmp_path: Path) -> tuple[Path, Path]:
    """A static folder and the precached pages' sources, copied into tmp_path."""
    for name in PRECACHED_PAGE_SOURCES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((PROJECT_ROOT / name).read_bytes())
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "a.js").write_text("one")
    return tmp_path / "static", tmp_path


def test_the_version_changes_with_a_static_files_content_or_name(tmp_path):
    static, root = copy_of_the_sources(tmp_path)
    versions = [static_files.release_version(static, root, PRECACHED_PAGE_SOURCES)]
    (static / "js" / "a.js").write_text("two")
    versions.append(static_files.release_version(static, root, PRECACHED_PAGE_SOURCES))
    (static / "js" / "a.js").rename(static / "js" / "b.js")
    versions.append(static_files.release_version(static, root, PRECACHED_PAGE_SOURCES))

    assert len(set(versions)) == 3 and all(re.fullmatch(r"[0-9a-f]{12}", version) for version in versions)


def test_the_version_changes_when_any_languages_catalogue_changes(tmp_path):
    static, root = copy_of_the_sources(tmp_path)
    versions = [static_files.release_version(static, root, PRECACHED_PAGE_SOURCES)]
    for language in LANGUAGES:
        catalogue = root / f"diary/translations/{language}/LC_MESSAGES/messages.mo"
        catalogue.write_bytes(catalogue.read_bytes() + b"\0")
        versions.append(static_files.release_version(static, root, PRECACHED_PAGE_SOURCES))

    assert len(set(versions)) == len(LANGUAGES) + 1


def test_start_up_stops_naming_a_file_the_version_should_cover_but_cannot_find(monkeypatch, tmp_path):
    monkeypatch.setattr(
        static_files, "PRECACHED_PAGE_SOURCES", (*PRECACHED_PAGE_SOURCES, "templates/renamed.html")
    )

    with pytest.raises(FileNotFoundError, match="templates/renamed.html"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'diary.sqlite3'}"})


def test_static_files_are_served_compressed_without_writing_anything_at_start_up(tmp_path):
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "a.js").write_text("export const a = 1;\n" * 100)
    instance = tmp_path / "instance"
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'diary.sqlite3'}"})
    app.static_folder, app.instance_path = str(tmp_path / "static"), str(instance)
    static_files.init_app(app)

    version = app.extensions["static_version"]
    response = fetch(app.test_client(), f"/static/{version}/js/a.js", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == b"export const a = 1;\n" * 100
    assert_cached_for_a_year(response)
    assert not instance.exists()


def test_the_version_changes_when_a_precached_pages_template_changes(tmp_path):
    static, root = copy_of_the_sources(tmp_path)
    before = static_files.release_version(static, root, PRECACHED_PAGE_SOURCES)
    (root / "templates" / "pwa" / "offline.html").write_text("<p>another offline page</p>")
    assert static_files.release_version(static, root, PRECACHED_PAGE_SOURCES) != before


def test_the_modules_name_each_other_only_by_relative_urls(app):
    """An absolute or query-pinned URL would load another release's module than the page's."""
    for module in Path(app.static_folder, "js").glob("*.js"):
        specifiers = re.findall(r'(?:from|import)\s*\(?\s*"([^"]+)"', module.read_text())
        assert all(re.fullmatch(r"\./[\w-]+\.js", name) for name in specifiers), (module.name, specifiers)
