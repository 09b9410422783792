"""The report's PDF, made within bounds: at most PDF_SLOTS renders at a time in this process,
each in a child process that is stopped after TIME_LIMIT seconds and may use no more than
MEMORY_LIMIT of address space, and the result kept in an in-memory cache so that a second
download of the same content is not rendered again.

The cache lives in the app's memory in each server process, not on disk: the PDF holds
health data, and bytes in memory end with the process, where files in the instance folder
would outlive a revoked link. Each process of a multi-process server fills its own cache; a miss costs one
render, no more. The key is the share and a hash of the report's HTML, which changes with
anything the PDF shows (an edit, her name, the language, the day it was made).
"""

import hashlib
import importlib.util
import multiprocessing
import threading
from collections.abc import Callable

from cachetools import LRUCache
from flask import current_app

from diary.reports.pdf import PdfUnavailable

PDF_SLOTS = 2  # renders at once per process: the machine keeps cores for everyone else
SLOTS = threading.BoundedSemaphore(PDF_SLOTS)
SLOT_WAIT = 3.0  # seconds a request waits for a free slot before it gets a 503
TIME_LIMIT = 30.0  # seconds a render may take; a year's report takes a few
# Address space a render's child may use. A year's report peaks near 110 MiB resident in
# about 330 MiB of address space (WeasyPrint, Pango and fonts mapped in); this leaves room.
MEMORY_LIMIT = 1536 * 1024 * 1024
RETRY_AFTER = 30  # seconds, for the 503's Retry-After
CACHE_BYTES = 32 * 1024 * 1024  # a year's PDF is about 100 kB


class PdfBusy(RuntimeError):
    """No render slot came free in time, or the render ran past the time limit."""

    def __init__(self, timed_out: bool):
        super().__init__("the PDF render took too long" if timed_out else "every PDF render slot is busy")
        self.timed_out = timed_out


class PdfFailed(RuntimeError):
    """The render's child failed or died (over its memory limit, say) without a PDF."""


class PdfCache:
    """An LRU cache of PDFs, bounded by their total size in bytes; safe across threads."""

    def __init__(self, max_bytes: int):
        self._items = LRUCache(maxsize=max_bytes, getsizeof=len)
        self._lock = threading.Lock()

    def get(self, key) -> bytes | None:
        """The cached PDF for a key, or None."""
        with self._lock:
            return self._items.get(key)

    def put(self, key, data: bytes) -> None:
        """Keep a PDF, dropping the least recently used ones to make room; one too large is not kept."""
        with self._lock:
            if len(data) <= self._items.maxsize:
                self._items[key] = data

    def total_bytes(self) -> int:
        """The size of every PDF kept."""
        with self._lock:
            return self._items.currsize

    def clear(self) -> None:
        """Drop every PDF."""
        with self._lock:
            self._items.clear()


def _cache() -> PdfCache:
    """This app's PDF cache (one per app in each process)."""
    return current_app.extensions.setdefault("report_pdf_cache", PdfCache(CACHE_BYTES))


def cached_pdf(share_id: int, html: str, render: Callable[[], bytes]) -> bytes:
    """The PDF of a share's report HTML: from the cache, else rendered in a free slot.

    Raises PdfBusy when no slot comes free within SLOT_WAIT (or the render times out).
    """
    key = (share_id, hashlib.sha256(html.encode()).hexdigest())
    cache = _cache()
    found = cache.get(key)
    if found is not None:
        return found
    if not SLOTS.acquire(timeout=SLOT_WAIT):
        raise PdfBusy(timed_out=False)
    try:
        found = cache.get(key)  # made meanwhile by a request that held the slot before us
        if found is None:
            found = render()
            cache.put(key, found)
        return found
    finally:
        SLOTS.release()


_context = None


def _forkserver():
    """A multiprocessing context whose children fork from a clean, single-threaded server that
    has WeasyPrint loaded already: a render starts in milliseconds, and never inherits the web
    server's threads or locks."""
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["diary.reports.pdf_preload", "diary.reports.pdf_render"])
        _context = context
    return _context


def render_pdf(html: str, base_url: str, static_folder, static_url_path: str) -> bytes:
    """Render the report HTML to PDF in a child process, stopped after TIME_LIMIT seconds."""
    if importlib.util.find_spec("weasyprint") is None:
        raise PdfUnavailable("WeasyPrint is not installed")
    context = _forkserver()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_render_in_child,
        args=(sender, html, base_url, str(static_folder), static_url_path, MEMORY_LIMIT),
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(TIME_LIMIT):
            raise PdfBusy(timed_out=True)
        kind, value = receiver.recv()
    except EOFError:  # the child died without an answer
        raise PdfFailed("the PDF render stopped without a result") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if kind == "unavailable":
        raise PdfUnavailable(value)
    if kind == "error":
        raise PdfFailed(f"the PDF render failed: {value}")
    return value


def _render_in_child(
    sender, html: str, base_url: str, static_folder: str, static_url_path: str, memory_limit: int
) -> None:
    import resource
    from pathlib import Path

    from diary.reports.pdf import render_pdf as render_here

    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        sender.send(("pdf", render_here(html, base_url, Path(static_folder), static_url_path)))
    except PdfUnavailable as missing:
        sender.send(("unavailable", str(missing)))
    except Exception as error:  # noqa: BLE001 - whatever went wrong, the parent is told and logs it
        sender.send(("error", repr(error)))
    finally:
        sender.close()
