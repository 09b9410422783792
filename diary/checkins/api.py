"""The weekly check in the JSON API: GET and PUT /api/v1/checkins/<YYYY-Www> (API.md)."""

from flask import Blueprint, jsonify, request
from flask_babel import gettext
from flask_login import current_user

from diary.checkins.store import get_checkin, save_checkin, validate_for
from diary.checkins.validation import check_week
from diary.clock import local_today
from diary.entries.validation import InvalidEntry, lower_bound
from diary.summary.weeks import parse_week
from diary.web.errors import api_error, translate, translated

bp = Blueprint("checkins_api", __name__, url_prefix="/api/v1")


def _week_or_error(text: str):
    """The Monday of a week written YYYY-Www that the diary takes, or an error response."""
    week = parse_week(text)
    if week is None:
        return None, api_error(
            400,
            gettext("The week is not valid."),
            {"week": gettext("Write the week as YYYY-Www, e.g. 2026-W47.")},
        )
    today = local_today()
    problem = check_week(week, today, lower_bound(today, current_user.due_date))
    if problem:
        return None, api_error(400, gettext("The week is not valid."), {"week": translate(problem)})
    return week, None


@bp.get("/checkins/<week>")
def get_one(week: str):
    """One ISO week's check."""
    monday, error = _week_or_error(week)
    if error:
        return error
    found = get_checkin(current_user, monday)
    if found is None:
        return api_error(404, gettext("There is no check for that week."))
    return jsonify(found)


@bp.put("/checkins/<week>")
def put_one(week: str):
    """Create or replace one ISO week's check."""
    monday, error = _week_or_error(week)
    if error:
        return error
    if not request.is_json:
        return api_error(400, gettext("Send the body as JSON with Content-Type: application/json."))
    body = request.get_json(silent=True)
    if body is None:
        return api_error(400, gettext("The body is not valid JSON."))
    try:
        clean = validate_for(current_user, monday, body)
    except InvalidEntry as invalid:
        return api_error(400, gettext("The weekly check is not valid."), translated(invalid.errors))
    checkin, _ = save_checkin(current_user, clean)
    return jsonify(checkin)
