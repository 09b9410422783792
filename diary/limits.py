"""Rate limits (Flask-Limiter). One process keeps counts in memory; several processes share
them through RATELIMIT_STORAGE_URI (e.g. redis://host:6379), see README."""

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address)


def report_limit() -> str:
    """How often one address may open shared reports (REPORT_RATE_LIMIT)."""
    return current_app.config["REPORT_RATE_LIMIT"]


def init_app(app) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("REPORT_RATE_LIMIT", "60 per minute")
    limiter.init_app(app)
