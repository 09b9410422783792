"""The warning signs: every sign of FACTS.md on one page in both languages, "right away" and
never "the same day", her group first, whom to call at her week, and one-tap calls."""

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest

from diary.advice.items import ADVICE_FOLDER, load_library
from diary.advice.warning_signs import warning_order
from diary.models import User

LIBRARY = load_library()
PROJECT = ADVICE_FOLDER.parent

# Every sign of FACTS.md "When to call now, not wait", as the page words it.
PREGNANCY_SIGNS = {
    "da": [
        "blødning fra skeden",
        "væske, der siver eller løber fra skeden",
        "barnet bevæger sig mindre",
        "før uge 37: sammentrækninger",
        "dump smerte lavt i ryggen",
        "tryk ned i bækkenet, der kommer og går",
        "mavesmerter, der ikke går væk, eller som er stærke",
        "en mave, der bliver hård og bliver ved med at være hård",
        "feber eller kulderystelser",
        "ansigtet eller hænderne hæver pludselig",
        "voldsom hovedpine",
        "lysglimt",
        "smerter under ribbenene i højre side",
        "kløe over hele kroppen",
    ],
    "en": [
        "bleeding from the vagina",
        "fluid trickling or running from the vagina",
        "the baby moving less than usual",
        "before week 37: tightenings",
        "dull pain low in the back",
        "pressure down in the pelvis that comes and goes",
        "belly pain that does not go away, or that is strong",
        "a belly that goes hard and stays hard",
        "fever or chills",
        "sudden swelling of the face or hands",
        "a severe headache",
        "flashes of light",
        "pain under the ribs on the right side",
        "itching all over the body",
    ],
}
RED_FLAGS = {
    "da": [
        "huden i skridtet eller på indersiden af lårene",
        "et ben er blevet svagt eller følelsesløst",
        "holde på eller at komme af med urin eller afføring",
        "den ene læg er hævet, øm eller varm",
        "ondt i brystet, pludselig åndenød eller hoster blod op: ring 112",
        "føles, som om det svigter, fordi det gør ondt",
        "svagt eller følelsesløst uden at gøre ondt",
    ],
    "en": [
        "crotch or on the inside of your thighs",
        "a leg has become weak or numb",
        "hard to hold or to pass urine or stool",
        "one calf is swollen, sore or warm",
        "chest pain, sudden breathlessness or cough up blood: call 112",
        "feel as if it gives way because it hurts",
        "weak or numb without hurting",
    ],
}
AFTER_BIRTH_SIGNS = {
    "da": [
        "du bløder kraftigt",
        "du får feber",
        "den ene læg er hævet",
        "du får voldsom hovedpine",
        "ny og stærk smerte ved skambenet, så det er svært at stå eller gå",
        "de første dage efter fødslen",
        "fødestedet",
        "din egen læge",
    ],
    "en": [
        "heavy bleeding",
        "a fever",
        "one calf that is swollen",
        "a severe headache",
        "new, severe pain at the pubic bone that makes it hard to stand or walk",
        "in the first days after the birth",
        "the place where you gave birth",
        "your own doctor",
    ],
}
WHOM_TO_CALL = {
    "da": ["før uge 20: din egen læge", "lægevagt", "fra uge 20: fødemodtagelsen", "ved livsfare: ring 112"],
    "en": [
        "before week 20: your own doctor",
        "medical helpline",
        "from week 20: the maternity reception",
        "if life is in danger: call 112",
    ],
}
RIGHT_AWAY = {"da": "med det samme", "en": "right away"}
# Words that let her wait: none may stand in a sentence about calling or a sign.
WAITING = re.compile(
    r"samme dag|same day|senere i dag|later today|inden for et døgn|within 24 hours|"
    r"næste hverdag|next working day",
    re.IGNORECASE,
)
ACUTE = re.compile(
    r"\b(ring|kontakt|tegn|blød|feber|vand|væske|call|contact|sign|bleed|fever|fluid|warning)", re.IGNORECASE
)


