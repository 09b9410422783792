"""Today's tips for the logged-in user: the rules engine fed from the database, and feedback."""

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user, login_required
from peewee import IntegrityError

from .db import db
from .entries import entries_between
from .i18n import format_day
from .models import TipFeedback, TipShown
from .auth import safe_next
from .rules import Profile, evaluate, load_rules

bp = Blueprint("tips", __name__)

# The rules look back 30 days at most (the logging-gap rule); most use the last 7 or 14.
LOOKBACK_DAYS = 30


def profile_of(user) -> Profile:
    return Profile(due_date=user.due_date, birth_date=user.birth_date)


def dismissed_advice(user) -> set[str]:
    """The advice ids this user has dismissed for good."""
    return {row.advice for row in TipFeedback.of(user).where(TipFeedback.kind == "dismissed")}


def _evaluate(user, day: date, shown_yesterday=frozenset()):
    entries = entries_between(user, day - timedelta(days=LOOKBACK_DAYS), day)
    rules = current_app.extensions["rules"]
    return evaluate(rules, entries, day, profile_of(user), dismissed=dismissed_advice(user), shown_yesterday=shown_yesterday)


def todays_tips(user, day: date, language: str) -> list[dict]:
    """Today's tips in the API's shape, recorded as shown; yesterday's wait a day (but safety)."""
    yesterday = day - timedelta(days=1)
    shown = TipShown.select(TipShown.advice).where((TipShown.user == user) & (TipShown.date == yesterday))
    tips = _evaluate(user, day, shown_yesterday={row.advice for row in shown})
    if tips:
        rows = [{"user": user.id, "advice": tip.advice, "date": day} for tip in tips]
        TipShown.insert_many(rows).on_conflict_ignore().execute()
    return [tip_as_dict(tip, language) for tip in tips]


def tips_as_of(user, day: date, language: str) -> list[dict]:
    """The tips that fit the days up to a past day, as a weekly summary shows them, each reason dated."""
    # A reason says "the last 7 days"; read months later on a past week it must say which days.
    with force_locale(language):
        counted = gettext("As counted on %(day)s:", day=format_day(day, "full"))
    tips = [tip_as_dict(tip, language) for tip in _evaluate(user, day)]
    return [tip | {"reason": f"{counted} {tip['reason']}"} for tip in tips]


def tip_as_dict(tip, language: str) -> dict:
    """A tip as the API shows it: {id, title, reason, url, safety}."""
    item = current_app.extensions["advice"][tip.advice]
    return {
        "id": tip.advice,
        "title": item.title[language],
        "summary": item.summary[language],
        "reason": tip.reason[language],
        "url": url_for("advice.item", advice_id=tip.advice),
        "safety": tip.safety,
    }


def give_feedback(user, advice_id: str, kind: str) -> bool:
    """Store "dismissed" or "helpful" for a tip; return False when it was stored already."""
    try:
        with db.atomic():
            TipFeedback.create(user=user, advice=advice_id, kind=kind)
    except IntegrityError:
        return False
    return True


@bp.post("/tips/<advice_id>/feedback")
@login_required
def feedback(advice_id: str):
    """The tip card's buttons: "helpful" or "don't show again"."""
    kind = request.form.get("kind")
    if advice_id not in current_app.extensions["advice"] or kind not in TipFeedback.KINDS:
        abort(400)
    give_feedback(current_user, advice_id, kind)
    if kind == "dismissed":
        flash(gettext("That tip will not be shown again."), "info")
    else:
        flash(gettext("Thank you. We noted that the tip helped."), "success")
    return redirect(safe_next(request.form.get("next"), url_for("log.today")))


def init_app(app) -> None:
    """Load the rules once; a rule pointing at a missing advice item stops start-up."""
    rules = load_rules()
    missing = sorted({rule.advice for rule in rules} - set(app.extensions["advice"]))
    if missing:
        raise ValueError(f"diary/rules.toml points at advice items that do not exist: {missing}")
    app.extensions["rules"] = rules
