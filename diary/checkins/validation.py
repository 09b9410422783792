"""The one validation path for a weekly check, shared by the web form, the API and the import.

Pure: takes plain data and the questionnaires, returns a clean check-in or per-field error
messages (English msgids marked for translation, as diary/entries/validation.py does).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from diary.checkins.questionnaires import Questionnaire
from diary.entries.codes import N_
from diary.entries.validation import InvalidEntry, LowerBound, Message, edit_time

#: What a check-in body may hold: the two inputs, and the fields the API answers with, so
#: that what a GET returned can be sent back as it is.
CHECKIN_FIELDS = frozenset({"answers", "leg_raise", "week", "function_score", "updated_at"})
NOT_APPLICABLE = "na"  # the form's value for "does not apply"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class CleanCheckin:
    """A validated weekly check, ready to store."""

    week: date  # the Monday of its ISO week
    answers: dict[str, int | None]  # every item of the function check; None: does not apply
    function_score: int | None
    leg_raise: tuple[int, int] | None  # (left, right)
    updated_at: datetime | None = None  # UTC, naive; None means "now"

    @property
    def leg_raise_sum(self) -> int | None:
        return sum(self.leg_raise) if self.leg_raise else None


def check_week(week: date, today: date, earliest: LowerBound) -> str | None:
    """Why a week cannot have a check (it has not begun, or ends before the diary's lower bound), or None."""
    if week > today:
        return N_("You cannot fill in the check for a week that has not begun.")
    if week + timedelta(days=6) < earliest.day:
        return earliest.message()
    return None


def _answers(value, questionnaire: Questionnaire, errors: dict) -> dict[str, int | None]:
    if not isinstance(value, dict):
        errors["answers"] = N_("Send the answers as an object with one answer for each activity.")
        return {}
    for name in sorted(set(value) - set(questionnaire.item_ids)):
        errors[f"answers.{name}"] = N_("This activity is not part of the check.")
    clean = {}
    for item in questionnaire.item_ids:
        if item not in value:
            errors[f"answers.{item}"] = N_("Choose an answer, or “does not apply”.")
            continue
        answer = value[item]
        if answer is None and questionnaire.not_applicable is not None:
            clean[item] = None
        elif _is_int(answer) and 0 <= answer <= questionnaire.highest:
            clean[item] = answer
        else:
            errors[f"answers.{item}"] = Message(
                N_("An answer is a whole number from 0 to %(highest)d, or null for “does not apply”."),
                highest=questionnaire.highest,
            )
    return clean


def _leg_raise(value, questionnaire: Questionnaire, errors: dict) -> tuple[int, int] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - {"left", "right", "sum"}:
        errors["leg_raise"] = Message(
            N_("Send the leg-raise test as left and right, each from 0 to %(highest)d, or null."),
            highest=questionnaire.highest,
        )
        return None
    sides = [value.get("left"), value.get("right")]
    if any(side is None for side in sides):
        errors["leg_raise"] = N_("Rate both legs, or leave the test out this week.")
        return None
    if not all(_is_int(side) and 0 <= side <= questionnaire.highest for side in sides):
        errors["leg_raise"] = Message(
            N_("Each leg is rated with a whole number from 0 to %(highest)d."), highest=questionnaire.highest
        )
        return None
    return sides[0], sides[1]


def validate_checkin(
    data,
    *,
    week: date,
    today: date,
    now: datetime,
    earliest: LowerBound,
    function_check: Questionnaire,
    leg_raise: Questionnaire,
    week_name: str,
) -> CleanCheckin:
    """Check a check-in body for the week starting on ``week``; return it clean, or raise InvalidEntry."""
    if not isinstance(data, dict):
        raise InvalidEntry({"body": N_("Send the check as a JSON object.")})
    errors: dict[str, str] = {}
    for name in sorted(set(data) - CHECKIN_FIELDS):
        errors[name] = N_("This field is not part of a weekly check.")
    problem = check_week(week, today, earliest)
    if problem:
        errors["week"] = problem
    elif "week" in data and data["week"] != week_name:
        errors["week"] = N_("The week must match the week in the address.")
    answers = _answers(data.get("answers"), function_check, errors)
    sides = _leg_raise(data.get("leg_raise"), leg_raise, errors)
    updated_at = edit_time(data, now, errors)
    if errors:
        raise InvalidEntry(errors)
    return CleanCheckin(
        week=week,
        answers=answers,
        function_score=function_check.score(answers),
        leg_raise=sides,
        updated_at=updated_at,
    )


def form_to_checkin(form, function_check: Questionnaire) -> dict:
    """Turn the weekly check's form (a MultiDict of strings) into a check-in body for validation.

    Only text becomes numbers here; every rule stays in validate_checkin. An item left
    unanswered is left out, so validation asks for it.
    """
    answers: dict = {}
    for item in function_check.item_ids:
        raw = form.get(f"answer-{item}", "").strip()
        if raw == NOT_APPLICABLE:
            answers[item] = None
        elif raw:
            answers[item] = int(raw) if raw.isdigit() and len(raw) <= 2 else raw
    sides = {}
    for side in ("left", "right"):
        raw = form.get(f"leg-{side}", "").strip()
        sides[side] = (int(raw) if raw.isdigit() and len(raw) <= 2 else raw) if raw else None
    leg_raise = None if sides["left"] is None and sides["right"] is None else sides
    return {"answers": answers, "leg_raise": leg_raise}
