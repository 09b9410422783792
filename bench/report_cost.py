"""Benchmark: what the midwife report costs for a period of 4 weeks, 6 months and one year
(the longest a share may be): the HTML page, the PDF made fresh, and the PDF again (cached).

    .venv/bin/python bench/report_cost.py [--repeat 5] [--notes]

Builds a fresh SQLite database in a temporary folder with one diarist who logged every day
of the last year (the demo diary, notes on some days), makes a report link per period and
fetches it through the app as a midwife would. The PDF is made the way the server makes it:
in a child process of the PDF forkserver, at most two at a time. "render MiB" is the peak
resident memory of the same render made once more in a child of this script (the server's
render children belong to the forkserver, whose figures this script cannot read).
"""

import argparse
import io
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402

from diary import create_app  # noqa: E402
from diary.clock import local_today  # noqa: E402
from diary.db import db  # noqa: E402
from diary.entries.store import save_entry  # noqa: E402
from diary.entries.validation import years_before  # noqa: E402
from diary.models import MODELS, Share, User  # noqa: E402
from diary.ops.demo import demo_entries  # noqa: E402
from diary.reports import pdf
from diary.reports import views as reports

PERIODS = (("4 weeks", 28), ("6 months", 182), ("one year", None))  # None: the longest a share may be


def fill(app, today) -> None:
    """One diarist with a logged year, due in ten weeks."""
    with app.app_context(), db.connection_context():
        db.drop_tables(MODELS, safe=True)
        db.create_tables(MODELS)
    client = app.test_client()
    client.post("/register", data={"email": "bench@example.dk", "password": "bench report cost 2026 x"})
    with app.app_context(), db.connection_context():
        user = User.by_email("bench@example.dk")
        user.due_date = today + timedelta(weeks=10)
        user.save(only=[User.due_date])
        for clean in demo_entries(366, today, user.due_date, seed=3, skip_rate=0.0):
            save_entry(user, clean)
    return client


def timed(fetch, repeat: int) -> tuple[float, bytes]:
    """The median time of `repeat` fetches, in ms, and the last answer's body."""
    times, body = [], b""
    for _ in range(repeat):
        began = time.perf_counter()
        response = fetch()
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
        body = response.data
    return statistics.median(times), body


def _render(html: str, static_folder: str, static_url_path: str) -> None:
    pdf.render_pdf(html, "http://localhost/", Path(static_folder), static_url_path)


def render_memory(app, share_id: int) -> float:
    """Peak resident MiB of a child that renders the share's PDF, measured after it ends."""
    with app.test_request_context("/"), db.connection_context():
        html = reports.report_html(Share.get_by_id(share_id), for_pdf=True)
    child = multiprocessing.get_context("spawn").Process(
        target=_render, args=(html, app.static_folder, app.static_url_path)
    )
    child.start()
    child.join()
    # The largest of all children so far; the periods grow, so it is this render's.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def warm_up(client, midwife, app) -> None:
    """Start the PDF forkserver (it loads WeasyPrint once) before anything is timed."""
    made = client.post("/api/v1/shares", json={}).get_json()
    assert midwife.get(made["pdf_url"].removeprefix("http://localhost")).status_code == 200
    app.extensions["report_pdf_cache"].clear()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5, help="fetches of the HTML and of the cached PDF")
    parser.add_argument("--notes", action="store_true", help="share the notes too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}"})
        with app.app_context():
            today = local_today()
        client = fill(app, today)
        midwife = app.test_client()
        print(
            f"one diarist, every day of the last year logged; notes shared: {'yes' if args.notes else 'no'}"
        )
        print(
            f"{'period':<10} {'days':>5} {'html ms':>9} {'html kB':>8} {'pdf ms':>9} {'pdf kB':>7} "
            f"{'pages':>5} {'cached ms':>9} {'render MiB':>10}"
        )
        warm_up(client, midwife, app)
        for name, days in PERIODS:
            start = (
                years_before(today, 1) + timedelta(days=1)
                if days is None
                else today - timedelta(days=days - 1)
            )
            made = client.post(
                "/api/v1/shares", json={"from": start.isoformat(), "include_notes": args.notes}
            )
            assert made.status_code == 201, made.get_json()
            path = made.get_json()["url"].removeprefix("http://localhost")
            html_ms, html = timed(lambda: midwife.get(path), args.repeat)
            pdf_ms, made_pdf = timed(lambda: midwife.get(path + ".pdf"), 1)
            cached_ms, cached = timed(lambda: midwife.get(path + ".pdf"), args.repeat)
            assert cached == made_pdf
            pages = len(PdfReader(io.BytesIO(made_pdf)).pages)
            memory = render_memory(app, made.get_json()["id"])
            print(
                f"{name:<10} {(today - start).days + 1:>5} {html_ms:>9.1f} {len(html) / 1024:>8.1f} {pdf_ms:>9.0f} "
                f"{len(made_pdf) / 1024:>7.1f} {pages:>5} {cached_ms:>9.1f} {memory:>10.0f}"
            )


if __name__ == "__main__":
    main()