def page_text(page: str) -> str:
    """A page's visible words, lower case, with one space between them."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).replace(" :", ":").lower()


def warning_page(client, language: str) -> str:
    return client.get("/advice/warning-signs", headers={"Accept-Language": language}).get_data(as_text=True)


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_page_names_every_sign_both_groups_and_after_birth_and_whom_to_call(client, language):
    text = page_text(warning_page(client, language))
    for group in (PREGNANCY_SIGNS, RED_FLAGS, AFTER_BIRTH_SIGNS, WHOM_TO_CALL):
        for sign in group[language]:
            assert sign in text, sign


# Items that describe pain a warning sign can hide behind, and the sign each must point to.
LOOK_ALIKES = {
    "not-ordinary-aches": (
        "/advice/warning-signs",
        {"da": "kommer og går i bølger før uge 37", "en": "comes and goes in waves before week 37"},
    ),
    "how-it-feels": (
        "/advice/red-flags",
        {"da": "svagt eller følelsesløst uden at gøre ondt", "en": "weak or numb without pain"},
    ),
}


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("advice_id", sorted(LOOK_ALIKES))
def test_items_about_ordinary_pain_point_to_the_sign_it_can_hide(advice_id, language):
    link, words = LOOK_ALIKES[advice_id]
    text = LIBRARY[advice_id].html[language]
    assert f'href="{link}"' in text and words[language] in text
    assert "ring med det samme" in text.lower() or "call right away" in text.lower()


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("advice_id", ["warning-signs", "red-flags", "warning-signs-after-birth"])
def test_every_warning_item_says_call_right_away(advice_id, language):
    item = LIBRARY[advice_id]
    assert RIGHT_AWAY[language] in item.body[language].lower()
    assert RIGHT_AWAY[language] in (item.title[language] + item.summary[language]).lower()


def sentences_of(path: Path) -> list[str]:
    """The sentences of a content file (catalogue entries, advice, rules, templates) that a user may read."""
    text = path.read_text(encoding="utf-8")
    return [sentence for sentence in re.split(r"(?<=[.!?:])\s+|\n\s*\n|\n- ", text) if sentence.strip()]


CONTENT = sorted(
    [
        *ADVICE_FOLDER.glob("*.md"),
        *(PROJECT / "templates").rglob("*.html"),
        *(PROJECT / "diary" / "translations").rglob("*.po"),
    ]
)


@pytest.mark.parametrize("path", CONTENT, ids=[str(path.relative_to(PROJECT)) for path in CONTENT])
def test_no_sign_or_call_is_paired_with_the_same_day_or_anything_that_lets_her_wait(path):
    if path.name == "README.md":
        return  # the contributors' guide names the forbidden words in order to forbid them
    waiting = [s for s in sentences_of(path) if WAITING.search(s) and ACUTE.search(s)]
    assert not waiting, waiting


def test_no_rule_reason_sends_her_to_signs_that_need_a_call_the_same_day():
    path = PROJECT / "diary" / "advice" / "rules.toml"
    waiting = [s for s in sentences_of(path) if WAITING.search(s)]
    assert not waiting, waiting


def test_no_advice_item_says_the_same_day_at_all():
    for path in ADVICE_FOLDER.glob("*.md"):
        if path.name != "README.md":
            assert not re.search(r"samme dag|same day", path.read_text(encoding="utf-8"), re.IGNORECASE), (
                path.name
            )


def test_112_is_a_tappable_link_in_the_box_in_the_text_and_at_the_end(client):
    page = warning_page(client, "da")
    assert page.count('href="tel:112"') >= 4  # the call box, the items' texts, and "call now" at the end
    assert call_box(page).count("112") >= 1


def call_box(page: str) -> str:
    """The call box's HTML: whom to call and her one-tap calls."""
    return re.search(r'<div class="call-box".*?</div>', page, re.DOTALL)[0]


def set_stage(client, today, language="en", **stage):
    form = {"profile-due_date": "", "profile-birth_date": "", "profile-language": language}
    if "days_to_due" in stage:
        form["profile-due_date"] = (today + timedelta(days=stage["days_to_due"])).isoformat()
    if "born_days_ago" in stage:
        born = today - timedelta(days=stage["born_days_ago"])
        form["profile-due_date"] = form["profile-birth_date"] = born.isoformat()
    assert client.post("/settings", data=form).status_code == 302


