"""The advice library: complete, sourced, bilingual, safe to render, and all reachable."""

import re
from pathlib import Path

import pytest
import snowballstemmer

from diary import create_app
from diary.advice.items import (
    ADVICE_FOLDER,
    SOURCES,
    TOPICS,
    AdviceError,
    load_library,
    parse_item,
    render_markdown,
)
from diary.advice.rules import load_rules
from diary.sanitize import safe_html

LIBRARY = load_library()
REQUIRED = [
    "seek-help",
    "stairs",
    "turning-in-bed",
    "lifting",
    "pelvic-belt",
    "heat",
    "pauses",
    "physiotherapy",
    "stay-active",
    "warning-signs",
]


def test_the_library_has_at_least_twenty_items_including_the_required_ones():
    assert len(LIBRARY) >= 20
    assert set(REQUIRED) <= set(LIBRARY)


@pytest.mark.parametrize("item", LIBRARY.values(), ids=list(LIBRARY))
def test_every_item_has_danish_and_english_text_and_names_a_source(item):
    for language in ("da", "en"):
        assert item.title[language].strip() and item.summary[language].strip()
        assert len(item.body[language].split()) >= 40
    assert item.sources and set(item.sources) <= set(SOURCES)
    assert item.topic in TOPICS


@pytest.mark.parametrize("item", LIBRARY.values(), ids=list(LIBRARY))
def test_no_raw_html_survives_rendering(item):
    for html in item.html.values():
        assert not re.search(r"<(?!/?(p|ul|ol|li|strong|em|a|h3|h4|br|blockquote)\b)", html)
        assert "<script" not in html and "onerror" not in html and "style=" not in html


@pytest.mark.parametrize("item", LIBRARY.values(), ids=list(LIBRARY))
def test_links_in_items_point_at_existing_items_or_call_112(item):
    for html in item.html.values():
        for target in re.findall(r'href="([^"]+)"', html):
            if target == "tel:112":  # the emergency number, one tap on a phone (advice/README.md)
                continue
            assert target.startswith("/advice/") and target.removeprefix("/advice/") in LIBRARY, target


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        '<a href="x" style="color:red">a</a>',
    ],
)
def test_markdown_cannot_smuggle_markup_or_scripts(markdown):
    html = render_markdown(markdown)
    tags = re.findall(r"<[^>]*>", html)
    assert all(re.fullmatch(r"</?(p|a)( href=\"[^\"]*\")?>", tag) for tag in tags), tags
    assert 'href="javascript' not in html


ALLOWED_TAG = r"</?(p|ul|ol|li|strong|em|a|h3|h4|br|blockquote)( href=\"[^\"]*\")?>"


def assert_only_allowed(html: str, gone: str) -> None:
    """What must be gone is gone, and every tag left is one the allow-list names."""
    assert gone not in html
    assert all(re.fullmatch(ALLOWED_TAG, tag) for tag in re.findall(r"<[^>]*>", html)), html


@pytest.mark.parametrize(
    "markdown, gone",
    [
        ("![x](https://e.example/x.png)", "<img"),
        ("# Title\n\n## Part", "<h1"),
        ("## Part", "<h2"),
        ("##### Deep", "<h5"),
        ("Use `code` here", "<code"),
        ("    indented code", "<pre"),
        ("```\nfenced\n```", "<pre"),
        ("a\n\n---\n\nb", "<hr"),
        ("[x](http://e.example/)", 'href="http:'),
        ("[x](data:image/png;base64,AAAA)", 'href="data:'),
        ("[x](javascript:alert(1))", 'href="javascript'),
    ],
)
def test_markdown_that_markdown_it_renders_is_cut_back_to_the_allow_list(markdown, gone):
    # markdown-it turns these into real tags and links; only the sanitiser's allow-list stops them.
    assert_only_allowed(render_markdown(markdown), gone)


def test_markdown_keeps_what_the_allow_list_allows():
    html = render_markdown(
        "### Sub\n\n**bold** *it* [heat](/advice/heat) [call](tel:112)\n\n> quote\n\n- a\n\n1. b"
    )
    for tag in (
        "<h3>",
        "<strong>",
        "<em>",
        '<a href="/advice/heat">',
        '<a href="tel:112">',
        "<blockquote>",
        "<ul>",
        "<ol>",
        "<li>",
    ):
        assert tag in html, tag


@pytest.mark.parametrize(
    "raw, gone",
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href="x" style="color:red" onclick="alert(1)">x</a>', "style="),
        ('<a href="x" onclick="alert(1)">x</a>', "onclick"),
        ('<iframe src="https://e.example/"></iframe>', "<iframe"),
        ('<p style="color:red">x</p>', "style="),
        ("<h1>x</h1>", "<h1"),
        ("<!-- hidden --><p>x</p>", "<!--"),
        ('<svg onload="alert(1)"></svg>', "<svg"),
        ('<form action="https://e.example/"><input name=a></form>', "<form"),
    ],
)
def test_the_sanitiser_strips_raw_html_outside_the_allow_list(raw, gone):
    assert_only_allowed(safe_html(raw), gone)


