"""A form's outcome shown at the form, on pages that hold many forms (settings).

Each form sits in a section with an id, posts to its action with "#<that id>", and on success
the view redirects to the page with the same fragment. So the browser opens the page at the
form she used, with or without JavaScript, and the section shows its confirmation or its
error summary (templates/_forms.html, form_outcome) instead of the top of the page.
"""

from flask import flash, get_flashed_messages, redirect, url_for

# A flash category "success@password" belongs to the section with id="password".
AT = "@"


def flash_at(section: str, message: str, category: str = "success") -> None:
    """Flash a message to be shown in one section of the next page, beside its form."""
    flash(message, f"{category}{AT}{section}")


def back_to(endpoint: str, section: str, **values):
    """Redirect to a page, opened at one of its sections."""
    return redirect(url_for(endpoint, _anchor=section, **values))


def notices_at(section: str) -> list[tuple[str, str]]:
    """The flashed (category, message) pairs meant for one section of this page."""
    return [
        (category.partition(AT)[0], message)
        for category, message in get_flashed_messages(with_categories=True)
        if AT in category and category.partition(AT)[2] == section
    ]


def page_notices() -> list[tuple[str, str]]:
    """The flashed (category, message) pairs for the top of the page: those meant for no section."""
    return [
        (category, message)
        for category, message in get_flashed_messages(with_categories=True)
        if AT not in category
    ]


def init_app(app) -> None:
    """Offer the notices to templates."""
    app.jinja_env.globals["notices_at"] = notices_at
    app.jinja_env.globals["page_notices"] = page_notices
