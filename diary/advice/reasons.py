"""A tip's reason in words: the templates of diary/advice/rules.toml filled from a rule's figures.

A template names its figures in braces. Where a number meets a noun the template gives the
noun's two forms after a colon, singular first: ``{days:dag|dage}`` reads "1 dag" or
"7 dage", ``{days:day|days}`` "1 day" or "7 days" (Danish and English have no other plural
forms). A reason that differs by case (the stage of pregnancy, say) is a table of templates
keyed by the case the condition names in its ``variant`` figure.
"""

import string

# Figures a template may not print: the condition's choice of template, not a number.
HIDDEN = frozenset({"variant"})


class _ReasonFormatter(string.Formatter):
    """Fills a reason: one decimal for means (a decimal comma in Danish), nouns by number."""

    def __init__(self, language: str):
        super().__init__()
        self.decimal_mark = "," if language == "da" else "."

    def _number(self, value) -> str:
        if isinstance(value, float):
            return f"{value:.1f}".replace(".", self.decimal_mark)
        return str(value)

    def format_field(self, value, format_spec: str) -> str:
        if "|" in format_spec:
            one, other = format_spec.split("|")
            return f"{self._number(value)} {one if value == 1 else other}"
        if format_spec:
            raise ValueError(f"a reason knows no format {format_spec!r}; write noun forms as {{n:one|other}}")
        return self._number(value)


def template_for(reason, figures: dict) -> str:
    """The template of one language: the reason itself, or its case named by the figures."""
    if isinstance(reason, str):
        return reason
    return reason[figures["variant"]]


def render(reason, figures: dict, language: str) -> str:
    """One language's reason with the figures filled in."""
    shown = {name: value for name, value in figures.items() if name not in HIDDEN}
    return _ReasonFormatter(language).format(template_for(reason, figures), **shown)


def check_reason(rule_id: str, reason: dict) -> None:
    """Stop start-up on a reason that lacks a language or whose cases differ between them."""
    if set(reason) != {"da", "en"}:
        raise ValueError(f"rule {rule_id!r} needs a reason in Danish and English, has {sorted(reason)}")
    cases = {
        language: frozenset(text) if isinstance(text, dict) else None for language, text in reason.items()
    }
    if cases["da"] != cases["en"]:
        raise ValueError(f"rule {rule_id!r} has different reason cases in Danish and English")
