"""Her own phone numbers (maternity reception, own doctor): checked, stored in E.164, shown and called.

Pure: no Flask. Numbers are parsed by ``phonenumbers`` with Denmark as the home country, so a
Danish number may be written with or without +45 and with spaces; a number from elsewhere
needs its + and country code.
"""

import re

import phonenumbers

HOME_REGION = "DK"
MAX_INPUT_LENGTH = 30  # longer than any number written with spaces and a country code
MAX_STORED_LENGTH = 16  # E.164: "+" and at most 15 digits
# What a phone number may be written with: digits, a leading + and the usual separators.
_WRITTEN = re.compile(r"^\+?[\d\s().-]+$")


class InvalidPhoneNumber(ValueError):
    """Text that is not a phone number a phone could call."""


def normalise(text: str | None) -> str | None:
    """The number in E.164 ("+4533123456"); None when left empty; InvalidPhoneNumber otherwise."""
    written = (text or "").strip()
    if not written:
        return None
    if len(written) > MAX_INPUT_LENGTH or not _WRITTEN.match(written):
        raise InvalidPhoneNumber(written)
    try:
        number = phonenumbers.parse(written, HOME_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidPhoneNumber(written) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(written)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def for_display(e164: str) -> str:
    """A stored number as she would write it: "33 12 34 56" at home, "+46 8 123 456 78" abroad."""
    number = phonenumbers.parse(e164, HOME_REGION)
    if phonenumbers.region_code_for_number(number) == HOME_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def tel_link(e164: str) -> str:
    """The href that calls a stored number with one tap."""
    return f"tel:{e164}"


def own_numbers_in_call_order(
    maternity: str | None, doctor: str | None, after_birth: bool, weeks: int | None
) -> list[tuple[str, str]]:
    """Her saved numbers as (kind, E.164), the one to call at her stage first.

    The routing of FACTS.md: before week 20 her own doctor, from week 20 the maternity
    reception, after the birth her own doctor (the birth place only in the first days, as
    its papers say); when her week is not known, the maternity reception first.
    """
    doctor_first = after_birth or (weeks is not None and weeks < 20)
    order = [("maternity", maternity), ("doctor", doctor)]
    if doctor_first:
        order.reverse()
    return [(kind, number) for kind, number in order if number]
