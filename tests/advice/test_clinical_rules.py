"""The rules that fit clinical sense: red flags now, escalation at the agreed thresholds, the
lower-back card once a week, no reading of days not logged, and reasons in natural words."""

import re
import string
from dataclasses import replace
from datetime import timedelta

import pytest

from diary.advice.reasons import render
from diary.advice.rules import Profile, evaluate, load_rules
from tests.support.diaries import PREGNANT, TODAY, born_ago, entry, pregnant_in

RULES = load_rules()
BY_ID = {rule.id: rule for rule in RULES}


def fires(rule_id, entries, profile=PREGNANT) -> bool:
    return bool(evaluate([BY_ID[rule_id]], entries, TODAY, profile))


def nights(woken, total=7):
    return [entry(o, night_wakings=1 if o < woken else 0) for o in range(total)]


def two_spans(before, now, days=14):
    """``days`` logged days with the pains ``now`` (cycled) after ``days`` days of ``before``."""
    return [entry(o, pain=now[o % len(now)]) for o in range(days)] + [
        entry(o, pain=before) for o in range(days, 2 * days)
    ]


# --- Each rule on both sides of its threshold, with the agreed numbers ------------------------


@pytest.mark.parametrize(
    "rule_id, entries, profile, expected",
    [
        ("worst-pain", [entry(3, pain=9)], PREGNANT, True),
        ("worst-pain", [entry(0, pain=10)], PREGNANT, True),
        ("worst-pain", [entry(o, pain=8) for o in range(7)], PREGNANT, False),
        ("worst-pain", [entry(7, pain=10)], PREGNANT, False),
        ("sleepless-nights", nights(5), PREGNANT, True),
        ("sleepless-nights", nights(4), PREGNANT, False),
        ("untreated-pain", [entry(o, pain=7) for o in range(2)], PREGNANT, True),
        ("untreated-pain", [entry(0, pain=7), entry(1, pain=7, relief=["heat"])], PREGNANT, False),
        ("untreated-pain", [entry(o, pain=6) for o in range(7)], PREGNANT, False),
        ("slow-decline", two_spans(3, [4, 5]), PREGNANT, True),  # 3.0 -> 4.5
        (
            "slow-decline",
            two_spans(3, [4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 4]),
            PREGNANT,
            False,
        ),  # 3.0 -> 4.4
        ("pain-medication", [entry(o, relief=["pain_medication"]) for o in range(4)], PREGNANT, True),
        (
            "pain-medication",
            [entry(o, relief=["pain_medication"] if o < 3 else ["rest"]) for o in range(7)],
            PREGNANT,
            False,
        ),
        ("pain-after-birth", [entry(o, pain=5) for o in range(3)], born_ago(12 * 7), True),
        ("pain-after-birth", [entry(o, pain=5) for o in range(3)], born_ago(12 * 7 - 1), False),
        ("pain-after-birth", [entry(o, pain=5 if o < 4 else 4) for o in range(7)], born_ago(100), True),
        ("pain-after-birth", [entry(o, pain=5 if o < 3 else 4) for o in range(6)], born_ago(100), False),
        ("numbness-today", [entry(0, sensations=["numbness"])], PREGNANT, True),
        ("numbness-today", [entry(1, sensations=["numbness"])], PREGNANT, False),
        ("waves-today", [entry(0, sensations=["comes_and_goes"])], PREGNANT, True),
        ("waves-today", [entry(1, sensations=["comes_and_goes"]), entry(0)], PREGNANT, False),
        (
            "low-back-before-term",
            [entry(o, locations=["lower_back"]) for o in range(3)],
            pregnant_in(22),
            True,
        ),
        (
            "low-back-before-term",
            [entry(o, locations=["lower_back"]) for o in range(2)],
            pregnant_in(22),
            False,
        ),
    ],
)
def test_each_rule_holds_at_its_agreed_threshold_and_not_below(rule_id, entries, profile, expected):
    assert fires(rule_id, entries, profile) == expected


