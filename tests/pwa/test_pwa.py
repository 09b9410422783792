"""The app as a PWA, seen from the server: the manifest, the service worker, the offline and
install pages, and the outbox's CSRF token."""

import json
import re
import struct
from pathlib import Path
from urllib.parse import urljoin

import pytest

from diary.accounts.sessions import end_sessions
from diary.entries.store import ENTRY_FIELDS
from tests.support.database import in_app

# The worker's lists of what it precaches, as static/js/sw.js spells them.
SHELL_LIST = re.compile(r"^const (SHELL_PAGES|SHELL_FILES) = (\[.*?\]);", re.MULTILINE)
SERVICE_WORKER = Path(__file__).parents[2] / "static" / "js" / "sw.js"


def fetch(client, url: str, **options):
    """GET a URL and close the response (and the file it opened with it)."""
    response = client.get(url, **options)
    response.get_data()
    response.close()
    return response


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def shell_lists() -> dict[str, list[str]]:
    """The worker's SHELL_PAGES and SHELL_FILES (static files, named under the version)."""
    return {name: json.loads(items) for name, items in SHELL_LIST.findall(SERVICE_WORKER.read_text())}


def versioned(app, name: str) -> str:
    return f"/static/{app.extensions['static_version']}/{name}"


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
    assert re.search(r'<link rel="apple-touch-icon" href="/static/\w+/icons/apple-touch-icon.png">', body)


def test_the_service_worker_is_served_from_the_root_for_the_whole_app(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert 'self.addEventListener("fetch"' in response.get_data(as_text=True)


def test_the_worker_is_served_as_it_is_written_whatever_version_it_is_registered_with(client):
    """It reads its version from its own URL (/sw.js?v=<version>): nothing is filled in."""
    for url in ("/sw.js", "/sw.js?v=0123456789ab"):
        assert client.get(url).data == SERVICE_WORKER.read_bytes()


def test_the_worker_precaches_the_app_shell_under_the_version_it_is_registered_with(app, client):
    shell = shell_lists()

    assert "/offline" in shell["SHELL_PAGES"]
    assert {"css/app.css", "js/app.js", "icons/sprite.svg"} <= set(shell["SHELL_FILES"])
    for name in shell["SHELL_FILES"]:
        response = fetch(client, versioned(app, name))
        assert response.status_code == 200, name
        assert "immutable" in response.headers["Cache-Control"]
    for path in shell["SHELL_PAGES"]:
        assert client.get(path).status_code == 200, path  # anonymous too: the worker installs before log-in


IMPORTED = re.compile(r'(?:from|import) "(\./[\w-]+\.js)"')


def test_the_worker_keeps_every_module_the_page_loads(app, client):
    app_js = versioned(app, "js/app.js")
    loaded, waiting = set(), [app_js]
    while waiting:
        url = waiting.pop()
        if url not in loaded:
            loaded.add(url)
            waiting += [
                urljoin(url, name) for name in IMPORTED.findall(fetch(client, url).get_data(as_text=True))
            ]

    assert len(loaded) >= 6  # app.js, its five modules and the outbox's shared script
    assert loaded <= {versioned(app, name) for name in shell_lists()["SHELL_FILES"]}


def test_the_worker_imports_the_outbox_script_the_page_uses():
    script = SERVICE_WORKER.read_text()
    outbox = (SERVICE_WORKER.parent / "outbox.js").read_text()
    assert re.search(r"^importScripts\(`\$\{STATIC\}js/outbox-send\.js`\);", script, re.MULTILINE)
    assert 'import "./outbox-send.js";' in outbox
    assert "js/outbox-send.js" in shell_lists()["SHELL_FILES"]


def test_the_worker_precaches_the_warning_signs_so_they_open_offline():
    assert "/advice/warning-signs" in shell_lists()["SHELL_PAGES"]


def shell_pages(client) -> list[str]:
    """The pages the worker precaches and keeps as she sees them (its SHELL_PAGES)."""
    return shell_lists()["SHELL_PAGES"]


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


def form_save(client, day, **data):
    """Save the log form as a browser without JavaScript does."""
    fields = {
        "pain": "6",
        "locations": ["symphysis"],
        "triggers": ["stairs"],
        "night_wakings": "0",
        "note": "",
    } | data
    return client.post(f"/entries/{day}", data=fields)


def test_the_log_page_hands_the_entrys_fields_to_its_script(client, alice, today):
    body = client.get("/").get_data(as_text=True)
    fields = re.search(r'<script type="application/json" id="entry-fields">(.*?)</script>', body)[1]
    assert json.loads(fields) == list(ENTRY_FIELDS)


def test_the_log_form_carries_what_the_next_page_says_once_the_outbox_has_sent_the_day(client, alice, today):
    said = re.search(r'<form [^>]*data-saved-message="([^"]+)"', client.get("/").get_data(as_text=True))[1]
    form_save(client, today)
    flash = re.search(r'<p class="flash flash-success">([^<]+)</p>', client.get("/").get_data(as_text=True))[
        1
    ]
    assert said == flash


def test_a_form_save_asking_for_json_is_answered_as_a_form_save(client, alice, today):
    """One write path per page: JSON is the API's (PUT), the form's answer is a page."""
    response = client.post(f"/entries/{today}", data={"pain": "6"}, headers={"Accept": "application/json"})

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get(f"/api/v1/entries/{today}").get_json()["pain"] == 6


def test_an_invalid_form_save_is_shown_on_the_page_and_nothing_is_stored(client, alice, today):
    response = form_save(client, today, pain="", triggers=["stairs", "flying"])

    assert response.status_code == 400 and response.mimetype == "text/html"
    assert 'id="error-summary"' in response.get_data(as_text=True)
    assert client.get(f"/api/v1/entries/{today}").status_code == 404


def test_a_form_save_after_the_session_ended_leads_to_the_log_in_page(app, client, alice, today):
    with in_app(app):
        end_sessions(alice)  # a new password elsewhere

    response = form_save(client, today)

    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_form_save_with_an_expired_form_stores_nothing(app, client, alice, today):
    app.config["WTF_CSRF_ENABLED"] = True
    response = form_save(client, today, csrf_token="expired-or-forged")

    assert response.status_code == 400
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


def test_the_outbox_scripts_keep_no_state_of_their_own_between_pages():
    """What a page's outbox knows lives in the object the page makes, not in the module."""
    scripts = SERVICE_WORKER.parent
    assert not re.findall(r"^(?:let|var) ", (scripts / "outbox.js").read_text(), re.MULTILINE)
    assert not re.findall(r"^  (?:let|var) ", (scripts / "outbox-send.js").read_text(), re.MULTILINE)


def test_the_outbox_has_no_copy_of_the_entrys_fields():
    """It reads them from the page (entry-fields), so a new answer needs no change in the script;
    only the day and the edit time are its own to fill in."""
    outbox = (SERVICE_WORKER.parent / "outbox.js").read_text()
    answers = [name for name in ENTRY_FIELDS if name not in ("date", "updated_at")]
    assert len(answers) >= 7
    assert not [name for name in answers if re.search(rf"\b{name}\b", outbox)]
