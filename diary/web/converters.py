"""URL converters: dates in addresses are strict ISO dates and ids fit their column; anything
else is a 404."""

from datetime import date

from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter, IntegerConverter

from diary.entries.validation import parse_date
from diary.models import MAX_ID


class DayConverter(BaseConverter):
    """YYYY-MM-DD in a URL, as a date."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        day = parse_date(value)
        if day is None:
            # Not ValidationError: with it, werkzeug would answer a PUT to 2026-02-30 with
            # 405 (the GET rule "matched"); there is no such day, whatever the method.
            raise NotFound()
        return day

    def to_url(self, value: date | str) -> str:
        if isinstance(value, str) and parse_date(value) is not None:
            return value  # already an ISO date, as in the API's dicts
        return value.isoformat()


class IdConverter(IntegerConverter):
    """A row's id in a URL: a whole number the id columns can hold (a larger one is a 404, not
    a database error)."""

    def __init__(self, map):
        super().__init__(map, max=MAX_ID)


def init_app(app) -> None:
    """Register the converters; must run before blueprints add their routes."""
    app.url_map.converters["day"] = DayConverter
    app.url_map.converters["id"] = IdConverter