@pytest.mark.parametrize(
    "rule_id, advice, safety",
    [
        ("numbness-today", "warning-signs", True),
        ("waves-today", "warning-signs", True),
        ("worst-pain", "seek-help", True),
        ("sleepless-nights", "seek-help", True),
        ("slow-decline", "seek-help", True),
        ("untreated-pain", "physiotherapy", False),
        ("pain-medication", "seek-help", False),
        ("pain-after-birth", "physiotherapy", False),
        ("low-back-before-term", "warning-signs", False),
    ],
)
def test_each_rule_leads_to_help_not_to_self_care(rule_id, advice, safety):
    assert (BY_ID[rule_id].advice, BY_ID[rule_id].safety) == (advice, safety)


def test_one_day_at_nine_puts_talking_to_the_midwife_first():
    entries = [entry(o, pain=3, triggers=["stairs", "lifting", "work"]) for o in range(1, 7)] + [
        entry(0, pain=9)
    ]
    tips = evaluate(RULES, entries, TODAY, PREGNANT)
    assert tips[0].advice == "seek-help" and tips[0].safety
    assert tips[0].reason["da"].startswith("Smerterne har været oppe på 9 eller 10 på 1 af de sidste 7 dage.")


def test_reasons_to_call_on_different_measures_are_given_together_but_a_lower_threshold_is_not_repeated():
    entries = [entry(o, pain=9, night_wakings=2) for o in range(5)]
    seek_help = next(tip for tip in evaluate(RULES, entries, TODAY, PREGNANT) if tip.advice == "seek-help")
    assert seek_help.rules == ("worst-pain", "sleepless-nights")
    assert seek_help.reason["da"] == (
        "Smerterne har været oppe på 9 eller 10 på 5 af de sidste 7 dage. "
        "Smerterne har vækket dig i 5 af de sidste 7 nætter – 10 gange i alt."
    )


def test_pain_of_seven_with_nothing_that_eased_it_leads_to_physiotherapy_not_heat():
    advice = [tip.advice for tip in evaluate(RULES, [entry(o, pain=7) for o in range(2)], TODAY, PREGNANT)]
    assert "physiotherapy" in advice and "heat" not in advice


def test_a_slow_creep_that_no_single_week_shows_is_caught():
    # Week by week: 3, 3, 4, 5 (never two points up on the week before); 14 against 14 days: 3.0 -> 4.5.
    entries = [entry(o, pain=5 if o < 7 else 4 if o < 14 else 3) for o in range(28)]
    tips = evaluate(RULES, entries, TODAY, PREGNANT)
    assert tips[0].advice == "seek-help" and tips[0].rules == ("slow-decline",)
    assert (
        tips[0].reason["en"]
        == "The pain has slowly got worse: an average of 4.5 over the last 14 days against 3.0 in the 14 days before."
    )


def test_pain_medication_reason_names_no_drug_and_no_dose():
    tip = evaluate(
        [BY_ID["pain-medication"]], [entry(o, relief=["pain_medication"]) for o in range(4)], TODAY, PREGNANT
    )[0]
    assert (
        tip.reason["da"]
        == "Du har taget smertestillende på 4 af de sidste 7 dage. Tal med din jordemoder eller læge om det."
    )
    assert not re.search(
        r"\d+\s*(mg|g|tablet|pille)|paracetamol|ibuprofen|panodil|pinex",
        tip.reason["da"] + tip.reason["en"],
        re.I,
    )


