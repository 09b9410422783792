"""Today's tips for a user: the rules engine fed from the database, and her feedback on them."""

from datetime import date, timedelta, timezone

from flask import current_app, g, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user
from peewee import IntegrityError

from diary.advice.rules import Profile, evaluate, load_rules
from diary.advice.warning_signs import has_given_birth, warning_order
from diary.db import db
from diary.entries.store import entries_between
from diary.models import TipFeedback, TipShown, utc_now
from diary.summary.weeks import week_of
from diary.web.i18n import format_day

# The rules look back 28 days at most (the slow-decline rule compares two 14-day spans).
LOOKBACK_DAYS = 28


def profile_of(user) -> Profile:
    return Profile(due_date=user.due_date, birth_date=user.birth_date)


def weekly_advice() -> set[str]:
    """The advice of weekly rules, whose dismissal lasts the ISO week it was made in."""
    return {rule.advice for rule in current_app.extensions["rules"] if rule.weekly}


def _local_day(moment) -> date:
    """The diary's date of a stored (naive UTC) moment."""
    return moment.replace(tzinfo=timezone.utc).astimezone(current_app.config["DIARY_TIMEZONE"]).date()


def dismissals(user, day: date) -> tuple[set[str], set[str]]:
    """The advice this user dismissed for good, and the weekly advice dismissed in day's ISO week."""
    weekly, monday = weekly_advice(), week_of(day)
    rows = list(TipFeedback.of(user).where(TipFeedback.kind == "dismissed"))
    for_good = {row.advice for row in rows if row.advice not in weekly}
    this_week = {
        row.advice for row in rows if row.advice in weekly and monday <= _local_day(row.created_at) <= day
    }
    return for_good, this_week


def _evaluate(user, day: date, **shown):
    entries = entries_between(user, day - timedelta(days=LOOKBACK_DAYS), day)
    rules = current_app.extensions["rules"]
    dismissed, dismissed_this_week = dismissals(user, day)
    return evaluate(
        rules,
        entries,
        day,
        profile_of(user),
        dismissed=dismissed,
        dismissed_this_week=dismissed_this_week,
        **shown,
    )


def _shown_between(user, first: date, last: date) -> dict[date, set[str]]:
    rows = TipShown.select(TipShown.advice, TipShown.date).where(
        (TipShown.user == user) & TipShown.date.between(first, last)
    )
    shown: dict[date, set[str]] = {}
    for row in rows:
        shown.setdefault(row.date, set()).add(row.advice)
    return shown


def todays_tips(user, day: date, language: str) -> list[dict]:
    """Today's tips in the API's shape, recorded as shown.

    Yesterday's wait a day and a weekly tip shows on one day of the ISO week, but safety
    tips show whenever their rule holds.
    """
    yesterday, monday = day - timedelta(days=1), week_of(day)
    shown = _shown_between(user, min(yesterday, monday), yesterday)
    this_week = set().union(*(advice for shown_on, advice in shown.items() if shown_on >= monday))
    tips = _evaluate(user, day, shown_yesterday=shown.get(yesterday, set()), shown_this_week=this_week)
    if tips:
        rows = [{"user": user.id, "advice": tip.advice, "date": day} for tip in tips]
        TipShown.insert_many(rows).on_conflict_ignore().execute()
    return [tip_as_dict(tip, language, has_given_birth(user, day)) for tip in tips]


def tips_as_of(user, day: date, language: str) -> list[dict]:
    """The tips that fit the days up to a past day, as a weekly summary shows them, each reason dated."""
    # A reason says "the last 7 days"; read months later on a past week it must say which days.
    with force_locale(language):
        counted = gettext("As counted on %(day)s:", day=format_day(day, "full"))
    tips = [tip_as_dict(tip, language, has_given_birth(user, day)) for tip in _evaluate(user, day)]
    return [tip | {"reason": f"{counted} {tip['reason']}"} for tip in tips]


def tip_as_dict(tip, language: str, after_birth: bool = False) -> dict:
    """A tip as the API shows it: {id, title, summary, reason, url, safety, weekly}.

    After the birth the warning-signs card is titled and summed up as the after-birth signs,
    which its page shows first then.
    """
    shown = warning_order(tip.advice, after_birth)[0] if tip.advice == "warning-signs" else tip.advice
    item = current_app.extensions["advice"][shown]
    return {
        "id": tip.advice,
        "title": item.title[language],
        "summary": item.summary[language],
        "reason": tip.reason[language],
        "url": url_for("advice.item", advice_id=tip.advice),
        "safety": tip.safety,
        # A weekly tip's dismissal lasts its ISO week, so its button must not promise "never again".
        "weekly": tip.advice in weekly_advice(),
    }


def is_safety_tip_today(user, advice_id: str, day: date) -> bool:
    """Whether a safety rule holds today for this advice: such a tip cannot be dismissed."""
    return any(tip.safety and tip.advice == advice_id for tip in _evaluate(user, day))


def give_feedback(user, advice_id: str, kind: str) -> bool:
    """Store "dismissed" or "helpful" for a tip; return False when it was stored already.

    Dismissing a weekly tip again restarts its week, so the dismissal's time is renewed.
    """
    try:
        with db.atomic():
            TipFeedback.create(user=user, advice=advice_id, kind=kind)
    except IntegrityError:
        if kind == "dismissed":
            mine = TipFeedback.of(user).where((TipFeedback.advice == advice_id) & (TipFeedback.kind == kind))
            TipFeedback.update(created_at=utc_now()).where(
                TipFeedback.id.in_(mine.select(TipFeedback.id))
            ).execute()
        return False
    return True


def take_back_helpful(user, advice_id: str) -> None:
    """Forget that she found a tip helpful (she pressed "Helpful" again)."""
    mine = TipFeedback.of(user).where((TipFeedback.advice == advice_id) & (TipFeedback.kind == "helpful"))
    TipFeedback.delete().where(TipFeedback.id.in_(mine.select(TipFeedback.id))).execute()


def helpful_tips() -> set[str]:
    """The advice the logged-in user marked helpful, once per request: the tip cards show it pressed."""
    if "helpful_tips" not in g:
        g.helpful_tips = set()
        if current_user.is_authenticated:
            rows = TipFeedback.of(current_user).where(TipFeedback.kind == "helpful")
            g.helpful_tips = {row.advice for row in rows}
    return g.helpful_tips


# The "Helpful" button is a toggle: pressed, it sends this to take the word back.
UNDO_HELPFUL = "undo-helpful"


def init_app(app) -> None:
    """Load the rules once; a rule pointing at a missing advice item stops start-up."""
    rules = load_rules()
    missing = sorted({rule.advice for rule in rules} - set(app.extensions["advice"]))
    if missing:
        raise ValueError(f"diary/advice/rules.toml points at advice items that do not exist: {missing}")
    app.extensions["rules"] = rules
    app.jinja_env.globals["helpful_tips"] = helpful_tips
