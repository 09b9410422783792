"""Cross-site scripting: a corpus of classic payloads typed into every place a diarist can type
(notes, her display name, share settings, the advice search, her email address) comes back
only as text — on every page, in the midwife's report and in its PDF — never as markup.

Pages are read with the standard library's HTML parser, so the checks look at the elements and
attributes a browser would build rather than at substrings. Each test runs the whole corpus and
names every payload that got through, not just the first.
"""

import io
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from markupsafe import escape
from pypdf import PdfReader

from diary.entries.store import ENTRY_FIELDS
from diary.sanitize import plain_text, without_control_characters
from tests.conftest import PASSWORD, Auth
from tests.support.shares import make_share, path_of, pdf_text

LONG_PAYLOAD = ('<img src=x onerror=alert(20)>"><script>alert(20)</script>' * 40)[:2000]

#: (id, payload): classic XSS and template-injection strings, each to be stored and shown as text.
CORPUS = [
    ("script", "<script>alert(1)</script>"),
    ("img-onerror", '"><img src=x onerror=alert(2)>'),
    ("javascript-url", "javascript:alert(3)"),
    ("svg-onload", "<svg onload=alert(4)>"),
    ("textarea-breakout", "</textarea><script>alert(5)</script>"),
    ("jinja", "{{7*7}}"),
    ("jinja-config", "{{ config }}{{ 1337*1337 }}{% print(271*9973) %}"),
    ("rsnake-locator", "'';!--\"<XSS>=&{()}"),
    ("style-expression", '<div style="width: expression(alert(9))">x</div>'),
    (
        "style-tag",
        "<style>@import 'javascript:alert(10)';body{background:url(\"javascript:alert(10)\")}</style>",
    ),
    ("style-attribute-breakout", 'x" style="background:url(javascript:alert(11))'),
    ("entity-encoded", "&lt;script&gt;alert(12)&lt;/script&gt;"),
    ("nested-tags", "<scr<script>ipt>alert(13)</scr</script>ipt>"),
    ("fullwidth-brackets", "\uff1cscript\uff1ealert(14)\uff1c/script\uff1e"),
    ("overlong-utf8-as-text", "\u00c0\u00bcscript\u00c0\u00bealert(15)\u00c0\u00bc/script\u00c0\u00be"),
    ("null-byte", "&lt;scr\x00ipt&gt;alert(16)&lt;/scr\x00ipt&gt;"),
    ("mixed-case-url", '<IMG SRC=JaVaScRiPt:alert(17)><a href="jav&#x09;ascript:alert(17)">link</a>'),
    ("mutation-noscript", '<noscript><p title="</noscript><img src=x onerror=alert(18)>">'),
    ("mutation-math", "<math><mtext><table><mglyph><style><img src=x onerror=alert(19)>"),
    ("long-2000", LONG_PAYLOAD),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(21)</script>"></iframe>'),
    ("comment-breakout", "--><script>alert(22)</script><!--"),
    ("bidi-and-zero-width", "\u202e<scr\u200bipt>alert(23)</scr\u200bipt>\u202c"),
]
PAYLOADS = [payload for _, payload in CORPUS]
IDS = [name for name, _ in CORPUS]
#: Payloads short enough for a display name (60 characters at most).
SHORT = [(name, payload) for name, payload in CORPUS if len(payload) <= 60]

#: What a template engine would print had it evaluated the template-injection payloads.
EVALUATED = ["1787569", "2702683", "&lt;Config", "<Config"]
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
    "ping",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "livescript:")
#: Elements that never belong on these pages, whatever their attributes.
FOREIGN_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "style",
    "xss",
    "mglyph",
    "math",
    "mtext",
    "marquee",
}
#: Elements whose text the tests read back.
TEXT_ELEMENTS = {"textarea", "script", "style", "dd", "dt", "title", "span", "p", "li", "h1", "h2"}


@dataclass
class Element:
    tag: str
    attrs: dict
    text: str = ""


