"""The log page: today's form at /, any past day at /entries/<date>, and deleting a day."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from diary.advice.tips import todays_tips
from diary.advice.warning_signs import calls_for
from diary.clock import local_today
from diary.entries.codes import CODE_SETS, NIGHT_WAKINGS_MAX, NOTE_MAX_LENGTH
from diary.entries.entry import ENTRY_DEFAULTS, ENTRY_FIELDS
from diary.entries.pregnancy import stage_on
from diary.entries.store import delete_entry, get_entry, save_entry
from diary.entries.validation import InvalidEntry, form_to_entry, lower_bound, validate_entry
from diary.models import utc_now
from diary.web.errors import translated
from diary.web.i18n import current_language, format_day

bp = Blueprint("log", __name__)

#: A day not logged yet: every field at its default, and no pain chosen.
EMPTY_ENTRY = {name: ENTRY_DEFAULTS.get(name) for name in ENTRY_FIELDS}


def _render_form(day: date, submitted: dict | None = None, errors: dict | None = None, status: int = 200):
    """The log form for a day: the submitted answers when they need correcting, else the stored entry."""
    today = local_today()
    stored = get_entry(current_user, day)
    values = submitted if submitted is not None else stored or EMPTY_ENTRY
    tips = todays_tips(current_user, today, current_language()) if day == today and not errors else []
    # A red-flag card says "call now": her numbers sit in it as one tap, as on the warning page.
    calls = calls_for(current_user, today) if any(tip["safety"] for tip in tips) else []
    return (
        render_template(
            "entries/log.html",
            day=day,
            is_today=day == today,
            stage=stage_on(day, current_user.due_date, current_user.birth_date),
            values=values,
            stored=stored,
            errors=translated(errors),
            tips=tips,
            calls=calls,
            next_page=_after_saving(day, today),
            saved_message=_saved_message(day, today),
            code_sets=CODE_SETS,
            night_wakings_max=NIGHT_WAKINGS_MAX,
            note_max_length=NOTE_MAX_LENGTH,
            entry_fields=ENTRY_FIELDS,
        ),
        status,
    )


def _ensure_not_future(day: date) -> None:
    if day > local_today():
        abort(404)


def _ensure_in_diary(day: date) -> None:
    """A day after today or before her diary's lower bound has no page to offer."""
    _ensure_not_future(day)
    if day < lower_bound(local_today(), current_user.due_date).day:
        abort(404)


@bp.get("/")
def today():
    if not current_user.is_authenticated:
        return render_template("landing.html")
    return _render_form(local_today())


@bp.get("/entries/<day:day>")
@login_required
def day(day: date):
    _ensure_in_diary(day)
    if day == local_today():
        return redirect(url_for("log.today"))
    return _render_form(day)


@bp.post("/entries/<day:day>")
@login_required
def save(day: date):
    """Save a day from the form without JavaScript (with it, the page's outbox PUTs it to the API)."""
    body = form_to_entry(request.form)
    try:
        today = local_today()
        clean = validate_entry(
            body, day=day, today=today, now=utc_now(), earliest=lower_bound(today, current_user.due_date)
        )
    except InvalidEntry as invalid:
        _ensure_not_future(day)
        return _render_form(day, body, invalid.errors, status=400)
    save_entry(current_user, clean)  # stamped here, so it wins over the stored edit
    today = local_today()
    flash(_saved_message(day, today), "success")
    return redirect(_after_saving(day, today))


def _saved_message(day: date, today: date) -> str:
    """What the page after saving says (the outbox says it too, after its PUT)."""
    if day == today:
        return gettext("Today is saved. Thank you for logging.")
    return gettext("%(day)s is saved.", day=_day_name(day))


def _after_saving(day: date, today: date) -> str:
    """Where saving a day leads: home for today, the day's month in the history otherwise."""
    return url_for("log.today") if day == today else url_for("history.month", month=day.strftime("%Y-%m"))


@bp.route("/entries/<day:day>/delete", methods=["GET", "POST"])
@login_required
def delete(day: date):
    entry = get_entry(current_user, day)
    if entry is None:
        abort(404)
    if request.method == "POST":
        delete_entry(current_user, day)
        flash(gettext("%(day)s is deleted.", day=_day_name(day)), "success")
        return redirect(url_for("history.month", month=day.strftime("%Y-%m")))
    return render_template("accounts/delete.html", day=day, entry=entry)


def _day_name(day: date) -> str:
    return format_day(day, "long")
