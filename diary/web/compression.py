"""Pages, JSON and static files sent compressed (brotli, else gzip): a page is a quarter of its size.

Each answer is compressed as it goes out, so brotli runs at a fast quality (a phone keeps the
static files of a release, fetched once). The BREACH attack on compressed secrets needs a
cross-site request that carries the session cookie and whose size the attacker can watch;
the session cookie is SameSite=Lax, and the CSRF token in every page changes with its
timestamp each second, so compressing pages does not open that door here.
"""

import gzip

import brotli
from flask import request
from werkzeug.http import parse_accept_header

COMPRESSED_TYPES = {
    "text/html",
    "application/json",
    "application/manifest+json",
    "text/javascript",
    "text/csv",
    "text/css",
    "image/svg+xml",
}
MINIMUM_SIZE = 1024  # below this the headers weigh more than what is saved
BROTLI_QUALITY = 5  # a few milliseconds for a page; 11 would take a hundred
GZIP_LEVEL = 6


def accepted_encoding(header: str) -> str | None:
    """The best encoding the browser accepts: "br", "gzip" or None (werkzeug reads the qualities)."""
    return parse_accept_header(header).best_match(["br", "gzip"])


def compress_response(response):
    """Compress a finished response in place when the browser accepts it and it is worth it."""
    if (
        response.direct_passthrough
        or response.is_streamed
        or response.mimetype not in COMPRESSED_TYPES
        or "Content-Encoding" in response.headers
        or response.status_code < 200
        or response.status_code in (204, 304)
    ):
        return response
    response.vary.add("Accept-Encoding")
    encoding = accepted_encoding(request.headers.get("Accept-Encoding", ""))
    body = response.get_data()
    if encoding is None or len(body) < MINIMUM_SIZE:
        return response
    if encoding == "br":
        compressed = brotli.compress(body, quality=BROTLI_QUALITY)
    else:
        compressed = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
    response.set_data(compressed)
    response.headers["Content-Encoding"] = encoding
    if response.headers.get("ETag"):
        response.headers["ETag"] = response.headers["ETag"].rstrip('"') + f'-{encoding}"'
    return response


def init_app(app) -> None:
    """Compress every page and JSON answer on its way out."""
    app.after_request(compress_response)
