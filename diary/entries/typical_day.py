"""A typical day in few taps: her own usual triggers first, and yesterday's answers to start from.

Pure: takes entries as the store gives them (DayEntry), returns codes and answers.
"""

from collections import Counter
from datetime import date, timedelta

from diary.entries.codes import CODE_SETS, RED_FLAGS, TRIGGERS
from diary.entries.entry import DayEntry

#: How far back her usual triggers are counted.
USUAL_WINDOW_DAYS = 30


def usual_window(today: date) -> tuple[date, date]:
    """The days whose triggers order the chips: the last 30, today included."""
    return today - timedelta(days=USUAL_WINDOW_DAYS - 1), today


def triggers_by_use(entries) -> list[str]:
    """Every trigger code, the ones on most of these days first; ties and unused ones keep the list's order."""
    days_with = Counter(code for entry in entries for code in set(entry.triggers))
    canonical = [item.code for item in TRIGGERS]
    return sorted(canonical, key=lambda code: (-days_with[code], canonical.index(code)))


def chosen_first(codes: list[str], chosen) -> list[str]:
    """The codes with the chosen ones moved to the front, each part in the given order."""
    wanted = set(chosen)
    return [code for code in codes if code in wanted] + [code for code in codes if code not in wanted]


def split_at(codes: list[str], chosen, shown: int) -> tuple[list[str], list[str]]:
    """The codes shown at once (the first `shown`, and any chosen one) and the rest, each in the given order."""
    first = set(codes[:shown]) | set(chosen)
    return [code for code in codes if code in first], [code for code in codes if code not in first]


def like_yesterday(yesterday: DayEntry) -> dict:
    """Today's answers to start from, copied from yesterday's entry.

    The note is hers for that day only, and a warning sign (a red-flag code) is asked afresh
    each day: neither is carried over unseen.
    """
    return {
        "pain": yesterday.pain,
        **{
            name: [code for code in getattr(yesterday, name) if code not in RED_FLAGS[name]]
            for name in CODE_SETS
        },
        "night_wakings": yesterday.night_wakings,
        "note": "",
    }


# A chip's width on the phone, roughly: its label at about 8.7 px a character (0.95rem, bold),
# and 60 px of padding, tick circle, border and gap. Rounded up, so that a row rather ends
# early than wraps onto a second line below the save button.
CHIP_PX_PER_CHARACTER = 8.7
CHIP_PX_AROUND = 60
FIRST_ROW_PX = 328  # the page's width at 360 px, less its margins


def first_row(labels: list[str], room: float = FIRST_ROW_PX) -> int:
    """How many of these chip labels, in order, fit on one row (at least one: her most used)."""
    used, count = 0.0, 0
    for label in labels:
        used += len(label) * CHIP_PX_PER_CHARACTER + CHIP_PX_AROUND
        if used > room:
            break
        count += 1
    return max(count, min(1, len(labels)))
