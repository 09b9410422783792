"""The advice library pages: /advice (by topic, with a search that needs no JavaScript)
and /advice/<id>."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from diary.advice.items import SOURCES, TOPICS, search, shipped_library
from diary.advice.warning_signs import WARNING_ITEMS, calls_for, stage_today, warning_order
from diary.clock import local_today
from diary.web.i18n import current_language

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


def init_app(app) -> None:
    """The advice library, loaded once per process; a malformed file stops start-up with its name."""
    app.extensions["advice"] = shipped_library()
