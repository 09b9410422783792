"""Static files under a versioned prefix, `/static/<version>/css/app.css`, cached for a year.

The version is one hash of the static files and of what the pages the service worker
precaches are made of. ES modules import each other
by relative URLs (`./outbox.js`), so their imports carry the version too, and a page never
mixes two releases' scripts. At start-up the files are copied once per version into
instance/static/<version>/, with brotli and gzip copies beside them (built aside and renamed
into place, so that processes starting together never see half a copy). WhiteNoise serves
that folder, or static/ itself, uncompressed, if the instance folder cannot be written.
"""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from flask import current_app
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from diary.config import PROJECT_ROOT
from diary.web.i18n import LANGUAGES
from diary.web.security import security_headers

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
KEPT_BUILDS = 3  # copies of earlier versions stay for app processes still running them


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


def compressed_copy(folder: Path, builds: Path, version: str) -> Path:
    """builds/<version>: a copy of folder with .br and .gz files beside the compressible ones."""
    target = builds / version
    if not target.is_dir():
        builds.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(dir=builds, prefix=".building-"))
        try:
            shutil.copytree(folder, building, dirs_exist_ok=True)
            compressor = Compressor(quiet=True)
            for path in list(building.rglob("*")):
                if path.is_file() and compressor.should_compress(path.name):
                    compressor.compress(str(path))
            os.rename(building, target)
        except OSError:
            if not target.is_dir():  # not a lost race with another process: a real failure
                raise
        finally:
            shutil.rmtree(building, ignore_errors=True)
    os.utime(target)  # the newest, as far as pruning goes
    older = sorted(builds.glob("[!.]*"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in [path for path in older if path != target][KEPT_BUILDS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
    return target


def init_app(app) -> None:
    """Serve static/ under /static/<version>/ through WhiteNoise, and add the static_url() helper."""
    folder = Path(app.static_folder)
    version = release_version(folder, PROJECT_ROOT, PRECACHED_PAGE_SOURCES)
    try:
        root = compressed_copy(folder, Path(app.instance_path) / "static", version)
    except OSError as problem:
        app.logger.warning("serving static files uncompressed: cannot copy them (%s)", problem)
        root = folder

    def add_security_headers(headers, path, url):
        for name, value in security_headers(app.config["HTTPS"]).items():
            headers[name] = value

    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=str(root),
        prefix=f"{app.static_url_path}/{version}/",
        immutable_file_test=lambda path, url: True,  # a new release is a new version in the URL
        add_headers_function=add_security_headers,
        allow_all_origins=False,
    )
    app.extensions["static_version"] = version
    app.jinja_env.globals["static_url"] = static_url


def static_version() -> str:
    """The release's version, in every static file's URL and in the service worker's."""
    return current_app.extensions["static_version"]


def static_url(filename: str) -> str:
    """The URL of a static file under this release's version, safe to cache for a year."""
    return f"{current_app.static_url_path}/{static_version()}/{filename}"