# --- Red flags --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "profile, words",
    [
        (pregnant_in(19, 6), "ring til din læge nu"),
        (pregnant_in(20, 0), "Før uge 37 kan det være veer: ring til fødemodtagelsen nu."),
        (pregnant_in(36, 6), "Før uge 37 kan det være veer: ring til fødemodtagelsen nu."),
        (pregnant_in(37, 0), "Det kan være veer: ring til fødemodtagelsen nu."),
        (
            born_ago(2),
            "Ring med det samme – de første dage efter fødslen til fødestedet, ellers til din læge",
        ),
        (
            born_ago(400),
            "Ring med det samme – de første dage efter fødslen til fødestedet, ellers til din læge",
        ),
        (Profile(), "ring til fødemodtagelsen nu, eller før uge 20 til din læge"),
    ],
)
def test_waves_today_say_whom_to_call_now_by_the_week(profile, words):
    tips = evaluate(RULES, [entry(0, pain=2, sensations=["comes_and_goes"])], TODAY, profile)
    assert tips[0].advice == "warning-signs" and tips[0].safety
    assert tips[0].reason["da"].startswith("Du har skrevet, at det kommer og går i bølger.")
    assert words in tips[0].reason["da"]


@pytest.mark.parametrize("code", ["comes_and_goes", "numbness"])
@pytest.mark.parametrize("days_ago", [2, 90, 400])
def test_after_birth_a_red_flag_says_call_right_away_before_anything_else_and_out_of_hours_too(
    code, days_ago
):
    tip = evaluate(RULES, [entry(0, sensations=[code])], TODAY, born_ago(days_ago))[0]
    wrote_da, then_da = tip.reason["da"].split(". ", 1)
    wrote_en, then_en = tip.reason["en"].split(". ", 1)
    assert wrote_da.startswith("Du har skrevet, at") and wrote_en.startswith("You wrote that")
    assert re.match(
        r"(Det er ikke bækkenløsning: ring|Ring) med det samme – de første dage efter fødslen til fødestedet",
        then_da,
    )
    assert re.match(
        r"(That is not pelvic girdle pain: call|Call) right away – in the first days after the birth, the birth unit",
        then_en,
    )
    assert "uden for åbningstid til lægevagten" in then_da and "out of hours the medical helpline" in then_en
    assert "almindelig" not in tip.reason["da"] and "common" not in tip.reason["en"]


@pytest.mark.parametrize(
    "profile", [pregnant_in(10), pregnant_in(30), pregnant_in(39), born_ago(20), Profile()]
)
def test_numbness_today_says_it_is_not_pgp_and_to_call_right_away(profile):
    tip = evaluate(RULES, [entry(0, sensations=["numbness"])], TODAY, profile)[0]
    assert tip.advice == "warning-signs" and tip.safety
    assert "Det er ikke bækkenløsning: ring" in tip.reason["da"] and "med det samme" in tip.reason["da"]
    assert "That is not pelvic girdle pain: call" in tip.reason["en"] and "right away" in tip.reason["en"]


def test_a_red_flag_comes_before_every_other_tip_and_cannot_be_put_away():
    busy = [entry(o, pain=9, triggers=["stairs"], night_wakings=2) for o in range(1, 7)]
    today = entry(0, pain=9, sensations=["numbness"], triggers=["stairs"], night_wakings=2)
    hidden = {"warning-signs", "seek-help", "stairs"}
    tips = evaluate(
        RULES,
        busy + [today],
        TODAY,
        PREGNANT,
        dismissed=hidden,
        shown_yesterday=hidden,
        shown_this_week=hidden,
        dismissed_this_week=hidden,
    )
    assert [tip.advice for tip in tips][:2] == ["warning-signs", "seek-help"]


def test_both_red_flags_today_give_both_reasons_in_one_tip():
    tips = evaluate(RULES, [entry(0, sensations=["numbness", "comes_and_goes"])], TODAY, PREGNANT)
    assert [tip.advice for tip in tips].count("warning-signs") == 1
    assert tips[0].rules == ("numbness-today", "waves-today")
    assert "følelsesløs" in tips[0].reason["da"] and "bølger" in tips[0].reason["da"]


def test_a_red_flag_on_an_earlier_day_is_no_longer_a_call_now():
    tips = evaluate(RULES, [entry(1, sensations=["numbness"]), entry(0)], TODAY, PREGNANT)
    assert not any(tip.safety and tip.advice == "warning-signs" for tip in tips)


