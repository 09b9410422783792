"""The app on a phone: the web app manifest, the service worker, the offline page,
installing it and what it keeps on the phone, and a fresh CSRF token for the outbox."""

import hashlib
import hmac
import json
import re
from datetime import UTC, datetime

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_babel import gettext
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from diary.config import PROJECT_ROOT
from diary.pwa.static_files import static_url, static_version
from diary.web.i18n import LANGUAGES, current_language

bp = Blueprint("pwa", __name__)

THEME_COLOR = "#f7f3ef"  # --bg of the light theme; base.html's theme-color metas carry the dark one
SERVICE_WORKER = PROJECT_ROOT / "static" / "js" / "sw.js"
# What the /sw.js view fills in (see static/js/sw.js): the VERSION line, and the fingerprint
# of every static file the worker names (its app shell, the script it imports).
VERSION_LINE = re.compile(r'^const VERSION = ".*";$', re.MULTILINE)
STATIC_URL = re.compile(r'"/static/([^"?]+)"')
# What the worker's precached pages (the offline page, the warning signs) are made of besides
# the static files: a change to any of them must reach phones as a new version too, so start-up
# stops if one has moved (check_precached_page_sources).
PRECACHED_PAGE_SOURCES = (
    "templates/base.html",
    "templates/pwa/offline.html",
    "templates/advice/warning_signs.html",
    "templates/advice/_call_box.html",
    "templates/advice/_source.html",
    "advice/warning-signs.md",
    "advice/red-flags.md",
    "advice/warning-signs-after-birth.md",
    *(f"diary/translations/{language}/LC_MESSAGES/messages.mo" for language in LANGUAGES),
)
# The views of the pages the worker keeps as she sees them (its SHELL_PAGES: the offline page,
# the warning signs, which is an advice item): their headers say whom and in which language they
# were made for, so the worker can tell a copy that is not hers without reading it.
SHELL_PAGE_VIEWS = ("pwa.offline", "advice.item")


def outbox_owner(user) -> str:
    """An opaque key of the account, so the phone's outbox sends entries only to the account that wrote them."""
    message = f"{user.id}:{user.created_at.isoformat()}".encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).hexdigest()[:20]


def manifest_document() -> dict:
    """The web app manifest: name, colours, icons and shortcuts."""
    return {
        "id": "/",
        "name": "Bækkendagbog",
        "short_name": "Bækkendagbog",
        "description": gettext(
            "A daily pain diary for pelvic girdle pain in pregnancy, with a report for your midwife."
        ),
        "lang": current_language(),
        "dir": "ltr",
        "start_url": "/?source=pwa",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": THEME_COLOR,
        "categories": ["health", "medical"],
        "icons": [
            {
                "src": static_url("icons/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": static_url("icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": static_url("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static_url("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
        "shortcuts": [
            {
                "name": gettext("Log today"),
                "url": "/?source=shortcut",
                "icons": [{"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"}],
            },
            {
                "name": gettext("This week"),
                "url": "/week?source=shortcut",
                "icons": [{"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"}],
            },
        ],
    }


@bp.get("/manifest.webmanifest")
def manifest():
    response = current_app.response_class(
        json.dumps(manifest_document(), ensure_ascii=False, indent=1), mimetype="application/manifest+json"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


def worker_version() -> str:
    """A hash of every static file and of what the precached pages are made of: new whenever phones need an update."""
    cached = current_app.extensions.get("pwa_worker_version")
    if cached is None:
        digests = [
            hashlib.sha256((PROJECT_ROOT / name).read_bytes()).hexdigest() for name in PRECACHED_PAGE_SOURCES
        ]
        cached = hashlib.sha256("|".join([static_version(), *digests]).encode()).hexdigest()[:12]
        current_app.extensions["pwa_worker_version"] = cached
    return cached


def worker_script() -> str:
    """static/js/sw.js with its VERSION and the fingerprinted URLs of the static files it names filled in."""
    script = SERVICE_WORKER.read_text()
    script = VERSION_LINE.sub(f'const VERSION = "{worker_version()}";', script, count=1)
    return STATIC_URL.sub(lambda match: json.dumps(static_url(match[1])), script)


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the root so that its scope covers the whole app."""
    response = current_app.response_class(worker_script(), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline():
    """What the service worker shows for a page that is not kept on the phone."""
    return render_template("pwa/offline.html")


@bp.get("/install")
def install():
    """Putting the diary on the home screen (Android and iPhone), and what it then keeps on the phone."""
    return render_template("pwa/install.html")


@bp.get("/api/v1/csrf-token")
@login_required
def csrf_token():
    """A fresh CSRF token for the outbox's writes, and whose outbox it may send."""
    return jsonify({"csrf_token": generate_csrf(), "owner": outbox_owner(current_user)})


def page_time() -> str:
    """When a page was made (UTC, ISO 8601): a copy kept on the phone can tell it is from an earlier day."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def label_shell_page(response):
    """Name the language and the account a page of the app shell was made for in its headers."""
    if request.endpoint in SHELL_PAGE_VIEWS and response.mimetype == "text/html":
        response.headers["Content-Language"] = current_language()
        if current_user.is_authenticated:
            response.headers["Diary-Owner"] = outbox_owner(current_user)
    return response


def check_precached_page_sources() -> None:
    """Stop start-up if a file the worker's version must cover is missing (renamed or moved)."""
    missing = [name for name in PRECACHED_PAGE_SOURCES if not (PROJECT_ROOT / name).is_file()]
    if missing:
        raise RuntimeError(
            f"diary/pwa/views.py: PRECACHED_PAGE_SOURCES names files that are not there: {', '.join(missing)}; "
            "a change to what they became would not reach installed phones as a new version"
        )


def init_app(app) -> None:
    """Check what the worker's version covers, label the shell's pages and add the template helpers."""
    check_precached_page_sources()
    app.after_request(label_shell_page)
    app.jinja_env.globals["outbox_owner"] = outbox_owner
    app.jinja_env.globals["page_time"] = page_time
