"""Whom she should call, and which warning items come first: by her stage today.

Pure: no Flask. The advice pages, the log page's safety tips and the tips engine share it.
"""

from diary.accounts.phone_numbers import for_display, own_numbers_in_call_order, tel_link
from diary.entries.pregnancy import stage_on

#: The items that make the one warning-signs page, in pregnancy order (advice/README.md).
WARNING_ITEMS = ("warning-signs", "red-flags", "warning-signs-after-birth")


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
