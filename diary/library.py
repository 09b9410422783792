"""The advice library pages: /advice (by topic, with a search that needs no JavaScript)
and /advice/<id>."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from .advice import SOURCES, TOPICS, load_library, search
from .clock import local_today
from .i18n import current_language
from .pregnancy import stage_on

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
    return render_template("advice/index.html", by_topic=by_topic, topics=TOPICS, query=query, found=len(items), language=language)


@bp.get("/advice/<advice_id>")
def item(advice_id: str):
    found = library().get(advice_id)
    if found is None:
        abort(404)
    stage = None
    if current_user.is_authenticated:
        stage = stage_on(local_today(), current_user.due_date, current_user.birth_date)
    return render_template("advice/item.html", item=found, language=current_language(), sources=SOURCES, topics=TOPICS, stage=stage)


def init_app(app) -> None:
    """Load the advice library once; a malformed file stops start-up with its name."""
    app.extensions["advice"] = load_library()
