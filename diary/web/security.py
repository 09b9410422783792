"""Sessions, CSRF and response headers: the protections every request passes through."""

from flask import current_app, redirect, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from diary.accounts.sessions import load_user
from diary.web.errors import api_error, wants_json

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Please log in to see your diary.")
login_manager.login_message_category = "info"
# Flask-Login's "strong" protection would end remembered sessions when a phone changes
# network; the server-side session row (diary/accounts/sessions.py) is what ends sessions on purpose.
login_manager.session_protection = "basic"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


login_manager.user_loader(load_user)  # the id in both cookies is the token of a session row


@login_manager.unauthorized_handler
def _unauthorized():
    if wants_json():
        return api_error(401, gettext("Please log in first."))
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


BASE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    # No other site's window keeps a handle on hers, and no other site may load her pages,
    # reports or files as its own images or scripts. The midwife opens a report link as a
    # page of its own (a navigation), which neither header restricts.
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def security_headers(https: bool) -> dict[str, str]:
    """The headers every response carries."""
    return BASE_HEADERS | (dict([HSTS]) if https else {})


def _security_headers(response):
    headers = response.headers
    for name, value in security_headers(request.is_secure or current_app.config["HTTPS"]).items():
        headers.setdefault(name, value)
    if response.mimetype == "text/html" or wants_json():
        # Health data: never kept by a shared cache or the browser's back-forward store.
        headers.setdefault("Cache-Control", "no-store")
    return response


def accepts_up_to(max_bytes: int):
    """Let one view take a body larger than MAX_CONTENT_LENGTH (an import file); put it under the route."""

    def mark(view):
        view.max_content_length = max_bytes
        return view

    return mark


def anonymous_api(view):
    """Let an /api/ view answer without a log-in; every other /api/ view needs one."""
    view.anonymous_api = True
    return view


def _before_csrf():
    """What must be decided before the CSRF check reads the body.

    A view's own body limit: CSRF reads the form under the limit in force, so a larger
    one set inside the view would come too late. And the API's log-in: an anonymous call
    gets the JSON 401 of API.md, not the CSRF check's 400 about a token it cannot have.
    """
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if view is None:
        return None
    limit = getattr(view, "max_content_length", None)
    if limit is not None:
        request.max_content_length = limit
    if wants_json() and not getattr(view, "anonymous_api", False) and not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def init_app(app) -> None:
    """Wire CSRF protection, the login manager and security headers.

    The proxy's X-Forwarded-* headers are applied by the server, waitress (cli.py,
    serve_options), not here: only the server sees which peer sent them.
    """
    app.before_request(_before_csrf)  # registered first, so it runs before CSRFProtect's check
    csrf.init_app(app)
    login_manager.init_app(app)
    app.after_request(_security_headers)
