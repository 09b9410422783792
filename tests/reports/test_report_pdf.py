"""The PDF report is bounded (security finding 3): a few renders at a time per process, each in
a child process stopped at a time limit, and a second download of unchanged content served from
a cache without rendering again."""

import multiprocessing
from datetime import timedelta

import pytest

from diary.reports import pdf_render as report_pdf
from diary.reports import views as reports
from tests.reports.test_reports import fill_four_weeks
from tests.support.shares import anonymous, make_share, path_of


@pytest.fixture
def counted_renders(monkeypatch):
    """Every PDF render, counted: the real one, through the child process."""
    renders = []
    real = reports.render_pdf

    def counting(html, **options):
        renders.append(html)
        return real(html, **options)

    monkeypatch.setattr(reports, "render_pdf", counting)
    return renders


def test_a_second_download_is_the_same_bytes_without_rendering(app, client, alice, today, counted_renders):
    fill_four_weeks(client, today)
    share = make_share(client)
    visitor = anonymous(app)
    first = visitor.get(path_of(share["pdf_url"]))
    second = visitor.get(path_of(share["pdf_url"]))
    assert first.status_code == second.status_code == 200
    assert first.data.startswith(b"%PDF") and second.data == first.data
    assert len(counted_renders) == 1


def test_an_edit_in_the_period_makes_a_new_pdf(app, client, alice, today, counted_renders):
    fill_four_weeks(client, today)
    share = make_share(client)
    visitor = anonymous(app)
    before = visitor.get(path_of(share["pdf_url"])).data
    client.put(f"/api/v1/entries/{today - timedelta(days=3)}", json={"pain": 10, "night_wakings": 7})
    after = visitor.get(path_of(share["pdf_url"])).data
    assert len(counted_renders) == 2 and after != before
    assert visitor.get(path_of(share["pdf_url"])).data == after and len(counted_renders) == 2


def test_two_shares_of_the_same_period_do_not_share_a_cached_pdf(app, client, alice, today, counted_renders):
    fill_four_weeks(client, today)
    visitor = anonymous(app)
    for share in (make_share(client), make_share(client)):
        assert visitor.get(path_of(share["pdf_url"])).status_code == 200
    assert len(counted_renders) == 2


def test_when_every_slot_is_busy_the_pdf_is_a_translated_503_with_retry_after(
    app, client, alice, today, monkeypatch, counted_renders
):
    share = make_share(client)
    monkeypatch.setattr(report_pdf, "SLOT_WAIT", 0.05)
    held = 0
    try:
        while report_pdf.SLOTS.acquire(blocking=False):  # as if other reports were being made
            held += 1
        assert held == report_pdf.PDF_SLOTS == 2
        response = anonymous(app).get(path_of(share["pdf_url"]))
    finally:
        for _ in range(held):
            report_pdf.SLOTS.release()
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Cache-Control"] == "no-store"
    assert "lige nu" in response.get_data(as_text=True)
    assert counted_renders == []
    assert anonymous(app).get(path_of(share["pdf_url"])).status_code == 200  # a free slot again


def test_a_render_past_the_time_limit_is_stopped_and_answered_with_a_503(
    app, client, alice, today, monkeypatch
):
    fill_four_weeks(client, today)
    share = make_share(client)
    monkeypatch.setattr(report_pdf, "TIME_LIMIT", 0.01)
    response = anonymous(app).get(path_of(share["pdf_url"]))
    assert response.status_code == 503 and "Retry-After" in response.headers
    assert "for lang tid" in response.get_data(as_text=True)
    assert multiprocessing.active_children() == []  # the render was stopped, not left running
    monkeypatch.setattr(report_pdf, "TIME_LIMIT", 60)
    assert anonymous(app).get(path_of(share["pdf_url"])).status_code == 200


def test_the_cache_holds_at_most_its_size_in_bytes(monkeypatch):
    cache = report_pdf.PdfCache(max_bytes=1000)
    for number in range(5):
        cache.put(("share", number), b"x" * 300)
    assert cache.total_bytes() <= 1000
    assert cache.get(("share", 0)) is None and cache.get(("share", 4)) == b"x" * 300
    cache.put(("share", "huge"), b"x" * 5000)  # larger than the whole cache: not kept
    assert cache.get(("share", "huge")) is None and cache.get(("share", 4)) is not None


def test_a_render_over_its_memory_limit_is_a_503_not_a_500(app, client, alice, today, monkeypatch):
    share = make_share(client)
    monkeypatch.setattr(report_pdf, "MEMORY_LIMIT", 64 * 1024 * 1024)  # less than WeasyPrint itself needs
    response = anonymous(app).get(path_of(share["pdf_url"]))
    assert response.status_code == 503 and "udskriv" in response.get_data(as_text=True)
    assert multiprocessing.active_children() == []
