"""Links: absolute ones that leave the page (emails, report links, QR codes), and the
redirects a request may ask for.

They are built on PUBLIC_URL when the operator set it, never on the Host header that a
request happens to carry: whoever sends a request chooses that header, and a reset email
built from it could send the reader's token to another server (Host-header poisoning).
"""

from urllib.parse import urlsplit

from flask import current_app, url_for


def public_url_set() -> bool:
    """Whether the operator told the app the address users open it at (PUBLIC_URL)."""
    return bool(current_app.config.get("PUBLIC_URL"))


def external_url(endpoint: str, **values) -> str:
    """An absolute URL for endpoint: on PUBLIC_URL when set, else on this request's own address."""
    if not public_url_set():
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def safe_next(target: str | None, default: str) -> str:
    """A redirect target inside this site only (a path, never another host)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return default
