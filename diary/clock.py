"""The diary's idea of "today": the calendar date in the deployment's time zone."""

from datetime import date, datetime

from flask import current_app


def local_today() -> date:
    """Today's date where the diarists live (DIARY_TIMEZONE, Europe/Copenhagen by default)."""
    return datetime.now(current_app.config["DIARY_TIMEZONE"]).date()
