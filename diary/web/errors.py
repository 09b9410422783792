"""One error shape for the API, and friendly error pages for people."""

from datetime import date
from typing import NoReturn

from flask import jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import format_date, gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, default_exceptions

from diary.web.json_bounds import check_json

# The API's error codes for each status (API.md, "Errors").
ERROR_CODES = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    500: "server_error",
}


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading no body nested deeper than MAX_JSON_DEPTH or holding a string
    that is no Unicode text.

    Either is a ValueError, which request.get_json turns into a 400 like any bad JSON; the
    parser's own RecursionError (about 1,000 levels) and a database's encoding error on
    save would otherwise be 500s.
    """

    sort_keys = False  # keep the API's documented field order

    def loads(self, s, **kwargs):
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
        check_json(value)
        return value


def translated(errors: dict[str, str] | None) -> dict[str, str]:
    """Per-field error messages (marked with N_, or validation.Message) in the current language."""
    return {field: translate(message) for field, message in (errors or {}).items()}


def translate(message: str) -> str:
    """One error message (marked with N_, or a validation.Message) in the current language."""
    # A Message's dates are written out in the same language as the text around them.
    params = {
        name: format_date(value, "long") if isinstance(value, date) else value
        for name, value in getattr(message, "params", {}).items()
    }
    return gettext(message, **params)


def api_error(status: int, message: str, fields: dict | None = None, code: str | None = None, **extra):
    """A JSON error response: {"error": {"code", "message", "fields"?}, ...extra}."""
    error = {"code": code or ERROR_CODES.get(status, "error"), "message": message}
    if fields:
        error["fields"] = fields
    response = jsonify({"error": error, **extra})
    response.status_code = status
    return response


def refuse(status: int, message: str) -> NoReturn:
    """Abort with a status and a translated message that says what was wrong (a page, or JSON under /api/)."""
    error = default_exceptions[status](description=message)
    error.message_for_people = message
    raise error


def wants_json() -> bool:
    """Whether this request is an API call."""
    return request.path.startswith("/api/")


def _messages():
    return {
        400: gettext("Something in the request was not right. Please try again."),
        401: gettext("Please log in first."),
        403: gettext("You are not allowed to do that."),
        404: gettext("We could not find that page."),
        405: gettext("That page cannot be used this way."),
        410: gettext("This report link has expired or was revoked. Ask for a new link."),
        413: gettext("That was more data than the diary accepts at once."),
        429: gettext("Too many attempts. Please wait a little and try again."),
        500: gettext("Something went wrong on our side. Your data is safe; please try again."),
    }


def _handle_http_error(error: HTTPException):
    status = error.code or 500
    # A message given by refuse() says more than the status's general one; descriptions from
    # werkzeug or extensions (English, technical) never reach her.
    message = getattr(error, "message_for_people", None) or _messages().get(status, error.description)
    if wants_json():
        return api_error(status, message)
    return render_template("error.html", status=status, message=message), status


def _handle_csrf_error(error: CSRFError):
    message = gettext(
        "The form had expired or did not come from this app. Please go back, reload and try again."
    )
    if wants_json():
        return api_error(400, message, code="csrf")
    return render_template("error.html", status=400, message=message), 400


def init_app(app) -> None:
    """Register the error handlers, and the JSON reader that refuses deep nesting."""
    app.json = BoundedJSONProvider(app)
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(HTTPException, _handle_http_error)
