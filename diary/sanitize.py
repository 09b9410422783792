"""The one module that imports the HTML sanitiser (bleach).

bleach 6 is its last release; keeping every call here makes a switch to another
sanitiser a one-file change.
"""

import html
import re

import bleach

# Control characters other than tab and newline have no place in a diary note.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def unix_newlines(text: str) -> str:
    """Text with every line break as one "\\n" (browsers send a textarea's breaks as CRLF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def without_control_characters(text: str) -> str:
    """Text with control characters (NUL and the like, which PostgreSQL refuses) removed."""
    return _CONTROL.sub("", unix_newlines(text))


def plain_text(text: str) -> str:
    """Return text with all markup removed, as plain text to be autoescaped on output.

    bleach strips every tag and comment and escapes what is left; unescaping that gives
    back the user's own characters (``&``, ``<`` typed as text) without any markup.
    """
    cleaned = bleach.clean(unix_newlines(text), tags=set(), attributes={}, strip=True, strip_comments=True)
    return _CONTROL.sub("", html.unescape(cleaned)).strip()


# What rendered advice may contain: text structure and links, nothing that runs or styles.
ALLOWED_TAGS = frozenset({"p", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "br", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": ["href"]}
ALLOWED_PROTOCOLS = frozenset({"https", "mailto", "tel"})


def safe_html(html_text: str) -> str:
    """Return HTML reduced to the tags of the advice library's allow-list."""
    return bleach.clean(
        html_text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
