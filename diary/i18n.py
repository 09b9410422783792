"""Danish and English: locale choice, translated labels and date formatting."""

from datetime import date, datetime, timezone

from flask import request
from babel.dates import format_skeleton, get_day_names
from flask_babel import Babel, format_date, format_datetime, format_decimal, get_locale, gettext
from flask_login import current_user

from .codes import label_of
from .passwords import MIN_LENGTH
from .pregnancy import Stage

LANGUAGES = {"da": "Dansk", "en": "English"}
DEFAULT_LANGUAGE = "da"
LANGUAGE_COOKIE = "lang"

babel = Babel()


def select_locale() -> str:
    """The user's own setting, else a chosen language cookie, else the browser's, else Danish."""
    if current_user and current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """The language of this request: "da" or "en"."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def code_label(code: str, field: str) -> str:
    """The translated label of a code of one of the entry's code sets."""
    return gettext(label_of(field, code))


def stage_label(stage: Stage | None) -> str:
    """The stage of pregnancy as she would say it: "uge 28+3" or "uge 2+4 efter fødslen"."""
    if stage is None:
        return ""
    if stage.after_birth:
        return gettext("week %(weeks)d+%(days)d after birth", weeks=stage.weeks, days=stage.days)
    return gettext("week %(weeks)d+%(days)d", weeks=stage.weeks, days=stage.days)


def parse_iso(text: str):
    """A date (YYYY-MM-DD) or a naive UTC datetime (…Z) from the API's ISO strings."""
    if len(text) == 10:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc).replace(tzinfo=None)


def weekday_names() -> list[tuple[str, str]]:
    """Monday to Sunday as (abbreviation, full name) in the current language."""
    locale = get_locale()
    short = get_day_names("abbreviated", locale=locale)
    full = get_day_names("wide", locale=locale)
    return [(short[index], full[index]) for index in range(7)]


def init_app(app) -> None:
    """Wire Flask-Babel and the template helpers into the app."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Copenhagen")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["code_label"] = code_label
    app.jinja_env.filters["stage_label"] = stage_label
    app.jinja_env.filters["full_date"] = lambda day: format_date(day, "full")
    app.jinja_env.filters["long_date"] = lambda day: format_date(day, "long")
    app.jinja_env.filters["medium_date"] = lambda day: format_date(day, "medium")
    app.jinja_env.filters["day_month"] = lambda day: format_skeleton("MMMEd", day, locale=get_locale())
    # Without the weekday, for rows under a heading that gives the year: "3. nov.", "Nov 3".
    app.jinja_env.filters["date_no_year"] = lambda day: format_skeleton("MMMd", day, locale=get_locale())
    app.jinja_env.filters["month_year"] = lambda day: format_skeleton("yMMMM", day, locale=get_locale())
    app.jinja_env.filters["parse_iso"] = parse_iso
    app.jinja_env.filters["short_datetime"] = lambda moment: format_datetime(moment, "short")
    app.jinja_env.filters["one_decimal"] = lambda value: format_decimal(value, format="0.0")
    app.jinja_env.globals["weekday_names"] = weekday_names
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["password_min_length"] = MIN_LENGTH
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(lambda: {"current_language": current_language()})
