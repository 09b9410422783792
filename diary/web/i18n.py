"""Danish and English: locale choice, translated labels and date formatting."""

from datetime import date, datetime, timezone

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_skeleton, get_day_names
from flask import request
from flask_babel import Babel, format_decimal, get_locale, get_timezone, gettext
from flask_login import current_user

from diary.accounts.passwords import MIN_LENGTH
from diary.entries.codes import label_of
from diary.entries.pregnancy import Stage

LANGUAGES = {"da": "Dansk", "en": "English"}
DEFAULT_LANGUAGE = "da"
LANGUAGE_COOKIE = "lang"
BRITISH = Locale("en", "GB")
#: English full dates without the comma Babel puts after the weekday: "Friday 4 December 2026".
ENGLISH_FULL_DATE = "EEEE d MMMM y"
# Today's date on the log page, without the year: "fredag den 4. december", "Friday 4 December".
WEEKDAY_DATE = {"da": "EEEE 'den' d. MMMM", "en": "EEEE d MMMM"}

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


def stage_week(stage: Stage | None) -> str:
    """The week of pregnancy alone, as a week's row reads it: "uge 27" or "uge 2 efter fødslen"."""
    if stage is None:
        return ""
    if stage.after_birth:
        return gettext("week %(weeks)d after birth", weeks=stage.weeks)
    return gettext("week %(weeks)d", weeks=stage.weeks)


def date_locale() -> Locale:
    """The locale dates are written in: the page's, with English in its British form."""
    locale = get_locale() or Locale.parse(DEFAULT_LANGUAGE)
    return BRITISH if locale.language == "en" else locale


def format_day(day: date, form: str = "medium") -> str:
    """A date in the page's language: "fredag den 4. december 2026", "Friday 4 December 2026".

    A stored moment (a naive UTC datetime) is written as the day it was in the user's time zone.
    """
    if isinstance(day, datetime):
        day = day.replace(tzinfo=timezone.utc).astimezone(get_timezone()).date()
    locale = date_locale()
    if form == "full" and locale.language == "en":
        form = ENGLISH_FULL_DATE
    return babel_format_date(day, form, locale=locale)


def weekday_date(day: date) -> str:
    """A day of this year as the log page names it: "fredag den 4. december", "Friday 4 December"."""
    locale = date_locale()
    return babel_format_date(day, WEEKDAY_DATE.get(locale.language, "EEEE d MMMM"), locale=locale)


def format_moment(moment: datetime, form: str = "short") -> str:
    """A naive UTC time in the user's time zone and the page's language."""
    return babel_format_datetime(
        moment.replace(tzinfo=timezone.utc), form, tzinfo=get_timezone(), locale=date_locale()
    )


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
    app.jinja_env.filters["stage_week"] = stage_week
    app.jinja_env.filters["full_date"] = lambda day: format_day(day, "full")
    app.jinja_env.filters["weekday_date"] = weekday_date
    app.jinja_env.filters["long_date"] = lambda day: format_day(day, "long")
    app.jinja_env.filters["medium_date"] = lambda day: format_day(day, "medium")
    app.jinja_env.filters["day_month"] = lambda day: format_skeleton("MMMEd", day, locale=date_locale())
    # Without the weekday, for rows under a heading that gives the year: "3. nov.", "Nov 3".
    app.jinja_env.filters["date_no_year"] = lambda day: format_skeleton("MMMd", day, locale=date_locale())
    app.jinja_env.filters["month_year"] = lambda day: format_skeleton("yMMMM", day, locale=date_locale())
    app.jinja_env.filters["short_datetime"] = lambda moment: format_moment(moment, "short")
    app.jinja_env.filters["one_decimal"] = lambda value: format_decimal(value, format="0.0")
    app.jinja_env.globals["weekday_names"] = weekday_names
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["password_min_length"] = MIN_LENGTH
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(lambda: {"current_language": current_language()})
