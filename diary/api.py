"""The JSON API under /api/v1 (API.md): entries, and the OpenAPI description."""

from flask import Blueprint, jsonify, request
from flask_babel import gettext
from flask_login import current_user

from .clock import local_today
from .entries import StaleEdit, delete_entry, entries_between, get_entry, save_entry
from .errors import api_error
from .models import utc_now
from .openapi import openapi_document
from .security import login_manager
from .validation import InvalidEntry, parse_date, validate_entry

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def _require_login():
    if request.endpoint not in PUBLIC_ENDPOINTS and not current_user.is_authenticated:
        return login_manager.unauthorized()


def _translated(errors: dict[str, str]) -> dict[str, str]:
    return {field: gettext(message) for field, message in errors.items()}


def _json_body():
    """The request's JSON body, or an error response to return instead."""
    if not request.is_json:
        return None, api_error(400, gettext("Send the body as JSON with Content-Type: application/json."))
    body = request.get_json(silent=True)
    if body is None:
        return None, api_error(400, gettext("The body is not valid JSON."))
    return body, None


@bp.get("/entries")
def list_entries():
    """The user's entries in a date range, oldest first."""
    bounds, fields = {}, {}
    for name in ("from", "to"):
        raw = request.args.get(name)
        if raw is not None:
            bounds[name] = parse_date(raw)
            if bounds[name] is None:
                fields[name] = gettext("Use a date written YYYY-MM-DD.")
    if not fields and bounds.get("from") and bounds.get("to") and bounds["from"] > bounds["to"]:
        fields["to"] = gettext("The end of the range must not be before its start.")
    if fields:
        return api_error(400, gettext("The date range is not valid."), fields)
    return jsonify({"entries": entries_between(current_user, bounds.get("from"), bounds.get("to"))})


@bp.get("/entries/<day:date>")
def get_one(date):
    """One day's entry."""
    entry = get_entry(current_user, date)
    if entry is None:
        return api_error(404, gettext("There is no entry for that day."))
    return jsonify(entry)


@bp.put("/entries/<day:date>")
def put_one(date):
    """Create or replace one day's entry; an edit older than the stored one gets 409."""
    body, error = _json_body()
    if error:
        return error
    try:
        clean = validate_entry(body, day=date, today=local_today(), now=utc_now())
    except InvalidEntry as invalid:
        return api_error(400, gettext("The entry is not valid."), _translated(invalid.errors))
    try:
        entry, _ = save_entry(current_user, clean)
    except StaleEdit as stale:
        return api_error(409, gettext("A newer edit of this day is already saved."), entry=stale.stored)
    return jsonify(entry)


@bp.delete("/entries/<day:date>")
def delete_one(date):
    """Delete one day's entry."""
    if not delete_entry(current_user, date):
        return api_error(404, gettext("There is no entry for that day."))
    return "", 204


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of everything under /api/v1/."""
    return jsonify(openapi_document(request.host_url.rstrip("/") + "/api/v1"))