class ParsedPage(HTMLParser):
    """The elements of a page as a browser's tokenizer sees them, with the text of some of them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag in TEXT_ELEMENTS:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data

    def find(self, tag, **attrs) -> list[Element]:
        return [
            e for e in self.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())
        ]

    def after(self, marker: Element, tag: str) -> list[Element]:
        """The elements of one kind that come after another one."""
        start = next(index for index, element in enumerate(self.elements) if element is marker)
        return [element for element in self.elements[start + 1 :] if element.tag == tag]


def parse(html: str) -> ParsedPage:
    page = ParsedPage()
    page.feed(html)
    page.close()
    return page


def normalised_url(value: str) -> str:
    """A URL attribute as a browser reads its scheme: control characters and spaces ignored."""
    return re.sub(r"[\x00-\x20]", "", value).lower()


def _elements_of_payloads() -> set[tuple[str, frozenset]]:
    """Every element with attributes the corpus would create if a page printed it raw."""
    made = set()
    for payload in PAYLOADS:
        for element in parse(payload).elements:
            if element.attrs:
                made.add((element.tag, frozenset(element.attrs.items())))
    return made


PAYLOAD_ELEMENTS = _elements_of_payloads()


def injected_markup(html: str, secret_key: str = "") -> list[str]:
    """Every sign on a page that a payload became markup, or that a template evaluated it."""
    problems = []
    for element in parse(html).elements:
        where = f"<{element.tag} {element.attrs}>"
        if element.tag == "script":
            own = element.attrs.get("type") == "module" and re.match(
                r"/static/[0-9a-f]+/js/", element.attrs.get("src", "")
            )
            own = own and set(element.attrs) == {"type", "src"} and not element.text.strip()
            fields = element.attrs == {"type": "application/json", "id": "entry-fields"}
            if not own and not (fields and element.text == json.dumps(list(ENTRY_FIELDS))):
                problems.append(f"a script that is not the app's own: {where} {element.text[:80]!r}")
        if element.tag in FOREIGN_ELEMENTS:
            problems.append(f"a foreign element: {where}")
        if (element.tag, frozenset(element.attrs.items())) in PAYLOAD_ELEMENTS:
            problems.append(f"an element made by a payload: {where}")
        for name, value in element.attrs.items():
            if name.startswith("on"):
                problems.append(f"an event handler attribute: {where}")
            if name == "style":
                problems.append(
                    f"a style attribute (the app uses none; its CSP forbids inline style): {where}"
                )
            if name == "srcdoc":
                problems.append(f"an inline document: {where}")
            if name in URL_ATTRIBUTES and normalised_url(value).startswith(DANGEROUS_SCHEMES):
                problems.append(f"a script URL: {where}")
            if name == "http-equiv" and value.lower() == "refresh":
                problems.append(f"a meta refresh: {where}")
    problems += [
        f"a template evaluated a payload: {found!r} is on the page" for found in EVALUATED if found in html
    ]
    if secret_key and secret_key in html:
        problems.append("the secret key is on the page")
    return problems


def assert_only_text(response, app) -> ParsedPage:
    """The response is a page on which no payload became markup; returns it parsed."""
    html = response.get_data(as_text=True)
    problems = injected_markup(html, app.config["SECRET_KEY"])
    assert not problems, "\n".join(problems)
    return parse(html)


class Failures:
    """Collects what went wrong for each payload, so one test reports every payload that got through."""

    def __init__(self):
        self.found: dict[str, str] = {}

    def check(self, name: str, check, *args):
        try:
            check(*args)
        except AssertionError as failure:
            self.found[name] = str(failure) or repr(failure)

    def assert_none(self):
        assert not self.found, "\n\n".join(f"[{name}] {problem}" for name, problem in self.found.items())


# --- storing the corpus -------------------------------------------------------------------


def corpus_days(today) -> list:
    """One day per payload: today for the first, then one day further back for each next one."""
    return [today - timedelta(days=offset) for offset in range(len(CORPUS))]


def store_notes(client, today) -> dict:
    """Log one day per payload with the payload as its note; returns the stored notes by day."""
    stored = {}
    for day, payload in zip(corpus_days(today), PAYLOADS, strict=True):
        response = client.put(
            f"/api/v1/entries/{day}",
            json={"pain": 5, "locations": ["symphysis"], "triggers": ["stairs"], "note": payload},
        )
        assert response.status_code == 200, response.get_json()
        stored[day] = response.get_json()["note"]
    return stored


@pytest.fixture
def notes(client, alice, today) -> dict:
    """Alice's diary with the corpus as the notes of her last days."""
    return store_notes(client, today)


@pytest.fixture
def report_share(client, notes) -> dict:
    """A report link of her last four weeks, notes included."""
    return make_share(client, include_notes=True)


