"""URL converters: dates in addresses are strict ISO dates, anything else is a 404."""

from datetime import date

from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter

from diary.entries.validation import parse_date


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


def init_app(app) -> None:
    """Register the converters; must run before blueprints add their routes."""
    app.url_map.converters["day"] = DayConverter
