"""Questionnaires as data: one TOML file per questionnaire in questionnaires/, checked at start-up.

Pure: reads and checks the files and scores answers; nothing here knows about Flask. The
format is described in questionnaires/README.md.
"""

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from types import MappingProxyType

from diary.config import PROJECT_ROOT

LANGUAGES = ("da", "en")
QUESTIONNAIRE_FOLDER = PROJECT_ROOT / "questionnaires"
#: The diary's own weekly check, and the leg-raise test asked with it (API.md, "The weekly check").
FUNCTION_CHECK = "function-check"
LEG_RAISE = "leg-raise"
REQUIRED = (FUNCTION_CHECK, LEG_RAISE)

#: Each scoring rule, and the rounding it takes.
RULES = {"percent_of_maximum": ("half_up",), "sum": ("none",)}
HIGHER_MEANS = ("more_limited", "less_limited")
ITEM_ID = re.compile(r"[a-z][a-z_]{0,31}")
MAX_ITEMS = 50


class QuestionnaireError(ValueError):
    """A questionnaire file that does not follow questionnaires/README.md."""


@dataclass(frozen=True)
class Choice:
    value: int
    label: dict[str, str]  # language -> text
    short: dict[str, str] | None = None  # the word on an answer button, when the label is long


@dataclass(frozen=True)
class Item:
    id: str
    text: dict[str, str]


@dataclass(frozen=True)
class Questionnaire:
    id: str
    validated: bool
    title: dict[str, str]
    about: dict[str, str]
    question: dict[str, str]
    choices: tuple[Choice, ...]
    not_applicable: dict[str, str] | None  # the "does not apply" answer's label, when it has one
    rule: str
    higher_means: str
    items: tuple[Item, ...]

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    @property
    def highest(self) -> int:
        """The highest answer on the scale."""
        return self.choices[-1].value

    def score(self, answers: Mapping[str, int | None]) -> int | None:
        """The score of a complete set of answers (None meaning "does not apply"), or None."""
        return score(self.rule, [answers[item] for item in self.item_ids], self.highest)


def round_half_up(value: Fraction) -> int:
    """A whole number as people round: 12.5 -> 13 (Python's round() would give 12)."""
    return math.floor(value + Fraction(1, 2))


def score(rule: str, answers: list[int | None], highest: int) -> int | None:
    """Score the answers by a rule; None where the rule gives no score."""
    answered = [answer for answer in answers if answer is not None]
    if rule == "percent_of_maximum":
        if not answered:
            return None
        return round_half_up(Fraction(sum(answered) * 100, highest * len(answered)))
    if rule == "sum":
        return sum(answered) if len(answered) == len(answers) else None
    raise QuestionnaireError(f"unknown scoring rule {rule!r}")


def _texts(name: str, where: str, value) -> dict[str, str]:
    """A table of non-empty Danish and English text, or the fault."""
    if not isinstance(value, dict) or set(value) != set(LANGUAGES):
        raise QuestionnaireError(f"{name}: {where} needs da and en text, and nothing else")
    if not all(isinstance(text, str) and text.strip() for text in value.values()):
        raise QuestionnaireError(f"{name}: {where} has empty text")
    return {language: value[language].strip() for language in LANGUAGES}


def _choices(name: str, scale) -> tuple[Choice, ...]:
    choices = scale.get("choices") if isinstance(scale, dict) else None
    if not isinstance(choices, list) or len(choices) < 2:
        raise QuestionnaireError(f"{name}: scale.choices needs at least two answers")
    found = []
    for index, choice in enumerate(choices):
        where = f"scale.choices[{index}]"
        if not isinstance(choice, dict):
            raise QuestionnaireError(f"{name}: {where} must be a table")
        value = choice.get("value")
        if isinstance(value, bool) or value != index:
            raise QuestionnaireError(f"{name}: {where} must have value = {index} (values count 0, 1, 2 …)")
        label = _texts(name, where, {k: v for k, v in choice.items() if k not in ("value", "short")})
        short = _texts(name, f"{where}.short", choice["short"]) if "short" in choice else None
        found.append(Choice(value, label, short))
    return tuple(found)


