"""The app as a PWA, seen from the server: the manifest, the service worker, the offline and
install pages, and the outbox's CSRF token."""

import json
import re
import struct
from pathlib import Path

import pytest

from diary import create_app
from diary.accounts.sessions import end_sessions
from diary.pwa import static_files
from diary.pwa import views as pwa
from diary.pwa.views import PRECACHED_PAGE_SOURCES, PROJECT_ROOT, VERSION_LINE
from diary.web.i18n import LANGUAGES
from tests.support.database import in_app

# The worker's list of what it precaches, as static/js/sw.js spells it.
APP_SHELL_LINE = re.compile(r"^const APP_SHELL = (\[.*\]);$", re.MULTILINE)


def fetch(client, url: str, **options):
    """GET a URL and close the response (WhiteNoise's open file with it)."""
    response = client.get(url, **options)
    response.get_data()
    response.close()
    return response


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def service_worker_constants(client) -> tuple[str, list[str]]:
    script = client.get("/sw.js").get_data(as_text=True)
    version = re.search(r'^const VERSION = "(.*)";$', script, re.MULTILINE)[1]
    shell = json.loads(APP_SHELL_LINE.search(script)[1])
    return version, shell


def test_it_serves_the_manifest_with_its_media_type_and_the_fields_an_install_needs(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] == "Bækkendagbog"
    assert manifest["short_name"]
    assert manifest["description"]
    assert manifest["lang"] == "da"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/?source=pwa",
        "/",
        "standalone",
    )
    assert manifest["theme_color"] == manifest["background_color"] == "#f7f3ef"
    assert [shortcut["url"].split("?")[0] for shortcut in manifest["shortcuts"]] == ["/", "/week"]


def test_the_manifest_speaks_english_to_an_english_phone(client):
    manifest = json.loads(client.get("/manifest.webmanifest", headers={"Accept-Language": "en"}).data)
    assert manifest["lang"] == "en"
    assert [shortcut["name"] for shortcut in manifest["shortcuts"]] == ["Log today", "This week"]


