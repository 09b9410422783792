"""The advice library pages: /advice (by topic, with a search that needs no JavaScript)
and /advice/<id>."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from .advice import SOURCES, TOPICS, search, shipped_library
from .clock import local_today
from .i18n import current_language
from .phone_numbers import for_display, own_numbers_in_call_order, tel_link
from .pregnancy import stage_on

#: The items that make the one warning-signs page, in pregnancy order (advice/README.md).
WARNING_ITEMS = ("warning-signs", "red-flags", "warning-signs-after-birth")

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


def warning_order(requested: str, after_birth: bool) -> list[str]:
    """The warning items in the order she needs them: the one she opened, else hers, first; red flags next."""
    first = requested
    if requested == "warning-signs":
        first = "warning-signs-after-birth" if after_birth else "warning-signs"
    rest = ["red-flags"] + [advice_id for advice_id in WARNING_ITEMS if advice_id != "red-flags"]
    return [first] + [advice_id for advice_id in rest if advice_id != first]


def has_given_birth(user, day) -> bool:
    """Whether she had given birth by this day (however long ago)."""
    return user is not None and user.birth_date is not None and user.birth_date <= day


def stage_today(user, today):
    """Her stage today (None for a reader without a profile) and whether she has given birth."""
    stage = stage_on(today, user.due_date, user.birth_date) if user else None
    return stage, has_given_birth(user, today)


def calls_for(user, today) -> list[dict]:
    """Her own saved numbers in the order to call them at her stage today, each a one-tap tel: link."""
    stage, after_birth = stage_today(user, today)
    weeks = None if stage is None or stage.after_birth else stage.weeks
    numbers = own_numbers_in_call_order(
        user.maternity_phone if user else None, user.doctor_phone if user else None, after_birth, weeks
    )
    return [
        {"kind": kind, "href": tel_link(number), "number": for_display(number)} for kind, number in numbers
    ]


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
