"""Sharing with a midwife: share links, the report page and its PDF, and token safety."""

import io
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_date
from pypdf import PdfReader

from diary.entries.validation import years_before
from diary.models import MODELS, Share, User, utc_now
from diary.reports import pdf
from diary.reports import tokens as share_tokens
from diary.reports import views as reports
from diary.reports.shares import earliest_start, is_link_preview
from tests.support.database import in_app
from tests.support.shares import anonymous, make_share, path_of, pdf_text


def moment(stamp: str) -> datetime:
    """An API time ("…Z", with or without milliseconds) as a datetime."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def fill_four_weeks(client, today, note="Trappen var hård"):
    for offset in range(28):
        day = today - timedelta(days=offset)
        client.put(
            f"/api/v1/entries/{day}",
            json={
                "pain": 3 + offset % 5,
                "locations": ["symphysis"] if offset % 2 else ["si_left", "lower_back"],
                "triggers": ["stairs"] if offset % 3 else ["turning_in_bed"],
                "sensations": ["stabbing"],
                "night_wakings": offset % 3,
                "relief": ["pelvic_belt"] if offset % 4 else [],
                "note": note if offset % 7 == 0 else "",
            },
        )


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


@pytest.mark.parametrize(
    "body, field",
    [
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": 91}, "expires_in_days"),
        ({"expires_in_days": "14"}, "expires_in_days"),
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-11-10", "to": "2026-11-01"}, "to"),
        ({"include_notes": "yes"}, "include_notes"),
        ({"to": "2099-01-01"}, "to"),
        ({"from": "2020-01-01", "to": "2021-06-01"}, "from"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_share_is_a_400_and_creates_nothing(app, client, alice, body, field):
    response = client.post("/api/v1/shares", json=body)
    assert response.status_code == 400 and field in response.get_json()["error"]["fields"]
    with in_app(app):
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
    assert client.get("/api/v1/shares").get_json()["shares"][0]["views"] == 2


def test_each_opening_moves_last_viewed_at_to_the_time_of_that_opening(app, client, alice, monkeypatch):
    share = make_share(client)
    first, second = utc_now() + timedelta(minutes=1), utc_now() + timedelta(minutes=1, seconds=2)
    visitor = anonymous(app)
    for opened_at, views in ((first, 1), (second, 2)):
        monkeypatch.setattr(reports, "utc_now", lambda opened_at=opened_at: opened_at)
        assert visitor.get(path_of(share["url"])).status_code == 200
        listed = client.get("/api/v1/shares").get_json()["shares"][0]
        assert listed["views"] == views
        assert moment(listed["last_viewed_at"]) == opened_at.replace(tzinfo=UTC)


def test_the_report_shows_the_key_figures_in_the_diarists_language(app, client, alice, today):
    fill_four_weeks(client, today)
    page = (
        anonymous(app)
        .get(path_of(make_share(client)["url"]), headers={"Accept-Language": "en"})
        .get_data(as_text=True)
    )
    assert 'lang="da"' in page and "28<small>/28</small>" in page
    assert "Skambenet (foran)" in page and "Trapper" in page
    assert '<span class="period-stage">uge 24+1 – uge 28+0</span>' in page  # the gestational weeks it spans
    assert 'role="img"' in page and "<table" in page


def test_the_report_names_its_week_columns_and_empty_sections_plainly(app, client, alice, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 4})
    page = anonymous(app).get(path_of(make_share(client)["url"])).get_data(as_text=True)
    assert (
        '<thead><tr>\n        <th scope="col">Uge</th><th scope="col" class="num">Udfyldte dage</th>' in page
    )
    assert '<span class="week-stage">uge 28</span>' in page  # the pregnancy week, not "Ugen fra" a date
    assert "Ugen fra" not in page and "Graviditetsuge" not in page
    assert page.count("Ikke udfyldt.") == 4 and "noteret" not in page


@pytest.mark.parametrize("woken, label", [(1, "nat vækket af smerter"), (2, "nætter vækket af smerter")])
def test_the_nights_key_figure_agrees_with_its_number(app, client, alice, today, woken, label):
    for offset in range(woken):
        client.put(f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": 4, "night_wakings": 1})
    page = anonymous(app).get(path_of(make_share(client)["url"])).get_data(as_text=True)
    assert f'<span class="key-value">{woken}</span><span class="key-label">{label} (' in page


def test_notes_are_absent_unless_included(app, client, alice, today):
    fill_four_weeks(client, today, note="Hemmelig note om trappen")
    without = make_share(client)
    with_notes = make_share(client, include_notes=True)
    visitor = anonymous(app)
    assert "Hemmelig note" not in visitor.get(path_of(without["url"])).get_data(as_text=True)
    assert "Hemmelig note" in visitor.get(path_of(with_notes["url"])).get_data(as_text=True)
    assert "Hemmelig note" not in pdf_text(visitor.get(path_of(without["pdf_url"])).data)
    assert "Hemmelig note" in pdf_text(visitor.get(path_of(with_notes["pdf_url"])).data)


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
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": 4, "note": "Lang dag " * 20}
        )
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
    with in_app(app):
        Share.update(expires_at=utc_now() - timedelta(seconds=1)).execute()
    assert anonymous(app).get(path_of(share["url"])).status_code == 410


def test_no_plain_token_is_stored_anywhere_in_the_database(app, client, alice):
    share = make_share(client)
    token = path_of(share["url"]).removeprefix("/r/")
    with in_app(app):
        for model in MODELS:
            for row in model.select().dicts():
                assert not any(token in str(value) for value in row.values()), model.__name__
        stored = Share.get_by_id(share["id"])
        assert stored.token_hash != token and len(stored.token_hash) == 64


def test_tokens_carry_at_least_128_bits(client, alice):
    tokens = {path_of(make_share(client)["url"]).removeprefix("/r/") for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(token) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", token) for token in tokens)


def test_each_token_rests_on_a_nonce_of_at_least_128_bits_from_secrets(app, client, alice, monkeypatch):
    drawn = []
    real_token_hex = share_tokens.secrets.token_hex

    def counting_token_hex(nbytes=None):
        drawn.append((nbytes, real_token_hex(nbytes)))
        return drawn[-1][1]

    monkeypatch.setattr(share_tokens.secrets, "token_hex", counting_token_hex)
    share = make_share(client)
    with in_app(app):
        nonce = Share.get_by_id(share["id"]).nonce
    nbytes = dict((value, size) for size, value in drawn)[nonce]  # the nonce is what secrets drew
    assert nbytes * 8 >= 128 and len(bytes.fromhex(nonce)) == nbytes


def test_a_token_opens_nothing_once_the_secret_key_changes(app, client, alice, auth):
    share = make_share(client)
    app.config["SECRET_KEY"] = "another secret key, at least thirty-two characters"
    assert anonymous(app).get(path_of(share["url"])).status_code == 404
    auth.login()  # the new key ended her session too
    page = client.get("/shares").get_data(as_text=True)
    assert "share-closed" in page and 'class="qr-code"' not in page


def test_bob_cannot_list_or_revoke_alices_share(app, client, alice, bob_client):
    share = make_share(client)
    assert bob_client.get("/api/v1/shares").get_json() == {"shares": []}
    assert bob_client.delete(f"/api/v1/shares/{share['id']}").status_code == 404
    assert bob_client.post(f"/shares/{share['id']}/revoke").status_code == 404
    assert bob_client.get(f"/shares/{share['id']}/revoke").status_code == 404
    assert bob_client.get(f"/shares/{share['id']}").status_code == 404
    assert anonymous(app).get(path_of(share["url"])).status_code == 200


def test_the_shares_page_makes_a_link_and_lands_on_it_with_its_qr_code(app, client, alice, today):
    response = client.post(
        "/shares",
        data={
            "from": (today - timedelta(days=6)).isoformat(),
            "to": today.isoformat(),
            "expires_in_days": "30",
            "include_notes": "y",
            "display_name": "K. M.",
        },
    )
    share_id = client.get("/api/v1/shares").get_json()["shares"][0]["id"]
    assert response.status_code == 302 and response.headers["Location"] == f"/shares/{share_id}"
    page = client.get(f"/shares/{share_id}").get_data(as_text=True)
    assert "<svg" in page and 'class="qr-code"' in page
    assert page.index('class="qr-code"') < page.index('type="url"')  # the code first, to be scanned
    assert re.search(r'value="http://localhost/r/[A-Za-z0-9_-]+"', page)
    assert "data-share-for=" in page and "data-copy=" in page
    assert ".pdf" in page and f'href="/shares/{share_id}/revoke"' in page
    listed = client.get("/shares").get_data(as_text=True)
    assert f'href="/shares/{share_id}"' in listed and 'class="qr-code"' not in listed


def test_revoking_asks_once_then_revokes(app, client, alice):
    share = make_share(client)
    question = client.get(f"/shares/{share['id']}/revoke")
    assert question.status_code == 200
    page = question.get_data(as_text=True)
    assert f'action="/shares/{share["id"]}/revoke"' in page and 'name="csrf_token"' in page
    assert client.get("/api/v1/shares").get_json()["shares"][0]["revoked"] is False  # asking changes nothing
    assert client.post(f"/shares/{share['id']}/revoke").status_code == 302
    assert client.get("/api/v1/shares").get_json()["shares"][0]["revoked"] is True
    assert "share-closed" in client.get(f"/shares/{share['id']}").get_data(as_text=True)


def test_revoking_without_the_csrf_token_is_refused_and_changes_nothing(app, client, alice):
    share = make_share(client)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/shares/{share['id']}/revoke").status_code == 400
    assert client.get("/api/v1/shares").get_json()["shares"][0]["revoked"] is False


def test_the_share_form_asks_for_her_name_prefilled_from_settings_and_saves_it(app, client, alice, today):
    with in_app(app):
        User.update(display_name="Karen").execute()
    form = client.get("/shares").get_data(as_text=True)
    assert 'name="display_name" value="Karen"' in form
    client.post("/shares", data={"display_name": "  K. M.  "})
    with in_app(app):
        assert User.get().display_name == "K. M."
    report = anonymous(app).get(path_of(client.get("/api/v1/shares").get_json()["shares"][0]["url"]))
    assert "K. M." in report.get_data(as_text=True)


def test_a_name_too_long_is_refused_and_nothing_is_made(app, client, alice):
    response = client.post("/shares", data={"display_name": "x" * 61})
    assert response.status_code == 400 and 'id="share-name-error"' in response.get_data(as_text=True)
    with in_app(app):
        assert Share.select().count() == 0 and User.get().display_name == ""


def test_the_shares_page_refuses_bad_input_with_errors(app, client, alice):
    response = client.post("/shares", data={"expires_in_days": "91"})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.get_data(as_text=True)
    with in_app(app):
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
    with in_app(app):
        Share.update(expires_at=utc_now() - timedelta(days=1)).where(Share.id == expired["id"]).execute()
    result = runner.invoke(args=["purge-shares"])
    assert result.exit_code == 0 and "2" in result.output
    with in_app(app):
        assert [share.id for share in Share.select()] == [keep["id"]]


def test_the_diarist_opening_her_own_report_is_not_counted(app, client, alice):
    share = make_share(client)
    assert client.get(path_of(share["url"])).status_code == 200
    assert client.get(path_of(share["pdf_url"])).status_code == 200
    assert client.get("/api/v1/shares").get_json()["shares"][0]["views"] == 0
    anonymous(app).get(path_of(share["url"]))
    assert client.get("/api/v1/shares").get_json()["shares"][0]["views"] == 1


def set_profile(app, **fields):
    with in_app(app):
        User.update(**fields).where(User.email == "alice@example.dk").execute()


def test_the_report_says_who_when_and_that_it_is_self_reported(app, client, alice, today):
    set_profile(app, display_name="Kristine Ø.")
    fill_four_weeks(client, today)
    page = anonymous(app).get(path_of(make_share(client)["url"])).get_data(as_text=True)
    assert '<span class="report-name">Kristine Ø.</span>' in page
    due = format_date(today + timedelta(weeks=12), "medium", locale="da")
    assert f"<dt>Termin</dt><dd>{due}</dd>" in page
    assert f"<dt>Lavet</dt><dd>{format_date(today, 'medium', locale='da')}</dd>" in page
    assert re.search(r'<footer class="report-footer">\s*<p>[^<]*ikke en diagnose', page)


def test_the_pelvis_is_shaded_by_each_locations_share_of_the_logged_days(app, client, alice, today):
    for offset, locations in enumerate([["symphysis", "si_left"], ["symphysis"], ["symphysis"], []]):
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": 4, "locations": locations}
        )
    page = anonymous(app).get(path_of(make_share(client)["url"])).get_data(as_text=True)
    opacity = dict(re.findall(r'data-location="(\w+)"[^>]*fill-opacity="([\d.]+)"', page))
    assert (opacity["symphysis"], opacity["si_left"], opacity["si_right"], opacity["hips"]) == (
        "0.77",
        "0.31",
        "0.08",
        "0.08",
    )


def test_the_week_table_shows_the_change_names_it_only_past_the_threshold_and_marks_partial_weeks(
    app, client, alice, today
):
    set_profile(app, due_date=None)  # without a due date the rows are ISO weeks, Monday to Sunday
    wednesday = today - timedelta(days=35 + (today.weekday() - 2) % 7)
    pains = [3] * 5 + [5] * 7 + [5] * 6 + [4] + [6, 6]  # 5 days, two full weeks, then a Monday and Tuesday
    for offset, pain in enumerate(pains):
        client.put(f"/api/v1/entries/{wednesday + timedelta(days=offset)}", json={"pain": pain})
    share = make_share(
        client,
        **{"from": wednesday.isoformat(), "to": (wednesday + timedelta(days=len(pains) - 1)).isoformat()},
    )
    page = anonymous(app).get(path_of(share["url"])).get_data(as_text=True)
    trends = re.findall(r'<td class="trend trend-(\w+)">(.*?)</td>', page, re.S)
    cells = [(kind, " ".join(re.sub(r"<[^>]+>", " ", text).split())) for kind, text in trends]
    assert cells == [
        ("none", "–"),
        ("worse", "+2,0 ↑ værre"),
        ("same", "−0,1 omtrent det samme"),
        ("none", "–"),
    ]
    assert page.count('<span class="week-part">') == 2
    assert "5 af 7 dage" in page and "2 af 7 dage" in page
    assert "1,0 point" in page  # the threshold is named under the table


def test_the_chart_has_a_wakings_scale_and_a_table_for_screen_readers(app, client, alice, today):
    fill_four_weeks(client, today)
    page = anonymous(app).get(path_of(make_share(client)["url"])).get_data(as_text=True)
    # Two drawings of the chart (wide for paper, tall for a phone), each with the scale.
    assert [int(n) for n in re.findall(r'class="chart-axis chart-axis-wakings"[^>]*>(\d+)<', page)] == [
        0,
        1,
        2,
        3,
    ] * 2
    assert 'id="report-chart-wide-desc"' in page and 'id="report-chart-narrow-desc"' in page
    table = re.search(r'<div class="sr-only"><table>(.*?)</table></div>', page, re.S).group(1)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", table, re.S)
    assert len(rows) == 28
    assert rows[-1] == (format_date(today, "medium", locale="da"), "3", "0")  # today: offset 0
    assert rows[-2][1:] == ("4", "1")


@pytest.mark.parametrize(
    "agent",
    [
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "WhatsApp/2.23.20.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "TelegramBot (like TwitterBot)",
        "Twitterbot/1.0",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0)",
        "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
        "Mozilla/5.0 (Macintosh) Applebot/0.1",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    ],
)
def test_link_preview_fetchers_and_bots_are_recognised(agent):
    assert is_link_preview(agent)


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
        "",
    ],
)
def test_browsers_are_not_taken_for_bots(agent):
    assert not is_link_preview(agent)


def test_only_a_get_from_a_browser_counts_as_a_view(app, client, alice):
    share = make_share(client)
    visitor = anonymous(app)
    assert visitor.head(path_of(share["url"])).status_code == 200
    assert visitor.get(path_of(share["url"]), headers={"User-Agent": "WhatsApp/2.23.20.0"}).status_code == 200
    assert (
        visitor.get(
            path_of(share["pdf_url"]), headers={"User-Agent": "Slackbot-LinkExpanding 1.0"}
        ).status_code
        == 200
    )
    listed = client.get("/api/v1/shares").get_json()["shares"][0]
    assert (listed["views"], listed["last_viewed_at"]) == (0, None)
    visitor.get(path_of(share["url"]), headers={"User-Agent": "Mozilla/5.0 (Android 14) Chrome/120.0 Mobile"})
    assert client.get("/api/v1/shares").get_json()["shares"][0]["views"] == 1


@pytest.mark.parametrize("closing", ["unknown", "revoked", "expired"])
def test_error_answers_for_report_links_keep_the_privacy_headers(app, client, alice, closing):
    share = make_share(client)
    if closing == "revoked":
        client.delete(f"/api/v1/shares/{share['id']}")
    elif closing == "expired":
        with in_app(app):
            Share.update(expires_at=utc_now() - timedelta(seconds=1)).execute()
    paths = (
        [path_of(share["url"]), path_of(share["pdf_url"])]
        if closing != "unknown"
        else ["/r/" + "B" * 43, "/r/" + "B" * 43 + ".pdf"]
    )
    for path in paths:
        response = anonymous(app).get(path)
        assert response.status_code == (404 if closing == "unknown" else 410)
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
        assert response.headers["Cache-Control"] == "no-store"


def test_revoking_records_when_and_the_shares_page_says_so(app, client, alice, today):
    share = make_share(client)
    assert client.get("/api/v1/shares").get_json()["shares"][0]["revoked_at"] is None
    before = utc_now()
    client.delete(f"/api/v1/shares/{share['id']}")
    listed = client.get("/api/v1/shares").get_json()["shares"][0]
    assert before.replace(tzinfo=UTC) <= moment(listed["revoked_at"]) <= utc_now().replace(tzinfo=UTC)
    page = client.get("/shares").get_data(as_text=True)
    assert f"<dt>Trukket tilbage</dt><dd>{format_date(today, 'medium', locale='da')}</dd>" in page
    assert format_date(moment(share["expires_at"]).date(), "medium", locale="da") not in page


def test_the_shares_page_writes_a_links_last_day_and_last_opening_in_her_time_zone(app, client, alice, today):
    share = make_share(client)
    late_evening = datetime.combine(today + timedelta(days=5), datetime.min.time()) + timedelta(hours=23)
    with in_app(app):  # 23:00 UTC is already the next day in Copenhagen
        Share.update(expires_at=late_evening, last_viewed_at=late_evening - timedelta(days=7)).where(
            Share.id == share["id"]
        ).execute()
    page = client.get("/shares").get_data(as_text=True)
    assert f"<dd>{format_date(today + timedelta(days=6), 'medium', locale='da')}</dd>" in page
    assert f"<dd>{format_date(today + timedelta(days=5), 'medium', locale='da')}</dd>" not in page
    last_opened = format_date(today - timedelta(days=1), "dd.MM.y", locale="da")
    assert f"<dt>Sidst åbnet</dt><dd>{last_opened} " in page


def test_a_report_may_start_at_the_diarys_lower_bound_and_no_earlier(app, client, alice, today):
    first = years_before(today, 2)
    client.put(f"/api/v1/entries/{first}", json={"pain": 5, "night_wakings": 2})
    share = make_share(client, **{"from": first.isoformat(), "to": (first + timedelta(days=200)).isoformat()})
    page = anonymous(app).get(path_of(share["url"])).get_data(as_text=True)
    assert "uge for uge" in page  # a long period is drawn week by week
    too_early = client.post(
        "/api/v1/shares",
        json={
            "from": (first - timedelta(days=1)).isoformat(),
            "to": (first + timedelta(days=200)).isoformat(),
        },
    )
    assert too_early.status_code == 400
    assert "Din dagbog går tilbage til" in too_early.get_json()["error"]["fields"]["from"]


def test_a_year_long_report_names_its_bars_weeks_on_both_charts(app, client, alice, today):
    first = years_before(today, 1) + timedelta(days=1)
    for offset in [*range(0, 365, 4), 364]:  # every week logged, the two the period cuts too
        client.put(f"/api/v1/entries/{first + timedelta(days=offset)}", json={"pain": 5, "night_wakings": 1})
    page = (
        anonymous(app)
        .get(path_of(make_share(client, **{"from": first.isoformat()})["url"]))
        .get_data(as_text=True)
    )
    wide, narrow = page.split('<div class="chart-narrow">')
    assert "Nætter vækket af smerter i ugen (skala til højre)" in wide and "uge for uge" in wide
    assert "Nætter vækket af smerter i ugen (skala til højre)" in narrow and "uge for uge" in narrow
    assert "Gennemsnitlig smerte (0–10, skala til venstre)" in wide
    table = re.search(r'<div class="sr-only"><table>(.*?)</table></div>', page, re.S).group(1)
    assert re.findall(r'<th scope="col">(.*?)</th>', table) == [
        "Dage",
        "Gennemsnitlig smerte",
        "Nætter vækket",
    ]
    pains = re.findall(r"</th>\s*<td>(.*?)</td>", table)
    assert len(pains) in (53, 54) and set(pains) == {"5,0"}  # a week's average, to one decimal


def test_the_earliest_start_is_the_diarys_lower_bound_as_a_date(app, client, alice, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 6})
    with in_app(app):
        earliest = earliest_start(User.by_email("alice@example.dk"), today)
    assert earliest == years_before(today, 2) and type(earliest) is type(today)


def test_a_report_may_start_42_weeks_before_an_early_due_date_and_no_earlier(app, client, alice, today):
    due = today - timedelta(days=500)  # 42 weeks before it is further back than two years
    set_profile(app, due_date=due)
    earliest = due - timedelta(weeks=42)
    end = (earliest + timedelta(days=100)).isoformat()
    assert client.post("/api/v1/shares", json={"from": earliest.isoformat(), "to": end}).status_code == 201
    response = client.post("/shares", data={"from": (earliest - timedelta(days=1)).isoformat(), "to": end})
    assert response.status_code == 400
    assert 'id="share-from-error"' in response.get_data(as_text=True)
    assert f'min="{earliest.isoformat()}"' in client.get("/shares").get_data(as_text=True)


def test_the_pdf_embeds_the_shipped_font_and_its_danish_letters_extract(
    app, client, alice, today, monkeypatch
):
    set_profile(app, display_name="Åse Ærø Øster")
    fill_four_weeks(client, today, note="Blæst på øen i går")
    fetched = []
    real_fetcher = pdf._static_files_only

    def recording_fetcher(static_folder, static_url_path):
        fetcher = real_fetcher(static_folder, static_url_path)
        fetch = fetcher.fetch
        fetcher.fetch = lambda url, headers=None: fetched.append(url) or fetch(url, headers)
        return fetcher

    monkeypatch.setattr(pdf, "_static_files_only", recording_fetcher)
    monkeypatch.setattr(
        reports, "render_pdf", pdf.render_pdf
    )  # here, not in a child, to record what it fetches
    data = anonymous(app).get(path_of(make_share(client, include_notes=True)["pdf_url"])).data
    assert any(url.endswith("/static/fonts/DejaVuSans-Latin1.woff2") for url in fetched), fetched
    assert any(url.endswith("/static/fonts/DejaVuSans-Bold-Latin1.woff2") for url in fetched)
    reader = PdfReader(io.BytesIO(data))
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    descriptors = [font["/FontDescriptor"] for font in fonts if "/FontDescriptor" in font]
    descriptors += [child["/FontDescriptor"] for font in fonts for child in font.get("/DescendantFonts", [])]
    assert descriptors and all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)
    # Every glyph, SVG text included, comes from the shipped font (named after its @font-face).
    assert {str(d["/FontName"]).split("+")[-1] for d in descriptors} == {"Report-Sans", "Report-Sans-Bold"}
    text = pdf_text(data)
    assert "Åse Ærø Øster" in text and "Blæst på øen" in text


def test_the_pdf_is_made_from_the_wide_chart_alone(app, client, alice, today, monkeypatch):
    fill_four_weeks(client, today)
    made_from = []
    monkeypatch.setattr(reports, "render_pdf", lambda html, **options: made_from.append(html) or b"%PDF-1.7")
    assert anonymous(app).get(path_of(make_share(client)["pdf_url"])).status_code == 200
    assert 'id="report-chart-wide-desc"' in made_from[0]
    assert "chart-narrow" not in made_from[0]  # the phone's chart, which paper never shows


def test_the_app_starts_without_importing_weasyprint():
    code = (
        "import sys; from diary import create_app; create_app({'DATABASE_URL': 'sqlite:///:memory:'}); "
        "print('weasyprint' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "False"


def test_without_weasyprint_the_pdf_is_a_503_and_the_page_still_works(app, client, alice, monkeypatch):
    share = make_share(client)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if Pango or WeasyPrint were missing
    visitor = anonymous(app)
    response = visitor.get(path_of(share["pdf_url"]))
    assert response.status_code == 503 and "udskriv" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert visitor.get(path_of(share["url"])).status_code == 200


def test_after_the_birth_the_weeks_read_as_weeks_after_birth(app, client, alice, today):
    set_profile(app, birth_date=today - timedelta(days=16))
    for offset in range(14):
        client.put(f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": 4})
    page = anonymous(app).get(path_of(make_share(client)["url"])).get_data(as_text=True)
    assert '<span class="week-stage">uge 2 efter fødslen</span>' in page
    assert '<span class="week-stage">uge 1 efter fødslen</span>' in page


def test_the_drawings_front_back_and_side_letters_are_large_enough_to_read_on_paper(app, client, alice):
    page = anonymous(app).get(path_of(make_share(client)["url"])).get_data(as_text=True)
    drawing = re.search(
        r'<svg viewBox="0 0 340 236" class="pelvis-svg pelvis-report".*?</svg>', page, re.S
    ).group(0)
    sizes = [
        int(size) for size in re.findall(r'class="pelvis-(?:side|caption)"[^>]*font-size="(\d+)"', drawing)
    ]
    # The drawing is printed 34 mm wide for 340 units: 24 units are 2.4 mm, about 7 pt.
    assert len(sizes) == 4 and min(sizes) >= 24