def test_every_rule_points_at_an_existing_item():
    assert {rule.advice for rule in load_rules()} <= set(LIBRARY)


SOURCE_ARTICLES = ADVICE_FOLDER.parent.parent / "shared" / "sources"


def source_articles() -> list[Path]:
    """The two source articles beside the project, or a skip when they are not there."""
    articles = sorted(SOURCE_ARTICLES.glob("00[01]_*.txt"))
    if len(articles) != 2:
        pytest.skip(f"the two source articles are not beside the project ({SOURCE_ARTICLES})")
    return articles


def five_word_runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[index : index + 5]) for index in range(len(words) - 4)}


def test_no_item_copies_five_words_in_a_row_from_the_source_articles():
    copied = set().union(*(five_word_runs(path.read_text(encoding="utf-8")) for path in source_articles()))
    for path in sorted(ADVICE_FOLDER.glob("*.md")):
        if path.name == "README.md":  # it names article 001 by its title, as a citation
            continue
        shared = five_word_runs(path.read_text(encoding="utf-8")) & copied
        assert not shared, f"{path.name} copies {[' '.join(run) for run in sorted(shared)]}"


#: Words that carry no content of their own: pronouns, articles, auxiliaries, small adverbs.
STOPWORDS = set(
    """
    af alle allerede altid andet andre at bare begge blev bliver blive da de dem den denne der deres det dette dig din
    dine disse dit du efter eller en end er et ett fik for fordi fra få går gør gøre ham han har have havde hele hende
    her hos hun hvad hvem hvis hvor hvordan hvilke hvilken hvorfor i ikke ind indtil jeg kan kun kunne lidt man mange
    med meget men mere mest mig min mod må måske ned nej noget nogen nogle nok nu når og også om op os over på sig sin
    sine sit skal skulle som så sådan selv selvom til ud under ved vi vil ville være været ofte især blot helt mens
    eks fx gjort først tit endnu igen ingen lige dog derfor dermed hvornår mellem omkring uden inden
    gerne helst
""".split()
)
STEM = snowballstemmer.stemmer("danish")
#: Source sentences with fewer content words than this are list fragments ("Sov helst med en pude
#: mellem knæene") that state one fact the only way it can be said; an item may say the same.
MIN_SOURCE_WORDS = 5


def sentences(text: str) -> list[str]:
    """A text cut into sentences, list items, headings and table cells."""
    return [part.strip() for part in re.split(r"[.!?:;]\s|\n+|•", text) if part.strip()]


def content_words(sentence: str) -> set[str]:
    """The stemmed content words of a sentence: lower case, stopwords out, Danish Snowball stems."""
    words = [
        word for word in re.findall(r"[^\W\d_]+", sentence.lower()) if word not in STOPWORDS and len(word) > 1
    ]
    return set(STEM.stemWords(words))


def close_paraphrases(
    item_text: str, source_sentences: list[tuple[str, set[str]]]
) -> list[tuple[str, str, float]]:
    """Item sentences sharing more than half of some source sentence's content words, with that sentence."""
    found = []
    for sentence in sentences(item_text):
        words = content_words(sentence)
        for source, source_words in source_sentences:
            share = len(words & source_words) / len(source_words)
            if share > 0.5:
                found.append((sentence, source, round(share, 2)))
                break
    return found


def source_sentences() -> list[tuple[str, set[str]]]:
    """Every source sentence long enough to be paraphrased, with its content words."""
    texts = [path.read_text(encoding="utf-8") for path in source_articles()]
    # Article 001 ends with a list of the clinic's unrelated blog posts: not source material.
    texts = [text.split("Vores Tips Råd")[0] for text in texts]
    pairs = [(sentence, content_words(sentence)) for text in texts for sentence in sentences(text)]
    return [(sentence, words) for sentence, words in pairs if len(words) >= MIN_SOURCE_WORDS]


@pytest.mark.parametrize("item", LIBRARY.values(), ids=list(LIBRARY))
def test_no_item_sentence_keeps_the_content_words_of_a_source_sentence(item):
    """A rewording that keeps a source sentence's shape keeps most of its content words.

    Each sentence (or list item) of the item's Danish title, summary and body is compared with
    every sentence of the two source articles, after lower-casing, removing stopwords and
    stemming with the Danish Snowball stemmer. It is flagged when it shares more than half of the
    SOURCE sentence's content words. The source side is the denominator on purpose: a short item
    sentence ("Smerterne bør tages alvorligt") can never reach half of a long source sentence
    just by naming the same body part, while an item sentence that carries most of a source
    sentence's ideas is caught however many words it adds. Source sentences with fewer than
    MIN_SOURCE_WORDS (5) content words are left out: list fragments such as "Høj BMI" or
    "Bækkenbælte (støtter leddene under bevægelse)" state a fact that can only be said one way.
    English bodies are compared too; the articles are Danish, so only Danish text can match.
    """
    sources = source_sentences()
    text = "\n".join([item.title["da"], item.summary["da"], item.body["da"], item.body["en"]])
    found = close_paraphrases(text, sources)
    assert not found, f"{item.id} keeps a source sentence's words: {found}"


