"""The weekly check's page: /checkin, this ISO week's ten activities and the leg-raise test."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from diary.checkins.questionnaires import QUESTIONNAIRE_FOLDER, function_check, leg_raise, load_questionnaires
from diary.checkins.store import check_status, get_checkin, save_checkin
from diary.checkins.validation import NOT_APPLICABLE, form_to_checkin
from diary.checkins.weekly_check import validate_for
from diary.clock import local_today
from diary.entries.validation import InvalidEntry
from diary.summary.weeks import week_name, week_of
from diary.web.errors import translated
from diary.web.i18n import current_language

bp = Blueprint("checkins", __name__)


def _render_form(values: dict | None, errors: dict | None = None, status: int = 200):
    week = week_of(local_today())
    stored = get_checkin(current_user, week)
    return (
        render_template(
            "checkins/checkin.html",
            week=week,
            stored=stored,
            values=values if values is not None else stored or {"answers": {}, "leg_raise": None},
            errors=translated(errors),
            function_check=function_check(),
            leg_raise=leg_raise(),
            language=current_language(),
            not_applicable=NOT_APPLICABLE,
        ),
        status,
    )


@bp.get("/checkin")
@login_required
def page():
    """This week's check, filled in with her answers when she has done it."""
    return _render_form(None)


@bp.post("/checkin")
@login_required
def save():
    """Save this week's check: a redirect to the week page and its trend, or the form with its faults."""
    week = week_of(local_today())
    body = form_to_checkin(request.form, function_check())
    try:
        clean = validate_for(current_user, week, body)
    except InvalidEntry as invalid:
        return _render_form(body, invalid.errors, status=400)
    save_checkin(current_user, clean)
    flash(gettext("This week's check is saved. Thank you."), "success")
    return redirect(url_for("week.page", week=week_name(week)))


def init_app(app) -> None:
    """Check every questionnaire file at start-up (a malformed one stops it, naming the file and
    the fault), and give the log page's reminder its status."""
    load_questionnaires(app.config.get("QUESTIONNAIRE_FOLDER", QUESTIONNAIRE_FOLDER))

    @app.template_global()
    def weekly_check():
        """This week's check for the logged-in diarist (done or due), or None."""
        if not current_user.is_authenticated:
            return None
        return check_status(current_user, local_today())
