"""The log page: today's form at /, any past day at /entries/<date>, and deleting a day."""

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from diary.advice.tips import todays_tips
from diary.advice.warning_signs import calls_for
from diary.clock import local_today
from diary.entries.codes import ALLOWED, CODE_SETS, NIGHT_WAKINGS_MAX, NOTE_MAX_LENGTH
from diary.entries.entry import ENTRY_DEFAULTS, ENTRY_FIELDS, DayEntry
from diary.entries.pregnancy import stage_on
from diary.entries.store import delete_entry, entries_between, get_entry, save_entry
from diary.entries.typical_day import (
    chosen_first,
    first_row,
    like_yesterday,
    split_at,
    triggers_by_use,
    usual_window,
)
from diary.entries.validation import InvalidEntry, form_to_entry, lower_bound, validate_entry
from diary.models import utc_now
from diary.web.errors import translated
from diary.web.i18n import code_label, current_language, format_day

bp = Blueprint("log", __name__)

#: A day not logged yet: every field at its default, and no pain chosen.
EMPTY_ENTRY = {name: ENTRY_DEFAULTS.get(name) for name in ENTRY_FIELDS}


def _render_form(
    day: date,
    submitted: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
    from_yesterday: bool = False,
):
    """The log page for a day: the submitted answers when they need correcting, else the stored entry.

    Today, once saved, shows the day compactly with the form one tap away; before that, and
    when yesterday is logged, it offers yesterday's answers to start from.
    """
    today = local_today()
    stored = get_entry(current_user, day)
    values = _known_codes(submitted) if submitted is not None else stored or EMPTY_ENTRY
    tips = todays_tips(current_user, today, current_language()) if day == today and not errors else []
    # A red-flag card says "call now": her numbers sit in it as one tap, as on the warning page.
    calls = calls_for(current_user, today) if any(tip["safety"] for tip in tips) else []
    yesterday = _yesterday_offer(day, today, stored) if submitted is None else None
    return (
        render_template(
            "entries/log.html",
            day=day,
            is_today=day == today,
            stage=stage_on(day, current_user.due_date, current_user.birth_date),
            values=values,
            stored=stored,
            saved_view=day == today and stored is not None and submitted is None,
            yesterday=yesterday,
            from_yesterday=from_yesterday,
            triggers=_trigger_rows(today, _chosen_triggers(values) or (yesterday or {}).get("triggers", [])),
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


def _chosen_triggers(values: DayEntry | dict) -> list[str]:
    """The triggers the form shows as chosen: a stored entry's, or the submitted answers'."""
    return list(values.triggers if isinstance(values, DayEntry) else values["triggers"])


def _known_codes(submitted: dict) -> dict:
    """Submitted answers as the form can show them again: codes it does not offer are left out."""
    return submitted | {
        name: [code for code in submitted[name] if code in ALLOWED[name]] for name in CODE_SETS
    }


def _yesterday_offer(day: date, today: date, stored: DayEntry | None) -> dict | None:
    """Yesterday's answers to fill today with, when today is not logged and yesterday is."""
    if day != today or stored is not None:
        return None
    yesterday = get_entry(current_user, today - timedelta(days=1))
    return like_yesterday(yesterday) if yesterday else None


def _trigger_rows(today: date, chosen) -> tuple[list[str], list[str]]:
    """The chosen triggers (or yesterday's, to fill in), then her usual ones of the last 30 days on
    the first row; the rest behind "more"."""
    codes = chosen_first(triggers_by_use(entries_between(current_user, *usual_window(today))), chosen)
    shown = first_row([code_label(code, "triggers") for code in codes])
    return split_at(codes, chosen, shown)


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


@bp.get("/like-yesterday")
@login_required
def like_yesterday_form():
    """Today's form filled with yesterday's answers, to adjust and save (nothing is saved here)."""
    today = local_today()
    yesterday = get_entry(current_user, today - timedelta(days=1))
    if yesterday is None or get_entry(current_user, today) is not None:
        return redirect(url_for("log.today"))
    return _render_form(today, like_yesterday(yesterday), from_yesterday=True)


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
