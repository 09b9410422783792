"""The app on a phone: the web app manifest, the service worker, the offline page,
installing it and what it keeps on the phone, and a fresh CSRF token for the outbox."""

import hashlib
import hmac
from datetime import UTC, datetime

from flask import Blueprint, current_app, jsonify, render_template
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from diary.config import PROJECT_ROOT
from diary.web.i18n import current_language

bp = Blueprint("pwa", __name__)

SERVICE_WORKER = PROJECT_ROOT / "static" / "js" / "sw.js"


def outbox_owner(user) -> str:
    """An opaque key of the account, so the phone's outbox sends entries only to the account that wrote them."""
    message = f"{user.id}:{user.created_at.isoformat()}".encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).hexdigest()[:20]


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: name, colours, icons and shortcuts (templates/pwa/manifest.webmanifest)."""
    headers = {"Content-Type": "application/manifest+json", "Cache-Control": "no-cache"}
    return render_template("pwa/manifest.webmanifest"), headers


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the root so that its scope covers the whole app; the page registers
    it as /sw.js?v=<version>, and it reads its version there (static/js/pwa.js)."""
    headers = {"Content-Type": "text/javascript", "Service-Worker-Allowed": "/", "Cache-Control": "no-cache"}
    return SERVICE_WORKER.read_bytes(), headers


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


def label_page(response):
    """Name the language and the account a page was made for in its headers: the worker keeps the
    shell's pages (the offline page, the warning signs) as she sees them without reading them."""
    if response.mimetype == "text/html":
        response.headers["Content-Language"] = current_language()
        if current_user.is_authenticated:
            response.headers["Diary-Owner"] = outbox_owner(current_user)
    return response


def init_app(app) -> None:
    """Label the pages and add the template helpers."""
    app.after_request(label_page)
    app.jinja_env.globals["outbox_owner"] = outbox_owner
    app.jinja_env.globals["page_time"] = page_time
