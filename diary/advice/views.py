"""The advice library pages: /advice (by topic, with a search that needs no JavaScript)
and /advice/<id>; and the tip cards' buttons."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from diary.advice.items import SOURCES, TOPICS, search, shipped_library
from diary.advice.tips import (
    UNDO_HELPFUL,
    give_feedback,
    is_safety_tip_today,
    take_back_helpful,
    weekly_advice,
)
from diary.advice.warning_signs import WARNING_ITEMS, calls_for, stage_today, warning_order
from diary.clock import local_today
from diary.models import TipFeedback
from diary.web.i18n import current_language
from diary.web.links import safe_next

bp = Blueprint("advice", __name__)


def library():
    """The advice items loaded at start-up, by id."""
    return current_app.extensions["advice"]


@bp.get("/advice")
def index():
    language = current_language()
    query = request.args.get("q", "").strip()[:100]
    items = search(library(), query, language) if query else list(library().values())
    by_topic = {topic: [item for item in items if item.topic == topic] for topic in TOPICS}
    return render_template(
        "advice/index.html",
        by_topic=by_topic,
        topics=TOPICS,
        query=query,
        found=len(items),
        language=language,
    )


@bp.get("/advice/<advice_id>")
def item(advice_id: str):
    found = library().get(advice_id)
    if found is None:
        abort(404)
    if advice_id in WARNING_ITEMS:
        return warning_page(advice_id)
    return render_template(
        "advice/item.html", item=found, language=current_language(), sources=SOURCES, topics=TOPICS
    )


def warning_page(requested: str):
    """The warning signs as one page: her group first, whom to call at her week, her numbers as one tap."""
    user = current_user if current_user.is_authenticated else None
    today = local_today()
    stage, after_birth = stage_today(user, today)
    calls = calls_for(user, today)
    items = [library()[advice_id] for advice_id in warning_order(requested, after_birth)]
    sources = sorted({source for item in items for source in item.sources})
    return render_template(
        "advice/warning_signs.html",
        items=items,
        language=current_language(),
        sources=SOURCES,
        used_sources=sources,
        topics=TOPICS,
        stage=stage,
        after_birth=after_birth,
        calls=calls,
    )


@bp.post("/tips/<advice_id>/feedback")
@login_required
def tip_feedback(advice_id: str):
    """The tip card's buttons: "helpful" or "don't show again"."""
    kind = request.form.get("kind")
    if advice_id not in current_app.extensions["advice"] or kind not in (*TipFeedback.KINDS, UNDO_HELPFUL):
        abort(400)
    if kind == UNDO_HELPFUL:
        take_back_helpful(current_user, advice_id)
        flash(gettext("Noted: the tip is no longer marked as helpful."), "info")
    elif kind == "dismissed" and is_safety_tip_today(current_user, advice_id, local_today()):
        flash(gettext("This tip stays while its reason holds: it is about your safety."), "error")
    elif kind == "dismissed":
        give_feedback(current_user, advice_id, kind)
        if advice_id in weekly_advice():
            flash(gettext("That tip will not be shown again this week."), "info")
        else:
            flash(gettext("That tip will not be shown again."), "info")
    else:
        give_feedback(current_user, advice_id, kind)
        flash(gettext("Thank you. We noted that the tip helped."), "success")
    return redirect(safe_next(request.form.get("next"), url_for("log.today")))


def init_app(app) -> None:
    """The advice library, loaded once per process; a malformed file stops start-up with its name."""
    app.extensions["advice"] = shipped_library()
