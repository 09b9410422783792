"""A form's outcome shown at the form, on pages that hold many forms (settings).

Each form sits in a section with an id; its outcome, an error summary or a confirmation
(templates/_forms.html, form_outcome), is shown at the top of that section as the element
"<section>-outcome". The form posts to "its action#<section>-outcome", and on success the
view redirects to "the page#<section>-outcome". The browser opens the page there and, as the
element can take focus, moves the focus to it: with or without JavaScript, she reads what
happened where she was, not the top of the page.
"""

from flask import flash, get_flashed_messages, redirect, url_for

# A flash category "success@password" belongs to the section with id="password".
AT = "@"


def flash_at(section: str, message: str, category: str = "success") -> None:
    """Flash a message to be shown in one section of the next page, beside its form."""
    flash(message, f"{category}{AT}{section}")


def outcome_id(section: str) -> str:
    """The id of a section's outcome, and the fragment its form posts to."""
    return f"{section}-outcome"


def back_to(endpoint: str, section: str, **values):
    """Redirect to a page, opened at the outcome of one of its sections."""
    return redirect(url_for(endpoint, _anchor=outcome_id(section), **values))


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
    app.jinja_env.globals["outcome_id"] = outcome_id
