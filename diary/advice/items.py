"""The advice library: one Markdown file per item in advice/, Danish and English side by side.

Pure: reads the files, checks them, and renders their Markdown to sanitised HTML once.
"""

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from markdown_it import MarkdownIt

from diary.config import PROJECT_ROOT
from diary.entries.codes import N_
from diary.sanitize import safe_html

LANGUAGES = ("da", "en")
ADVICE_FOLDER = PROJECT_ROOT / "advice"

#: The library's topics, in the order the library page lists them.
TOPICS = {
    "about-pgp": N_("About pelvic girdle pain"),
    "daily-life": N_("Moving through the day"),
    "sleep": N_("Nights and sleep"),
    "relief": N_("Easing the pain"),
    "work-and-family": N_("Work, family and energy"),
    "getting-help": N_("Getting help"),
    "after-birth": N_("After the birth"),
}

#: What each source name in an item's header refers to.
SOURCES = {
    "000": "Patientinformation om bækkenløsning (opdateret 19.02.2025)",
    "001": "Hvad er bækkenløsning, og hvordan føles det? (kiropraktisk klinik, 11.07.2025)",
    "eu-guideline-2008": "European guidelines for the diagnosis and treatment of pelvic girdle pain (Vleeming et al., Eur Spine J 2008)",
    "jordemoderforeningen": "Jordemoderforeningen",
    "patientvejledningen": "Dansk patientvejledning om bækkensmerter",
    "moderliv": "Moderliv",
    "dk-hospitals": "Danske hospitalers sider for gravide",
    "mens-2002": "Active Straight Leg Raise, vurderet af kvinden selv (Mens et al. 2002)",
}

_FRONT_MATTER = re.compile(r"\A\+\+\+\n(.*?)\n\+\+\+\n(.*)\Z", re.DOTALL)
_LANGUAGE_MARK = re.compile(r"^=== (da|en) ===$", re.MULTILINE)
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


class AdviceError(ValueError):
    """An advice file that does not follow the format of advice/README.md."""


@dataclass(frozen=True)
class AdviceItem:
    id: str
    topic: str
    tags: tuple[str, ...]
    sources: tuple[str, ...]
    title: dict[str, str]
    summary: dict[str, str]
    body: dict[str, str]  # Markdown
    html: dict[str, str]  # rendered and sanitised

    def text(self, language: str) -> str:
        """Everything a search looks through, in one language."""
        return " ".join(
            [self.title[language], self.summary[language], self.body[language], *self.tags]
        ).lower()


def render_markdown(text: str) -> str:
    """Markdown to HTML, then through the sanitiser's allow-list."""
    return safe_html(_markdown.render(text))


def parse_item(text: str, name: str) -> AdviceItem:
    """One advice file's content; ``name`` is its file name without .md."""
    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise AdviceError(f"{name}: the file must start with +++ front matter +++")
    header = tomllib.loads(match[1])
    parts = _LANGUAGE_MARK.split(match[2])
    bodies = dict(zip(parts[1::2], (part.strip() for part in parts[2::2])))
    if parts[1::2] != list(LANGUAGES) or not all(bodies.values()):
        raise AdviceError(f"{name}: needs a '=== da ===' body, then a '=== en ===' body")
    if header.get("id") != name:
        raise AdviceError(f"{name}: id {header.get('id')!r} must equal the file name")
    if header.get("topic") not in TOPICS:
        raise AdviceError(f"{name}: unknown topic {header.get('topic')!r}")
    sources = tuple(header.get("source", ()))
    if not sources or not set(sources) <= set(SOURCES):
        raise AdviceError(f"{name}: source must name one or more of {sorted(SOURCES)}")
    for key in ("title", "summary"):
        if set(header.get(key, {})) != set(LANGUAGES):
            raise AdviceError(f"{name}: {key} needs da and en")
    return AdviceItem(
        id=name,
        topic=header["topic"],
        tags=tuple(header.get("tags", ())),
        sources=sources,
        title=dict(header["title"]),
        summary=dict(header["summary"]),
        body=bodies,
        html={language: render_markdown(body) for language, body in bodies.items()},
    )


def load_library(folder: Path = ADVICE_FOLDER) -> dict[str, AdviceItem]:
    """Every advice item in the folder, by id, in topic order then by id."""
    items = [
        parse_item(path.read_text(encoding="utf-8"), path.stem)
        for path in folder.glob("*.md")
        if path.name != "README.md"
    ]
    order = list(TOPICS)
    items.sort(key=lambda item: (order.index(item.topic), item.id))
    return {item.id: item for item in items}


@cache
def shipped_library() -> Mapping[str, AdviceItem]:
    """The advice folder's library, read once per process: rendering and sanitising every
    item is most of what making an app costs, and the files do not change while it runs."""
    return MappingProxyType(load_library())


def search(library: Mapping[str, AdviceItem], query: str, language: str) -> list[AdviceItem]:
    """The items whose text in a language holds every word of the query."""
    words = query.lower().split()
    return [item for item in library.values() if all(word in item.text(language) for word in words)]