@pytest.mark.parametrize(
    "stage, expected, not_expected",
    [
        ({"days_to_due": 12 * 7}, "maternity reception", "your own doctor"),  # 28+0
        ({"days_to_due": 20 * 7}, "maternity reception", "your own doctor"),  # 20+0: from week 20
        ({"days_to_due": 20 * 7 + 1}, "your own doctor", "maternity reception"),  # 19+6
        ({"days_to_due": 25 * 7}, "your own doctor", "maternity reception"),  # 15+0
        ({"born_days_ago": 10}, "the place where you gave birth", "maternity reception"),
        ({}, "from week 20", "you are in"),
    ],
)
def test_whom_to_call_depends_on_the_gestational_week(client, alice, today, stage, expected, not_expected):
    set_stage(client, today, **stage)
    box = page_text(call_box(client.get("/advice/warning-signs").get_data(as_text=True)))
    assert expected in box and not_expected not in box, box
    assert "call 112" in box


def test_after_birth_the_box_names_the_birth_place_first_days_then_her_doctor(client, alice, today):
    set_stage(client, today, language="da", born_days_ago=18)
    box = page_text(call_box(client.get("/advice/warning-signs").get_data(as_text=True)))
    assert "uge 2+4 efter fødslen" in box
    assert "de første dage" in box and "egen læge" in box and "lægevagt" in box and "ring 112" in box
    assert "fødemodtagelsen" not in box and "uge 20" not in box


def headings_in_order(page: str) -> list[str]:
    return [page_text(heading) for heading in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", page, re.DOTALL)]


def test_after_birth_her_signs_come_first_and_in_pregnancy_the_pregnancy_signs(client, alice, today):
    set_stage(client, today, days_to_due=70)
    pregnant = headings_in_order(client.get("/advice/warning-signs").get_data(as_text=True))
    assert pregnant[0] == LIBRARY["warning-signs"].title["en"].lower()
    set_stage(client, today, born_days_ago=5)
    born = headings_in_order(client.get("/advice/warning-signs").get_data(as_text=True))
    assert born[0] == LIBRARY["warning-signs-after-birth"].title["en"].lower()
    assert born.index(LIBRARY["red-flags"].title["en"].lower()) < born.index(
        LIBRARY["warning-signs"].title["en"].lower()
    )


def test_a_birth_date_over_a_year_ago_still_shows_the_after_birth_signs_first(client, alice, today, app):
    with app.app_context():
        User.update(birth_date=today - timedelta(days=500), due_date=None, language="en").where(
            User.id == alice.id
        ).execute()
    page = client.get("/advice/warning-signs").get_data(as_text=True)
    assert headings_in_order(page)[0] == LIBRARY["warning-signs-after-birth"].title["en"].lower()


@pytest.mark.parametrize(
    "requested, after_birth, expected",
    [
        ("warning-signs", False, ["warning-signs", "red-flags", "warning-signs-after-birth"]),
        ("warning-signs", True, ["warning-signs-after-birth", "red-flags", "warning-signs"]),
        ("red-flags", False, ["red-flags", "warning-signs", "warning-signs-after-birth"]),
        ("warning-signs-after-birth", False, ["warning-signs-after-birth", "red-flags", "warning-signs"]),
    ],
)
def test_the_item_she_opened_comes_first_and_the_red_flags_next(requested, after_birth, expected):
    assert warning_order(requested, after_birth) == expected


@pytest.mark.parametrize("advice_id", ["red-flags", "warning-signs-after-birth"])
def test_each_warning_item_opens_the_whole_warning_page(client, advice_id):
    page = client.get(f"/advice/{advice_id}").get_data(as_text=True)
    assert 'class="call-box"' in page
    for other in ("warning-signs", "red-flags", "warning-signs-after-birth"):
        assert f'id="{other}"' in page


def test_without_saved_numbers_the_box_offers_112_and_a_way_to_save_hers(client, alice):
    box = call_box(client.get("/advice/warning-signs").get_data(as_text=True))
    assert 'href="tel:112"' in box
    assert 'href="tel:+' not in box
    assert 'href="/settings#phone-numbers"' in box


def test_an_anonymous_reader_gets_112_and_no_settings_link(client):
    box = call_box(client.get("/advice/warning-signs").get_data(as_text=True))
    assert 'href="tel:112"' in box and "/settings" not in box
