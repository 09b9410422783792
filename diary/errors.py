"""One error shape for the API, and friendly error pages for people."""

from flask import jsonify, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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


def translated(errors: dict[str, str] | None) -> dict[str, str]:
    """Per-field error messages (marked with N_) in the current language."""
    return {field: gettext(message) for field, message in (errors or {}).items()}


def api_error(status: int, message: str, fields: dict | None = None, code: str | None = None, **extra):
    """A JSON error response: {"error": {"code", "message", "fields"?}, ...extra}."""
    error = {"code": code or ERROR_CODES.get(status, "error"), "message": message}
    if fields:
        error["fields"] = fields
    response = jsonify({"error": error, **extra})
    response.status_code = status
    return response


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
    message = _messages().get(status, error.description)
    if wants_json():
        return api_error(status, message)
    return render_template("error.html", status=status, message=message), status


def _handle_csrf_error(error: CSRFError):
    message = gettext("The form had expired or did not come from this app. Please go back, reload and try again.")
    if wants_json():
        return api_error(400, message, code="csrf")
    return render_template("error.html", status=400, message=message), 400


def init_app(app) -> None:
    """Register the error handlers."""
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(HTTPException, _handle_http_error)
