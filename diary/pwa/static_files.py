"""Static files for a slow phone connection: fingerprinted URLs, compressed copies, long cache lifetimes.

At start-up every file in static/ is hashed once. Templates link them with `static_url()`,
which appends `?v=<hash>`; a request whose `v` matches the file's current hash may be kept
for a year (`immutable`), any other request for a static file is revalidated (`no-cache`).
The ES modules' imports of each other are pinned the same way (`from "./outbox.js?v=<hash>"`)
in the served copy, so a page never runs one release's app.js against another's modules,
whatever a browser or service worker has kept.
WhiteNoise serves the files, with brotli and gzip copies made once per set of contents into
the instance folder (a folder named by the contents' hash, built aside and renamed into
place, so several app processes starting together never see a half-written copy). If that
folder cannot be written, the copy is made in a private temporary folder, and if that fails
too, the files are served uncompressed straight from static/, with unpinned imports.
"""

import atexit
import hashlib
import os
import posixpath
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import parse_qs

from flask import current_app, url_for
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from diary.web.security import security_headers

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
KEPT_BUILDS = 3  # compressed copies of earlier versions left for processes still running them
# A relative module specifier: `from "./x.js"`, `import "./x.js"`, `import("./x.js")`.
MODULE_SPECIFIER = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.\.?/[^"'?#]+\.m?js)\2""")


def short_hash(data: bytes) -> str:
    """The short SHA-256 that fingerprints a static file."""
    return hashlib.sha256(data).hexdigest()[:10]


def file_hashes(folder: Path) -> dict[str, str]:
    """A short SHA-256 of every file under folder, keyed by its path relative to folder."""
    hashes = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hashes[path.relative_to(folder).as_posix()] = short_hash(path.read_bytes())
    return hashes


def pin_module_imports(folder: Path, hashes: dict[str, str]) -> tuple[dict[str, str], dict[str, bytes]]:
    """Each ES module's relative imports pinned to `?v=<hash>` of the module they name.

    Returns the hashes with every rewritten module's own hash taken over its rewritten text
    (a module changes when anything it imports does, so no stale copy can import a new one),
    and the rewritten texts by path. Raises ValueError on an import cycle, which pinning
    cannot express.
    """
    pinned = dict(hashes)
    texts: dict[str, bytes] = {}
    done: set[str] = set()
    visiting: list[str] = []

    def pin(name: str) -> None:
        if name in done:
            return
        if name in visiting:
            raise ValueError("static files import each other in a cycle: " + " -> ".join([*visiting, name]))
        visiting.append(name)
        source = (folder / name).read_text(encoding="utf-8")

        def versioned(match: re.Match) -> str:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), match[3]))
            if target not in hashes:
                return match[0]
            pin(target)
            return f"{match[1]}{match[2]}{match[3]}?v={pinned[target]}{match[2]}"

        text = MODULE_SPECIFIER.sub(versioned, source)
        visiting.pop()
        done.add(name)
        if text != source:
            texts[name] = text.encode("utf-8")
            pinned[name] = short_hash(texts[name])

    for name in hashes:
        if name.endswith((".js", ".mjs")):
            pin(name)
    return pinned, texts


def combined_hash(*parts) -> str:
    """One short hash of many strings (e.g. every file's name and hash)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def compressed_copy(
    folder: Path, build_root: Path, version: str, replaced: dict[str, bytes] | None = None
) -> Path:
    """A copy of folder (with the replaced files' new texts) and .br and .gz files beside the
    compressible ones, built once per version."""
    target = build_root / version
    if target.is_dir():
        os.utime(target)  # in use again: the newest, as far as pruning goes
        return target
    build_root.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=build_root, prefix=".building-"))
    try:
        shutil.copytree(folder, building, dirs_exist_ok=True)
        for name, text in (replaced or {}).items():
            (building / name).write_bytes(text)
        compressor = Compressor(quiet=True)
        for path in list(building.rglob("*")):
            if path.is_file() and compressor.should_compress(path.name):
                compressor.compress(str(path))
        try:
            os.rename(building, target)
        except OSError:
            if not target.is_dir():  # not a lost race with another process: a real failure
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    os.utime(target)  # copytree gave it the static folder's time
    _prune(build_root, keep=target)
    return target


def _prune(build_root: Path, keep: Path) -> None:
    builds = sorted(
        (path for path in build_root.iterdir() if path.is_dir() and not path.name.startswith(".")),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for old in [path for path in builds if path != keep][KEPT_BUILDS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


class FingerprintedStatic:
    """WSGI middleware: WhiteNoise for /static/, with a year's caching only for the current ?v=."""

    def __init__(self, app, root: Path, prefix: str, hashes: dict[str, str], https: bool = False):
        self.prefix = "/" + prefix.strip("/") + "/"
        self.hashes = hashes
        self.https = https
        self.whitenoise = WhiteNoise(app, root=str(root), prefix=prefix, max_age=0, allow_all_origins=False)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(self.prefix):
            return self.whitenoise(environ, start_response)
        wanted = parse_qs(environ.get("QUERY_STRING", "")).get("v")
        current = self.hashes.get(path.removeprefix(self.prefix))
        cache_control = IMMUTABLE if current and wanted == [current] else REVALIDATE

        def start(status, headers, exc_info=None):
            if status[:3] in {"200", "206", "304"}:
                headers = [(name, value) for name, value in headers if name.lower() != "cache-control"]
                headers.append(("Cache-Control", cache_control))
            secure = self.https or environ.get("wsgi.url_scheme") == "https"
            headers += list(security_headers(secure).items())
            return start_response(status, headers, exc_info)

        return self.whitenoise(environ, start)


def init_app(app) -> None:
    """Hash the static files, serve them through WhiteNoise, and add the static_url() helper."""
    folder = Path(app.static_folder)
    unpinned = file_hashes(folder)
    hashes, pinned_texts = pin_module_imports(folder, unpinned)
    version = combined_hash(*(f"{name}={digest}" for name, digest in hashes.items()))
    root = _served_copy(app, folder, version, pinned_texts)
    if root == folder:
        hashes = unpinned  # served as they are: their imports are not pinned
    app.extensions["static_files"] = {"hashes": hashes, "version": version, "root": root}
    app.wsgi_app = FingerprintedStatic(
        app.wsgi_app, root, app.static_url_path.strip("/") + "/", hashes, https=app.config["HTTPS"]
    )
    app.jinja_env.globals["static_url"] = static_url


def _served_copy(app, folder: Path, version: str, replaced: dict[str, bytes]) -> Path:
    """The folder to serve: the compressed, pinned copy in the instance folder, else in a
    private temporary folder, else static/ itself."""
    try:
        return compressed_copy(folder, Path(app.instance_path) / "static-compressed", version, replaced)
    except OSError as problem:
        app.logger.warning("cannot write the static files' copy in the instance folder (%s)", problem)
    try:
        scratch = Path(tempfile.mkdtemp(prefix="baekkendagbog-static-"))
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        return compressed_copy(folder, scratch, version, replaced)
    except OSError as problem:
        app.logger.warning(
            "serving static files uncompressed, imports unpinned: no folder to copy them to (%s)", problem
        )
        return folder


def static_url(filename: str) -> str:
    """The URL of a static file with its content hash, safe to cache for a year."""
    digest = current_app.extensions["static_files"]["hashes"].get(filename)
    if digest is None:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=digest)


def static_version() -> str:
    """One hash of every static file: it changes whenever any of them does."""
    return current_app.extensions["static_files"]["version"]