def test_the_paraphrase_check_catches_a_reordered_source_sentence_and_spares_a_short_one():
    sources = source_sentences()
    # Article 001: "Almindelig lændeømhed eller træthed plejer derimod at lette med hvile og skifte af stilling."
    reworded = (
        "Træthed og almindelig ømhed i lænden letter derimod som regel, når du hviler eller skifter stilling."
    )
    assert close_paraphrases(reworded, sources)
    assert not close_paraphrases("Smerterne bør tages alvorligt.", sources)
    assert not close_paraphrases("Hvil dig, når bækkenet siger fra, og gå en kort tur i morgen.", sources)


def test_no_item_recommends_a_dose():
    for item in LIBRARY.values():
        for text in item.body.values():
            assert not re.search(
                r"\b\d+\s?(mg|milligram|g|tablet|tabletter|tablets)\b", text, re.IGNORECASE
            ), item.id


@pytest.mark.parametrize(
    "text, problem",
    [
        ("no front matter", "front matter"),
        (
            '+++\nid = "x"\ntopic = "sleep"\nsource = ["000"]\n[title]\nda = "a"\nen = "b"\n[summary]\nda = "a"\nen = "b"\n+++\n=== en ===\nx\n=== da ===\ny\n',
            "da",
        ),
        (
            '+++\nid = "other"\ntopic = "sleep"\nsource = ["000"]\n[title]\nda = "a"\nen = "b"\n[summary]\nda = "a"\nen = "b"\n+++\n=== da ===\nx\n=== en ===\ny\n',
            "file name",
        ),
        (
            '+++\nid = "x"\ntopic = "sleep"\nsource = ["wikipedia"]\n[title]\nda = "a"\nen = "b"\n[summary]\nda = "a"\nen = "b"\n+++\n=== da ===\nx\n=== en ===\ny\n',
            "source",
        ),
    ],
)
def test_a_malformed_item_is_refused_with_its_problem(text, problem):
    with pytest.raises(AdviceError, match=problem):
        parse_item(text, "x")


def test_every_item_is_reachable_from_the_library_page(client):
    page = client.get("/advice").get_data(as_text=True)
    for advice_id in LIBRARY:
        assert f'href="/advice/{advice_id}"' in page, advice_id


@pytest.mark.parametrize("advice_id", list(LIBRARY))
def test_every_item_page_shows_its_text_in_the_users_language(client, advice_id):
    item = LIBRARY[advice_id]
    danish = client.get(f"/advice/{advice_id}", headers={"Accept-Language": "da"})
    english = client.get(f"/advice/{advice_id}", headers={"Accept-Language": "en"})
    assert danish.status_code == english.status_code == 200
    assert item.title["da"].replace("'", "&#39;") in danish.get_data(as_text=True)
    assert item.title["en"].replace("'", "&#39;") in english.get_data(as_text=True)


def test_an_unknown_item_is_a_404(client):
    assert client.get("/advice/no-such-advice").status_code == 404


def test_the_search_works_without_javascript_in_the_users_language(client):
    page = client.get("/advice?q=trappe", headers={"Accept-Language": "da"}).get_data(as_text=True)
    assert 'href="/advice/stairs"' in page
    assert page.count('class="advice-row') < len(LIBRARY)
    english = client.get("/advice?q=stairs", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'href="/advice/stairs"' in english
    nothing = client.get("/advice?q=zzzzqqq").get_data(as_text=True)
    assert 'class="advice-row' not in nothing


def test_warning_signs_are_one_tap_from_every_page(client, alice, today):
    for path in ("/", "/history", "/settings", "/advice", "/week", f"/entries/{today.replace(day=1)}"):
        response = client.get(path, follow_redirects=True)
        assert 'href="/advice/warning-signs"' in response.get_data(as_text=True), path
    client.post("/logout")
    for path in ("/", "/login", "/register"):
        assert 'href="/advice/warning-signs"' in client.get(path).get_data(as_text=True), path


def test_the_library_is_read_once_per_process_and_shared_read_only(tmp_path):
    first = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'one.sqlite3'}"})
    second = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'two.sqlite3'}"})
    assert first.extensions["advice"] is second.extensions["advice"]
    assert dict(first.extensions["advice"]) == LIBRARY
    with pytest.raises(TypeError):
        first.extensions["advice"]["stairs"] = None
