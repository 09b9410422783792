"""The translation catalogues: every string the app can show exists in Danish, with the same
placeholders as the English source, and the compiled .mo files that ship are up to date.

When a test here fails after you added or changed a user-facing string, run

    scripts/translations.sh extract && scripts/translations.sh update

translate the new entries in diary/translations/da/LC_MESSAGES/messages.po (English needs no
msgstr: gettext falls back to the msgid), then `scripts/translations.sh compile` and commit the
.po, .pot and .mo files together.
"""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from diary.entries.codes import CODE_SETS

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "diary" / "translations"
SCRIPT = ROOT / "scripts" / "translations.sh"
LANGUAGES = ("da", "en")
FIX = "run scripts/translations.sh extract, update and compile (see this file's docstring)"

#: A Python %-format conversion: %(name)s, %(count)d, %(x).1f, %s, or the escaped %%.
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>\w+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<kind>[diouxXeEfFgGcrsa%])"
)


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def mo_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo"


def load_po(language: str):
    with po_path(language).open("rb") as file:
        return read_po(file, locale=language)


def forms(value) -> tuple[str, ...]:
    """A msgid or msgstr as a tuple of its forms (one, or one per plural form)."""
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value,)


def key(message_id) -> str:
    """The singular msgid, the catalogue's key for a message."""
    return forms(message_id)[0]


def placeholders(text: str) -> list[tuple[str | None, str]]:
    """The %-conversions of a string, as sorted (name, conversion) pairs, leaving out %%."""
    return sorted(
        ((match["name"], match["kind"]) for match in PLACEHOLDER.finditer(text) if match["kind"] != "%"),
        key=lambda pair: (pair[0] or "", pair[1]),
    )


def stray_percent(text: str) -> bool:
    """True if a % in the text is not part of a conversion (Jinja's newstyle gettext would fail)."""
    return "%" in PLACEHOLDER.sub("", text)


def pybabel_command(tmp_path: Path) -> str:
    """The pybabel of the Python running the tests, or a wrapper that runs Babel's CLI module."""
    sibling = Path(sys.executable).with_name("pybabel")
    if sibling.exists():
        return str(sibling)
    wrapper = tmp_path / "pybabel"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m babel.messages.frontend "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages a fresh extraction from the source finds, through the project's own script."""
    tmp_path = tmp_path_factory.mktemp("extraction")
    pot = tmp_path / "messages.pot"
    env = {**os.environ, "PYBABEL": pybabel_command(tmp_path), "POT": str(pot)}
    result = subprocess.run(
        ["bash", str(SCRIPT), "extract"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"extraction failed:\n{result.stdout}\n{result.stderr}"
    with pot.open("rb") as file:
        catalog = read_po(file)
    messages = [message for message in catalog if message.id]
    assert len(messages) > 50, "the extraction found suspiciously few messages"
    return messages


def test_it_extracts_the_code_labels_and_the_messages_of_python_and_templates(extracted):
    found = {key(message.id) for message in extracted}
    labels = {code.label for codes in CODE_SETS.values() for code in codes}
    assert not labels - found, "N_() labels in diary/entries/codes.py are not extracted"
    assert "Log in" in found  # a template string
    assert "Please log in to see your diary." in found  # lazy_gettext in Python
    assert "Password" in found  # _l() in the forms
    plural = [message for message in extracted if message.pluralizable]
    assert plural, "ngettext() in templates is not extracted with its plural"


def test_it_has_a_danish_translation_for_every_extracted_message(extracted):
    danish = load_po("da")
    problems = []
    for message in extracted:
        translated = danish.get(key(message.id))
        if translated is None:
            problems.append(f"missing: {key(message.id)!r}")
            continue
        if forms(translated.id) != forms(message.id):
            problems.append(f"plural differs from the source: {key(message.id)!r}")
        if translated.fuzzy:
            problems.append(f"fuzzy: {key(message.id)!r}")
        strings = forms(translated.string)
        if not all(string.strip() for string in strings):
            problems.append(f"untranslated: {key(message.id)!r}")
        if message.pluralizable and len(strings) != danish.num_plurals:
            problems.append(f"needs {danish.num_plurals} plural forms: {key(message.id)!r}")
    assert not problems, f"Danish catalogue is incomplete ({FIX}):\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_every_extracted_message_in_each_catalogue(extracted, language):
    catalog = load_po(language)
    missing = [key(message.id) for message in extracted if key(message.id) not in catalog]
    assert not missing, f"{language} catalogue lacks messages ({FIX}): {missing}"
    assert not [message.id for message in catalog if message.id and message.fuzzy], (
        f"fuzzy {language} entries"
    )


def test_it_keeps_every_placeholder_in_the_danish_translations():
    danish = load_po("da")
    problems = []
    for message in danish:
        if not message.id:
            continue
        sources = forms(message.id)
        allowed = set(placeholders(" ".join(sources)))
        for index, string in enumerate(forms(message.string)):
            if not string:
                continue
            found = placeholders(string)
            if stray_percent(string):
                problems.append(f"a lone % (write %% or drop it) in {string!r}")
            if message.pluralizable and index == 0:
                # The singular may say "one" in words instead of using the number.
                if not set(found) <= allowed:
                    problems.append(
                        f"{key(message.id)!r}: {string!r} has {found}, the source {sorted(allowed)}"
                    )
            elif found != placeholders(sources[min(index, len(sources) - 1)]):
                problems.append(f"{key(message.id)!r}: {string!r} has {found}")
    for message, errors in danish.check():
        problems.extend(f"{key(message.id)!r}: {error}" for error in errors)
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_ships_compiled_catalogues_that_match_their_po_files(language):
    assert mo_path(language).exists(), f"{mo_path(language)} is missing: run scripts/translations.sh compile"
    catalog = load_po(language)
    fresh = io.BytesIO()
    write_mo(fresh, catalog)
    fresh.seek(0)
    expected = read_mo(fresh)
    with mo_path(language).open("rb") as file:
        committed = read_mo(file)

    def messages(mo_catalog):
        return {forms(message.id): forms(message.string) for message in mo_catalog if message.id}

    assert committed.plural_forms == expected.plural_forms
    assert messages(committed) == messages(expected), (
        f"{mo_path(language).relative_to(ROOT)} is older than its .po: run scripts/translations.sh compile"
    )


@pytest.mark.parametrize(
    ("accept_language", "lang", "wanted", "unwanted"),
    [
        ("da", "da", ["<h1>Log ind</h1>", "Adgangskode", "Opret en dagbog"], ["<h1>Log in</h1>", "Password"]),
        ("da-DK,da;q=0.9,en;q=0.5", "da", ["<h1>Log ind</h1>", "Adgangskode"], ["<h1>Log in</h1>"]),
        ("en", "en", ["<h1>Log in</h1>", "Password", "Create a diary"], ["Log ind", "Adgangskode"]),
        ("en-GB,en;q=0.9", "en", ["<h1>Log in</h1>", "Password"], ["Log ind", "Adgangskode"]),
        (None, "da", ["<h1>Log ind</h1>", "Adgangskode"], ["<h1>Log in</h1>"]),
    ],
)
def test_it_renders_the_page_in_the_browsers_language(client, accept_language, lang, wanted, unwanted):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = client.get("/login", headers=headers)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in body
    for text in wanted:
        assert text in body
    for text in unwanted:
        assert text not in body


@pytest.mark.parametrize(
    ("language", "after_birth", "expected"),
    [("da", False, "uge 28+3"), ("da", True, "uge 2+4 efter fødslen"), ("en", False, "week 28+3")],
)
def test_it_formats_translated_placeholders_at_run_time(app, language, after_birth, expected):
    from diary.entries.pregnancy import Stage
    from diary.web.i18n import stage_label

    weeks, days = (2, 4) if after_birth else (28, 3)
    with app.test_request_context("/", headers={"Accept-Language": language}):
        assert stage_label(Stage(after_birth=after_birth, weeks=weeks, days=days)) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "full_date": "Friday 4 December 2026",
                "long_date": "4 December 2026",
                "medium_date": "4 Dec 2026",
                "day_month": "Fri 4 Dec",
                "date_no_year": "4 Dec",
                "month_year": "December 2026",
            },
        ),
        (
            "da",
            {
                "full_date": "fredag den 4. december 2026",
                "long_date": "4. december 2026",
                "medium_date": "4. dec. 2026",
                "month_year": "december 2026",
            },
        ),
    ],
)
def test_it_writes_dates_the_danish_way_or_the_british_way(app, language, expected):
    from datetime import date

    with app.test_request_context("/", headers={"Accept-Language": language}):
        for name, text in expected.items():
            assert app.jinja_env.filters[name](date(2026, 12, 4)) == text, name


