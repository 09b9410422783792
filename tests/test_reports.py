"""Sharing with a midwife: share links, the report page and its PDF, and token safety."""

import io
import re
from datetime import datetime, timedelta

import pytest
from pypdf import PdfReader

from diary.db import db
from diary.models import MODELS, Share, utc_now


def moment(stamp: str) -> datetime:
    """An API time ("…Z", with or without milliseconds) as a datetime."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def make_share(client, **body):
    response = client.post("/api/v1/shares", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def fill_four_weeks(client, today, note="Trappen var hård"):
    for offset in range(28):
        day = today - timedelta(days=offset)
        client.put(f"/api/v1/entries/{day}", json={
            "pain": 3 + offset % 5, "locations": ["symphysis"] if offset % 2 else ["si_left", "lower_back"],
            "triggers": ["stairs"] if offset % 3 else ["turning_in_bed"], "sensations": ["stabbing"],
            "night_wakings": offset % 3, "relief": ["pelvic_belt"] if offset % 4 else [], "note": note if offset % 7 == 0 else "",
        })


def anonymous(app):
    return app.test_client()


def test_creating_a_share_gives_absolute_links_with_the_documented_fields(client, alice, today):
    share = make_share(client)
    assert set(share) >= {"id", "url", "pdf_url", "expires_at", "include_notes"}
    assert share["url"].startswith("http://localhost/r/") and share["pdf_url"] == share["url"] + ".pdf"
    assert share["include_notes"] is False
    assert share["from"] == (today - timedelta(days=27)).isoformat() and share["to"] == today.isoformat()


def test_the_default_expiry_is_14_days(client, alice):
    share = make_share(client)
    expires = datetime.fromisoformat(share["expires_at"].replace("Z", "+00:00")).replace(tzinfo=None)
    assert timedelta(days=13, hours=23) < expires - utc_now() <= timedelta(days=14)
    assert client.get("/api/v1/shares").get_json()["shares"][0]["expires_at"] == share["expires_at"]


@pytest.mark.parametrize("body, field", [
    ({"expires_in_days": 0}, "expires_in_days"), ({"expires_in_days": 91}, "expires_in_days"),
    ({"expires_in_days": "14"}, "expires_in_days"), ({"from": "2026-13-01"}, "from"),
    ({"from": "2026-11-10", "to": "2026-11-01"}, "to"), ({"include_notes": "yes"}, "include_notes"),
    ({"to": "2099-01-01"}, "to"), ({"from": "2020-01-01", "to": "2021-06-01"}, "from"), ({"colour": "red"}, "colour"),
])
def test_a_bad_share_is_a_400_and_creates_nothing(app, client, alice, body, field):
    response = client.post("/api/v1/shares", json=body)
    assert response.status_code == 400 and field in response.get_json()["error"]["fields"]
    with app.app_context(), db.connection_context():
        assert Share.select().count() == 0


def test_the_report_opens_without_an_account_and_counts_views(app, client, alice, today):
    fill_four_weeks(client, today)
    share = make_share(client)
    visitor = anonymous(app)
    first = visitor.get(path_of(share["url"]))
    assert first.status_code == 200
    assert first.headers["Referrer-Policy"] == "no-referrer"
    assert first.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert first.headers["Cache-Control"] == "no-store"
    listed = client.get("/api/v1/shares").get_json()["shares"][0]
    assert listed["views"] == 1 and listed["last_viewed_at"]
    visitor.get(path_of(share["url"]))
    again = client.get("/api/v1/shares").get_json()["shares"][0]
    assert again["views"] == 2 and moment(again["last_viewed_at"]) >= moment(listed["last_viewed_at"])


def test_the_report_shows_the_key_figures_in_the_diarists_language(app, client, alice, today):
    fill_four_weeks(client, today)
    page = anonymous(app).get(path_of(make_share(client)["url"]), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="da"' in page and "28<small>/28</small>" in page
    assert "Skambenet (foran)" in page and "Trapper" in page
    assert "uge 2" in page  # gestational weeks the period spans
    assert 'role="img"' in page and "<table" in page


def test_notes_are_absent_unless_included(app, client, alice, today):
    fill_four_weeks(client, today, note="Hemmelig note om trappen")
    without = make_share(client)
    with_notes = make_share(client, include_notes=True)
    visitor = anonymous(app)
    assert "Hemmelig note" not in visitor.get(path_of(without["url"])).get_data(as_text=True)
    assert "Hemmelig note" in visitor.get(path_of(with_notes["url"])).get_data(as_text=True)
    assert "Hemmelig note" not in pdf_text(visitor.get(path_of(without["pdf_url"])).data)
    assert "Hemmelig note" in pdf_text(visitor.get(path_of(with_notes["pdf_url"])).data)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_four_week_pdf_is_one_a4_page_with_the_key_figures(app, client, alice, today):
    fill_four_weeks(client, today)
    response = anonymous(app).get(path_of(make_share(client)["pdf_url"]))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = pdf_text(response.data)
    assert "28/28" in text.replace(" ", "") and "Skambenet" in text and "æ" in text
    fonts = {str(font) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert fonts  # fonts are embedded (WeasyPrint subsets them)


def test_a_long_period_flows_onto_more_pages(app, client, alice, today):
    for offset in range(0, 120, 2):
        client.put(f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": 4, "note": "Lang dag " * 20})
    share = make_share(client, **{"from": (today - timedelta(days=119)).isoformat()}, include_notes=True)
    assert len(PdfReader(io.BytesIO(anonymous(app).get(path_of(share["pdf_url"])).data)).pages) > 1


def test_an_unknown_token_is_a_404(app):
    visitor = anonymous(app)
    assert visitor.get("/r/" + "A" * 43).status_code == 404
    assert visitor.get("/r/short").status_code == 404
    assert visitor.get("/r/" + "A" * 43 + ".pdf").status_code == 404


def test_revoking_gives_410_at_once_in_html_and_pdf(app, client, alice):
    share = make_share(client)
    assert client.delete(f"/api/v1/shares/{share['id']}").status_code == 204
    visitor = anonymous(app)
    assert visitor.get(path_of(share["url"])).status_code == 410
    assert visitor.get(path_of(share["pdf_url"])).status_code == 410
    assert client.get("/api/v1/shares").get_json()["shares"][0]["revoked"] is True


def test_an_expired_share_is_410_at_once(app, client, alice):
    share = make_share(client, expires_in_days=1)
    with app.app_context(), db.connection_context():
        Share.update(expires_at=utc_now() - timedelta(seconds=1)).execute()
    assert anonymous(app).get(path_of(share["url"])).status_code == 410


def test_no_plain_token_is_stored_anywhere_in_the_database(app, client, alice):
    share = make_share(client)
    token = path_of(share["url"]).removeprefix("/r/")
    with app.app_context(), db.connection_context():
        for model in MODELS:
            for row in model.select().dicts():
                assert not any(token in str(value) for value in row.values()), model.__name__
        stored = Share.get_by_id(share["id"])
        assert stored.token_hash != token and len(stored.token_hash) == 64


def test_tokens_carry_at_least_128_bits(client, alice):
    tokens = {path_of(make_share(client)["url"]).removeprefix("/r/") for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(token) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", token) for token in tokens)


def test_bob_cannot_list_or_revoke_alices_share(app, client, alice, bob_client):
    share = make_share(client)
    assert bob_client.get("/api/v1/shares").get_json() == {"shares": []}
    assert bob_client.delete(f"/api/v1/shares/{share['id']}").status_code == 404
    assert bob_client.post(f"/shares/{share['id']}/revoke").status_code == 404
    assert anonymous(app).get(path_of(share["url"])).status_code == 200


def test_the_shares_page_makes_lists_and_revokes_links(app, client, alice, today):
    response = client.post("/shares", data={"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat(),
                                             "expires_in_days": "30", "include_notes": "y"})
    assert response.status_code == 302
    page = client.get("/shares").get_data(as_text=True)
    assert '<svg' in page and 'class="qr-code"' in page
    assert re.search(r'value="http://localhost/r/[A-Za-z0-9_-]+"', page)
    assert ".pdf" in page and f'action="/shares/' in page
    share_id = client.get("/api/v1/shares").get_json()["shares"][0]["id"]
    assert client.post(f"/shares/{share_id}/revoke").status_code == 302
    assert client.get("/api/v1/shares").get_json()["shares"][0]["revoked"] is True


def test_the_shares_page_refuses_bad_input_with_errors(app, client, alice):
    response = client.post("/shares", data={"expires_in_days": "91"})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.get_data(as_text=True)
    with app.app_context(), db.connection_context():
        assert Share.select().count() == 0


def test_the_report_route_is_rate_limited(app, client, alice):
    share = make_share(client)
    app.config["REPORT_RATE_LIMIT"] = "3 per minute"
    visitor = anonymous(app)
    statuses = [visitor.get(path_of(share["url"])).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]


def test_purge_shares_deletes_expired_and_revoked_links(app, client, alice, runner):
    keep = make_share(client)
    expired = make_share(client)
    revoked = make_share(client)
    client.delete(f"/api/v1/shares/{revoked['id']}")
    with app.app_context(), db.connection_context():
        Share.update(expires_at=utc_now() - timedelta(days=1)).where(Share.id == expired["id"]).execute()
    result = runner.invoke(args=["purge-shares"])
    assert result.exit_code == 0 and "2" in result.output
    with app.app_context(), db.connection_context():
        assert [share.id for share in Share.select()] == [keep["id"]]


def test_the_diarist_opening_her_own_report_is_not_counted(app, client, alice):
    share = make_share(client)
    assert client.get(path_of(share["url"])).status_code == 200
    assert client.get(path_of(share["pdf_url"])).status_code == 200
    assert client.get("/api/v1/shares").get_json()["shares"][0]["views"] == 0
    anonymous(app).get(path_of(share["url"]))
    assert client.get("/api/v1/shares").get_json()["shares"][0]["views"] == 1