# --- The lower-back card: once an ISO week, dismissible for the week ---------------------------


def simulate_week(monday, entries_of, profile, dismissed_on=None):
    """The days of one ISO week on which the warning-signs card shows, shown tips tracked as the app does."""
    shown_on, days = {}, []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        this_week = set().union(*(advice for when, advice in shown_on.items() if when < day))
        dismissed = {"warning-signs"} if dismissed_on is not None and dismissed_on <= day else set()
        tips = evaluate(
            RULES,
            entries_of(day),
            day,
            profile,
            shown_yesterday=shown_on.get(day - timedelta(days=1), set()),
            shown_this_week=this_week,
            dismissed_this_week=dismissed,
        )
        shown_on[day] = {tip.advice for tip in tips}
        if "warning-signs" in shown_on[day]:
            days.append(day)
    return days


def lower_back_six_of_seven(day):
    """Lower back on 6 of every 7 days up to ``day``."""
    return [
        replace(entry(0, pain=4, locations=["lower_back"] if n % 7 else []), date=day - timedelta(days=n))
        for n in range(21)
    ]


def test_lower_back_on_six_of_seven_days_shows_the_signs_once_in_an_iso_week():
    monday = TODAY - timedelta(days=TODAY.weekday())
    profile = pregnant_in(30, 0, today=monday)
    assert len(simulate_week(monday, lower_back_six_of_seven, profile)) == 1
    assert len(simulate_week(monday + timedelta(days=7), lower_back_six_of_seven, profile)) == 1


def test_a_dismissed_lower_back_card_stays_away_for_the_week_only():
    monday = TODAY - timedelta(days=TODAY.weekday())
    rule = BY_ID["low-back-before-term"]
    entries, profile = lower_back_six_of_seven(monday), pregnant_in(30, 0, today=monday)
    assert evaluate([rule], entries, monday, profile, dismissed_this_week={"warning-signs"}) == []
    assert evaluate(
        [rule], entries, monday, profile, dismissed={"warning-signs"}
    )  # a dismissal for good does not apply


# --- Days not logged are neither good nor bad ------------------------------------------------


@pytest.mark.parametrize(
    "rule_id, logged",
    [
        (
            "high-pain",
            [entry(o, pain=5) for o in (0, 3, 6)],
        ),  # 3 logged days of 7, each at 5: the mean is 5, not 15/7
        ("sleepless-nights", nights(5, total=5)),
        ("severe-pain-days", [entry(o, pain=8) for o in (0, 2, 4)]),
    ],
)
def test_a_gap_counts_neither_for_nor_against_her(rule_id, logged):
    assert fires(rule_id, logged)


def test_a_diary_picked_up_again_after_a_gap_is_not_called_new():
    assert fires("new-diary", [entry(1)])
    assert not fires("new-diary", [entry(20), entry(19), entry(0)])


def test_no_reason_guesses_what_the_days_without_an_entry_were_like():
    words = re.compile(
        r"tunge|days are heavy|heavy days|glemt|forgot|skrev ind|logged|noteret|noted|indskrev", re.I
    )
    for rule in RULES:
        for language, reason in rule.reason.items():
            for template in reason.values() if isinstance(reason, dict) else [reason]:
                assert not words.search(re.sub(r"\{[^}]*\}", "", template)), (rule.id, language, template)


# --- Reasons in natural words, with nouns that agree with their numbers -------------------------

NOUNS = "dag|dage|nat|nætter|uge|uger|gang|gange|day|days|night|nights|week|weeks|time|times"
SINGULAR = {
    "dage": "dag",
    "nætter": "nat",
    "uger": "uge",
    "gange": "gang",
    "days": "day",
    "nights": "night",
    "weeks": "week",
    "times": "time",
}