def _scoring(name: str, scoring, not_applicable) -> tuple[str, str]:
    if not isinstance(scoring, dict):
        raise QuestionnaireError(f"{name}: needs a [scoring] table with its rule")
    rule = scoring.get("rule")
    if rule not in RULES:
        raise QuestionnaireError(f"{name}: scoring rule {rule!r} is not one of {', '.join(RULES)}")
    rounding = scoring.get("rounding")
    if rounding not in RULES[rule]:
        raise QuestionnaireError(
            f"{name}: scoring rule {rule} takes rounding = {' or '.join(map(repr, RULES[rule]))}, not {rounding!r}"
        )
    if scoring.get("higher_means") not in HIGHER_MEANS:
        raise QuestionnaireError(f"{name}: scoring.higher_means must be one of {', '.join(HIGHER_MEANS)}")
    if rule == "sum" and not_applicable is not None:
        raise QuestionnaireError(
            f"{name}: a sum needs every item answered, so it cannot allow 'does not apply'"
        )
    unknown = set(scoring) - {"rule", "rounding", "higher_means"}
    if unknown:
        raise QuestionnaireError(f"{name}: [scoring] has unknown keys {sorted(unknown)}")
    return rule, scoring["higher_means"]


def _items(name: str, items) -> tuple[Item, ...]:
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        raise QuestionnaireError(f"{name}: needs from 1 to {MAX_ITEMS} [[items]]")
    found, seen = [], set()
    for index, item in enumerate(items):
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item_id, str) or not ITEM_ID.fullmatch(item_id):
            raise QuestionnaireError(f"{name}: items[{index}] needs an id of lower-case letters and _")
        if item_id in seen:
            raise QuestionnaireError(f"{name}: item {item_id!r} is in the file twice")
        seen.add(item_id)
        found.append(
            Item(item_id, _texts(name, f"item {item_id!r}", {k: v for k, v in item.items() if k != "id"}))
        )
    return tuple(found)


def parse_questionnaire(text: str, name: str) -> Questionnaire:
    """One questionnaire file's content; ``name`` is the file's name, for the messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise QuestionnaireError(f"{name}: not valid TOML ({problem})") from None
    stem = name.removesuffix(".toml")
    if data.get("id") != stem:
        raise QuestionnaireError(f"{name}: id {data.get('id')!r} must equal the file name, {stem!r}")
    if not isinstance(data.get("validated"), bool):
        raise QuestionnaireError(f"{name}: validated must be true or false")
    scale = data.get("scale")
    choices = _choices(name, scale)
    not_applicable = scale.get("not_applicable")
    if not_applicable is not None:
        not_applicable = _texts(name, "scale.not_applicable", not_applicable)
    rule, higher_means = _scoring(name, data.get("scoring"), not_applicable)
    return Questionnaire(
        id=stem,
        validated=data["validated"],
        title=_texts(name, "title", data.get("title")),
        about=_texts(name, "about", data.get("about")),
        question=_texts(name, "question", data.get("question")),
        choices=choices,
        not_applicable=not_applicable,
        rule=rule,
        higher_means=higher_means,
        items=_items(name, data.get("items")),
    )


def load_questionnaires(folder: Path = QUESTIONNAIRE_FOLDER) -> dict[str, Questionnaire]:
    """Every questionnaire in the folder, by id; the diary's own two must be among them."""
    found = {}
    for path in sorted(folder.glob("*.toml")):
        questionnaire = parse_questionnaire(path.read_text(encoding="utf-8"), path.name)
        found[questionnaire.id] = questionnaire
    for required in REQUIRED:
        if required not in found:
            raise QuestionnaireError(f"{folder.name}/{required}.toml: the weekly check needs this file")
    if found[LEG_RAISE].item_ids != ("left", "right"):
        raise QuestionnaireError(f"{LEG_RAISE}.toml: the leg-raise test has the items left and right")
    return found


@cache
def shipped_questionnaires() -> Mapping[str, Questionnaire]:
    """The questionnaires folder, read once per process."""
    return MappingProxyType(load_questionnaires())


def function_check() -> Questionnaire:
    """The diary's own weekly function check."""
    return shipped_questionnaires()[FUNCTION_CHECK]


def leg_raise() -> Questionnaire:
    """The self-rated Active Straight Leg Raise."""
    return shipped_questionnaires()[LEG_RAISE]