def set_display_name(client, today, name):
    """Save the settings form with a display name, as the page posts it."""
    return client.post(
        "/settings",
        data={
            "profile-due_date": (today + timedelta(weeks=12)).isoformat(),
            "profile-birth_date": "",
            "profile-display_name": name,
            "profile-language": "en",
        },
    )


# --- the checks themselves -----------------------------------------------------------------

#: Payloads that are markup nowhere (their danger is elsewhere: a link, a template engine).
#: Entity-encoded text stays as typed ("&lt;script&gt;"): the sanitiser never decodes it into a tag.
NEVER_MARKUP = {
    "javascript-url",
    "jinja",
    "jinja-config",
    "nested-tags",
    "fullwidth-brackets",
    "overlong-utf8-as-text",
    "bidi-and-zero-width",
    "entity-encoded",
    "null-byte",
}


def test_the_checks_catch_every_markup_payload_printed_raw():
    """A page that printed a payload, or the note the sanitiser kept, without escaping fails the checks."""
    missed = [
        name
        for name, payload in CORPUS
        if name not in NEVER_MARKUP
        and not injected_markup(f"<p>{payload}</p>")
        and not injected_markup(f"<p>{plain_text(payload)}</p>")
        and not injected_markup(f'<input value="{payload}">')
    ]
    assert missed == []
    assert injected_markup('<a href=" jav&#x09;ascript:alert(1)">x</a>')
    assert injected_markup("<p>1787569</p>") and injected_markup("<p>&lt;Config {'DEBUG': False}&gt;</p>")


# --- notes ----------------------------------------------------------------------------------


def test_every_note_is_stored_as_the_sanitisers_plain_text(client, alice, today):
    failures = Failures()

    def stored_plain(payload):
        response = client.put(f"/api/v1/entries/{today}", json={"pain": 4, "note": payload})
        assert response.status_code == 200
        assert response.get_json()["note"] == plain_text(payload)
        assert client.get(f"/api/v1/entries/{today}").get_json()["note"] == plain_text(payload)

    for name, payload in CORPUS:
        failures.check(name, stored_plain, payload)
    failures.assert_none()


def test_a_note_over_2000_characters_is_refused_and_not_echoed(client, alice, today):
    payload = LONG_PAYLOAD + "<svg onload=alert(99)>"
    response = client.put(f"/api/v1/entries/{today}", json={"pain": 4, "note": payload})
    assert response.status_code == 400
    assert "note" in response.get_json()["error"]["fields"]
    assert "alert(99)" not in response.get_data(as_text=True)
    assert client.get(f"/api/v1/entries/{today}").status_code == 404


