"""What the settings page shows: each form filled in from her account unless it failed, her
devices, and an import file's problems in words."""

from flask import render_template
from flask_babel import gettext, ngettext
from flask_login import current_user

from diary.accounts.forms import (
    DeleteAccountForm,
    EmailChangeForm,
    PasswordChangeForm,
    PhoneNumbersForm,
    ProfileForm,
)
from diary.accounts.notices import links_mailable
from diary.accounts.phone_numbers import for_display
from diary.accounts.sessions import devices
from diary.reminders.store import reminder_form
from diary.web.errors import translate


def render_settings(status: int = 200, **forms):
    """The settings page with its forms; a form that failed is passed in with its errors."""
    forms.setdefault("profile", ProfileForm(obj=current_user, prefix="profile", formdata=None))
    forms.setdefault("password", PasswordChangeForm(prefix="password", formdata=None))
    forms.setdefault(
        "email_form", EmailChangeForm(prefix="email", formdata=None, data={"email": current_user.email})
    )
    forms.setdefault("delete_form", DeleteAccountForm(prefix="delete", formdata=None))
    forms.setdefault(
        "phones", PhoneNumbersForm(prefix="phones", formdata=None, data=saved_numbers(current_user))
    )
    forms.setdefault("reminder", reminder_form(current_user))
    return render_template(
        "accounts/settings.html",
        devices=devices(current_user),
        email_change_by_link=links_mailable(),
        **forms,
    ), status


def saved_numbers(user) -> dict:
    """Her saved numbers as she would write them, to fill in the settings form."""
    return {
        name: for_display(number) if number else ""
        for name, number in (("maternity_phone", user.maternity_phone), ("doctor_phone", user.doctor_phone))
    }


IMPORT_PROBLEMS_SHOWN = 5


def import_problems(errors: dict[str, str]) -> list[str]:
    """What was wrong with an import file, in words: the first few problems, then how many more."""
    shown = []
    for field, message in list(errors.items())[:IMPORT_PROBLEMS_SHOWN]:
        if field.startswith("entries["):
            number = int(field[len("entries[") : field.index("]")]) + 1
            shown.append(
                gettext("Day %(number)d in the file: %(problem)s", number=number, problem=translate(message))
            )
        elif field.startswith("checkins["):
            number = int(field[len("checkins[") : field.index("]")]) + 1
            shown.append(
                gettext(
                    "Weekly check %(number)d in the file: %(problem)s",
                    number=number,
                    problem=translate(message),
                )
            )
        elif field.startswith("tip_feedback["):
            number = int(field[len("tip_feedback[") : field.index("]")]) + 1
            shown.append(
                gettext(
                    "Tip feedback %(number)d in the file: %(problem)s",
                    number=number,
                    problem=translate(message),
                )
            )
        else:
            shown.append(translate(message))
    if len(errors) > IMPORT_PROBLEMS_SHOWN:
        shown.append(
            ngettext(
                "…and %(num)d more problem.",
                "…and %(num)d more problems.",
                len(errors) - IMPORT_PROBLEMS_SHOWN,
            )
        )
    return shown
