"""Benchmark: bytes over the network for each main page, first visit and repeat visit.

    .venv/bin/python bench/page_weight.py                  # starts its own server on a temporary database
    .venv/bin/python bench/page_weight.py --base-url URL   # a running server whose DATABASE_URL is set here too

A diarist with 60 demo days logs in through the form; then, for each page, a fresh phone
(Debian's Chromium at 360×740, empty caches, no service worker) opens it once, and opens it
again. Chromium talks to the server through a small counting proxy, so every byte the server
sends is counted as it crosses the wire: headers and compressed bodies, the page's own
requests and the service worker's alike. A response is put down to the page the first time
the page's URL shows (the navigation and its resource timing entries), else to the worker.

Only 127.0.0.1 is spoken to.
"""

import argparse
import os
import re
import socket
import sys
import tempfile
import threading
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.browser.phone import PASSWORD, PHONE, LiveServer, launch_chromium, run_manage

PAGES = ("/", "/history", "/week", "/advice", "/settings")
BUDGET = 50 * 1024  # the log page's first load: HTML, CSS and JS, compressed
EMAIL = "weight@example.dk"
REQUEST_LINE = re.compile(rb"(GET|POST|PUT|DELETE|HEAD|OPTIONS) (\S+) HTTP/1\.[01]\r\n")


class CountingProxy:
    """A TCP proxy to the server that counts the bytes of each response, by the request's path."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.records: list[list] = []  # [path, bytes received by the browser]
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> list[list]:
        with self.lock:
            taken, self.records = self.records, []
        return taken

    def _accept(self) -> None:
        while True:
            browser_side, _ = self.listener.accept()
            server_side = socket.create_connection(("127.0.0.1", self.target_port))
            current: list = [None]
            threading.Thread(
                target=self._requests, args=(browser_side, server_side, current), daemon=True
            ).start()
            threading.Thread(
                target=self._responses, args=(server_side, browser_side, current), daemon=True
            ).start()

    def _requests(self, source, sink, current) -> None:
        with source, sink:
            while chunk := _receive(source):
                for match in REQUEST_LINE.finditer(chunk):
                    record = [match[2].decode(), 0]
                    with self.lock:
                        self.records.append(record)
                    current[0] = record
                if not _send(sink, chunk):
                    return

    def _responses(self, source, sink, current) -> None:
        with source, sink:
            while chunk := _receive(source):
                with self.lock:
                    if current[0] is not None:
                        current[0][1] += len(chunk)
                if not _send(sink, chunk):
                    return


def _send(connection, chunk: bytes) -> bool:
    """Pass a chunk on; False once the other side has closed (its thread closes both sockets)."""
    try:
        connection.sendall(chunk)
        return True
    except OSError:
        return False


def _receive(connection) -> bytes:
    try:
        return connection.recv(65536)
    except OSError:
        return b""


def page_urls(page) -> set[str]:
    """The paths (with query) the page itself asked for: the document and its resources."""
    names = page.evaluate(
        "[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]"
        ".map((entry) => { const url = new URL(entry.name); return url.pathname + url.search; })"
    )
    return set(names)


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_load_state("networkidle")


def kind(path: str) -> str:
    clean = path.split("?")[0]
    if clean.endswith(".css"):
        return "css"
    if clean.endswith(".js") and clean != "/sw.js":
        return "js"
    if clean.startswith("/static/"):
        return "image"
    return "other" if clean in ("/sw.js", "/manifest.webmanifest") else "html"


def measure(browser, proxy, base_url: str, state, path: str) -> dict:
    context = browser.new_context(**PHONE, storage_state=state)
    try:
        page = context.new_page()
        proxy.reset()
        page.goto(base_url + path)
        settle(page)
        asked = page_urls(page)
        first = proxy.reset()
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        repeat = proxy.reset()
    finally:
        context.close()
    by_kind: dict[str, int] = {}
    worker = 0
    requests = []
    for url, size in first:
        by_page = url in asked  # the page asks for each URL once; a second request is the worker's
        asked.discard(url)
        requests.append((url, size, by_page))
        if by_page:
            by_kind[kind(url)] = by_kind.get(kind(url), 0) + size
        else:
            worker += size
    return {
        "path": path,
        "first": by_kind,
        "first_page": sum(by_kind.values()),
        "first_core": sum(by_kind.get(name, 0) for name in ("html", "css", "js")),
        "worker": worker,
        "repeat": repeat,
        "requests": requests,
    }


def report(results: list[dict]) -> None:
    print(
        f"{'page':<10} {'first: html':>11} {'css':>6} {'js':>6} {'img':>6} {'page':>7} {'+worker':>8}  repeat visit"
    )
    for result in results:
        first = result["first"]
        repeat = (
            ", ".join(f"{url.split('?')[0]} {size / 1024:.1f}" for url, size in result["repeat"]) or "nothing"
        )
        print(
            f"{result['path']:<10} {first.get('html', 0) / 1024:>11.1f} {first.get('css', 0) / 1024:>6.1f}"
            f" {first.get('js', 0) / 1024:>6.1f} {first.get('image', 0) / 1024:>6.1f}"
            f" {result['first_page'] / 1024:>7.1f} {result['worker'] / 1024:>8.1f}  {repeat}"
        )
    print(
        "(KiB over the wire: headers and compressed bodies; +worker: the service worker's precache on that first visit)"
    )
    log_page = next(result for result in results if result["path"] == "/")
    print("\nthe log page's first visit, request by request (KiB):")
    for url, size, by_page in log_page["requests"]:
        print(f"  {size / 1024:>5.1f}  {'page  ' if by_page else 'worker'}  {url}")
    verdict = "within" if log_page["first_core"] <= BUDGET else "OVER"
    print(
        f"log page first load, HTML + CSS + JS: {log_page['first_core'] / 1024:.1f} KiB, {verdict} the 50 KiB budget"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running server (the demo user is made on DATABASE_URL)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        server = None
        if args.base_url:
            target = args.base_url.rstrip("/")
            env = dict(os.environ)
        else:
            server = LiveServer(Path(folder)).start()
            target, env = server.url, server.env
        try:
            run_manage(env, "demo", EMAIL, "--days", "60", stdin=PASSWORD + "\n")
            proxy = CountingProxy(int(target.rsplit(":", 1)[1]))
            base_url = f"http://127.0.0.1:{proxy.port}"
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                context = browser.new_context(**PHONE)
                page = context.new_page()
                page.goto(base_url + "/login")
                page.fill("#email", EMAIL)
                page.fill("#password", PASSWORD)
                with page.expect_navigation():
                    page.locator("main form.stack button[type=submit]").click()
                state = context.storage_state()
                context.close()
                results = [measure(browser, proxy, base_url, state, path) for path in PAGES]
                browser.close()
        finally:
            if server is not None:
                server.stop()
    report(results)
    return 0 if next(r for r in results if r["path"] == "/")["first_core"] <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
