"""The JSON API under /api/v1 (API.md): entries, and the OpenAPI description."""

from dataclasses import asdict
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext
from flask_login import current_user

from diary.accounts.export import export_csv as export_as_csv
from diary.accounts.export import export_of
from diary.accounts.importing import IMPORT_MAX_BYTES, import_export
from diary.advice.tips import give_feedback, is_safety_tip_today, todays_tips
from diary.api.openapi import openapi_document
from diary.checkins.store import get_checkin, save_checkin
from diary.checkins.weekly_check import validate_for, week_problem
from diary.clock import local_today
from diary.entries.entry import entry_json
from diary.entries.store import StaleEdit, delete_entry, entries_between, get_entry, save_entry
from diary.entries.validation import InvalidEntry, lower_bound, parse_date, validate_entry
from diary.models import Share, TipFeedback, utc_now
from diary.reminders.endpoints import InvalidSubscription, validate_subscription
from diary.reminders.schedule import InvalidReminder, validate_settings
from diary.reminders.store import save_settings, settings_as_dict, settings_of, subscribe, unsubscribe
from diary.reminders.vapid import server_keys
from diary.reports.share_links import share_as_dict
from diary.reports.shares import create_share, earliest_start, revoke, validate_share
from diary.summary.week_summary import started_week, summary_with_tips
from diary.summary.weekly import summary_json
from diary.summary.weeks import parse_week
from diary.web.errors import api_error, translate, translated
from diary.web.i18n import current_language
from diary.web.limits import import_limit
from diary.web.security import accepts_up_to, anonymous_api

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Every view here needs a log-in except those marked @anonymous_api: security.py answers
# anonymous calls with a JSON 401 before the CSRF check runs.


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
    entries = entries_between(current_user, bounds.get("from"), bounds.get("to"))
    return jsonify({"entries": [entry_json(entry) for entry in entries]})


@bp.get("/entries/<day:date>")
def get_one(date):
    """One day's entry."""
    entry = get_entry(current_user, date)
    if entry is None:
        return api_error(404, gettext("There is no entry for that day."))
    return jsonify(entry_json(entry))


@bp.put("/entries/<day:date>")
def put_one(date):
    """Create or replace one day's entry; an edit older than the stored one gets 409."""
    body, error = _json_body()
    if error:
        return error
    try:
        today = local_today()
        earliest = lower_bound(today, current_user.due_date)
        clean = validate_entry(body, day=date, today=today, now=utc_now(), earliest=earliest)
    except InvalidEntry as invalid:
        return api_error(400, gettext("The entry is not valid."), translated(invalid.errors))
    try:
        entry, _ = save_entry(current_user, clean)
    except StaleEdit as stale:
        return api_error(
            409, gettext("A newer edit of this day is already saved."), entry=entry_json(stale.stored)
        )
    return jsonify(entry_json(entry))


@bp.delete("/entries/<day:date>")
def delete_one(date):
    """Delete one day's entry."""
    if not delete_entry(current_user, date):
        return api_error(404, gettext("There is no entry for that day."))
    return "", 204


@bp.get("/summary/<week>")
def summary(week: str):
    """One ISO week's summary, with the previous week's mean and the week's tips."""
    monday = started_week(week)
    if monday is None:
        return api_error(404, gettext("There is no such week yet."))
    return jsonify(summary_json(summary_with_tips(current_user, monday, current_language())))


def _checkin_week_or_error(text: str):
    """The Monday of a week written YYYY-Www that her diary takes, or an error response."""
    week = parse_week(text)
    if week is None:
        return None, api_error(
            400,
            gettext("The week is not valid."),
            {"week": gettext("Write the week as YYYY-Www, e.g. 2026-W47.")},
        )
    problem = week_problem(current_user, week)
    if problem:
        return None, api_error(400, gettext("The week is not valid."), {"week": translate(problem)})
    return week, None


@bp.get("/checkins/<week>")
def get_checkin_of_week(week: str):
    """One ISO week's check."""
    monday, error = _checkin_week_or_error(week)
    if error:
        return error
    found = get_checkin(current_user, monday)
    if found is None:
        return api_error(404, gettext("There is no check for that week."))
    return jsonify(found)


@bp.put("/checkins/<week>")
def put_checkin_of_week(week: str):
    """Create or replace one ISO week's check."""
    monday, error = _checkin_week_or_error(week)
    if error:
        return error
    body, error = _json_body()
    if error:
        return error
    try:
        clean = validate_for(current_user, monday, body)
    except InvalidEntry as invalid:
        return api_error(400, gettext("The weekly check is not valid."), translated(invalid.errors))
    checkin, _ = save_checkin(current_user, clean)
    return jsonify(checkin)


@bp.get("/tips")
def tips():
    """Today's tips, safety first, at most three."""
    return jsonify({"tips": todays_tips(current_user, local_today(), current_language())})


