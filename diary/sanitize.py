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


# Where a "<" starts a tag for an HTML parser: before a letter, "/", "!" or "?".
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def _strip_tags(text: str) -> str:
    # "&" is escaped first, so bleach sees "&amp;" or "&lt;b&gt;" she typed as text and
    # unescaping gives them back exactly as typed, never turned into "&" or "<b>".
    cleaned = bleach.clean(
        text.replace("&", "&amp;"), tags=set(), attributes={}, strip=True, strip_comments=True
    )
    return html.unescape(cleaned)


def plain_text(text: str) -> str:
    """Return text with every tag and comment removed and all else as she typed it.

    What is kept is stated in docs/security.md ("Notes: what is stored"). A "<" that only
    became a tag because stripping joined two pieces ("<<b>script>") is dropped, so the
    result never holds a tag she did not type and sanitising it again changes nothing.
    """
    # Control characters go first: removed afterwards, "<\x00b>" would become "<b>".
    stripped = _strip_tags(without_control_characters(text))
    if _strip_tags(stripped) != stripped:
        stripped = _TAG_START.sub("", stripped)
    return stripped.strip()


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
