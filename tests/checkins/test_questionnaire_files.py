"""Questionnaires are files: each is checked when the app starts, and a malformed one stops
start-up with a message naming the file and the fault."""

import shutil

import pytest

from diary import create_app
from diary.checkins.questionnaires import (
    QUESTIONNAIRE_FOLDER,
    QuestionnaireError,
    load_questionnaires,
    parse_questionnaire,
)

GOOD = (QUESTIONNAIRE_FOLDER / "function-check.toml").read_text(encoding="utf-8")


@pytest.fixture
def folder(tmp_path):
    """A copy of the shipped questionnaires, to break one of them."""
    copy = tmp_path / "questionnaires"
    shutil.copytree(QUESTIONNAIRE_FOLDER, copy)
    return copy


def test_the_shipped_files_load():
    found = load_questionnaires()
    assert {"function-check", "leg-raise"} <= set(found)
    assert found["leg-raise"].item_ids == ("left", "right")
    assert found["leg-raise"].highest == 5


def test_it_refuses_to_start_with_a_malformed_scoring_rule(folder, tmp_path):
    path = folder / "function-check.toml"
    path.write_text(GOOD.replace('rule = "percent_of_maximum"', 'rule = "average"'), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as refused:
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}", "QUESTIONNAIRE_FOLDER": folder})
    assert str(refused.value) == (
        "function-check.toml: scoring rule 'average' is not one of percent_of_maximum, sum"
    )


def test_it_starts_with_a_clinics_added_questionnaire(folder, tmp_path):
    added = GOOD.replace('id = "function-check"', 'id = "clinic-check"')
    (folder / "clinic-check.toml").write_text(added, encoding="utf-8")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}", "QUESTIONNAIRE_FOLDER": folder})
    assert app is not None
    assert "clinic-check" in load_questionnaires(folder)


def test_it_refuses_a_folder_without_the_weekly_check(folder):
    (folder / "function-check.toml").unlink()
    with pytest.raises(QuestionnaireError, match="function-check.toml: the weekly check needs this file"):
        load_questionnaires(folder)


@pytest.mark.parametrize(
    "old, new, fault",
    [
        ('rule = "percent_of_maximum"', "", r"scoring rule None is not one of"),
        ('rounding = "half_up"', 'rounding = "down"', r"takes rounding = 'half_up', not 'down'"),
        ('higher_means = "more_limited"', 'higher_means = "up"', "higher_means must be one of"),
        ('rule = "percent_of_maximum"', 'rule = "sum"', "takes rounding = 'none'"),
        ("[scoring]", "[scoring_rules]", r"needs a \[scoring\] table"),
        ('id = "function-check"', 'id = "other"', "must equal the file name"),
        ("validated = false", 'validated = "no"', "validated must be true or false"),
        (
            '{ value = 2, da = "Meget besvær"',
            '{ value = 5, da = "Meget besvær"',
            r"scale.choices\[2\] must have value = 2",
        ),
        (', en = "Cannot"', "", r"scale.choices\[3\] needs da and en"),
        ('id = "stairs"', 'id = "walking"', "item 'walking' is in the file twice"),
        ('id = "stairs"', 'id = "Stairs!"', r"items\[1\] needs an id"),
        ('en = "climb stairs"', 'en = "  "', "item 'stairs' has empty text"),
        ("[title]", "[title", "not valid TOML"),
        (
            'short = { da = "Lidt", en = "Some" }',
            'short = { da = "Lidt" }',
            r"scale.choices\[1\].short needs da and en",
        ),
    ],
)
def test_a_malformed_file_is_refused_with_its_name_and_fault(old, new, fault):
    assert old in GOOD
    with pytest.raises(QuestionnaireError, match=f"^function-check.toml: .*{fault}"):
        parse_questionnaire(GOOD.replace(old, new, 1), "function-check.toml")


def test_a_sum_cannot_allow_does_not_apply():
    text = GOOD.replace('rule = "percent_of_maximum"', 'rule = "sum"').replace(
        'rounding = "half_up"', 'rounding = "none"'
    )
    with pytest.raises(QuestionnaireError, match="cannot allow 'does not apply'"):
        parse_questionnaire(text, "function-check.toml")