def templates() -> list:
    """Every reason template of every rule, language and case, as test parameters."""
    return [
        pytest.param(rule, language, template, id=f"{rule.id}-{language}{'-' + case if case else ''}")
        for rule in RULES
        for language, reason in rule.reason.items()
        for case, template in (reason.items() if isinstance(reason, dict) else [("", reason)])
    ]


@pytest.mark.parametrize("rule, language, template", templates())
def test_every_number_that_meets_a_noun_gives_both_forms(rule, language, template):
    assert not re.search(r"\}\s+(" + NOUNS + r")\b", template), "write the noun as {n:one|other}"


@pytest.mark.parametrize("number", [1, 2])
@pytest.mark.parametrize("rule, language, template", templates())
def test_every_reason_reads_right_for_one_and_for_two(rule, language, template, number):
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    text = render(template, {name: number for name in names}, language)
    if number == 1:
        assert not re.search(r"\b1 (" + "|".join(SINGULAR) + r")\b", text), text
    else:
        assert not re.search(r"\b2 (" + "|".join(SINGULAR.values()) + r")\b", text), text


@pytest.mark.parametrize(
    "woken, times, da, en",
    [
        (1, 1, "i 1 af de sidste 7 nætter – 1 gang i alt", "on 1 of the last 7 nights – 1 time in all"),
        (2, 2, "i 2 af de sidste 7 nætter – 2 gange i alt", "on 2 of the last 7 nights – 2 times in all"),
    ],
)
def test_the_nights_reason_counts_times_in_words_that_agree(woken, times, da, en):
    figures = {"count": woken, "days": 7, "wakings": times}
    rule = BY_ID["bad-nights"]
    assert da in render(rule.reason["da"], figures, "da") and en in render(rule.reason["en"], figures, "en")


@pytest.mark.parametrize(
    "days_ago, da, en",
    [
        (
            3,
            "Du har født inden for den sidste uge. Tillykke!",
            "You gave birth within the last week. Congratulations!",
        ),
        (7, "Det er 1 uge siden, du fødte.", "It is 1 week since you gave birth."),
        (15, "Det er 2 uger siden, du fødte.", "It is 2 weeks since you gave birth."),
    ],
)
def test_the_after_birth_reason_never_counts_zero_weeks(days_ago, da, en):
    tip = evaluate([BY_ID["after-birth"]], [], TODAY, born_ago(days_ago))[0]
    assert (tip.reason["da"], tip.reason["en"]) == (da, en)


@pytest.mark.parametrize(
    "rule_id, entries, da",
    [
        (
            "turning-in-bed",
            [entry(o, triggers=["turning_in_bed"]) for o in range(4)],
            "Det har gjort ondt, når du vendte dig i sengen, på 4 af de sidste 7 dage.",
        ),
        (
            "back-pain",
            [entry(o, locations=["buttocks"]) for o in range(4)],
            "Det har gjort ondt ved SI-leddene bagtil eller i balderne på 4 af de sidste 7 dage.",
        ),
        (
            "front-pain",
            [entry(o, locations=["symphysis"]) for o in range(4)],
            "Det har gjort ondt ved skambenet eller i lysken på 4 af de sidste 7 dage.",
        ),
    ],
)
def test_reasons_lead_with_what_she_felt_in_the_agreed_words(rule_id, entries, da):
    assert evaluate([BY_ID[rule_id]], entries, TODAY, PREGNANT)[0].reason["da"] == da


@pytest.mark.parametrize(
    "reason, message",
    [
        ('reason.da = "Kun dansk."', "Danish and English"),
        ('reason.da.early = "Tidligt."\nreason.en.early = "Early."', "each case of code_today"),
    ],
)
def test_a_rule_without_every_language_or_case_stops_start_up(tmp_path, reason, message):
    path = tmp_path / "rules.toml"
    path.write_text(
        f'[[rule]]\nid = "x"\nadvice = "warning-signs"\ncondition = "code_today"\n'
        f'params = {{ field = "sensations", codes = ["numbness"] }}\n{reason}\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=message):
        load_rules(path)