def test_every_manifest_icon_is_served_in_its_stated_size(client):
    icons = json.loads(client.get("/manifest.webmanifest").data)["icons"]
    found = set()
    for icon in icons:
        response = fetch(client, icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response.mimetype == icon["type"]
        if icon["type"] == "image/png":
            width, height = png_size(response.data)
            assert icon["sizes"] == f"{width}x{height}"
        found.add((icon["sizes"], icon["purpose"], icon["type"]))
    assert {("192x192", "any", "image/png"), ("512x512", "any", "image/png")} <= found
    assert ("512x512", "maskable", "image/png") in found
    assert ("any", "any", "image/svg+xml") in found


@pytest.mark.parametrize("path", ["/", "/login", "/offline", "/install"])
def test_every_page_links_the_manifest_and_an_icon_for_the_iphone_home_screen(client, path):
    body = client.get(path).get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in body
    assert re.search(r'<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png\?v=\w+">', body)


def test_the_service_worker_is_served_from_the_root_for_the_whole_app(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert 'self.addEventListener("fetch"' in response.get_data(as_text=True)


def test_the_worker_precaches_the_app_shell_by_its_fingerprinted_urls(client):
    version, shell = service_worker_constants(client)

    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert "/offline" in shell
    static = [url for url in shell if url.startswith("/static/")]
    assert {url.split("?")[0] for url in static} >= {
        "/static/css/app.css",
        "/static/js/app.js",
        "/static/icons/sprite.svg",
    }
    for url in static:
        assert re.search(r"\?v=[0-9a-f]{10}$", url), url
        response = fetch(client, url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == static_files.IMMUTABLE
    assert client.get("/offline").status_code == 200


IMPORTED = re.compile(r'(?:from|import) "\./([\w-]+\.js\?v=\w+)"')


def served_imports(client, url: str) -> list[str]:
    """The module URLs a served module imports, as the browser will ask for them."""
    return ["/static/js/" + name for name in IMPORTED.findall(fetch(client, url).get_data(as_text=True))]


def test_the_worker_keeps_every_module_the_page_loads_by_the_exact_url_it_is_loaded_with(client):
    _, shell = service_worker_constants(client)
    app_js = next(url for url in shell if url.startswith("/static/js/app.js?v="))
    loaded, waiting = set(), [app_js]
    while waiting:
        url = waiting.pop()
        if url not in loaded:
            loaded.add(url)
            waiting += served_imports(client, url)

    assert len(loaded) >= 6  # app.js, its five modules and the outbox's shared script
    assert loaded <= set(shell)
    for url in loaded:
        assert fetch(client, url).headers["Cache-Control"] == static_files.IMMUTABLE, url


def test_the_worker_imports_the_outbox_script_the_page_uses_by_its_fingerprint(client):
    script = client.get("/sw.js").get_data(as_text=True)
    imported = re.search(r'^importScripts\("(/static/js/outbox-send\.js\?v=\w+)"\);$', script, re.MULTILINE)[
        1
    ]
    _, shell = service_worker_constants(client)
    assert imported in shell
    outbox = next(url for url in shell if url.startswith("/static/js/outbox.js?v="))
    assert imported in served_imports(client, outbox)


def test_the_worker_precaches_the_warning_signs_so_they_open_offline(client):
    _, shell = service_worker_constants(client)
    assert "/advice/warning-signs" in shell
    assert (
        client.get("/advice/warning-signs").status_code == 200
    )  # anonymous too: the worker installs before log-in


def test_everything_the_precached_pages_are_made_of_is_in_the_worker_version():
    for name in PRECACHED_PAGE_SOURCES:
        assert (PROJECT_ROOT / name).is_file(), name


def test_the_worker_version_changes_when_any_languages_catalogue_changes(app, monkeypatch, tmp_path):
    for name in PRECACHED_PAGE_SOURCES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((PROJECT_ROOT / name).read_bytes())
    monkeypatch.setattr(pwa, "PROJECT_ROOT", tmp_path)

    def version_after(change) -> str:
        change()
        app.extensions.pop("pwa_worker_version", None)
        with app.app_context():
            return pwa.worker_version()

    versions = [version_after(lambda: None)]
    for language in LANGUAGES:
        catalogue = tmp_path / f"diary/translations/{language}/LC_MESSAGES/messages.mo"
        versions.append(version_after(lambda: catalogue.write_bytes(catalogue.read_bytes() + b"\0")))

    assert len(set(versions)) == len(LANGUAGES) + 1


def test_start_up_stops_naming_a_file_the_worker_version_should_cover_but_cannot_find(monkeypatch, tmp_path):
    monkeypatch.setattr(pwa, "PRECACHED_PAGE_SOURCES", (*PRECACHED_PAGE_SOURCES, "templates/renamed.html"))

    with pytest.raises(RuntimeError, match="templates/renamed.html"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'diary.sqlite3'}"})


def test_the_worker_version_changes_when_any_static_file_changes(client, app):
    before, _ = service_worker_constants(client)
    app.extensions["static_files"]["version"] = "something-else"
    app.extensions.pop("pwa_worker_version")

    after, _ = service_worker_constants(client)

    assert after != before


def test_the_worker_lines_the_view_fills_in_are_in_the_script(app):
    script = Path(app.static_folder, "js", "sw.js").read_text()
    assert VERSION_LINE.search(script) and APP_SHELL_LINE.search(script)


def shell_pages(client) -> list[str]:
    """The pages the worker precaches and keeps as she sees them (its SHELL_PAGES)."""
    _, shell = service_worker_constants(client)
    return [path for path in shell if not path.startswith("/static/")]


def test_the_shell_pages_name_the_language_and_the_account_they_were_made_for(client, alice, bob_client):
    client.post("/language", data={"language": "en"})
    mine = client.get("/api/v1/csrf-token").get_json()["owner"]
    bobs = bob_client.get("/api/v1/csrf-token").get_json()["owner"]

    for path in shell_pages(client):
        response = client.get(path)
        assert response.status_code == 200, path
        assert (response.headers["Content-Language"], response.headers["Diary-Owner"]) == ("en", mine), path
        assert bob_client.get(path).headers["Diary-Owner"] == bobs, path


def test_a_shell_page_made_for_no_one_names_its_language_and_no_account(client):
    for path in shell_pages(client):
        response = client.get(path, headers={"Accept-Language": "en"})
        assert response.headers["Content-Language"] == "en", path
        assert "Diary-Owner" not in response.headers, path


def test_the_offline_page_is_an_ordinary_page(client):
    response = client.get("/offline")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'id="offline-page"' in body
    assert 'href="/"' in body


def test_the_install_page_has_a_hidden_install_button_and_the_iphone_steps(client):
    body = client.get("/install", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert re.search(r'<button[^>]*id="install-button"[^>]*hidden', body)
    assert "Add to Home Screen" in body
    assert "On this phone" in body


def test_an_anonymous_csrf_token_request_gets_401_json(client):
    response = client.get("/api/v1/csrf-token")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_the_csrf_token_lets_the_outbox_send_an_entry(app, alice, client, today):
    app.config["WTF_CSRF_ENABLED"] = True
    token = client.get("/api/v1/csrf-token")
    assert token.status_code == 200
    assert token.headers["Cache-Control"] == "no-store"
    body = token.get_json()

    refused = client.put(f"/api/v1/entries/{today}", json={"pain": 4})
    sent = client.put(
        f"/api/v1/entries/{today}", json={"pain": 4}, headers={"X-CSRFToken": body["csrf_token"]}
    )

    assert refused.status_code == 400
    assert sent.status_code == 200


def test_the_outbox_owner_is_the_accounts_own_and_on_its_pages(client, alice, bob_client):
    mine = client.get("/api/v1/csrf-token").get_json()["owner"]
    bobs = bob_client.get("/api/v1/csrf-token").get_json()["owner"]
    assert mine != bobs
    assert f'data-owner="{mine}"' in client.get("/").get_data(as_text=True)


def test_the_outbox_status_is_only_on_a_logged_in_page(client):
    assert 'id="outbox-status"' not in client.get("/").get_data(as_text=True)


def test_the_log_form_stays_a_plain_post_form_that_the_outbox_can_read(client, alice, today):
    body = client.get("/").get_data(as_text=True)
    form = re.search(r"<form [^>]*id=\"log-form\"[^>]*>", body)[0]
    assert 'method="post"' in form
    assert f'action="/entries/{today}"' in form
    assert f'data-day="{today}"' in form and "data-outbox" in form


def script_save(client, day, **data):
    """Save the log form as the page's script does: the same POST, asking for JSON."""
    fields = {
        "pain": "6",
        "locations": ["symphysis"],
        "triggers": ["stairs"],
        "night_wakings": "0",
        "note": "",
    } | data
    return client.post(f"/entries/{day}", data=fields, headers={"Accept": "application/json"})


def test_a_save_by_the_pages_script_is_answered_204_and_the_flash_waits_for_the_next_page(
    client, alice, today
):
    response = script_save(client, today)

    assert response.status_code == 204
    assert client.get(f"/api/v1/entries/{today}").get_json()["pain"] == 6
    assert "flash-success" in client.get("/").get_data(as_text=True)


def test_an_invalid_save_by_the_script_gets_its_fields_as_json_and_nothing_is_stored(client, alice, today):
    response = script_save(client, today, pain="", triggers=["stairs", "flying"])

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"pain", "triggers"}
    assert client.get(f"/api/v1/entries/{today}").status_code == 404


def test_a_save_by_the_script_after_the_session_ended_is_not_taken_for_saved(app, client, alice, today):
    with in_app(app):
        end_sessions(alice)  # a new password elsewhere

    response = script_save(client, today)

    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_save_by_the_script_with_an_expired_form_is_not_taken_for_saved(app, client, alice, today):
    app.config["WTF_CSRF_ENABLED"] = True
    response = script_save(client, today, csrf_token="expired-or-forged")

    assert response.status_code == 400
    assert response.mimetype == "text/html"  # not the JSON "invalid" that sends her back to the form
    assert client.get(f"/api/v1/entries/{today}").status_code == 404


def test_the_privacy_page_says_what_the_phone_keeps_and_how_it_is_cleared(client):
    body = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    section = body[body.index("On this phone") :]
    section = section[: section.index("<h2", 10)]
    assert "days you log without a connection" in section
    assert "pages you have opened" in section and "your diary" in section
    assert "keep this storage" in section
    assert "Logging out" in section
    assert "when your session ends in another way" in section


def test_the_dark_theme_colour_is_the_dark_themes_background(client, app):
    css = Path(app.static_folder, "css", "app.css").read_text()
    light = re.search(r":root\s*\{[^}]*--bg:\s*(#[0-9a-f]{6})", css)[1]
    dark_block = css[css.index("@media (prefers-color-scheme: dark)") :]
    dark = re.search(r"--bg:\s*(#[0-9a-f]{6})", dark_block)[1]
    body = client.get("/login").get_data(as_text=True)

    assert f'<meta name="theme-color" content="{light}" media="(prefers-color-scheme: light)">' in body
    assert f'<meta name="theme-color" content="{dark}" media="(prefers-color-scheme: dark)">' in body
    assert json.loads(client.get("/manifest.webmanifest").data)["theme_color"] == light