@bp.post("/tips/<advice_id>/feedback")
def tip_feedback(advice_id: str):
    """Mark a tip helpful, or dismiss it: {"kind": "helpful" | "dismissed"}; a safety tip stays (409)."""
    body, error = _json_body()
    if error:
        return error
    if advice_id not in current_app.extensions["advice"]:
        return api_error(404, gettext("There is no such advice."))
    kind = body.get("kind") if isinstance(body, dict) else None
    if kind not in TipFeedback.KINDS or set(body) != {"kind"}:
        return api_error(
            400, gettext("The feedback is not valid."), {"kind": gettext("Use helpful or dismissed.")}
        )
    if kind == "dismissed" and is_safety_tip_today(current_user, advice_id, local_today()):
        return api_error(409, gettext("This tip stays while its reason holds: it is about your safety."))
    created = give_feedback(current_user, advice_id, kind)
    return jsonify({"id": advice_id, "kind": kind}), 201 if created else 200


@bp.post("/shares")
def create_share_link():
    """A report link for a period: {from, to, include_notes, expires_in_days}."""
    body, error = _json_body()
    if error:
        return error
    try:
        today = local_today()
        clean = validate_share(body, today, earliest_start(current_user, today))
    except InvalidEntry as invalid:
        return api_error(400, gettext("The share is not valid."), translated(invalid.errors))
    share, _ = create_share(current_user, clean, current_app.config["SECRET_KEY"])
    shown = share_as_dict(share)
    return jsonify(
        {name: shown[name] for name in ("id", "url", "pdf_url", "from", "to", "expires_at", "include_notes")}
    ), 201


@bp.get("/shares")
def list_shares():
    """The user's report links, newest first, with views and revocation."""
    shares = Share.of(current_user).order_by(Share.created_at.desc(), Share.id.desc())
    return jsonify({"shares": [share_as_dict(share) for share in shares]})


@bp.delete("/shares/<id:share_id>")
def revoke_share_link(share_id: int):
    """Revoke one of the user's report links at once."""
    if not revoke(current_user, share_id):
        return api_error(404, gettext("There is no such share."))
    return "", 204


@bp.get("/export")
def export():
    """All of the user's data as JSON: profile, entries, report links and tip feedback."""
    response = jsonify(export_of(current_user))
    response.headers["Content-Disposition"] = 'attachment; filename="baekkendagbog-export.json"'
    return response


@bp.get("/export.csv")
def export_csv():
    """The user's entries as CSV, one row per day, in her language's conventions (Danish: for Excel)."""
    language = current_language()
    response = current_app.response_class(
        export_as_csv(current_user, language, gettext),
        mimetype="text/csv",
        content_type="text/csv; charset=utf-8",
    )
    response.headers["Content-Disposition"] = 'attachment; filename="baekkendagbog-days.csv"'
    return response


@bp.post("/import")
@accepts_up_to(IMPORT_MAX_BYTES)
@import_limit
def import_data():
    """Merge an export into the diary: by date, the newer edit wins; counts are reported."""
    body, error = _json_body()
    if error:
        return error
    try:
        counts = import_export(current_user, body, local_today(), utc_now(), current_app.extensions["advice"])
    except InvalidEntry as invalid:
        return api_error(
            400, gettext("The export file is not valid. Nothing was imported."), translated(invalid.errors)
        )
    return jsonify(asdict(counts))


@bp.get("/reminder")
def get_reminder():
    """Her daily reminder: on or off, the time, her time zone."""
    return jsonify(settings_as_dict(settings_of(current_user)))


@bp.put("/reminder")
def put_reminder():
    """Store her daily reminder; a bad time or an unknown time zone is a 400 that changes nothing."""
    body, error = _json_body()
    if error:
        return error
    try:
        enabled, at, zone = validate_settings(body)
    except InvalidReminder as invalid:
        return api_error(400, gettext("The reminder is not valid."), translated(invalid.errors))
    return jsonify(settings_as_dict(save_settings(current_user, enabled, at, zone)))


@bp.post("/push-subscriptions")
def add_push_subscription():
    """Keep this device's push subscription (the browser's PushSubscription JSON); never doubled."""
    body, error = _json_body()
    if error:
        return error
    try:
        clean = validate_subscription(body, current_app.config["PUSH_ALLOW_PRIVATE_ENDPOINTS"])
    except InvalidSubscription as invalid:
        return api_error(400, gettext("The push subscription is not valid."), translated(invalid.errors))
    created = subscribe(current_user, clean, current_user.session_row.id)
    return jsonify({"endpoint": clean.endpoint}), 201 if created else 200


@bp.delete("/push-subscriptions")
def remove_push_subscription():
    """Forget a device's push subscription: {"endpoint": …}; 204 whether or not it was kept."""
    body, error = _json_body()
    if error:
        return error
    endpoint = body.get("endpoint") if isinstance(body, dict) else None
    if not isinstance(endpoint, str) or not endpoint:
        return api_error(
            400,
            gettext("The push subscription is not valid."),
            {"endpoint": gettext("Send the endpoint to forget.")},
        )
    unsubscribe(current_user, endpoint)
    return "", 204


@bp.get("/push-key")
def push_key():
    """The server's VAPID public key, which the browser subscribes with."""
    return jsonify({"public_key": server_keys(current_app.config, Path(current_app.instance_path)).public})


@bp.get("/openapi.json")
@anonymous_api
def openapi():
    """The OpenAPI 3.1 description of everything under /api/v1/."""
    return jsonify(openapi_document(request.host_url.rstrip("/") + "/api/v1"))
