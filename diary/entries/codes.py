"""The code sets of a daily entry: the one source of truth for locations, sensations,
triggers and relief.

Codes are stable machine names used by the API, the database and exports. Each has an
English label marked for translation; the templates translate it at render time, so this
module imports nothing from Flask.
"""

from typing import NamedTuple


def N_(message: str) -> str:
    """Mark a string for extraction into the translation catalogues without translating it."""
    return message


class Code(NamedTuple):
    code: str
    label: str
    # Not pelvic girdle pain: logged for today, it brings up the warning signs at once.
    red_flag: bool = False


LOCATIONS = (
    Code("symphysis", N_("Pubic bone (front)")),
    Code("si_left", N_("Left sacroiliac joint (back)")),
    Code("si_right", N_("Right sacroiliac joint (back)")),
    Code("lower_back", N_("Lower back")),
    Code("buttocks", N_("Buttocks")),
    Code("hips", N_("Hips")),
    Code("groin", N_("Groin")),
    Code("thighs", N_("Thighs (radiating)")),
)

SENSATIONS = (
    Code("sharp", N_("Sharp")),
    Code("stabbing", N_("Stabbing")),
    Code("burning", N_("Burning")),
    Code("aching", N_("Aching")),
    Code("giving_way", N_("Giving way")),
    Code("clicking", N_("Clicking or sliding")),
    Code("numbness", N_("Numb or weak leg, or numb in the crotch"), red_flag=True),
    Code("comes_and_goes", N_("Comes and goes in waves (pain, tightening or pressure)"), red_flag=True),
)

TRIGGERS = (
    Code("stairs", N_("Stairs")),
    Code("turning_in_bed", N_("Turning in bed")),
    Code("getting_up", N_("Getting up")),
    Code("walking", N_("Walking")),
    Code("standing", N_("Standing")),
    Code("sitting", N_("Sitting")),
    Code("dressing", N_("Dressing")),
    Code("lifting", N_("Lifting")),
    Code("cycling", N_("Cycling")),
    Code("housework", N_("Housework")),
    Code("work", N_("Work")),
)

RELIEF = (
    Code("rest", N_("Rest")),
    Code("heat", N_("Heat")),
    Code("pelvic_belt", N_("Pelvic belt")),
    Code("exercises", N_("Exercises")),
    Code("physiotherapy", N_("Physiotherapy")),
    Code("pillow_between_knees", N_("Pillow between the knees")),
    Code("pain_medication", N_("Pain medication")),
    Code("help_from_others", N_("Help from others")),
)

#: Each set-valued entry field, in form order, with its codes.
CODE_SETS: dict[str, tuple[Code, ...]] = {
    "locations": LOCATIONS,
    "sensations": SENSATIONS,
    "triggers": TRIGGERS,
    "relief": RELIEF,
}

#: The allowed code names of each set-valued field, for validation.
ALLOWED: dict[str, frozenset[str]] = {
    field: frozenset(code.code for code in codes) for field, codes in CODE_SETS.items()
}

#: The codes of each set that are red flags, not pelvic girdle pain.
RED_FLAGS: dict[str, tuple[str, ...]] = {
    field: tuple(code.code for code in codes if code.red_flag) for field, codes in CODE_SETS.items()
}

PAIN_MIN, PAIN_MAX = 0, 10
NIGHT_WAKINGS_MAX = 20
NOTE_MAX_LENGTH = 2000


def label_of(field: str, code: str) -> str:
    """Return the untranslated English label of a code in one of the code sets."""
    for candidate in CODE_SETS[field]:
        if candidate.code == code:
            return candidate.label
    raise KeyError(f"{code!r} is not a {field} code")


def ordered(field: str, codes) -> list[str]:
    """Return the given codes of one set in the set's canonical order."""
    wanted = set(codes)
    return [code.code for code in CODE_SETS[field] if code.code in wanted]