def test_it_writes_a_british_time_in_the_users_time_zone(app):
    from datetime import datetime

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert app.jinja_env.filters["short_datetime"](datetime(2026, 12, 4, 17, 30)) == "04/12/2026, 18:30"


#: Nouns a count meets, singular and plural, in the words the catalogues use.
NOUNS = {
    "da": [
        ("dag", "dage"),
        ("uge", "uger"),
        ("gang", "gange"),
        ("time", "timer"),
        ("nat", "nætter"),
        ("problem", "problemer"),
        ("opvågning", "opvågninger"),
        ("udfyldt", "udfyldte"),
    ],
    "en": [
        ("day", "days"),
        ("week", "weeks"),
        ("time", "times"),
        ("hour", "hours"),
        ("night", "nights"),
        ("problem", "problems"),
        ("waking", "wakings"),
        ("item", "items"),
    ],
}


def plural_messages() -> list[tuple[str, str]]:
    """Every message with a plural, as its (singular, plural) msgids."""
    return [tuple(message.id) for message in load_po("da") if message.id and message.pluralizable]


def words_after(text: str, number: int) -> list[str]:
    """The two words after each standalone occurrence of the number."""
    found = []
    for match in re.finditer(rf"(?<![\d.,]){number}(?![\d.,]\d)", text):
        found.extend(re.findall(r"[^\W\d]+", text[match.end() :])[:2])
    return found


def test_there_are_plural_messages_to_check():
    assert len(plural_messages()) >= 10


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("message", plural_messages(), ids=lambda message: message[0][:40])
def test_every_count_meets_its_noun_in_the_right_form(app, language, message):
    """Each ngettext string rendered with 1 and 2: never "1 weeks" or "2 dag", in either language."""
    from flask_babel import ngettext

    singular, plural = message
    names = {name for name, _ in placeholders(singular + plural) if name and name != "num"}
    with app.test_request_context("/", headers={"Accept-Language": language}):
        one = ngettext(singular, plural, 1, **{name: "x" for name in names})
        two = ngettext(singular, plural, 2, **{name: "x" for name in names})
    assert one != two or language == "da", (one, two)  # Danish "råd" is the same in both
    singulars = {pair[0] for pair in NOUNS[language]}
    plurals = {pair[1] for pair in NOUNS[language]}
    if "%(num)" not in singular + plural:  # a label under a big figure: its first word is the noun
        assert one.split()[0] in singulars and two.split()[0] in plurals, (one, two)
        return
    assert words_after(one, 1) and words_after(two, 2), (one, two)
    assert not set(words_after(one, 1)) & plurals, one
    assert not set(words_after(two, 2)) & singulars, two
