"""The reminder on the settings page (a plain form), and the calendar file for phones without push."""

from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import Blueprint, current_app, request
from flask_babel import gettext
from flask_login import current_user, login_required

from diary.accounts.settings_page import render_settings
from diary.clock import local_today
from diary.entries.codes import N_
from diary.reminders.calendar import reminder_calendar
from diary.reminders.schedule import InvalidReminder, validate_settings
from diary.reminders.store import reminder_form, save_settings, settings_of
from diary.web.errors import translated
from diary.web.links import external_url
from diary.web.outcomes import back_to, flash_at

bp = Blueprint("reminders", __name__)

#: What the page's script says when this phone could not subscribe (static/js/reminders.js).
PUSH_PROBLEMS = {
    "denied": N_(
        "This phone does not allow notifications from the diary. Allow them in the phone's settings "
        "and save again, or use the calendar below."
    ),
    "unsupported": N_(
        "This browser cannot show notifications from the diary. On an iPhone, add the diary to the home "
        "screen first (iOS 16.4 or newer), or use the calendar below."
    ),
    "failed": N_(
        "This phone could not be signed up for reminders just now. Try again, or use the calendar below."
    ),
}


@bp.post("/settings/reminder")
@login_required
def save_reminder():
    """Turn the daily reminder on or off and set its time and time zone; the page's script subscribes the device."""
    body = {
        "enabled": request.form.get("reminder-enabled") == "y",
        "time": request.form.get("reminder-time", "").strip(),
        "timezone": request.form.get("reminder-timezone", "").strip(),
    }
    try:
        enabled, at, zone = validate_settings(body)
    except InvalidReminder as invalid:
        return render_settings(400, reminder=reminder_form(current_user, body, translated(invalid.errors)))
    save_settings(current_user, enabled, at, zone)
    if not enabled:
        flash_at("reminder", gettext("Your reminder is off."))
    else:
        flash_at(
            "reminder", gettext("Your reminder is on, every day at %(time)s.", time=at.strftime("%H:%M"))
        )
        problem = PUSH_PROBLEMS.get(request.form.get("reminder-push", ""))
        if problem:
            flash_at("reminder", gettext(problem), "info")
    return back_to("settings.page", "reminder")


@bp.get("/reminder.ics")
@login_required
def calendar_file():
    """A daily calendar event at her reminder's time, with an alarm and the diary's address."""
    settings = settings_of(current_user)
    url = external_url("log.today", source="reminder")
    body = reminder_calendar(
        uid=f"daily-reminder-{current_user.id}@{urlsplit(url).hostname}",
        start=local_today(),
        at=settings.at,
        zone=settings.zone,
        url=url,
        title=gettext("How was your day?"),
        description=gettext("Log today in Bækkendagbog: it takes a few taps."),
        now=datetime.now(timezone.utc),
    )
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="baekkendagbog-reminder.ics"'
    return response
