"""Static files under a versioned prefix, `/static/<version>/css/app.css`, cached for a year.

The version is one hash of the static files and of what the pages the service worker
precaches are made of. ES modules import each other
by relative URLs (`./outbox.js`), so their imports carry the version too, and a page never
mixes two releases' scripts. The files go out as every answer does, with the security headers
and compressed (diary/web/compression.py): a phone fetches each one once per release.
"""

import hashlib
from pathlib import Path

from flask import current_app, send_from_directory

from diary.config import PROJECT_ROOT
from diary.web.i18n import LANGUAGES

# What the worker's precached pages (the offline page, the warning signs) are made of besides
# the static files: a change to any of them must reach installed phones as a new version too.
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


def release_version(static_folder: Path, root: Path, sources: tuple[str, ...]) -> str:
    """A short hash of every static file and of the sources under root (a missing one stops start-up)."""
    static = [path for path in sorted(static_folder.rglob("*")) if path.is_file()]
    named = [(path.relative_to(static_folder), path) for path in static] + [
        (name, root / name) for name in sources
    ]
    digest = hashlib.sha256()
    for name, path in named:
        digest.update(f"{name}\0".encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def versioned_file(filename: str):
    """A static file of this release, cached for a year: a new release is a new URL."""
    response = send_from_directory(current_app.static_folder, filename, conditional=False)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.direct_passthrough = False
    response.make_sequence()  # read into memory, so that it can be compressed on its way out
    return response


def init_app(app) -> None:
    """Serve static/ under /static/<version>/, and add the static_url() helper."""
    version = release_version(Path(app.static_folder), PROJECT_ROOT, PRECACHED_PAGE_SOURCES)
    app.add_url_rule(f"{app.static_url_path}/{version}/<path:filename>", "versioned_static", versioned_file)
    app.extensions["static_version"] = version
    app.jinja_env.globals["static_url"] = static_url


def static_url(filename: str) -> str:
    """The URL of a static file under this release's version, safe to cache for a year."""
    return f"{current_app.static_url_path}/{current_app.extensions['static_version']}/{filename}"