def test_an_overlong_utf8_body_is_refused_as_invalid_json(client, alice, today):
    body = b'{"pain": 4, "note": "\xc0\xbcscript\xc0\xbealert(1)\xc0\xbc/script\xc0\xbe"}'
    response = client.put(f"/api/v1/entries/{today}", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid"
    assert client.get(f"/api/v1/entries/{today}").status_code == 404


@pytest.mark.parametrize("path", ["/", "/history", "/week", "/settings", "/shares", "/advice", "/privacy"])
def test_no_payload_becomes_markup_on_a_page(app, client, report_share, path):
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200
    assert_only_text(response, app)


def test_every_days_form_shows_its_note_as_escaped_text(app, client, notes, today):
    failures = Failures()

    def shown_as_text(day):
        response = client.get("/" if day == today else f"/entries/{day}")
        assert response.status_code == 200
        page = assert_only_text(response, app)
        (textarea,) = page.find("textarea", name="note")
        assert textarea.text == notes[day]
        assert str(escape(notes[day])) in response.get_data(as_text=True)

    for name, day in zip(IDS, corpus_days(today), strict=True):
        failures.check(name, shown_as_text, day)
    failures.assert_none()


def test_every_days_delete_page_has_no_markup(app, client, notes, today):
    failures = Failures()

    def no_markup(day):
        response = client.get(f"/entries/{day}/delete")
        assert response.status_code == 200
        assert_only_text(response, app)

    for name, day in zip(IDS, corpus_days(today), strict=True):
        failures.check(name, no_markup, day)
    failures.assert_none()


def test_a_refused_log_form_echoes_the_typed_note_as_text(app, client, alice, today):
    failures = Failures()

    def echoed_as_text(payload):
        response = client.post(f"/entries/{today}", data={"pain": "eleven", "note": payload})
        assert response.status_code == 400
        (textarea,) = assert_only_text(response, app).find("textarea", name="note")
        assert textarea.text == payload

    for name, payload in CORPUS:
        failures.check(name, echoed_as_text, payload)
    failures.assert_none()


def test_the_template_payload_is_shown_as_typed_not_evaluated(client, notes, today):
    day = today - timedelta(days=IDS.index("jinja"))
    html = client.get(f"/entries/{day}").get_data(as_text=True)
    assert "{{7*7}}" in html and ">49<" not in html


# --- the advice search echoes the query ---------------------------------------------------


def test_the_advice_search_echoes_every_query_as_text(app, client):
    failures = Failures()

    def echoed_as_text(payload):
        response = client.get("/advice", query_string={"q": payload})
        assert response.status_code == 200
        page = assert_only_text(response, app)
        (search,) = page.find("input", name="q")
        assert search.attrs["value"] == payload.strip()[:100]

    for name, payload in CORPUS:
        failures.check(name, echoed_as_text, payload)
    failures.assert_none()


@pytest.mark.parametrize(
    "payload", ["<script>alert(1)</script>", '"><svg onload=alert(2)>', "javascript:alert(3)"]
)
def test_an_unknown_advice_item_named_by_a_payload_is_a_plain_404(app, client, payload):
    response = client.get(f"/advice/{payload}")
    assert response.status_code == 404
    assert_only_text(response, app)


# --- payloads in addresses -------------------------------------------------------------------


def test_addresses_made_of_payloads_answer_without_markup(app, client, alice):
    failures = Failures()

    def answered_as_text(payload):
        quoted = quote(payload, safe="")
        for path in (f"/week/{quoted}", f"/entries/{quoted}", f"/r/{quoted}", f"/advice/{quoted}"):
            response = client.get(path)
            assert response.status_code in (200, 400, 404), (path, response.status_code)
            assert_only_text(response, app)
        for query in ({"month": payload}, {"q": payload}):
            response = client.get("/history", query_string=query)
            assert response.status_code in (200, 400, 404)
            assert_only_text(response, app)

    for name, payload in CORPUS:
        failures.check(name, answered_as_text, payload)
    failures.assert_none()


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "/\\evil.example",
        "//evil.example",
        "/\t/evil.example",
        "https://evil.example/",
    ],
)
def test_logging_in_never_sends_her_to_a_script_or_another_site(app, target):
    client = app.test_client()
    Auth(client).register()
    client.post("/logout")
    login_page = client.get("/login", query_string={"next": target})
    assert_only_text(login_page, app)
    response = client.post(
        "/login",
        data={"email": "alice@example.dk", "password": PASSWORD, "next": target},
        query_string={"next": target},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location, location


# --- the display name -----------------------------------------------------------------------


def test_a_display_name_is_shown_as_text_in_settings_and_in_the_report(app, client, alice, today):
    share = make_share(client)
    midwife = app.test_client()
    failures = Failures()

    def shown_as_text(payload):
        response = set_display_name(client, today, payload)
        assert response.status_code == 302, response.get_data(as_text=True)
        stored = without_control_characters(payload).strip()  # NUL and the like are dropped, nothing else
        (name_field,) = assert_only_text(client.get("/settings"), app).find(
            "input", name="profile-display_name"
        )
        assert name_field.attrs["value"] == stored
        report = midwife.get(path_of(share["url"]))
        assert report.status_code == 200
        names = [span.text for span in assert_only_text(report, app).find("span", **{"class": "report-name"})]
        assert names == ([stored] if stored else [])

    for name, payload in SHORT:
        failures.check(name, shown_as_text, payload)
    failures.assert_none()


@pytest.mark.parametrize(
    "payload", [LONG_PAYLOAD[:61], "<script>alert(1)</script>" * 3], ids=["61-chars", "75-chars"]
)
def test_a_too_long_display_name_is_refused_and_echoed_as_text(app, client, alice, today, payload):
    response = set_display_name(client, today, payload)
    assert response.status_code == 400
    (name_field,) = assert_only_text(response, app).find("input", name="profile-display_name")
    assert name_field.attrs["value"] == payload


# --- the share settings ---------------------------------------------------------------------


@pytest.mark.parametrize("share_field", ["from", "to", "include_notes", "expires_in_days"])
def test_a_payload_in_a_share_setting_is_refused_and_not_echoed(client, alice, share_field):
    failures = Failures()

    def refused(payload):
        response = client.post("/api/v1/shares", json={share_field: payload})
        assert response.status_code == 400
        assert response.mimetype == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert share_field in response.get_json()["error"]["fields"]
        assert payload not in response.get_data(as_text=True)

    for name, payload in CORPUS:
        failures.check(name, refused, payload)
    failures.assert_none()
    assert client.get("/api/v1/shares").get_json()["shares"] == []


def test_the_shares_form_refuses_payloads_and_echoes_them_as_text(app, client, alice):
    failures = Failures()

    def echoed_as_text(payload):
        response = client.post("/shares", data={"from": payload, "to": payload, "expires_in_days": payload})
        assert response.status_code == 400
        page = assert_only_text(response, app)
        for name in ("from", "to"):
            (date_field,) = page.find("input", name=name)
            assert date_field.attrs["value"] == payload

    for name, payload in CORPUS:
        failures.check(name, echoed_as_text, payload)
    failures.assert_none()
    assert client.get("/api/v1/shares").get_json()["shares"] == []


# --- the midwife's report and its PDF -------------------------------------------------------


def test_the_report_shows_every_note_as_escaped_text(app, notes, report_share):
    response = app.test_client().get(path_of(report_share["url"]))
    assert response.status_code == 200
    page = assert_only_text(response, app)
    (heading,) = page.find("h2", id="notes-title")
    assert sorted(dd.text for dd in page.after(heading, "dd")) == sorted(
        note for note in notes.values() if note
    )
    html = response.get_data(as_text=True)
    for note in notes.values():
        assert str(escape(note)) in html


NAME_IN_PDF = "<script>alert(31)</script>"


def test_the_report_pdf_has_the_payloads_as_text_and_no_script(app, client, notes, today, report_share):
    assert set_display_name(client, today, NAME_IN_PDF).status_code == 302
    response = app.test_client().get(path_of(report_share["pdf_url"]))
    assert response.status_code == 200  # an <img src=x> rendered as markup would have failed the fetcher
    assert response.mimetype == "application/pdf"
    for action in (b"/JavaScript", b"/JS", b"/Launch", b"/SubmitForm", b"/ImportData", b"/OpenAction"):
        assert action not in response.data, action
    reader = PdfReader(io.BytesIO(response.data))
    for pdf_page in reader.pages:
        for annotation in pdf_page.get("/Annots") or []:
            uri = str(annotation.get_object().get("/A", {}).get("/URI", ""))
            assert not normalised_url(uri).startswith(DANGEROUS_SCHEMES), uri
    text = squeezed(pdf_text(response.data))
    assert squeezed(NAME_IN_PDF) in text
    for day, note in notes.items():
        if "\u202e" in note:
            continue  # drawn right to left on purpose: its letters are in the PDF in visual order
        for marker in re.findall(r"alert\(\d+\)", note):
            assert marker in text, (day, marker)
    # Entity-encoded payloads are shown as typed, never decoded into a tag.
    for typed in (
        "&lt;script&gt;alert(12)&lt;/script&gt;",
        "&lt;script&gt;alert(16)&lt;/script&gt;",
        "{{7*7}}",
        "'';!--\"=&{()}",
    ):
        assert squeezed(typed) in text
    for evaluated in EVALUATED:
        assert evaluated not in text


def squeezed(text: str) -> str:
    """Text without white space, to compare across the PDF's line breaks."""
    return re.sub(r"\s+", "", text)


# --- the email address is typed too ---------------------------------------------------------


def test_an_email_address_with_markup_is_shown_as_text(app):
    failures = Failures()

    def shown_as_text(email):
        client = app.test_client()
        response = Auth(client).register(email)
        if response.status_code != 302:  # refusing it is fine, as long as the refusal has no markup
            assert response.status_code == 400
            assert_only_text(response, app)
            return
        page = assert_only_text(client.get("/settings"), app)
        assert any(email in element.text for element in page.find("p"))

    for email in (
        '"><svg/onload=alert(1)>@example.dk',
        "<script>alert(2)</script>@example.dk",
        "{{7*7}}@example.dk",
    ):
        failures.check(email, shown_as_text, email)
    failures.assert_none()
